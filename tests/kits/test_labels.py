"""Label sheets: what a sheet holds (a selection, a purchase, a kit, 尚未打印), names that fit their
box (wrapped or shrunk, never cut), and QR codes drawn as vector shapes that still scan."""

from types import SimpleNamespace

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from makerroom.core.fonts import cjk_font
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from kits import labels
from kits.models import Asset, Purchase

pytestmark = pytest.mark.django_db

LONG_NAME = "桌面级五轴联动数控雕刻机（含防护罩与吸尘器）"  # two lines, a smaller font
LONGER_NAME = "桌面级五轴联动数控雕刻机（含防护罩、吸尘器与水冷主轴，ESP32-S3 控制）教学专用套装"
VERY_LONG_NAME = "超长名称测试用多功能教学实验平台" * 5  # 80 characters, the field's maximum


def _asset(tag, name, school="深圳市南山区创新实验学校"):
    return SimpleNamespace(
        tag=tag,
        tool_type=SimpleNamespace(name=name),
        room=SimpleNamespace(school=SimpleNamespace(name=school)),
    )


def _text(pdf_bytes):
    document = pypdfium2.PdfDocument(pdf_bytes)
    return "".join(page.get_textpage().get_text_range() for page in document)


def _tags(response):
    return {line for line in _text(response.content).split() if line.startswith("SZ-")}


# --- names that fit ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["万用表", LONG_NAME, LONGER_NAME, VERY_LONG_NAME, "Soldering station with a very long English name"],
)
def test_a_name_wraps_and_shrinks_to_its_box_and_keeps_every_character(name):
    font = cjk_font()
    size, lines = labels.fit_name(name, font, labels.TEXT_W, 40)
    assert "".join(lines).replace(" ", "") == name.replace(" ", "")  # nothing cut
    assert all(stringWidth(line, font, size) <= labels.TEXT_W for line in lines)  # the renderer's metrics
    if stringWidth(name, font, labels.NAME_SIZE) <= labels.TEXT_W:
        assert (size, len(lines)) == (labels.NAME_SIZE, 1)  # a short name stays as it was
    elif name == LONG_NAME:
        assert len(lines) == 2 and labels.NAME_MIN_SIZE <= size < labels.NAME_SIZE


def test_lines_break_between_characters_not_inside_words_nor_before_closing_punctuation():
    font = cjk_font()
    lines = labels.wrap("ESP32-S3 开发板（带排针），USB-C 接口", font, 7, 60)
    assert not any(line[0] in "）)，、。" for line in lines)
    assert any("ESP32-S3" in line for line in lines) and any("USB-C" in line for line in lines)


@pytest.mark.parametrize("name", [LONG_NAME, LONGER_NAME, VERY_LONG_NAME])
def test_the_rendered_long_name_lies_inside_its_label(name):
    """Every character of the drawn name is in the PDF, inside the text box right of the QR code."""
    pdf = labels.labels_pdf([_asset("SZ-0012-000431", name)])
    page = pypdfium2.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    assert name.replace(" ", "") in text.replace("\r", "").replace("\n", "").replace(" ", "")
    left = labels.MARGIN_X + labels.TEXT_X - 0.5
    right = labels.MARGIN_X + labels.LABEL_W - labels.PAD + 0.5
    top = A4[1] - labels.MARGIN_Y
    bottom = top - labels.LABEL_H
    for index in range(textpage.count_chars()):
        if text[index].isspace():
            continue
        x0, y0, x1, y1 = textpage.get_charbox(index)
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top, (text[index], (x0, y0, x1, y1))
    # the tag is still there, below the name, and readable
    assert "SZ-0012-000431" in text


# --- vector QR codes ---------------------------------------------------------------------------------


def test_qr_codes_are_vector_shapes_that_scan(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://maker.example.cn"
    assets = [_asset(f"SZ-0012-{n:06d}", LONG_NAME) for n in range(1, 25)]
    pdf = labels.labels_pdf(assets)
    assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf  # no raster image on the sheet
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    decoded = sorted(r.text for r in zxingcpp.read_barcodes(image))
    assert decoded == [f"https://maker.example.cn/lab/assets/SZ-0012-{n:06d}/" for n in range(1, 25)]


# --- what a sheet holds --------------------------------------------------------------------------


@pytest.fixture
def assets(room, tool):
    return [
        Asset.objects.create(tag=f"SZ-0012-{n:06d}", room=room, tool_type=tool("multimeter"))
        for n in range(1, 6)
    ]


def test_a_purchase_prints_its_assets(client, labstaff, grant, room, tool, assets):
    purchase = Purchase.objects.create(
        grant=grant,
        tool_type=tool("multimeter"),
        quantity=2,
        unit_cost="189.00",
        total_cost="378.00",
        subsidy="378.00",
        supplier="福田仪器店",
        invoice_number="C1",
        purchased_on=timezone.localdate(),
    )
    Asset.objects.filter(tag__in=["SZ-0012-000002", "SZ-0012-000003"]).update(purchase=purchase)
    client.force_login(labstaff)
    response = client.get(f"/admin/kits/labels/?purchase={purchase.pk}")
    assert response["Content-Type"] == "application/pdf"
    assert _tags(response) == {"SZ-0012-000002", "SZ-0012-000003"}


def test_a_kit_prints_the_assets_kept_in_it(client, labstaff, kit, assets):
    Asset.objects.filter(tag="SZ-0012-000004").update(kit=kit)
    client.force_login(labstaff)
    assert _tags(client.get(f"/admin/kits/labels/?kit={kit.pk}")) == {"SZ-0012-000004"}


def test_not_yet_printed_prints_each_label_once(client, labstaff, assets):
    client.force_login(labstaff)
    assert _tags(client.get("/admin/kits/labels/?tags=SZ-0012-000001,SZ-0012-000002")) == {
        "SZ-0012-000001",
        "SZ-0012-000002",
    }
    assert Asset.objects.filter(label_printed_at__isnull=False).count() == 2
    assert _tags(client.get("/admin/kits/labels/?unprinted=1")) == {
        "SZ-0012-000003",
        "SZ-0012-000004",
        "SZ-0012-000005",
    }
    assert _tags(client.get("/admin/kits/labels/?unprinted=1")) == set()  # all printed now


def test_another_schools_purchase_or_kit_is_not_found(client, other_labstaff, kit, assets):
    Asset.objects.filter(tag="SZ-0012-000004").update(kit=kit)
    client.force_login(other_labstaff)
    assert client.get(f"/admin/kits/labels/?kit={kit.pk}").status_code == 404
    assert client.get("/admin/kits/labels/?kit=abc").status_code == 404
    assert not Asset.objects.filter(label_printed_at__isnull=False).exists()


def test_the_asset_list_offers_not_yet_printed_and_the_purchase_and_kit_rows_print(
    client, labstaff, kit, assets
):
    client.force_login(labstaff)
    html = client.get("/admin/snippets/kits/asset/").content.decode()
    assert "/admin/kits/labels/?unprinted=1" in html and "尚未打印" in html
    assert "打印标签" in html  # the bulk action
    html = client.get("/admin/snippets/kits/kit/").content.decode()
    assert f"/admin/kits/labels/?kit={kit.pk}" in html


def test_label_screenshot_with_long_names():
    """docs/screenshots/kits-labels-long-names.png: the top rows of a sheet, short to longest name."""
    from pathlib import Path

    names = ["数字万用表", LONG_NAME, LONGER_NAME, VERY_LONG_NAME, "CO2 激光切割机", "3D 打印机（FDM）"]
    pdf = labels.labels_pdf([_asset(f"SZ-0012-{n:06d}", name) for n, name in enumerate(names, start=431)])
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=4).to_pil()
    scale = 4
    top = int(labels.MARGIN_Y * scale)
    box = (0, top, image.width, top + int(2 * labels.LABEL_H * scale))
    path = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "kits-labels-long-names.png"
    image.crop(box).save(path)
    assert path.stat().st_size > 10_000
