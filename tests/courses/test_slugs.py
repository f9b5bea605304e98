"""A lesson or course with a Chinese title gets a readable pinyin slug (issue 16), not %E8%AF%84…"""

import pytest
from makerroom.core import roles

from courses.models import LessonPage
from courses.slugs import pinyin_slug

from .test_publishing import lesson_form

pytestmark = pytest.mark.django_db


def test_pinyin_slug_keeps_latin_letters_and_digits():
    assert pinyin_slug("评测小车 ESP32 第2课") == "ping-ce-xiao-che-esp32-di-2-ke"
    assert pinyin_slug("点亮LED：第一课") == "dian-liang-led-di-yi-ke"


def test_teacher_adding_a_lesson_with_the_editors_unicode_slug_gets_pinyin(
    client, make_user, school, make_course
):
    course = make_course()
    client.force_login(make_user("li", role=roles.Role.TEACHER, school=school))
    # the admin's JavaScript fills the slug from the title with Unicode kept
    form = lesson_form(title="用舵机做点头机器人", slug="用舵机做点头机器人")
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**form, "action-submit": "1"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(title="用舵机做点头机器人")
    assert lesson.slug == "yong-duo-ji-zuo-dian-tou-ji-qi-ren"
    assert "%E" not in lesson.url_path
    # a second one under the same course gets a free slug, not a form error
    response = client.post(
        f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**form, "action-submit": "1"}
    )
    assert response.status_code == 302
    assert sorted(LessonPage.objects.filter(title="用舵机做点头机器人").values_list("slug", flat=True)) == [
        "yong-duo-ji-zuo-dian-tou-ji-qi-ren",
        "yong-duo-ji-zuo-dian-tou-ji-qi-ren-2",
    ]


def test_an_ascii_slug_typed_by_the_teacher_is_kept(client, make_user, school, make_course):
    course = make_course()
    client.force_login(make_user("li", role=roles.Role.TEACHER, school=school))
    client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", {**lesson_form(), "action-submit": "1"})
    assert LessonPage.objects.get(title="用舵机做点头机器人").slug == "nodding-robot"


def test_a_lesson_saved_in_code_without_a_slug_gets_pinyin(make_course):
    course = make_course()
    lesson = LessonPage(title="评测小车", summary="s", objectives="o", program="")
    course.add_child(instance=lesson)
    assert lesson.slug == "ping-ce-xiao-che"
    other = LessonPage(title="评测小车", summary="s", objectives="o", program="")
    course.add_child(instance=other)
    assert other.slug == "ping-ce-xiao-che-2"
