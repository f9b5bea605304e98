"""Tasks the worker runs: every job, and the scheduled housekeeping (see `tasks_schedule`).

Wagtail's own tasks (reference index, search index, file deletion, frontend-cache purges) are
defined by Wagtail and run by the same worker, through the TASKS setting."""

from django.core.management import call_command
from django_tasks import task

from . import jobs


@task()
def run_job(job_id):
    return jobs.execute(job_id)


@task()
def publish_scheduled():
    """Publish pages whose go-live time has come, unpublish expired ones (Wagtail's command)."""
    call_command("publish_scheduled")


@task()
def clear_sessions():
    call_command("clearsessions")


@task()
def prune_job_results():
    """Old jobs with their files, finished task results and old scheduler slots."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from .jobs_models import ScheduledRun

    days = getattr(settings, "JOB_RESULT_DAYS", 14)
    pruned = jobs.prune(days)
    ScheduledRun.objects.filter(slot__lt=timezone.now() - timedelta(days=2)).delete()
    if _uses_database_backend():
        call_command("prune_db_task_results", min_age_days=days, verbosity=0)
    return pruned


def _uses_database_backend():
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)
