"""Redis down must not take the site down: a Redis server started here is stopped mid-test; pages
are then rendered without the cache (logged), throttles still count (per process), and the cache
comes back when Redis does."""

import logging
import subprocess
import time
import uuid

import pytest
import redis
from django.core.cache import caches
from makerroom.core.throttle import Throttle

from .conftest import free_port, wait_for

pytestmark = [
    pytest.mark.django_db,
]


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        wait_for(lambda: _pings(client), timeout=20, every=0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _pings(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def resilient_cache(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "makerroom.core.cache_backend.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "KEY_PREFIX": f"t-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "RETRY_SECONDS": 0.3},
        }
    }
    yield caches["default"]
    caches["default"].close()


def test_pages_and_the_login_page_answer_while_redis_is_down(
    client, resilient_cache, redis_server, home_page, caplog
):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"

    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="makerroom.cache"):
        home = client.get("/")
        login = client.get("/accounts/login/")
        wrong = client.post("/accounts/login/", {"username": "nobody", "password": "wrong-password-1"})
    assert home.status_code == 200 and home.get("X-Page-Cache") != "hit"  # rendered fresh
    assert login.status_code == 200
    assert wrong.status_code == 200  # the form's error, not a 500
    assert any("Cache unavailable" in r.getMessage() for r in caplog.records)
    assert resilient_cache.get("anything", "default") == "default"
    assert resilient_cache.add("k", 1) is False


def test_throttles_keep_counting_while_redis_is_down_and_the_cache_returns_with_redis(
    resilient_cache, redis_server
):
    redis_server.stop()
    throttle = Throttle("login", "li", limit=3)
    assert throttle.blocked_minutes() == 0
    for _ in range(3):
        throttle.fail()
    assert throttle.blocked_minutes() == 15  # still limited: counted in this process meanwhile
    throttle.reset()
    assert throttle.blocked_minutes() == 0

    redis_server.start()  # same port
    time.sleep(0.4)  # RETRY_SECONDS
    resilient_cache.set("back", "again")
    assert resilient_cache.get("back") == "again"
    assert redis.Redis(port=redis_server.port).exists(resilient_cache.make_key("back"))
