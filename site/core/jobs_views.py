"""The job pages: my jobs, one job (progress, result, error rows), its status as JSON for the
progress bar, the download and the retry. Thin: rules are in `jobs` and `policy.may_see_job`."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import jobs
from .jobs_models import Job
from .policy import may_see_job


def _job_for(request, pk):
    job = get_object_or_404(Job, pk=pk)
    if not may_see_job(request.user, job):
        raise Http404  # somebody else's job: not even its existence is shown
    return job


def status_of(job):
    return {
        "id": str(job.pk),
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.finished,
        "message": job.message,
        "error_rows": job.error_rows,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.result_file else None,
    }


@login_required
def job_list(request):
    return render(request, "core/job_list.html", {"jobs": request.user.jobs.all()[:50]})


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    return render(request, "core/job_detail.html", {"job": job, "status": status_of(job)})


@login_required
def job_status(request, pk):
    response = JsonResponse(status_of(_job_for(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def job_download(request, pk):
    job = _job_for(request, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name)


@login_required
@require_POST
def job_retry(request, pk):
    job = _job_for(request, pk)
    jobs.retry(job)
    return redirect(job)
