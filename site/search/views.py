from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from wagtail.models import Locale, Page

from .chinese import search as chinese_search

RESULTS_PER_PAGE = 10


def search(request):
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = chinese_search(pages, query)
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
        {"search_query": query, "search_results": page, "extra_query": urlencode({"q": query})},
    )
