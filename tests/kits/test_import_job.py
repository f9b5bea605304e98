"""The purchase import runs as a job after the preview is confirmed: batches of rows, each with the
grant locked for that batch only; progress and the result on the job page; row errors listed; a
retry continues after the rows saved. Previews never confirmed are pruned. A real worker process
runs it too."""

import io
import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from makerroom.core import jobs
from makerroom.core.models import Job, JobState
from wagtail.models import ReferenceIndex

from kits import import_jobs, imports
from kits.models import Asset, Grant, Purchase, PurchaseImport
from tests.ops.conftest import start_worker, wait_for  # noqa: F401 - the fixture

HEADER = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"


def _sheet(count, tool="led-red", quantity=1, price="10.00", start=0):
    lines = [HEADER] + [
        f"2026-03-02,{tool},{quantity},{price},,华强北电子,INV{start + n:06d}," for n in range(count)
    ]
    return ("\n".join(lines)).encode("utf-8-sig")


def _start(owner, grant, content, name="sheet.csv"):
    return jobs.start(
        owner,
        import_jobs.purchase_import_job,
        "导入",
        params={"grant": grant.pk, "filename": name},
        input_file=ContentFile(content, name=name),
    )


@pytest.mark.django_db
def test_confirming_the_preview_starts_a_job_that_saves_the_sheet(
    client, grant, labstaff, django_capture_on_commit_callbacks
):
    client.force_login(labstaff)
    content = _sheet(5)
    preview = client.post(
        "/admin/kits/import/", {"grant": grant.pk, "file": SimpleUploadedFile("s.csv", content)}
    )
    sha = preview.context["result"].sha256
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            "/admin/kits/import/",
            {"confirm": "1", "grant": grant.pk, "sha256": sha, "ext": "csv", "filename": "s.csv"},
        )
    job = Job.objects.get()
    assert confirmed.status_code == 302 and confirmed.url == job.get_absolute_url()
    assert job.state == JobState.DONE and (job.done, job.total) == (5, 5)
    assert Purchase.objects.count() == 5
    entry = PurchaseImport.objects.get()
    assert entry.complete and entry.rows == entry.rows_done == 5 and entry.job_id == job.pk
    assert entry.subsidy == Grant.objects.get(pk=grant.pk).charged
    assert job.result_file.read().decode("utf-8-sig").count("\n") == 6  # header and five lines
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    # The previewed file moved into the job: nothing left pending.
    assert not default_storage.exists(import_jobs.PENDING.format(user=labstaff.pk, sha=sha, ext="csv"))


@pytest.mark.django_db
def test_a_batch_that_fails_keeps_the_batches_before_and_a_retry_continues(
    grant, labstaff, monkeypatch, django_capture_on_commit_callbacks
):
    """The preview said it fits, then the grant was used up meanwhile: saved batches stay, the row
    errors are on the job, and once the grant has room again the retry saves only the rest."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    Grant.objects.filter(pk=grant.pk).update(approved_amount=Decimal("20.00"))
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(labstaff, grant, _sheet(8))
    job.refresh_from_db()
    entry = PurchaseImport.objects.get()
    assert job.state == JobState.FAILED and job.error_rows and not entry.complete
    assert 0 < entry.rows_done < 8 and entry.rows_done % 2 == 0
    assert Purchase.objects.count() == entry.rows_done
    assert Grant.objects.get(pk=grant.pk).charged == entry.subsidy == Decimal("20.00")
    assert f"{entry.rows_done}" in job.message

    Grant.objects.filter(pk=grant.pk).update(approved_amount=Decimal("1000.00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry(job)
    job.refresh_from_db()
    entry.refresh_from_db()
    assert job.state == JobState.DONE, job.error_rows
    assert entry.complete and entry.rows == entry.rows_done == 8
    invoices = list(Purchase.objects.values_list("invoice_number", flat=True))
    assert len(invoices) == len(set(invoices)) == 8
    assert Grant.objects.get(pk=grant.pk).charged == entry.subsidy


@pytest.mark.django_db
def test_another_upload_of_a_file_being_imported_is_refused(grant, labstaff, monkeypatch):
    content = _sheet(3)
    PurchaseImport.objects.create(
        school_id=grant.room.school_id,
        grant=grant,
        sha256=imports.file_sha256(io.BytesIO(content)),
        filename="s.csv",
        rows=0,
        total_cost=0,
        subsidy=0,
        complete=False,
        rows_done=2,
    )
    result = imports.preview_purchases(io.BytesIO(content), "s.csv", grant=grant, user=labstaff)
    assert not result.ok and "正在导入" in result.errors[0].message


@pytest.mark.django_db
def test_the_job_checks_the_owners_rights_again(grant, labstaff, django_capture_on_commit_callbacks):
    labstaff.groups.clear()
    with django_capture_on_commit_callbacks(execute=True):
        job = _start(labstaff, grant, _sheet(2))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not Purchase.objects.exists()


@pytest.mark.django_db
def test_the_import_costs_a_fixed_number_of_queries_per_row_and_no_reference_index(
    grant, labstaff, django_capture_on_commit_callbacks
):
    counts = {}
    for size, start, tool in (
        (10, 0, "led-red"),
        (20, 100, "led-red"),
        (30, 200, "led-red"),
        (10, 300, "fdm-printer"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = _start(labstaff, grant, _sheet(size, tool=tool, start=start), name=f"{start}.csv")
        assert Job.objects.get(pk=job.pk).state == JobState.DONE
        with CaptureQueriesContext(connection) as queries:
            imports.import_purchases(
                io.BytesIO(_sheet(size, tool=tool, start=start + 1000)), "q.csv", grant=grant, user=labstaff
            )
        counts[(size, tool)] = len(queries)
    # Ten more rows cost (almost) no more queries: the rows of a batch are recorded in bulk
    # (services.record_purchases; tests/kits/test_import_speed.py holds the count per batch).
    first, second = (
        counts[(20, "led-red")] - counts[(10, "led-red")],
        counts[(30, "led-red")] - counts[(20, "led-red")],
    )
    assert abs(first - second) <= 1 and max(first, second) <= 2, counts
    assert Asset.objects.exists()  # durable rows made assets
    assert not ReferenceIndex.objects.filter(
        content_type__app_label="kits", content_type__model__in=["purchase", "asset", "stock", "loan"]
    ).exists()


@pytest.mark.django_db
def test_previews_never_confirmed_are_pruned(client, grant, labstaff):
    old = import_jobs.PENDING.format(user=labstaff.pk, sha="a" * 64, ext="csv")
    default_storage.save(old, ContentFile(b"x"))
    path = default_storage.path(old)
    past = time.time() - 2 * 24 * 3600
    os.utime(path, (past, past))
    fresh = import_jobs.PENDING.format(user=labstaff.pk, sha="b" * 64, ext="csv")
    default_storage.save(fresh, ContentFile(b"y"))
    assert import_jobs.prune_pending(now=timezone.now()) == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)
    # A new preview prunes too.
    os.utime(default_storage.path(fresh), (past, past))
    client.force_login(labstaff)
    client.post("/admin/kits/import/", {"grant": grant.pk, "file": SimpleUploadedFile("s.csv", _sheet(1))})
    assert not default_storage.exists(fresh)
    assert import_jobs.prune_pending(now=timezone.now() + timedelta(days=3)) >= 1  # the new preview's file


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_import(settings, grant, labstaff, start_worker):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = _start(labstaff, grant, _sheet(450))
    start_worker("--no-schedule")
    done = wait_for(lambda: (j := Job.objects.get(pk=job.pk)).state in (JobState.DONE, JobState.FAILED) and j)
    assert done.state == JobState.DONE, (done.message, done.error_rows)
    assert (done.done, done.total) == (450, 450)
    assert Purchase.objects.count() == 450 and PurchaseImport.objects.get().complete
