"""Flashing one ESP32 board with esptool (>= 5, one process per board): the plan's regions in one
compressed write-flash, then a verify-flash; esptool's output turned into one line lab staff can act on.

When the lesson filesystem's size depends on the board (v1.26+ layouts, Plan.lesson_region), a
flash-id run reads the board's flash size first and the filesystem is built for it. Before a
lesson-only update, probe_board reads the board's own partition table (read-flash of 0x8000) to
know where the firmware on it mounts its filesystem. A board whose
flash is smaller than the image needs is refused before anything is written: by that step, or by
esptool's own check against the flash it detects at the start of write-flash.

Plain Python (no Django): the same code runs on a lab PC that only talks to the site's REST API.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from esptool.targets import CHIP_DEFS

from .boards import BoardInfo, chip_key
from .i18n import _
from .partitions import TABLE_OFFSET, TABLE_SIZE, FlashTooSmall, PartitionError, board_layout
from .plan import BoardResult, Plan
from .process import run_module

# The baud a board whose fast write failed with a serial error is written again at (esptool's
# ROM baud: every board and cable manages it).
SLOW_BAUD = 115200


def chip_name(chip: str) -> str:
    return CHIP_DEFS[chip].CHIP_NAME if chip in CHIP_DEFS else chip


@dataclass
class _Parse:
    mac: str = ""
    chip: str = ""
    sent: int = 0
    regions_done: int = 0
    writing: bool = False
    fatal: str = ""
    flash_size: int = 0  # what flash-id detected, in bytes
    lines: list[str] = field(default_factory=list)


_PROGRESS = re.compile(r"Writing at 0x[0-9a-f]+ .*?(\d+(?:\.\d+)?)%")
_WROTE = re.compile(r"Wrote (\d+) bytes(?: \((\d+) compressed\))?")
_MAC = re.compile(r"^MAC:\s+([0-9a-f:]{17})", re.I)
_CHIP = re.compile(r"^Chip type:\s+(.+?)\s*(?:\(|$)")
_FATAL = re.compile(r"A fatal error occurred:\s*(.+)")
_ERROR = re.compile(r"^(?:\S+ )?error:\s*(.+)", re.I)
_WRONG_CHIP = re.compile(r"This chip is (\S+), not (\S+)\.")
_FLASH_SIZE = re.compile(r"^Detected flash size:\s+(\d+)(KB|MB)")
_WONT_FIT = re.compile(r"will not fit in (\d+) bytes of flash")
# How each system says a port is open elsewhere: Linux/macOS with pyserial's exclusive lock,
# Linux without it (EBUSY), Windows (access denied).
_HELD = re.compile(
    r"could not exclusively lock|resource busy|errno 16\b|access is denied|PermissionError", re.I
)


def explain(parse: _Parse, returncode: int | None, timed_out: bool, needed: int = 0) -> str:
    """One line a lab staff member can act on (in the active language, with esptool's words after it).
    needed: the flash the write needs (the end of its last region)."""
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
    if (small := _WONT_FIT.search(fatal)) and needed:
        return str(FlashTooSmall(int(small.group(1)), needed))
    if parse.writing:  # the board vanished after writing began (esptool may then fail to reopen it)
        return (
            _("write interrupted: the board may have been unplugged; plug it back in and retry: %(detail)s")
            % detail
        )
    # Another program has the port open (Thonny, a serial monitor); esptool says why on the line
    # after its fatal error.
    if any(_HELD.search(line) for line in (fatal, *parse.lines[-3:])):
        return _("port in use by another program (e.g. Thonny or a serial monitor); close it and retry")
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


def _run_esptool(
    args: list[str], parse: _Parse, on_progress: Callable[[float], None] | None, timeout: float
) -> tuple[int | None, bool]:
    def on_line(line: str) -> None:
        if not line:
            return
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
        elif m := _FLASH_SIZE.match(line):
            parse.flash_size = int(m.group(1)) << (10 if m.group(2) == "KB" else 20)
        elif m := (_FATAL.search(line) or _ERROR.search(line)):
            parse.fatal = m.group(1)

    return run_module("esptool", args, on_line, timeout)


def probe_board(
    port: str,
    chip: str,
    *,
    baud: int = 460800,
    timeout: float = 60.0,
    connect_attempts: int = 3,
    read_table: bool = False,
    flash_size: int = 0,
) -> BoardInfo:
    """Read a board's MAC, chip and flash size with esptool flash-id (nothing is written).
    chip "auto" lets esptool detect it. Never raises.

    read_table (a lesson-only update): first read the board's partition table (read-flash of
    TABLE_SIZE bytes at 0x8000; MD5 checked) into info.layout, refusing the board (ok False, the
    message says why) when it has none, it is corrupt or has no room for a filesystem. flash-id
    then runs only when that filesystem runs to the end of the flash and flash_size (--flash-size)
    is 0: a fixed vfs partition needs no flash size (esptool's write still refuses a flash too
    small for it, before writing)."""
    started = time.monotonic()
    args = ["--port", port, "--chip", chip, "--baud", str(baud), "--connect-attempts", str(connect_attempts)]
    info = BoardInfo(port, ok=False)
    if read_table:
        probe = _Parse()
        with tempfile.TemporaryDirectory(prefix="makerroom-flash-") as tmp:
            path = Path(tmp) / "partition-table.bin"
            read = ["read-flash", f"0x{TABLE_OFFSET:x}", f"0x{TABLE_SIZE:x}", str(path)]
            code, timed_out = _run_esptool([*args, *read], probe, None, timeout)
            table = path.read_bytes() if code == 0 and not timed_out and path.exists() else b""
        info.mac, info.chip, info.chip_key = probe.mac, probe.chip, chip_key(probe.chip)
        if code != 0 or timed_out or len(table) != TABLE_SIZE:
            return _probed(info, started, explain(probe, code, timed_out))
        try:
            info.layout = board_layout(table)
        except PartitionError as exc:
            return _probed(info, started, str(exc))
        if info.layout.size is not None or flash_size:
            info.ok, info.flash_size = True, flash_size
            return _probed(info, started, "")
    probe = _Parse()
    code, timed_out = _run_esptool([*args, "flash-id"], probe, None, timeout)
    info.mac, info.chip = probe.mac or info.mac, probe.chip or info.chip
    info.chip_key = chip_key(info.chip)
    if code != 0 or timed_out:
        return _probed(info, started, explain(probe, code, timed_out))
    if not probe.flash_size:
        return _probed(info, started, _("could not read the board's flash size (esptool flash-id)"))
    info.ok, info.flash_size = True, probe.flash_size
    return _probed(info, started, "")


def _probed(info: BoardInfo, started: float, message: str) -> BoardInfo:
    info.message = message
    info.seconds = round(time.monotonic() - started, 2)
    return info


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
    regions = list(plan.regions)
    result = BoardResult.starting(plan, port, kit, sum(len(r.data) for r in regions))
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
    if plan.lesson_region is not None:
        probe = _Parse()
        code, timed_out = _run_esptool([*common, "flash-id"], probe, None, timeout)
        result.mac, result.chip = probe.mac or result.mac, probe.chip or result.chip
        if code != 0 or timed_out:
            return _finish(result, started, explain(probe, code, timed_out))
        if not probe.flash_size:
            return _finish(result, started, _("could not read the board's flash size (esptool flash-id)"))
        try:
            regions.append(plan.lesson_region(probe.flash_size))
        except ValueError as exc:  # FlashTooSmall, LessonTooLarge: that board cannot have the lesson
            return _finish(result, started, str(exc))
        result.bytes_total = sum(len(r.data) for r in regions)
    needed = max((r.offset + len(r.data) for r in regions), default=0)
    n = len(regions)
    with tempfile.TemporaryDirectory(prefix="makerroom-flash-") as tmp:
        files = []
        for i, region in enumerate(regions):
            path = Path(tmp) / f"{i}-{region.what}.bin"
            path.write_bytes(region.data)
            files += [f"0x{region.offset:x}", str(path)]
        parse = _Parse()

        def progress(pct: float) -> None:
            if on_progress:
                on_progress("write", (min(parse.regions_done, n - 1) * 100 + pct) / n)

        write = [
            "write-flash",
            "--flash-size",
            "keep",
            *(["--erase-all"] if plan.erase == "all" else []),
            *files,
        ]
        fs = next((r for r in regions if r.what == "lesson"), None)
        if plan.erase == "fs" and fs is not None:  # the student's old files go, blocks and all
            erase = _Parse()
            args = ["erase-region", f"0x{fs.offset:x}", f"0x{len(fs.data):x}"]
            code, timed_out = _run_esptool([*common, *args], erase, None, timeout)
            if code != 0 or timed_out:
                return _finish(result, started, explain(erase, code, timed_out, needed))
        code, timed_out = _run_esptool([*common, *write], parse, progress, timeout)
        result.mac, result.chip, result.bytes_sent = (
            parse.mac or result.mac,
            parse.chip or result.chip,
            parse.sent,
        )
        if (code != 0 or timed_out) and _serial_error(parse, timed_out) and baud > SLOW_BAUD:
            # A poor cable or hub garbles the fast link: write the whole board again, slowly.
            first = explain(parse, code, timed_out, needed)
            common[common.index("--baud") + 1] = str(SLOW_BAUD)
            result.retried_baud = SLOW_BAUD
            parse = _Parse()
            code, timed_out = _run_esptool([*common, *write], parse, progress, timeout)
            result.bytes_sent += parse.sent
            if code != 0 or timed_out:
                again = _("%(message)s; retried at %(baud)d baud, failed again")
                return _finish(result, started, again % {"message": first, "baud": SLOW_BAUD})
        elif code != 0 or timed_out:
            return _finish(result, started, explain(parse, code, timed_out, needed))
        if plan.verify:
            if on_progress:
                on_progress("verify", 100.0)
            check = _Parse()
            code, timed_out = _run_esptool([*common, "verify-flash", *files], check, None, timeout)
            if code != 0 or timed_out:
                return _finish(result, started, explain(check, code, timed_out, needed))
    result.ok = True
    return _finish(result, started, _("ok (retried at a lower baud)") if result.retried_baud else _("ok"))


def _serial_error(parse: _Parse, timed_out: bool) -> bool:
    """The write broke off after it had begun, with the board still there to talk to: noise on
    the line (esptool: "No more data to read", "Invalid head of packet", "Timed out waiting for
    packet"…), the kind a lower baud gets through. Not a wrong chip, a full flash or a busy port."""
    if timed_out or not parse.writing:
        return False
    fatal = parse.fatal.lower()
    return not any(word in fatal for word in ("this chip is", "will not fit", "could not open"))


def _finish(result: BoardResult, started: float, message: str) -> BoardResult:
    result.message = message
    result.seconds = round(time.monotonic() - started, 2)
    return result
