"""Printable asset-tag labels: an A4 PDF of QR codes (the asset's page URL) with the tool's Chinese
name. The CJK font is embedded (subset) so the sheet prints the same on any computer.

The font is the site's one CJK font for PDFs, `makerroom.core.fonts.cjk_font()` (path from
settings.CJK_FONT_PATHS)."""

import io

import qrcode
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from makerroom.core import jobs
from makerroom.core.fonts import cjk_font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

# A4 sheets of 3 × 8 labels, 63.5 × 33.9 mm (the common 24-up self-adhesive label sheet).
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 63.5 * mm, 33.9 * mm
MARGIN_X = (A4[0] - COLUMNS * LABEL_W) / 2
MARGIN_Y = (A4[1] - ROWS * LABEL_H) / 2


def asset_url(tag):
    with override(settings.LANGUAGE_CODE):
        path = reverse("kits:asset", args=[tag])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def qr_image(data):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _fit(pdf, text, font, size, width):
    """Shorten text with … until it fits the label."""
    while text and pdf.stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def labels_pdf(assets, title="资产标签", progress=None):
    font = cjk_font()
    if progress is not None:
        progress(0, len(assets))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    per_page = COLUMNS * ROWS
    for index, asset in enumerate(assets):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        x = MARGIN_X + (slot % COLUMNS) * LABEL_W
        y = A4[1] - MARGIN_Y - (slot // COLUMNS + 1) * LABEL_H
        qr_size = LABEL_H - 6 * mm
        pdf.drawImage(qr_image(asset_url(asset.tag)), x + 3 * mm, y + 3 * mm, qr_size, qr_size)
        text_x = x + qr_size + 5 * mm
        width = LABEL_W - qr_size - 8 * mm
        pdf.setFont(font, 8.5)
        pdf.drawString(text_x, y + LABEL_H - 9 * mm, _fit(pdf, asset.tool_type.name, font, 8.5, width))
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawString(text_x, y + LABEL_H - 15 * mm, asset.tag)
        pdf.setFont(font, 6.5)
        pdf.drawString(text_x, y + LABEL_H - 20 * mm, _fit(pdf, asset.room.school.name, font, 6.5, width))
        pdf.drawString(
            text_x, y + LABEL_H - 24 * mm, _fit(pdf, "扫码查看器材信息与安全须知", font, 6.5, width)
        )
        if progress is not None:
            progress(index + 1)
    if not assets:
        pdf.setFont(font, 12)
        pdf.drawString(20 * mm, A4[1] - 30 * mm, "没有要打印的资产。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# Up to this many labels (10 sheets, about half a second) print in the request; more run as a job.
IN_REQUEST = 240
MAX_LABELS = 2400


def sheet_response(request, assets):
    """The label sheet for `assets` (a queryset the view has scoped to the user): the PDF itself
    for a few sheets, else a job whose page shows the progress and offers the PDF."""
    assets = assets.order_by("tag")[:MAX_LABELS]
    ids = list(assets.values_list("pk", flat=True))
    if len(ids) > IN_REQUEST:
        job = jobs.start(
            request.user,
            label_sheet_job,
            _("Asset labels (%(count)s)") % {"count": len(ids)},
            params={"asset_ids": ids},
        )
        return redirect(job)
    response = HttpResponse(labels_pdf(list(assets)), content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename=asset-labels.pdf"
    return response


@jobs.runner
def label_sheet_job(job, progress):
    """The label sheet as a job. The assets were chosen and scoped to the owner by the view; the
    owner must still be allowed to see assets when the job runs."""
    from .models import Asset

    if not (job.owner.is_active and job.owner.has_perm("kits.view_asset")):
        raise jobs.JobFailed(_("You may no longer print asset labels."))
    assets = list(
        Asset.objects.filter(pk__in=job.params["asset_ids"])
        .select_related("tool_type", "room__school")
        .order_by("tag")
    )
    return jobs.Result("asset-labels.pdf", labels_pdf(assets, progress=progress))
