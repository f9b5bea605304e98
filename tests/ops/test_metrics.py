"""Prometheus metrics (django-prometheus) switched on from the environment: production settings
add its app and middleware, /metrics counts real requests, and only the scraper reads it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "django_prometheus.middleware.PrometheusBeforeMiddleware"
AFTER = "django_prometheus.middleware.PrometheusAfterMiddleware"


def production_settings(**env):
    """INSTALLED_APPS, MIDDLEWARE and the metrics settings production builds from this environment."""
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "print(json.dumps({'apps': s.INSTALLED_APPS, 'mw': s.MIDDLEWARE, 'on': s.PROMETHEUS_METRICS,"
        " 'token': s.PROMETHEUS_METRICS_TOKEN}))"
    )
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "makerroom.settings.production",
        "SECRET_KEY": "x" * 50,
        "MAKERROOM_SINGLE_PROCESS": "1",
        "ALLOWED_HOSTS": "localhost",
        **env,
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_switches_metrics_on_only_when_told():
    off = production_settings()
    assert not off["on"] and "django_prometheus" not in off["apps"] and BEFORE not in off["mw"]
    on = production_settings(PROMETHEUS_METRICS="1", PROMETHEUS_METRICS_TOKEN="scrape-me")
    assert on["on"] and on["token"] == "scrape-me" and "django_prometheus" in on["apps"]
    assert on["mw"][0] == BEFORE and on["mw"][-1] == AFTER  # around everything, so every request counts


@pytest.fixture
def metrics_on():
    middleware = [BEFORE, *settings.MIDDLEWARE, AFTER]
    with override_settings(PROMETHEUS_METRICS=True, MIDDLEWARE=middleware, PROMETHEUS_METRICS_TOKEN=""):
        yield


@pytest.mark.django_db
def test_metrics_count_requests_and_answer_only_the_internal_network(client, metrics_on):
    for _ in range(3):
        client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert 'view="healthz"' in text
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


@pytest.mark.django_db
def test_with_a_token_the_scraper_must_send_it(client, metrics_on):
    with override_settings(PROMETHEUS_METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
        ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token", REMOTE_ADDR="203.0.113.9")
        assert ok.status_code == 200


@pytest.mark.django_db
def test_metrics_are_off_unless_switched_on(client):
    assert client.get("/metrics").status_code == 404


def test_sentry_is_set_up_from_the_environment_without_personal_data():
    code = (
        "import django; django.setup(); import sentry_sdk;"
        "c = sentry_sdk.get_client(); print(c.is_active(), c.options['send_default_pii'], c.options['environment'])"
    )
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "makerroom.settings.production",
        "SECRET_KEY": "x" * 50,
        "MAKERROOM_SINGLE_PROCESS": "1",
        "SENTRY_DSN": "http://public@127.0.0.1:9/1",
        "SENTRY_ENVIRONMENT": "school-network",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "school-network"]
