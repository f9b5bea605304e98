"""The worker's schedule: each slot is enqueued once across workers, and the housekeeping it runs
(scheduled publishing, expired sessions, old job results) does its work."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone
from makerroom.core import jobs, tasks_schedule
from makerroom.core.models import Job, ScheduledRun

from . import job_runners

pytestmark = pytest.mark.django_db


def test_each_slot_is_enqueued_once(settings):
    settings.MAKERROOM_SCHEDULE = {
        "clear_sessions": {"task": "makerroom.core.tasks.clear_sessions", "every": 60}
    }
    now = timezone.now().replace(second=10)
    assert tasks_schedule.enqueue_due(now) == ["clear_sessions"]
    assert tasks_schedule.enqueue_due(now + timedelta(seconds=40)) == []  # same minute: another worker
    assert tasks_schedule.enqueue_due(now + timedelta(seconds=60)) == ["clear_sessions"]
    assert ScheduledRun.objects.count() == 2


def test_the_schedule_publishes_pages_whose_time_has_come(home_page):
    page = home_page
    page.save_revision().publish()  # live with a revision of its own
    page.refresh_from_db()
    page.title = "定时发布的新标题"
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()  # scheduled, not live yet
    page.refresh_from_db()
    assert page.live and page.title != "定时发布的新标题"
    revision = page.latest_revision
    # An hour later (moved back rather than waited for): the go-live time has passed.
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    assert "publish_scheduled" in tasks_schedule.enqueue_due(timezone.now())
    page.refresh_from_db()
    assert page.title == "定时发布的新标题"


def test_the_schedule_clears_expired_sessions_and_prunes_old_jobs(
    make_user, django_capture_on_commit_callbacks
):
    Session.objects.create(
        session_key="old", session_data="x", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="new", session_data="x", expire_date=timezone.now() + timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            make_user("li"), job_runners.count_lines, "旧任务", input_file=ContentFile(b"a", name="a.csv")
        )
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=30))

    due = tasks_schedule.enqueue_due(timezone.now())
    assert {"clear_sessions", "prune_job_results"} <= set(due)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]
    assert not Job.objects.exists()
