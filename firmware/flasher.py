"""Flash many ESP32 boards at once: one esptool (>= 5) process per board.

Plain Python (no Django): the same code runs on a lab PC that only talks to the site's REST API.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from esptool.targets import CHIP_DEFS

from .i18n import _

# USB bridges found on ESP32 boards sold in China: Espressif's own USB, Silicon Labs CP210x,
# WCH CH340/CH341 and CH9102/CH343.
USB_IDS = {
    (0x303A, None): "Espressif USB",
    (0x10C4, 0xEA60): "CP210x",
    (0x1A86, 0x7523): "CH340",
    (0x1A86, 0x5523): "CH341",
    (0x1A86, 0x55D4): "CH9102",
    (0x1A86, 0x55D3): "CH343",
}


def find_ports() -> list[str]:
    """Serial ports with an ESP32 USB bridge, sorted by device name."""
    from serial.tools import list_ports

    found = []
    for port in list_ports.comports():
        if port.vid is None:
            continue
        if (port.vid, port.pid) in USB_IDS or (port.vid, None) in USB_IDS:
            found.append(port.device)
    return sorted(found)


def chip_name(chip: str) -> str:
    return CHIP_DEFS[chip].CHIP_NAME if chip in CHIP_DEFS else chip


@dataclass
class Region:
    offset: int
    data: bytes
    what: str  # "base" or "lesson"


@dataclass
class Plan:
    """What to write on one board."""

    chip: str
    regions: list[Region]
    lesson: str
    lesson_version: str
    base_label: str = ""
    base_sha256: str = ""
    verify: bool = True
    # Lesson-only sync (firmware.sync): the lesson's files, copied with mpremote instead of esptool.
    files: dict[str, bytes] | None = None


@dataclass
class BoardResult:
    port: str
    ok: bool
    message: str
    seconds: float
    lesson: str
    lesson_version: str
    base_firmware: str = ""
    base_sha256: str = ""
    mac: str = ""
    chip: str = ""
    kit: str = ""
    bytes_sent: int = 0
    bytes_total: int = 0
    recorded: str = ""  # outcome of recording against the kit, if any
    files_sent: list[str] = field(default_factory=list)  # a sync copies only the changed files

    @classmethod
    def starting(cls, plan: Plan, port: str, kit: str, bytes_total: int) -> BoardResult:
        """The result of a board that has not finished yet (failed until it succeeds)."""
        return cls(
            port=port,
            ok=False,
            message="",
            seconds=0.0,
            lesson=plan.lesson,
            lesson_version=plan.lesson_version,
            base_firmware=plan.base_label,
            base_sha256=plan.base_sha256,
            kit=kit,
            bytes_total=bytes_total,
        )

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Parse:
    mac: str = ""
    chip: str = ""
    sent: int = 0
    regions_done: int = 0
    writing: bool = False
    fatal: str = ""
    lines: list[str] = field(default_factory=list)


_PROGRESS = re.compile(r"Writing at 0x[0-9a-f]+ .*?(\d+(?:\.\d+)?)%")
_WROTE = re.compile(r"Wrote (\d+) bytes(?: \((\d+) compressed\))?")
_MAC = re.compile(r"^MAC:\s+([0-9a-f:]{17})", re.I)
_CHIP = re.compile(r"^Chip type:\s+(.+?)\s*(?:\(|$)")
_FATAL = re.compile(r"A fatal error occurred:\s*(.+)")
_ERROR = re.compile(r"^(?:\S+ )?error:\s*(.+)", re.I)
_WRONG_CHIP = re.compile(r"This chip is (\S+), not (\S+)\.")


def explain(parse: _Parse, returncode: int | None, timed_out: bool) -> str:
    """One line a lab staff member can act on (in the active language, with esptool's words after it)."""
    fatal = parse.fatal or (
        parse.lines[-1] if parse.lines else _("esptool exit code %(code)s") % {"code": returncode}
    )
    if timed_out:
        return _("timed out: the board does not answer; unplug it, plug it back in and retry")
    wrong = _WRONG_CHIP.search(fatal)
    if wrong:
        return _("wrong chip: the board is %(board)s, the image is for %(image)s") % {
            "board": wrong.group(1),
            "image": wrong.group(2),
        }
    detail = {"detail": fatal}
    if parse.writing:  # the board vanished after writing began (esptool may then fail to reopen it)
        return (
            _("write interrupted: the board may have been unplugged; plug it back in and retry: %(detail)s")
            % detail
        )
    if "could not open" in fatal.lower():
        return _("port busy or absent: %(detail)s") % detail
    if "Failed to connect" in fatal or "No serial data received" in fatal:
        return (
            _(
                "no bootloader: hold the BOOT button and retry, or check no other program holds the port: %(detail)s"
            )
            % detail
        )
    if "Verification failed" in fatal or "digest mismatch" in fatal.lower():
        return _("verify failed: what was written differs from the file: %(detail)s") % detail
    return _("flashing failed: %(detail)s") % detail


class Watchdog:
    """Kills a process still running after `timeout` seconds, even one that has gone quiet."""

    def __init__(self, proc: subprocess.Popen, timeout: float):
        self.fired = threading.Event()
        self._timer = threading.Timer(timeout, self._fire, args=(proc,))
        self._timer.daemon = True

    def _fire(self, proc: subprocess.Popen) -> None:
        self.fired.set()
        proc.kill()

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _run_esptool(
    args: list[str], parse: _Parse, on_progress: Callable[[float], None] | None, timeout: float
) -> tuple[int | None, bool]:
    cmd = [sys.executable, "-m", "esptool", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    with Watchdog(proc, timeout) as watchdog:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            parse.lines.append(line)
            if m := _PROGRESS.search(line):
                parse.writing = True
                if on_progress:
                    on_progress(float(m.group(1)))
            elif line.startswith(("Compressed ", "Flash will be erased")):
                parse.writing = True
            elif m := _WROTE.search(line):
                parse.regions_done += 1
                parse.sent += int(m.group(2) or m.group(1))
            elif m := _MAC.match(line):
                parse.mac = m.group(1).lower()
            elif m := _CHIP.match(line):
                parse.chip = m.group(1)
            elif m := (_FATAL.search(line) or _ERROR.search(line)):
                parse.fatal = m.group(1)
        proc.wait()
    timed_out = watchdog.fired.is_set()
    return proc.returncode, timed_out


def flash_board(
    port: str,
    plan: Plan,
    *,
    kit: str = "",
    baud: int = 460800,
    on_progress: Callable[[str, float], None] | None = None,
    timeout: float = 300.0,
    connect_attempts: int = 3,
) -> BoardResult:
    """Write the plan's regions in one compressed write-flash, then verify-flash. Never raises."""
    started = time.monotonic()
    total = sum(len(r.data) for r in plan.regions)
    result = BoardResult.starting(plan, port, kit, total)
    common = [
        "--port",
        port,
        "--chip",
        plan.chip,
        "--baud",
        str(baud),
        "--connect-attempts",
        str(connect_attempts),
    ]
    n = len(plan.regions)
    with tempfile.TemporaryDirectory(prefix="makerroom-flash-") as tmp:
        files = []
        for i, region in enumerate(plan.regions):
            path = Path(tmp) / f"{i}-{region.what}.bin"
            path.write_bytes(region.data)
            files += [f"0x{region.offset:x}", str(path)]
        parse = _Parse()

        def progress(pct: float) -> None:
            if on_progress:
                on_progress("write", (min(parse.regions_done, n - 1) * 100 + pct) / n)

        code, timed_out = _run_esptool(
            [*common, "write-flash", "--flash-size", "keep", *files], parse, progress, timeout
        )
        result.mac, result.chip, result.bytes_sent = parse.mac, parse.chip, parse.sent
        if code != 0 or timed_out:
            result.message = explain(parse, code, timed_out)
        elif plan.verify:
            if on_progress:
                on_progress("verify", 100.0)
            check = _Parse()
            code, timed_out = _run_esptool([*common, "verify-flash", *files], check, None, timeout)
            if code != 0 or timed_out:
                result.message = explain(check, code, timed_out)
            else:
                result.ok = True
        else:
            result.ok = True
    if result.ok:
        result.message = _("ok")
    result.seconds = round(time.monotonic() - started, 2)
    return result


def flash_many(
    jobs: list[tuple[str, Plan, str]],
    *,
    baud: int = 460800,
    on_progress: Callable[[str, str, float], None] | None = None,
    on_done: Callable[[BoardResult], None] | None = None,
    max_parallel: int | None = None,
    timeout: float = 300.0,
) -> list[BoardResult]:
    """(port, plan, kit code) jobs run in parallel, one esptool process per board; results in job order.

    on_done is called in the caller's thread as each board finishes (so it may use the caller's
    database connection); on_progress is called from worker threads.
    """
    if not jobs:
        return []

    def one(job: tuple[str, Plan, str]) -> BoardResult:
        port, plan, kit = job
        cb = (lambda phase, pct: on_progress(port, phase, pct)) if on_progress else None
        if plan.files is not None:
            from .sync import sync_board

            return sync_board(port, plan, kit=kit, on_progress=cb, timeout=timeout)
        return flash_board(port, plan, kit=kit, baud=baud, on_progress=cb, timeout=timeout)

    with ThreadPoolExecutor(max_workers=max_parallel or len(jobs)) as pool:
        futures = {pool.submit(one, job): i for i, job in enumerate(jobs)}
        results: list[BoardResult | None] = [None] * len(jobs)
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_done:
                on_done(result)
    return [r for r in results if r is not None]
