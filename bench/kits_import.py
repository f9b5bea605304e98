"""The purchase import as the worker runs it (kits.import_jobs.purchase_import_job: reading the
sheet, the invoice check for the whole file, then batches of rows each under the grant lock), at
1,000 and 5,000 rows, in interleaved rounds (which size goes first alternates); against the rows
recorded one by one through kits.services.record_purchase (the path the job took before: a lock,
an invoice query, a purchase, assets or stock and two audit rows per row) on a smaller sheet.

    .venv/bin/python bench/kits_import.py [--rows 1000,5000] [--baseline 200] [--rounds 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/kits_import.py

Half the rows are a consumable (into the room's stock), half a durable tool (one numbered asset
each). Prints per size the median job time, ms and SQL queries per row, and the median time of the
preview of the largest sheet (kits.imports.preview_purchases, in the request: nothing written, no
lock taken). Uses its own database: a fresh SQLite file in /tmp unless DATABASE_URL is set (use a
throwaway one: its kits rows are emptied first). Targets: 5,000 rows under 30 s as a job, under 5 ms a row, queries per row not
growing with the file.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"
TOOLS = ["led-red", "fdm-printer"]  # a consumable and a durable tool (one asset a row)


def sheet(size, prefix):
    lines = [HEADER] + [
        f"2026-03-02,{TOOLS[i % 2]},1,0.50,,华强北电子,{prefix}-{i:06d}," for i in range(size)
    ]
    return "\n".join(lines).encode("utf-8-sig")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,5000", help="sheet sizes imported as a job")
    parser.add_argument(
        "--baseline", type=int, default=200, help="rows recorded one by one per round (0: none)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(n) for n in args.rows.split(",") if n]

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='import-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    import warnings

    from django.core.management import call_command
    from django.db import connection

    warnings.filterwarnings("ignore", message="No directory at")
    print(f"database: {connection.vendor}; load average before: {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)
    grant, staff = setup()

    runs = {size: [] for size in sizes}
    baseline, previews = [], []
    for round_ in range(args.rounds):
        order = sizes if round_ % 2 == 0 else sizes[::-1]
        for size in order:
            runs[size].append(run_job(grant, staff, size, f"R{round_}S{size}"))
        if args.baseline:
            baseline.append(run_rows(grant, staff, args.baseline, f"O{round_}"))
        previews.append(run_preview(grant, staff, max(sizes), f"V{round_}"))
        print(f"  round {round_ + 1}: " + ", ".join(f"{s} rows {runs[s][-1][0]:.2f} s" for s in order))

    print(f"\npurchase import as a job ({connection.vendor}, medians of {args.rounds} rounds)")
    for size in sizes:
        seconds = statistics.median(s for s, _q in runs[size])
        queries = runs[size][0][1]
        print(
            f"  {size:5d} rows  job {seconds:6.2f} s   {seconds / size * 1000:5.2f} ms/row   "
            f"{queries} queries ({queries / size:.3f}/row)"
        )
    print(
        f"  preview of {max(sizes)} rows (in the request, nothing saved, no lock): "
        f"{statistics.median(previews):5.2f} s"
    )
    if baseline:
        seconds = statistics.median(s for s, _q in baseline)
        queries = baseline[0][1]
        print(
            f"  one by one ({args.baseline} rows, record_purchase per row): {seconds / args.baseline * 1000:5.2f} ms/row   "
            f"{queries / args.baseline:.1f} queries/row   scaled to 5,000 rows {seconds / args.baseline * 5000:6.1f} s"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def setup():
    from datetime import date
    from decimal import Decimal

    from makerroom.accounts.models import User
    from makerroom.core import roles
    from makerroom.core.models import Job, School

    from kits.models import (
        Asset,
        FundingProgramme,
        Grant,
        GrantStatus,
        MakerRoom,
        Purchase,
        PurchaseImport,
        Stock,
    )

    for model in (PurchaseImport, Asset, Stock, Purchase, Grant, MakerRoom, Job):
        model.objects.all().delete()
    School.objects.filter(code="SZ-9002").delete()
    User.objects.filter(username="bench-import").delete()
    school = School.objects.create(
        code="SZ-9002", name="深圳市导入基准学校", district="南山区", stage="junior"
    )
    room = MakerRoom.objects.create(school=school, location="科技楼")
    grant = Grant.objects.create(
        programme=FundingProgramme.objects.get(slug="maker-room"),
        room=room,
        approved_amount=Decimal("1000000.00"),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 8, 31),
        status=GrantStatus.APPROVED,
    )
    staff = User.objects.create_user("bench-import", password="pass-w0rd-123", school=school)
    roles.add_role(staff, roles.Role.LAB_STAFF)
    return grant, staff


def run_job(grant, staff, size, prefix):
    """Seconds and SQL statements of one import job of `size` rows, as the worker runs it."""
    from django.core.files.base import ContentFile
    from django.db import connection
    from makerroom.core import jobs
    from makerroom.core.models import Job

    from kits import import_jobs

    job = Job(
        owner=staff,
        runner=import_jobs.purchase_import_job.job_path,
        title="bench",
        params={"grant": grant.pk, "filename": f"{prefix}.csv"},
    )
    job.input_file.save(f"{prefix}.csv", ContentFile(sheet(size, prefix)), save=False)
    job.save()
    executed = []
    started = time.perf_counter()
    with connection.execute_wrapper(counting(executed)):
        state = jobs.execute(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert state == "done", (job.message, job.error_rows[:3])
    assert job.done == size
    return seconds, len(executed)


def run_preview(grant, staff, size, prefix):
    """Seconds of the import screen's preview of a sheet of `size` rows."""
    import io

    from kits import imports

    started = time.perf_counter()
    result = imports.preview_purchases(
        io.BytesIO(sheet(size, prefix)), f"{prefix}.csv", grant=grant, user=staff
    )
    seconds = time.perf_counter() - started
    assert result.ok and len(result.rows) == size, result.errors[:3]
    return seconds


def run_rows(grant, staff, size, prefix):
    """The reference: the same kind of rows recorded one by one through record_purchase."""
    from datetime import date

    from django.db import connection, transaction

    from kits import services
    from kits.models import ToolType

    tools = [ToolType.objects.get(slug=slug) for slug in TOOLS]
    executed = []
    started = time.perf_counter()
    with connection.execute_wrapper(counting(executed)), transaction.atomic():
        for i in range(size):
            services.record_purchase(
                grant=grant,
                tool_type=tools[i % 2],
                quantity=1,
                unit_cost="0.50",
                supplier="华强北电子",
                invoice_number=f"{prefix}-{i:06d}",
                purchased_on=date(2026, 3, 2),
                user=staff,
            )
    return time.perf_counter() - started, len(executed)


def counting(executed):
    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return wrapper


if __name__ == "__main__":
    main()
