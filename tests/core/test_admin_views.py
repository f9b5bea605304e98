"""The policy-checked snippet views of the core, as every app's viewsets use them."""

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db


def test_a_chooser_without_a_creation_form_has_no_create_url():
    """Wagtail registers a chooser's create URL even without a form; a POST to it crashed."""
    with pytest.raises(NoReverseMatch):
        reverse("wagtailsnippetchoosers_kits_grant:create")


def test_a_chooser_with_a_creation_form_keeps_it():
    assert reverse("wagtailsnippetchoosers_festival_judge:create")


def test_copy_urls_are_gone_for_our_snippets():
    for name in ("wagtailsnippets_kits_grant:copy", "wagtailsnippets_kits_purchase:copy"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
