"""Settings read from the environment by production (and tested on their own)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def _flag(value):
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _store_address(env, name):
    """An S3 endpoint as boto3 takes it: scheme://host[:port], nothing after the host (the bucket and
    key follow it, and a signature covers the path: a store behind a path prefix cannot be signed for)."""
    value = env[name].strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (
        not parts
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path.strip("/")
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"{name} must be the address browsers reach the media store at, as scheme://host[:port] "
            f"with nothing after it (e.g. https://media.maker.example.cn or http://localhost:9000), "
            f"not {value!r}."
        )
    return value.rstrip("/")


def s3_options(env):
    """makerroom.core.storage.PrivateS3Storage options from AWS_* variables (any S3-compatible store).

    AWS_S3_ENDPOINT_URL is where the site reaches the store, AWS_S3_PUBLIC_ENDPOINT_URL where
    browsers do (signed URLs are signed for it). AWS_S3_CUSTOM_DOMAIN is refused: django-storages
    would give unsigned URLs for it, which private objects answer with 403."""
    if env.get("AWS_S3_CUSTOM_DOMAIN"):
        raise ImproperlyConfigured(
            "AWS_S3_CUSTOM_DOMAIN cannot serve private media: django-storages would give unsigned URLs "
            "for it (it signs custom-domain URLs only with CloudFront keys), and the store answers "
            "every private photo with 403. Unset it and set AWS_S3_PUBLIC_ENDPOINT_URL to the address "
            "browsers reach the store at (e.g. https://media.maker.example.cn); URLs are signed for it."
        )
    options = {
        "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
        "default_acl": None,  # private objects: readable only through signed URLs
        "querystring_auth": True,
        "querystring_expire": int(env.get("AWS_QUERYSTRING_EXPIRE", "600")),
        "file_overwrite": False,
        "signature_version": env.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
    }
    optional = {
        "endpoint_url": "AWS_S3_ENDPOINT_URL",  # e.g. http://minio:9000 for a self-hosted store
        "region_name": "AWS_S3_REGION_NAME",
        "location": "AWS_LOCATION",
        "addressing_style": "AWS_S3_ADDRESSING_STYLE",
    }
    options.update({key: env[name] for key, name in optional.items() if env.get(name)})
    if env.get("AWS_S3_PUBLIC_ENDPOINT_URL", "").strip():
        options["public_endpoint_url"] = _store_address(env, "AWS_S3_PUBLIC_ENDPOINT_URL")
    return options


def email_settings(env):
    """SMTP settings; without EMAIL_HOST mails go to the log (console backend)."""
    if not env.get("EMAIL_HOST"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    values = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": env["EMAIL_HOST"],
        "EMAIL_PORT": int(env.get("EMAIL_PORT", "587")),
        "EMAIL_HOST_USER": env.get("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env.get("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _flag(env.get("EMAIL_USE_TLS", "1")) and not _flag(env.get("EMAIL_USE_SSL", "0")),
        "EMAIL_USE_SSL": _flag(env.get("EMAIL_USE_SSL", "0")),
        "EMAIL_TIMEOUT": int(env.get("EMAIL_TIMEOUT", "20")),
    }
    if env.get("DEFAULT_FROM_EMAIL"):
        values["DEFAULT_FROM_EMAIL"] = env["DEFAULT_FROM_EMAIL"]
        values["SERVER_EMAIL"] = env.get("SERVER_EMAIL", env["DEFAULT_FROM_EMAIL"])
    return values


def metrics_settings(env, installed_apps, middleware):
    """Prometheus metrics (django-prometheus, the `observability` extra) when PROMETHEUS_METRICS is
    on: its app, and its middleware around all the others so every request is counted and timed.
    /metrics answers the scraper's bearer token (PROMETHEUS_METRICS_TOKEN) or, without one, only
    addresses of the internal networks (PROMETHEUS_METRICS_NETWORKS)."""
    if not _flag(env.get("PROMETHEUS_METRICS", "0")):
        return {"PROMETHEUS_METRICS": False}
    networks = env.get(
        "PROMETHEUS_METRICS_NETWORKS", "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
    )
    return {
        "PROMETHEUS_METRICS": True,
        "PROMETHEUS_METRICS_TOKEN": env.get("PROMETHEUS_METRICS_TOKEN", ""),
        "PROMETHEUS_METRICS_NETWORKS": [n.strip() for n in networks.split(",") if n.strip()],
        "INSTALLED_APPS": [*installed_apps, "django_prometheus"],
        "MIDDLEWARE": [
            "django_prometheus.middleware.PrometheusBeforeMiddleware",
            *middleware,
            "django_prometheus.middleware.PrometheusAfterMiddleware",
        ],
    }
