"""Pinyin of Chinese text, for the places a name or title must be typed or read in ASCII: lesson
slugs (courses.slugs) and pickers searched from a keyboard without a Chinese input method."""

import re

from pypinyin import Style, lazy_pinyin


def syllables(text):
    """The text's tone-less pinyin syllables; runs of other characters are kept as they are
    ("Amy 王 2" → ["Amy ", "wang", " 2"])."""
    return lazy_pinyin(text or "", style=Style.NORMAL, errors="default")


def search_text(text):
    """What a search box matches a name against, lower case: the text itself, its pinyin run
    together and its initials (小雨 → "小雨 xiaoyu xy"). Punctuation drops out of the pinyin."""
    words = re.findall(r"[a-z0-9]+", " ".join(syllables(text)).lower())
    whole = "".join(words)
    initials = "".join(word[0] for word in words)
    return f"{(text or '').lower()} {whole} {initials}"
