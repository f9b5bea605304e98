"""Run lessons on real MicroPython (the WebAssembly port in Node) against the virtual board.

One Node process holds one MicroPython instance and runs the jobs one after another. A lesson is
stopped at its virtual-time budget by the board itself; a lesson that never sleeps cannot be
stopped from inside, so this host kills the process at a wall-clock timeout, reports that lesson
as "killed" and starts a fresh process for the rest.
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .library import load_lesson

VBOARD_DIR = Path(__file__).resolve().parent / "vboard"


class SimulatorUnavailable(RuntimeError):
    pass


@dataclass
class Run:
    id: str
    status: str  # finished | budget | error | killed
    events: list = field(default_factory=list)
    error: str | None = None
    stdout: str = ""
    now_us: int = 0

    def of(self, kind: str, target=None) -> list[tuple[int, object]]:
        """(time in µs, value) of the events of one kind (and target, if given)."""
        return [(e[0], e[3]) for e in self.events if e[1] == kind and (target is None or e[2] == target)]

    @property
    def printed(self) -> list[str]:
        return [v for _, v in self.of("print")]


def lesson_job(
    slug: str, scenario: dict | None = None, budget_ms: int = 10_000, id: str | None = None
) -> dict:
    return {
        "id": id or slug,
        "files": load_lesson(slug).files,
        "scenario": scenario or {},
        "budget_ms": budget_ms,
    }


class _Node:
    def __init__(self):
        node = shutil.which("node")
        if node is None or not (VBOARD_DIR / "node_modules").is_dir():
            raise SimulatorUnavailable(
                "needs node and `npm ci` in firmware/vboard (scripts/setup.sh does both)"
            )
        self.proc = subprocess.Popen(
            [node, "runner.mjs"], cwd=VBOARD_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next(self, timeout: float) -> dict | None:
        line = self.lines.get(timeout=timeout)
        return None if line is None else json.loads(line)

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def run_jobs(jobs: list[dict], wall_timeout: float = 10.0, start_timeout: float = 30.0) -> dict[str, Run]:
    results: dict[str, Run] = {}
    pending = list(jobs)
    node = None
    try:
        while pending:
            if node is None:
                node = _Node()
                if (node.next(start_timeout) or {}).get("ready") is not True:
                    raise SimulatorUnavailable("MicroPython runner did not start")
            job = pending.pop(0)
            node.proc.stdin.write(json.dumps(job) + "\n")
            node.proc.stdin.flush()
            node.next(start_timeout)  # {"start": id}
            try:
                out = node.next(wall_timeout)
            except queue.Empty:
                out = None
            if out is None:
                node.kill()
                node = None
                results[job["id"]] = Run(
                    job["id"], "killed", error=f"no yield within {wall_timeout:g} s wall clock"
                )
                continue
            results[job["id"]] = Run(
                out["id"],
                out["status"],
                out.get("events", []),
                out.get("error"),
                out.get("stdout", ""),
                out.get("now_us", 0),
            )
    finally:
        if node is not None:
            node.proc.stdin.close()
            node.proc.wait(timeout=10)
    return results
