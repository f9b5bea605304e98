"""Kept because the first migrations name `makerroom.search.chinese.ChineseSearchable` as a base;
the Chinese search helpers live in makerroom.core.chinese_search."""

from makerroom.core.chinese_search import *  # noqa: F403
from makerroom.core.chinese_search import ChineseSearchable, search, segment, segment_query  # noqa: F401
