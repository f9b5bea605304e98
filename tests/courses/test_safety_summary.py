"""Issue 16: the safety summary at the top of a lesson never shows a callout twice — not the same
callout used in two places, and not a callout that already opens the lesson body right below it."""

import pytest

pytestmark = pytest.mark.django_db

USB = {"kind": "safety", "title": "用电安全", "text": "<p>接线前先拔掉 USB 数据线。</p>"}
HOT = {"kind": "safety", "title": "小心烫手", "text": "<p>电烙铁用完放回支架。</p>"}


def _step(heading):
    return {
        "type": "step",
        "value": {"heading": heading, "text": "<p>按图接线。</p>", "image": None, "video": None},
    }


def _summary(client, lesson):
    html = client.get(lesson.url).content.decode()
    if 'class="safety-summary"' not in html:
        return ""
    return html[html.index('class="safety-summary"') :].split("</section>")[0]


def test_a_callout_used_twice_is_summarised_once(client, make_course, lesson_factory):
    lesson = lesson_factory(make_course(), "焊接入门")
    lesson.body = [
        _step("准备"),
        {"type": "callout", "value": USB},
        _step("焊接"),
        {"type": "callout", "value": USB},
    ]
    lesson.save_revision().publish()
    summary = _summary(client, lesson)
    assert summary.count("用电安全") == 1


def test_a_callout_opening_the_body_is_not_repeated_above_it(client, make_course, lesson_factory):
    lesson = lesson_factory(make_course(), "焊接入门")
    lesson.body = [{"type": "callout", "value": USB}, _step("准备"), {"type": "callout", "value": HOT}]
    lesson.save_revision().publish()
    summary = _summary(client, lesson)
    assert "用电安全" not in summary  # it is the first thing in the body, right below
    assert "小心烫手" in summary  # further down: the summary brings it to the top

    lesson.body = [{"type": "callout", "value": USB}, _step("准备")]
    lesson.save_revision().publish()
    assert _summary(client, lesson) == ""  # nothing left to summarise: no empty box
