"""Header navigation, each role's start page and the language switcher.

Apps add their own top-level links by giving their AppConfig a `nav_items(request)` method that
returns `[(label, url), ...]`: a link appears only once the feature behind it exists.

The links to a role's *work* (管理后台, 评审, 我的创客节) and the page a role lands on after login
are decided here from the user's roles (makerroom.core.roles): the site knows the role codes, not
the apps' models. When an app's policy.py offers "may this user use X", `work_links` and
`start_page` are the two functions to make ask it.
"""

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import pgettext
from makerroom.core.page_cache import memoize
from makerroom.core.policy import is_superuser
from makerroom.core.roles import Role, has_role
from wagtail.models import Locale, Page, Site

register = template.Library()

# Roles whose work is in the Wagtail admin (pages, courses, grants, festival setup).
ADMIN_ROLES = (Role.TEACHER, Role.REVIEWER, Role.LAB_STAFF, Role.ORGANISER, Role.CITY_COORDINATOR)

# Where each role starts after login, first match wins (a lab staff member who also teaches starts on
# the grant dashboard). Students start on 我的课程, never on the generic home page.
START_PAGES = (
    (Role.CITY_COORDINATOR, "kits_admin:city_report"),
    (Role.LAB_STAFF, "kits_admin:dashboard"),
    (Role.ORGANISER, "festival:my_entries"),
    (Role.REVIEWER, "wagtailadmin_home"),
    (Role.TEACHER, "classes:class_list"),
    (Role.JUDGE, "festival:judge_home"),
    (Role.STUDENT, "classes:my_courses"),
)


def _url(name):
    """The URL of a view in the current language, or "" when the app is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def uses_admin(user):
    """Teachers, reviewers, lab staff, organisers, coordinators (and superusers) work in the admin."""
    return is_superuser(user) or any(has_role(user, role) for role in ADMIN_ROLES)


def judges(user):
    return has_role(user, Role.JUDGE)


def takes_part_in_festival(user):
    """Students enter the festival; teachers mentor entries: both follow theirs on 我的创客节."""
    return has_role(user, Role.STUDENT) or has_role(user, Role.TEACHER)


def work_links(user):
    """[(label, url)] the header offers to a logged-in user for their roles' work."""
    links = []
    if takes_part_in_festival(user):
        links.append((pgettext("site header", "My festival"), _url("festival:my_entries")))
    if judges(user):
        links.append((pgettext("site header", "Judging"), _url("festival:judge_home")))
    if uses_admin(user):
        links.append((pgettext("site header", "Admin"), _url("wagtailadmin_home")))
    return [(label, url) for label, url in links if url]


def start_page(user):
    """The URL a user lands on after login: their role's own start page (the home page if none)."""
    if is_superuser(user):
        return _url("wagtailadmin_home") or "/"
    for role, name in START_PAGES:
        if has_role(user, role) and (url := _url(name)):
            return url
    return home_url()


def home_url():
    """The home page in the current language ("/" or "/en/")."""
    return reverse("wagtail_serve", args=[""])


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    items = []
    for config in apps.get_app_configs():
        nav_items = getattr(config, "nav_items", None)
        if nav_items is not None:
            items.extend(nav_items(request) or _untranslated_nav_items(nav_items, request))
    user = getattr(request, "user", None)
    work = work_links(user) if user is not None and user.is_authenticated else []
    path = request.path
    return {
        "request": request,
        "nav_items": [(label, url, path.startswith(url)) for label, url in items],
        "work_links": [(label, url, path.startswith(url)) for label, url in work],
        # Logging in from the home page lands on the role's start page, not back on the home page.
        "login_next": "" if path == home_url() else request.get_full_path(),
    }


def _untranslated_nav_items(nav_items, request):
    """An app's links in the default language, kept under the current language's prefix: the English
    header links to /en/courses/ even before the course index is translated (home.views.serve)."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        return [(label, translate_url(url, language)) for label, url in nav_items(request)]


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in each language: a page's own translation when it has one, else the same
    URL under the other language's prefix (an untranslated page is served there in the default
    language, see home.views.serve)."""
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
    """{language code: URL} of this page's translations. Kept until the next publish, so the header
    of a page costs no query."""
    site = Site.find_for_request(request)

    def compute():
        return {
            translated.locale.language_code: translated.get_url(request)
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }

    return memoize(f"language-links:{site.pk if site else 0}:{page.pk}", compute)


@register.simple_tag(takes_context=True)
def start_page_url(context):
    """{% start_page_url as url %}: where the logged-in user's work starts (error pages link to it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return start_page(user) if user is not None and user.is_authenticated else ""


@register.simple_tag
def home_page_url():
    return home_url()


@register.simple_tag(takes_context=True)
def url_in_language(context, page):
    """{% url_in_language page %}: the page's URL under the current language's prefix, also for a page
    not translated into it (served there in the default language, see home.views.serve)."""
    url = page.get_url(context.get("request"))
    language = translation.get_language()
    if not url or page.locale.language_code == language:
        return url
    with translation.override(page.locale.language_code):
        return translate_url(url, language)
