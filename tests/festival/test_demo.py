"""seed_demo holds a past edition run end to end (entries with generated photos, judged, awarded,
published) and the current edition open for registration; running it twice changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from festival import judging
from festival.models import Assignment, Entry, EntryState, FestivalEditionPage

pytestmark = pytest.mark.django_db


def test_demo_has_a_judged_and_published_past_edition(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    past = FestivalEditionPage.objects.get(year=2025)
    current = FestivalEditionPage.objects.get(year=2026)
    assert past.results_published and past.live
    assert current.registration_open and not current.results_published

    entries = Entry.objects.filter(edition=past)
    assert entries.count() >= 12 and not entries.exclude(state=EntryState.ACCEPTED).exists()
    for entry in entries.prefetch_related("photos"):
        photos = list(entry.photos.all())
        assert photos and all(p.alt_text for p in photos)
        with Image.open(photos[0].image.path) as image:  # a real, re-encoded picture without EXIF
            assert image.size == (photos[0].width, photos[0].height) and len(image.getexif()) == 0
    scored = Assignment.objects.filter(entry__edition=past, total__isnull=False)
    assert scored.count() >= 3 * entries.count()
    assert judging.check_assignment(past) == []
    awarded = entries.filter(award__isnull=False).select_related("award")
    assert {e.award.name for e in awarded} >= {"一等奖", "二等奖"}

    winner = awarded.filter(award__name="一等奖").first()
    html = client.get(reverse("festival:gallery"), {"edition": past.pk, "award": "一等奖"}).content.decode()
    assert winner.title in html

    before = (Entry.objects.count(), Assignment.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Entry.objects.count(), Assignment.objects.count()) == before
