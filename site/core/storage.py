# pyright: reportAttributeAccessIssue=false
# (django-storages sets its options as attributes from get_default_settings at run time)
"""Private media on an S3-compatible store (the `s3` extra), reached at one address by the site and
at another by browsers.

Under compose the site talks to the store at http://s3:9000, a name that exists only inside the
compose network; behind a proxy or a published port, browsers reach the same store elsewhere. A
signed URL's signature covers its host, so a URL signed for the internal address cannot be
rewritten afterwards: it has to be signed for the public address in the first place.
"""

import threading

import botocore
from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, setting

CUSTOM_DOMAIN_REFUSED = (
    "AWS_S3_CUSTOM_DOMAIN cannot serve private media: django-storages would give unsigned URLs for it "
    "(it signs custom-domain URLs only with CloudFront keys), and the store answers every private "
    "object with 403. Set AWS_S3_PUBLIC_ENDPOINT_URL (public_endpoint_url) to the address browsers "
    "reach the store at instead; URLs are signed for it."
)


class PrivateS3Storage(S3Storage):
    """django-storages' S3Storage for private objects behind signed, expiring URLs.

    ``endpoint_url`` (AWS_S3_ENDPOINT_URL) is where the site reads and writes. With
    ``public_endpoint_url`` (AWS_S3_PUBLIC_ENDPOINT_URL) set, ``url()`` signs for that address
    instead, with the same credentials, region, signature version and addressing style: signing
    is offline, so the second client never connects anywhere.
    """

    def __init__(self, **settings):
        super().__init__(**settings)
        if self.custom_domain and self.querystring_auth and not self.cloudfront_signer:
            raise ImproperlyConfigured(CUSTOM_DOMAIN_REFUSED)
        if self.custom_domain and self.public_endpoint_url:
            raise ImproperlyConfigured(
                "Set either AWS_S3_PUBLIC_ENDPOINT_URL or AWS_S3_CUSTOM_DOMAIN for media URLs, not both."
            )
        self._public_clients = threading.local()

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "public_endpoint_url": setting("AWS_S3_PUBLIC_ENDPOINT_URL"),
        }

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_public_clients", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self._public_clients = threading.local()

    @property
    def public_client(self):
        """A boto3 client for the public address, one per thread as django-storages keeps its own."""
        client = getattr(self._public_clients, "client", None)
        if client is None:
            config = self.client_config
            if not self.querystring_auth:
                config = config.merge(Config(signature_version=botocore.UNSIGNED))
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                use_ssl=self.use_ssl,
                endpoint_url=self.public_endpoint_url,
                config=config,
                verify=self.verify,
            )
            self._public_clients.client = client
        return client

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.public_endpoint_url:
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self.public_client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )
