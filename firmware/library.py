"""The site's lesson library: the lessons in ``firmware/lessons/``, read with the host package's
loader. The site shows, serves (API bundles for lab PCs, downloads on lesson pages) and flashes
(`manage.py flash`) these; in the repository they are the same files makerroom-flash bundles."""

from functools import cache
from pathlib import Path

from makerroom_flash.library import InvalidLesson, Lesson, LessonLibrary, UnknownLesson, lesson_from_zip

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
SITE_LESSONS = LessonLibrary(LESSONS_DIR)

lesson_slugs = SITE_LESSONS.slugs
lesson_zip = SITE_LESSONS.zip


@cache
def load_lesson(slug: str) -> Lesson:
    """A bundled lesson, read once per process: the folder is part of the release (a new release
    restarts the workers), and every lesson page with a board reads it. Treat the result as read-only."""
    return SITE_LESSONS.load(slug)


__all__ = [
    "LESSONS_DIR",
    "SITE_LESSONS",
    "InvalidLesson",
    "Lesson",
    "LessonLibrary",
    "UnknownLesson",
    "lesson_from_zip",
    "lesson_slugs",
    "lesson_zip",
    "load_lesson",
]
