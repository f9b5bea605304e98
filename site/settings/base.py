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
    # Last, so that its post_migrate hook sees every other app's permissions.
    "makerroom.accounts",
]

MIDDLEWARE = [
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
    # Anonymous visitors get stored pages before any routing (courses engineer; see page_cache.py).
    "makerroom.core.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

# Long work (our jobs and Wagtail's reference/search index and file deletion tasks) runs in the task
# worker (`manage.py worker`, started by `make demo` beside the web server), not in requests.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_RESULT_DAYS = 14  # finished jobs, their files and task results are pruned after this

# Demo accounts created by `manage.py seed_demo` share this password (dev only).
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "maker-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # jieba logs its dictionary loading at DEBUG/INFO; keep it quiet.
    "loggers": {"jieba": {"level": "WARNING"}},
}
