"""A real task worker process (`manage.py worker`) against the test database (SQLite file or
PostgreSQL): our jobs and Wagtail's own tasks run there, with progress, heartbeat and schedule."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django_tasks_db.models import DBTaskResult
from makerroom.core import jobs
from makerroom.core.models import Job, JobState, ScheduledRun, WorkerHeartbeat

from . import job_runners
from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _fresh(job):
    return Job.objects.get(pk=job.pk)


def test_jobs_and_wagtail_tasks_run_in_a_worker_process(settings, django_user_model, start_worker):
    settings.TASKS = DATABASE_TASKS
    settings.WORKER_BEAT_SECONDS = 1
    owner = django_user_model.objects.create_user("li", password="pass-w0rd-123")
    job = jobs.start(
        owner,
        job_runners.count_lines,
        "数行数",
        params={"step_seconds": 0.3},
        input_file=ContentFile("\n".join("abcdefghij").encode(), name="rows.csv"),
    )
    # Committed and enqueued, nothing runs it yet.
    assert DBTaskResult.objects.filter(task_path="makerroom.core.tasks.run_job").count() == 1
    assert _fresh(job).state == JobState.QUEUED

    worker = start_worker("--queue-name", "*", "--worker-id", "w-1")
    # Progress is visible while it runs, then the result.
    seen = wait_for(lambda: (j := _fresh(job)).state == JobState.RUNNING and 0 < j.done < 10 and j)
    assert seen.total == 10
    done = wait_for(lambda: (j := _fresh(job)).state == JobState.DONE and j)
    assert done.result_file.read() == b"10 lines"
    assert worker.poll() is None

    # The heartbeat is there, and the scheduler enqueued its housekeeping slots once.
    beat = wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="w-1").first())
    assert beat.pid == worker.pid
    assert {"publish_scheduled", "clear_sessions", "prune_job_results"} <= set(
        wait_for(lambda: set(ScheduledRun.objects.values_list("name", flat=True)) or None)
    )

    # Wagtail's reference index job goes through the same worker.
    from wagtail.models import Locale, Page

    # Transactional tests before this one (the browser tests) may have flushed the locales away.
    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.objects.filter(depth=1).first() or Page.add_root(title="Root", slug="root")
    root.save()
    wagtail_task = wait_for(
        lambda: DBTaskResult.objects.filter(task_path="wagtail.tasks.update_reference_index_task").first()
    )
    assert wait_for(lambda: DBTaskResult.objects.get(pk=wagtail_task.pk).status == "SUCCESSFUL")

    worker.terminate()
    assert worker.wait(timeout=20) == 0
    assert not WorkerHeartbeat.objects.filter(worker_id="w-1").exists()


def test_a_failed_job_is_retried_by_the_worker(settings, django_user_model, start_worker):
    settings.TASKS = DATABASE_TASKS
    owner = django_user_model.objects.create_user("li", password="pass-w0rd-123")
    job = jobs.start(
        owner,
        job_runners.count_lines,
        "数行数",
        params={"fail_first": True},
        input_file=ContentFile(b"ok\n?\n", name="rows.csv"),
    )
    start_worker("--no-schedule")
    failed = wait_for(lambda: (j := _fresh(job)).state == JobState.FAILED and j)
    assert failed.error_rows == [{"row": 2, "message": "第 2 行有误"}]
    jobs.retry(failed)  # outside a transaction: enqueued at once
    done = wait_for(lambda: (j := _fresh(job)).state == JobState.DONE and j)
    assert done.attempts == 2 and done.result_file.read() == b"2 lines"


def test_the_test_database_is_shared_with_the_worker():
    # SQLite tests use a file (not ":memory:") so that a worker process can open it.
    assert connection.settings_dict["NAME"] != ":memory:"
