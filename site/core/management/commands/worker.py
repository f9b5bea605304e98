"""`manage.py worker`: the task worker (django-tasks-db's db_worker) plus a heartbeat and the scheduler.

Beside the worker loop a daemon thread, every WORKER_BEAT_SECONDS (default 10), records this
worker's heartbeat (read by /healthz) and enqueues the scheduled housekeeping that is due
(`makerroom.core.tasks_schedule`). Options are db_worker's (--queue-name, --interval, --batch, …)
plus --no-schedule."""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader  # pyright: ignore[reportAttributeAccessIssue]
from django_tasks_db.management.commands import db_worker

from ... import tasks_schedule
from ...jobs_models import WorkerHeartbeat

logger = logging.getLogger("makerroom.worker")


def beat_seconds():
    return float(getattr(settings, "WORKER_BEAT_SECONDS", 10))


def beat(worker_id, *, scheduling):
    """One heartbeat (and scheduler pass). Errors are logged: a database hiccup must not stop jobs."""
    try:
        close_old_connections()
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now, "hostname": socket.gethostname()[:200], "pid": os.getpid()},
        )
        if scheduling:
            tasks_schedule.enqueue_due(now)
    except Exception:
        logger.exception("Worker heartbeat failed")


class BeatingWorker(db_worker.Worker):
    def __init__(self, *, scheduling, **kwargs):
        super().__init__(**kwargs)
        self.scheduling = scheduling

    def run(self):
        thread = threading.Thread(target=self._beat_forever, name="worker-beat", daemon=True)
        thread.start()
        try:
            return super().run()
        finally:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def _beat_forever(self):
        try:
            while self.running:
                beat(self.worker_id, scheduling=self.scheduling)
                time.sleep(beat_seconds())
        finally:
            connection.close()


class Command(db_worker.Command):
    help = "Run the task worker with its heartbeat and scheduler"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-schedule", action="store_false", dest="scheduling")

    def handle(
        self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, **options
    ):
        self.configure_logging(verbosity)
        worker = BeatingWorker(
            scheduling=options["scheduling"],
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
