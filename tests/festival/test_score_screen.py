"""The judge's scoring screen (issue 16): a criterion not touched yet says so ("未评分"), and a score
of 0 shows as 0, not as missing."""

import pytest
from django.urls import reverse
from django.utils import translation

from festival import judging
from festival.models import Assignment, EntryState

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_untouched_criteria_say_not_scored(client, edition, people, judges):
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    judging.compute_assignment(edition)
    assignment = Assignment.objects.filter(entry=entry).select_related("judge__user").first()
    first, second = edition.criteria.all()
    judging.save_score(assignment, {str(first.pk): 0}, user=assignment.judge.user)
    client.force_login(assignment.judge.user)
    with translation.override("zh-hans"):
        url = reverse("festival:score", args=[assignment.pk])
    html = client.get(url).content.decode()
    assert f'<output id="o{second.pk}">未评分</output>' in html
    assert f'<output id="o{first.pk}">0.0</output>' in html
