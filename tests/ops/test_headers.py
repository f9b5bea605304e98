"""Security headers: a page served from the page cache carries the same headers as a fresh one; a
Content-Security-Policy is on every page (no inline script on the site; the admin's own relaxed
policy); templates carry no inline scripts or event handlers."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def _security(response):
    return {name: response.get(name) for name in SECURITY_HEADERS}


def test_a_page_cache_hit_carries_the_same_security_headers_as_a_fresh_page(client, home_page):
    fresh = client.get("/")
    stored = client.get("/")
    assert (fresh["X-Page-Cache"], stored["X-Page-Cache"]) == ("miss", "hit")
    assert _security(stored) == _security(fresh)
    assert stored["X-Frame-Options"] and stored["Content-Security-Policy"]


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_site_pages_allow_no_inline_script(client, home_page):
    directives = _directives(client.get("/"))
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in _directives(client.get("/accounts/login/"))["script-src"]


def test_the_wagtail_admin_has_its_own_policy_and_still_works(client, make_user):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in _directives(response)["script-src"]


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"(?:application/json|text/template)\")[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            offenders += [f"{template.relative_to(ROOT)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert offenders == []
