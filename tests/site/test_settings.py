import importlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


SECRET = "k8$Zq!2vX@pR7mW#nT4yB&cL9eF0hJ3uA6sD1gK5oQ*iV-wE_rY+tU=zM%xN^bC"
PRODUCTION = {
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "maker.example.cn",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
DROP = ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL", "MAKERROOM_SINGLE_PROCESS")


def _run_manage(*args, env_extra=None, drop=DROP):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["DJANGO_SETTINGS_MODULE"] = "makerroom.settings.production"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret():
    result = _run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_check_deploy_is_clean_with_a_real_secret():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_redis_unless_told_it_is_one_process():
    without_redis = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    result = _run_manage("check", env_extra=without_redis)
    assert result.returncode != 0 and "REDIS_URL must be set" in result.stderr

    result = _run_manage("check", env_extra={**without_redis, "MAKERROOM_SINGLE_PROCESS": "1"})
    assert result.returncode == 0, result.stderr


_SHOW = (
    "from django.conf import settings as s; from django.core.files.storage import storages;"
    "print(type(storages['default']).__name__, sorted(s.CACHES), s.CACHES['renditions']['BACKEND'],"
    " s.WAGTAIL_REDIRECTS_FILE_STORAGE, s.EMAIL_BACKEND, s.EMAIL_HOST, s.DEFAULT_FROM_EMAIL,"
    " s.TASKS['default']['BACKEND'])"
)


def test_production_media_on_s3_renditions_and_redirects_in_redis_mail_from_the_environment():
    env = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "makerroom-media",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "EMAIL_HOST": "smtp.example.cn",
        "DEFAULT_FROM_EMAIL": "创客实践室 <noreply@maker.example.cn>",
    }
    result = _run_manage("shell", "-c", _SHOW, env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "PrivateS3Storage",
        "['default',",
        "'renditions',",
        "'template_fragments']",
        "makerroom.core.cache_backend.ResilientRedisCache",
        "cache",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.cn",
        "创客实践室",
        "<noreply@maker.example.cn>",
        "django_tasks_db.DatabaseBackend",
    ]


def test_production_signs_media_urls_for_the_address_browsers_reach_the_store_at():
    env = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "makerroom-media",
        "AWS_S3_ENDPOINT_URL": "http://s3:9000",
        "AWS_S3_PUBLIC_ENDPOINT_URL": "https://media.maker.example.cn",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "makerroom",
        "AWS_SECRET_ACCESS_KEY": "makerroom-secret",
    }
    show = (
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(s.endpoint_url, s.url('festival/photos/a.jpg').split('?')[0])"
    )
    result = _run_manage("shell", "-c", show, env_extra=env)  # signing is offline: no store needed
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "http://s3:9000",
        "https://media.maker.example.cn/makerroom-media/festival/photos/a.jpg",
    ]

    result = _run_manage("check", env_extra={**env, "AWS_S3_PUBLIC_ENDPOINT_URL": "media.maker.example.cn"})
    assert result.returncode != 0
    assert "AWS_S3_PUBLIC_ENDPOINT_URL must be the address browsers reach the media store at" in result.stderr


def test_production_refuses_a_custom_domain_private_photos_could_not_be_signed_for():
    env = {
        **PRODUCTION,
        "AWS_STORAGE_BUCKET_NAME": "makerroom-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.maker.example.cn",
    }
    result = _run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "AWS_S3_CUSTOM_DOMAIN cannot serve private media" in result.stderr
    assert "set AWS_S3_PUBLIC_ENDPOINT_URL" in result.stderr


def test_email_settings_come_from_the_environment():
    from makerroom.settings.environment import email_settings

    assert email_settings({})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    smtp = email_settings(
        {"EMAIL_HOST": "smtp.example.cn", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "1", "EMAIL_HOST_USER": "mr"}
    )
    assert (smtp["EMAIL_PORT"], smtp["EMAIL_USE_SSL"], smtp["EMAIL_USE_TLS"], smtp["EMAIL_HOST_USER"]) == (
        465,
        True,
        False,
        "mr",
    )


def test_dev_defaults_to_sqlite_in_the_project_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # CI sets it for the PostgreSQL run
    from makerroom.settings import dev

    dev = importlib.reload(dev)

    assert dev.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(dev.DATABASES["default"]["NAME"]).parent == ROOT


def test_chinese_first_settings():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.WAGTAIL_I18N_ENABLED
    assert [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES] == ["zh-hans", "en"]
