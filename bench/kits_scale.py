"""Kits at city scale: 1,000 schools, each with a maker room and a grant, 100,000 purchases and
50,000 assets.

Measures the city-wide report (target < 1 s) and a school dashboard (target < 100 ms), both as
the service call and as the full admin page, and their SQL query counts at a small and the full
size (they must be equal: aggregation happens in the database).

    .venv/bin/python bench/kits_scale.py [--schools 1000] [--purchases 100000] [--assets 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/makerroom_kits_bench .venv/bin/python bench/kits_scale.py

Uses its own database: a fresh SQLite file in /tmp unless DATABASE_URL is set (use a throwaway
one: its kits tables are emptied first).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DISTRICTS = [
    "福田区",
    "罗湖区",
    "南山区",
    "盐田区",
    "宝安区",
    "龙岗区",
    "龙华区",
    "坪山区",
    "光明区",
    "大鹏新区",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--purchases", type=int, default=100_000)
    parser.add_argument("--assets", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-rows", default="1000,5000", help="purchase import sizes, run as jobs")
    parser.add_argument("--labels", type=int, default=2400, help="asset labels on one sheet")
    parser.add_argument("--only-jobs", action="store_true", help="only the import and label figures")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='kits-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    import warnings

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic needed here
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    print(f"database: {connection.vendor} {os.environ['DATABASE_URL']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    clear()
    measure_jobs([int(n) for n in args.import_rows.split(",") if n], args.labels)
    if args.only_jobs:
        return
    clear()
    small = max(args.schools // 100, 5)
    build(small, args.purchases // 100, args.assets // 100)
    small_counts = measure(f"small ({small} schools)", args.repeat, small)
    clear()
    started = time.perf_counter()
    build(args.schools, args.purchases, args.assets)
    print(f"build: {time.perf_counter() - started:.1f} s")
    full_counts = measure(
        f"full ({args.schools} schools, {args.purchases} purchases, {args.assets} assets)",
        args.repeat,
        args.schools,
    )
    print(
        f"query counts small {small_counts} / full {full_counts}: {'equal' if small_counts == full_counts else 'DIFFERENT'}"
    )


def clear():
    from makerroom.core.models import School

    from kits.models import Asset, Grant, MakerRoom, Purchase

    for model in (Asset, Purchase, Grant, MakerRoom):
        model.objects.all().delete()
    School.objects.exclude(users__isnull=False).delete()


def build(schools, purchases, assets):
    """Bulk-insert consistent data: each grant's charged equals the sum of its purchases' subsidies."""
    from makerroom.core.models import School, SchoolStage

    from kits.models import Asset, FundingProgramme, Grant, GrantStatus, MakerRoom, Purchase, ToolType

    rng = random.Random(5)
    programme = FundingProgramme.objects.get(slug="maker-room")
    tools = list(ToolType.objects.all())
    durable = [t for t in tools if t.kind == "durable"]
    stages = [s for s, _label in SchoolStage.choices]
    School.objects.bulk_create(
        School(
            code=f"SZ-{n:04d}",
            name=f"深圳市{DISTRICTS[n % 10]}第{n}学校",
            district=DISTRICTS[n % 10],
            stage=stages[n % len(stages)],
        )
        for n in range(1, schools + 1)
    )
    school_list = list(School.objects.filter(code__regex=r"^SZ-\d{4}$").order_by("code"))
    MakerRoom.objects.bulk_create(MakerRoom(school=s, location="科技楼") for s in school_list)
    rooms = list(MakerRoom.objects.filter(school__in=school_list).order_by("school__code"))
    Grant.objects.bulk_create(
        Grant(
            programme=programme,
            room=room,
            approved_amount=Decimal("1000000.00"),
            starts_on=date(2025, 9, 1),
            ends_on=date(2027, 8, 31),
            status=GrantStatus.APPROVED,
        )
        for room in rooms
    )
    grants = list(Grant.objects.filter(room__in=rooms).order_by("room__school__code"))
    per_grant = {g.pk: Decimal("0.00") for g in grants}
    rows = []
    for n in range(purchases):
        grant = grants[n % len(grants)]
        tool = tools[rng.randrange(len(tools))]
        quantity = rng.randint(1, 5)
        total = tool.reference_price * quantity
        subsidy = min(total, grant.approved_amount - per_grant[grant.pk])
        per_grant[grant.pk] += subsidy
        rows.append(
            Purchase(
                grant=grant,
                tool_type=tool,
                quantity=quantity,
                unit_cost=tool.reference_price,
                total_cost=total,
                subsidy=subsidy,
                supplier="深圳市教育装备供应中心",
                invoice_number=f"INV{n:07d}",
                purchased_on=date(2025, 9, 1) + timedelta(days=n % 400),
            )
        )
    Purchase.objects.bulk_create(rows, batch_size=5000)
    for grant in grants:
        grant.charged = per_grant[grant.pk]
    Grant.objects.bulk_update(grants, ["charged"], batch_size=1000)
    Asset.objects.bulk_create(
        (
            Asset(
                tag=f"{rooms[n % len(rooms)].school.code}-{n // len(rooms) + 1:06d}",
                room=rooms[n % len(rooms)],
                tool_type=durable[n % len(durable)],
            )
            for n in range(assets)
        ),
        batch_size=5000,
    )


def measure(label, repeat, schools):
    from django.db import connection
    from django.test import Client
    from makerroom.accounts.models import User
    from makerroom.core.models import School

    from kits import services

    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(admin)
    school = School.objects.get(code=f"SZ-{max(schools // 2, 1):04d}")
    timings = {
        "city report (service)": lambda: list(services.city_report()),
        "city report (admin page)": lambda: client.get("/admin/kits/city/"),
        "city report (XLSX export)": lambda: client.get("/admin/kits/city/?format=xlsx"),
        "school dashboard (service)": lambda: services.grant_dashboard(school),
        "school dashboard (admin page)": lambda: client.get(f"/admin/kits/dashboard/?school={school.code}"),
    }
    print(f"\n{label}")
    counts = {}
    for name, call in timings.items():
        call()  # warm caches and templates
        executed = []
        # Count at the driver: Django resets its own query log at the start of every request.
        with connection.execute_wrapper(counting(executed)):
            result = call()
        if hasattr(result, "status_code"):
            assert result.status_code == 200, result.status_code
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            seconds.append(time.perf_counter() - started)
        counts[name] = len(executed)
        print(f"  {name:32s} median {statistics.median(seconds) * 1000:8.1f} ms   {len(executed):3d} queries")
    return counts


def measure_jobs(sizes, label_count):
    """The purchase import as the worker runs it (kits.import_jobs, batches under the grant lock)
    at each size: job time, ms and queries per row; then the label sheet of `label_count` assets."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.db import connection
    from makerroom.accounts.models import User
    from makerroom.core import jobs, roles
    from makerroom.core.models import Job, School

    from kits import import_jobs, labels
    from kits.models import Asset, FundingProgramme, Grant, GrantStatus, MakerRoom

    school = School.objects.create(
        code="SZ-9001", name="深圳市基准测试学校", district="南山区", stage="junior"
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
    staff = User.objects.create_user("bench-lab", password="pass-w0rd-123", school=school)
    roles.add_role(staff, roles.Role.LAB_STAFF)
    print("\npurchase import as a job")
    for n, size in enumerate(sizes):
        tools = ["led-red", "fdm-printer"]  # a consumable and a durable tool (one asset a row)
        lines = ["采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"] + [
            f"2026-03-02,{tools[i % 2]},1,0.50,,华强北电子,B{n}-{i:06d}," for i in range(size)
        ]
        job = Job(
            owner=staff,
            runner=import_jobs.purchase_import_job.job_path,
            title="bench",
            params={"grant": grant.pk, "filename": f"bench-{size}.csv"},
        )
        job.input_file.save(
            f"bench-{size}.csv", ContentFile("\n".join(lines).encode("utf-8-sig")), save=False
        )
        job.save()
        executed = []
        started = time.perf_counter()
        with connection.execute_wrapper(counting(executed)):
            state = jobs.execute(job.pk)
        seconds = time.perf_counter() - started
        job.refresh_from_db()
        assert state == "done", (job.message, job.error_rows[:3])
        print(
            f"  {size:5d} rows  job {seconds:6.1f} s   {seconds / size * 1000:5.2f} ms/row   "
            f"{len(executed) / size:5.1f} queries/row"
        )
    from kits.models import ToolKind, ToolType

    tool = ToolType.objects.filter(kind=ToolKind.DURABLE).order_by("name").first()
    Asset.objects.bulk_create(
        Asset(tag=f"SZ-9001-{n:06d}", room=room, tool_type=tool) for n in range(900000, 900000 + label_count)
    )
    assets = list(Asset.objects.filter(room=room).select_related("tool_type", "room__school")[:label_count])
    started = time.perf_counter()
    pdf = labels.labels_pdf(assets)
    print(
        f"\nlabel sheet: {len(assets)} labels  {time.perf_counter() - started:6.1f} s  ({len(pdf) // 1024} KiB)"
    )


def counting(executed):
    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return wrapper


if __name__ == "__main__":
    main()
