"""CDN-ready caching: anonymous pages say how long they may be kept, logged-in pages are private;
a publish purges the pages that show the changed page — in the page cache and at the CDN (a purge
receiver started here) — and leaves other sections' stored pages alone; `content_changed` still
makes every page fresh unless the model says which pages show it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from makerroom.core import page_cache
from makerroom.core.models import School
from makerroom.home.models import ContentPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(home_page):
    """Two sections under the home page, one information page in each."""
    pages = {}
    for name in ("a", "b"):
        section = home_page.add_child(instance=ContentPage(title=f"栏目{name}", slug=f"section-{name}"))
        section.save_revision().publish()
        page = section.add_child(
            instance=ContentPage(title=f"页面{name}", slug=f"page-{name}", summary="第一版")
        )
        page.save_revision().publish()
        pages[name] = ContentPage.objects.get(pk=page.pk)
    return pages


@pytest.fixture
def purge_receiver(settings):
    """A local HTTP cache's purge endpoint: records every PURGE it gets."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.headers.get("Host"), self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    yield received
    server.shutdown()
    server.server_close()


def test_anonymous_pages_may_be_kept_briefly_and_logged_in_pages_are_private(
    client, sections, make_user, settings
):
    settings.PAGE_CACHE_MAX_AGE = 60
    url = sections["a"].url
    for response in (client.get(url), client.get(url)):
        assert response.status_code == 200
        assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60"}
        assert "Cookie" in response["Vary"]
    client.force_login(make_user("li"))
    assert "private" in client.get(url)["Cache-Control"]


def test_a_publish_purges_the_pages_that_show_it_and_leaves_other_sections_stored(
    client, sections, purge_receiver
):
    a, b = sections["a"], sections["b"]
    for page in (a, b):
        assert client.get(page.url)["X-Page-Cache"] == "miss"
        assert client.get(page.url)["X-Page-Cache"] == "hit"
    purge_receiver.clear()

    a.summary = "第二版"
    a.save_revision().publish()

    fresh = client.get(a.url)
    assert fresh["X-Page-Cache"] == "miss" and "第二版" in fresh.content.decode()
    assert client.get(b.url)["X-Page-Cache"] == "hit"  # another section: still stored
    purged = {path for _host, path in purge_receiver}
    assert {a.url, a.get_parent().url, "/"} <= purged
    assert b.url not in purged


def test_content_changed_makes_every_page_fresh_unless_the_model_names_its_pages(
    client, sections, django_capture_on_commit_callbacks
):
    a, b = sections["a"], sections["b"]
    for page in (a, b):
        client.get(page.url)
        assert client.get(page.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        page_cache.content_changed(ContentPage, instance=object())  # reach unknown: everything
    assert client.get(a.url)["X-Page-Cache"] == "miss"
    assert client.get(b.url)["X-Page-Cache"] == "miss"

    page_cache.register_pages_showing(School, lambda school: [b])  # say a school is shown on page b only
    try:
        with django_capture_on_commit_callbacks(execute=True):
            page_cache.content_changed(School, instance=School(name="深圳市宝安区新桥小学"))
    finally:
        page_cache._PAGES_SHOWING.pop(School)
    assert client.get(a.url)["X-Page-Cache"] == "hit"
    assert client.get(b.url)["X-Page-Cache"] == "miss"


def test_a_publish_still_purges_after_the_shared_cache_was_emptied(client, sections):
    """Redis restarted or evicted the keys while the workers kept running: pages stored after that
    must still be purged by the next publish (the hosts they were stored under are kept in the cache,
    not remembered per process)."""
    from django.core.cache import cache

    a = sections["a"]
    client.get(a.url)  # stored once, so this process has seen the host
    cache.clear()
    assert client.get(a.url)["X-Page-Cache"] == "miss"
    assert client.get(a.url)["X-Page-Cache"] == "hit"

    a.summary = "清空之后"
    a.save_revision().publish()
    fresh = client.get(a.url)
    assert fresh["X-Page-Cache"] == "miss" and "清空之后" in fresh.content.decode()
