"""Our catalogues never shadow Wagtail's or Django's own translations.

gettext merges every catalogue into one per language, and ours (LOCALE_PATHS, then our apps, which
come before Wagtail and Django in INSTALLED_APPS) win. A msgid of ours without a context that
Wagtail or Django also translate replaces their translation everywhere: the site's pagination
"Pages" made the admin menu say "分页". Our own uses take a context (pgettext, {% translate … context
… %}); an entry without one must say what Wagtail or Django say.
"""

from pathlib import Path

import django
import polib
import wagtail

ROOT = Path(__file__).resolve().parents[2]
SITE_PACKAGES = Path(django.__file__).parents[1]
OURS = [
    "site/locale",
    "site/core/locale",
    "site/accounts/locale",
    "courses/locale",
    "courses/classes/locale",
    "festival/locale",
    "kits/locale",
    "firmware/locale",
]


def _translation(entry):
    return entry.msgstr or next((s for _, s in sorted(entry.msgstr_plural.items()) if s), "")


def _live(pofile):
    return [e for e in pofile if not e.obsolete and "fuzzy" not in e.flags and _translation(e)]


def _their_translations():
    roots = [Path(wagtail.__file__).parent, Path(django.__file__).parent / "contrib"]
    files = [p for root in roots for p in root.glob("**/locale/zh_Hans/LC_MESSAGES/*.po")]
    files += list((Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES").glob("*.po"))
    theirs = {}
    for path in files:
        for entry in _live(polib.pofile(str(path))):
            key = (entry.msgctxt, entry.msgid)
            theirs.setdefault(key, set()).add((_translation(entry), path.relative_to(SITE_PACKAGES)))
    return theirs


def _shadowing():
    theirs = _their_translations()
    found = []
    for locale_dir in OURS:
        for path in sorted((ROOT / locale_dir / "zh_Hans/LC_MESSAGES").glob("*.po")):
            for entry in _live(polib.pofile(str(path))):
                ours = _translation(entry)
                for their, where in sorted(theirs.get((entry.msgctxt, entry.msgid), ())):
                    if their != ours:
                        found.append(
                            f"{path.relative_to(ROOT)}: {entry.msgid!r} → {ours!r}, {where} says {their!r}"
                        )
    return found


def test_the_catalogues_exist():
    assert (ROOT / "site/locale/zh_Hans/LC_MESSAGES/django.po").exists()
    assert _their_translations()[(None, "Pages")]


def test_no_msgid_of_ours_replaces_a_wagtail_or_django_translation():
    found = _shadowing()
    assert not found, "\n".join(found)


def test_every_wagtail_string_has_a_chinese_translation():
    """Wagtail's source catalogues (en) against every zh_Hans one of the same domain (Wagtail's,
    Django's, ours; django for templates and Python, djangojs for the editor's JavaScript): what
    Wagtail 8's zh_Hans lacks is translated in site/locale (kept by site/home/wagtail_strings.py).
    After a Wagtail upgrade, this lists the new strings to translate."""
    django_dir = Path(django.__file__).parent
    catalogues = [
        *Path(wagtail.__file__).parent.glob("**/locale/zh_Hans/LC_MESSAGES/*.po"),
        *(django_dir / "contrib").glob("**/locale/zh_Hans/LC_MESSAGES/*.po"),
        *(django_dir / "conf/locale/zh_Hans/LC_MESSAGES").glob("*.po"),
        *(path for locale_dir in OURS for path in (ROOT / locale_dir / "zh_Hans/LC_MESSAGES").glob("*.po")),
    ]
    translated = {
        (path.stem, e.msgctxt, e.msgid) for path in catalogues for e in _live(polib.pofile(str(path)))
    }
    missing = []
    for path in sorted(Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/*.po")):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and (path.stem, entry.msgctxt, entry.msgid) not in translated:
                missing.append(f"{path.relative_to(SITE_PACKAGES)}: {entry.msgid!r}")
    assert not missing, "\n".join(missing)
