"""Media on an S3-compatible store (the `s3` extra), against moto's S3 server started here: a file
saved through default_storage lands in the bucket, and its URL is signed and expires."""

import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from makerroom.settings.environment import s3_options
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from .conftest import free_port

BUCKET = "makerroom-media"


@pytest.fixture
def s3_server(monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


def test_a_file_saved_through_default_storage_lands_in_the_bucket_behind_a_signed_url(settings, s3_server):
    endpoint, client = s3_server
    options = s3_options(
        {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint, "AWS_QUERYSTRING_EXPIRE": "300"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }

    name = default_storage.save(
        "festival/photos/robot.jpg", ContentFile(b"\xff\xd8 a photo", name="robot.jpg")
    )
    assert isinstance(default_storage._wrapped, S3Storage)
    stored = client.get_object(Bucket=BUCKET, Key=name)
    assert stored["Body"].read() == b"\xff\xd8 a photo"

    url = default_storage.url(name)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{endpoint}/{BUCKET}/festival/photos/")
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"][0]
    with urllib.request.urlopen(url, timeout=10) as response:  # the store serves it, not Django
        assert response.read() == b"\xff\xd8 a photo"

    # Private: the object is not readable without the signature.
    acl = client.get_object_acl(Bucket=BUCKET, Key=name)
    assert not [g for g in acl["Grants"] if g["Grantee"].get("URI", "").endswith("AllUsers")]
    # Saving the same name again never overwrites the first file.
    assert default_storage.save("festival/photos/robot.jpg", ContentFile(b"second")) != name
