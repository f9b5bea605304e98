"""A festival photo, once the policy allows it, is sent by whatever can send it best: the object
store through a short-lived signed URL, nginx through X-Accel-Redirect, or (development) Django."""

import urllib.request

import pytest
from django.urls import reverse
from makerroom.settings.environment import s3_options

from festival import services
from festival.models import EntryState
from tests.ops.test_s3_storage import BUCKET, s3_server  # noqa: F401 - the moto S3 server fixture

from .conftest import make_entry, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_media(settings, s3_server):  # noqa: F811
    endpoint, client = s3_server
    options = s3_options({"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return endpoint, client


@pytest.fixture
def accepted(edition, people):
    """An accepted entry with a photo without people (public) and one of people (held back)."""
    entry = make_entry(edition, people, state=EntryState.ACCEPTED)
    services.add_photo(entry, png_upload(), user=people["organiser"], alt_text="团队合影", shows_people=True)
    return entry


def public_photo(entry):
    return entry.photos.get(shows_people=False)


def test_on_an_object_store_the_photo_is_a_redirect_to_a_signed_url_the_store_serves(
    s3_media, client, accepted
):
    endpoint, s3 = s3_media
    photo = public_photo(accepted)
    stored = s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    response = client.get(reverse("festival:photo", args=[photo.pk]))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{endpoint}/{BUCKET}/") and "X-Amz-Signature=" in location
    assert "private" in response["Cache-Control"]
    with urllib.request.urlopen(location, timeout=10) as got:
        assert got.read() == stored and len(stored) > 100


def test_a_held_back_photo_gives_no_url_at_all(s3_media, client, accepted):
    held = accepted.photos.get(shows_people=True)  # members have not consented
    assert client.get(reverse("festival:photo", args=[held.pk])).status_code == 404


def test_behind_nginx_the_proxy_sends_the_file(settings, client, accepted):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    photo = public_photo(accepted)
    response = client.get(reverse("festival:photo", args=[photo.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image.name}"


def test_without_a_store_or_proxy_django_sends_the_file(client, accepted):
    photo = public_photo(accepted)
    response = client.get(reverse("festival:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
