"""festival.policy: the one place saying who sees and changes what, asked by the admin too."""

import pytest
from wagtail.permissions import policy_registry

from festival import policy
from festival.models import EntryState, Judge

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_the_judges_admin_asks_the_registered_policy(client, edition, people, judges):
    assert isinstance(policy_registry.get_by_type(Judge), policy.JudgePolicy)
    judge = judges["judge_x"]
    client.force_login(people["organiser"])
    assert client.get("/admin/snippets/festival/judge/").status_code == 200
    assert client.get(f"/admin/snippets/festival/judge/edit/{judge.pk}/").status_code == 200
    # Copying makes no sense for an invitation; the view is off.
    assert client.get(f"/admin/snippets/festival/judge/copy/{judge.pk}/").status_code == 404
    client.force_login(people["mentor"])  # a teacher has the admin but no festival rights
    assert client.get(f"/admin/snippets/festival/judge/edit/{judge.pk}/").status_code in (302, 403, 404)


def test_entries_are_scoped_to_the_team_the_mentor_and_organisers(edition, people):
    own = make_entry(edition, people)
    other = make_entry(edition, people, students=("s3",), mentor="mentor_b", title="校园气象站")
    assert list(policy.entries_for(people["s1"])) == [own]
    assert list(policy.entries_for(people["mentor_b"])) == [other]
    assert set(policy.entries_for(people["organiser"])) == {own, other}
    assert not policy.entries_for(people["judge_x"]).exists()
    assert not policy.entries_for(None).exists()


def test_public_entries_are_accepted_ones_of_public_editions(edition, people):
    accepted = make_entry(edition, people, state=EntryState.ACCEPTED)
    make_entry(edition, people, title="草稿作品")
    assert list(policy.public_entries()) == [accepted]
    edition.unpublish()
    assert not policy.public_entries().exists()
