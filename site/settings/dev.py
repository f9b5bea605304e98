"""Local development: SQLite in the project folder, debug on."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-makerroom-dev-only"  # noqa: S105 - dev only, never deployed
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
MAKERROOM_ENVIRONMENT = "dev"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "maker-demo-2026")  # printed by `make demo`

# SQLite in the project folder unless DATABASE_URL says otherwise (e.g. a second checkout or PostgreSQL).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
