"""Header navigation and the language switcher.

Apps add their own top-level links by giving their AppConfig a `nav_items(request)` method that
returns `[(label, url), ...]`: a link appears only once the feature behind it exists.
"""

from django import template
from django.apps import apps
from django.urls import translate_url
from django.utils import translation
from makerroom.core.page_cache import memoize
from wagtail.models import Locale, Page, Site

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    items = []
    for config in apps.get_app_configs():
        nav_items = getattr(config, "nav_items", None)
        if nav_items is not None:
            items.extend(nav_items(request))
    path = request.path
    return {"request": request, "nav_items": [(label, url, path.startswith(url)) for label, url in items]}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language: a page's own translation when it has one,
    else that language's home page, else the same URL under the other language prefix."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    page_urls = _page_urls(request, page) if isinstance(page, Page) and page.pk else {}
    links = []
    for code, name in memoize("locales", _locales):
        url = page_urls.get(code) or translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links}


def _locales():
    return [(locale.language_code, locale.get_display_name()) for locale in Locale.objects.order_by("pk")]


def _page_urls(request, page):
    """{language code: URL} of this page's translations, or of the home page where it has none.
    Kept until the next publish, so the header of a page costs no query."""
    site = Site.find_for_request(request)

    def compute():
        urls = {
            translated.locale.language_code: translated.get_url(request)
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
        if site is not None:
            for home in site.root_page.get_translations(inclusive=True).live().select_related("locale"):
                urls.setdefault(home.locale.language_code, home.get_url(request))
        return urls

    return memoize(f"language-links:{site.pk if site else 0}:{page.pk}", compute)
