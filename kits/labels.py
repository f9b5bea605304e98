"""Printable asset-tag labels: an A4 PDF of QR codes (the asset's page URL) with the tool's Chinese
name. The CJK font is embedded (subset) so the sheet prints the same on any computer.

The QR codes are drawn as vector shapes by the core's `makerroom.core.qr` (one filled path per
code, no PNG per label: encoding and embedding the images took three quarters of the time).
A tool's name wraps to two lines and shrinks to fit its box; it is never cut.

The font is the site's one CJK font for PDFs, `makerroom.core.fonts.cjk_font()` (path from
settings.CJK_FONT_PATHS)."""

import io
import re

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from makerroom.core import jobs
from makerroom.core.fonts import cjk_font
from makerroom.core.qr import draw_qr, qr_matrix
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

# A4 sheets of 3 × 8 labels, 63.5 × 33.9 mm (the common 24-up self-adhesive label sheet).
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 63.5 * mm, 33.9 * mm
MARGIN_X = (A4[0] - COLUMNS * LABEL_W) / 2
MARGIN_Y = (A4[1] - ROWS * LABEL_H) / 2

# Inside a label: the QR code on the left (with its 3 mm quiet zone), the text to its right.
PAD = 3 * mm
QR_SIZE = LABEL_H - 2 * PAD
TEXT_X = QR_SIZE + 5 * mm  # from the label's left edge
TEXT_W = LABEL_W - TEXT_X - PAD
TEXT_TOP = LABEL_H - 4.5 * mm  # from the label's bottom edge: the first line's top
TEXT_BOTTOM = PAD

NAME_SIZE, NAME_MIN_SIZE, NAME_LINES = 8.5, 5.0, 2
LEADING = 1.2  # line height / font size
TAG_SIZE, SMALL_SIZE = 8, 6.5
TAG_FONT = "Helvetica-Bold"


def asset_url(tag):
    with override(settings.LANGUAGE_CODE):
        path = reverse("kits:asset", args=[tag])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


_PLACEHOLDER = "SZ-0000-000000"


def asset_url_maker():
    """asset_url for many tags: the URL is reversed once (in the site's language), then filled in."""
    before, _sep, after = asset_url(_PLACEHOLDER).partition(_PLACEHOLDER)
    return lambda tag: f"{before}{tag}{after}"


# Where a line may break: between CJK characters, at spaces, never inside a Latin word or number
# (ESP32-S3, 3D), never before closing punctuation nor after opening punctuation.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_/+×*]*|\s+|.", re.S)
_NO_LINE_START = set("）)]】」』》〉，。、；：！？,.;:!?%…·")
_NO_LINE_END = set("（([【「『《〈")


def _tokens(text):
    tokens = []
    for token in _TOKEN.findall(text):
        if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in _NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text, font, size, width):
    """Break `text` into lines no wider than `width` at `size` (a token wider than a line is broken
    between its characters). Nothing is dropped: the lines joined give the text back, less the spaces
    at the breaks."""
    lines, line = [], ""
    for token in _tokens(" ".join(text.split())):
        if stringWidth(line + token, font, size) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token.isspace() else token
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines


def fit_name(text, font, width, height, *, size=NAME_SIZE, min_size=NAME_MIN_SIZE, max_lines=NAME_LINES):
    """The largest size at which `text` fits `width` in at most `max_lines` lines (steps of 0.5 pt
    down to `min_size`); a name too long even then keeps shrinking, on more lines, until it fits
    `height`. Returns (size, lines)."""
    while size >= min_size:
        lines = wrap(text, font, size, width)
        if len(lines) <= max_lines:
            return size, lines
        size -= 0.5
    size = min_size
    while True:
        lines = wrap(text, font, size, width)
        if len(lines) * size * LEADING <= height or size <= 1:
            return size, lines
        size -= 0.25


def label_layout(asset, font):
    """What a label shows, line by line: (font, size, text, baseline from the label's bottom)."""
    school_line = asset.room.school.name
    notice = "扫码查看器材信息与安全须知"
    rest = [(TAG_FONT, TAG_SIZE, asset.tag)]
    smalls = [school_line, notice]
    below = lambda count: TAG_SIZE * LEADING + count * SMALL_SIZE * LEADING  # noqa: E731
    room_for_name = TEXT_TOP - TEXT_BOTTOM - below(len(smalls))
    size, name_lines = fit_name(asset.tool_type.name, font, TEXT_W, room_for_name)
    if len(name_lines) * size * LEADING > room_for_name:
        smalls = smalls[:1]  # a very long name: the notice gives it its line
        size, name_lines = fit_name(asset.tool_type.name, font, TEXT_W, TEXT_TOP - TEXT_BOTTOM - below(1))
    lines = [(font, size, line) for line in name_lines]
    lines += rest
    for text in smalls:
        small = SMALL_SIZE
        while stringWidth(text, font, small) > TEXT_W and small > 3:
            small -= 0.25  # a long school name shrinks too
        lines.append((font, small, text))
    placed, top = [], TEXT_TOP
    for line_font, line_size, text in lines:
        baseline = top - line_size * 0.88  # the font's ascent
        placed.append((line_font, line_size, text, baseline))
        top -= line_size * LEADING
    return placed


def labels_pdf(assets, title="资产标签", progress=None):
    # Binary page streams: reportlab's ASCII85 armour (pure Python here) cost a fifth of the time.
    use_a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        return _labels_pdf(assets, title, progress)
    finally:
        rl_config.useA85 = use_a85


def _labels_pdf(assets, title, progress):
    font = cjk_font()
    if progress is not None:
        progress(0, len(assets))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    per_page = COLUMNS * ROWS
    url = asset_url_maker()
    for index, asset in enumerate(assets):
        if index and index % per_page == 0:
            pdf.showPage()
        slot = index % per_page
        x = MARGIN_X + (slot % COLUMNS) * LABEL_W
        y = A4[1] - MARGIN_Y - (slot // COLUMNS + 1) * LABEL_H
        draw_qr(pdf, qr_matrix(url(asset.tag)), x + PAD, y + PAD, QR_SIZE)
        for line_font, size, text, baseline in label_layout(asset, font):
            pdf.setFont(line_font, size)
            pdf.drawString(x + TEXT_X, y + baseline, text)
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
    for a few sheets, else a job whose page shows the progress and offers the PDF. Either way the
    assets are marked printed (尚未打印 then leaves them out)."""
    from .services.assets import mark_labels_printed

    assets = assets.select_related("tool_type", "room__school").order_by("tag")[:MAX_LABELS]
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
    mark_labels_printed(ids)
    return response


@jobs.runner
def label_sheet_job(job, progress):
    """The label sheet as a job. The assets were chosen and scoped to the owner by the view; the
    owner must still be allowed to see assets when the job runs."""
    from .models import Asset
    from .services.assets import mark_labels_printed

    if not (job.owner.is_active and job.owner.has_perm("kits.view_asset")):
        raise jobs.JobFailed(_("You may no longer print asset labels."))
    assets = list(
        Asset.objects.filter(pk__in=job.params["asset_ids"])
        .select_related("tool_type", "room__school")
        .order_by("tag")
    )
    pdf = labels_pdf(assets, progress=progress)
    mark_labels_printed([asset.pk for asset in assets])
    return jobs.Result("asset-labels.pdf", pdf)
