"""The site's lesson library: the lessons in ``firmware/lessons/``, read with the host package's
loader. The site shows, serves (API bundles for lab PCs, downloads on lesson pages) and flashes
(`manage.py flash`) these; in the repository they are the same files makerroom-flash bundles."""

from pathlib import Path

from makerroom_flash.library import InvalidLesson, Lesson, LessonLibrary, UnknownLesson, lesson_from_zip

LESSONS_DIR = Path(__file__).resolve().parent / "lessons"
SITE_LESSONS = LessonLibrary(LESSONS_DIR)

lesson_slugs = SITE_LESSONS.slugs
load_lesson = SITE_LESSONS.load
lesson_zip = SITE_LESSONS.zip

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
