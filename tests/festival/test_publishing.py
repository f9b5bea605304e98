"""Publishing results (issue 11): only after judging has closed or by an override that names what it
skips, asked for confirmation, withdrawable, closing registration; cached pages follow at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from festival import judging, policy, services
from festival.models import Assignment, EntryState, FestivalEditionPage

from .conftest import make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(edition, people, judges):
    """Two accepted entries, every assignment scored, awards proposed; judging still running."""
    first = make_entry(edition, people, state=EntryState.ACCEPTED)
    second = make_entry(
        edition, people, title="校园气象站", students=("s3",), mentor="mentor_b", state=EntryState.ACCEPTED
    )
    judging.compute_assignment(edition)
    criteria = list(edition.criteria.all())
    for n, a in enumerate(Assignment.objects.filter(entry__edition=edition).select_related("judge__user")):
        judging.save_score(a, {str(c.pk): 5 + n % 3 for c in criteria}, user=a.judge.user)
    judging.propose_awards(edition, user=people["organiser"])
    return first, second


def _end_judging(edition, days_ago=1):
    FestivalEditionPage.objects.filter(pk=edition.pk).update(
        judging_ends=timezone.localdate() - timedelta(days=days_ago)
    )
    edition.refresh_from_db()


def test_results_cannot_be_published_while_judging_runs(edition, people, judged):
    organiser = people["organiser"]
    edition.judging_ends = timezone.localdate() + timedelta(days=2)
    FestivalEditionPage.objects.filter(pk=edition.pk).update(judging_ends=edition.judging_ends)
    with pytest.raises(ValidationError) as refused:
        judging.publish_results(edition, user=organiser)
    assert "Judging runs until" in " ".join(refused.value.messages)
    edition.refresh_from_db()
    assert not edition.results_published and edition.results_published_at is None


def test_missing_scores_block_publishing_and_the_override_says_what_it_skips(edition, people, judged):
    organiser = people["organiser"]
    _end_judging(edition)
    Assignment.objects.filter(pk=Assignment.objects.first().pk).update(total=None, scores={})
    blockers = judging.publish_blockers(edition)
    assert blockers == ["1 of 6 scores are missing."]
    with pytest.raises(ValidationError, match="scores are missing"):
        judging.publish_results(edition, user=organiser)
    skipped = judging.publish_results(edition, user=organiser, override=True)
    assert skipped == blockers
    edition.refresh_from_db()
    assert edition.results_published


def test_after_judging_closed_publishing_needs_no_override(edition, people, judged):
    _end_judging(edition)
    assert judging.publish_blockers(edition) == []
    assert judging.publish_results(edition, user=people["organiser"]) == []
    edition.refresh_from_db()
    assert edition.results_published


def test_publishing_closes_registration_and_withdrawing_keeps_it_closed(edition, people, judged):
    organiser = people["organiser"]
    assert edition.registration_open
    moment = timezone.now()
    judging.publish_results(edition, user=organiser, override=True, now=moment)
    edition.refresh_from_db()
    assert edition.results_published_at == moment and edition.registration_closed_at == moment
    assert not edition.registration_open
    assert policy.deadline_passed(edition)
    with pytest.raises(ValidationError, match="Registration closed"):
        services.create_entry(
            edition=edition,
            user=people["s1"],
            students=[people["s1"]],
            mentor=people["mentor"],
            title="迟到的作品",
            category=edition.categories.first(),
            age_group=edition.age_groups.get(name="初中"),
            description="……",
        )

    with pytest.raises(ValidationError, match="reason"):
        judging.withdraw_results(edition, user=organiser, reason=" ")
    judging.withdraw_results(edition, user=organiser, reason="二等奖名额算错了")
    edition.refresh_from_db()
    assert not edition.results_published and edition.results_published_at is None
    assert not edition.registration_open  # withdrawing does not reopen registration
    # Awards can be corrected again, then published again.
    judging.propose_awards(edition, user=organiser)
    judging.publish_results(edition, user=organiser, override=True)


def test_only_organisers_withdraw(edition, people, judged):
    from django.core.exceptions import PermissionDenied

    judging.publish_results(edition, user=people["organiser"], override=True)
    with pytest.raises(PermissionDenied):
        judging.withdraw_results(edition, user=people["mentor"], reason="不对")


def test_editing_the_page_later_does_not_unpublish_the_results(edition, people, judged):
    """Results are not page content: publishing a page revision made before keeps them."""
    judging.publish_results(edition, user=people["organiser"], override=True)
    page = FestivalEditionPage.objects.get(pk=edition.pk).get_latest_revision_as_object()
    page.venue = "深圳会展中心 2 号馆"
    page.save_revision().publish()
    edition.refresh_from_db()
    assert edition.venue == "深圳会展中心 2 号馆"
    assert edition.results_published and edition.results_published_at and edition.registration_closed_at


def test_a_copy_of_a_published_edition_starts_unpublished(edition, people, judged):
    judging.publish_results(edition, user=people["organiser"], override=True)
    copy = edition.copy(update_attrs={"slug": "2027", "title": "2027 深圳学生创客节", "year": 2027})
    copy = FestivalEditionPage.objects.get(pk=copy.pk)
    assert not copy.results_published and copy.results_published_at is None
    assert copy.registration_closed_at is None


def test_publish_asks_for_confirmation_and_names_the_skipped_checks(client, edition, people, judged):
    organiser = people["organiser"]
    client.force_login(organiser)
    results = reverse("festival:results", args=[edition.pk])
    confirm = reverse("festival:publish_results", args=[edition.pk])
    # The old one-click button now leads to the confirmation page.
    assert client.post(results, {"publish": "1"})["Location"] == confirm
    page = client.get(confirm).content.decode()
    assert "Judging runs until" in page or "评审截止" in page
    assert 'name="override"' in page
    # Confirming without the override while checks fail publishes nothing.
    response = client.post(confirm, {"confirm": "1"})
    assert response.status_code == 200
    edition.refresh_from_db()
    assert not edition.results_published
    client.post(confirm, {"confirm": "1", "override": "1"})
    edition.refresh_from_db()
    assert edition.results_published
    withdraw = reverse("festival:withdraw_results", args=[edition.pk])
    client.post(withdraw, {"reason": "名单有误"})
    edition.refresh_from_db()
    assert not edition.results_published
    client.force_login(people["mentor"])
    assert client.get(confirm).status_code == 403
    assert client.post(withdraw, {"reason": "x"}).status_code == 403


# --- the page cache follows at once ------------------------------------------------------------


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_cached_edition_page_shows_published_awards_at_once(
    client, edition, people, judged, django_capture_on_commit_callbacks
):
    first, _second = judged
    url = edition.url
    _get(client, url)
    cached = _get(client, url)
    assert cached["X-Page-Cache"] == "hit"
    assert "一等奖</span>" not in cached.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        judging.publish_results(edition, user=people["organiser"], override=True)
    fresh = _get(client, url)
    assert fresh.get("X-Page-Cache") != "hit"
    assert "一等奖</span>" in fresh.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        judging.withdraw_results(edition, user=people["organiser"], reason="重新核对")
    assert "一等奖</span>" not in _get(client, url).content.decode()


def test_cached_edition_page_drops_a_disqualified_entry_at_once(
    client, edition, people, judged, django_capture_on_commit_callbacks
):
    first, _second = judged
    url = edition.url
    _get(client, url)
    assert first.title in _get(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(first, "disqualify", user=people["organiser"], comment="抄袭")
    assert first.title not in _get(client, url).content.decode()
    assert first.title not in _get(client, reverse("festival:gallery")).content.decode()


def test_cached_edition_page_follows_a_consent_change_at_once(
    client, edition, people, django_capture_on_commit_callbacks
):
    from .conftest import png_upload

    entry = make_entry(edition, people, photo=False)
    photo = services.add_photo(entry, png_upload(), user=people["s1"], alt_text="团队合影", shows_people=True)
    services.transition(entry, "submit", user=people["s1"])
    services.transition(entry, "approve", user=people["mentor"])
    services.transition(entry, "accept", user=people["organiser"])
    entry.members.exclude(student=people["s2"]).update(guardian_consent=True)
    photo_url = f"/judging/photos/{photo.pk}/"  # as the Chinese edition page links it
    url = edition.url
    _get(client, url)
    assert photo_url not in _get(client, url).content.decode()  # 小雨's guardian has not agreed
    member = entry.members.get(student=people["s2"])
    with django_capture_on_commit_callbacks(execute=True):
        services.set_consent(member, True, user=people["mentor"])
    assert photo_url in _get(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.set_consent(member, False, user=people["mentor"])
    assert photo_url not in _get(client, url).content.decode()
    assert client.get(photo_url).status_code == 404
