"""Production caches in Redis (REDIS_URL). Whole pages and the publish generation live there, so every
gunicorn worker serves the same stored pages and sees the same invalidation. These tests use the real
Redis server (setup starts one on 127.0.0.1:6379; TEST_REDIS_URL points elsewhere)."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The default cache on Redis, under a key prefix of its own; its keys are removed afterwards."""
    prefix = f"makerroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis.from_url(REDIS_URL)
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def _new_worker():
    """Drop this process's cache clients, as if the next request reached another worker."""
    caches["default"].close()
    del caches["default"]


def test_pages_are_stored_in_redis_and_served_to_other_workers(client, redis_cache, home_page):
    server, prefix = redis_cache
    first = client.get("/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    assert any(b"pagecache" in key for key in server.scan_iter(f"{prefix}:*"))

    _new_worker()
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_publishing_in_one_worker_invalidates_pages_for_every_worker(client, redis_cache, home_page):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"

    _new_worker()
    home_page.intro = "欢迎来到深圳学生创客节：用开源硬件做出你的第一个发明"
    home_page.save_revision().publish()

    _new_worker()
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert "用开源硬件做出你的第一个发明" in response.content.decode()
