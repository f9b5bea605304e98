"""A teacher makes a class and prints the join sheet; a student joins with the code, ticks two steps
and completes a lesson; the teacher's dashboard shows it. Real Chromium against the live server."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_class_join_progress_dashboard(live_server, demo_site, browser, page, phone_page, login, screenshot):
    from courses.classes.models import LessonProgress, SchoolClass, StepProgress

    base = live_server.url
    login(page, "teacher", settings.DEMO_PASSWORD)
    page.goto(f"{base}/classes/new/")
    page.fill("#id_name", "七年级（5）班")
    page.fill("#id_grade", "7")
    page.fill("#id_school_year", "2026-2027")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r"/classes/\d+/$"))
    school_class = SchoolClass.objects.get(name="七年级（5）班")
    code = school_class.join_code
    assert page.locator("[data-join-code]").inner_text() == code
    page.select_option("select[name=course]", label="创客启蒙：点亮第一盏灯")
    page.click("form[action$='/assign/'] button")
    page.wait_for_load_state()
    assert "创客启蒙：点亮第一盏灯" in page.locator(".assignment summary").first.inner_text()

    page.click("text=打印加入说明（含二维码）")
    page.wait_for_url(re.compile(r"/join-sheet/$"))
    assert page.locator(".qr svg").count() == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # print CSS hides the site chrome
    screenshot(page, "classes-join-sheet")
    page.emulate_media(media="screen")

    # The student scans the QR code: the join URL carries the code.
    student = phone_page
    student.goto(f"{base}/classes/join/?code={code}")
    assert student.locator("#id_code").input_value() == code
    student.click("form button[type=submit]")
    student.fill("#id_display_name", "小航")
    student.fill("#id_password1", "maker-kid-2026")
    student.fill("#id_password2", "maker-kid-2026")
    student.click("form button[type=submit]")
    username = student.locator("[data-username]").inner_text()
    assert username.startswith(f"c{school_class.pk}-")
    student.click("text=进入我的课程")
    student.wait_for_url(re.compile(r"/classes/my/$"))
    assert "0%" in student.locator(".progress-label").first.inner_text()
    student.click("[data-continue]")
    student.wait_for_selector("[data-step-toggle]")
    # With JavaScript the ticks save themselves: the no-JS "保存勾选" button is hidden.
    expect(student.locator("[data-save-steps]")).to_be_hidden()

    # A question: the first answer is kept, and after a reload the page shows it with the explanation.
    question = student.locator('.step-block[data-block-type="question"]').first
    question.locator(".choice-button").first.click()
    expect(question.locator("[data-question-feedback]")).to_be_visible()
    student.reload()
    question = student.locator('.step-block[data-block-type="question"]').first
    expect(question.locator(".choice-button.is-right, .choice-button.is-wrong")).to_have_count(1)
    expect(question.locator(".choice-button").first).to_have_class(re.compile(r"is-(right|wrong)"))
    expect(question.locator("[data-question-feedback] .answer-explanation")).to_be_visible()
    toggles = student.locator("[data-step-toggle]")
    for index in (0, 1):
        toggles.nth(index).click()
        # locator waits: the site's CSP refuses the string evaluation wait_for_function needs
        expect(toggles.nth(index)).to_have_attribute("aria-pressed", "true")
    expect(student.locator("[data-progress-status]")).to_have_text("已保存")
    assert StepProgress.objects.filter(student__username=username).count() == 2
    # "完成本课" with steps still unticked asks first: dismissed, nothing is recorded.
    dialogs = []
    student.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    student.click("[data-complete='1']")
    expect(student.locator("[data-complete='1']")).to_be_visible()
    assert dialogs and "仍然要完成本课吗" in dialogs[0]
    assert not LessonProgress.objects.filter(student__username=username).exists()
    student.once("dialog", lambda dialog: dialog.accept())
    student.click("[data-complete='1']")
    student.wait_for_selector("[data-completed]")
    assert LessonProgress.objects.filter(student__username=username).count() == 1
    student.goto(f"{base}/classes/my/")
    assert "1 / 5" in student.locator(".progress-label").first.inner_text()
    screenshot(student, "classes-my-courses-phone")

    # The teacher's dashboard shows the new student with the lesson done.
    course_id = school_class.assignments.get().course_id
    page.goto(f"{base}/classes/{school_class.pk}/courses/{course_id}/")
    row = page.locator("tr", has=page.locator("th", has_text="小航"))
    assert row.locator("td.cell.done").count() == 1
    assert row.locator("td.cell.in_progress, td.cell.not_started, td.cell.late").count() >= 1

    # The demo class: 30 students with mixed progress, on a desktop and on a phone.
    demo_class = SchoolClass.objects.get(name="七年级（3）班 创客社团")
    demo_course = demo_class.assignments.order_by("assigned_at").first().course_id
    page.goto(f"{base}/classes/{demo_class.pk}/courses/{demo_course}/")
    assert page.locator("table.progress-grid tbody tr").count() == 31
    screenshot(page, "classes-dashboard")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    teacher_phone = context.new_page()
    login(teacher_phone, "teacher", settings.DEMO_PASSWORD)
    teacher_phone.goto(f"{base}/classes/{demo_class.pk}/courses/{demo_course}/")
    # The grid scrolls inside its own box (the page itself never scrolls sideways), names stay put.
    assert teacher_phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    grid = teacher_phone.locator(".grid-scroll")
    assert grid.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    name = teacher_phone.locator("table.progress-grid tbody th.sticky").first
    assert name.evaluate("el => getComputedStyle(el).position") == "sticky"
    if grid.evaluate("el => el.scrollWidth > el.clientWidth"):
        grid.evaluate("el => el.scrollLeft = 200")
        assert name.bounding_box()["x"] < 40
    screenshot(teacher_phone, "classes-dashboard-phone")
    context.close()
