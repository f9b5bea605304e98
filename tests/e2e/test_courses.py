"""A teacher writes a lesson in the Wagtail admin, a 教研组长 approves it, the public finds it."""

import pytest
from django.conf import settings
from django.db import OperationalError
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses.models import CoursePage, LessonPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = "from machine import Pin, PWM\nservo = PWM(Pin(13), freq=50)\nservo.duty(77)"


def _png(tmp_path):
    path = tmp_path / "servo-wiring.png"
    image = PILImage.new("RGB", (800, 450), (15, 118, 110))
    image.save(path)
    return path


def _admin_login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_teacher_writes_reviewer_approves_public_finds(
    live_server, demo_site, browser, page, phone_page, screenshot, tmp_path
):
    course = CoursePage.objects.get(slug="sensors-and-data")
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    teacher.set_default_timeout(30_000)
    _admin_login(teacher, live_server, "teacher")

    # 1. upload the wiring picture; alt text (description) is required
    teacher.goto(f"{live_server.url}/admin/images/add/")
    teacher.fill("#id_title", "舵机接线图")
    teacher.set_input_files("#id_file", str(_png(tmp_path)))
    upload_button = 'form[enctype="multipart/form-data"] button[type=submit]'
    teacher.click(upload_button)
    teacher.wait_for_load_state()
    assert "/admin/images/add/" in teacher.url  # refused: no alt text yet
    assert not get_image_model().objects.filter(title="舵机接线图").exists()
    teacher.fill("#id_title", "舵机接线图")
    teacher.fill("#id_description", "舵机棕线接 GND，红线接 5V，橙线接 GPIO13")
    teacher.set_input_files("#id_file", str(_png(tmp_path)))
    teacher.click(upload_button)
    teacher.wait_for_url(f"{live_server.url}/admin/images/")

    # 2. write the lesson: a step with text, the picture and code
    teacher.goto(f"{live_server.url}/admin/pages/add/courses/lessonpage/{course.pk}/")
    teacher.fill("#id_title", "机械臂：用两个舵机夹起积木")
    teacher.fill("#id_summary", "用两个 SG90 舵机做一个能夹起积木的小机械臂。")
    teacher.fill("#id_objectives", "会同时控制两个舵机\n会把动作拆成步骤")
    teacher.locator(".c-sf-add-button").first.click()  # insert a block into the steps
    teacher.get_by_role("option", name="步骤").first.click()
    teacher.fill("#body-0-value-heading", "装好机械爪")
    teacher.locator('[data-contentpath="text"] [contenteditable="true"]').first.click()
    teacher.keyboard.type("把舵盘装在夹爪上，通电前确认夹爪能自由转动。")
    teacher.locator('[data-contentpath="image"] button:visible').first.click()
    teacher.locator(".modal").get_by_text("舵机接线图").first.click()
    teacher.locator(".modal").wait_for(state="hidden")
    teacher.fill("#body-0-value-code-code", CODE)
    teacher.locator('button[name="action-submit"]').evaluate("button => button.click()")
    teacher.wait_for_url(f"{live_server.url}/admin/pages/{course.pk}/")
    lesson = LessonPage.objects.get(title="机械臂：用两个舵机夹起积木")
    assert not lesson.live

    # 3. not public yet
    page.goto(
        f"{live_server.url}{lesson.url}" if lesson.url else f"{live_server.url}{course.url}{lesson.slug}/"
    )
    assert "机械臂" not in page.title()

    # 4. the reviewer approves
    reviewer = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    reviewer.set_default_timeout(30_000)
    _admin_login(reviewer, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    reviewer.locator(
        'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
    ).evaluate("button => button.click()")
    for _ in range(60):  # the workflow script posts the action, then reloads
        reviewer.wait_for_timeout(500)
        try:
            lesson.refresh_from_db()
        except OperationalError:  # the live server is still writing (shared in-memory SQLite)
            continue
        if lesson.live:
            break
    assert lesson.live

    # 5. anyone sees it, and finds it by a Chinese word of its body
    page.goto(f"{live_server.url}{course.url}")
    page.click("text=机械臂：用两个舵机夹起积木")
    assert page.locator("h1").inner_text() == "机械臂：用两个舵机夹起积木"
    assert page.locator(".block-step [data-copy-code]").count() == 1
    assert (
        page.locator(".block-step picture img").get_attribute("alt")
        == "舵机棕线接 GND，红线接 5V，橙线接 GPIO13"
    )
    page.goto(f"{live_server.url}/search/?q=夹爪")  # a word found only in the step's text
    assert page.locator("text=机械臂：用两个舵机夹起积木").count() >= 1
    page.goto(f"{live_server.url}{course.get_parent().url}?q=夹爪")
    assert page.locator(".lesson-hits >> text=机械臂：用两个舵机夹起积木").count() == 1

    # 6. screenshots of a full demo lesson for the teachers' guide
    demo_lesson = LessonPage.objects.get(slug="ultrasonic")
    page.goto(f"{live_server.url}{demo_lesson.url}")
    screenshot(page, "courses-lesson-desktop")
    phone_page.goto(f"{live_server.url}{demo_lesson.url}")
    screenshot(phone_page, "courses-lesson-phone")
    page.goto(f"{live_server.url}{course.get_parent().url}")
    screenshot(page, "courses-index-desktop")
    teacher.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    screenshot(teacher, "courses-admin-lesson-editor")
