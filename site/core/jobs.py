"""Long work off the request: jobs with progress, a result file and error rows, run by the task worker.

A view that would take more than a couple of seconds starts a job instead and redirects to the job's
page (`reverse("jobs:detail", args=[job.pk])`), which polls its progress and offers the result.

How an app plugs in (see docs/dev/jobs.md):

    # kits/jobs.py
    from makerroom.core import jobs

    @jobs.runner
    def label_sheet(job, progress):
        user = job.owner                 # check permissions again: they may have changed
        assets = ...                     # from job.params (JSON) and job.input_file
        progress(0, len(assets))         # steps in all; progress(done) as it goes
        ...
        raise jobs.JobFailed(_("3 rows are wrong"), rows=[{"row": 4, "message": "…"}])  # or
        return jobs.Result("labels.pdf", pdf_bytes)

    # kits/admin_views.py
    job = jobs.start(request.user, label_sheet, _("Asset labels"), params={"room": 3})
    return redirect(job.get_absolute_url())

Rules:
* A runner is a module-level function decorated with `@jobs.runner`; the job row stores its dotted
  path, and the worker runs only registered runners.
* Everything a job needs to run again stays on the row (`params`, `input_file`) until the job is
  pruned, so a failed job loses nothing and `retry` runs it again with the same input.
* A runner does its writes in its own transactions; a failure after some of them must leave the
  data consistent (small batches, each committed or rolled back whole).
* Only the owner (and a superuser) sees a job: `makerroom.core.policy.may_see_job`.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .jobs_models import Job, JobState

logger = logging.getLogger(__name__)

RUNNERS = {}
PROGRESS_EVERY_SECONDS = 0.5  # progress writes are at most this frequent (one UPDATE each)


@dataclass
class Result:
    """What a runner returns: the file the owner downloads."""

    name: str
    content: bytes


class JobFailed(Exception):
    """A runner raises this for an expected failure: `message` and the `rows` that were wrong
    (a list of {"row": n, "message": text}) are shown on the job page."""

    def __init__(self, message, rows=()):
        super().__init__(message)
        self.message = str(message)
        self.rows = list(rows)


def runner(func):
    """Register a job function `func(job, progress) -> Result | None`."""
    path = f"{func.__module__}.{func.__qualname__}"
    RUNNERS[path] = func
    func.job_path = path
    return func


def _resolve(path):
    if path not in RUNNERS:
        import_string(path)  # importing the module registers its runners
    if path not in RUNNERS:
        raise LookupError(f"{path} is not a registered job runner")
    return RUNNERS[path]


def start(user, run, title, params=None, input_file=None):
    """Create a job for `user` and hand it to the worker once the current transaction commits."""
    job = Job(
        owner=user,
        runner=run.job_path,
        title=str(title)[:200],
        params=params or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "input"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job))
    return job


def retry(job):
    """Run a failed job again with the same parameters and input file."""
    if job.state != JobState.FAILED:
        return False
    Job.objects.filter(pk=job.pk).update(
        state=JobState.QUEUED, done=0, total=0, message="", error_rows=[], started_at=None, finished_at=None
    )
    job.refresh_from_db()
    transaction.on_commit(lambda: _enqueue(job))
    return True


def _enqueue(job):
    from .tasks import run_job

    run_job.enqueue(str(job.pk))


class Progress:
    """Called by a runner: `progress(done, total=None)`. Writes are throttled to one every
    PROGRESS_EVERY_SECONDS, and always written when the last step is reached."""

    def __init__(self, job):
        self.job = job
        self._written = 0.0

    def __call__(self, done, total=None):
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        now = time.monotonic()
        if total is not None or done >= job.total or now - self._written >= PROGRESS_EVERY_SECONDS:
            Job.objects.filter(pk=job.pk).update(done=job.done, total=job.total)
            self._written = now


def execute(job_id):
    """Run one job (the worker's task calls this). Never raises: the outcome is on the row."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.state == JobState.DONE:
        return job and job.state
    job.state, job.started_at, job.attempts = JobState.RUNNING, timezone.now(), job.attempts + 1
    Job.objects.filter(pk=job.pk).update(state=job.state, started_at=job.started_at, attempts=job.attempts)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = _resolve(job.runner)(job, Progress(job))
        except JobFailed as failure:
            _finish(job, JobState.FAILED, message=failure.message, error_rows=failure.rows)
        except Exception:
            logger.exception("Job %s (%s) failed", job.pk, job.runner)
            _finish(job, JobState.FAILED, message=_("Something went wrong. Nothing was lost: try again."))
        else:
            if result is not None:
                job.result_file.save(result.name, ContentFile(result.content), save=False)
                job.result_name = result.name
            _finish(job, JobState.DONE, done=max(job.done, job.total))
    return job.state


def _finish(job, state, **fields):
    fields.update(state=state, finished_at=timezone.now())
    if job.result_name:
        fields.update(result_file=job.result_file.name, result_name=job.result_name)
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def prune(days=None, now=None):
    """Delete jobs that finished more than JOB_RESULT_DAYS (default 14) ago, with their files."""
    days = getattr(settings, "JOB_RESULT_DAYS", 14) if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = list(Job.objects.filter(finished_at__lt=cutoff))
    for job in old:
        for field in (job.input_file, job.result_file):
            if field:
                field.delete(save=False)
        job.delete()
    return len(old)
