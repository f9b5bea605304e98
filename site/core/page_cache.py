# pyright: reportAttributeAccessIssue=false, reportOptionalCall=false
# (a page mixin and Wagtail's untyped hooks decorator)
"""A shared cache of whole Wagtail pages for anonymous visitors, invalidated on every publish.

Anonymous GET requests without a query string are answered from the cache; everyone who is logged
in, and every request carrying messages or a query string, gets a freshly rendered page and never
fills the cache. A response that set a cookie or used a CSRF token is never stored.

Invalidation is by generation: every key includes a counter that publishing, unpublishing, moving or
deleting any page increments, so listings, menus, previous/next links and home sections that show
other pages are never stale. The counter lives in the cache itself, so with a shared cache (Redis)
every worker sees it; with the per-process LocMemCache it only holds within one process (dev, tests).

Two halves: an `on_serve_page` hook renders and stores a page after Wagtail has routed it and
checked its view restrictions (so only pages anonymous visitors may see are stored), and
`PageCacheMiddleware` answers later requests for a stored URL before any routing, without touching
the database.

The contract for services: a service that changes what a cached page shows (festival results,
a disqualified entry, a photo's consent, a course listing) calls `content_changed(sender, instance)`
after its transaction commits. Pages themselves need not: Wagtail's page signals are connected.

Settings: PAGE_CACHE_SECONDS (default 600; 0 turns the cache off), PAGE_CACHE_ALIAS ("default").
"""

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"


def timeout():
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def invalidate(**kwargs):
    """Forget every cached page (a new generation). Connected to the page signals; apps whose data
    appears on pages may call it too."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value makes old keys unreachable
        cache.set(GENERATION_KEY, 2, timeout=None)


# Sent (with `instance`, the changed object) when something cached pages show has changed.
changed = Signal()


def content_changed(sender, instance=None):
    """Services call this when they change what a public page shows; fires after the commit, so a
    page rendered in between cannot put the old state back into the cache."""
    transaction.on_commit(lambda: changed.send(sender=sender, instance=instance))


changed.connect(lambda sender, **kwargs: invalidate(), dispatch_uid="page_cache_content_changed", weak=False)


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
    return response


def memoize(name, compute):
    """A value derived from published pages (e.g. a menu link), kept until the next publish."""
    cache = _cache()
    memo_seconds = getattr(settings, "PAGE_CACHE_MEMO_SECONDS", 3600)  # also when whole pages are not cached
    return cache.get_or_set(f"pagecache:{_generation(cache)}:memo:{name}", compute, memo_seconds)


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
        return self.get_response(request)


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
            response[HEADER] = "miss"
        return response

    return serve_cached


for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
    signal.connect(invalidate, dispatch_uid=f"page_cache_{signal}")


def _page_deleted(sender, instance, **kwargs):
    invalidate()


def connect_deletions():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, PageViewRestriction

    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="page_cache_delete")
    # A page made private must stop being served from the cache at once.
    post_save.connect(_page_deleted, sender=PageViewRestriction, dispatch_uid="page_cache_restrict")
    post_delete.connect(_page_deleted, sender=PageViewRestriction, dispatch_uid="page_cache_unrestrict")


connect_deletions()
