"""Readable ASCII slugs for pages with Chinese titles.

A Chinese title slugified with Unicode allowed gives a URL that browsers, chat apps and printed
handouts show as ``%E8%AF%84…``. Lessons and courses get the title's pinyin instead
(``评测小车`` → ``ping-ce-xiao-che``); letters and digits in the title are kept as they are.
"""

from django.utils.text import slugify
from makerroom.core.pinyin import syllables


def pinyin_slug(title, max_length=255):
    """The title's pinyin (tone-less, syllables joined by '-'), slugified to ASCII."""
    return slugify("-".join(syllables(title)))[:max_length].strip("-")


def needs_pinyin(slug):
    """A slug that is empty or not plain ASCII (what the admin's JS makes of a Chinese title)."""
    return not slug or not slug.isascii()


def available_slug(base, parent_page, page=None):
    """base, or base-2, base-3… — the first slug no sibling under parent_page uses."""
    from wagtail.models import Page

    candidate, suffix = base, 1
    while parent_page is not None and not Page._slug_is_available(candidate, parent_page, page):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class PinyinSlugPage:
    """Page mixin: a page saved without a slug (code, imports, the demo) gets the title's pinyin,
    not Wagtail's Unicode slug."""

    def _pinyin_default_slug(self):
        parent_is_known = bool(self.path or getattr(self, "_cached_parent_obj", None))
        if not self.slug and parent_is_known:
            base = pinyin_slug(self.title)
            if base:
                self.slug = available_slug(base, self.get_parent(), self)

    def full_clean(self, *args, **kwargs):
        self._pinyin_default_slug()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self._pinyin_default_slug()
        return super().save(*args, **kwargs)


class PinyinSlugForm:
    """Admin form mixin: the slug the editor's JavaScript makes from a Chinese title (Unicode) is
    replaced by the title's pinyin when the slug is new or changed; an ASCII slug typed by the
    teacher is kept as typed, and a published page's unchanged slug is never touched."""

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        unchanged = self.instance.pk and slug == self.instance.slug
        if unchanged or not needs_pinyin(slug):
            return slug
        base = pinyin_slug(slug) or pinyin_slug(self.data.get("title", ""))
        if not base:
            return slug
        return available_slug(
            base, getattr(self, "parent_page", None), self.instance if self.instance.pk else None
        )
