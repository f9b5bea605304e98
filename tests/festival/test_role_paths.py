"""Issue 16, festival paths: "我的创客节" offers registration only to those who may register, and a
judge's list puts the pending entries of the current edition first, with finished editions apart
and entries that can no longer be scored shown read-only."""

import pytest
from django.urls import reverse

from festival import judging
from festival.models import Assignment, EntryState, Judge

from .conftest import build_edition, make_entry

pytestmark = pytest.mark.django_db


def _create_links(client, user, edition):
    client.force_login(user)
    html = client.get(reverse("festival:my_entries")).content.decode()
    return reverse("festival:entry_create", args=[edition.pk]) in html


def test_my_festival_offers_registration_to_students_only(client, edition, people):
    assert _create_links(client, people["s1"], edition)
    for who in ("mentor", "judge_x", "organiser"):
        assert not _create_links(client, people[who], edition), who


def test_a_judge_sees_pending_entries_of_the_current_edition_first(
    client, home_page, edition, people, judges
):
    judge = people["judge_y"]
    first = make_entry(edition, people, title="智能花盆", state=EntryState.ACCEPTED)
    second = make_entry(edition, people, title="校园气象站", state=EntryState.ACCEPTED)
    for entry in (first, second):
        Assignment.objects.get_or_create(entry=entry, judge=judges["judge_y"])
    scored = Assignment.objects.get(entry=first, judge__user=judge)
    criteria = {str(c.pk): "8" for c in edition.criteria.all()}
    judging.save_score(scored, criteria, user=judge)

    # Last year's edition, results published: its entries are finished and locked.
    old = build_edition(home_page, slug="2025")
    old_entry = make_entry(old, people, title="去年的作品", state=EntryState.ACCEPTED)
    old.results_published = True
    old.save(update_fields=["results_published"])
    Assignment.objects.create(entry=old_entry, judge=Judge.objects.create(edition=old, user=judge))

    client.force_login(judge)
    html = client.get(reverse("festival:judge_home")).content.decode()
    pending, done, finished = html.index("校园气象站"), html.index("智能花盆"), html.index("去年的作品")
    assert pending < done < finished
    finished_section = html[html.index('data-section="finished"') :]
    assert "去年的作品" in finished_section and "校园气象站" not in finished_section
    assert "已锁定" in finished_section or "Locked" in finished_section

    # The locked entry opens read-only: no form to save, and saying so.
    locked = Assignment.objects.get(entry=old_entry)
    page = client.get(reverse("festival:score", args=[locked.pk])).content.decode()
    assert "sticky-save" not in page and '<fieldset class="plain" disabled>' in page
