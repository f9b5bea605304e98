import os

import pytest
from makerroom.core import roles

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: the page cache is keyed by URL, and tests build pages at the
    same URLs (often with the ORM alone, which sends no publish signal to purge them)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright, one per test process for every browser test.

    Playwright's sync API keeps an event loop running in this thread from here to the end of the
    session, which makes Django refuse ORM calls ("async unsafe") in every later test of the process;
    the tests only do plain synchronous work, so the guard is lifted for the whole session (a
    per-test fixture that lifted and restored it would leave later tests broken)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def make_user(django_user_model):
    """make_user("li", role=roles.Role.TEACHER, school=school) -> a saved user in that role group."""

    def make(username, role=None, password="pass-w0rd-123", **fields):
        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        if role:
            roles.add_role(user, role)
        return user

    return make


@pytest.fixture
def home_page():
    from makerroom.home.models import HomePage

    return HomePage.objects.get(locale__language_code="zh-hans")


@pytest.fixture
def role_names():
    return list(roles.Role)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the serialized initial content where every connection object finds it. Once Playwright's
    loop runs in this thread (the session's browser), Django hands the tests a new connection object,
    and the copy Django stored on the first one would be missing, so every later transactional test
    would start from an empty database."""
    from django.db import connections

    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database, browser flows aside (CI's second pass, on "
        "PostgreSQL: the others — the firmware host package, the JavaScript board, pure functions, and "
        "what a page does in Chromium — ran in the first pass and would only repeat; the views, "
        "services and jobs under the browser flows have tests of their own that run here)",
    )


def _uses_database(item):
    names = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(
        names & {"db", "transactional_db", "live_server", "django_db_setup", "world"}
    )


def _in_browser(item):
    return "browser" in set(getattr(item, "fixturenames", ()))


def _database_test(item):
    return _uses_database(item) and not _in_browser(item)


def pytest_collection_modifyitems(config, items):
    """Every transactional test (browser tests, the worker tests) restores the database's initial
    content — locales, the home page, the catalogue, the role groups from the data migrations —
    before it runs. Without it each such test flushes the database at its end and the next one starts
    with no Wagtail root page at all, so whether a test passed depended on the order xdist ran it in."""
    if config.getoption("--database-tests-only"):
        deselected = [item for item in items if not _database_test(item)]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if _database_test(item)]
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & set(getattr(item, "fixturenames", ()))
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_caches(settings, caches):
    import uuid

    import redis

    prefix = f"makerroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {"BACKEND": backend, "LOCATION": TEST_REDIS_URL, "KEY_PREFIX": f"{prefix}:{alias}"}
        for alias, backend in caches.items()
    }
    server = redis.Redis.from_url(TEST_REDIS_URL)
    return server, prefix


@pytest.fixture
def production_caches(settings):
    """The caches and sessions as production lays them out (makerroom.settings.production), on the
    real Redis server under a key prefix of their own; their keys are removed afterwards."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    server, prefix = _redis_caches(
        settings,
        {
            "default": "makerroom.core.cache_backend.ResilientRedisCache",
            "renditions": "makerroom.core.cache_backend.ResilientRedisCache",
            "template_fragments": "makerroom.core.cache_backend.FragmentCache",
        },
    )
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis server, under a key prefix of its own; its keys are
    removed afterwards. Yields the raw client and the key prefix of the default cache."""
    server, prefix = _redis_caches(settings, {"default": "django.core.cache.backends.redis.RedisCache"})
    prefix = f"{prefix}:default"
    yield server, prefix
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)
