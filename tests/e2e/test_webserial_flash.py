"""Full flashes from the browser with esptool-js, in Chromium: a fake `navigator.serial` whose
ports are bridged over WebSockets to esp32-mock-bootloader boards. A student's board without
MicroPython gets MicroPython and the lesson from the lesson page; lab staff flash several boards
at once on "批量烧录". Every byte is read back from the mock's flash and compared with what the
server's manifest names; each board's record appears against its kit."""

import hashlib
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.models import School
from makerroom_flash.fsimage import LessonImages
from makerroom_flash.store import FirmwareStore

from courses.models import LessonPage
from firmware.library import load_lesson
from kits.models import FlashRecord, Kit, KitTemplate, Loan
from tests.e2e.conftest import SCREENSHOTS
from tests.firmware.esp_images import merged_image
from tests.firmware.mockboards import MockBoard
from tests.webserial.boards import RunningBoard
from tests.webserial.bridge import NO_SERIAL, SerialBridge, fake_serial_script

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LESSON = "traffic-light"
BASE_OFFSET, FS_OFFSET = 0x1000, 0x200000


@pytest.fixture
def page(browser):
    """The fake ports' WebSockets are test plumbing: this context bypasses the site's CSP for them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def base(settings, tmp_path):
    """The site's firmware store with one ESP32 MicroPython image; its bytes."""
    settings.MAKERROOM_FIRMWARE_STORE = str(tmp_path / "site-store")
    path = tmp_path / "ESP32_GENERIC-v1.24.1.bin"
    path.write_bytes(merged_image("esp32", "v1.24.1"))
    FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE).add(path)
    return path.read_bytes()


def lesson_image():
    store = FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE)
    layout = store.get("esp32").layout
    return LessonImages(load_lesson(LESSON), layout, "browser").for_board("", 4 << 20).data


@pytest.fixture
def school_world(demo_site, make_user):
    school = School.objects.order_by("pk").first()
    template = KitTemplate.objects.create(name="ESP32 网页烧录套件")
    kits = [
        Kit.objects.create(code=f"{school.code}-W{n:02d}", school=school, template=template)
        for n in (1, 2, 3)
    ]
    lab = make_user("web_lab", role=roles.Role.LAB_STAFF, school=school, is_staff=True)
    student = make_user("web_student", role=roles.Role.STUDENT, school=school, display_name="小林")
    return {"school": school, "kits": kits, "lab": lab, "student": student}


@pytest.fixture
def boards():
    made = []

    def make(**kwargs):
        board = MockBoard(**kwargs)
        bridge = SerialBridge(board.url)
        made.append((board, bridge))
        return board, bridge

    yield make
    for board, bridge in made:
        bridge.close()
        board.close()


def open_lesson(page, live_server):
    lesson = LessonPage.objects.live().filter(program=LESSON).first()
    page.goto(f"{live_server.url}{lesson.url}")
    page.wait_for_selector("#workbench:not([hidden]) .cm-content")


def state(page, value, timeout=120_000):  # a full flash on a busy CI machine
    try:
        page.wait_for_selector(f"#board-flash[data-state='{value}']", state="attached", timeout=timeout)
    except Exception:
        raise AssertionError(page.inner_text("#board-flash")) from None


def full_flash_done(page):
    """Clicks "完整烧录" until the board is done: a mock board's link can stall on a loaded machine
    (the boards share this process), and then the student tries again, as they would."""
    for _ in range(3):
        page.click("[data-bf-full-button]")
        page.wait_for_function(
            "['full_done','failed','port_gone','full_refused'].includes("
            "document.querySelector('#board-flash').dataset.state)",
            timeout=120_000,
        )
        if page.get_attribute("#board-flash", "data-state") != "failed":
            break
    state(page, "full_done")


def assert_flashed(board, base):
    assert board.read(BASE_OFFSET, len(base)) == base
    fs = lesson_image()
    assert hashlib.sha256(board.read(FS_OFFSET, len(fs))).digest() == hashlib.sha256(fs).digest()


def boots_micropython_when_flashed(board, bridge, running):
    """Once the lesson's filesystem has landed, the board's next start (esptool-js's hard reset:
    a new connection through the bridge) is MicroPython: the REPL test board."""

    def watch():
        end = FS_OFFSET + len(lesson_image())
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and board.flash._defl_offset < end:
            time.sleep(0.002)
        bridge.target = running.url

    threading.Thread(target=watch, daemon=True).start()


def test_a_students_board_without_micropython_gets_a_full_flash_then_their_program(
    page, live_server, login, school_world, base, boards
):
    kit = school_world["kits"][0]
    Loan.objects.create(
        kit=kit,
        school=kit.school,
        borrower_kind="student",
        borrower=school_world["student"],
        due_on=timezone.localdate() + timedelta(days=14),
    )
    board, bridge = boards()
    running = RunningBoard("240ac4e29531")
    boots_micropython_when_flashed(board, bridge, running)
    page.add_init_script(fake_serial_script(bridge.url))
    login(page, "web_student")
    open_lesson(page, live_server)
    page.click("[data-bf-button]")  # the raw REPL first: a bare bootloader does not answer it
    state(page, "no_micropython")
    assert page.is_visible("[data-bf-full-button]")
    full_flash_done(page)
    assert_flashed(board, base)
    page.wait_for_selector("#board-flash[data-recorded]", state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#board-flash").screenshot(path=str(SCREENSHOTS / "webserial-full-flash-done.png"))
    assert kit.code in page.inner_text("[data-bf-status]")
    record = FlashRecord.objects.get(kit=kit)
    assert (record.kit, record.ok, record.lesson_slug, record.mac.lower()) == (kit, True, LESSON, board.mac)
    assert (
        record.flashed_by == school_world["student"]
        and record.base_sha256 == hashlib.sha256(base).hexdigest()
    )

    # The board restarted into MicroPython: the student's own program goes on over the same port.
    try:
        page.evaluate(
            """text => { const v = window.makerroomWorkbench.editor.view;
            v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: text}}); }""",
            "print('小林的红绿灯')\n",
        )
        page.click("[data-bf-button]")
        state(page, "done")
        page.wait_for_function(
            "document.querySelector('[data-wb-console]').textContent.includes('小林的红绿灯')", timeout=20_000
        )
        files = running.files()
        files.pop("lesson.json")
        assert files == {
            p: t.encode() for p, t in page.evaluate("window.makerroomWorkbench.editor.files()").items()
        }
    finally:
        running.close()
    assert page.evaluate("window.__requested") == 1  # one port chosen, for all three steps


def test_the_wrong_chip_is_refused_before_anything_is_written(
    page, live_server, login, school_world, base, boards
):
    board, bridge = boards(chip="esp32s3", flash_size=8 << 20)
    page.add_init_script(fake_serial_script(bridge.url))
    login(page, "web_student")
    open_lesson(page, live_server)
    page.click("[data-bf-button]")
    state(page, "no_micropython")
    page.click("[data-bf-full-button]")
    state(page, "full_refused")
    status = page.inner_text("[data-bf-status]")
    assert "ESP32-S3" in status and "什么都没有写入" in status
    assert board.read(0, 8 << 20) == b"\xff" * (8 << 20)


def test_a_board_pulled_out_mid_write_says_so_and_a_retry_flashes_it(
    page, live_server, login, school_world, base, boards
):
    board, bridge = boards()
    page.add_init_script(fake_serial_script(bridge.url))
    login(page, "web_student")
    open_lesson(page, live_server)
    page.click("[data-bf-button]")
    state(page, "no_micropython")
    board.unplug_when_written(BASE_OFFSET, 96 * 1024, timeout=180)  # watched from the click on
    page.click("[data-bf-full-button]")
    state(page, "port_gone")
    assert "断开" in page.inner_text("[data-bf-status]")

    spare, spare_bridge = boards()  # plugged in again: the browser sees a new port
    bridge.target = spare.url
    full_flash_done(page)
    assert_flashed(spare, base)


def test_a_cable_pulled_as_the_page_writes_ends_the_flash_saying_so(
    page, live_server, login, school_world, base, boards
):
    """The loss found by a write (not by the board's end hanging up): the write fails, esptool-js
    keeps that stream's writer, and letting go of the port must still end, not wait forever."""
    board, bridge = boards()
    page.add_init_script(fake_serial_script(bridge.url))
    login(page, "web_student")
    open_lesson(page, live_server)
    page.click("[data-bf-button]")
    state(page, "no_micropython")
    page.click("[data-bf-full-button]")
    page.wait_for_function("document.querySelector('[data-bf-progress]').value > 64 * 1024", timeout=120_000)
    page.evaluate("window.__pullOnWrite = true")
    state(page, "port_gone", timeout=30_000)
    assert "断开" in page.inner_text("[data-bf-status]")


def test_an_anonymous_visitor_is_not_offered_the_full_flash(page, live_server, school_world, base, boards):
    board, bridge = boards()
    page.add_init_script(fake_serial_script(bridge.url))
    open_lesson(page, live_server)
    page.click("[data-bf-button]")
    state(page, "no_micropython")
    assert page.query_selector("[data-bf-full-button]") is None
    assert "实验室" in page.inner_text("[data-bf-full]")


def batch(page, live_server, login):
    login(page, "web_lab")
    page.goto(f"{live_server.url}{reverse('firmware_batch')}?lesson={LESSON}")
    page.wait_for_selector("#batch-flash[data-state='ready']", state="attached")


def rows(page):
    return page.locator("[data-batch-rows] tr")


def test_lab_staff_flash_three_boards_at_once_matched_by_mac_or_typed_and_retry_a_flaky_one_slower(
    page, live_server, login, school_world, base, boards, screenshot
):
    k1, k2, k3 = school_world["kits"]
    known, known_bridge = boards()
    typed, typed_bridge = boards()
    flaky, flaky_bridge = boards(flaky_above=115200)
    Kit.objects.filter(pk=k1.pk).update(esp32_mac=known.mac.upper())
    page.add_init_script(fake_serial_script(known_bridge.url, typed_bridge.url, flaky_bridge.url))
    batch(page, live_server, login)
    for _ in range(3):
        page.click("[data-batch-add]")
    assert rows(page).count() == 3
    rows(page).nth(1).locator("[data-row-kit]").fill(k2.code)
    rows(page).nth(2).locator("[data-row-kit]").fill(k3.code)
    page.click("[data-batch-all]")
    page.wait_for_selector("#batch-flash[data-state='finished']", state="attached", timeout=120_000)

    def state_of(i):
        return rows(page).nth(i).get_attribute("data-state")

    def settled(i):
        """The row's try is over and its outcome recorded (a row is busy until then)."""
        page.wait_for_selector(
            f"[data-batch-rows] tr:nth-child({i + 1}):not([data-busy])",
            state="attached",
            timeout=120_000,
        )

    def retried_until_done(i):
        """A good board's link can also stall on a loaded machine (the mock boards share this
        process): then it is retried, as lab staff would, and must come out done."""
        for _ in range(3):
            if state_of(i) == "done":
                return
            rows(page).nth(i).locator("[data-row-retry]").click()
            settled(i)
        assert state_of(i) == "done", page.inner_text("[data-batch-rows]")

    assert state_of(2) == "serial_error", page.inner_text("[data-batch-rows]")  # the poor cable
    assert rows(page).nth(0).locator("[data-row-mac]").inner_text() == known.mac
    assert rows(page).nth(0).locator("[data-row-kit]").input_value() == k1.code  # found by its MAC
    retry = rows(page).nth(2).locator("[data-row-retry]")
    assert retry.inner_text() == "用 115200 波特率重试"
    screenshot(page, "firmware-batch-flash-failed")
    retry.click()
    settled(2)
    assert state_of(2) == "done", page.inner_text("[data-batch-rows]")
    for i in (0, 1):
        retried_until_done(i)
    assert "已烧录 3 / 3 块开发板" in page.inner_text("[data-batch-summary]")
    screenshot(page, "firmware-batch-flash")

    for board in (known, typed, flaky):
        assert_flashed(board, base)
    by_kit = {}
    for record in FlashRecord.objects.filter(kit__in=[k1, k2, k3]).order_by("pk"):
        by_kit.setdefault(record.kit.code, []).append(record.ok)
    # Every try is recorded, failures too; each kit's last record is the flash that worked.
    assert set(by_kit) == {k1.code, k2.code, k3.code}
    assert all(oks[-1] is True and oks.count(True) == 1 for oks in by_kit.values()), by_kit
    assert by_kit[k3.code][0] is False  # the flaky board's first try, at 460800
    assert flaky.bauds[-1] == 115200  # the retry stayed at the ROM's baud
    for kit, board in ((k2, typed), (k3, flaky)):
        kit.refresh_from_db()
        assert kit.esp32_mac.lower() == board.mac  # the kit now knows its board


def test_a_typed_kit_of_another_school_is_refused_before_writing(
    page, live_server, login, school_world, base, boards
):
    other = School.objects.exclude(pk=school_world["school"].pk).order_by("pk").first()
    foreign = Kit.objects.create(
        code=f"{other.code}-W99", school=other, template=school_world["kits"][0].template
    )
    board, bridge = boards()
    page.add_init_script(fake_serial_script(bridge.url))
    batch(page, live_server, login)
    page.click("[data-batch-add]")
    rows(page).nth(0).locator("[data-row-kit]").fill(foreign.code)
    page.click("[data-batch-all]")
    page.wait_for_selector("#batch-flash[data-state='finished']", state="attached", timeout=60_000)
    assert rows(page).nth(0).get_attribute("data-state") == "refused"
    assert "其他学校" in rows(page).nth(0).inner_text() or "another school" in rows(page).nth(0).inner_text()
    assert board.read(BASE_OFFSET, 4096) == b"\xff" * 4096
    assert not FlashRecord.objects.filter(kit=foreign).exists()


def test_without_web_serial_the_batch_page_offers_the_command(page, live_server, login, school_world, base):
    page.add_init_script(NO_SERIAL)
    login(page, "web_lab")
    page.goto(f"{live_server.url}{reverse('firmware_batch')}")
    page.wait_for_selector("#batch-flash[data-state='unsupported']", state="attached")
    assert not page.is_visible("[data-batch-add]")
    assert "makerroom-flash --lesson" in page.inner_text("[data-batch-fallback]")


def test_a_classes_current_lesson_chooses_what_is_flashed(page, live_server, login, school_world, base):
    from courses.classes.models import Assignment, LessonDueDate, SchoolClass

    today = timezone.localdate()
    lessons = LessonPage.objects.live().exclude(program="").exclude(program=LESSON).order_by("pk")
    done, now, later = lessons[0], LessonPage.objects.live().filter(program=LESSON).first(), lessons[1]
    school_class = SchoolClass.objects.create(
        school=school_world["school"], name="初二（5）班", grade=8, school_year="2026-2027"
    )
    for lesson, due in (
        (done, today - timedelta(days=7)),
        (now, today + timedelta(days=2)),
        (later, today + timedelta(days=9)),
    ):
        course = lesson.get_parent().specific
        assignment, _ = Assignment.objects.get_or_create(school_class=school_class, course=course)
        LessonDueDate.objects.create(assignment=assignment, lesson=lesson, due_on=due)
    login(page, "web_lab")
    page.goto(f"{live_server.url}{reverse('firmware_batch')}?lesson={done.program}")
    page.wait_for_selector("#batch-flash[data-state]", state="attached")
    options = page.locator("[data-batch-class] option").all_inner_texts()
    assert any(o.startswith("初二（5）班：") and now.title in o for o in options), options
    assert not any(done.title in o for o in options)  # past due: not the class's lesson now
    page.select_option("[data-batch-class]", LESSON)
    assert page.input_value("[data-batch-lesson]") == LESSON
