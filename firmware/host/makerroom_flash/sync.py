"""Lesson-only update of a board that already runs MicroPython: copy only the files that changed,
with mpremote (one process per board, like esptool). mpremote compares each file's SHA-256 on the
board with ours and skips the ones that match, then the board is reset to start the new lesson.

Plain Python (no Django), like the rest of the host tools.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .i18n import _
from .plan import BoardResult, Plan
from .process import run_module

# Printed by the board before any file is copied: its Wi-Fi MAC and what MicroPython calls it.
_BOARD_INFO = (
    "import sys\n"
    "try:\n"
    " import network, binascii\n"
    " print('MAC:', binascii.hexlify(network.WLAN(network.STA_IF).config('mac'), ':').decode())\n"
    "except Exception:\n"
    " pass\n"
    "print('BOARD:', sys.implementation._machine)\n"
)
_MAC = re.compile(r"^MAC:\s+([0-9a-f:]{17})$", re.I)
_COPY = re.compile(r"^cp \S+ :(\S+)$")
_UP_TO_DATE = re.compile(r"^Up to date: (\S+)$")


_REMOVED = re.compile(r"^RM: (\S+)$")


def _cleanup(lesson: list[str], keep: tuple[str, ...]) -> str:
    """MicroPython that removes every file and folder on the board that is neither one of the
    lesson's files nor under a path the lesson keeps for the student (lesson.toml `keep`): what a
    previous lesson left (its lib/, a boot.py) must not run with this one. Prints "RM: path" per removal."""
    kept = sorted({k.rstrip("/") for k in keep if k.strip("/")})
    return (
        "import os\n"
        f"_L = {sorted(lesson)!r}\n"
        f"_K = {kept!r}\n"
        "def _kept(p):\n"
        " return p in _L or any(p == k or p.startswith(k + '/') for k in _K)\n"
        "def _clean(d):\n"
        " empty = True\n"
        " for e in list(os.ilistdir(d)):\n"
        "  p = d + '/' + e[0] if d else e[0]\n"
        "  if _kept(p):\n"
        "   empty = False\n"
        "  elif e[1] & 0x4000:\n"
        "   if _clean(p) and not any(f.startswith(p + '/') for f in _L):\n"
        "    os.rmdir(p)\n"
        "    print('RM:', p + '/')\n"
        "   else:\n"
        "    empty = False\n"
        "  else:\n"
        "   os.remove(p)\n"
        "   print('RM:', p)\n"
        " return empty\n"
        "_clean('')\n"
    )


def _mkdirs(paths: list[str]) -> str:
    folders = sorted({"/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1)})
    lines = ["import os"] + [f"try:\n os.mkdir({f!r})\nexcept OSError:\n pass" for f in folders]
    return "\n".join(lines) + "\n"


def sync_command(port: str, files: list[str], keep: tuple[str, ...] = ()) -> list[str]:
    """One mpremote run: board info, removing what is not the lesson's (or kept), folders, each
    file (skipped when unchanged), then a reset."""
    args = [
        "connect",
        port,
        "exec",
        _BOARD_INFO,
        "+",
        "exec",
        _cleanup(files, keep),
        "+",
        "exec",
        _mkdirs(files),
    ]
    for path in files:
        args += ["+", "fs", "cp", path, f":{path}"]
    return [*args, "+", "reset"]


def explain(lines: list[str], copying: bool, timed_out: bool, returncode: int | None) -> str:
    """One line a lab staff member can act on (in the active language, with mpremote's words after it)."""
    last = next(
        (line for line in reversed(lines) if line.strip()),
        _("mpremote exit code %(code)s") % {"code": returncode},
    )
    detail = {"detail": last.removeprefix("mpremote: ").strip()}
    if timed_out:
        return _("timed out: the board does not answer; unplug it, plug it back in and retry")
    if "failed to access" in last or "could not open" in last.lower():
        return _("port busy or absent: %(detail)s") % detail
    if copying:
        return (
            _("write interrupted: the board may have been unplugged; plug it back in and retry: %(detail)s")
            % detail
        )
    if "could not enter raw repl" in last:
        return _("no MicroPython on the board: flash it fully first (without --sync): %(detail)s") % detail
    return _("sync failed: %(detail)s") % detail


def sync_board(
    port: str,
    plan: Plan,
    *,
    kit: str = "",
    on_progress: Callable[[str, float], None] | None = None,
    timeout: float = 300.0,
) -> BoardResult:
    """Copy plan.files onto a board running MicroPython, changed files only. Never raises."""
    started = time.monotonic()
    files = plan.files or {}
    result = BoardResult.starting(plan, port, kit, sum(len(data) for data in files.values()))
    lines: list[str] = []
    copied: list[str] = []
    skipped: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="makerroom-sync-") as tmp:
        for path, data in files.items():
            (Path(tmp) / path).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / path).write_bytes(data)

        def on_line(line: str) -> None:
            lines.append(line)
            if m := _MAC.match(line):
                result.mac = m.group(1).lower()
            elif m := _REMOVED.match(line):
                result.files_removed.append(m.group(1))
            elif line.startswith("BOARD:"):
                result.chip = line.removeprefix("BOARD:").strip()
            elif m := _COPY.match(line):
                copied.append(m.group(1))
                if on_progress:
                    on_progress("write", 100.0 * (len(copied) - 1) / max(1, len(files)))
            elif m := _UP_TO_DATE.match(line):
                skipped.add(m.group(1))

        returncode, timed_out = run_module(
            "mpremote", sync_command(port, sorted(files), plan.keep), on_line, timeout, cwd=tmp
        )
    # A file counts as sent once the next one (or the reset) started after it.
    done = copied if returncode == 0 else copied[:-1]
    result.bytes_sent = sum(len(files[p]) for p in done if p not in skipped)
    result.files_sent = [p for p in done if p not in skipped]
    if returncode == 0:
        result.ok, result.message = True, _("ok")
    else:
        copying = bool(copied) and len(copied) <= len(files)
        result.message = explain(lines, copying, timed_out, returncode)
    result.seconds = round(time.monotonic() - started, 2)
    return result
