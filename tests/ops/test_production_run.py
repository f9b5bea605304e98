"""Issue 12, done when: a production-like run passes end to end. gunicorn with two workers and
`manage.py worker`, both real processes on makerroom.settings.production, share the test's
PostgreSQL database, a Redis database and an S3 server (moto); a local purge receiver stands for the
CDN. Over HTTP, logged in through the login form as a browser behind the TLS-terminating proxy:

1. a student uploads a photo to the team's festival entry: it lands in the bucket, and the photo's
   URL is a redirect to a signed URL from which the store sends the same bytes;
2. lab staff import a purchase sheet (preview, then confirm, as the admin does): the worker process
   runs the job, the job page follows it to done, and the purchases are in the database once;
3. an editor publishes a change to a page: the worker purges its URL at the CDN, and anonymous
   visitors get the new page from either web worker, through the cache they share in Redis.

Needs PostgreSQL (DATABASE_URL) and Redis (PRODUCTION_RUN_REDIS_URL, default db 11 on
127.0.0.1:6379, emptied before and after). It runs in CI's PostgreSQL pass; on SQLite it is
skipped (production runs on PostgreSQL), and without Redis it fails."""

import io
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection
from makerroom.core import roles
from makerroom.core.models import Job, JobState, SchoolStage
from makerroom.home.models import ContentPage
from PIL import Image

from festival import services as festival_services
from festival.models import EntryPhoto
from kits.models import FundingProgramme, Grant, GrantStatus, MakerRoom, Purchase, PurchaseImport, ToolType
from tests.factories import make_school
from tests.festival.conftest import build_edition
from tests.ops.test_cdn_cache import purge_receiver  # noqa: F401 - the purge receiver fixture
from tests.ops.test_s3_storage import BUCKET, s3_server  # noqa: F401 - the moto S3 server fixture

from .conftest import ROOT, child_env, free_port, wait_for

REDIS_URL = os.environ.get("PRODUCTION_RUN_REDIS_URL", "redis://127.0.0.1:6379/11")
PASSWORD = "pass-w0rd-123"
# The site's public name: the TLS-terminating proxy forwards requests for it to gunicorn.
PUBLIC_HOST = "maker.example.cn"
PROXY_HEADERS = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https"}
ROWS = 600  # three batches of the import (kits.imports.BATCH_ROWS)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),  # the processes see what the test commits
]


# --- the services around the site ---------------------------------------------------------------


@pytest.fixture
def shared_redis():
    """The Redis database every process of the run shares, empty before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        client.close()
        # Not a skip: CI and setup provide Redis, and a run without it must not pass as tested.
        pytest.fail(f"needs Redis at {REDIS_URL} (PRODUCTION_RUN_REDIS_URL): start it and run again")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def production_env(settings, **extra):
    """What production reads from the environment, pointing at this test's services."""
    env = child_env(
        settings,
        DJANGO_SETTINGS_MODULE="makerroom.settings.production",
        SECRET_KEY="production-run-" + "k" * 50,
        ALLOWED_HOSTS=PUBLIC_HOST,
        **extra,
    )
    for name in ("MAKERROOM_SINGLE_PROCESS", "MAKERROOM_TASKS", "MAKERROOM_TEST_MEDIA_ROOT"):
        env.pop(name, None)  # test settings' switches; production must do without them
    return env


@pytest.fixture
def static_root(tmp_path):
    """What the image does at build time: production's manifest storage needs collected static
    files. Started first, so that it runs while the test's content is made."""
    root = tmp_path / "static"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="makerroom.settings.production",
        SECRET_KEY="build-only",
        MAKERROOM_SINGLE_PROCESS="1",
        STATIC_ROOT=str(root),
    )
    log = open(tmp_path / "collectstatic.log", "w+")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def collected():
        try:
            process.wait(timeout=300)
        finally:
            log.seek(0)
            output = log.read()
        assert process.returncode == 0, output
        assert (root / "staticfiles.json").exists(), output
        return root

    yield collected
    if process.poll() is None:
        process.kill()
        process.wait()
    log.close()


class Run:
    """The running site: its address and environment, its processes and their logs, and which
    gunicorn worker answered which request."""

    def __init__(self, base, env, logs, gunicorn, worker):
        self.base, self.port, self.env = base, urlsplit(base).port, env
        self.access_log, self.logs = logs / "access.log", [logs / "gunicorn.log", logs / "worker-0.log"]
        self.gunicorn, self.worker = gunicorn, worker

    def errors(self):
        """Lines of the processes' logs that report an error."""
        return [
            line
            for log in self.logs
            for line in log.read_text().splitlines()
            if '"level": "ERROR"' in line or '"level": "CRITICAL"' in line or "Traceback" in line
        ]

    def log_lines(self):
        return Path(self.access_log).read_text().splitlines()

    def pids_that_served(self, path, since=0):
        """The gunicorn workers that answered GET `path` with 200, from access log line `since` on."""
        pids = set()
        for line in self.log_lines()[since:]:
            match = re.match(r"<(\d+)> GET (\S+) (\d+)", line)
            if match and match[2] == path and match[3] == "200":
                pids.add(int(match[1]))
        return pids


def image_health_check(port):
    """The Dockerfile's HEALTHCHECK command (compose gives the web service no other), for the
    gunicorn on `port` instead of the image's 8000."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    match = re.search(r'^HEALTHCHECK [^\n]*\\\n\s*CMD python -c "([^\n]*)"$', dockerfile, re.M)
    assert match and "127.0.0.1:8000" in match[1], "the HEALTHCHECK is a python -c command on port 8000"
    return match[1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def _health(base):
    try:
        response = requests.get(f"{base}/healthz", headers=PROXY_HEADERS, timeout=30)
    except requests.RequestException:  # not listening yet, or a worker still loading the site
        return None
    return response.status_code == 200 and response.json()


@pytest.fixture
def production_run(
    settings,
    tmp_path,
    transactional_db,
    s3_server,  # noqa: F811
    purge_receiver,  # noqa: F811
    shared_redis,
    start_worker,
    start_process,
    static_root,
):
    """gunicorn ×2 and a task worker on production settings, logs in tmp_path; both stopped after
    the test, even when it failed, before the database is emptied."""
    endpoint, _client = s3_server
    env = production_env(
        settings,
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(tmp_path / "static"),  # collected by static_root
        AWS_STORAGE_BUCKET_NAME=BUCKET,  # AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY: set by s3_server
        AWS_S3_ENDPOINT_URL=endpoint,
        # Browsers reach the store under another name (compose: http://s3:9000 inside, localhost out).
        AWS_S3_PUBLIC_ENDPOINT_URL=endpoint.replace("127.0.0.1", "localhost"),
        AWS_S3_REGION_NAME="us-east-1",
        FRONTEND_CACHE_PURGE_URL=settings.WAGTAILFRONTENDCACHE["default"]["LOCATION"],
    )
    # The worker boots while the static files are collected (it serves no pages).
    worker = start_worker("--queue-name", "*", "--worker-id", "production-run", **env)
    static_root()
    port = free_port()
    gunicorn = start_process(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "makerroom.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--graceful-timeout",  # it stops its workers well before start_process would kill it
            "10",
            "--no-control-socket",
            "--access-logfile",
            str(tmp_path / "access.log"),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ],
        env,
    )
    base = f"http://127.0.0.1:{port}"

    def ready():
        for name, process in (("gunicorn", gunicorn), ("worker", worker)):
            assert process.poll() is None, f"{name} exited ({process.returncode}); its log is below"
        return _health(base)

    health = wait_for(ready, timeout=120)
    assert health == {"status": "ok", "database": "ok", "cache": "ok", "worker": "ok"}
    yield Run(base, env, tmp_path, gunicorn, worker)
    for process in (gunicorn, worker):  # both stop at once; the fixtures that started them wait
        if process.poll() is None:
            process.terminate()


# --- a browser behind the TLS proxy -------------------------------------------------------------


class Browser:
    """A visitor's browser behind the TLS-terminating proxy. Its requests reach gunicorn as the
    proxy forwards them: for the public host (Host), having come over HTTPS (X-Forwarded-Proto); the
    site's Secure cookies (session, CSRF) go back over this plain-HTTP hop as the browser sends them
    over HTTPS; forms carry a same-origin Referer (Django's CSRF check on HTTPS). Follows the site's
    own redirects, never another origin's (the store's signed URL is returned, not fetched)."""

    def __init__(self, base):
        self.base = base  # gunicorn's address, where the proxy sends the requests
        self.session = requests.Session()
        self.session.headers.update(PROXY_HEADERS)
        self.page = "/"  # the path of the page the browser shows

    def _path(self, location):
        """The site path a link or redirect leads to; None when it leads to another origin."""
        url = urlsplit(urljoin(f"https://{PUBLIC_HOST}{self.page}", location))
        if url.netloc != PUBLIC_HOST:
            return None
        return url.path + (f"?{url.query}" if url.query else "")

    def _send(self, method, path, **kwargs):
        for cookie in self.session.cookies:  # the browser's side of the proxy is HTTPS
            cookie.secure = False
        return self.session.request(method, self.base + path, allow_redirects=False, timeout=60, **kwargs)

    def request(self, method, location, **kwargs):
        path = self._path(location)
        referer = f"https://{PUBLIC_HOST}{self.page}"
        response = self._send(method, path, headers={"Referer": referer}, **kwargs)
        while response.is_redirect and (next_path := self._path(response.headers["Location"])):
            path = next_path
            response = self._send("GET", path)
        self.page = path
        return response

    def get(self, location, **kwargs):
        return self.request("GET", location, **kwargs)

    def post(self, location, data, **kwargs):
        return self.request("POST", location, data=data, **kwargs)

    def login(self, username, password=PASSWORD):
        form = Forms(self.get("/accounts/login/").text).having("password")
        response = self.post(form.action, {**form.data, "username": username, "password": password})
        assert response.status_code == 200 and "sessionid" in self.session.cookies, response.text[:2000]
        return response


class Forms(HTMLParser):
    """The forms of a page and what a browser would submit from each (inputs, checked boxes, the
    selected options, text areas; not what is inside <template> or disabled)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea, self._template = [], None, None, None, 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "id": attrs.get("id"), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._form["fields"].append(
                (attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = {"name": attrs["name"], "options": [], "multiple": "multiple" in attrs}
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif self._template:
            return
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select["options"] if selected]
            if not chosen and self._select["options"] and not self._select["multiple"]:
                chosen = [self._select["options"][0][0]]
            self._form["fields"].extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and not self._template:
            self._textarea[1] += data

    def having(self, name=None, *, action=None, form_id=None):
        """The one form with a field of this name (or this action, or this id)."""
        found = [
            f
            for f in self.forms
            if (name is None or name in {n for n, _v in f["fields"]})
            and (action is None or f["action"] == action)
            and (form_id is None or f["id"] == form_id)
        ]
        assert len(found) == 1, (name, action, form_id, [f["action"] for f in self.forms])
        return Form(found[0]["action"], found[0]["fields"])


class Form:
    def __init__(self, action, fields):
        self.action, self.fields = action, fields

    @property
    def data(self):
        return dict(self.fields)


# --- the people and content, made in the database first -----------------------------------------


@pytest.fixture
def password_hash():
    """A password hash production accepts (its hashers; the test settings' MD5 is not one of them),
    computed once for every account of the run."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


@pytest.fixture
def people(make_user, password_hash, django_user_model):
    school = make_school("SZ-P001", "深圳市南山区生产演练学校", stage=SchoolStage.JUNIOR)
    made = {
        "student": make_user("p_student", role=roles.Role.STUDENT, school=school, display_name="小林"),
        "teacher": make_user("p_teacher", role=roles.Role.TEACHER, school=school, display_name="李老师"),
        "labstaff": make_user("p_labstaff", role=roles.Role.LAB_STAFF, school=school, display_name="王老师"),
        "editor": make_user("p_editor", display_name="周编辑"),
    }
    # The site's editors are Wagtail's moderators (named in Chinese by a data migration): they
    # publish information pages.
    made["editor"].groups.add(Group.objects.get(name="网站审核员"))
    django_user_model.objects.filter(pk__in=[u.pk for u in made.values()]).update(password=password_hash)
    made["school"] = school
    return made


@pytest.fixture
def entry(home_page, people):
    edition = build_edition(home_page)
    return festival_services.create_entry(
        edition=edition,
        user=people["student"],
        students=[people["student"]],
        mentor=people["teacher"],
        title="智能浇花器",
        category=edition.categories.first(),
        age_group=edition.age_groups.get(name="初中"),
        description="用土壤湿度传感器自动给花浇水。",
    )


@pytest.fixture
def grant(people):
    from kits import catalogue
    from kits.models import ToolCategory

    if not ToolType.objects.filter(slug="led-red").exists():  # flushed by a transactional test before
        catalogue.sync_catalogue(ToolCategory, ToolType)
        catalogue.sync_programmes(FundingProgramme)
    room = MakerRoom.objects.create(school=people["school"], name="创客实践室", location="科技楼 3 楼")
    return Grant.objects.create(
        programme=FundingProgramme.objects.get(slug="maker-room"),
        room=room,
        approved_amount=Decimal("1000000.00"),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 8, 31),
        status=GrantStatus.APPROVED,
    )


@pytest.fixture
def page(home_page):
    """An information page inside a section (a publish purges it and what shows it, not everything)."""
    section = home_page.add_child(instance=ContentPage(title="关于创客实践室", slug="about"))
    section.save_revision().publish()
    child = section.add_child(instance=ContentPage(title="开放时间", slug="hours", summary="每周三下午开放"))
    child.save_revision().publish()
    return ContentPage.objects.get(pk=child.pk)


def photo_bytes():
    """A phone photo with its GPS position in the EXIF."""
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (22.0, 32.0, 0.0)}  # GPSInfo: latitude
    exif[0x0110] = "Phone X"  # camera model
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def purchase_sheet(rows):
    header = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"
    lines = [f"2026-03-02,led-red,1,10.00,,华强北电子,PR{n:06d}," for n in range(rows)]
    return "\n".join([header, *lines]).encode("utf-8-sig")


# --- the run ------------------------------------------------------------------------------------


def test_a_production_like_run_serves_photos_runs_jobs_and_purges_pages(
    shared_redis,
    static_root,
    people,
    entry,
    grant,
    page,
    s3_server,  # noqa: F811 - the fixture
    purge_receiver,  # noqa: F811 - the fixture
    production_run,
):
    run = production_run
    endpoint, s3 = s3_server

    # 0. The image's own health check finds this web process healthy, as Docker would ask it.
    check = subprocess.run(
        [sys.executable, "-c", image_health_check(run.port)],
        env=run.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr

    # 1. A student adds a photo to the team's entry; the store keeps it and sends it.
    student = Browser(run.base)
    student.login("p_student")
    entry_page = student.get(f"/judging/entries/{entry.pk}/")
    assert entry_page.status_code == 200
    upload = Forms(entry_page.text).having(action=f"/judging/entries/{entry.pk}/photos/")
    sent = student.post(
        upload.action,
        {**upload.data, "alt_text": "作品全貌"},
        files={"image": ("IMG_0412.jpg", photo_bytes(), "image/jpeg")},
    )
    assert sent.status_code == 200
    photo = EntryPhoto.objects.filter(entry=entry).first()
    assert photo is not None, sent.text[:3000]
    assert f'src="/judging/photos/{photo.pk}/"' in sent.text  # back on the entry page, shown
    stored = s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    assert not Image.open(io.BytesIO(stored)).getexif()  # the GPS position and camera are gone
    redirect = student.get(f"/judging/photos/{photo.pk}/")
    assert redirect.status_code == 302 and "private" in redirect.headers["Cache-Control"]
    signed = redirect.headers["Location"]
    public = endpoint.replace("127.0.0.1", "localhost")  # signed for the address browsers use
    assert signed.startswith(f"{public}/{BUCKET}/") and "X-Amz-Signature=" in signed
    from_store = requests.get(signed, timeout=30)
    assert from_store.status_code == 200 and from_store.content == stored
    assert Browser(run.base).get(f"/judging/photos/{photo.pk}/").status_code == 404  # a draft's photo

    # 2. Lab staff import a purchase sheet: the preview, then the job the worker runs.
    labstaff = Browser(run.base)
    labstaff.login("p_labstaff")
    form = Forms(labstaff.get("/admin/kits/import/").text).having("grant")
    preview = labstaff.post(
        form.action or "/admin/kits/import/",
        {**form.data, "grant": str(grant.pk)},
        files={"file": ("采购单-2026春.csv", purchase_sheet(ROWS), "text/csv")},
    )
    assert preview.status_code == 200 and 'data-testid="import-preview"' in preview.text, preview.text[:3000]
    assert not Purchase.objects.exists()  # nothing saved by the preview
    confirm = Forms(preview.text).having("sha256")
    job_page = labstaff.post(confirm.action, {**confirm.data, "confirm": "1"})
    job = Job.objects.get(owner=people["labstaff"])
    assert job_page.status_code == 200 and labstaff.page == f"/jobs/{job.pk}/"
    # The job page's progress bar follows the job's status (core/job.js asks for it).
    assert f'data-job-status-url="/jobs/{job.pk}/status/"' in job_page.text
    assert "data-job-progress" in job_page.text
    seen = []

    def finished():
        status = labstaff.get(f"/jobs/{job.pk}/status/").json()
        seen.append((status["state"], status["done"], status["total"]))
        return status["finished"] and status

    status = wait_for(finished, timeout=90, every=0.1)
    assert status["state"] == JobState.DONE, status
    assert (status["done"], status["total"], status["percent"]) == (ROWS, ROWS, 100)
    dones = [done for _state, done, _total in seen]
    assert dones == sorted(dones), seen  # progress only goes forward
    shown = labstaff.get(f"/jobs/{job.pk}/").text
    assert 'data-job-finished="1"' in shown and 'value="100"' in shown
    result = labstaff.get(status["download_url"])
    assert result.status_code == 200 and result.content.decode("utf-8-sig").count("\n") == ROWS + 1
    # Once: every line saved one time, by one run of the job, the grant charged once.
    invoices = list(Purchase.objects.filter(grant=grant).values_list("invoice_number", flat=True))
    assert len(invoices) == len(set(invoices)) == ROWS
    imported = PurchaseImport.objects.get(grant=grant)
    assert imported.complete and imported.rows == imported.rows_done == ROWS
    assert Grant.objects.get(pk=grant.pk).charged == imported.subsidy == Decimal("6000.00")
    assert Job.objects.get(pk=job.pk).attempts == 1
    # Confirming the same preview again (a second click, a reload) starts nothing.
    again = labstaff.post(confirm.action, {**confirm.data, "confirm": "1"})
    assert again.status_code == 200 and labstaff.page == "/admin/kits/import/"
    assert Job.objects.filter(owner=people["labstaff"]).count() == 1
    assert Purchase.objects.filter(grant=grant).count() == ROWS

    # 3. An editor publishes a change; the CDN is told, and both web workers serve the new page.
    path = urlsplit(page.full_url).path
    anonymous = requests.Session()

    def visit():
        response = anonymous.get(run.base + path, headers=PROXY_HEADERS, timeout=60)
        assert response.status_code == 200
        return response

    def from_both_workers(expect, absent):
        """Anonymous visits, four at a time, until each gunicorn worker has answered some: every one
        shows `expect` (not `absent`) and, after the first (which stores it), comes from the cache
        both workers share."""
        since = len(run.log_lines())
        first = visit()
        assert expect in first.text and absent not in first.text
        assert first.headers["X-Page-Cache"] == "miss"
        with ThreadPoolExecutor(4) as pool:

            def a_round():
                for response in pool.map(lambda _n: visit(), range(8)):
                    assert expect in response.text and absent not in response.text
                    assert response.headers["X-Page-Cache"] == "hit"
                    assert "public" in response.headers["Cache-Control"]
                return len(run.pids_that_served(path, since)) == 2

            wait_for(a_round, timeout=60, every=0)

    from_both_workers("每周三下午开放", "每周三、周六全天开放")

    editor = Browser(run.base)
    editor.login("p_editor")
    edit = Forms(editor.get(f"/admin/pages/{page.pk}/edit/").text).having(form_id="page-edit-form")
    data = {**edit.data, "summary": "每周三、周六全天开放", "action-publish": "action-publish"}
    data.setdefault("body-count", "0")  # the body's fields are drawn by Wagtail's script; it has none
    purge_receiver.clear()
    published = editor.post(edit.action or f"/admin/pages/{page.pk}/edit/", data)
    assert published.status_code == 200, published.text[:3000]
    assert ContentPage.objects.get(pk=page.pk).summary == "每周三、周六全天开放"
    purged = wait_for(lambda: {p for _host, p in purge_receiver} >= {path} and purge_receiver, timeout=60)
    assert {"/", "/about/", path} <= {p for _host, p in purged}
    purged_by = "path=wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task state=SUCCESSFUL"
    wait_for(lambda: purged_by in run.logs[1].read_text(), timeout=30)  # Wagtail's task, in the worker
    from_both_workers("每周三、周六全天开放", "每周三下午开放")

    # Both are still up, and nothing went wrong in them.
    assert run.gunicorn.poll() is None and run.worker.poll() is None
    assert not run.errors()
