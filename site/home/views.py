"""Serving pages in the second language when they have no translation yet.

Chinese is the site's language; English pages exist only where someone translated them. Under /en/:

* a page that has an English translation is served as Wagtail serves it;
* a page that has none is the Chinese page, with the interface in English and a note saying so
  (`request.untranslated_page`, read by base.html), never a 404;
* every link of the served page stays under /en/ (`keep_language`): a Chinese page's own links and
  the links an English page makes to untranslated Chinese pages.
"""

import re

from django.conf import settings
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from makerroom.core.page_cache import memoize
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Site

# Paths outside the language prefixes (i18n_patterns in makerroom.urls) and files.
UNPREFIXED = ("/admin/", "/django-admin/", "/documents/", "/api/", "/i18n/", "/static/", "/media/", "/_util/")
LINK = re.compile(r"<a\s[^>]*>", re.S)
HREF = re.compile(r'(\shref=")(/[^"/][^"]*|/)(")')


def serve(request, path):
    """Wagtail's serve, falling back to the default-language page of the same path."""
    language = translation.get_language()
    default = settings.LANGUAGE_CODE
    _route_for_request(request, path)
    try:
        response = wagtail_views.serve(request, path)
    except Http404:
        if language == default:
            raise
        response = _serve_untranslated(request, path)
    if language != default:
        response = keep_language(response, language)
    return response


def _site_for_request(request):
    """Wagtail's Site.find_for_request, with the site for this host and port kept until the next
    publish or site change (makerroom.core.page_cache) instead of asked for on every request."""
    if not hasattr(request, "_wagtail_site"):
        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = memoize(f"site:{hostname}:{port}", lambda: Site.find_for_request(request))
    return request._wagtail_site


def _site_root(site, language):
    """The site's root page in this language, as its specific type (kept until the next publish)."""
    return memoize(f"site-root:{site.pk}:{language}", lambda: site.root_page.localized.specific)


def _route_for_request(request, path):
    """What Wagtail's Page.route_for_request finds, without the three queries for the site, the
    active locale and the root page's own type on every request; the result goes where Wagtail
    keeps it for the request (request._wagtail_route_for_request), so Wagtail's serve uses it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = _site_for_request(request)
    route = None
    if site is not None:
        try:
            route = _site_root(site, translation.get_language()).route(
                request, [component for component in path.split("/") if component]
            )
        except Http404:
            pass
    request._wagtail_route_for_request = route


def _serve_untranslated(request, path):
    site = _site_for_request(request)
    if site is None:
        raise Http404
    root = memoize(f"site-root-page:{site.pk}", lambda: site.root_page.specific)
    page, args, kwargs = root.route(request, [part for part in path.split("/") if part])
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if result is not None and hasattr(result, "status_code"):
            return result
    request.untranslated_page = page
    return page.serve(request, *args, **kwargs)


def keep_language(response, language):
    """Prefix the page's own-site links with the language (`/courses/x/` -> `/en/courses/x/`).

    Links that name a language (the switcher's, with hreflang) and paths outside the language
    prefixes are left alone."""
    if response.streaming or "text/html" not in response.get("Content-Type", ""):
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    prefix = f"/{language}/"

    def fix_href(match):
        url = match.group(2)
        if (
            url.startswith((prefix, "//"))
            or url.startswith(UNPREFIXED)
            or url.rstrip("/") == prefix.rstrip("/")
        ):
            return match.group(0)
        return f"{match.group(1)}{prefix}{url[1:]}{match.group(3)}"

    def fix_link(match):
        tag = match.group(0)
        return tag if "hreflang=" in tag else HREF.sub(fix_href, tag)

    charset = response.charset or "utf-8"
    response.content = LINK.sub(fix_link, response.content.decode(charset)).encode(charset)
    return response
