"""Certificates of a whole edition as the worker runs it (festival.exports.certificates_job:
loading the accepted entries and their teams, drawing one PDF per entry, zipping them, storing the
ZIP), for an edition of 2,000 accepted entries (a tenth of them awarded, teams of one to three).

    .venv/bin/python bench/festival_certificates.py [--entries 2000] [--rounds 3]

Each round runs the job for the full edition and, interleaved (which goes first alternating), the
certificates as they were drawn before issue 12 (a PNG QR code embedded per certificate, ASCII85
page streams, a team query and a URL reverse per certificate, the ZIP deflated) for `--baseline`
entries, reported per certificate and scaled to the full edition. Also prints the job's SQL queries at a tenth of the
edition and at the full size (they must be equal). Uses a fresh SQLite file in /tmp unless
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


def certificate_before(entry, verify_url):
    """A certificate as drawn before (kept here only to measure against): a PNG QR code per
    certificate, the team read per certificate, reportlab's default ASCII85 streams."""
    import io

    import qrcode
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from festival.certificates import BRAND, certificate_date, cjk_font

    font = cjk_font()
    award = entry.award if entry.edition.results_published else None
    team = "、".join(m.student.public_name for m in entry.members.select_related("student"))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{entry.edition.title} · {entry.title}")
    pdf.setAuthor(entry.edition.title)
    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(BRAND)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 48 * mm, "获奖证书" if award else "参与证书")
    pdf.setFillColor(HexColor("#1f2933"))
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 64 * mm, f"{entry.edition.title} · {entry.edition.theme}")
    lines = [
        f"作品：《{entry.title}》",
        f"团队：{team}",
        f"学校：{entry.school.name}",
        f"指导老师：{entry.mentor.public_name}",
        f"类别：{entry.category.name} · {entry.age_group.name}",
    ]
    y = height - 88 * mm
    pdf.setFont(font, 15)
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 10 * mm
    pdf.setFont(font, 26)
    pdf.setFillColor(BRAND)
    pdf.drawString(40 * mm, y - 6 * mm, f"荣获 {award.name}" if award else "参加本届创客节，特发此证。")
    qr = qrcode.make(verify_url, box_size=6, border=1)
    image = io.BytesIO()
    qr.save(image, format="PNG")
    image.seek(0)
    size = 38 * mm
    pdf.drawImage(ImageReader(image), width - 40 * mm - size, 30 * mm, size, size)
    pdf.setFillColor(HexColor("#52606d"))
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 40 * mm - size / 2, 25 * mm, "扫码验证证书")
    pdf.drawString(40 * mm, 30 * mm, f"证书编号：{entry.token}")
    pdf.drawString(
        40 * mm, 24 * mm, f"{entry.edition.title}组委会 · {certificate_date(entry.edition):%Y年%m月%d日}"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def zip_before(entries):
    """The edition's ZIP as made before, for `entries`: a reverse per entry, deflated."""
    import io
    import zipfile

    from django.urls import reverse

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, entry in enumerate(entries, start=1):
            url = "https://maker.example.cn" + reverse("festival:verify", args=[entry.token])
            archive.writestr(f"{number:03d}-{entry.pk}.pdf", certificate_before(entry, url))
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument(
        "--baseline", type=int, default=200, help="certificates drawn the old way per round (0: none)"
    )
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

    from festival.models import EntryState

    baseline_entries = list(
        edition.entries.filter(state=EntryState.ACCEPTED)
        .select_related("edition", "school", "mentor", "category", "age_group", "award")
        .order_by("pk")[: args.baseline]
    )
    zip_before(baseline_entries[:1])  # the font is loaded once per process, not per ZIP

    runs, baseline = [], []
    for round_ in range(args.rounds):
        order = ("job", "one by one") if round_ % 2 == 0 else ("one by one", "job")
        for kind in order:
            if kind == "job":
                runs.append(run_job(edition, organiser, args.entries))
            elif args.baseline:
                started = time.perf_counter()
                zip_before(baseline_entries)
                baseline.append((time.perf_counter() - started) / len(baseline_entries))
        line = f"  round {round_ + 1}: job {runs[-1][0]:6.1f} s"
        if baseline:
            line += f"   as before {baseline[-1] * 1000:5.1f} ms/certificate"
        print(line)

    seconds = statistics.median(s for s, _q, _b in runs)
    queries, size = runs[0][1], runs[0][2]
    print(f"\n{args.entries} certificates ({connection.vendor}), medians of {args.rounds} interleaved rounds")
    print(
        f"  the edition's ZIP, as the job runs it: {seconds:6.1f} s  "
        f"({seconds / args.entries * 1000:.1f} ms/certificate, ZIP {size // 1024} KiB)"
    )
    if baseline:
        one = statistics.median(baseline)
        print(
            f"  as drawn before (PNG QR codes):        {one * args.entries:6.1f} s  "
            f"({one * 1000:.1f} ms/certificate, from {args.baseline}, scaled)"
        )
        print(f"  speed-up {one * args.entries / seconds:.1f}x")
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
    from makerroom.core import jobs
    from makerroom.core.models import Job

    from festival import exports

    job = Job.objects.create(
        owner=organiser,
        runner=exports.certificates_job.job_path,
        title="bench",
        params={"edition": edition.pk, "base_url": "https://maker.example.cn/"},
    )
    executed = []
    started = time.perf_counter()
    with connection.execute_wrapper(counting(executed)):
        state = jobs.execute(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert state == "done", job.message
    assert (job.done, job.total) == (count, count)
    with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == count
    progress_writes = sum(sql.startswith('UPDATE "core_job" SET "done"') for sql in executed)
    return seconds, len(executed) - progress_writes, job.result_file.size


def counting(executed):
    def wrapper(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    return wrapper


if __name__ == "__main__":
    main()
