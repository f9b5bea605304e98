"""Flashing speed against esp32-mock-bootloader boards: the `makerroom-flash` command against bare
esptool, with real esptool processes on both sides and the mock boards served in this process.

Prints, for 1, 4, 8, 16 and 40 boards under the bounded job pool (`--jobs`, default what
`makerroom-flash` picks on this machine): the wall time of a full flash with the command, of bare
`esptool write-flash` of the same two images under the same bound, the command's overhead against
it, the speed-up over one board (boards x one board's time / wall time) and the time of the
lesson-only update that follows (the board's partition table read back, then the filesystem
written); then the overhead for one board on its own line.

The command runs as lab staff run it, in its own process: `python -m makerroom_flash` with a
firmware store, so its time includes starting Python, checking the stored image, building the
LittleFS image and reading esptool's output. Bare esptool gets the images ready-made. Both write
without the extra verify-flash pass (--verify adds a column for the command's default run with it).

One run is noise on a shared machine, so every figure is the median of --rounds rounds, and in each
round the command and bare esptool are interleaved (which goes first alternates, so neither always
runs on a warmer or busier machine); an overhead is the median of each round's own ratio.

    .venv/bin/python bench/firmware_flash.py [--boards 1,4,8,16,40] [--rounds 3] [--jobs 8] [--verify]
"""

from __future__ import annotations

import argparse
import json
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
from makerroom_flash.store import FirmwareStore  # noqa: E402

from tests.firmware.esp_images import merged_image  # noqa: E402
from tests.firmware.mockboards import MockBoards  # noqa: E402

BUILT = "2026-09-01T08:00:00Z"


def bare_esptool(urls: list[str], files: list[str], jobs: int) -> float:
    """The same images with plain esptool write-flash, one process per board, `jobs` at once."""

    def one(url: str) -> int:
        cmd = [sys.executable, "-m", "esptool", "--port", url, "--chip", "esp32", "--baud", "460800"]
        cmd += ["write-flash", "--flash-size", "keep", *files]
        return subprocess.run(cmd, capture_output=True).returncode

    started = time.monotonic()
    with ThreadPoolExecutor(min(jobs, len(urls))) as pool:
        codes = list(pool.map(one, urls))
    assert codes == [0] * len(urls), codes
    return time.monotonic() - started


def command(urls: list[str], store: Path, lesson: str, jobs: int, *extra: str) -> tuple[float, dict]:
    """`makerroom-flash` in its own process, as lab staff run it; (wall time, its --json report)."""
    cmd = [sys.executable, "-m", "makerroom_flash", "--lesson", lesson, "--ports", ",".join(urls)]
    cmd += ["--store", str(store), "--jobs", str(jobs), "--build-time", BUILT, "--json", *extra]
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - started
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["ok"], (out.returncode, out.stderr[-2000:])
    return wall, report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--boards", default="1,4,8,16,40")
    parser.add_argument("--lesson", default="traffic-light")
    parser.add_argument(
        "--verify", action="store_true", help="also time the command's default run (verify-flash)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per size; medians shown")
    parser.add_argument("--jobs", type=int, default=0, help="processes at once (default: the tool's default)")
    parser.add_argument(
        "--base-kb", type=int, default=256, help="app size of the base image (a real one is ~1600)"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.boards.split(",")]

    tmp = Path(tempfile.mkdtemp(prefix="bench-flash-"))
    base_file = tmp / "ESP32_GENERIC-v1.24.1.bin"
    base_file.write_bytes(merged_image("esp32", "v1.24.1", app_kb=args.base_kb))
    store = FirmwareStore(tmp / "store")
    info = store.add(base_file)
    # Bare esptool writes what the command writes: the base image, and the filesystem where the
    # image's table puts it (its vfs partition, 0x200000, 2 MB).
    image = build_lesson_image(BUNDLED.load(args.lesson), "bench", BUILT, layout=info.layout)
    (tmp / "lesson.bin").write_bytes(image.data)
    files = [f"0x{info.offset:x}", str(base_file), f"0x{image.offset:x}", str(tmp / "lesson.bin")]
    with MockBoards(1) as [board]:  # warm the file cache and the imports once, not measured
        bare_esptool([board.url], files, 1)
        command([board.url], store.root, args.lesson, 1, "--no-verify")

    print(
        f"base image {base_file.stat().st_size / 1024:.0f} KB, lesson image {len(image.data) / 1024:.0f} KB"
        f" ({args.lesson}), {args.rounds} interleaved rounds per size, medians"
    )
    print(
        f"{'boards':>6} {'jobs':>5} {'bare s':>8} {'tool s':>8} {'overhead':>9} {'speed-up':>9}"
        f" {'lesson-only s':>14} {'full sent':>10} {'lesson sent':>12}"
        + (f" {'verify s':>9}" if args.verify else "")
    )
    single = None
    one_board: tuple[float, float, float] | None = None
    for n in counts:
        bound = args.jobs or default_jobs(n)
        bares, tools, onlys, ratios, verifies = [], [], [], [], []
        for rnd in range(args.rounds):
            with MockBoards(n) as boards:
                urls = [b.url for b in boards]
                if rnd % 2 == 0:  # alternate which goes first
                    bares.append(bare_esptool(urls, files, bound))
                wall, full = command(urls, store.root, args.lesson, bound, "--no-verify")
                tools.append(wall)
                if rnd % 2 == 1:
                    bares.append(bare_esptool(urls, files, bound))
                ratios.append((tools[-1] - bares[-1]) / bares[-1])
                # The boards now hold the base firmware: the update reads each one's table first.
                wall, only = command(urls, store.root, args.lesson, bound, "--lesson-only", "--no-verify")
                onlys.append(wall)
                if args.verify:
                    verifies.append(command(urls, store.root, args.lesson, bound)[0])
        tool = statistics.median(tools)
        single = single or tool
        if n == 1:
            one_board = (statistics.median(bares), tool, statistics.median(ratios))
        full_sent = full["results"][0]["bytes_sent"]
        only_sent = only["results"][0]["bytes_sent"]
        print(
            f"{n:>6} {bound:>5} {statistics.median(bares):>8.2f} {tool:>8.2f} {statistics.median(ratios):>+9.1%}"
            f" {n * single / tool:>8.2f}x {statistics.median(onlys):>14.2f} {full_sent:>10,} {only_sent:>12,}"
            + (f" {statistics.median(verifies):>9.2f}" if verifies else "")
        )
    if one_board is not None:
        bare, tool, ratio = one_board
        print(
            f"one board: makerroom-flash {tool:.2f} s, bare esptool {bare:.2f} s:"
            f" {1000 * (tool - bare):+.0f} ms ({ratio:+.1%}), median of {args.rounds} interleaved rounds"
        )
    print(
        "overhead: makerroom-flash --no-verify (its own process: start, store check, LittleFS build) against"
        " bare esptool write-flash of the same images under the same bound, median of each round's ratio;"
    )
    print(
        "speed-up: boards x one board's time / wall time; sent: compressed bytes esptool sent per board;"
        " lesson-only: read-flash of the board's partition table, then write-flash of the filesystem."
    )


if __name__ == "__main__":
    main()
