""" "烧录到开发板" in Chromium: a fake `navigator.serial` whose port is bridged over a WebSocket to
the project's MicroPython REPL test board (real MicroPython in Node). The student's code goes over
the raw REPL, the board's files equal the workbench's, and what the program prints appears in the
page's serial console; faults and the browser without Web Serial are shown plainly."""

import json

import pytest

from courses.models import LessonPage
from tests.webserial.boards import RunningBoard, SilentBoard
from tests.webserial.bridge import NO_SERIAL, SerialBridge, fake_serial_script

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROGRAM = "import sys\nfor i in range(3):\n    print('第', i, '次', sys.platform)\nprint('done on board')\n"


@pytest.fixture
def page(browser):
    """The fake port's WebSocket is test plumbing, not the page's: the site's CSP (connect-src
    'self') would refuse it, so this context bypasses CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def lesson(demo_site):
    """A lesson with lib/ files, so the test sees folders made on the board."""
    return LessonPage.objects.live().public().filter(program="oled").first()


@pytest.fixture
def board():
    b = RunningBoard()
    yield b
    b.close()


@pytest.fixture
def bridge(board):
    b = SerialBridge(board.url)
    yield b
    b.close()


def open_lesson(page, live_server, lesson):
    page.goto(f"{live_server.url}{lesson.url}")
    page.wait_for_selector("#workbench:not([hidden]) .cm-content")


def set_main(page, text):
    page.evaluate(
        """text => { const v = window.makerroomWorkbench.editor.view;
        v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }""",
        text,
    )


def workbench_files(page):
    return page.evaluate("window.makerroomWorkbench.editor.files()")


def state(page, value):
    try:
        page.wait_for_selector(f"#board-flash[data-state='{value}']", state="attached", timeout=30_000)
    except Exception:
        raise AssertionError(page.evaluate("document.querySelector('#board-flash').outerHTML")) from None


def test_the_students_code_goes_over_the_raw_repl_and_its_output_shows(
    page, live_server, lesson, board, bridge
):
    page.add_init_script(fake_serial_script(bridge.url))
    open_lesson(page, live_server, lesson)
    set_main(page, PROGRAM)
    expected = {path: text.encode() for path, text in workbench_files(page).items()}
    assert "main.py" in expected and any(p.startswith("lib/") for p in expected)

    page.click("[data-bf-button]")
    state(page, "done")
    page.wait_for_function(
        "document.querySelector('[data-wb-console]').textContent.includes('done on board')", timeout=20_000
    )

    files = board.files()
    meta = json.loads(files.pop("lesson.json"))
    assert files == expected
    assert meta["lesson"] == "oled" and meta["version"]
    console = page.inner_text("[data-wb-console]")
    assert "第 0 次" in console and "第 2 次" in console
    assert board.soft_resets == 1 and board.main_runs == 1
    assert page.inner_text("[data-bf-status]").startswith("完成")


def test_a_board_pulled_out_mid_write_says_so_and_retry_works(page, live_server, lesson, board, bridge):
    board.unplug_after_files(1)
    page.add_init_script(fake_serial_script(bridge.url))
    open_lesson(page, live_server, lesson)
    set_main(page, PROGRAM)
    page.click("[data-bf-button]")
    state(page, "port_gone")
    assert "断开" in page.inner_text("[data-bf-status]")

    spare = RunningBoard("240ac4e29527")  # plugged in again: the same port, a fresh connection
    try:
        bridge.target = spare.url
        page.click("[data-bf-button]")
        state(page, "done")
        files = spare.files()
        files.pop("lesson.json")
        assert files == {p: t.encode() for p, t in workbench_files(page).items()}
    finally:
        spare.close()


def test_a_board_without_micropython_offers_the_full_flash(page, live_server, lesson):
    silent = SilentBoard()
    bridge = SerialBridge(silent.url)
    try:
        page.add_init_script(fake_serial_script(bridge.url))
        open_lesson(page, live_server, lesson)
        page.click("[data-bf-button]")
        state(page, "no_micropython")
        assert page.is_visible("[data-bf-full]")
        assert b"\x01" in silent.received  # it was asked for the raw REPL, and nothing else was written
        assert b"open(" not in silent.received
    finally:
        bridge.close()
        silent.close()


def test_without_web_serial_the_page_offers_the_zip_and_the_command(page, live_server, lesson):
    page.add_init_script(NO_SERIAL)
    open_lesson(page, live_server, lesson)
    state(page, "unsupported")
    assert not page.is_visible("[data-bf-button]")
    fallback = page.inner_text("[data-bf-fallback]")
    assert "Chrome" in fallback and "微信" in fallback
    assert "makerroom-flash --lesson oled --ports auto" in fallback
    assert page.get_attribute("[data-bf-fallback] a[download]", "href").endswith("/oled.zip")
