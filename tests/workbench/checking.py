"""Run lesson programs and check their traces with the page's own checker (firmware/vboard/checker.mjs).

A small Node front end of our own rather than firmware.simulator: these tests also feed broken
programs and need the checker's results, which the simulator's Run does not carry.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VBOARD = ROOT / "firmware" / "vboard"
LESSONS = ROOT / "firmware" / "lessons"


def lesson_spec(slug: str) -> dict:
    return tomllib.loads((LESSONS / slug / "lesson.toml").read_text(encoding="utf-8"))


def lesson_files(slug: str) -> dict[str, str]:
    folder = LESSONS / slug
    paths = [folder / "main.py", *sorted((folder / "lib").glob("*.py"))]
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in paths if p.is_file()}


def check_job(slug: str, files: dict[str, str] | None = None, id: str | None = None) -> dict:
    """The job "检查我的程序" runs: the lesson's scenario and budget, its expectations."""
    spec = lesson_spec(slug)
    return {
        "id": id or slug,
        "files": files if files is not None else lesson_files(slug),
        "scenario": spec["check"].get("scenario", {}),
        "budget_ms": spec["check"]["budget_ms"],
        "expect": spec["expect"],
    }


def run_in_node(jobs: list[dict], timeout: float = 120) -> dict[str, dict]:
    """Results by id of jobs run one after another on one MicroPython; every job must sleep."""
    lines = "".join(json.dumps(job) + "\n" for job in jobs)
    out = subprocess.run(
        ["node", "runner.mjs"],
        cwd=VBOARD,
        input=lines,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout
    results = [json.loads(line) for line in out.splitlines()]
    return {r["id"]: r for r in results if "id" in r}


def check_traces(items: list[dict]) -> dict[str, dict]:
    """checker.mjs on traces recorded elsewhere: items are {"id", "expect", "run"}."""
    lines = "".join(json.dumps(item) + "\n" for item in items)
    out = subprocess.run(
        ["node", "check.mjs"], cwd=VBOARD, input=lines, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    return {r["id"]: r for r in map(json.loads, out.splitlines())}
