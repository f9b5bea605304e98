"""Header navigation and the language switcher.

Apps add their own top-level links by giving their AppConfig a `nav_items(request)` method that
returns `[(label, url), ...]`: a link appears only once the feature behind it exists.
"""

from django import template
from django.apps import apps
from django.urls import translate_url
from django.utils import translation
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
    else the same URL under the other language prefix."""
    request = context["request"]
    page = context.get("page")
    translations = {}
    if isinstance(page, Page):
        for translated in page.get_translations(inclusive=True).live().select_related("locale"):
            translations[translated.locale.language_code] = translated.get_url(request)
    current = translation.get_language()
    site = Site.find_for_request(request) if isinstance(page, Page) else None
    links = []
    for locale in Locale.objects.all().order_by("pk"):
        code = locale.language_code
        url = translations.get(code)
        if url is None and site is not None:
            # This page has no translation yet: offer that language's home page instead.
            home = site.root_page.get_translation_or_none(locale)
            url = home.get_url(request) if home else None
        url = url or translate_url(request.get_full_path(), code)
        links.append(
            {"code": code, "name": locale.get_display_name(), "url": url, "current": code == current}
        )
    return {"links": links}
