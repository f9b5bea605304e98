"""Festival, issue 16: the team picker searches the school's students by display name, class and pinyin
(our own script; without JavaScript the whole list works), and the results table works on a
390 px phone (no page overflow, every column readable)."""

import pytest
from django.conf import settings
from pypinyin import lazy_pinyin

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VISIBLE_NAMES = """el => [...el.querySelectorAll('input[type=checkbox]')]
    .filter((box) => box.offsetParent !== null).map((box) => box.closest('label').innerText.trim())"""


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def _open_registration(page, live_server):
    from festival.models import FestivalEditionPage

    edition = FestivalEditionPage.objects.get(slug="2026")
    _login(page, live_server, "student")
    page.goto(live_server.url + edition.url)
    page.click("text=报名参赛")
    page.wait_for_selector("#id_teammates")


def test_team_picker_filters_classmates_by_name_and_class(live_server, demo_site, page, screenshot):
    from makerroom.accounts.models import User

    from courses.classes.models import Membership

    _open_registration(page, live_server)
    student = User.objects.get(username="student")
    everyone = page.locator("#id_teammates").evaluate(VISIBLE_NAMES)
    assert len(everyone) >= 3
    # Each classmate is named by display name and class; never by username or full name.
    membership = (
        Membership.objects.filter(student__school=student.school, left_at__isnull=True)
        .exclude(student=student)
        .select_related("student", "school_class")
        .first()
    )
    class_name = membership.school_class.name
    assert f"{membership.student.public_name} · {class_name}" in everyone
    search = page.locator(".team-picker-search input[type=search]")
    assert search.is_visible()

    search.fill(class_name)
    in_class = page.locator("#id_teammates").evaluate(VISIBLE_NAMES)
    assert in_class and all(class_name in name for name in in_class)
    assert page.locator(".team-picker-count").inner_text() == f"显示 {len(in_class)} / {len(everyone)} 名同学"

    search.fill("没有这个人")
    assert page.locator("#id_teammates").evaluate(VISIBLE_NAMES) == []
    assert page.locator(".team-picker-count").inner_text() == "没有匹配的同学。"

    first = everyone[0]
    display_name = first.split(" · ")[0]
    search.fill(display_name)
    found = page.locator("#id_teammates").evaluate(VISIBLE_NAMES)
    assert first in found and all(display_name in name for name in found)
    initials = "".join(syllable[0] for syllable in lazy_pinyin(display_name))  # 小明 → xm
    search.fill(initials)
    assert first in page.locator("#id_teammates").evaluate(VISIBLE_NAMES)
    page.locator("#id_teammates label", has_text=first).locator("input").check()
    search.press("Enter")  # does not submit the entry form
    assert page.locator("#id_teammates").is_visible()

    search.fill("没有这个人")
    assert page.locator("#id_teammates").evaluate(VISIBLE_NAMES) == [first]  # the ticked one stays
    assert page.locator(".team-picker-count").inner_text() == f"显示 1 / {len(everyone)} 名同学"
    search.fill(class_name[:2])
    screenshot(page, "festival-team-picker")
    search.fill("")
    assert len(page.locator("#id_teammates").evaluate(VISIBLE_NAMES)) == len(everyone)


def test_team_picker_without_javascript_is_the_whole_list(live_server, demo_site, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        _open_registration(page, live_server)
        assert not page.locator(".team-picker-search").is_visible()
        boxes = page.locator("#id_teammates input[type=checkbox]")
        assert boxes.count() >= 3 and all(boxes.nth(i).is_visible() for i in range(boxes.count()))
    finally:
        context.close()


CELLS = """table => [...table.querySelectorAll('tbody tr td, tr td')].map((td) => {
    const box = td.getBoundingClientRect();
    return {label: getComputedStyle(td, '::before').content, left: box.left, right: box.right,
            width: box.width, text: td.innerText.trim()};
})"""


def test_results_table_on_a_phone(live_server, demo_site, phone_page, screenshot):
    from festival.models import FestivalEditionPage

    edition = FestivalEditionPage.objects.filter(results_published=True).first()
    _login(phone_page, live_server, "organiser")
    phone_page.goto(f"{live_server.url}/judging/organise/{edition.pk}/results/")
    phone_page.wait_for_selector("table.data")
    assert phone_page.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    labels = ["名次", "作品", "学校", "原始平均分", "标准分", "各评委（原始分 / z）", "奖项"]
    for table in phone_page.locator("table.data").all():
        cells = table.evaluate(CELLS)
        assert cells
        for cell in cells:
            assert 0 <= cell["left"] and cell["right"] <= 390, cell  # inside the screen, not cut
            assert cell["label"].strip('"') in labels, cell  # each cell says which column it is
    first_row = phone_page.locator("table.data tr", has=phone_page.locator("td")).first
    assert first_row.locator("td").nth(1).inner_text().strip()  # the entry's title is readable
    screenshot(phone_page, "festival-results-phone")
