"""Tests: SQLite by default, PostgreSQL when DATABASE_URL is set (CI runs both)."""

import os
import tempfile

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "makerroom-test-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test (tests/ops) is told the same folder.
MEDIA_ROOT = os.environ.get("MAKERROOM_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="makerroom-test-media-")
MAKERROOM_FIRMWARE_STORE = tempfile.mkdtemp(prefix="makerroom-test-firmware-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MAKERROOM_ENVIRONMENT = "test"
DEMO_PASSWORD = "maker-demo-2026"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
else:
    # A file in memory-backed storage, not ":memory:", so that a real worker process (tests/ops) can
    # open the test database; one per test process (pytest-xdist adds its own suffix too).
    _db_dir = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(_db_dir, f"makerroom-test-{os.getpid()}.sqlite3"),
            # Wait for the other process's write lock instead of failing; take it at BEGIN.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": os.path.join(_db_dir, f"makerroom-test-{os.getpid()}.sqlite3")},
        }
    }

# Tasks run at once inside the test (Wagtail's index jobs included) unless a test starts a real
# worker: tests/ops runs `manage.py worker` with MAKERROOM_TASKS=database against the test database.
if os.environ.get("MAKERROOM_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
