import io
import uuid

import pytest
from django.core.files.images import ImageFile
from makerroom.core.models import SchoolStage
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonPart, Stage
from kits.models import ToolType
from tests.factories import make_school


def make_image(title="接线图", colour=(194, 65, 12)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), colour).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, description=f"{title}：示意图", file=ImageFile(buffer, name=f"{uuid.uuid4().hex}.png")
    )


BLINK_CODE = "from machine import Pin\nimport time\n\nled = Pin(2, Pin.OUT)\nwhile True:\n    led.toggle()\n    time.sleep(0.5)\n"


def lesson_body(blocks=30, image=None):
    """A realistic body of `blocks` blocks cycling through every block type."""
    kinds = [
        (
            "step",
            {
                "heading": "连接电路",
                "text": "<p>把 LED 的长脚接到 GPIO2。</p>",
                "image": image.pk if image else None,
                "video": None,
                "code": {"filename": "main.py", "code": BLINK_CODE},
            },
        ),
        ("text", "<p>电流从正极流向负极，电阻限制电流，保护 LED。</p>"),
        ("image", {"image": image.pk if image else None, "caption": "面包板接线"}),
        ("code", {"filename": "main.py", "code": BLINK_CODE}),
        ("callout", {"kind": "safety", "title": "用电安全", "text": "<p>接线前先拔掉 USB 数据线。</p>"}),
        (
            "question",
            {
                "question": "电阻的作用是什么？",
                "choices": [{"text": "限制电流", "correct": True}, {"text": "让 LED 更亮", "correct": False}],
                "explanation": "<p>电阻限制电流。</p>",
            },
        ),
    ]
    if image is None:
        kinds = [kind for kind in kinds if kind[0] != "image"]
    return [{"type": kinds[i % len(kinds)][0], "value": kinds[i % len(kinds)][1]} for i in range(blocks)]


@pytest.fixture
def school():
    return make_school("SZ-0100", "深圳市福田区实验学校", stage=SchoolStage.PRIMARY)


@pytest.fixture
def other_school():
    return make_school("SZ-0200", "深圳市罗湖区外语学校", stage=SchoolStage.JUNIOR)


@pytest.fixture
def course_index(home_page):
    index = CourseIndexPage(title="课程", slug="courses", intro="全市创客课程")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_course(course_index, school):
    def make(
        title="创客启蒙：点亮第一盏灯",
        slug=None,
        school=school,
        level="first-steps",
        stages=("primary",),
        lessons=0,
        blocks=3,
        image=None,
        **fields,
    ):
        course = CoursePage(
            title=title,
            slug=slug or f"c-{uuid.uuid4().hex[:8]}",
            school=school,
            summary=f"{title}的课程简介",
            level=level,
            total_hours=8,
            objectives="认识 ESP32\n会写 MicroPython",
            **fields,
        )
        course_index.add_child(instance=course)
        course.stages.set(Stage.objects.filter(slug__in=stages))
        course.save_revision().publish()
        for number in range(lessons):
            make_lesson(course, f"第{number + 1}课", blocks=blocks, image=image)
        return course

    return make


def make_lesson(
    course,
    title,
    blocks=3,
    image=None,
    program="blink",
    parts=(("esp32-devkit", 1), ("led-red", 2)),
    publish=True,
    **fields,
):
    lesson = LessonPage(
        title=title,
        slug=f"l-{uuid.uuid4().hex[:8]}",
        summary=f"{title}：动手做",
        duration_minutes=40,
        objectives="连接电路\n运行程序",
        program=program,
        body=lesson_body(blocks, image),
        live=publish,
        **fields,
    )
    course.add_child(instance=lesson)
    for slug, quantity in parts:
        LessonPart.objects.create(lesson=lesson, tool_type=ToolType.objects.get(slug=slug), quantity=quantity)
    revision = lesson.save_revision()
    if publish:
        revision.publish()
    return LessonPage.objects.get(pk=lesson.pk)


@pytest.fixture
def lesson_factory():
    return make_lesson
