"""The bundled MicroPython lesson programs (firmware/lessons/) as a lesson page uses them."""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from firmware import library


def program_choices():
    """Choices for the admin's select, read from the folders present (never frozen in a migration)."""
    return [("", "---------")] + [(slug, slug) for slug in library.lesson_slugs()]


def validate_program_slug(value):
    if value and value not in library.lesson_slugs():
        raise ValidationError(
            _("“%(slug)s” is not a bundled lesson program. Choose one of: %(slugs)s."),
            params={"slug": value, "slugs": ", ".join(library.lesson_slugs())},
            code="unknown_program",
        )


@lru_cache(maxsize=512)
def highlight_micropython(code):
    """Server-side highlighting with line numbers; the same source always gives the same HTML."""
    return highlight(code, PythonLexer(), HtmlFormatter(linenos="table", cssclass="highlight", wrapcode=True))


@lru_cache(maxsize=64)
def program_files(slug):
    """[(path, source, highlighted html)] of a bundled program, main.py first; [] if it is gone."""
    try:
        lesson = library.load_lesson(slug)
    except library.UnknownLesson:
        return []
    paths = sorted(lesson.files, key=lambda path: (path != "main.py", path))
    return [(path, lesson.files[path], highlight_micropython(lesson.files[path])) for path in paths]
