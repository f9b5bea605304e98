"""Running one tool process per board (esptool, mpremote): its output line by line, and a watchdog
that kills it at a wall-clock timeout even when it has gone quiet."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path


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


def run_module(
    module: str,
    args: list[str],
    on_line: Callable[[str], None],
    timeout: float,
    cwd: Path | str | None = None,
) -> tuple[int | None, bool]:
    """`python -m module args` with this interpreter; on_line gets each stripped output line
    (stdout and stderr together). Returns (exit code, whether the watchdog killed it)."""
    cmd = [sys.executable, "-m", module, *args]
    # Unbuffered, so progress lines arrive as they are printed; UTF-8 whatever the console's code page.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    with Watchdog(proc, timeout) as watchdog:
        for raw in proc.stdout:
            on_line(raw.decode("utf-8", "replace").strip())
        proc.wait()
    return proc.returncode, watchdog.fired.is_set()
