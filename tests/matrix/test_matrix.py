"""The generated permission matrix: every URL pattern of the project, asked as every role.

For each route (one test each, id = the url name, so xdist spreads them) the test fills the
parameters with school A's objects (tests/matrix/cases.py), then as each of the twelve roles:

1. GETs the URL and compares allowed/refused with the expectation (tests/matrix/expectations.py:
   the model's policy for snippet views, the page permission tester for page views, the explicit
   table for the rest); for listings and choosers it also checks that a row the role may not view
   is not listed;
2. POSTs to it — the data of the form the superuser is shown there (the object's current data), so
   a refused POST is one that would have worked — and compares again. Refused POSTs must change no
   row: the involved tables are fingerprinted (row counts and every field) before and after.

Every request runs in a savepoint that is rolled back, so roles do not see each other's changes.
A route without an expectation fails; a known hole fails (it is never skipped or expected to fail).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import ROLE_NAMES, restore_files
from tests.matrix import probe
from tests.matrix.cases import Unfillable, case_for
from tests.matrix.expectations import EITHER, Ask, listing_leaks, rule_for
from tests.matrix.routes import all_routes

ROUTES = all_routes()


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker):
    """A session cookie per role, made once (force_login on a throwaway client)."""
    from django.conf import settings

    cookies = {}
    with django_db_blocker.unblock():
        for role in ROLE_NAMES:
            user = world.user(role)
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def client_for(role, sessions):
    from django.conf import settings

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if role in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
    return client


def request(client, method, path, data=None):
    """(outcome, response or None, error text)."""
    cache.clear()  # throttles count per client address, and every role comes from 127.0.0.1
    try:
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data or {})
    except Exception as error:  # noqa: BLE001 - an exception in a view is a finding, reported as one
        return f"error {type(error).__name__}: {str(error)[:120]}", None
    got = probe.outcome(response)
    if got == probe.ALLOWED and 300 <= response.status_code < 400:
        # A redirect is followed once: landing on a refusal is a refusal ("add an asset" sends
        # everyone to "record a purchase", which refuses whom it must).
        target = response["Location"]
        if target.startswith("/") and not target.startswith("//"):
            try:
                landed = client.get(target)
            except Exception:  # noqa: BLE001 - the redirect itself was the answer
                return got, response
            if probe.outcome(landed) == probe.REFUSED:
                return probe.REFUSED, response
    return got, response


def expected(rule, ask):
    answer = rule(ask)
    return answer if answer is EITHER else (probe.ALLOWED if answer else probe.REFUSED)


def agrees(want, got):
    """A 400 (the view rejected the data) agrees with either expectation: which check rejected it
    cannot be told from outside; for a POST the database check still proves nothing changed."""
    return want is EITHER or got == want or got == probe.BAD_REQUEST


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.id for route in ROUTES])
def test_matrix(route, world, sessions):
    rule = rule_for(route)
    assert rule is not None, (
        f"{route.name} ({route.pattern}) has no expectation in tests/matrix/expectations.py"
    )
    try:
        case = case_for(route, world)
    except Unfillable as why:
        pytest.fail(f"{route.name}: cannot fill its parameters ({why}); give tests/matrix/cases.py a value")
    restore_files(world)
    problems = []

    # GET, as every role; the superuser's form is what everybody posts afterwards.
    superuser_form = None
    for role in ROLE_NAMES:
        ask = Ask(role, world.user(role), world, case, route, "GET")
        want = expected(rule, ask)
        with probe.undone():
            got, response = request(client_for(role, sessions), "GET", case.path)
            if role == "superuser" and response is not None:
                superuser_form = probe.form_data(response, case.path)
        if not agrees(want, got):
            problems.append(f"GET  {role:<15} expected {want}, got {got}")
        elif got == probe.ALLOWED and response is not None and not response.streaming and want is not EITHER:
            leaks = listing_leaks(ask, response.content.decode("utf-8", "replace"))
            if leaks:
                problems.append(f"GET  {role:<15} lists school A's row it may not view: {leaks}")

    # POST, where the view takes one (a superuser's POST answered 405: it takes none).
    post_data = {**(superuser_form or {}), **case.data}
    with probe.undone():
        _got, response = request(client_for("superuser", sessions), "POST", case.path, post_data)
    if response is not None and response.status_code == 405:
        report(route, case, problems)
        return

    # Refused roles first, all in one savepoint; then the database must be as it was.
    wants = {}
    for role in ROLE_NAMES:
        wants[role] = expected(rule, Ask(role, world.user(role), world, case, route, "POST"))
    models = probe.involved_models()
    refused = [role for role in ROLE_NAMES if wants[role] == probe.REFUSED]
    with probe.undone():
        before = probe.snapshot(models)
        for role in refused:
            got, _response = request(client_for(role, sessions), "POST", case.path, post_data)
            if not agrees(probe.REFUSED, got):
                problems.append(f"POST {role:<15} expected refused, got {got}")
        after = probe.snapshot(models)
    if probe.changed(before, after):
        # Find who changed what, one refused role at a time.
        for role in refused:
            with probe.undone():
                request(client_for(role, sessions), "POST", case.path, post_data)
                tables = probe.changed(before, probe.snapshot(models))
            if tables:
                problems.append(f"POST {role:<15} was refused but changed rows of {', '.join(tables)}")
    for role in ROLE_NAMES:
        if wants[role] in (probe.REFUSED, EITHER):
            continue
        with probe.undone():
            got, response = request(client_for(role, sessions), "POST", case.path, post_data)
        if response is not None and response.status_code == 405:
            continue  # the view takes no POST: nothing to allow
        if not agrees(wants[role], got):
            problems.append(f"POST {role:<15} expected {wants[role]}, got {got}")

    report(route, case, problems)


def report(route, case, problems):
    """Fail with every finding of the route (pytest.fail: the list is never truncated)."""
    if problems:
        pytest.fail(f"{route.name} {case.path}\n" + "\n".join(problems), pytrace=False)
