from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from festival import policy, services
from festival.models import EntryEvent, EntryState

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_workflow_draft_to_accepted_leaves_history(edition, people):
    entry = make_entry(edition, people)
    assert entry.state == EntryState.DRAFT
    services.transition(entry, "submit", user=people["s2"])
    services.transition(entry, "return", user=people["mentor"], comment="请补充制作过程")
    entry.refresh_from_db()
    assert entry.state == EntryState.RETURNED
    services.transition(entry, "submit", user=people["s1"])
    services.transition(entry, "approve", user=people["mentor"])
    services.transition(entry, "accept", user=people["organiser"])
    entry.refresh_from_db()
    assert entry.state == EntryState.ACCEPTED
    history = list(EntryEvent.objects.filter(entry=entry).values_list("to_state", "comment"))
    assert history == [
        ("draft", ""),
        ("submitted", ""),
        ("returned", "请补充制作过程"),
        ("submitted", ""),
        ("entered", ""),
        ("accepted", ""),
    ]


def test_only_the_right_person_moves_an_entry(edition, people):
    entry = make_entry(edition, people)
    with pytest.raises(PermissionDenied):
        services.transition(entry, "submit", user=people["s3"])  # another team
    with pytest.raises(PermissionDenied):
        services.transition(entry, "submit", user=people["mentor"])  # the team submits, not the mentor
    services.transition(entry, "submit", user=people["s1"])
    with pytest.raises(PermissionDenied):
        services.transition(entry, "approve", user=people["mentor_b"])  # not their mentor
    with pytest.raises(PermissionDenied):
        services.transition(entry, "accept", user=people["mentor"])
    with pytest.raises(ValidationError, match="reason"):
        services.transition(entry, "return", user=people["mentor"], comment="  ")


def test_submit_needs_a_photo(edition, people):
    entry = make_entry(edition, people, photo=False)
    with pytest.raises(ValidationError, match="photo"):
        services.transition(entry, "submit", user=people["s1"])


def test_deadline_stops_team_and_mentor_but_not_organisers(edition, people):
    entry = make_entry(edition, people)
    services.transition(entry, "submit", user=people["s1"])
    after = edition.registration_closes + timedelta(seconds=1)
    before = edition.registration_closes - timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closed"):
        services.transition(entry, "approve", user=people["mentor"], now=after)
    services.transition(entry, "return", user=people["mentor"], comment="再改改", now=before)
    entry.refresh_from_db()
    assert policy.may_change_entry(people["s1"], entry, now=before)
    assert not policy.may_change_entry(people["s1"], entry, now=after)
    with pytest.raises(PermissionDenied, match="closed"):
        services.update_entry(entry, user=people["s1"], title="新标题", now=after)
    with pytest.raises(ValidationError, match="closed"):
        services.transition(entry, "submit", user=people["s1"], now=after)
    services.update_entry(entry, user=people["organiser"], title="组织者修改", now=after)
    entry.refresh_from_db()
    assert entry.title == "组织者修改"


def test_registration_closed_refuses_new_entries(edition, people):
    edition.registration_closes = timezone.now() - timedelta(minutes=1)
    edition.save()
    with pytest.raises(ValidationError, match="closed"):
        make_entry(edition, people)


def test_team_rules(edition, people):
    with pytest.raises(ValidationError, match="same school"):
        make_entry(edition, people, students=("s1", "s3"))
    with pytest.raises(ValidationError, match="teach at the team"):
        make_entry(edition, people, mentor="mentor_b")
    with pytest.raises(ValidationError, match="not a student"):
        make_entry(edition, people, students=("s1", "judge_a"))


def test_age_group_checked_against_the_school_stage_until_grades_are_known(edition, people):
    with pytest.raises(ValidationError, match="宝安中学|school stage|小华"):
        services.create_entry(
            edition=edition,
            user=people["senior"],
            students=[people["senior"]],
            mentor=people["mentor"],
            title="机械臂",
            category=edition.categories.first(),
            age_group=edition.age_groups.get(name="初中"),
            description="三自由度机械臂",
        )


def test_team_cannot_edit_after_submitting_and_state_is_shown(edition, people):
    entry = make_entry(edition, people)
    services.transition(entry, "submit", user=people["s1"])
    entry.refresh_from_db()
    with pytest.raises(PermissionDenied, match="no longer"):
        services.update_entry(entry, user=people["s1"], title="x")
    assert services.allowed_actions(people["mentor"], entry) == ["approve", "return"]
    assert services.allowed_actions(people["s1"], entry) == []


def test_disqualify_needs_reason_and_clears_award(edition, people):
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    entry.award = edition.award_levels.first()
    entry.save()
    services.transition(entry, "disqualify", user=people["organiser"], comment="作品为购买成品")
    entry.refresh_from_db()
    assert entry.state == EntryState.DISQUALIFIED and entry.award is None
    assert entry.events.last().comment == "作品为购买成品"


def test_registration_not_yet_open_refuses_new_entries_but_not_organisers(edition, people):
    edition.registration_opens = timezone.now() + timedelta(days=1)
    edition.save()
    with pytest.raises(ValidationError, match="not opened yet"):
        make_entry(edition, people, photo=False)
    entry = services.create_entry(
        edition=edition,
        user=people["organiser"],
        students=[people["s1"]],
        mentor=people["mentor"],
        title="组织者代报",
        category=edition.categories.first(),
        age_group=edition.age_groups.get(name="初中"),
        description="由组织者代为登记。",
    )
    assert entry.state == EntryState.DRAFT


def test_only_students_with_a_school_register(people):
    assert policy.registrant_refusal(people["s1"]) is None
    assert policy.registrant_refusal(people["mentor"]) == "Only student accounts register entries."
    assert policy.registrant_refusal(people["organiser"]) == "Only student accounts register entries."
    people["s1"].school = None
    assert policy.registrant_refusal(people["s1"]) == "Your account has no school."
