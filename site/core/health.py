"""`/healthz`: is this web process able to serve? Checks the database, the cache and the task
worker's heartbeat; 200 with {"status": "ok", …} or 503 naming what failed. For load balancers
and monitoring; it reveals nothing but the three words per check."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache

from .jobs_models import WorkerHeartbeat


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return "unavailable"
    return "ok"


def check_cache():
    key, value = "healthz:probe", get_random_string(12)
    try:
        cache.set(key, value, 30)
        return "ok" if cache.get(key) == value else "unavailable"
    except Exception:
        return "unavailable"


def check_worker():
    """ "ok" when a worker beat within HEALTH_WORKER_MAX_AGE seconds (default 60); tasks that run in
    the process itself (the immediate backend) need none."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return "ok"
    max_age = getattr(settings, "HEALTH_WORKER_MAX_AGE", 60)
    try:
        newest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    except Exception:
        return "unavailable"
    if newest is None:
        return "missing"
    return "ok" if timezone.now() - newest <= timedelta(seconds=max_age) else "stale"


@never_cache
def healthz(request):
    checks = {"database": check_database(), "cache": check_cache(), "worker": check_worker()}
    ok = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if ok else "failing", **checks}, status=200 if ok else 503)
