import importlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args, env_extra=None, drop=("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")):
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
    secret = "k8$Zq!2vX@pR7mW#nT4yB&cL9eF0hJ3uA6sD1gK5oQ*iV-wE_rY+tU=zM%xN^bC"
    result = _run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"SECRET_KEY": secret, "ALLOWED_HOSTS": "maker.example.cn"},
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


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
