"""The team picker's search text: display name, class, and the name's pinyin — whole and by
initials — so a student on a phone without a Chinese keyboard finds 小雨 by "xiaoyu" or "xy"."""

import re

import pytest

from courses.classes import services as classes
from festival.forms import EntryForm

pytestmark = pytest.mark.django_db


def search_texts(form):
    """{student pk: the tick box's data-search} from the rendered widget."""
    texts = {}
    for tag in re.findall(r"<input[^>]*>", str(form["teammates"])):
        value, text = re.search(r'value="(\d+)"', tag), re.search(r'data-search="([^"]*)"', tag)
        if value and text:
            texts[value.group(1)] = text.group(1)
    return texts


def test_a_classmate_is_found_by_name_class_and_pinyin(edition, people):
    owner, mate = people["s1"], people["s2"]
    school_class = classes.create_class(
        teacher=people["mentor"], name="七年级（3）班", grade=7, school_year="2026-2027"
    )
    classes.enrol(school_class, mate)
    text = search_texts(EntryForm(edition=edition, school=owner.school, owner=owner))[str(mate.pk)]
    for word in ("小雨", "七年级（3）班", "xiaoyu", "xy"):
        assert word in text, (word, text)


def test_search_text_of_names_with_latin_letters_and_digits():
    from makerroom.core.pinyin import search_text

    text = search_text("Amy 王 2")
    assert "amy 王 2" in text and "amywang2" in text and "aw2" in text
