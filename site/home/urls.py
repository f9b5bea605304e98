"""Wagtail's front-end URLs, with page serving that falls back to the Chinese page (home.views.serve)."""

from django.urls import re_path
from wagtail import urls as wagtail_urls

from . import views

urlpatterns = [
    re_path(pattern.pattern.regex.pattern, views.serve, name="wagtail_serve")
    if getattr(pattern, "name", None) == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]
