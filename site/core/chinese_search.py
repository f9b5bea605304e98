"""Chinese-aware search on top of Wagtail's database backend.

The database backend tokenises on whitespace, so 舵机 never matches the one "word" 舵机控制入门.
We segment Chinese text with jieba (`cut_for_search`, which also emits the short words inside long
ones) into an extra indexed field, and segment every query the same way. Every searchable page type
mixes in `ChineseSearchable`; every search goes through `search`.
"""

import logging
import re
from functools import lru_cache

import jieba
from django.utils.html import strip_tags
from wagtail.search import index

# Punctuation and symbols carry no meaning for search and upset some query parsers.
_PUNCTUATION = re.compile(r"[^\w\s]+", re.UNICODE)


@lru_cache(maxsize=1)
def _tokenizer():
    jieba.setLogLevel(logging.WARNING)  # it announces its dictionary loading on stderr
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def _clean(text):
    return _PUNCTUATION.sub(" ", strip_tags(text or ""))


def segment(text):
    """Index side: '用超声波测距' -> '用 超声 声波 超声波 测距' (every word and the words inside it)."""
    words = (word.strip() for word in _tokenizer().cut_for_search(_clean(text)))
    return " ".join(word for word in words if word)


# Function words that would make an all-words-must-match query fail for no reason.
_QUERY_STOP_WORDS = {"的", "与", "和", "及", "用", "了", "在", "是", "把", "如何", "怎么"}


def segment_query(query):
    """Query side: the longest words (jieba's precise mode), each of which the index also holds."""
    words = [word.strip() for word in _tokenizer().cut(_clean(query))]
    words = [word for word in words if word]
    meaningful = [word for word in words if word not in _QUERY_STOP_WORDS]
    return " ".join(meaningful or words)


def searchable_text(value):
    """Plain text of a field value: str, rich text, or a StreamField value."""
    if value is None:
        return ""
    stream_block = getattr(getattr(value, "stream_block", None), "get_searchable_content", None)
    if stream_block is not None:
        return " ".join(str(part) for part in stream_block(value))
    return strip_tags(str(value))


class ChineseSearchable(index.Indexed):
    """Mixin for page (or model) classes: list the text fields in `chinese_search_fields`
    and add `ChineseSearchable.chinese_search_field` to `search_fields`."""

    chinese_search_fields: tuple[str, ...] = ("title",)

    def search_result_text(self):
        """The plain text a search result's snippet is cut from (the indexed fields but the title)."""
        names = (name for name in self.chinese_search_fields if name != "title")
        return " ".join(searchable_text(getattr(self, name, "")) for name in names)

    def chinese_search_text(self):
        parts = (searchable_text(getattr(self, name, "")) for name in self.chinese_search_fields)
        return segment(" ".join(parts))

    chinese_search_field = index.SearchField("chinese_search_text")


def snippet(text, query, width=80):
    """About `width` characters of plain `text` around the first word of `query` it holds, with
    "…" where text was cut; the start of the text when no word is found (a match in the title)."""
    text = " ".join(strip_tags(text or "").split())
    words = [word for word in segment_query(query).split() if word]
    found = [position for position in (text.find(word) for word in words) if position >= 0]
    if not found:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, min(found) - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(queryset, query, **kwargs):
    """Search a queryset the way its pages were indexed. Every word of the query must match."""
    terms = segment_query(query)
    if not terms:
        return queryset.none()
    kwargs.setdefault("operator", "and")
    return queryset.search(terms, **kwargs)
