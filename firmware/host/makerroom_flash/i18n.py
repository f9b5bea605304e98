"""Translations for the host tools, with the standard library's gettext (no Django).

The messages are English msgids; the Chinese comes from this package's own catalogue,
``locale/zh_Hans/LC_MESSAGES/makerroom_flash.po``, compiled to ``.mo`` by the wheel build (setup.py)
and, in a checkout, by ``manage.py compilemessages`` like every other catalogue.

The language is chosen once per run: ``makerroom-flash --lang``, else the ``MAKERROOM_LANG``
environment variable, else Chinese. ``manage.py flash`` passes Django's active language in.
It is one setting for the whole process (the flashing threads use it too), not per thread.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "makerroom_flash"
LANGUAGES = ("zh-hans", "en")
DEFAULT_LANGUAGE = "zh-hans"
ENV_VAR = "MAKERROOM_LANG"

_active: str | None = None


def normalize(language: str | None) -> str:
    """Map zh-hans, zh_Hans, zh-CN, zh to "zh-hans" and en, en-us to "en"; anything else is Chinese."""
    code = (language or "").strip().lower().replace("_", "-")
    if code == "en" or code.startswith("en-"):
        return "en"
    return DEFAULT_LANGUAGE


def to_locale(language: str) -> str:
    """The catalogue folder name: "zh-hans" → "zh_Hans"."""
    lang, _, script = normalize(language).partition("-")
    return f"{lang}_{script.title()}" if script else lang


@cache
def _translation(language: str) -> _gettext.NullTranslations:
    if language == "en":  # English is the msgid language
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[to_locale(language)], fallback=True)


def get_language() -> str:
    """The active language: the one activated, else $MAKERROOM_LANG, else Chinese."""
    return _active or normalize(os.environ.get(ENV_VAR))


def activate(language: str | None) -> str:
    """Use `language` from now on (None: back to $MAKERROOM_LANG or Chinese); returns it normalized."""
    global _active
    _active = normalize(language) if language else None
    return get_language()


@contextmanager
def override(language: str | None) -> Iterator[str]:
    """Use `language` inside the block, then the one before."""
    global _active
    before = _active
    try:
        yield activate(language)
    finally:
        _active = before


def gettext(message: str) -> str:
    return _translation(get_language()).gettext(message)


_ = gettext
