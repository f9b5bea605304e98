"""Issue 12: the grant lock is held per row batch, never for the whole file. The preview of an
import (in the request) saves nothing and so locks nothing: another purchase for the school can be
recorded at any moment of it. The confirmed import (the job) locks the grant and its school for
one batch at a time and checks what is left of the grant again under that lock, so two imports
at the same moment never charge more than the grant's approved amount (and so never pass the
100万元 per school).

Row locks are observed on PostgreSQL; SQLite has none (a writer locks the whole database), so
there the lock tests are skipped. The last test (the preview says what the job records) runs on
both."""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from makerroom.core import jobs
from makerroom.core.models import Job, JobState, School

from kits import import_jobs, imports, services
from kits.models import Asset, Grant, Purchase, PurchaseImport, ToolType

HEADER = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (DATABASE_URL): SQLite locks the whole database for every writer",
)


def _sheet(count, tool="led-red", price="10.00", prefix="INV"):
    lines = [HEADER] + [f"2026-03-02,{tool},1,{price},,华强北电子,{prefix}{n:06d}," for n in range(count)]
    return "\n".join(lines).encode("utf-8-sig")


class LockProbe:
    """Before and after every SQL statement the code under test sends, try to lock the grant's and
    the school's rows from a second connection without waiting (FOR UPDATE NOWAIT, each in its own
    transaction). `locked` says, probe by probe, whether either row was held by the code under test."""

    def __init__(self, grant):
        self.rows = ((Grant, grant.pk), (School, grant.room.school_id))
        self.other = connections.create_connection("default")
        self.locked, self.statements = [], []

    def __call__(self, execute, sql, params, many, context):
        self._probe(sql)
        result = execute(sql, params, many, context)
        self._probe(sql)
        return result

    def _probe(self, sql):
        quote = self.other.ops.quote_name
        held = False
        for model, pk in self.rows:
            try:
                with self.other.cursor() as cursor:
                    cursor.execute(
                        f"SELECT 1 FROM {quote(model._meta.db_table)} WHERE id = %s FOR UPDATE NOWAIT", [pk]
                    )
            except OperationalError:
                held = True
        self.locked.append(held)
        self.statements.append(sql[:80])

    @property
    def spans(self):
        """How many times the rows were locked and released again (runs of locked probes)."""
        return sum(1 for i, held in enumerate(self.locked) if held and (i == 0 or not self.locked[i - 1]))

    def close(self):
        self.other.close()


class PurchaseDuringPreview(LockProbe):
    """The probe, and once the preview applies the rules to its rows (its second invoice lookup),
    another lab staff member's purchase for the same school, recorded in its own transaction while
    the preview waits: whether it went through in time is `other_done`."""

    def __init__(self, grant, user):
        super().__init__(grant)
        self.grant, self.user = grant, user
        self.lookups, self.other_done, self.thread = 0, None, None

    def __call__(self, execute, sql, params, many, context):
        result = super().__call__(execute, sql, params, many, context)
        if sql.startswith('SELECT "kits_purchase"."invoice_number"'):
            self.lookups += 1
            if self.lookups == 2:
                self.thread = threading.Thread(target=self._buy)
                self.thread.start()
                self.thread.join(timeout=10)
                self.other_done = not self.thread.is_alive()
        return result

    def _buy(self):
        try:
            services.record_purchase(
                grant=self.grant,
                tool_type=ToolType.objects.get(slug="multimeter"),
                quantity=1,
                unit_cost="88.00",
                supplier="华强北电子",
                invoice_number="OTHER-1",
                purchased_on=date(2026, 3, 3),
                user=self.user,
            )
        finally:
            connections.close_all()


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_preview_of_a_big_file_holds_no_lock_and_another_purchase_goes_through(client, grant, labstaff):
    """The import screen previews a 1,000-row sheet (five of the job's batches): at no statement of
    that request are the grant or its school locked, and a purchase recorded for the school while
    the preview runs is charged at once instead of waiting for the preview to end."""
    client.force_login(labstaff)
    upload = SimpleUploadedFile("big.csv", _sheet(1000))
    probe = PurchaseDuringPreview(grant, labstaff)
    try:
        with connection.execute_wrapper(probe):
            preview = client.post("/admin/kits/import/", {"grant": grant.pk, "file": upload})
    finally:
        if probe.thread is not None:
            probe.thread.join()
        probe.close()
    result = preview.context["result"]
    assert preview.status_code == 200 and result.ok and len(result.rows) == 1000
    assert len(probe.locked) > 10  # the probe really ran along the preview
    held = [sql for sql, locked in zip(probe.statements, probe.locked, strict=True) if locked]
    assert held == [], f"locked during the preview ({len(held)} of {len(probe.locked)} probes): {held[:3]}"
    assert probe.other_done, "the other purchase waited for the preview to end"
    # What the preview shows: every row, its subsidy and what is left after; it saved nothing.
    assert result.subsidy == Decimal("10000.00") and result.grant_left_after == Decimal("990000.00")
    assert list(Purchase.objects.values_list("invoice_number", flat=True)) == ["OTHER-1"]
    assert not PurchaseImport.objects.exists()
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("88.00")


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_confirmed_import_locks_the_grant_for_one_batch_at_a_time(grant, labstaff, monkeypatch):
    """The job takes the lock for each of its four batches and releases it at the batch's end: the
    probe finds the rows locked four separate times, free before and after."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 50)
    job = Job.objects.create(
        owner=labstaff,
        runner=import_jobs.purchase_import_job.job_path,
        title="导入",
        params={"grant": grant.pk, "filename": "s.csv"},
    )
    job.input_file.save("s.csv", ContentFile(_sheet(200)))
    probe = LockProbe(grant)
    try:
        with connection.execute_wrapper(probe):
            assert jobs.execute(job.pk) == JobState.DONE
    finally:
        probe.close()
    assert Purchase.objects.count() == 200
    assert probe.spans == 4, probe.locked
    assert not probe.locked[0] and not probe.locked[-1]


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_at_the_same_moment_never_charge_more_than_the_grant(grant, labstaff, monkeypatch):
    """Two confirmed imports of 600,000 each for a school whose grant is the whole 1,000,000 cap,
    run by two workers at once in batches of 50 rows: each batch checks what is left under the lock,
    so the charges never pass 1,000,000 and every purchase's subsidy is counted once."""
    monkeypatch.setattr(imports, "BATCH_ROWS", 50)
    assert grant.approved_amount == Decimal("1000000.00")
    jobs_ = []
    for prefix in ("A", "B"):
        job = Job.objects.create(
            owner=labstaff,
            runner=import_jobs.purchase_import_job.job_path,
            title=f"导入 {prefix}",
            params={"grant": grant.pk, "filename": f"{prefix}.csv"},
        )
        job.input_file.save(f"{prefix}.csv", ContentFile(_sheet(300, "fdm-printer", "2000.00", prefix)))
        jobs_.append(job)
    barrier = threading.Barrier(2)
    states = {}

    def run(job):
        try:
            barrier.wait()
            states[job.pk] = jobs.execute(job.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert JobState.FAILED in states.values()  # 1,200,000 asked, 1,000,000 there
    grant.refresh_from_db()
    subsidies = sum(Purchase.objects.filter(grant=grant).values_list("subsidy", flat=True))
    assert grant.charged == subsidies <= Decimal("1000000.00")
    assert grant.charged == sum(PurchaseImport.objects.values_list("subsidy", flat=True))
    assert Asset.objects.count() == Purchase.objects.count()  # one numbered asset each, tags unique
    assert services.recorded_invoices(grant.room.school_id, {"A000000", "B000000"})  # both imported


@pytest.mark.django_db
def test_the_preview_is_what_the_job_records(grant, labstaff, django_capture_on_commit_callbacks):
    """On any database: the preview (no lock, nothing written) gives every row the subsidy the job
    then records in its batches, down to the last row, which the grant pays only in part."""
    Grant.objects.filter(pk=grant.pk).update(charged=Decimal("998651.00"))  # 1,349.00 left
    grant.refresh_from_db()
    content = _sheet(450, price="3.00")  # 1,350.00 in three batches: the last row is part-paid
    preview = imports.preview_purchases(io.BytesIO(content), "s.csv", grant=grant, user=labstaff)
    assert preview.ok, preview.errors[:3]
    assert not Purchase.objects.exists() and not PurchaseImport.objects.exists()
    assert preview.rows[-1].subsidy == Decimal("2.00") and preview.partial_rows == preview.rows[-1:]
    assert preview.subsidy == Decimal("1349.00") and preview.grant_left_after == 0
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            labstaff,
            import_jobs.purchase_import_job,
            "导入",
            params={"grant": grant.pk, "filename": "s.csv"},
            input_file=ContentFile(content, name="s.csv"),
        )
    assert Job.objects.get(pk=job.pk).state == JobState.DONE
    saved = list(Purchase.objects.order_by("invoice_number").values_list("invoice_number", "subsidy"))
    assert saved == [(r.invoice_number, r.subsidy) for r in preview.rows]
    assert Grant.objects.get(pk=grant.pk).charged == Grant.objects.get(pk=grant.pk).approved_amount
