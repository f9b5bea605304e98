"""seed_demo never runs with production settings by accident, and base settings hold no demo password."""

import importlib
import os
import subprocess
import sys

from .conftest import ROOT

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "makerroom.settings.production",
    "SECRET_KEY": "k8$Zq!2vX@pR7mW#nT4yB&cL9eF0hJ3uA6sD1gK5oQ*iV-wE_rY+tU=zM%xN^bC",
    "ALLOWED_HOSTS": "maker.example.cn",
    "MAKERROOM_SINGLE_PROCESS": "1",
}


def _seed(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEMO_PASSWORD", "REDIS_URL")}
    env.update(PRODUCTION)
    return subprocess.run(
        [sys.executable, "manage.py", "seed_demo", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seed_demo_refuses_production_settings_unless_told():
    refused = _seed()
    assert refused.returncode != 0 and "refusing with production settings" in refused.stderr
    # Told: it gets past that check, and still wants a password from the environment.
    told = _seed("--allow-production")
    assert told.returncode != 0 and "Set DEMO_PASSWORD" in told.stderr


def test_base_settings_have_no_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    from makerroom.settings import base

    assert importlib.reload(base).DEMO_PASSWORD == ""
