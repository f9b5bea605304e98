"""Certificates (获奖证书 / 参与证书) as PDF: Chinese text in an embedded CJK font and a QR code
linking to the public verification page.

The font is the core's `cjk_font()` (WenQuanYi Micro Hei, path from settings.CJK_FONT_PATHS).
The certificate is dated the day the results were published, whenever it is downloaded.
"""

import io

import qrcode
from django.utils import timezone
from makerroom.core.fonts import cjk_font
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

BRAND = HexColor("#c2410c")


def certificate_date(edition):
    """The day the results were published (local time), not the day of the download."""
    return timezone.localdate(edition.results_published_at)


def certificate_pdf(entry, verify_url):
    """One A4 landscape page. Awarded entries get 获奖证书, the others 参与证书."""
    font = cjk_font()
    award = entry.award if entry.edition.results_published else None
    team = "、".join(m.student.public_name for m in entry.members.select_related("student"))
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{entry.edition.title} · {entry.title}")
    pdf.setAuthor(entry.edition.title)

    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(BRAND)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 48 * mm, "获奖证书" if award else "参与证书")
    pdf.setFillColor(HexColor("#1f2933"))
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 64 * mm, f"{entry.edition.title} · {entry.edition.theme}")

    lines = [
        f"作品：《{entry.title}》",
        f"团队：{team}",
        f"学校：{entry.school.name}",
        f"指导老师：{entry.mentor.public_name}",
        f"类别：{entry.category.name} · {entry.age_group.name}",
    ]
    y = height - 88 * mm
    pdf.setFont(font, 15)
    for line in lines:
        pdf.drawString(40 * mm, y, line)
        y -= 10 * mm
    pdf.setFont(font, 26)
    pdf.setFillColor(BRAND)
    pdf.drawString(40 * mm, y - 6 * mm, f"荣获 {award.name}" if award else "参加本届创客节，特发此证。")

    qr = qrcode.make(verify_url, box_size=6, border=1)
    image = io.BytesIO()
    qr.save(image, format="PNG")
    image.seek(0)
    size = 38 * mm
    pdf.drawImage(ImageReader(image), width - 40 * mm - size, 30 * mm, size, size)
    pdf.setFillColor(HexColor("#52606d"))
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 40 * mm - size / 2, 25 * mm, "扫码验证证书")
    pdf.drawString(40 * mm, 30 * mm, f"证书编号：{entry.token}")
    pdf.drawString(
        40 * mm, 24 * mm, f"{entry.edition.title}组委会 · {certificate_date(entry.edition):%Y年%m月%d日}"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
