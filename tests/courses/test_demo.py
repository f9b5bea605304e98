"""seed_demo's courses: real Chinese maker courses, with pictures, code, safety callouts and parts."""

import re

import pytest
from django.core.management import call_command

from courses.models import CourseIndexPage, CoursePage, LessonPage

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_demo_has_three_chinese_courses_of_at_least_five_complete_lessons(client):
    call_command("seed_demo")
    index = CourseIndexPage.objects.live().get(slug="courses")
    courses = CoursePage.objects.child_of(index).live()
    assert courses.count() >= 3
    assert {course.level for course in courses} >= {"first-steps", "advanced", "hands-on"}
    for course in courses:
        assert course.cover_image is not None and course.cover_image.description
        assert course.stages.exists() and course.authors.exists() and course.tags.exists()
        lessons = LessonPage.objects.child_of(course).live()
        assert lessons.count() >= 5, course.title
        kinds, with_parts = set(), 0
        for lesson in lessons:
            text = " ".join(str(block.render()) for block in lesson.body)
            assert CJK.search(lesson.title) and CJK.search(text), lesson.title
            assert "lorem" not in text.lower()
            if lesson.program:  # a lesson with a board program needs the board and its parts
                assert lesson.parts.exists(), lesson.title
            with_parts += lesson.parts.exists()
            kinds |= {block.block_type for block in lesson.body}
            kinds |= (
                {"code"}
                if any(b.block_type == "step" and b.value["code"]["code"] for b in lesson.body)
                else set()
            )
            kinds |= {
                "safety"
                for block in lesson.body
                if block.block_type == "callout" and block.value["kind"] == "safety"
            }
            kinds |= (
                {"picture"}
                if any(
                    block.block_type == "image" or (block.block_type == "step" and block.value["image"])
                    for block in lesson.body
                )
                else set()
            )
        assert {"step", "safety", "picture"} <= kinds, course.title
        if course.level != "hands-on":  # laser cutting and 3D printing have no board program
            assert "code" in kinds, course.title
        assert with_parts >= 4, course.title  # a design-only lesson (e.g. on the computer) may need none

    # the first-steps course is the sequence the issue names, in order
    first = CoursePage.objects.get(slug="first-light")
    titles = [lesson.title for lesson in LessonPage.objects.child_of(first).live().order_by("path")]
    assert titles[:5] == ["点亮第一盏灯", "按键开关灯", "呼吸灯", "红绿灯", "蜂鸣器奏乐"]
    lesson = LessonPage.objects.get(slug="blink")
    html = client.get(lesson.url).content.decode()
    assert "safety-summary" in html and "<picture>" in html and "/learn/programs/blink.zip" in html
