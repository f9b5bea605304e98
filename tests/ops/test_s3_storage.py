"""Media on an S3-compatible store (the `s3` extra), against moto's S3 server started here: a file
saved through default_storage lands in the bucket, and its URL is signed and expires; signed for the
address browsers reach the store at (AWS_S3_PUBLIC_ENDPOINT_URL) when the site reaches it elsewhere."""

import contextlib
import socket
import threading
import urllib.request
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import boto3
import pytest
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from makerroom.core.storage import PrivateS3Storage
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


class Forwarder:
    """Another address in front of the same store (as a published port or a proxy is), counting the
    connections that come through it."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://localhost:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:  # closed
                return
            self.connections += 1
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def close(self):
        self.listener.close()


def signature_is_valid(url):
    """Whether the URL's SigV4 query signature is the one our credentials give for this very URL
    (host included), as the store checks it (moto's server does not check presigned signatures)."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = dict(pairs)
    unsigned = urlunsplit(
        parts._replace(query=urlencode([(k, v) for k, v in pairs if k != "X-Amz-Signature"]))
    )
    auth = S3SigV4QueryAuth(
        Credentials("test-key", "test-secret"), "s3", "us-east-1", expires=int(query["X-Amz-Expires"])
    )
    request = AWSRequest(method="GET", url=unsigned)
    request.context["timestamp"] = query["X-Amz-Date"]
    string_to_sign = auth.string_to_sign(request, auth.canonical_request(request))
    return auth.signature(string_to_sign, request) == query["X-Amz-Signature"]


def test_signed_urls_are_for_the_public_address_while_the_site_uses_the_internal_one(settings, s3_server):
    """Under compose the site reaches the store at http://s3:9000, a name browsers cannot resolve:
    AWS_S3_PUBLIC_ENDPOINT_URL is where browsers reach it, and the signature covers that host."""
    endpoint, client = s3_server
    public = Forwarder(urlsplit(endpoint).port)
    try:
        options = s3_options(
            {
                "AWS_STORAGE_BUCKET_NAME": BUCKET,
                "AWS_S3_ENDPOINT_URL": endpoint,
                "AWS_S3_PUBLIC_ENDPOINT_URL": public.url,
                "AWS_S3_REGION_NAME": "us-east-1",
                "AWS_QUERYSTRING_EXPIRE": "300",
            }
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "makerroom.core.storage.PrivateS3Storage", "OPTIONS": options},
        }

        name = default_storage.save("festival/photos/kit.jpg", ContentFile(b"\xff\xd8 kit", name="kit.jpg"))
        assert client.get_object(Bucket=BUCKET, Key=name)["Body"].read() == b"\xff\xd8 kit"
        with default_storage.open(name) as stored:
            assert stored.read() == b"\xff\xd8 kit"
        url = default_storage.url(name)
        assert public.connections == 0  # writes and reads went to the internal address; signing is offline

        parts, query = urlsplit(url), parse_qs(urlsplit(url).query)
        assert url.startswith(f"{public.url}/{BUCKET}/festival/photos/"), url
        assert query["X-Amz-Expires"] == ["300"]
        assert signature_is_valid(url)
        # Signed for the public host: the same URL rewritten to the internal host is not valid.
        assert not signature_is_valid(urlunsplit(parts._replace(netloc=urlsplit(endpoint).netloc)))

        with urllib.request.urlopen(url, timeout=10) as response:  # the browser's way in
            assert response.read() == b"\xff\xd8 kit"
        assert public.connections == 1
    finally:
        public.close()


def test_without_a_public_address_urls_are_signed_for_the_site_s_own_endpoint(settings, s3_server):
    endpoint, _client = s3_server
    options = s3_options({"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "makerroom.core.storage.PrivateS3Storage", "OPTIONS": options},
    }
    name = default_storage.save("festival/photos/bot.jpg", ContentFile(b"bot", name="bot.jpg"))
    url = default_storage.url(name)
    assert url.startswith(f"{endpoint}/{BUCKET}/") and signature_is_valid(url)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"bot"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"AWS_S3_CUSTOM_DOMAIN": "media.maker.example.cn"},
            "AWS_S3_CUSTOM_DOMAIN cannot serve private media",
        ),
        ({"AWS_S3_PUBLIC_ENDPOINT_URL": "localhost:9000"}, "AWS_S3_PUBLIC_ENDPOINT_URL must be"),
        (
            {"AWS_S3_PUBLIC_ENDPOINT_URL": "https://maker.example.cn/media"},
            "AWS_S3_PUBLIC_ENDPOINT_URL must be",
        ),
    ],
)
def test_settings_that_would_give_browsers_unusable_photo_urls_are_refused(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        s3_options({"AWS_STORAGE_BUCKET_NAME": BUCKET, **env})


def test_the_storage_refuses_a_custom_domain_it_could_not_sign_for():
    with pytest.raises(ImproperlyConfigured, match="AWS_S3_CUSTOM_DOMAIN cannot serve private media"):
        PrivateS3Storage(bucket_name=BUCKET, custom_domain="media.maker.example.cn")
    assert PrivateS3Storage(bucket_name=BUCKET, public_endpoint_url="https://media.maker.example.cn")
