"""Certificates of a whole edition as the worker runs it (festival.exports.certificates_job:
loading the accepted entries and their teams, drawing one PDF per entry, zipping them, storing the
ZIP), for an edition of 2,000 accepted entries (a tenth of them awarded, teams of one to three).

    .venv/bin/python bench/festival_certificates.py [--entries 2000] [--rounds 3]

Each round runs the job for the full edition; the median is printed. (The drawing before issue 12 —
a PNG QR code per certificate, ASCII85 page streams, a team query and a URL reverse each — took
34.0 s on SQLite and 58.7 s on PostgreSQL for 2,000, measured with this script on 2026-12-02; see
bench/README.md.) Also prints the job's SQL queries at a tenth of the edition and at the full size
(they must be equal). Uses a fresh SQLite file in /tmp unless
DATABASE_URL is set (use a throwaway one). Target: 2,000 certificates under 60 s.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = (
            f"sqlite:///{tempfile.mkdtemp(prefix='certificates-bench-')}/bench.sqlite3"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    import warnings

    from django.core.management import call_command
    from django.db import connection

    warnings.filterwarnings("ignore", message="No directory at")
    print(f"database: {connection.vendor}; load average before: {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)

    small = max(1, args.entries // 10)
    edition, organiser = build_edition(small, "small")
    small_queries = run_job(edition, organiser, small)[1]
    edition, organiser = build_edition(args.entries, "full")

    runs = []
    for round_ in range(args.rounds):
        runs.append(run_job(edition, organiser, args.entries))
        print(f"  round {round_ + 1}: job {runs[-1][0]:6.1f} s")

    seconds = statistics.median(s for s, _q, _b in runs)
    queries, size = runs[0][1], runs[0][2]
    print(f"\n{args.entries} certificates ({connection.vendor}), median of {args.rounds} rounds")
    print(
        f"  the edition's ZIP, as the job runs it: {seconds:6.1f} s  "
        f"({seconds / args.entries * 1000:.1f} ms/certificate, ZIP {size // 1024} KiB)"
    )
    print(
        f"  job queries (less its progress writes): {small_queries} at {small} entries, {queries} at {args.entries} "
        f"({'constant' if small_queries == queries else 'NOT constant'})"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def build_edition(count, slug):
    """A published edition of `count` accepted entries from 100 schools, a tenth of them awarded,
    teams of one to three students; and an organiser."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from makerroom.core import roles
    from makerroom.core.models import School, SchoolStage
    from makerroom.home.demo import ensure_tree

    from festival.models import (
        AgeGroup,
        AwardLevel,
        Category,
        Entry,
        EntryState,
        FestivalEditionPage,
        FestivalIndexPage,
        TeamMember,
    )

    User = get_user_model()
    home = ensure_tree()
    index = FestivalIndexPage.objects.filter(slug="festival-bench").first() or home.add_child(
        instance=FestivalIndexPage(title="创客节", slug="festival-bench")
    )
    now = timezone.now()
    edition = index.add_child(
        instance=FestivalEditionPage(
            title=f"第{count}届深圳学生创客节",
            slug=f"bench-{slug}",
            year=2030,
            theme="创造·连接·未来",
            venue="深圳会展中心",
            registration_opens=now - timedelta(days=90),
            registration_closes=now - timedelta(days=30),
            judging_starts=date(2030, 1, 1),
            judging_ends=date(2030, 1, 2),
            exhibition_starts=date(2030, 1, 5),
            exhibition_ends=date(2030, 1, 6),
        )
    )
    categories = [
        Category.objects.create(edition=edition, name=n, sort_order=i)
        for i, n in enumerate(["智能硬件", "机器人", "创意设计", "科学探究", "编程与物联网"])
    ]
    age_group = AgeGroup.objects.create(
        edition=edition, name="初中组", stage=SchoolStage.JUNIOR, min_grade=7, max_grade=9, sort_order=0
    )
    awards = [
        AwardLevel.objects.create(edition=edition, name=name, quota=quota, sort_order=i)
        for i, (name, quota) in enumerate([("一等奖", 20), ("二等奖", 60), ("三等奖", 120)])
    ]
    schools = School.objects.bulk_create(
        [
            School(
                code=f"CB-{slug}-{n:03d}",
                name=f"深圳市南山区第{n}实验学校（{slug}）",
                stage=SchoolStage.JUNIOR,
            )
            for n in range(100)
        ]
    )
    mentors = User.objects.bulk_create(
        [
            User(username=f"cb_{slug}_mentor{n}", display_name=f"王老师{n}", school=school)
            for n, school in enumerate(schools)
        ]
    )
    students = User.objects.bulk_create(
        [
            User(username=f"cb_{slug}_s{n}", display_name=f"李同学{n}", school=schools[n % 100])
            for n in range(count * 2)
        ]
    )
    entries = Entry.objects.bulk_create(
        [
            Entry(
                edition=edition,
                title=f"智能垃圾分类助手第{n}号",
                category=categories[n % 5],
                age_group=age_group,
                school=schools[n % 100],
                mentor=mentors[n % 100],
                description="基准数据",
                state=EntryState.ACCEPTED,
                award=awards[n % 3] if n % 10 == 0 else None,
            )
            for n in range(count)
        ],
        batch_size=500,
    )
    members = []
    for n, entry in enumerate(entries):  # teams of 1, 2 or 3 (two students an entry on average)
        for k in range(n % 3 + 1):
            members.append(TeamMember(entry=entry, student=students[(2 * n + k) % len(students)]))
    TeamMember.objects.bulk_create(members, batch_size=500, ignore_conflicts=True)
    FestivalEditionPage.objects.filter(pk=edition.pk).update(results_published=True, results_published_at=now)
    edition.refresh_from_db()
    organiser = User.objects.create_user(f"cb_{slug}_organiser", password="pass-w0rd-123")
    roles.add_role(organiser, roles.Role.ORGANISER)
    return edition, organiser


def run_job(edition, organiser, count):
    """Seconds, SQL statements (less the progress writes, one every half second at most) and ZIP
    size of the certificates job, as the worker runs it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from makerroom.core import jobs
    from makerroom.core.models import Job

    from festival import exports

    job = Job.objects.create(
        owner=organiser,
        runner=exports.certificates_job.job_path,
        title="bench",
        params={"edition": edition.pk, "base_url": "https://maker.example.cn/"},
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        state = jobs.execute(job.pk)
    seconds = time.perf_counter() - started
    executed = [query["sql"] for query in captured.captured_queries]
    job.refresh_from_db()
    assert state == "done", job.message
    assert (job.done, job.total) == (count, count)
    with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == count
    progress_writes = sum(sql.startswith('UPDATE "core_job" SET "done"') for sql in executed)
    return seconds, len(executed) - progress_writes, job.result_file.size


if __name__ == "__main__":
    main()
