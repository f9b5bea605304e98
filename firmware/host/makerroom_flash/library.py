"""MicroPython lesson libraries (plain Python, no Django).

A library is a folder of lessons; each lesson is a folder ``<slug>/`` holding ``main.py``, any
drivers in ``lib/`` and a ``lesson.toml`` describing it. The lessons live once in the repository, in
``firmware/lessons/``: this package carries them as ``makerroom_flash/lessons`` (a symlink to that
folder in the repository, a copy in the wheel) so a lab PC can flash offline (``BUNDLED``); the
site reads the same folder through its own ``LessonLibrary`` (``firmware.library``), and a lab PC
in remote mode gets the site's lessons as zips (``lesson_zip`` / ``lesson_from_zip``).
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _

# Not resolved: in the repository this is a symlink to firmware/lessons, and paths stay under it.
LESSONS_DIR = Path(__file__).parent / "lessons"

# Fixed timestamp for zip entries so the same lesson always zips to the same bytes.
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


class UnknownLesson(ValueError):
    def __init__(self, slug: str):
        super().__init__(f"unknown lesson: {slug!r}")
        self.slug = slug


class InvalidLesson(ValueError):
    """A lesson folder whose lesson.toml is missing or malformed."""


@dataclass(frozen=True)
class Lesson:
    slug: str
    title_zh: str
    title_en: str
    level: int
    pins: list[int]
    parts: list[tuple[str, int]]
    min_micropython: str
    version: str
    files: dict[str, str] = field(default_factory=dict)
    # [[notes]]: hardware notes for teachers and lab staff, (zh, en) each.
    notes: tuple[tuple[str, str], ...] = ()
    # keep = [...]: paths on the board that are the student's (their saved data, a config they
    # edit): `--sync` leaves them; every other file not in the lesson is removed. A path ending
    # in "/" keeps a whole folder.
    keep: tuple[str, ...] = ()


def _program_files(folder: Path) -> list[Path]:
    """The files that go onto the board: main.py and lib/ (sources only, sorted)."""
    files = [folder / "main.py"]
    lib = folder / "lib"
    if lib.is_dir():
        files += sorted(p for p in lib.rglob("*.py") if p.is_file())
    return files


def _parse_lesson(slug: str, toml_text: str, files: dict[str, str]) -> Lesson:
    try:
        meta = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidLesson(_("%(slug)s/lesson.toml: %(error)s") % {"slug": slug, "error": exc}) from exc
    try:
        return Lesson(
            slug=slug,
            title_zh=str(meta["title"]["zh"]),
            title_en=str(meta["title"]["en"]),
            level=int(meta["level"]),
            pins=[int(p) for p in meta.get("pins", [])],
            parts=[(str(p["type"]), int(p["quantity"])) for p in meta.get("parts", [])],
            min_micropython=str(meta["min_micropython"]),
            version=str(meta["version"]),
            files=files,
            notes=tuple((str(n["zh"]), str(n["en"])) for n in meta.get("notes", [])),
            keep=tuple(str(path).lstrip("/") for path in meta.get("keep", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidLesson(
            _("%(slug)s/lesson.toml: missing or invalid %(field)s") % {"slug": slug, "field": exc}
        ) from exc


def lesson_from_zip(data: bytes) -> Lesson:
    """The Lesson inside a zip made by LessonLibrary.zip() (what the site's API sends to lab PCs)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidLesson(_("lesson bundle is not a zip file: %(error)s") % {"error": exc}) from exc
    with zf:
        names = zf.namelist()
        slug = names[0].split("/", 1)[0] if names else ""
        toml_name = f"{slug}/lesson.toml"
        if toml_name not in names or any(not n.startswith(f"{slug}/") or ".." in n for n in names):
            raise InvalidLesson(_("lesson bundle has no lesson.toml or unexpected paths"))
        files = {
            n.split("/", 1)[1]: zf.read(n).decode("utf-8")
            for n in names
            if n != toml_name and (n == f"{slug}/main.py" or n.startswith(f"{slug}/lib/"))
        }
        if "main.py" not in files:
            raise InvalidLesson(_("lesson bundle %(slug)s has no main.py") % {"slug": slug})
        return _parse_lesson(slug, zf.read(toml_name).decode("utf-8"), files)


class LessonLibrary:
    """The lessons in one folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def slugs(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if (p / "lesson.toml").is_file())

    def _lesson_dir(self, slug: str) -> Path:
        # Reject anything that is not a plain folder name, so a slug can never walk out of the root.
        if not slug or "/" in slug or "\\" in slug or slug.startswith(".") or slug not in self.slugs():
            raise UnknownLesson(slug)
        return self.root / slug

    def load(self, slug: str) -> Lesson:
        folder = self._lesson_dir(slug)
        files = {
            p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in _program_files(folder)
        }
        return _parse_lesson(slug, (folder / "lesson.toml").read_text(encoding="utf-8"), files)

    def zip(self, slug: str) -> bytes:
        """A deterministic zip of the lesson folder (lesson.toml, main.py, lib/)."""
        folder = self._lesson_dir(slug)
        names = ["lesson.toml"] + [p.relative_to(folder).as_posix() for p in _program_files(folder)]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in names:
                info = zipfile.ZipInfo(f"{slug}/{name}", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, (folder / name).read_bytes())
        return buf.getvalue()


# The lessons this package carries, for flashing without the site.
BUNDLED = LessonLibrary(LESSONS_DIR)
