"""Lab staff in headless Chromium: record purchases and watch the grant bar move, meet the refusal
once the grant is used up, lend a kit to a student and take it back with a part missing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from makerroom.core import roles

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lab(make_user):
    from makerroom.core.roles import sync_role_permissions
    from makerroom.home.demo import ensure_tree

    from kits import catalogue
    from kits.models import (
        FundingProgramme,
        Grant,
        GrantStatus,
        Kit,
        KitTemplate,
        KitTemplateItem,
        MakerRoom,
        Stock,
        ToolCategory,
        ToolType,
    )
    from tests.factories import make_school

    # Transactional tests flush the rows migrations made; put back what this test needs.
    ensure_tree()
    catalogue.sync_catalogue(ToolCategory, ToolType)
    catalogue.sync_programmes(FundingProgramme)
    sync_role_permissions()
    school = make_school("SZ-0012", "深圳市南山区创新实验学校", stage="junior", district="南山区")
    room = MakerRoom.objects.create(school=school, location="科技楼 3 楼 302")
    grant = Grant.objects.create(
        programme=FundingProgramme.objects.get(slug="maker-room"),
        room=room,
        reference="深科创〔2025〕112号",
        approved_amount=Decimal("10000.00"),
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 8, 31),
        status=GrantStatus.APPROVED,
    )
    template = KitTemplate.objects.create(name="ESP32 入门套件")
    for slug, quantity in [("esp32-devkit", 1), ("breadboard", 1), ("led-red", 4), ("resistor-220", 4)]:
        KitTemplateItem.objects.create(
            template=template, tool_type=ToolType.objects.get(slug=slug), quantity=quantity
        )
    Kit.objects.create(code="SZ-0012-K07", school=school, room=room, template=template)
    Stock.objects.create(room=room, tool_type=ToolType.objects.get(slug="led-red"), quantity=50)
    make_user("wang", role=roles.Role.LAB_STAFF, school=school, display_name="王老师")
    make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")
    return grant


def _bar(page):
    return int(page.locator("[data-testid^=grant-bar-]").first.get_attribute("aria-valuenow"))


def _buy_printers(page, live_server, grant, quantity, invoice):
    page.goto(f"{live_server.url}/admin/snippets/kits/purchase/add/")
    page.select_option("#id_grant", str(grant.pk))
    # the catalogue is searched (kits/static/kits/picker.js): type part of the name, pick the match
    page.fill("#id_tool_type", "桌面级 FDM")
    page.locator("[role=option]:has-text('桌面级 FDM 3D 打印机（256×256×256mm）')").click()
    page.fill("#id_quantity", str(quantity))
    page.fill("#id_unit_cost", "4999.00")
    page.fill("#id_supplier", "深圳市拓竹科技有限公司")
    page.fill("#id_invoice_number", invoice)  # each invoice is charged once
    page.check("#id_confirm_self_funded")  # the school pays what the grant no longer covers
    page.fill("#id_purchased_on", timezone.localdate().isoformat())  # last: its calendar covers the box
    page.locator("button.action-save").click()
    page.wait_for_load_state()


def test_lab_staff_buy_lend_and_take_back(live_server, page, lab, login, screenshot):
    from kits.models import Grant, Kit, KitStatus, Loan, Stock

    grant = lab
    page.set_default_timeout(60_000)  # admin pages on a busy two-core CI machine
    login(page, "wang")
    page.goto(f"{live_server.url}/admin/kits/dashboard/")
    assert _bar(page) == 0

    _buy_printers(page, live_server, grant, 1, "25442000000012345678")
    page.goto(f"{live_server.url}/admin/kits/dashboard/")
    assert _bar(page) == 49
    assert "¥4,999.00" in page.locator("[data-testid=charged]").inner_text()
    screenshot(page, "kits-dashboard-after-purchase")

    # 9,998.00 of which 5,001.00 is left: the grant pays that
    _buy_printers(page, live_server, grant, 2, "25442000000012345679")
    page.goto(f"{live_server.url}/admin/kits/dashboard/")
    assert _bar(page) == 100
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("10000.00")

    # Nothing left: refused, with the reason on the form.
    _buy_printers(page, live_server, grant, 1, "25442000000012345680")
    assert "资助额度已用完" in page.content()
    screenshot(page, "kits-purchase-refused")
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("10000.00")

    page.goto(f"{live_server.url}/admin/kits/loans/new/")
    page.select_option("#id_kit", label="SZ-0012-K07 ESP32 入门套件")
    page.select_option("#id_borrower_kind", "student")
    page.select_option("#id_borrower", label="小明（xiaoming）")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=7)).isoformat())
    page.click("button.kits-submit")
    page.wait_for_url("**/admin/kits/loans/")
    assert "SZ-0012-K07" in page.locator("table").first.inner_text()
    assert Kit.objects.get(code="SZ-0012-K07").status == KitStatus.ON_LOAN
    screenshot(page, "kits-loans")

    page.click("a.button-small:has-text('归还')")
    page.fill("#id_missing_led-red", "1")
    screenshot(page, "kits-return-form")
    page.click("button.kits-submit")
    page.wait_for_url("**/admin/kits/loans/")
    assert "红色 LED × 1" in page.locator("table").nth(1).inner_text()
    screenshot(page, "kits-returned-with-missing-part")
    loan = Loan.objects.get()
    assert not loan.is_open and loan.missing_parts.get().quantity == 1
    assert Stock.objects.get(tool_type__slug="led-red").quantity == 49  # the kit was refilled from stock
    assert Kit.objects.get(code="SZ-0012-K07").status == KitStatus.AVAILABLE


def test_ticked_assets_offer_what_the_role_may_do(page, live_server, login, lab, make_user):
    """Lab staff tick assets and get their four actions (retiring is 改状态, not 删除); a city
    coordinator, who reads every school, is offered only 打印标签."""
    from kits.models import Asset, ToolType

    room = lab.room
    for n in (1, 2):
        Asset.objects.create(
            tag=f"SZ-0012-00000{n}", room=room, tool_type=ToolType.objects.get(slug="multimeter")
        )
    make_user("city", role=roles.Role.CITY_COORDINATOR, display_name="市教育局统筹员")

    def ticked_actions(username):
        login(page, username)
        page.goto(f"{live_server.url}/admin/snippets/kits/asset/")
        page.locator("input[data-bulk-action-checkbox]").first.check()
        footer = page.locator("[data-bulk-action-footer]")
        footer.wait_for(state="visible")
        return footer.locator("[data-bulk-action-button]").all_inner_texts()

    assert [label.strip() for label in ticked_actions("wang")] == [
        "打印标签",
        "改状态",
        "移到位置",
        "加入套件",
    ]
    page.click("[data-bulk-action-footer] a:has-text('改状态')")
    page.wait_for_selector("text=SZ-0012-000001")
    page.context.clear_cookies()
    assert [label.strip() for label in ticked_actions("city")] == ["打印标签"]
