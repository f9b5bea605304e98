"""Issue 16, lab staff forms in headless Chromium: a tool type is found by part of its name or its
category, a scanned asset tag is chosen at once (its Enter does not submit the form), another
school's asset is never offered and is refused by the search and by the form, and the purchase form
shows the line total, the subsidy and what is left of the grant and of the cap as you type."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.test_kits import lab  # noqa: F401  (the lab staff's school, room, grant and people)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PRINTER = "桌面级 FDM 3D 打印机（256×256×256mm）"


def _options(page):
    return page.locator("[role=listbox] [role=option] > span")  # the label, without the hint


def test_purchase_form_search_and_live_totals(live_server, page, lab, login, screenshot):  # noqa: F811
    from kits.models import Purchase, ToolType

    grant = lab
    page.set_default_timeout(60_000)  # admin pages on a busy two-core machine
    login(page, "wang")
    page.goto(f"{live_server.url}/admin/snippets/kits/purchase/add/")

    # the room's only grant is chosen; the catalogue is searched by part of a name
    picker = page.locator("#id_tool_type")
    assert picker.get_attribute("role") == "combobox"
    assert page.locator("#id_tool_type-select").is_hidden()
    picker.fill("FDM")
    _options(page).first.wait_for()
    labels = _options(page).all_inner_texts()
    assert any(PRINTER in label for label in labels)
    # … or by its category, in catalogue order
    picker.fill("测量仪器")
    page.locator("[role=option]:has-text('数字万用表')").wait_for()
    assert all(label.startswith("测量仪器 · ") for label in _options(page).all_inner_texts())
    picker.fill("FDM 3D 打印机")
    page.locator(f"[role=option]:has-text('{PRINTER}')").wait_for()
    names = [label.split(" · ", 1)[1] for label in _options(page).all_inner_texts()]
    assert names[:2] == ["大幅面 FDM 3D 打印机（350×350×400mm）", PRINTER]  # by name within 3D打印
    assert len(names) == 2
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp", "ArrowDown", "Enter"):  # the second
        page.keyboard.press(key)
    printer = ToolType.objects.get(slug="fdm-printer")
    assert page.locator("#id_tool_type-select").input_value() == str(printer.pk)
    assert picker.input_value() == f"3D打印 · {PRINTER}"

    totals = page.locator("[data-testid=purchase-totals]")
    assert totals.is_visible()
    page.fill("#id_quantity", "3")
    page.locator("#id_unit_cost").press_sequentially("4,999.5")
    # 3 × 4,999.50 = 14,998.50; the grant has 10,000.00 left: it pays that, the school the rest
    assert page.locator("[data-testid=total-line]").inner_text() == "¥14,998.50"
    assert page.locator("[data-testid=total-subsidy]").inner_text() == "¥10,000.00"
    assert page.locator("[data-testid=total-own]").inner_text() == "¥4,998.50"
    assert page.locator("[data-testid=total-grant-left]").inner_text() == "¥0.00"
    # the cap per school (创客实践室, ¥1,000,000.00): nothing drawn before, 10,000.00 now
    assert page.locator("[data-testid=total-cap-left]").inner_text() == "¥990,000.00"
    assert "¥1,000,000.00" in totals.inner_text()
    totals.scroll_into_view_if_needed()
    screenshot(page, "kits-purchase-totals")

    page.fill("#id_quantity", "1")  # as you type: one printer fits the grant
    assert page.locator("[data-testid=total-line]").inner_text() == "¥4,999.50"
    assert page.locator("[data-testid=total-subsidy]").inner_text() == "¥4,999.50"
    assert page.locator("[data-testid=total-own]").inner_text() == "¥0.00"
    assert page.locator("[data-testid=total-grant-left]").inner_text() == "¥5,000.50"
    assert page.locator("[data-testid=total-cap-left]").inner_text() == "¥995,000.50"
    page.fill("#id_unit_cost", "abc")  # what the server would refuse shows no figure
    assert page.locator("[data-testid=total-line]").inner_text() == "—"
    page.fill("#id_unit_cost", "¥4999.50")

    # the server agrees on save
    page.fill("#id_supplier", "深圳市拓竹科技有限公司")
    page.fill("#id_invoice_number", "25442000000012349999")
    page.fill("#id_purchased_on", timezone.localdate().isoformat())
    page.locator("button.action-save").click()
    page.wait_for_url("**/admin/snippets/kits/purchase/")
    purchase = Purchase.objects.get()
    assert (purchase.tool_type_id, str(purchase.total_cost), str(purchase.subsidy)) == (
        printer.pk,
        "4999.50",
        "4999.50",
    )
    grant.refresh_from_db()
    assert str(grant.left) == "5000.50"


def test_lend_form_scans_a_tag_and_never_offers_another_schools_asset(
    live_server,
    page,
    lab,  # noqa: F811
    login,
    screenshot,
):
    from kits.models import Asset, AssetStatus, Loan, MakerRoom, ToolType
    from tests.factories import make_school

    room = lab.room
    printer, meter = ToolType.objects.get(slug="fdm-printer"), ToolType.objects.get(slug="multimeter")
    for n, tool in enumerate([printer, printer, meter, printer], start=1):
        Asset.objects.create(tag=f"SZ-0012-{n:06d}", room=room, tool_type=tool, location="A 柜")
    other = MakerRoom.objects.create(
        school=make_school("SZ-0345", "深圳市福田区红岭实验小学"), location="综合楼"
    )
    Asset.objects.create(tag="SZ-0345-000001", room=other, tool_type=printer, location="B 柜")

    page.set_default_timeout(60_000)
    login(page, "wang")
    page.goto(f"{live_server.url}/admin/kits/loans/new/")
    picker = page.locator("#id_asset")
    lend_url = page.url

    # a search by name offers the school's own printers only, in order
    picker.fill("打印机")
    page.locator("[role=option]").first.wait_for()
    labels = _options(page).all_inner_texts()
    assert [label.split()[0] for label in labels] == ["SZ-0012-000001", "SZ-0012-000002", "SZ-0012-000004"]
    screenshot(page, "kits-asset-picker")

    # a barcode scanner types the tag and Enter: chosen at once, the form is not sent
    picker.fill("")
    picker.press_sequentially("SZ-0012-000003", delay=5)
    picker.press("Enter")
    meter_asset = Asset.objects.get(tag="SZ-0012-000003")
    page.wait_for_function(
        "id => document.getElementById('id_asset-select').value === id", arg=str(meter_asset.pk)
    )
    assert picker.input_value().startswith("SZ-0012-000003 数字万用表")
    assert page.url == lend_url and not Loan.objects.exists()

    # another school's tag: the search finds nothing, the box says so, the form refuses it
    picker.fill("")
    picker.press_sequentially("SZ-0345-000001", delay=5)
    picker.press("Enter")
    page.locator(".kits-picker-note:has-text('没有编号为 SZ-0345-000001 的资产')").wait_for()
    assert page.locator("#id_asset-select").input_value() == ""
    response = page.request.get(f"{live_server.url}/admin/kits/pick/assets/?q=SZ-0345-000001")
    assert response.ok and response.json() == {"results": [], "exact": None}
    offered = page.locator("#id_asset-select option").all_inner_texts()  # the no-JS list too
    assert len(offered) == 5 and not any("SZ-0345" in label for label in offered)

    page.select_option("#id_borrower_kind", "student")
    page.select_option("#id_borrower", label="小明（xiaoming）")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=7)).isoformat())
    page.click("button.kits-submit")
    page.wait_for_load_state()
    assert "没有编号为 SZ-0345-000001 的资产" in page.locator("form[novalidate]").inner_text()
    assert not Loan.objects.exists()

    # the school's own asset, scanned: lent
    page.locator("#id_asset").fill("")
    page.locator("#id_asset").press_sequentially("sz-0012-000002", delay=5)
    page.locator("#id_asset").press("Enter")
    page.wait_for_function("() => document.getElementById('id_asset-select').value !== ''")
    page.click("button.kits-submit")
    page.wait_for_url("**/admin/kits/loans/")
    assert Asset.objects.get(tag="SZ-0012-000002").status == AssetStatus.ON_LOAN
    assert Asset.objects.get(tag="SZ-0345-000001").status == AssetStatus.IN_STOCK
