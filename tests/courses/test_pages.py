import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from firmware import library

from .conftest import make_image

pytestmark = pytest.mark.django_db


def test_lesson_page_shows_steps_parts_code_licence_and_neighbours(client, make_course, lesson_factory):
    course = make_course()
    first = lesson_factory(course, "点亮第一盏灯")
    second = lesson_factory(course, "按键开关灯", blocks=6, image=make_image(), licence="MIT")
    third = lesson_factory(course, "呼吸灯")
    html = client.get(second.url).content.decode()

    # every block carries its stable id for per-step progress; steps are numbered
    for block in second.body:
        assert f'data-step-id="{block.id}"' in html
    assert 'id="step-1"' in html
    # breadcrumb, previous / next
    assert f'href="{course.url}"' in html and "第2课" not in html
    breadcrumb = html[html.index('class="breadcrumb"') :].split("</nav>")[0]
    assert [f'href="{url}"' in breadcrumb for url in ("/", course.get_parent().url, course.url)] == [True] * 3
    assert f'rel="prev" href="{first.url}"' in html and f'rel="next" href="{third.url}"' in html
    # parts with quantities from the tool catalogue
    assert 'data-tool-type="esp32-devkit"' in html and 'data-tool-type="led-red"' in html
    assert "ESP32 开发板" in html
    # code highlighted on the server, with line numbers and a copy button
    assert 'class="highlight"' in html and 'class="linenos"' in html and "data-copy-code" in html
    assert '<span class="kn">from</span>' in html
    # the bundled program is shown and downloadable, and the licence is shown
    assert "/learn/programs/blink.zip" in html
    assert 'rel="license"' in html and "MIT" in html
    # safety callouts are summarised at the top; the question shows its choices, and (issue 11)
    # its answer is revealed by the server once a student has answered, never in the page
    assert "safety-summary" in html and "用电安全" in html
    assert "data-question-feedback" in html and "限制电流" in html
    assert "data-correct" not in html and "电阻限制电流。" not in html
    # images as <picture> with AVIF and WebP sources and alt text from the upload
    assert "<picture>" in html and 'type="image/avif"' in html and 'type="image/webp"' in html
    assert 'alt="接线图：示意图"' in html


def test_first_and_last_lesson_have_one_neighbour(client, make_course, lesson_factory):
    course = make_course()
    first = lesson_factory(course, "第一课")
    last = lesson_factory(course, "第二课")
    assert 'rel="prev"' not in client.get(first.url).content.decode()
    assert 'rel="next"' not in client.get(last.url).content.decode()


def test_course_page_lists_published_lessons_in_order_with_durations(client, make_course, lesson_factory):
    course = make_course()
    lesson_factory(course, "甲课")
    lesson_factory(course, "乙课")
    lesson_factory(course, "草稿课", publish=False)
    html = client.get(course.url).content.decode()
    assert html.index("甲课") < html.index("乙课")
    assert "草稿课" not in html
    assert "40" in html and "80" in html  # each lesson's minutes and the total


def test_unpublished_lesson_is_not_found_for_anonymous(client, make_course, lesson_factory):
    draft = lesson_factory(make_course(), "草稿课", publish=False)
    assert client.get(draft.url).status_code == 404


def test_course_index_filters_by_level_stage_and_tag_and_paginates(client, course_index, make_course):
    make_course("创客启蒙：点亮第一盏灯", level="first-steps", stages=("primary",))
    advanced = make_course("进阶培训：传感器与数据", level="advanced", stages=("junior", "senior"))
    advanced.tags.add("传感器")
    advanced.save_revision().publish()

    def titles(query=""):
        html = client.get(course_index.url + query).content.decode()
        return {title for title in ("点亮第一盏灯", "传感器与数据") if title in html}

    assert titles() == {"点亮第一盏灯", "传感器与数据"}
    assert titles("?level=advanced") == {"传感器与数据"}
    assert titles("?stage=primary") == {"点亮第一盏灯"}
    assert titles("?stage=senior&level=first-steps") == set()
    assert titles("?tag=" + advanced.tags.first().slug) == {"传感器与数据"}
    assert titles("?level=nonsense") == {"点亮第一盏灯", "传感器与数据"}  # unknown values are ignored

    for number in range(12):
        make_course(f"课程{number:02d}")
    first_page = client.get(course_index.url).content.decode()
    second_page = client.get(course_index.url + "?page=2").content.decode()
    assert 'rel="next"' in first_page and 'rel="prev"' in second_page
    assert first_page.count('class="card course-card"') == 12
    assert second_page.count('class="card course-card"') == 2


def test_course_search_finds_a_chinese_word_in_a_lesson_body_with_facets(
    client, course_index, make_course, lesson_factory
):
    course = make_course("进阶培训：舵机与机器人", level="advanced", stages=("junior",))
    lesson = lesson_factory(course, "会点头的机器人")
    lesson.body = [{"type": "text", "value": "<p>用 PWM 信号控制舵机转到指定角度。</p>"}]
    lesson.save_revision().publish()
    make_course("创客启蒙：点亮第一盏灯", level="first-steps")
    from django.core.management import call_command

    call_command("update_index", stdout=io.StringIO())
    html = client.get(course_index.url + "?q=舵机").content.decode()
    assert "会点头的机器人" in html and "舵机与机器人" in html and "点亮第一盏灯" not in html
    # the level facet counts the matching course
    assert 'href="?q=%E8%88%B5%E6%9C%BA&amp;level=advanced"' in html
    assert (
        client.get(course_index.url + "?q=舵机&level=first-steps").content.decode().count("course-card") == 0
    )
    # the site-wide search finds the lesson too
    assert "会点头的机器人" in client.get("/search/?q=舵机").content.decode()


def test_page_tree_allows_only_index_course_lesson(home_page, course_index, make_course):
    assert CoursePage.can_exist_under(course_index)
    assert not CoursePage.can_exist_under(home_page)
    assert not LessonPage.can_exist_under(course_index)
    assert LessonPage.can_exist_under(make_course())
    assert not CourseIndexPage.can_exist_under(Page.objects.get(pk=course_index.pk))
    assert LessonPage.allowed_subpage_models() == []


def test_program_must_be_a_bundled_lesson(make_course, lesson_factory):
    lesson = lesson_factory(make_course(), "第一课")
    lesson.program = "no-such-lesson"
    with pytest.raises(ValidationError) as error:
        lesson.full_clean()
    assert "program" in error.value.message_dict
    lesson.program = library.lesson_slugs()[0]
    lesson.full_clean()


def test_program_zip_download(client):
    response = client.get("/learn/programs/blink.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "blink/main.py" in names
    assert client.get("/learn/programs/no-such-lesson.zip").status_code == 404


def test_nav_item_and_home_section(client, home_page, course_index, make_course):
    make_course("创客启蒙：点亮第一盏灯")
    html = client.get("/").content.decode()
    assert f'href="{course_index.url}"' in html and "课程" in html
    assert "点亮第一盏灯" in html
