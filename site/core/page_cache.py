# pyright: reportAttributeAccessIssue=false, reportOptionalCall=false
# (a page mixin and Wagtail's untyped hooks decorator)
"""A shared cache of whole Wagtail pages for anonymous visitors, invalidated on every publish.

Anonymous GET requests without a query string are answered from the cache; everyone who is logged
in, and every request carrying messages or a query string, gets a freshly rendered page and never
fills the cache. A response that set a cookie or used a CSRF token is never stored.

Invalidation purges what changed. Publishing or unpublishing a page forgets the stored copies of
the pages that show it — the page, its ancestors (listings, breadcrumbs), its siblings (previous/next
links), its children and the home page — in every language, and asks the CDN to purge the same URLs
(`wagtail.contrib.frontend_cache`, WAGTAILFRONTENDCACHE). One teacher's publish no longer empties
every school's pages. Changes whose reach is not known — a top-level page (it is in every page's
menu), a routable page (its sub-URLs are unknown), a move, a slug change, a deletion, a view
restriction, and `content_changed` from a service (unless the changed model registered the pages
that show it with `register_pages_showing`) — start a new *generation*: every key includes that counter, so all stored pages are forgotten at once.
Values memoized from pages (`memoize`) have a generation of their own that every publish starts.
The counters live in the cache itself, so with a shared cache (Redis) every worker sees them. A
request reads the memo generation once; each process keeps the values of the current generation in
memory as well, so a page's menus, site and routing cost one round trip to Redis instead of two per
value, and another worker's publish is seen from the next request on.

Visitors' browsers and a CDN may keep an anonymous page for PAGE_CACHE_MAX_AGE seconds (default 60,
`Cache-Control: public`); pages for logged-in users are `private`.

Two halves: an `on_serve_page` hook renders and stores a page after Wagtail has routed it and
checked its view restrictions (so only pages anonymous visitors may see are stored), and
`PageCacheMiddleware` answers later requests for a stored URL before any routing, without touching
the database.

The contract for services: a service that changes what a cached page shows (festival results,
a disqualified entry, a photo's consent, a course listing) calls `content_changed(sender, instance)`
after its transaction commits. Pages themselves need not: Wagtail's page signals are connected.

Settings: PAGE_CACHE_SECONDS (default 600; 0 turns the cache off), PAGE_CACHE_ALIAS ("default"),
PAGE_CACHE_MAX_AGE (default 60).
"""

import copy
import time
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from wagtail import hooks
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

GENERATION_KEY = "pagecache:generation"
MEMO_GENERATION_KEY = "pagecache:memo-generation"
HEADER = "X-Page-Cache"


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _fresh_generation():
    """A counter that starts again (the cache was emptied, Redis restarted) starts from the clock, so
    it never meets a generation a worker still holds values of from before."""
    return time.time_ns() // 1000


def _generation(cache, key=GENERATION_KEY):
    generation = cache.get(key)
    if generation is None:
        cache.add(key, _fresh_generation(), timeout=None)
        generation = cache.get(key)
    return generation


def _bump(cache, key):
    try:
        cache.incr(key)
    except ValueError:  # not there yet (or evicted): any new value makes old keys unreachable
        cache.set(key, _fresh_generation(), timeout=None)
    if key == MEMO_GENERATION_KEY:
        _forget_request_generation()


def invalidate(**kwargs):
    """Forget every cached page and memo (a new generation): for changes whose reach is unknown."""
    cache = _cache()
    _bump(cache, GENERATION_KEY)
    _bump(cache, MEMO_GENERATION_KEY)


# model -> function(instance) returning the pages that show it (see register_pages_showing)
_PAGES_SHOWING = {}


def register_pages_showing(model, pages_for):
    """Say which pages show instances of `model`: `pages_for(instance)` returns Wagtail pages.
    `content_changed` for such an instance then purges those pages only, not every page."""
    _PAGES_SHOWING[model] = pages_for


def related_pages(page):
    """The live pages that show `page`: itself, its ancestors, siblings and children, and the home
    page of its site."""
    from wagtail.models import Page

    page = Page.objects.get(pk=page.pk) if not isinstance(page, Page) or page.pk is None else page
    related = Page.objects.live().filter(
        models.Q(pk=page.pk)
        | models.Q(pk__in=page.get_ancestors().values("pk"))
        | models.Q(pk__in=page.get_siblings().values("pk"))
        | models.Q(pk__in=page.get_children().values("pk"))
    )
    # The page itself even when it was just unpublished: its stored copy must go.
    return [page, *related.filter(depth__gt=1).exclude(pk=page.pk)]


def page_urls(pages):
    """The absolute URLs of these pages."""
    return sorted({url for url in (page.get_full_url() for page in pages) if url})


HOSTS_KEY = "pagecache:hosts"


def _remember_host(cache, host):
    """Pages are stored per Host header; purging needs every host they were stored under (a
    site's hostname, its IP, a CDN's origin name). The list lives in the cache beside the pages and
    is read on every store, not remembered per process: after a Redis restart or eviction a process
    that had seen the host would otherwise never write it again, and the next purge would miss
    every page stored since."""
    hosts = cache.get(HOSTS_KEY) or ()
    if host not in hosts:
        cache.set(HOSTS_KEY, sorted({*hosts, host}), timeout=None)


def purge_pages(pages):
    """Forget the stored copies of `pages` (every language and host) and ask the CDN to purge them."""
    cache = _cache()
    generation = _generation(cache)
    urls = page_urls(pages)
    hosts = set(cache.get(HOSTS_KEY) or ()) | {urlsplit(url).netloc for url in urls}
    keys = [
        f"pagecache:{generation}:{host}:{code}:{urlsplit(url).path}"
        for url in urls
        for host in hosts
        for code, _name in settings.LANGUAGES
    ]
    if keys:
        cache.delete_many(keys)
    _bump(cache, MEMO_GENERATION_KEY)
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

        purge_urls_from_cache(urls)
    return urls


def _page_published(sender, instance, **kwargs):
    """A published or unpublished page: purge the pages that show it. A top-level page (in every
    page's menu), or a routable page among them (its sub-URLs are not known here), starts a new
    generation instead."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    pages = related_pages(instance)
    if instance.depth <= 3 or any(issubclass(p.specific_class or object, RoutablePageMixin) for p in pages):
        invalidate()
    purge_pages(pages)


# Sent (with `instance`, the changed object) when something cached pages show has changed.
changed = Signal()


def content_changed(sender, instance=None):
    """Services call this when they change what a public page shows; fires after the commit, so a
    page rendered in between cannot put the old state back into the cache."""
    transaction.on_commit(lambda: changed.send(sender=sender, instance=instance))


def _content_changed(sender, instance=None, **kwargs):
    pages_for = _PAGES_SHOWING.get(type(instance)) if instance is not None else None
    if pages_for is None:
        invalidate()
    else:
        purge_pages(pages_for(instance))


changed.connect(_content_changed, dispatch_uid="page_cache_content_changed", weak=False)


def _cacheable_request(request):
    if timeout() <= 0 or request.method not in ("GET", "HEAD") or request.GET:
        return False
    if "messages" in request.COOKIES:  # a flash message is waiting to be shown to this visitor
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request, generation):
    return f"pagecache:{generation}:{request.get_host()}:{translation.get_language()}:{request.path}"


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "session", None), "modified", False)
    )


def _cached_response(request, cache):
    cached = cache.get(_key(request, _generation(cache)))
    if cached is None:
        return None
    content, content_type = cached
    response = HttpResponse(content, content_type=content_type)
    response[HEADER] = "hit"
    return _public(response)


def _public(response):
    """Browsers and a CDN may keep an anonymous page a short while; a purge or max-age ends it."""
    patch_cache_control(response, public=True, max_age=getattr(settings, "PAGE_CACHE_MAX_AGE", 60))
    patch_vary_headers(response, ("Cookie",))
    return response


# The memo generation as this request read it ({} at the start of a request, None outside one).
_request_scope: ContextVar[dict | None] = ContextVar("page_cache_request", default=None)
# This process's copy of memoized values, (generation, {name: (expires, value)}), replaced as a whole when the
# generation moves on (a thread still serving an older generation keeps writing into its own dict).
_process_memo: dict = {"state": (None, {})}
PROCESS_MEMO_LIMIT = 5000  # names (pages × languages); past it the process starts afresh
_IMMUTABLE = (str, int, float, bool, tuple, frozenset, type(None))
_MISSING = object()


def _forget_request_generation():
    scope = _request_scope.get()
    if scope is not None:
        scope.pop("generation", None)


def memoize(name, compute, keep_none=True):
    """A value derived from published pages (e.g. a menu link), kept until the next publish.
    With keep_none=False a None (nothing found) is not kept: URLs nobody publishes must not fill
    the cache."""
    memo_seconds = getattr(settings, "PAGE_CACHE_MEMO_SECONDS", 3600)  # also when whole pages are not cached
    generation = memo_generation()
    if memo_seconds <= 0 or generation is None:  # no shared counter (the cache is down): keep nothing
        return compute()
    kept_generation, values = _process_memo["state"]
    if kept_generation != generation or len(values) > PROCESS_MEMO_LIMIT:
        values = {}
        _process_memo["state"] = (generation, values)
    now = time.monotonic()
    kept = values.get(name)
    if kept is not None and kept[0] > now:
        value = kept[1]
    else:
        key = f"pagecache:memo{generation}:{name}"
        value = _cache().get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            if value is None and not keep_none:
                return None
            _cache().add(key, value, memo_seconds)
        values[name] = (now + memo_seconds, value)  # no longer than the shared copy
    # Each caller gets its own copy of a model instance or list, as it did from the cache: a page
    # or site kept in memory must not carry one request's attributes into the next.
    return value if isinstance(value, _IMMUTABLE) else copy.copy(value)


def memo_generation():
    """The counter every publish (and every change of unknown reach) moves on: a fragment of a
    page keyed with it is forgotten at the next publish, like the values `memoize` keeps. Read once
    per request (again after a publish in the same request)."""
    scope = _request_scope.get()
    if scope is None:
        return _generation(_cache(), MEMO_GENERATION_KEY)
    if "generation" not in scope:
        scope["generation"] = _generation(_cache(), MEMO_GENERATION_KEY)
    return scope["generation"]


def fragment_seconds():
    """How long a rendered fragment shared by logged-in visitors (the lesson body) is kept at most:
    PAGE_FRAGMENT_SECONDS, by default as long as anonymous pages (PAGE_CACHE_SECONDS)."""
    return getattr(settings, "PAGE_FRAGMENT_SECONDS", timeout())


class MemoizedViewRestrictions:
    """Page mixin: Wagtail checks the view restrictions of a page and its ancestors on every view
    (2 queries). Which pages to check, and whether any restriction applies, is kept until the next
    publish or restriction change (both start a new generation); an unrestricted page then costs no
    query. Callers get a queryset as before (they iterate, `.exists()` or `.order_by()` it)."""

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if not self.pk:
            return super().get_view_restrictions()

        def compute():  # the pages (this one or ancestors) that carry a restriction
            restricted = super(MemoizedViewRestrictions, self).get_view_restrictions()
            return sorted({row.page_id for row in restricted.only("page_id")})

        page_ids = memoize(f"view-restrictions:{self.pk}", compute)
        if not page_ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(page_id__in=page_ids)


class PageCacheMiddleware:
    """Serves stored pages to anonymous visitors before URL resolution and page routing.
    Goes after the authentication, locale and message middleware."""

    SKIP_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.SKIP_PREFIXES) and _cacheable_request(request):
            response = _cached_response(request, _cache())
            if response is not None:
                return response
        scope = _request_scope.set({})
        try:
            response = self.get_response(request)
        finally:
            _request_scope.reset(scope)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True)  # never kept by a CDN
        return response


@hooks.register("on_serve_page", order=100)  # inside Wagtail's view-restriction check (order 0)
def cache_page(serve):
    def serve_cached(page, request, serve_args, serve_kwargs):
        if not _cacheable_request(request):
            return serve(page, request, serve_args, serve_kwargs)
        cache = _cache()
        cached = _cached_response(request, cache)  # the middleware was skipped or raced a publish
        if cached is not None:
            return cached
        key = _key(request, _generation(cache))
        response = serve(page, request, serve_args, serve_kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if _storable(request, response):
            cache.set(key, (response.content, response["Content-Type"]), timeout())
            _remember_host(cache, request.get_host())
            response[HEADER] = "miss"
            _public(response)
        return response

    return serve_cached


for signal in (page_published, page_unpublished):
    signal.connect(_page_published, dispatch_uid=f"page_cache_{signal}")
for signal in (page_slug_changed, post_page_move):  # URLs of a whole subtree change
    signal.connect(invalidate, dispatch_uid=f"page_cache_{signal}")


def _page_deleted(sender, instance, **kwargs):
    invalidate()


def _routing_changed(sender, instance, **kwargs):
    """Serving a page keeps the site and its root page until the next publish (home.views): a
    site or a language that changed must reach routing, and every page, at once."""
    invalidate()


def _top_page_saved(sender, instance, **kwargs):
    """HomePage.route keeps the top-level pages until the next publish: one saved without
    publishing (a page created live in code) must be found at once."""
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.depth is not None and instance.depth <= 3:
        _bump(_cache(), MEMO_GENERATION_KEY)


def connect_deletions():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Locale, Page, PageViewRestriction, Site

    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page_cache_delete")
    for model in (Site, Locale):
        post_save.connect(_routing_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_saved")
        post_delete.connect(_routing_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_gone")
    post_save.connect(_top_page_saved, dispatch_uid="page_cache_top_page_saved")
    # A page made private must stop being served from the cache at once.
    post_save.connect(_page_deleted, sender=PageViewRestriction, dispatch_uid="page_cache_restrict")
    post_delete.connect(_page_deleted, sender=PageViewRestriction, dispatch_uid="page_cache_unrestrict")


connect_deletions()
