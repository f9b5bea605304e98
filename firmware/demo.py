"""Demo flash records: the first kits of the demo school flashed with the traffic-light lesson, as
`manage.py flash` would record them (one board pulled out mid-write). Idempotent."""

from firmware.library import load_lesson
from firmware.recording import record

BASE = "ESP32_GENERIC-v1.29.0.bin v1.29.0"
BASE_SHA256 = "5f1b0c8e6c3c4f0d9a7e2b1c8d4f6a3e9b0c7d2e1f4a5b6c7d8e9f0a1b2c3d4e"


def seed(context):
    from kits.models import FlashRecord, Kit

    labstaff = context.users["labstaff"]
    lesson = load_lesson("traffic-light")
    kits = list(Kit.objects.filter(school=context.school).order_by("code")[:4])
    added = 0
    for n, kit in enumerate(kits, start=1):
        if FlashRecord.objects.filter(kit=kit).exists():
            continue
        failed = n == 3
        record(
            {
                "kit": kit.code,
                "mac": "" if failed else f"24:0A:C4:5E:12:{n:02X}",
                "chip": "ESP32-D0WD-V3",
                "port": f"/dev/ttyUSB{n - 1}",
                "base_firmware": BASE,
                "base_sha256": BASE_SHA256,
                "lesson": lesson.slug,
                "lesson_version": lesson.version,
                "ok": not failed,
                "message": "写入中断：板子可能被拔掉了，请插好后重试" if failed else "成功",
                "seconds": 41.5 + n,
            },
            labstaff,
        )
        added += 1
    if added:
        context.log.append(f"firmware: {added} flash records on kits of {context.school.code}")
