"""What the lesson workbench needs from a bundled lesson's lesson.toml: the parts to draw and
their pins ([[wiring]]), the check's scenario and budget ([check]) and the expectations
([[expect]]), read as data and handed to the page's JavaScript as they are."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parents[1] / "firmware" / "lessons"


@lru_cache(maxsize=64)
def lesson_bench(slug: str) -> dict | None:
    """{"wiring", "check", "expect"} of a bundled lesson; None when it has no such folder."""
    path = LESSONS_DIR / slug / "lesson.toml"
    if not slug or "/" in slug or slug.startswith(".") or not path.is_file():
        return None
    meta = tomllib.loads(path.read_text(encoding="utf-8"))
    check = meta.get("check", {})
    return {
        "wiring": meta.get("wiring", []),
        "check": {"budget_ms": int(check.get("budget_ms", 5000)), "scenario": check.get("scenario", {})},
        "expect": meta.get("expect", []),
    }


@lru_cache(maxsize=64)
def lesson_files(slug: str) -> dict[str, str]:
    """The program the workbench starts from: main.py and lib/*.py, as lab staff flash it."""
    folder = LESSONS_DIR / slug
    if lesson_bench(slug) is None or not (folder / "main.py").is_file():
        return {}
    paths = [folder / "main.py", *sorted((folder / "lib").glob("*.py"))]
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in paths}
