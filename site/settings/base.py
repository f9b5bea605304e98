"""Settings shared by every environment. Environment-specific files import this."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/
BASE_DIR = PROJECT_DIR.parent  # repository root

INSTALLED_APPS = [
    "makerroom.core",
    "makerroom.home",
    "makerroom.search",
    "courses",
    "courses.classes",
    "courses.workspace",
    "festival",
    "kits",
    "firmware",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # Last, so that its post_migrate hook sees every other app's permissions.
    "makerroom.accounts",
]

MIDDLEWARE = [
    "makerroom.core.logs.RequestIdMiddleware",  # first: every log line of a request carries its id
    "django.middleware.security.SecurityMiddleware",
    # COOP/COEP on lesson pages with a workbench, page-cache hits included (courses/isolation.py).
    "courses.isolation.CrossOriginIsolationMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "makerroom.accounts.middleware.FirstPasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security headers go on before the page cache, so stored pages answer with them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "makerroom.core.csp.SiteCSPMiddleware",
    # Anonymous visitors get stored pages before any routing (courses engineer; see page_cache.py).
    "makerroom.core.page_cache.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "makerroom.urls"
WSGI_APPLICATION = "makerroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Password guessing is throttled per username and client address (makerroom.core.throttle).
AUTHENTICATION_BACKENDS = ["courses.classes.backends.ThrottledModelBackend"]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. "127.0.0.1");
# from any other REMOTE_ADDR the header is ignored, since a client can write anything in it.
TRUSTED_PROXIES = []
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: zh-hans is the default language of the site and the admin.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Each app keeps its own locale/ (courses/locale, …); the site's strings live in site/locale.
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can post many fields for long lessons.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("MakerRoom 创客实践室平台")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip", "stl", "svg", "dxf", "py"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Alt text (the image description) is required on every upload.
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.image_forms.AltTextRequiredImageForm"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # students have no e-mail; teachers reset passwords
WAGTAILADMIN_COMMENTS_ENABLED = True
# No calls to wagtail.org from the admin (no external network at run time; the CSP blocks it too).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Bilibili first (it has no oEmbed endpoint), then Wagtail's oEmbed providers (YouTube, Vimeo, …).
WAGTAILEMBEDS_FINDERS = [
    {"class": "courses.embeds.BilibiliFinder"},
    {"class": "wagtail.embeds.finders.oembed"},
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Wagtail looks rendition rows up here first (production: Redis, shared by every worker).
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions"},
}

# Anonymous pages may be kept by browsers and a CDN this long; changed pages are purged there through
# wagtail.contrib.frontend_cache when FRONTEND_CACHE_PURGE_URL names the cache's purge endpoint
# (any HTTP cache that accepts PURGE: Varnish, nginx, a CDN's origin shield). Other backends
# (Cloudflare, CloudFront, Azure) are set with WAGTAILFRONTENDCACHE in a settings override.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": os.environ.get(
                "FRONTEND_CACHE_BACKEND", "wagtail.contrib.frontend_cache.backends.HTTPBackend"
            ),
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }

# Long work (our jobs and Wagtail's reference/search index and file deletion tasks) runs in the task
# worker (`manage.py worker`, started by `make demo` beside the web server), not in requests.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RESULT_DAYS = 14  # finished jobs, their files and task results are pruned after this

# Private media (festival photos) on local disk behind nginx: the `internal` location that serves
# MEDIA_ROOT (e.g. "/protected-media/"); nginx then sends the file, not Django (core.private_files).
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# Prometheus metrics at /metrics: off unless production's PROMETHEUS_METRICS switches them on.
PROMETHEUS_METRICS = False
PROMETHEUS_METRICS_TOKEN = ""
PROMETHEUS_METRICS_NETWORKS = ["127.0.0.0/8", "::1/128"]

# The site's MicroPython base firmware (the host package's FirmwareStore, filled with
# `manage.py firmware add FILE`) for flashing from the browser, with the lesson images built for it.
# Not media: only the people firmware.policy allows download from it. Shared by every web process.
MAKERROOM_FIRMWARE_STORE = Path(
    os.environ.get("MAKERROOM_FIRMWARE_STORE") or BASE_DIR / "var" / "firmware-store"
)

# Demo accounts created by `manage.py seed_demo` share this password; dev and test settings give
# it a default, here (and so in production) it comes only from the environment.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "")
MAKERROOM_ENVIRONMENT = "base"  # dev, test, production: seed_demo refuses production unless told

# Content-Security-Policy (makerroom.core.csp): no inline scripts on the site; the workbench needs
# WebAssembly and a module worker; videos embed from their players; media may come from the store.
MEDIA_ORIGINS = [origin for origin in os.environ.get("MEDIA_ORIGINS", "").split(",") if origin]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],  # style attributes; no script can run from them
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "media-src": ["'self'", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "frame-src": [
            "'self'",
            "https://player.bilibili.com",
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],  # Wagtail's preview frames our pages
    }
}
# Wagtail's admin writes inline scripts (date pickers, inline panels): allowed there only.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "makerroom.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "makerroom.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # jieba logs its dictionary loading at DEBUG/INFO; keep it quiet.
    "loggers": {"jieba": {"level": "WARNING"}},
}
