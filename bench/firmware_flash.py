"""Flashing speed against esp32-mock-bootloader boards (real esptool, in-process mock servers).

Prints, for 1, 4, 8, 16 and 40 boards: wall time of a full flash and of a lesson-only update, the
tool's overhead against a bare `esptool write-flash` of the same images, the parallel speed-up,
and the bytes sent per lesson-only update against a full flash. Both the tool and bare esptool run
at most --jobs processes at once (default: what `makerroom-flash` would use on this machine).

One run is noise on a shared machine, so every figure is the median of --rounds rounds, and in
each round the tool and bare esptool are interleaved (which goes first alternates), so neither
always runs on a warmer or busier machine; the overhead is the median of each round's own ratio.

    .venv/bin/python bench/firmware_flash.py [--boards 1,4,8,16,40] [--rounds 5] [--jobs 8] [--verify]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from makerroom_flash.cli import default_jobs  # noqa: E402
from makerroom_flash.fsimage import build_lesson_image  # noqa: E402
from makerroom_flash.library import BUNDLED  # noqa: E402
from makerroom_flash.parallel import flash_many  # noqa: E402
from makerroom_flash.plan import Plan, Region  # noqa: E402
from makerroom_flash.store import inspect_image  # noqa: E402

from tests.firmware.esp_images import merged_image  # noqa: E402
from tests.firmware.mockboards import MockBoards  # noqa: E402


def bare_esptool(
    urls: list[str], base: Path, lesson: Path, offset: int, lesson_offset: int, jobs: int
) -> float:
    """The same images with plain esptool write-flash, one process per board, `jobs` at once."""

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
    with ThreadPoolExecutor(min(jobs, len(urls))) as pool:
        codes = list(pool.map(one, urls))
    assert codes == [0] * len(urls), codes
    return time.monotonic() - started


def timed(jobs, verify: bool, bound: int):
    for _, plan, _ in jobs:
        plan.verify = verify
    started = time.monotonic()
    results = flash_many(jobs, max_parallel=min(bound, len(jobs)))
    wall = time.monotonic() - started
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]
    return wall, results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--boards", default="1,4,8,16,40")
    parser.add_argument("--lesson", default="traffic-light")
    parser.add_argument("--verify", action="store_true", help="also time the verify-flash pass")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size; medians shown")
    parser.add_argument("--jobs", type=int, default=0, help="processes at once (default: the tool's default)")
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
        f"base image {len(base) / 1024:.0f} KB, lesson image {len(image.data) / 1024:.0f} KB ({args.lesson}),"
        f" {args.rounds} interleaved rounds per size, medians"
    )
    print(
        f"{'boards':>6} {'jobs':>5} {'bare s':>8} {'full s':>8} {'overhead':>9} {'speed-up':>9}"
        f" {'lesson-only s':>14} {'full sent':>10} {'lesson sent':>12}"
        + (f" {'verify s':>9}" if args.verify else "")
    )
    single = None
    for n in counts:
        bound = args.jobs or default_jobs(n)
        bares, fulls, onlys, ratios, verifies = [], [], [], [], []
        for rnd in range(args.rounds):
            with MockBoards(n) as boards:
                urls = [b.url for b in boards]

                def plans(regions, urls=urls):
                    return [(u, Plan("esp32", list(regions), lesson.slug, lesson.version), "") for u in urls]

                full_jobs = plans(
                    [Region(info.offset, base, "base"), Region(image.offset, image.data, "lesson")]
                )

                def bare_run(urls=urls, bound=bound):
                    return bare_esptool(
                        urls, tmp / "base.bin", tmp / "lesson.bin", info.offset, image.offset, bound
                    )

                # Alternate which goes first, so neither always runs on a warmer (or busier) machine.
                if rnd % 2 == 0:
                    bare = bare_run()
                wall, results = timed(full_jobs, False, bound)
                if rnd % 2 == 1:
                    bare = bare_run()
                bares.append(bare)
                fulls.append(wall)
                ratios.append((wall - bare) / bare)
                wall, only_results = timed(plans([Region(image.offset, image.data, "lesson")]), False, bound)
                onlys.append(wall)
                if args.verify:
                    verifies.append(timed(full_jobs, True, bound)[0])
        full = statistics.median(fulls)
        single = single or full
        print(
            f"{n:>6} {bound:>5} {statistics.median(bares):>8.2f} {full:>8.2f} {statistics.median(ratios):>+9.1%}"
            f" {n * single / full:>8.2f}x {statistics.median(onlys):>14.2f}"
            f" {results[0].bytes_sent:>10,} {only_results[0].bytes_sent:>12,}"
            + (f" {statistics.median(verifies):>9.2f}" if verifies else "")
        )
    print(
        "overhead: makerroom flash (write-flash, --no-verify) against bare esptool write-flash, same images,"
        " same bound, median of each round's ratio;"
    )
    print(
        "speed-up: boards x one-board full-flash time / wall time; sent: compressed bytes esptool sent per board."
    )


if __name__ == "__main__":
    main()
