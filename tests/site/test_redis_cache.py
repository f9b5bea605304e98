"""Production caches in Redis (REDIS_URL). Whole pages and the publish generation live there, so every
gunicorn worker serves the same stored pages and sees the same invalidation. These tests use the real
Redis server (setup starts one on 127.0.0.1:6379; TEST_REDIS_URL points elsewhere)."""

import time

import pytest
from django.core.cache import caches
from makerroom.core import page_cache

pytestmark = pytest.mark.django_db


def _new_worker():
    """Drop this process's cache clients and memos, as if the next request reached another worker."""
    caches["default"].close()
    del caches["default"]
    page_cache._process_memo["state"] = (None, {})


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


@pytest.fixture
def course_index(home_page):
    from courses.models import CourseIndexPage

    index = CourseIndexPage(title="课程", slug="courses", intro="全市创客课程")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def _quietly_move(page, slug):
    """Change a page's URL in the database without a signal: as if another worker had published it
    (its publish reached this process only through the counters in Redis)."""
    path = page.url_path.rstrip("/").rsplit("/", 1)[0] + f"/{slug}/"
    type(page).objects.filter(pk=page.pk).update(slug=slug, url_path=path)


def _nav_links(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_memoized_values_stay_in_the_worker_until_another_workers_publish_moves_the_counter(
    client, redis_cache, course_index, settings, make_user
):
    server, prefix = redis_cache
    settings.PAGE_CACHE_SECONDS = 0  # whole pages aside: the menu link comes from the memo
    assert 'href="/courses/"' in _nav_links(client)
    _quietly_move(course_index, "kecheng")
    assert 'href="/courses/"' in _nav_links(client)  # kept: no publish has been seen
    server.incr(f"{prefix}:1:{page_cache.MEMO_GENERATION_KEY}")  # what another worker's publish does
    html = _nav_links(client)
    assert 'href="/kecheng/"' in html and 'href="/courses/"' not in html


def test_a_redis_that_lost_its_keys_never_brings_back_a_workers_old_memos(
    client, redis_cache, course_index, settings
):
    server, prefix = redis_cache
    settings.PAGE_CACHE_SECONDS = 0
    assert 'href="/courses/"' in _nav_links(client)
    _quietly_move(course_index, "kecheng")
    for key in server.scan_iter(f"{prefix}:*"):  # Redis restarted (it keeps nothing on disk)
        server.delete(key)
    assert 'href="/kecheng/"' in _nav_links(client)


def _fragment_cache(settings, local_bytes):
    from makerroom.core.cache_backend import FragmentCache

    prefix = settings.CACHES["default"]["KEY_PREFIX"] + ":fragments"
    return FragmentCache(
        settings.CACHES["default"]["LOCATION"],
        {"KEY_PREFIX": prefix, "OPTIONS": {"LOCAL_BYTES": local_bytes}},
    )


def test_a_fragment_read_once_is_answered_from_the_workers_memory(settings, redis_cache):
    server, prefix = redis_cache
    writer, reader = _fragment_cache(settings, 1 << 20), _fragment_cache(settings, 1 << 20)  # two workers
    writer.set("lesson-top.abc", "<ol>第一步：连接电路</ol>", 60)
    assert reader.get("lesson-top.abc") == "<ol>第一步：连接电路</ol>"  # from Redis: another worker wrote it
    for key in server.scan_iter(f"{prefix}:fragments:*"):
        server.delete(key)  # Redis no longer has it ...
    assert reader.get("lesson-top.abc") == "<ol>第一步：连接电路</ol>"  # ... the worker kept its copy
    assert reader.get("lesson-top.other") is None


def test_the_workers_copy_is_bounded_least_recently_used_first_out(settings, redis_cache):
    server, prefix = redis_cache
    cache = _fragment_cache(settings, 45_000)
    page = "步" * 2_000  # about 10 KB in memory once encoded for Redis: four fit
    for n in range(8):
        cache.set(f"lesson-{n}", page, 60)
        cache.get("lesson-0")  # kept in use
    assert 30_000 < cache._local_size <= 45_000
    for key in server.scan_iter(f"{prefix}:fragments:*"):
        server.delete(key)
    assert cache.get("lesson-0") == page  # the one in use stayed
    assert cache.get("lesson-1") is None  # the oldest unused ones went first
    assert cache.get("lesson-7") == page


def test_a_fragment_is_kept_no_longer_than_its_timeout(settings, redis_cache):
    cache = _fragment_cache(settings, 1 << 20)
    cache.set("lesson-now", "<p>只此一刻</p>", 0)  # not kept at all
    assert cache.get("lesson-now") is None
    cache.set("lesson-short", "<p>一秒</p>", 1)
    assert cache.get("lesson-short") == "<p>一秒</p>"
    cache._local[cache.make_key("lesson-short")] = (
        time.monotonic() - 1,
        10,
        "<p>一秒</p>",
    )  # its second is over
    redis_cache[0].delete(cache.make_key("lesson-short"))  # as Redis would have expired it
    assert cache.get("lesson-short") is None
