"""Site search. Under the second language (/en/) it searches the pages of that language and the
Chinese pages not translated yet (served under /en/ too, see home.views.serve), so Chinese and English
words are found; a page and its translation appear once, in the visitor's language."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.http import urlencode
from makerroom.core.chinese_search import snippet
from wagtail.models import Locale, Page

from .chinese import search as chinese_search

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        active = Locale.get_active()
        if active.language_code == settings.LANGUAGE_CODE:
            results = chinese_search(Page.objects.live().public().filter(locale=active).specific(), query)
        else:
            results = _in_language(active, query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "search_results": page,
            "hits": _hits(page, query) if query else [],
            "extra_query": urlencode({"q": query}),
        },
    )


def _hits(results, query):
    """Each result of this page with where it sits (its parent, or what the page type says, e.g. a
    lesson's course and level) and a snippet around the match: one query for all the parents."""
    pages = list(results)
    parent_paths = {page.path[: -page.steplen] for page in pages if page.depth > 2}
    parents = {parent.path: parent for parent in Page.objects.filter(path__in=parent_paths).specific()}
    hits = []
    for page in pages:
        parent = parents.get(page.path[: -page.steplen])
        describe = getattr(page, "search_result_context", None)
        context = describe(parent) if describe and parent is not None else getattr(parent, "title", "")
        text_of = getattr(page, "search_result_text", None)
        hits.append(
            {"page": page, "context": context, "snippet": snippet(text_of(), query) if text_of else ""}
        )
    return hits


def _in_language(active, query):
    """Matches in the active locale and in the default one, one page per translation group:
    the active locale's version where it exists."""
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    pages = Page.objects.live().public().filter(Q(locale=active) | Q(locale=default))
    found = list(chinese_search(pages, query))
    keys = {page.translation_key for page in found}
    translated = {
        page.translation_key: page
        for page in Page.objects.live().public().filter(locale=active, translation_key__in=keys)
    }
    results, seen = [], set()
    for page in found:
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        results.append(translated.get(page.translation_key, page).specific)
    return results
