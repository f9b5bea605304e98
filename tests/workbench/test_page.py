"""The workbench on the lesson page: its data from lesson.toml, the saved code of the student,
and cross-origin isolation (COOP/COEP) on those pages only."""

import json

import pytest
from django.test import override_settings

from tests.workbench.checking import lesson_files, lesson_spec

pytestmark = pytest.mark.django_db


def data_of(response):
    html = response.content.decode()
    start = html.index('<script id="workbench-data" type="application/json">') + len(
        '<script id="workbench-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


@pytest.fixture
def course(make_course):
    return make_course()


def test_the_lesson_page_carries_the_program_parts_and_expectations(client, course, lesson_factory):
    lesson = lesson_factory(course, "红绿灯", program="traffic-light")
    response = client.get(lesson.url)
    data = data_of(response)
    spec = lesson_spec("traffic-light")
    assert data["files"] == lesson_files("traffic-light")
    assert data["wiring"] == spec["wiring"] and data["expect"] == spec["expect"]
    assert data["check"] == {"budget_ms": spec["check"]["budget_ms"], "scenario": {}}
    assert data["save_url"] is None and data["workspace"] is None  # a visitor: run, never save
    assert data["strings"]["errors"]["name"] == "没有叫 {name} 的名字，是不是拼错了？"
    assert data["worker_url"].endswith("courses/workbench/worker.js")
    # Without JavaScript the highlighted program is still there.
    assert 'class="highlight"' in response.content.decode()


def test_lib_files_come_as_tabs(client, course, lesson_factory):
    data = data_of(client.get(lesson_factory(course, "OLED", program="oled").url))
    assert sorted(data["files"]) == ["lib/ssd1306.py", "main.py"]


def test_a_student_gets_their_saved_code_back(client, course, lesson_factory, make_user):
    from courses.workspace import services

    lesson = lesson_factory(course, "点亮 LED", program="blink")
    student = make_user("xiaoming")
    services.save_code(student, lesson, {"main.py": "print('mine')\n"}, {"main.py"})
    client.force_login(student)
    data = data_of(client.get(lesson.url))
    assert data["workspace"]["files"] == {"main.py": "print('mine')\n"}
    assert data["save_url"] == f"/learn/workspace/{lesson.pk}/save/" and data["csrf_token"]
    assert data["files"] == lesson_files("blink")  # "恢复课程代码" puts this back


def test_lesson_pages_with_a_workbench_are_cross_origin_isolated_and_no_others(
    client, course, lesson_factory
):
    with_bench = client.get(lesson_factory(course, "点亮 LED", program="blink").url)
    assert with_bench["Cross-Origin-Opener-Policy"] == "same-origin"
    assert with_bench["Cross-Origin-Embedder-Policy"] == "credentialless"  # other-origin images still load
    without = client.get(lesson_factory(course, "安全须知", program="").url)
    assert "Cross-Origin-Embedder-Policy" not in without and "workbench-data" not in without.content.decode()
    assert "Cross-Origin-Embedder-Policy" not in client.get(course.url)


@override_settings(PAGE_CACHE_SECONDS=300)
def test_a_page_cache_hit_is_isolated_too(client, course, lesson_factory, settings):
    lesson = lesson_factory(course, "点亮 LED", program="blink")
    client.get(lesson.url)
    hit = client.get(lesson.url)
    assert hit["X-Page-Cache"] == "hit"  # served from the cache's copy of the body
    assert hit["Cross-Origin-Embedder-Policy"] == "credentialless"


def test_bilibili_players_are_framed_credentialless():
    from courses.embeds import BilibiliFinder

    html = BilibiliFinder().find_embed("https://www.bilibili.com/video/BV1GJ411x7h7")["html"]
    assert "<iframe" in html and " credentialless " in html
