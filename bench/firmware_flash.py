"""Flashing speed against esp32-mock-bootloader boards (real esptool, in-process mock servers).

Prints, for 1, 4 and 8 boards: wall time of a full flash and of a lesson-only update, the tool's
overhead against a bare `esptool write-flash` of the same images in the same run, the parallel
speed-up, and the bytes sent per lesson-only update against a full flash.

    .venv/bin/python bench/firmware_flash.py [--boards 1,4,8] [--lesson traffic-light] [--verify]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from makerroom_flash.fsimage import build_lesson_image  # noqa: E402
from makerroom_flash.library import BUNDLED  # noqa: E402
from makerroom_flash.parallel import flash_many  # noqa: E402
from makerroom_flash.plan import Plan, Region  # noqa: E402
from makerroom_flash.store import inspect_image  # noqa: E402

from tests.firmware.esp_images import merged_image  # noqa: E402
from tests.firmware.mockboards import MockBoards  # noqa: E402


def bare_esptool(urls: list[str], base: Path, lesson: Path, offset: int, lesson_offset: int) -> float:
    """The same images with plain esptool write-flash, one process per board, in parallel."""

    def one(url: str) -> int:
        cmd = [
            sys.executable,
            "-m",
            "esptool",
            "--port",
            url,
            "--chip",
            "esp32",
            "--baud",
            "460800",
            "write-flash",
            "--flash-size",
            "keep",
            f"0x{offset:x}",
            str(base),
            f"0x{lesson_offset:x}",
            str(lesson),
        ]
        return subprocess.run(cmd, capture_output=True).returncode

    started = time.monotonic()
    with ThreadPoolExecutor(len(urls)) as pool:
        codes = list(pool.map(one, urls))
    assert codes == [0] * len(urls), codes
    return time.monotonic() - started


def timed(jobs, verify: bool):
    for _, plan, _ in jobs:
        plan.verify = verify
    started = time.monotonic()
    results = flash_many(jobs)
    wall = time.monotonic() - started
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    return wall, results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--boards", default="1,4,8")
    parser.add_argument("--lesson", default="traffic-light")
    parser.add_argument("--verify", action="store_true", help="also time the verify-flash pass")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest of each is shown")
    parser.add_argument(
        "--base-kb", type=int, default=256, help="app size of the base image (a real one is ~1600)"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.boards.split(",")]

    base = merged_image("esp32", "v1.24.1", app_kb=args.base_kb)
    info = inspect_image(base, "ESP32_GENERIC")
    lesson = BUNDLED.load(args.lesson)
    # The filesystem where the base image's partition table puts it (its vfs partition, 0x200000).
    image = build_lesson_image(lesson, "bench", "2026-09-01T08:00:00Z", layout=info.layout)
    tmp = Path(tempfile.mkdtemp(prefix="bench-flash-"))
    (tmp / "base.bin").write_bytes(base)
    (tmp / "lesson.bin").write_bytes(image.data)
    print(
        f"base image {len(base) / 1024:.0f} KB, lesson image {len(image.data) / 1024:.0f} KB ({args.lesson})"
    )
    print(
        f"{'boards':>6} {'bare s':>8} {'full s':>8} {'overhead':>9} {'speed-up':>9} {'lesson-only s':>14}"
        f" {'full sent':>10} {'lesson sent':>12}" + (f" {'verify s':>9}" if args.verify else "")
    )
    single = None
    for n in counts:
        bare = full = only = verify_wall = float("inf")
        for rep in range(args.repeat):
            with MockBoards(n) as boards:
                urls = [b.url for b in boards]
                full_jobs = [
                    (
                        u,
                        Plan(
                            "esp32",
                            [Region(info.offset, base, "base"), Region(image.offset, image.data, "lesson")],
                            lesson.slug,
                            lesson.version,
                        ),
                        "",
                    )
                    for u in urls
                ]
                # Alternate which goes first, so neither always runs on a warmer (or busier) machine.
                if rep % 2 == 0:
                    bare = min(
                        bare,
                        bare_esptool(urls, tmp / "base.bin", tmp / "lesson.bin", info.offset, image.offset),
                    )
                wall, results = timed(full_jobs, verify=False)
                full = min(full, wall)
                if rep % 2 == 1:
                    bare = min(
                        bare,
                        bare_esptool(urls, tmp / "base.bin", tmp / "lesson.bin", info.offset, image.offset),
                    )
                lesson_jobs = [
                    (
                        u,
                        Plan(
                            "esp32", [Region(image.offset, image.data, "lesson")], lesson.slug, lesson.version
                        ),
                        "",
                    )
                    for u in urls
                ]
                wall, only_results = timed(lesson_jobs, verify=False)
                only = min(only, wall)
                if args.verify:
                    verify_wall = min(verify_wall, timed(full_jobs, verify=True)[0])
        verify_wall = None if verify_wall == float("inf") else verify_wall
        single = single or full
        speedup = n * single / full
        print(
            f"{n:>6} {bare:>8.2f} {full:>8.2f} {(full - bare) / bare:>+9.1%} {speedup:>8.2f}x {only:>14.2f}"
            f" {results[0].bytes_sent:>10,} {only_results[0].bytes_sent:>12,}"
            + (f" {verify_wall:>9.2f}" if verify_wall is not None else "")
        )
    print(
        "overhead: makerroom flash (write-flash, --no-verify) against bare esptool write-flash, same images, same run;"
    )
    print(
        "speed-up: boards x one-board full-flash time / wall time; sent: compressed bytes esptool sent per board."
    )


if __name__ == "__main__":
    main()
