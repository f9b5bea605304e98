"""The public gallery: accepted entries only, display names only, consented photos only, and the
same number of SQL queries whatever the number of entries."""

import pytest
from django.urls import reverse

from festival import services
from festival.models import Entry, EntryPhoto, EntryState, TeamMember

from .conftest import make_entry, png_upload

pytestmark = pytest.mark.django_db


def _clone_accepted(entry, count):
    """Copies of an accepted entry (with its team and photos), made directly: only the gallery is measured."""
    members = list(entry.members.all())
    photos = list(entry.photos.all())
    for n in range(count):
        copy = Entry.objects.create(
            edition=entry.edition,
            title=f"{entry.title}{n}",
            category=entry.category,
            age_group=entry.age_group,
            school=entry.school,
            mentor=entry.mentor,
            description=entry.description,
            state=EntryState.ACCEPTED,
        )
        TeamMember.objects.bulk_create(
            TeamMember(entry=copy, student=m.student, guardian_consent=n % 2 == 0, position=m.position)
            for m in members
        )
        EntryPhoto.objects.bulk_create(
            EntryPhoto(
                entry=copy,
                image=p.image.name,
                width=p.width,
                height=p.height,
                alt_text=p.alt_text,
                shows_people=p.shows_people,
            )
            for p in photos
        )


@pytest.fixture
def accepted(edition, people):
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    services.add_photo(entry, png_upload(), user=people["organiser"], alt_text="团队合影", shows_people=True)
    return entry


def _count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params)  # warm per-process caches (site root, locales)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_gallery_queries_constant_at_two_sizes(client, accepted):
    url = reverse("festival:gallery")
    _clone_accepted(accepted, 30)
    small, _html = _count_queries(client, url, {"page": 2})
    _clone_accepted(accepted, 120)
    large, html = _count_queries(client, url, {"page": 2})
    assert small == large
    assert html.count('class="card entry-card"') == 24


def test_edition_page_gallery_queries_constant(client, accepted):
    url = accepted.edition.url
    _clone_accepted(accepted, 30)
    small, _ = _count_queries(client, url, {})
    _clone_accepted(accepted, 90)
    large, _ = _count_queries(client, url, {})
    assert small == large


def test_no_full_names_and_only_consented_photos(client, accepted, people):
    people["s1"].first_name, people["s1"].last_name = "林", "小林真名"
    people["s1"].save()
    html = client.get(reverse("festival:gallery_entry", args=[accepted.pk])).content.decode()
    assert "小林" in html and "小雨" in html and "小林真名" not in html and "建国" not in html
    people_photo = accepted.photos.get(shows_people=True)
    plain = accepted.photos.get(shows_people=False)
    assert reverse("festival:photo", args=[plain.pk]) in html
    assert reverse("festival:photo", args=[people_photo.pk]) not in html  # no guardian consent yet
    accepted.members.update(guardian_consent=True)
    html = client.get(reverse("festival:gallery_entry", args=[accepted.pk])).content.decode()
    assert reverse("festival:photo", args=[people_photo.pk]) in html


def test_award_shown_only_once_published(client, accepted, people):
    from festival import judging

    judging.set_award(accepted, accepted.edition.award_levels.get(name="一等奖"), user=people["organiser"])
    url = reverse("festival:gallery_entry", args=[accepted.pk])
    assert "一等奖" not in client.get(url).content.decode()
    assert "智能浇花器" not in client.get(reverse("festival:gallery"), {"award": "一等奖"}).content.decode()
    judging.publish_results(accepted.edition, user=people["organiser"], override=True)
    assert "一等奖" in client.get(url).content.decode()
    html = client.get(reverse("festival:gallery"), {"award": "一等奖"}).content.decode()
    assert "智能浇花器" in html


def test_unpublished_awards_do_not_order_the_gallery(client, edition, people):
    """Before publication the gallery order must not give away who is winning."""
    from festival import judging

    first = make_entry(edition, people, title="甲作品", state=EntryState.ACCEPTED)
    second = make_entry(edition, people, title="乙作品", state=EntryState.ACCEPTED)
    judging.set_award(second, edition.award_levels.get(name="一等奖"), user=people["organiser"])

    def order():
        cards = client.get(reverse("festival:gallery")).context["cards"]
        return [card["entry"].title for card in cards]

    assert order() == ["甲作品", "乙作品"]  # registration order
    judging.publish_results(edition, user=people["organiser"], override=True)
    assert order() == ["乙作品", "甲作品"]  # award winners first once published
    assert first.pk < second.pk


def test_category_and_age_group_filters(client, edition, people):
    robot = edition.categories.get(name="机器人")
    hardware = make_entry(edition, people, title="智能浇花器", state=EntryState.ACCEPTED)
    arm = make_entry(edition, people, title="机械臂", state=EntryState.ACCEPTED)
    senior = make_entry(edition, people, title="高中作品", state=EntryState.ACCEPTED)
    Entry.objects.filter(pk=arm.pk).update(category=robot)
    Entry.objects.filter(pk=senior.pk).update(age_group=edition.age_groups.get(name="高中"))

    def titles(**params):
        cards = client.get(reverse("festival:gallery"), params).context["cards"]
        return sorted(card["entry"].title for card in cards)

    assert titles() == sorted(["智能浇花器", "机械臂", "高中作品"])
    assert titles(category="机器人") == ["机械臂"]
    assert titles(category="智能硬件") == sorted(["智能浇花器", "高中作品"])
    assert titles(age="高中") == ["高中作品"]
    assert titles(age="初中", category="智能硬件") == [hardware.title]
    assert titles(edition=edition.pk, category="机器人", age="初中") == ["机械臂"]
    assert titles(edition=edition.pk + 1000) == []
