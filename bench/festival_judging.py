"""Festival judging at city scale: an edition with 2,000 entries from 200 schools and 60 judges
(each linked to their own school and up to two more), 3 judges per entry.

Measures: the assignment (target < 5 s), normalisation and ranking of 6,000 scores (< 1 s), and
the SQL queries of a gallery page (24 per page) at two sizes (must be equal).

    .venv/bin/python bench/festival_judging.py [--entries 2000] [--judges 60] [--schools 200]

Uses its own database: a fresh SQLite file in /tmp unless DATABASE_URL is set (use a throwaway one).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=60)
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='festival-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"database: {os.environ['DATABASE_URL']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    edition, small_done = build(args)
    measure(edition, args, small_done)


def build(args):
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from makerroom.core import roles
    from makerroom.core.models import School, SchoolStage
    from makerroom.home.demo import ensure_tree

    from festival.models import (
        AgeGroup,
        AwardLevel,
        Category,
        Criterion,
        Entry,
        EntryState,
        FestivalEditionPage,
        FestivalIndexPage,
        Judge,
        TeamMember,
    )

    rng = random.Random(args.seed)
    started = time.perf_counter()
    home = ensure_tree()
    index = home.add_child(
        instance=FestivalIndexPage(title="创客节", slug=f"festival-bench-{rng.randrange(10**6)}")
    )
    now = timezone.now()
    edition = index.add_child(
        instance=FestivalEditionPage(
            title="基准测试创客节",
            slug="bench",
            year=2030,
            theme="基准",
            venue="会展中心",
            registration_opens=now - timedelta(days=60),
            registration_closes=now - timedelta(days=1),
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
    stages = [
        (SchoolStage.PRIMARY, "小学", 1, 6),
        (SchoolStage.JUNIOR, "初中", 7, 9),
        (SchoolStage.SENIOR, "高中", 10, 12),
        (SchoolStage.VOCATIONAL, "中职", 10, 12),
    ]
    age_groups = {
        s: AgeGroup.objects.create(edition=edition, name=n, stage=s, min_grade=lo, max_grade=hi, sort_order=i)
        for i, (s, n, lo, hi) in enumerate(stages)
    }
    for i, (name, weight) in enumerate([("创新性", 3), ("技术实现", 3), ("完成度", 2), ("展示与表达", 2)]):
        Criterion.objects.create(edition=edition, name=name, weight=Decimal(weight), sort_order=i)
    AwardLevel.objects.create(edition=edition, name="一等奖", quota=1, sort_order=0)
    AwardLevel.objects.create(edition=edition, name="二等奖", quota=2, sort_order=1)
    AwardLevel.objects.create(edition=edition, name="三等奖", share=Decimal("20"), sort_order=2)

    School.objects.bulk_create(
        [
            School(code=f"BENCH-{n:04d}", name=f"基准学校{n:04d}", stage=stages[n % 4][0])
            for n in range(args.schools)
        ],
        ignore_conflicts=True,
    )
    schools = list(School.objects.filter(code__startswith="BENCH-").order_by("code"))
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(username=f"bench_s{n}", display_name=f"学生{n}", school=schools[n % len(schools)])
            for n in range(args.entries)
        ]
        + [
            User(username=f"bench_mentor{n}", display_name=f"老师{n}", school=schools[n])
            for n in range(len(schools))
        ]
        + [
            User(username=f"bench_j{n}", display_name=f"评委{n}", school=rng.choice(schools))
            for n in range(args.judges)
        ],
        ignore_conflicts=True,
    )
    students = {u.username: u for u in User.objects.filter(username__startswith="bench_s")}
    mentors = {u.school_id: u for u in User.objects.filter(username__startswith="bench_mentor")}
    roles.role_group(roles.Role.JUDGE).user_set.add(*User.objects.filter(username__startswith="bench_j"))
    judges = Judge.objects.bulk_create(
        [
            Judge(edition=edition, user=u)
            for u in User.objects.filter(username__startswith="bench_j").order_by("pk")
        ]
    )
    links = []
    for judge in judges:
        for school in rng.sample(schools, rng.randint(0, 2)):
            links.append(Judge.linked_schools.through(judge_id=judge.pk, school_id=school.pk))
    Judge.linked_schools.through.objects.bulk_create(links, ignore_conflicts=True)

    def make_entries(count, offset):
        made = Entry.objects.bulk_create(
            [
                Entry(
                    edition=edition,
                    title=f"作品{n}",
                    category=categories[n % 5],
                    age_group=age_groups[students[f"bench_s{n}"].school.stage],
                    school=students[f"bench_s{n}"].school,
                    mentor=mentors[students[f"bench_s{n}"].school_id],
                    description="基准数据",
                    state=EntryState.ACCEPTED,
                )
                for n in range(offset, offset + count)
            ],
            batch_size=500,
        )
        TeamMember.objects.bulk_create(
            [
                TeamMember(entry=e, student=students[f"bench_s{offset + i}"], guardian_consent=i % 3 != 0)
                for i, e in enumerate(made)
            ],
            batch_size=500,
        )

    # The gallery is measured first with a small edition, then with the full one.
    small = min(100, args.entries)
    make_entries(small, 0)
    small_queries = gallery_queries(edition)
    make_entries(args.entries - small, small)
    print(
        f"build: {args.entries} entries, {len(judges)} judges, {len(schools)} schools, "
        f"{len(links)} extra judge–school links in {time.perf_counter() - started:.1f} s"
    )
    return edition, (small, small_queries)


def gallery_queries(edition):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/judging/gallery/", HTTP_HOST="localhost")  # warm the per-process caches (site, locales)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/judging/gallery/", {"page": 2}, HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
    return len(captured)


def measure(edition, args, small_done):
    from festival import judging
    from festival.models import Assignment

    started = time.perf_counter()
    problems = judging.compute_assignment(edition)
    assign_s = time.perf_counter() - started
    loads = judging.judge_loads(edition)
    print(
        f"assignment: {assign_s:.2f} s (target < 5 s); {Assignment.objects.filter(entry__edition=edition).count()} "
        f"assignments; judge loads {min(loads.values())}–{max(loads.values())}; problems: {len(problems)}"
    )

    rng = random.Random(args.seed + 1)
    criteria = list(edition.criteria.all())
    rows = list(Assignment.objects.filter(entry__edition=edition))
    strict = {j: rng.uniform(-2, 2) for j in loads}
    for a in rows:
        a.scores = {
            str(c.pk): max(0, min(10, round(rng.gauss(6.5 + strict[a.judge_id], 1.5) * 2) / 2))
            for c in criteria
        }
        a.total = judging.weighted_total(criteria, a.scores)
    Assignment.objects.bulk_update(rows, ["scores", "total"], batch_size=500)

    started = time.perf_counter()
    ranked = judging.results(edition)
    rank_s = time.perf_counter() - started
    print(
        f"normalisation + ranking: {rank_s:.2f} s (target < 1 s) for {len(rows)} scores in {len(ranked)} groups"
    )

    small, small_queries = small_done
    large_queries = gallery_queries(edition)
    print(
        f"gallery page (24 per page): {small_queries} queries with {small} entries, "
        f"{large_queries} with {args.entries} entries ({'constant' if small_queries == large_queries else 'NOT constant'})"
    )


if __name__ == "__main__":
    main()
