"""The purchase import records its rows in batches (kits.services.record_purchases): the very rules
of record_purchase, line by line, in a fixed number of queries per batch whatever the number of
rows (issue 12: under 5 ms and a fixed number of queries per row)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from makerroom.core import jobs
from makerroom.core.models import Job, JobState
from wagtail.models import ModelLogEntry

from kits import import_jobs, imports, services
from kits.models import Asset, Grant, Purchase, Stock

HEADER = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"


def _sheet(count, start=0):
    tools = ["led-red", "fdm-printer"]  # a consumable (stock) and a durable tool (an asset a row)
    lines = [HEADER] + [
        f"2026-03-02,{tools[n % 2]},1,10.00,,华强北电子,INV{start + n:06d}," for n in range(count)
    ]
    return "\n".join(lines).encode("utf-8-sig")


def _lines(tool):
    """Lines that hit every rule: assets and stock, an invoice already recorded, one repeated in
    the batch, a further line of it, a future date, too many durable tools, a line the grant covers
    only in part and lines after the grant is used up."""
    today = date(2026, 3, 2)
    line = services.PurchaseLine
    return [
        line(tool("fdm-printer"), 2, "300.00", "华强北电子", "A-1", today, location="3 号柜"),
        line(tool("led-red"), 10, "0.50", "华强北电子", "A-2", today),
        line(tool("led-red"), 5, "0.50", "华强北电子", "OLD-1", today),  # recorded before
        line(tool("led-red"), 5, "0.50", "华强北电子", "A-2", today),  # again in the batch
        line(tool("led-red"), 5, "0.50", "华强北电子", "A-2", today, continues_invoice=True),
        line(tool("led-red"), 1, "0.50", "华强北电子", "A-3", timezone.localdate() + timedelta(days=3)),
        line(tool("fdm-printer"), 10_000, "1.00", "华强北电子", "A-4", today),
        line(tool("breadboard"), 3, "4.00", "", "A-5", today),
        line(tool("fdm-printer"), 1, "400.00", "华强北电子", "A-6", today),  # only part is covered
        line(tool("esp32-devkit"), 1, "40.00", "华强北电子", "A-7", today),  # the grant is used up
        line(tool("led-red"), 1, "0.50", "华强北电子", "A-8", today),
    ]


def _state(grant, outcomes):
    """What recording did, as plain data (the pks and timestamps aside)."""
    said = [
        o.message_dict if isinstance(o, ValidationError) else (str(o.subsidy), str(o.total_cost))
        for o in outcomes
    ]
    return {
        "outcomes": said,
        "charged": Grant.objects.get(pk=grant.pk).charged,
        "assets": list(
            Asset.objects.order_by("tag").values_list(
                "tag", "tool_type__slug", "location", "purchase__invoice_number"
            )
        ),
        "stock": sorted(Stock.objects.values_list("tool_type__slug", "quantity")),
        "log": sorted(
            (e.action, e.label, str(e.data), e.user_id)
            for e in ModelLogEntry.objects.filter(action__in=["kits.create", "kits.charge"])
        ),
    }


@pytest.mark.django_db
def test_recording_many_lines_at_once_does_exactly_what_recording_them_one_by_one_does(
    make_grant, room, labstaff, tool
):
    grant = make_grant(room, amount="800.00")
    services.record_purchase(
        grant=grant,
        tool_type=tool("led-red"),
        quantity=1,
        unit_cost="0.50",
        supplier="华强北电子",
        invoice_number="OLD-1",
        purchased_on=date(2026, 3, 1),
        user=labstaff,
    )
    Stock.objects.filter(tool_type__slug="led-red").update(quantity=7)  # stock held already
    states = {}
    for way in ("one by one", "at once"):
        with transaction.atomic():
            if way == "one by one":
                outcomes = []
                for line in _lines(tool):
                    try:
                        outcomes.append(
                            services.record_purchase(
                                grant=grant,
                                tool_type=line.tool_type,
                                quantity=line.quantity,
                                unit_cost=line.unit_cost,
                                supplier=line.supplier,
                                invoice_number=line.invoice_number,
                                purchased_on=line.purchased_on,
                                user=labstaff,
                                continues_invoice=line.continues_invoice,
                                location=line.location,
                            )
                        )
                    except ValidationError as error:
                        outcomes.append(error)
            else:
                outcomes = services.record_purchases(grant=grant, lines=_lines(tool), user=labstaff)
            states[way] = _state(grant, outcomes)
            transaction.set_rollback(True)
    assert states["at once"] == states["one by one"]
    said = states["at once"]["outcomes"]
    assert said[0] == ("600.00", "600.00") and said[1] == ("5.00", "5.00") and said[4] == ("2.50", "2.50")
    assert "invoice_number" in said[2] and "invoice_number" in said[3]  # recorded before / in the batch
    assert "purchased_on" in said[5] and "quantity" in said[6] and "supplier" in said[7]
    assert said[8] == ("192.00", "400.00")  # what was left of the 800
    assert "grant" in said[9] and "grant" in said[10]  # used up
    assert states["at once"]["charged"] == Decimal("800.00")
    assert len(states["at once"]["assets"]) == 3 and states["at once"]["assets"][0][2] == "3 号柜"


@pytest.mark.django_db
def test_the_import_costs_the_same_queries_at_20_and_200_rows_and_a_constant_per_batch(
    grant, labstaff, django_capture_on_commit_callbacks
):
    imports.import_purchases(io.BytesIO(_sheet(2, 90_000)), "warm.csv", grant=grant, user=labstaff)
    statements = {}
    for size, start in ((20, 0), (200, 1000)):
        with CaptureQueriesContext(connection) as queries:
            result = imports.import_purchases(
                io.BytesIO(_sheet(size, start)), f"{start}.csv", grant=grant, user=labstaff
            )
        assert result.ok, result.errors[:3]
        statements[size] = [q["sql"] for q in queries.captured_queries]
    # One batch: the same statements at 20 and 200 rows; only the bulk INSERTs may be split (SQLite
    # takes at most 999 parameters a statement: ~80 purchase rows), never one a row.
    others = {n: [q for q in sql if not q.startswith("INSERT")] for n, sql in statements.items()}
    inserts = {n: len(sql) - len(others[n]) for n, sql in statements.items()}
    assert len(others[200]) == len(others[20]), others
    assert inserts[200] <= 12, inserts

    jobs_counts = {}
    for size, start in ((200, 10_000), (600, 20_000)):
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start(
                labstaff,
                import_jobs.purchase_import_job,
                "导入",
                params={"grant": grant.pk, "filename": f"{start}.csv"},
                input_file=ContentFile(_sheet(size, start), name=f"{start}.csv"),
            )
        with CaptureQueriesContext(connection) as queries:
            assert jobs.execute(job.pk) == JobState.DONE, Job.objects.get(pk=job.pk).error_rows[:3]
        jobs_counts[size] = len(queries)
    batches = 600 // imports.BATCH_ROWS - 200 // imports.BATCH_ROWS
    per_batch = (jobs_counts[600] - jobs_counts[200]) / batches
    assert per_batch <= 20, jobs_counts  # a constant per batch of 200 rows: 0.1 a row
    assert Purchase.objects.count() == 2 + 20 + 200 + 200 + 600
    assert Asset.objects.count() == 511  # the durable half, one asset a row
    charged = sum(Purchase.objects.values_list("subsidy", flat=True), Decimal("0.00"))
    assert Grant.objects.get(pk=grant.pk).charged == charged
