"""Requesting a URL as a role, telling allowed from refused, copying a form, checking the database.

Allowed: 2xx, or a 3xx to anything but a login page or the admin's home (where Wagtail sends a signed-in
user it refuses). Refused: 302 to a login page or the admin home, 401, 403, 404, 405. Anything else
(429, 500, an exception) is an error the matrix reports as such. A 400 says only that the data was
refused, not by which check: it agrees with either expectation (the database check still holds).
"""

import hashlib
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

ALLOWED, REFUSED, BAD_REQUEST = "allowed", "refused", "bad request"


def login_paths():
    return {
        reverse("accounts:login"),
        reverse("wagtailadmin_login"),
        reverse("wagtailcore_login"),
        reverse("admin:login"),
    }


def outcome(response):
    """ALLOWED, REFUSED, or "error <status>"."""
    status = response.status_code
    if status in (401, 403, 404, 405):
        return REFUSED
    if 300 <= status < 400:
        target = urlsplit(response.get("Location", "")).path
        if target in login_paths() or target == reverse("wagtailadmin_home"):
            return REFUSED
        return ALLOWED
    if status == 400:
        return BAD_REQUEST
    if 200 <= status < 300:
        return ALLOWED
    return f"error {status}"


@contextmanager
def undone():
    """Whatever happens inside is rolled back (a savepoint of the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- copying a form --------------------------------------------------------------------------------


class _FormParser(HTMLParser):
    """The fields of the page's POST forms, as a browser would submit them unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []  # [(action, [(name, value)])]
        self._form = None
        self._select = None
        self._textarea = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = (attrs.get("action") or "", [])
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form[1]
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            fields.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = (name, "multiple" in attrs)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form[1].extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form[1].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def form_data(response, path):
    """The data of the page's main POST form (the one posting to `path`, else the largest)."""
    if response.streaming or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    parser = _FormParser()
    parser.feed(response.content.decode("utf-8", "replace"))
    forms = [f for f in parser.forms if f[0] in ("", path, urlsplit(path).path)] or parser.forms
    if not forms:
        return None
    action, fields = max(forms, key=lambda f: len(f[1]))
    data = {}
    for name, value in fields:
        if name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(value)
    return data


# --- the database before and after ----------------------------------------------------------------

# Written by any request and not part of what a refused request may not change.
VOLATILE = {
    "sessions.session",
    "wagtailusers.userprofile",
    "wagtailadmin.editingsession",
    "wagtailsearch.indexentry",
    "wagtailcore.referenceindex",
    "contenttypes.contenttype",
    "auth.permission",
}
OUR_APPS = {"core", "home", "courses", "classes", "workspace", "festival", "kits", "firmware", "accounts"}
WAGTAIL_TABLES = {
    "wagtailcore.page",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.grouppagepermission",
    "wagtailcore.collection",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.workflow",
    "wagtailcore.task",
    "wagtailimages.image",
    "wagtaildocs.document",
    "wagtailredirects.redirect",
    "auth.group",
    "auth.group_permissions",
}


def involved_models():
    """Our apps' models and the Wagtail/auth tables a view could change for them."""
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in VOLATILE:
            continue
        if model._meta.app_label in OUR_APPS or label in WAGTAIL_TABLES:
            chosen.append(model)
    return chosen


def snapshot(models):
    """{model label: (row count, digest of every row's fields)}."""
    state = {}
    with connection.cursor() as cursor:
        for model in models:
            meta = model._meta
            table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - names from model meta
            rows = cursor.fetchall()
            state[meta.label] = (len(rows), hashlib.sha1(repr(rows).encode()).hexdigest())
    return state


def changed(before, after):
    return sorted(label for label in before if before[label] != after.get(label))
