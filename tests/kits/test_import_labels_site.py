import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from makerroom.core import roles
from openpyxl import Workbook

from kits import imports, labels
from kits.models import Asset, Grant, Purchase, Reservation

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
HEADER = [
    "序号",
    "采购日期",
    "品目编码",
    "品名",
    "数量",
    "单位",
    "单价（元）",
    "金额（元）",
    "供应商",
    "发票号码",
]


def _csv(rows, header=HEADER, encoding="utf-8-sig"):
    text = "\n".join(",".join(map(str, r)) for r in [header, *rows])
    return io.BytesIO(text.encode(encoding))


@pytest.mark.parametrize("name", ["采购明细导入样例.csv", "采购明细导入样例.xlsx"])
def test_the_documented_sample_imports(grant, labstaff, name):
    with open(SAMPLES / name, "rb") as upload:
        result = imports.import_purchases(upload, name, grant=grant, user=labstaff)
    assert result.ok, result.errors
    assert len(result.purchases) == 5
    grant.refresh_from_db()
    assert grant.charged == Decimal("15546.00")
    assert Asset.objects.filter(tool_type__slug="fdm-printer").count() == 2
    assert Purchase.objects.get(tool_type__slug="breadboard").quantity == 40  # matched by its Chinese name


def test_a_bad_sheet_saves_nothing_and_names_row_column_and_reason(grant, labstaff):
    rows = [
        # Distinct invoice numbers: the same number twice in one file is a row error of its own.
        [1, "2026-03-02", "fdm-printer", "", 1, "台", "4999.00", "4999.00", "拓竹", "A1"],
        [2, "2026-03-02", "no-such-tool", "", 1, "台", "10.00", "", "拓竹", "A2"],
        [3, "三月二日", "led-red", "", "-5", "个", "0.1", "", "拓竹", "A3"],
        [4, "2026-03-02", "led-red", "", 10, "个", "abc", "", "", "A4"],
        [5, "2026-03-02", "led-red", "", 10, "个", "0.10", "2.00", "拓竹", "A5"],
    ]
    result = imports.import_purchases(_csv(rows), "x.csv", grant=grant, user=labstaff)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "品目编码"),
        (4, "采购日期"),
        (4, "数量"),
        (5, "单价（元）"),
        (5, "供应商"),
        (6, "金额（元）"),
    }
    assert result.errors[0].row == 3 and "器材目录中没有“no-such-tool”" in result.errors[0].message
    assert not Purchase.objects.exists() and Grant.objects.get(pk=grant.pk).charged == 0


def test_rule_errors_found_while_saving_roll_back_every_row(make_grant, room, labstaff):
    grant = make_grant(room, amount="5000.00")
    rows = [
        [n, "2026-03-02", "fdm-printer", "", 1, "台", "4999.00", "4999.00", "拓竹", f"A{n}"]
        for n in (1, 2, 3)
    ]
    result = imports.import_purchases(_csv(rows), "x.csv", grant=grant, user=labstaff)
    assert [(e.row, e.column) for e in result.errors] == [(4, "—")]  # the third row finds the grant used up
    assert "已用完" in result.errors[0].message
    assert not Purchase.objects.exists() and not Asset.objects.exists()
    assert Grant.objects.get(pk=grant.pk).charged == 0


def test_gbk_csv_and_missing_columns(grant, labstaff):
    rows = [[1, "2026-03-02", "led-red", "红色 LED", 100, "个", "0.10", "10.00", "华强北电子", "B1"]]
    result = imports.import_purchases(_csv(rows, encoding="gb18030"), "x.csv", grant=grant, user=labstaff)
    assert result.ok
    result = imports.import_purchases(_csv(rows, header=HEADER[:5]), "x.csv", grant=grant, user=labstaff)
    assert "单价（元）" in result.errors[0].message
    result = imports.import_purchases(io.BytesIO(b"not a zip"), "x.xlsx", grant=grant, user=labstaff)
    assert not result.ok


def test_import_screen(client, grant, labstaff):
    client.force_login(labstaff)
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append([1, date(2026, 3, 2), "multimeter", "", 2, "台", 189, 378, "福田仪器店", "C1"])
    workbook.active.append([2, date(2026, 3, 2), "multimeter", "", 0, "台", 189, 0, "福田仪器店", "C1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("采购.xlsx", buffer.getvalue())
    response = client.post("/admin/kits/import/", {"grant": grant.pk, "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "未导入任何数据" in html and "数量至少为 1" in html
    assert not Purchase.objects.exists()


def test_label_pdf_embeds_the_cjk_font_and_its_qr_codes_scan(room, tool, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://maker.example.cn"
    assets = [
        Asset.objects.create(tag=f"SZ-0012-{n:06d}", room=room, tool_type=tool(slug))
        for n, slug in enumerate(["laser-cutter-co2", "fdm-printer", "soldering-station"], start=431)
    ]
    pdf_bytes = labels.labels_pdf(assets)
    assert b"FontFile2" in pdf_bytes  # a TrueType font program is embedded
    document = pypdfium2.PdfDocument(pdf_bytes)
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert "CO2 激光切割机" in text and "深圳市南山区创新实验学校" in text and "SZ-0012-000431" in text
    image = page.render(scale=3).to_pil()
    decoded = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert decoded == [f"https://maker.example.cn/lab/assets/SZ-0012-{n:06d}/" for n in (431, 432, 433)]


def test_labels_screen_prints_only_own_school(client, labstaff, other_labstaff, room, tool):
    Asset.objects.create(tag="SZ-0012-000001", room=room, tool_type=tool("multimeter"))
    client.force_login(other_labstaff)
    text = pypdfium2.PdfDocument(client.get("/admin/kits/labels/").content)[0].get_textpage().get_text_range()
    assert "SZ-0012-000001" not in text
    client.force_login(labstaff)
    response = client.get("/admin/kits/labels/")
    assert response["Content-Type"] == "application/pdf"
    assert "SZ-0012-000001" in pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()


def test_asset_page_role_by_role(
    client, room, tool, labstaff, other_labstaff, make_user, school, coordinator
):
    Asset.objects.create(tag="SZ-0012-000431", room=room, tool_type=tool("laser-cutter-co2"))
    url = "/lab/assets/SZ-0012-000431/"
    assert client.get(url).status_code == 302  # anonymous: log in first
    student = make_user("pupil", role=roles.Role.STUDENT, school=school)
    for user, status, staff in [
        (labstaff, 200, True),
        (coordinator, 200, True),
        (student, 200, False),
        (other_labstaff, 404, False),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            html = response.content.decode()
            assert "灭火器" in html  # the safety notes travel with the tool
            assert ("在后台打开" in html) == staff


def test_reservation_calendar_role_by_role(client, room, school, template, make_user, labstaff):
    from kits.models import Kit

    for n in range(4):
        Kit.objects.create(code=f"SZ-0012-K{n:02d}", school=school, room=room, template=template)
    teacher = make_user("li", role=roles.Role.TEACHER, school=school, display_name="李老师")
    student = make_user("pupil", role=roles.Role.STUDENT, school=school)
    assert client.get("/lab/reservations/").status_code == 302
    client.force_login(student)
    assert client.get("/lab/reservations/").status_code == 403
    client.force_login(teacher)
    day = timezone.localdate() + timezone.timedelta(days=1)
    form = {
        "room": room.pk,
        "class_name": "初一（2）班",
        "date": day.isoformat(),
        "starts_at": "08:00",
        "ends_at": "08:40",
        "kit_count": "3",
        "purpose": "点亮第一颗 LED",
    }
    assert client.post("/lab/reservations/", form).status_code == 302
    refused = client.post("/lab/reservations/", {**form, "class_name": "初一（5）班", "kit_count": "2"})
    assert refused.status_code == 200 and "只剩 1 套" in refused.content.decode()
    assert Reservation.objects.count() == 1
    html = client.get(f"/lab/reservations/?week={day.isoformat()}").content.decode()
    assert "初一（2）班 × 3" in html and "李老师" in html
    client.force_login(labstaff)
    assert client.get("/lab/reservations/").status_code == 200
