import uuid

import pytest
from django.core.cache import cache
from makerroom.core import roles
from makerroom.core.models import SchoolStage

from courses.classes import services
from courses.models import CourseIndexPage, CoursePage, Stage
from tests.courses.conftest import make_lesson
from tests.factories import make_school

STEP = {
    "heading": "连接电路",
    "text": "<p>把 LED 的长脚接到 GPIO2。</p>",
    "image": None,
    "video": None,
    "code": {"filename": "main.py", "code": "print('hi')"},
}
QUESTION = {
    "question": "电阻的作用是什么？",
    "choices": [{"text": "限制电流", "correct": True}, {"text": "让 LED 更亮", "correct": False}],
    "explanation": "<p>电阻限制电流。</p>",
}


def body(steps=3, questions=1):
    blocks = [{"type": "step", "value": dict(STEP, heading=f"第{n + 1}步")} for n in range(steps)]
    blocks += [{"type": "question", "value": QUESTION} for _ in range(questions)]
    return blocks


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school():
    return make_school("SZ-0100", "深圳市福田区实验学校", stage=SchoolStage.JUNIOR)


@pytest.fixture
def other_school():
    return make_school("SZ-0200", "深圳市罗湖区外语学校", stage=SchoolStage.JUNIOR)


@pytest.fixture
def course_index(home_page):
    index = CourseIndexPage(title="课程", slug="courses")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def course_with_lessons(course_index, school):
    def make(lessons=3, steps=3, questions=1, title="创客启蒙：点亮第一盏灯", slug=None):
        course = CoursePage(
            title=title,
            slug=slug or f"c-{uuid.uuid4().hex[:8]}",
            school=school,
            summary="从点亮 LED 开始",
            level="first-steps",
            total_hours=8,
            objectives="认识 ESP32\n会写 MicroPython",
        )
        course_index.add_child(instance=course)
        course.stages.set(Stage.objects.filter(slug="junior"))
        course.save_revision().publish()
        for number in range(lessons):
            lesson = make_lesson(course, f"第{number + 1}课", program="", parts=())
            lesson.body = body(steps, questions)
            lesson.save_revision().publish()
        return course

    return make


@pytest.fixture
def teacher(make_user, school):
    return make_user("li", role=roles.Role.TEACHER, school=school, display_name="李老师")


@pytest.fixture
def school_class(teacher):
    return services.create_class(teacher=teacher, name="七年级（3）班", grade=7, school_year="2026-2027")


def lesson_ids(course):
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(course).order_by("path").values_list("pk", flat=True))


def step_ids(lesson_id, kind="step"):
    from courses.models import LessonPage

    lesson = LessonPage.objects.get(pk=lesson_id)
    return [block.id for block in lesson.body if block.block_type == kind]
