"""What the lesson workbench needs from a bundled lesson's lesson.toml: the parts to draw and
their pins ([[wiring]]), the check's scenario and budget ([check]) and the expectations
([[expect]]), read as data and handed to the page's JavaScript as they are; and from the lesson
page, its steps' words, which "检查我的程序" shows as the hint for a failed expectation."""

from __future__ import annotations

import html
import re
import tomllib
from functools import lru_cache
from pathlib import Path

LESSONS_DIR = Path(__file__).resolve().parents[1] / "firmware" / "lessons"
HINT_CHARS = 200


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


def _plain(rich_text) -> str:
    source = getattr(rich_text, "source", rich_text) or ""
    text = html.unescape(re.sub(r"<[^>]*>", " ", str(source)))
    return re.sub(r"\s+", " ", text).strip()


def step_hints(lesson) -> list[dict]:
    """The lesson page's steps, numbered as the page numbers them ("第 N 步", #step-N): each
    step's heading and its words as plain text, shortened — the hint a failed expectation that
    belongs to the step shows. Never the step's code: the check gives no solution away."""
    hints = []
    # The stored blocks: reading the body's values would load its images, which hints never show.
    for block in getattr(lesson.body, "raw_data", lesson.body):
        if block["type"] != "step":
            continue
        value = block["value"]
        text = _plain(value.get("text"))
        if len(text) > HINT_CHARS:
            text = text[: HINT_CHARS - 1].rstrip() + "…"
        hints.append({"number": len(hints) + 1, "heading": value.get("heading", ""), "text": text})
    return hints
