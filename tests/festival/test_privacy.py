"""Minors' data on public pages (issue 11): photo consent fails closed, organisers see what is held
back and why, no username is ever shown, and certificates carry the date results were published."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from festival import judging, policy, presenters, services
from festival.forms import PhotoForm
from festival.models import EntryPhoto, EntryState

from .conftest import make_entry, png_upload

pytestmark = pytest.mark.django_db


def test_people_can_be_recognised_starts_ticked():
    assert PhotoForm().fields["shows_people"].initial is True
    assert "checked" in str(PhotoForm()["shows_people"])
    assert EntryPhoto._meta.get_field("shows_people").default is True


def test_a_photo_of_people_is_public_only_when_every_member_consented(edition, people):
    entry = make_entry(edition, people, photo=False, state=None)
    photo = services.add_photo(entry, png_upload(), user=people["s1"], alt_text="合影", shows_people=True)
    members = list(entry.members.select_related("student"))
    assert policy.photo_hold_reason(photo, members) == (
        "It shows people, and no guardian consent is recorded for: 小林、小雨."
    )
    entry.members.filter(student=people["s1"]).update(guardian_consent=True)
    members = list(entry.members.select_related("student"))
    assert policy.photo_hold_reason(photo, members) == (
        "It shows people, and no guardian consent is recorded for: 小雨."
    )
    entry.members.update(guardian_consent=True)
    assert policy.photo_is_public(photo, entry.members.select_related("student"))
    assert not policy.photo_is_public(photo, [])  # no members on record: held back


def test_a_photo_stored_without_saying_counts_as_showing_people(edition, people):
    entry = make_entry(edition, people, photo=False)
    photo = EntryPhoto.objects.create(entry=entry, image=png_upload(), alt_text="x")
    assert photo.shows_people


def test_organiser_sees_which_photos_are_held_back_and_why(client, edition, people):
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    held = services.add_photo(
        entry, png_upload(), user=people["organiser"], alt_text="合影", shows_people=True
    )
    rows = presenters.held_back_photos(edition)
    assert [(r["photo"].pk, r["reason"]) for r in rows] == [
        (held.pk, "It shows people, and no guardian consent is recorded for: 小林、小雨.")
    ]
    client.force_login(people["organiser"])
    page = client.get(reverse("festival:organise", args=[edition.pk])).content.decode()
    assert "合影" in page and "小林、小雨" in page
    entry.members.update(guardian_consent=True)
    assert presenters.held_back_photos(edition) == []


def test_public_name_never_shows_the_username(make_user, schools):
    named = make_user("stu2026001", display_name="小林", school=schools[0])
    assert named.public_name == "小林"
    latin = make_user("stu2026002", first_name="Lin", last_name="Wang", school=schools[0])
    assert latin.public_name == "L. W."
    chinese = make_user("stu2026003", first_name="建国", last_name="李", school=schools[0])
    assert chinese.public_name == "李同学"
    nobody = make_user("stu2026004", school=schools[0])
    assert nobody.public_name == "A student"
    from django.utils import translation

    with translation.override("zh-hans"):
        assert nobody.public_name == "某同学"
    for user in (named, latin, chinese, nobody):
        assert user.username not in user.public_name


def test_gallery_shows_no_username_for_a_student_without_display_name(client, edition, people, make_user):
    from makerroom.core import roles

    quiet = make_user("stu2026099", role=roles.Role.STUDENT, school=people["s1"].school)
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    services.update_entry(entry, user=people["organiser"], students=[people["s1"], quiet])
    html = client.get(reverse("festival:gallery_entry", args=[entry.pk])).content.decode()
    assert "stu2026099" not in html
    assert "某同学" in html or "A student" in html


def test_certificate_is_dated_when_results_were_published(client, edition, people):
    from .test_views import _read_certificate

    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    organiser = people["organiser"]
    judging.set_award(entry, edition.award_levels.first(), user=organiser)
    published = timezone.make_aware(datetime(2026, 11, 20, 15, 0))
    judging.publish_results(edition, user=organiser, override=True, now=published)
    client.force_login(people["s1"])
    text, _qr = _read_certificate(client.get(reverse("festival:certificate", args=[entry.pk])).content)
    assert "2026年11月20日" in text
    if timezone.localdate() != published.date():
        assert timezone.localdate().strftime("%Y年%m月%d日") not in text
