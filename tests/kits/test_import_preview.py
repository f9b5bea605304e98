"""Issue 11: imports never charge twice. A preview first (rows, subsidy per row, totals, what is left
of the grant after), saved only on confirmation; invoice numbers already recorded or twice in one
file are row errors unless marked as further lines; the same file twice is recognised; a long
invoice number Excel turned into a number is refused; a line larger than what is left says how it
is paid and asks first."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from kits import imports
from kits.models import Grant, Purchase, PurchaseImport

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
CSV_SAMPLE, XLSX_SAMPLE = SAMPLES / "采购明细导入样例.csv", SAMPLES / "采购明细导入样例.xlsx"
HEADER = ["采购日期", "品目编码", "数量", "单价（元）", "金额（元）", "供应商", "发票号码", "同一发票续行"]


def _csv(rows, header=HEADER):
    text = "\n".join(",".join(map(str, r)) for r in [header, *rows])
    return io.BytesIO(text.encode("utf-8-sig"))


def _xlsx(rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _errors(result):
    return [(e.row, e.column) for e in result.errors]


def test_the_import_screen_previews_and_saves_only_on_confirmation(
    client, grant, labstaff, django_capture_on_commit_callbacks
):
    client.force_login(labstaff)
    upload = SimpleUploadedFile(CSV_SAMPLE.name, CSV_SAMPLE.read_bytes())
    preview = client.post("/admin/kits/import/", {"grant": grant.pk, "file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200 and "尚未保存" in html
    assert len(preview.context["result"].rows) == 5
    assert "¥15,546.00" in html and "¥984,454.00" in html  # total, and what is left after
    assert "¥9,998.00" in html  # the subsidy of the printers' row
    assert not Purchase.objects.exists() and Grant.objects.get(pk=grant.pk).charged == 0
    sha = preview.context["result"].sha256
    with django_capture_on_commit_callbacks(execute=True):  # the save runs as a job
        confirmed = client.post(
            "/admin/kits/import/",
            {"confirm": "1", "grant": grant.pk, "sha256": sha, "ext": "csv", "filename": CSV_SAMPLE.name},
        )
    assert confirmed.status_code == 302
    assert Purchase.objects.count() == 5 and Grant.objects.get(pk=grant.pk).charged == Decimal("15546.00")
    assert PurchaseImport.objects.get().filename == CSV_SAMPLE.name
    # Confirming again (a double click) charges nothing more.
    again = client.post(
        "/admin/kits/import/", {"confirm": "1", "grant": grant.pk, "sha256": sha, "ext": "csv"}
    )
    assert again.status_code == 302 and Purchase.objects.count() == 5


def test_the_same_file_uploaded_twice_is_recognised(grant, labstaff):
    with open(XLSX_SAMPLE, "rb") as upload:
        assert imports.import_purchases(upload, XLSX_SAMPLE.name, grant=grant, user=labstaff).ok
    with open(XLSX_SAMPLE, "rb") as upload:
        result = imports.preview_purchases(upload, XLSX_SAMPLE.name, grant=grant, user=labstaff)
    assert _errors(result) == [(1, "—")] and "已导入过" in result.errors[0].message
    assert Purchase.objects.count() == 5 and Grant.objects.get(pk=grant.pk).charged == Decimal("15546.00")


def test_the_same_rows_as_csv_after_the_xlsx_are_refused_by_their_invoice_numbers(grant, labstaff):
    with open(XLSX_SAMPLE, "rb") as upload:
        assert imports.import_purchases(upload, XLSX_SAMPLE.name, grant=grant, user=labstaff).ok
    with open(CSV_SAMPLE, "rb") as upload:
        result = imports.import_purchases(upload, CSV_SAMPLE.name, grant=grant, user=labstaff)
    # Rows 2, 4 and 6 open an invoice that is already recorded; 3 and 5 are marked as further lines.
    assert _errors(result) == [(2, "发票号码"), (4, "发票号码"), (6, "发票号码")]
    assert "已登记" in result.errors[0].message
    assert Purchase.objects.count() == 5 and Grant.objects.get(pk=grant.pk).charged == Decimal("15546.00")


def test_an_invoice_twice_in_one_file_is_a_row_error_unless_the_row_is_marked(grant, labstaff):
    rows = [
        ["2026-03-02", "led-red", 100, "0.10", "10.00", "华强北电子", "44031234", ""],
        ["2026-03-02", "resistor-220", 100, "0.05", "5.00", "华强北电子", "44031234", ""],
    ]
    result = imports.import_purchases(_csv(rows), "a.csv", grant=grant, user=labstaff)
    assert _errors(result) == [(3, "发票号码")] and "第 2 行" in result.errors[0].message
    assert not Purchase.objects.exists()
    rows[1][-1] = "是"
    assert imports.import_purchases(_csv(rows), "b.csv", grant=grant, user=labstaff).ok
    assert Purchase.objects.count() == 2


@pytest.mark.parametrize(
    ("invoice", "make"),
    [
        (25442000000012345678, _xlsx),  # a number cell: Excel keeps 15 digits, the rest is rounded
        (2.5442000000012345e19, _xlsx),
        ("2.5442E+19", _csv),  # the same sheet saved as CSV
    ],
)
def test_a_20_digit_invoice_number_typed_as_a_number_is_refused(grant, labstaff, invoice, make):
    rows = [[date(2026, 3, 2).isoformat(), "multimeter", 1, "189.00", "189.00", "福田仪器店", invoice, ""]]
    result = imports.import_purchases(
        make(rows), "x.xlsx" if make is _xlsx else "x.csv", grant=grant, user=labstaff
    )
    assert _errors(result) == [(2, "发票号码")]
    assert "请把发票号码列设为文本" in result.errors[0].message
    assert not Purchase.objects.exists()


def test_a_short_invoice_number_typed_as_a_number_is_kept_exactly(grant, labstaff):
    rows = [["2026-03-02", "multimeter", 1, "189.00", "189.00", "福田仪器店", 44031234, ""]]
    assert imports.import_purchases(_xlsx(rows), "x.xlsx", grant=grant, user=labstaff).ok
    assert Purchase.objects.get().invoice_number == "44031234"


def _laser(grant, **extra):
    from kits.models import ToolType

    return {
        "grant": grant.pk,
        "tool_type": ToolType.objects.get(slug="laser-cutter-co2").pk,
        "quantity": "1",
        "unit_cost": "900000.00",
        "supplier": "深圳市激光设备有限公司",
        "invoice_number": "25442000000099990001",
        "purchased_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_a_purchase_larger_than_what_is_left_says_how_it_is_paid_and_asks_first(
    client, make_grant, room, labstaff
):
    grant = make_grant(room, amount="805084.00")
    client.force_login(labstaff)
    asked = client.post("/admin/snippets/kits/purchase/add/", _laser(grant))
    assert asked.status_code == 200
    assert "资助 ¥805,084.00，学校自筹 ¥94,916.00" in asked.content.decode()
    assert not Purchase.objects.exists()
    done = client.post("/admin/snippets/kits/purchase/add/", _laser(grant, confirm_self_funded="on"))
    assert done.status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.subsidy, purchase.self_funded) == (Decimal("805084.00"), Decimal("94916.00"))


def test_the_import_preview_says_how_a_partial_line_is_paid(client, make_grant, room, labstaff):
    grant = make_grant(room, amount="805084.00")
    rows = [["2026-03-02", "laser-cutter-co2", 1, "900000.00", "900000.00", "激光设备", "A-1", ""]]
    client.force_login(labstaff)
    upload = SimpleUploadedFile("激光.xlsx", _xlsx(rows).getvalue())
    preview = client.post("/admin/kits/import/", {"grant": grant.pk, "file": upload})
    html = preview.content.decode()
    assert "资助 ¥805,084.00，学校自筹 ¥94,916.00" in html and "¥0.00" in html  # nothing left after
    assert not Purchase.objects.exists()


def test_the_service_refuses_a_partial_line_until_the_school_pays_the_rest(make_grant, room, labstaff, tool):
    from django.core.exceptions import ValidationError

    from kits import services

    grant = make_grant(room, amount="805084.00")
    line = {
        "grant": grant,
        "tool_type": tool("laser-cutter-co2"),
        "quantity": 1,
        "unit_cost": "900000.00",
        "supplier": "深圳市激光设备有限公司",
        "invoice_number": "A-1",
        "purchased_on": timezone.localdate(),
        "user": labstaff,
    }
    with pytest.raises(ValidationError) as asked:
        services.record_purchase(**line, school_pays_rest=False)
    assert asked.value.error_dict["confirm_self_funded"][0].code == "partial_subsidy"
    assert not Purchase.objects.exists() and Grant.objects.get(pk=grant.pk).charged == 0
    assert services.record_purchase(**line, school_pays_rest=True).subsidy == Decimal("805084.00")
