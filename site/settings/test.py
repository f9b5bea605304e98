"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (CI runs both)."""

import os
import tempfile

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "makerroom-test-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="makerroom-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
