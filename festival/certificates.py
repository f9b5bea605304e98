"""Certificates (获奖证书 / 参与证书) as PDF: Chinese text in an embedded CJK font and a QR code
linking to the public verification page.

The font is the core's `cjk_font()` (WenQuanYi Micro Hei, path from settings.CJK_FONT_PATHS), the QR
code the core's vector drawing (`makerroom.core.qr`: one filled path, no PNG image). The
certificate is dated the day the results were published, whenever it is downloaded.

A whole edition's certificates (festival.exports.certificates_zip) draw the same way, with the
teams read in one query for the edition and passed in as `team`.
"""

import io

from django.utils import timezone
from makerroom.core.fonts import cjk_font
from makerroom.core.qr import draw_qr, qr_matrix
from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

BRAND = HexColor("#c2410c")
INK = HexColor("#1f2933")
GREY = HexColor("#52606d")
QR_SIZE = 38 * mm  # with a quiet zone of one module inside


def certificate_date(edition):
    """The day the results were published (local time), not the day of the download."""
    return timezone.localdate(edition.results_published_at)


def team_line(entry):
    """The team's public names, in team order ("小林、小雨")."""
    return "、".join(m.student.public_name for m in entry.members.select_related("student"))


def certificate_pdf(entry, verify_url, team=None):
    """One A4 landscape page. Awarded entries get 获奖证书, the others 参与证书. `team`: the
    team's names as `team_line` gives them (read here when not given)."""
    # Binary page streams: reportlab's ASCII85 armour (pure Python here) cost a sixth of the time.
    use_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _certificate_pdf(entry, verify_url, team_line(entry) if team is None else team)
    finally:
        rl_config.useA85 = use_a85


def _certificate_pdf(entry, verify_url, team):
    font = cjk_font()
    edition = entry.edition
    award = entry.award if edition.results_published else None
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{edition.title} · {entry.title}")
    pdf.setAuthor(edition.title)

    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFillColor(BRAND)
    pdf.setFont(font, 40)
    pdf.drawCentredString(width / 2, height - 48 * mm, "获奖证书" if award else "参与证书")
    pdf.setFillColor(INK)
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 64 * mm, f"{edition.title} · {edition.theme}")

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

    matrix = qr_matrix(verify_url)
    module = QR_SIZE / (len(matrix) + 2)
    x, y = width - 40 * mm - QR_SIZE, 30 * mm
    pdf.setFillColor(HexColor("#000000"))
    draw_qr(pdf, matrix, x + module, y + module, QR_SIZE - 2 * module)
    pdf.setFillColor(GREY)
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 40 * mm - QR_SIZE / 2, 25 * mm, "扫码验证证书")
    pdf.drawString(40 * mm, 30 * mm, f"证书编号：{entry.token}")
    pdf.drawString(40 * mm, 24 * mm, f"{edition.title}组委会 · {certificate_date(edition):%Y年%m月%d日}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
