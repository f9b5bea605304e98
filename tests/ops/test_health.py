"""/healthz checks the database, the cache and the worker's heartbeat; every response carries a
request id that every log line of the request shows."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from makerroom.core.logs import JsonFormatter, RequestIdFilter
from makerroom.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_without_a_worker_when_tasks_run_in_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "worker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_worker_heartbeat_decides_when_tasks_go_to_a_worker(client, settings):
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_WORKER_MAX_AGE = 60
    missing = client.get("/healthz")
    assert missing.status_code == 503 and missing.json()["worker"] == "missing"

    beat = WorkerHeartbeat.objects.create(worker_id="w-1", seen_at=timezone.now() - timedelta(minutes=5))
    assert client.get("/healthz").json()["worker"] == "stale"

    beat.seen_at = timezone.now()
    beat.save()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_a_broken_cache_fails_the_check(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"] == "unavailable"


def test_requests_carry_an_id_into_their_log_lines(client, caplog, home_page):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        missing = client.get("/no-such-page-here/", headers={"X-Request-ID": "proxy-id-12345"})
        generated = client.get("/")
    finally:
        logger.removeHandler(handler)
    assert missing["X-Request-ID"] == "proxy-id-12345"
    assert [r.request_id for r in records] == ["proxy-id-12345"]  # the 404 warning
    assert len(generated["X-Request-ID"]) == 32
    assert client.get("/", headers={"X-Request-ID": "bad id\n"})["X-Request-ID"] != "bad id\n"

    line = json.loads(JsonFormatter().format(records[0]))
    assert (
        line["request_id"] == "proxy-id-12345"
        and line["level"] == "WARNING"
        and line["logger"] == "django.request"
    )
