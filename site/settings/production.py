"""Production: everything comes from the environment; refuses to start without a secret."""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .environment import email_settings, metrics_settings, s3_options


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False
MAKERROOM_ENVIRONMENT = "production"
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + str(BASE_DIR / "db.sqlite3"),  # noqa: F405
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# Several gunicorn workers and task workers share one cache (pages, throttles, renditions): without
# Redis each process would have its own, so a publish would clear one worker's pages and a throttle
# would count per process. Refuse to start unless told this really is one process.
if os.environ.get("REDIS_URL"):
    # Redis down degrades to no cache (throttles count per process meanwhile), it never answers 500.
    CACHES = {
        alias: {
            "BACKEND": "makerroom.core.cache_backend.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"makerroom:{alias}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for alias in ("default", "renditions")
    }
    # {% wagtailpagecache %} fragments: keyed by revision and publish generation, kept in each
    # worker's memory too (makerroom.core.cache_backend.FragmentCache).
    CACHES["template_fragments"] = {
        **CACHES["default"],
        "BACKEND": "makerroom.core.cache_backend.FragmentCache",
        "KEY_PREFIX": "makerroom:template_fragments",
        "OPTIONS": {
            **CACHES["default"]["OPTIONS"],
            "LOCAL_BYTES": int(os.environ.get("FRAGMENT_MEMORY_BYTES", 32 << 20)),
        },
    }
elif os.environ.get("MAKERROOM_SINGLE_PROCESS") != "1":
    raise ImproperlyConfigured(
        "REDIS_URL must be set in the environment for production "
        "(or MAKERROOM_SINGLE_PROCESS=1 for a single process with a per-process cache)."
    )
# Wagtail's redirect import keeps its uploaded file in the cache, which every worker shares.
WAGTAIL_REDIRECTS_FILE_STORAGE = "cache"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT))  # noqa: F405
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible media (the `s3` extra: django-storages + boto3). Files are private and served by
    # the store itself through signed, expiring URLs, never streamed through Django. Credentials:
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (read by boto3), or the machine's role.
    # AWS_S3_PUBLIC_ENDPOINT_URL: where browsers reach the store when the site reaches it elsewhere
    # (compose: http://s3:9000 inside); signed URLs are signed for it. AWS_S3_CUSTOM_DOMAIN is refused.
    STORAGES["default"] = {
        "BACKEND": "makerroom.core.storage.PrivateS3Storage",
        "OPTIONS": s3_options(os.environ),
    }

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "https://" + ALLOWED_HOSTS[0])

# Behind a TLS-terminating reverse proxy; its address(es), so throttles see the real client
# (comma-separated addresses or networks, e.g. TRUSTED_PROXIES=127.0.0.1,10.0.0.0/24).
TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
# Sessions are read from the shared cache and written through to the database: a logged-in request
# asks the database nothing for its session, and a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views same-origin

# Moderation and password mails: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS / EMAIL_USE_SSL, DEFAULT_FROM_EMAIL, SERVER_EMAIL.
globals().update(email_settings(os.environ))

LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")  # noqa: F405
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405

# Optional error reporting and metrics, switched on from the environment (the `observability` extra,
# which the image installs): PROMETHEUS_METRICS=1 serves /metrics, SENTRY_DSN sends errors.
globals().update(metrics_settings(os.environ, INSTALLED_APPS, MIDDLEWARE))  # noqa: F405
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # minors' data: no user names or addresses in reports
    )
