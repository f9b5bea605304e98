"""Asset label sheets: the 2,400-label sheet as the worker runs it (kits.labels.label_sheet_job:
loading the assets, drawing the A4 sheets, storing the PDF, marking the labels printed), against
the sheet as it was drawn before issue 12 (a PNG QR image per label), in interleaved rounds.

    .venv/bin/python bench/kits_labels.py [--labels 2400] [--baseline 240] [--rounds 3]

The raster baseline draws fewer labels (`--baseline`, 41 ms a label: the full sheet took ~96 s)
and is reported per label and scaled to the full count. Uses a fresh SQLite file in /tmp unless
DATABASE_URL is set. Target: 2,400 labels under 20 s.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def raster_sheet(assets):
    """The sheet as drawn before: a PNG QR code per label, embedded as an image (kept here only
    to measure against)."""
    import qrcode
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from kits import labels

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    font = labels.cjk_font()
    for index, asset in enumerate(assets):
        if index and index % 24 == 0:
            pdf.showPage()
        slot = index % 24
        x = labels.MARGIN_X + (slot % 3) * labels.LABEL_W
        y = A4[1] - labels.MARGIN_Y - (slot // 3 + 1) * labels.LABEL_H
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
        code.add_data(labels.asset_url(asset.tag))
        code.make(fit=True)
        png = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(png, format="PNG")
        png.seek(0)
        pdf.drawImage(ImageReader(png), x + labels.PAD, y + labels.PAD, labels.QR_SIZE, labels.QR_SIZE)
        pdf.setFont(font, 8.5)
        pdf.drawString(x + labels.TEXT_X, y + labels.LABEL_H - 9 * 2.835, asset.tool_type.name)
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawString(x + labels.TEXT_X, y + labels.LABEL_H - 15 * 2.835, asset.tag)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=2400)
    parser.add_argument(
        "--baseline", type=int, default=240, help="labels drawn the old (raster) way per round"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='labels-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makerroom.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor}; load average before: {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)

    from makerroom.accounts.models import User
    from makerroom.core import jobs, roles
    from makerroom.core.models import Job, School

    from kits import labels
    from kits.models import Asset, MakerRoom, ToolKind, ToolType

    school = School.objects.create(
        code="SZ-9002", name="深圳市南山区创新实验学校", district="南山区", stage="junior"
    )
    room = MakerRoom.objects.create(school=school, location="科技楼")
    staff = User.objects.create_user("bench-labels", password="pass-w0rd-123", school=school)
    roles.add_role(staff, roles.Role.LAB_STAFF)
    tools = list(ToolType.objects.filter(kind=ToolKind.DURABLE).order_by("name"))
    Asset.objects.bulk_create(
        Asset(tag=f"SZ-9002-{n:06d}", room=room, tool_type=tools[n % len(tools)]) for n in range(args.labels)
    )
    ids = list(Asset.objects.filter(room=room).values_list("pk", flat=True))
    baseline_assets = list(Asset.objects.filter(room=room).select_related("tool_type")[: args.baseline])
    labels.labels_pdf(baseline_assets[:1])  # the font is loaded once per process, not per sheet

    vector, raster = [], []
    for round_ in range(args.rounds):
        order = ("vector", "raster") if round_ % 2 == 0 else ("raster", "vector")
        for kind in order:
            if kind == "vector":
                Asset.objects.update(label_printed_at=None)
                job = Job.objects.create(
                    owner=staff,
                    runner=labels.label_sheet_job.job_path,
                    title="bench",
                    params={"asset_ids": ids},
                )
                started = time.perf_counter()
                state = jobs.execute(job.pk)
                seconds = time.perf_counter() - started
                job.refresh_from_db()
                assert state == "done", job.message
                assert not Asset.objects.filter(label_printed_at__isnull=True).exists()
                vector.append(seconds)
                size = job.result_file.size
            else:
                started = time.perf_counter()
                raster_sheet(baseline_assets)
                raster.append((time.perf_counter() - started) / len(baseline_assets))
        print(
            f"  round {round_ + 1}: vector job {vector[-1]:6.1f} s   raster {raster[-1] * 1000:5.1f} ms/label"
        )
    v, r = statistics.median(vector), statistics.median(raster)
    print(f"\n{args.labels} labels, medians of {args.rounds} interleaved rounds")
    print(
        f"  vector QR, as the job runs it: {v:6.1f} s  ({v / args.labels * 1000:.1f} ms/label, PDF {size // 1024} KiB)"
    )
    print(
        f"  raster QR, as before:          {r * args.labels:6.1f} s  ({r * 1000:.1f} ms/label, from {args.baseline})"
    )
    print(f"  speed-up {r * args.labels / v:.1f}x; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
