"""Issue 16, the course list: a facet's count says what clicking it would show (it follows the other
active filters), every active facet can be cleared on its own, and search results say which course
and level a lesson belongs to with a snippet around the match — on the course list and site-wide."""

import io

import pytest
from django.core.management import call_command
from django.utils.http import urlencode

pytestmark = pytest.mark.django_db


def _counts(response, name):
    return {facet["value"]: facet["count"] for facet in response.context[name]}


def test_facet_counts_follow_the_other_active_filters(client, course_index, make_course):
    make_course("创客启蒙：点亮第一盏灯", level="first-steps", stages=("primary",))
    make_course("进阶培训：传感器与数据", level="advanced", stages=("junior",))
    make_course("入门：会唱歌的蜂鸣器", level="first-steps", stages=("junior",))

    everything = client.get(course_index.url)
    assert _counts(everything, "level_facets")["first-steps"] == 2
    assert _counts(everything, "stage_facets")["junior"] == 2

    junior = client.get(course_index.url + "?stage=junior")
    assert _counts(junior, "level_facets")["first-steps"] == 1  # under 初中 only one beginners' course
    assert _counts(junior, "level_facets")["advanced"] == 1
    assert _counts(junior, "stage_facets")["primary"] == 1  # its own facet is not narrowed by itself

    beginners = client.get(course_index.url + "?level=first-steps")
    assert _counts(beginners, "stage_facets")["primary"] == 1
    assert _counts(beginners, "stage_facets")["junior"] == 1
    assert _counts(beginners, "level_facets")["advanced"] == 1


def test_each_active_facet_has_its_own_clear_link(client, course_index, make_course):
    course = make_course("进阶培训：传感器与数据", level="advanced", stages=("junior",))
    course.tags.add("传感器")
    course.save_revision().publish()
    tag = course.tags.first().slug
    html = client.get(course_index.url + f"?level=advanced&stage=junior&tag={tag}").content.decode()
    clear_links = html.count('class="facet-clear"')
    assert clear_links == 4  # level, stage, tag, and all of them

    def link(**query):
        return 'href="?' + urlencode(query).replace("&", "&amp;") + '"'

    assert link(stage="junior", tag=tag) in html  # clearing the level keeps the others
    assert link(level="advanced", tag=tag) in html
    assert link(level="advanced", stage="junior") in html
    assert "清除筛选" in html or "Clear filter" in html

    plain = client.get(course_index.url).content.decode()
    assert 'class="facet-clear"' not in plain


def test_search_results_name_the_course_and_level_with_a_snippet(
    client, course_index, make_course, lesson_factory
):
    course = make_course("进阶培训：舵机与机器人", level="advanced", stages=("junior",))
    lesson = lesson_factory(course, "会点头的机器人")
    filler = "先认识开发板上的每一个接口和按键。" * 6
    lesson.body = [{"type": "text", "value": f"<p>{filler}然后用 PWM 信号控制舵机转到指定角度。</p>"}]
    lesson.save_revision().publish()
    call_command("update_index", stdout=io.StringIO())

    hits = client.get(course_index.url + "?q=舵机").context["lesson_hits"]
    assert [hit["lesson"].title for hit in hits] == ["会点头的机器人"]
    assert hits[0]["course"].title == "进阶培训：舵机与机器人"
    snippet = hits[0]["snippet"]
    assert "控制舵机" in snippet and snippet.startswith("…") and len(snippet) < 100

    html = client.get(course_index.url + "?q=舵机").content.decode()
    section = html[html.index('class="lesson-hits"') :]
    assert "进阶培训：舵机与机器人 · " in section and "控制舵机转到指定角度" in section

    site = client.get("/search/?q=舵机").content.decode()
    result = site[site.index("会点头的机器人") :]
    assert "进阶培训：舵机与机器人 · " in result[:600]
    assert "控制舵机转到指定角度" in result[:900]
