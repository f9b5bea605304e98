"""The worker's scheduler: housekeeping tasks enqueued at fixed intervals, each slot once.

`SCHEDULE` (overridable with the MAKERROOM_SCHEDULE setting) maps a name to a task path and an
interval in seconds. Time is cut into slots of that length; the first worker that claims a slot
(a unique `ScheduledRun` row) enqueues the task, so several workers never run it twice. Every task
worker (`manage.py worker`) runs this loop beside its heartbeat; with no worker, run the same
commands from cron (docs/deploy.md)."""

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .jobs_models import ScheduledRun

logger = logging.getLogger(__name__)

SCHEDULE = {
    "publish_scheduled": {"task": "makerroom.core.tasks.publish_scheduled", "every": 60},
    "clear_sessions": {"task": "makerroom.core.tasks.clear_sessions", "every": 24 * 3600},
    "prune_job_results": {"task": "makerroom.core.tasks.prune_job_results", "every": 24 * 3600},
}


def schedule():
    return getattr(settings, "MAKERROOM_SCHEDULE", SCHEDULE)


def slot_of(now, every):
    start = int(now.timestamp()) // every * every
    return datetime.fromtimestamp(start, tz=UTC)


def enqueue_due(now):
    """Enqueue every scheduled task whose current slot nobody has claimed yet; returns their names."""
    enqueued = []
    for name, entry in schedule().items():
        slot = slot_of(now, int(entry["every"]))
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, slot=slot)
                import_string(entry["task"]).enqueue()
        except IntegrityError:
            continue  # another worker has it
        enqueued.append(name)
        logger.info("Scheduled %s for the slot starting %s", name, slot.isoformat())
    return enqueued
