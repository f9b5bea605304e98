"""The lesson workbench in Chromium: a student edits, runs, stops and checks MicroPython on the
virtual board drawn on the lesson page, and their code is kept (tests/workbench/ covers the
checker and the workspace service underneath)."""

import re
import statistics

import pytest
from django.conf import settings
from playwright.sync_api import expect

from courses.models import LessonPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects the moments the drawn LED on a pin changes, in page time (ms).
WATCH_LED = """pin => {
  window.__changes = [];
  const led = document.querySelector(`.wb-led[data-pin="${pin}"]`);
  new MutationObserver(() => window.__changes.push([performance.now(), led.dataset.on]))
    .observe(led, {attributes: true, attributeFilter: ["data-on"]});
}"""


@pytest.fixture
def lessons(demo_site):
    """The demo's lessons with a bundled program, by program."""
    return {
        slug: LessonPage.objects.live().public().filter(program=slug).first()
        for slug in ("blink", "traffic-light", "oled")
    }


def open_workbench(page, live_server, lesson):
    page.goto(f"{live_server.url}{lesson.url}")
    page.wait_for_selector("#workbench:not([hidden]) .cm-content")


def led_periods(page, seconds=2.6):
    page.wait_for_timeout(seconds * 1000)
    changes = page.evaluate("window.__changes")
    return [b[0] - a[0] for a, b in zip(changes, changes[1:], strict=False)]


def set_code(page, text):
    page.evaluate(
        """text => { const v = window.makerroomWorkbench.editor.view;
        v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }""",
        text,
    )


def test_blink_runs_and_the_drawn_led_changes_every_500_ms(page, live_server, lessons):
    open_workbench(page, live_server, lessons["blink"])
    assert page.evaluate("crossOriginIsolated")
    page.evaluate(WATCH_LED, 2)
    page.click("[data-wb-run]")
    periods = led_periods(page)
    assert len(periods) >= 4, periods
    assert abs(statistics.median(periods) - 500) < 40, periods


def test_an_edited_period_changes_the_blink(page, live_server, lessons):
    open_workbench(page, live_server, lessons["blink"])
    set_code(page, BLINK_250)
    page.evaluate(WATCH_LED, 2)
    page.click("[data-wb-run]")
    periods = led_periods(page, 2.0)
    assert len(periods) >= 5 and abs(statistics.median(periods) - 250) < 30, periods


BLINK_250 = "from machine import Pin\nimport time\nled = Pin(2, Pin.OUT)\nwhile True:\n    led.value(1)\n    time.sleep_ms(250)\n    led.value(0)\n    time.sleep_ms(250)\n"


def test_a_typo_shows_a_chinese_error_at_its_line(page, live_server, lessons):
    open_workbench(page, live_server, lessons["blink"])
    set_code(page, "from machine import Pin\nimport time\n\nled = Pin(2, Pin.OUT)\npinn.value(1)\n")
    page.click("[data-wb-run]")
    error = page.wait_for_selector("[data-wb-error]:not([hidden])")
    assert page.inner_text(".wb-error-text") == "第 5 行：没有叫 pinn 的名字，是不是拼错了？"
    assert error.get_attribute("data-line") == "5"
    page.click(".wb-error summary")  # the original message is there for whoever wants it
    assert "NameError: name 'pinn' isn't defined" in page.inner_text(".wb-error pre")
    assert page.evaluate("window.makerroomWorkbench.editor.view.state.selection.main.from") == len(
        "from machine import Pin\nimport time\n\nled = Pin(2, Pin.OUT)\n"
    )  # the cursor is on line 5


def test_an_output_on_an_input_only_pin_is_refused_clearly(page, live_server, lessons):
    open_workbench(page, live_server, lessons["blink"])
    set_code(page, "from machine import Pin\nled = Pin(34, Pin.OUT)\n")
    page.click("[data-wb-run]")
    page.wait_for_selector("[data-wb-error]:not([hidden])")
    assert page.inner_text(".wb-error-text") == "第 2 行：GPIO 34 只能读（输入），接 LED 或电机请换一个引脚。"


def test_an_endless_loop_without_sleep_is_stopped_by_stop(page, live_server, lessons):
    open_workbench(page, live_server, lessons["blink"])
    set_code(page, "x = 0\nwhile True:\n    x += 1\n")
    page.click("[data-wb-run]")
    page.wait_for_selector("#workbench[data-state=running]")
    page.wait_for_timeout(1000)
    assert page.evaluate("1 + 1") == 2  # the page itself never froze
    page.click("[data-wb-stop]")
    page.wait_for_selector("#workbench[data-state=stopped]", timeout=2000)
    assert page.inner_text("[data-wb-status]") == "已停止"
    set_code(page, BLINK_250)  # and the board runs again straight away
    page.evaluate(WATCH_LED, 2)
    page.click("[data-wb-run]")
    assert len(led_periods(page, 1.5)) >= 3


def test_check_passes_for_the_lesson_code_and_names_what_a_broken_one_gets_wrong(
    page, live_server, lessons, screenshot
):
    open_workbench(page, live_server, lessons["traffic-light"])
    page.click("[data-wb-check]")
    page.wait_for_selector("#workbench[data-state=passed]")
    assert page.inner_text(".wb-summary") == "太棒了：你的程序做到了这节课要求的每一件事。"
    source = page.evaluate("window.makerroomWorkbench.editor.files()['main.py']")
    set_code(page, source.replace("time.sleep(2)", "time.sleep(3)"))  # yellow too long
    page.click("[data-wb-check]")
    page.wait_for_selector("#workbench[data-state=failed]")
    failed = page.inner_text(".wb-fail")
    assert "红灯 5 秒 → 绿灯 5 秒 → 绿灯闪 3 次 → 黄灯 2 秒 → 再回到红灯" in failed
    assert "在第 15.10 秒：" in failed and "应该是 2000 毫秒" in failed
    assert "time.sleep(2)" not in page.inner_text("[data-wb-results]")  # no solution given away
    # The hint: the words of the lesson step the expectation belongs to (lesson.toml: step = 2).
    hint = page.locator(".wb-fail .wb-hint")
    expect(hint).to_have_attribute("data-step", "2")
    expect(hint).to_contain_text("提示（第 2 步“写出红绿灯的规则”）：")
    expect(hint).to_contain_text("红灯亮 5 秒 → 绿灯亮 5 秒 → 绿灯闪 3 次 → 黄灯亮 2 秒")
    assert "Pin(" not in hint.inner_text() and "sleep" not in hint.inner_text()  # words, never code
    hint.get_by_role("link", name="去看第 2 步").click()
    expect(page).to_have_url(re.compile(r"#step-2$"))
    expect(page.locator("#step-2")).to_be_in_viewport()


def test_a_students_code_survives_a_reload_with_its_check(page, live_server, lessons, make_user, login):
    from courses.workspace.models import Workspace

    make_user("xiaoming")
    login(page, "xiaoming")
    open_workbench(page, live_server, lessons["blink"])
    set_code(page, BLINK_250)
    page.wait_for_selector("[data-wb-saved]:text('已保存')")
    page.click("[data-wb-check]")
    page.wait_for_selector("#workbench[data-state=failed]")
    page.wait_for_timeout(500)
    page.reload()
    page.wait_for_selector("#workbench:not([hidden]) .cm-content")
    assert page.evaluate("window.makerroomWorkbench.editor.files()['main.py']") == BLINK_250
    assert "250" in page.inner_text(".wb-fail")  # the last check is shown again
    workspace = Workspace.objects.get(student__username="xiaoming")
    assert workspace.files == {"main.py": BLINK_250} and workspace.check_passed is False
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-wb-reset]")  # 恢复课程代码
    assert "time.sleep_ms(500)" in page.evaluate("window.makerroomWorkbench.editor.files()['main.py']")
    page.wait_for_selector("[data-wb-versions] option:nth-child(3)", state="attached")
    page.select_option("[data-wb-versions]", index=2)  # and the student's own code is a version away
    assert page.evaluate("window.makerroomWorkbench.editor.files()['main.py']") == BLINK_250


def test_the_teacher_sees_the_code_with_its_check_and_comments_on_it(
    page, phone_page, live_server, lessons, login
):
    """A student of the demo class checks a broken blink; the class dashboard shows their code
    with the failed check; the teacher opens it read-only and comments; the student sees it."""
    from courses.classes.models import SchoolClass
    from courses.workspace.models import Workspace

    student, teacher = phone_page, page
    login(student, "g7c3-01", settings.DEMO_PASSWORD)
    open_workbench(student, live_server, lessons["blink"])
    slow = BLINK_250.replace("250", "800")
    set_code(student, slow)
    student.click("[data-wb-check]")
    student.wait_for_selector("#workbench[data-state=failed]")
    expect(student.locator(".wb-fail .wb-hint")).to_contain_text("提示（第 4 步“让灯一直闪”）：")
    expect(student.locator("[data-wb-saved]")).to_have_text("已保存")
    workspace = Workspace.objects.get(student__username="g7c3-01", lesson=lessons["blink"])
    assert workspace.check_passed is False and workspace.files == {"main.py": slow}

    login(teacher, "teacher", settings.DEMO_PASSWORD)
    school_class = SchoolClass.objects.get(name="七年级（3）班 创客社团")
    course = lessons["blink"].get_parent()
    teacher.goto(f"{live_server.url}/classes/{school_class.pk}/courses/{course.pk}/")
    name = workspace.student.display_name
    row = teacher.locator("tr", has=teacher.locator("th", has_text=name))
    code = row.locator("a.code-state.failed")
    expect(code).to_have_count(1)
    expect(code).to_have_attribute("aria-label", "代码：检查还没通过")
    assert row.locator("a.code-state.passed, a.code-state.unchecked").count() == 0
    assert "g7c3-01" not in teacher.content()  # display names only
    code.click()
    expect(teacher.locator("h1")).to_contain_text(name)
    expect(teacher.locator(".workspace-code")).to_contain_text("time.sleep_ms(800)")
    expect(teacher.locator(".workspace-code .meta")).to_contain_text("✗")
    teacher.fill("#comment", "想一想：500 毫秒该写在哪里？")
    teacher.click(".workspace-code form button[type=submit]")
    expect(teacher.locator("#comment")).to_have_value("想一想：500 毫秒该写在哪里？")

    student.reload()
    expect(student.locator(".wb-comment")).to_contain_text("想一想：500 毫秒该写在哪里？")


def test_an_anonymous_visitor_runs_code_without_saving(page, live_server, lessons):
    from courses.workspace.models import Workspace

    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    open_workbench(page, live_server, lessons["blink"])
    assert page.inner_text("[data-wb-saved]") == "登录后才能保存代码；不登录也可以修改和运行。"
    set_code(page, BLINK_250)
    page.evaluate(WATCH_LED, 2)
    page.click("[data-wb-run]")
    assert len(led_periods(page, 1.5)) >= 3
    assert posts == [] and not Workspace.objects.exists()


def test_screenshots_of_the_workbench(page, phone_page, live_server, lessons):
    from tests.e2e.conftest import SCREENSHOTS

    for shot, name in ((page, "workbench-desktop"), (phone_page, "workbench-phone")):
        open_workbench(shot, live_server, lessons["oled"])
        shot.click("[data-wb-check]")
        shot.wait_for_selector("#workbench[data-state=passed]")
        shot.click("[data-wb-run]")
        # (a selector, not wait_for_function: the site's CSP forbids evaluating strings)
        shot.wait_for_selector(".wb-oled[data-lit]:not([data-lit='0'])")
        shot.wait_for_timeout(1200)
        # The workbench itself, without the sticky site header painted over its top.
        shot.add_style_tag(content=".site-header { position: static !important; }")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot.locator("#workbench").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


# What shows on the drawn board within a second or so of pressing Run, lesson by lesson.
SHOWS = {
    "blink": ".wb-led[data-on='1']",
    "breathing-led": ".wb-led[data-brightness]:not([data-brightness='0.000'])",
    "button": ".wb-press",
    "buzzer-melody": ".wb-buzzer[data-hz='262']",
    "dht11": ".wb-led[data-on='0']",
    "light-sensor": ".wb-led[data-on]",
    "neopixel-rainbow": ".wb-neopixel circle[fill^='rgb']",
    "oled": ".wb-oled:not([data-lit='0'])",
    "potentiometer": ".wb-led:not([data-brightness='0.000'])",
    "servo": ".wb-servo[data-angle]",
    "traffic-light": ".wb-led[data-pin='25'][data-on='1']",
    "ultrasonic": ".wb-led[data-on='0']",
    "wifi-led": ".wb-wifi",
}


@pytest.fixture
def every_lesson(lessons):
    """A page for every bundled program: the demo's, and the ones the demo has no lesson for."""
    from tests.courses.conftest import make_lesson
    from tests.workbench.checking import LESSONS

    course = lessons["blink"].get_parent()
    pages = {}
    for folder in sorted(LESSONS.iterdir()):
        if (folder / "lesson.toml").is_file():
            slug = folder.name
            pages[slug] = LessonPage.objects.live().public().filter(program=slug).first() or make_lesson(
                course, slug, program=slug, parts=(("esp32-devkit", 1),)
            )
    return pages


def test_every_bundled_lesson_runs_on_the_page_with_its_parts_drawn(page, live_server, every_lesson):
    from tests.workbench.checking import lesson_spec

    assert sorted(every_lesson) == sorted(SHOWS)
    for slug, lesson in every_lesson.items():
        open_workbench(page, live_server, lesson)
        assert page.locator(".wb-part").count() == 1 + len(lesson_spec(slug)["wiring"]), slug  # + the ESP32
        page.click("[data-wb-run]")
        page.wait_for_selector(SHOWS[slug], state="attached")
        page.wait_for_timeout(300)
        assert page.get_attribute("#workbench", "data-state") == "running", slug
        assert page.locator("[data-wb-error]").is_hidden(), page.inner_text("[data-wb-error]")


def test_inputs_are_live_while_the_program_runs(page, live_server, every_lesson):
    open_workbench(page, live_server, every_lesson["button"])
    page.click("[data-wb-run]")
    page.wait_for_selector("#workbench[data-state=running]")
    page.wait_for_timeout(400)
    page.click(".wb-press")  # press and let go: the LED toggles on
    page.wait_for_selector(".wb-led[data-pin='2'][data-on='1']", timeout=2000)

    open_workbench(page, live_server, every_lesson["potentiometer"])
    page.click("[data-wb-run]")
    page.locator(".wb-potentiometer input[type=range]").fill("100")
    page.wait_for_selector(".wb-led[data-brightness='1.000']", timeout=2000)
    page.locator(".wb-potentiometer input[type=range]").fill("0")
    page.wait_for_selector(".wb-led[data-brightness='0.000']", timeout=2000)

    open_workbench(page, live_server, every_lesson["ultrasonic"])
    page.click("[data-wb-run]")
    page.locator(".wb-hcsr04 input[type=range]").fill("5")
    page.wait_for_selector(".wb-led[data-on='1']", timeout=2000)
    assert "距离: 5.0 厘米" in page.inner_text("[data-wb-console]")

    open_workbench(page, live_server, every_lesson["wifi-led"])
    page.click("[data-wb-run]")
    page.fill(".wb-path", "/on")
    page.click(".wb-url button")
    page.wait_for_selector(".wb-led[data-on='1']", timeout=3000)
    assert "现在灯是：亮" in page.frame_locator(".wb-webpage").locator("body").inner_text()
