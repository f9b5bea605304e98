"""Illustrations for the demo lessons, drawn locally with Pillow (no downloads, no stock photos)."""

import hashlib
import io
from functools import lru_cache

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.images import get_image_model

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SIZE = (1200, 675)


@lru_cache(maxsize=4)
def _font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # a machine without the CJK font still gets a (less pretty) picture
        return ImageFont.load_default(size)


def _board(draw, x, y):
    """An ESP32 dev board seen from above, with its pin headers and on-board LED."""
    draw.rounded_rectangle((x, y, x + 150, y + 300), 10, fill=(30, 41, 59))
    draw.rectangle((x + 35, y + 20, x + 115, y + 90), fill=(148, 163, 184))
    for i in range(15):
        draw.ellipse((x + 8, y + 100 + i * 13, x + 16, y + 108 + i * 13), fill=(234, 179, 8))
        draw.ellipse((x + 134, y + 100 + i * 13, x + 142, y + 108 + i * 13), fill=(234, 179, 8))
    draw.rectangle((x + 55, y + 285, x + 95, y + 300), fill=(203, 213, 225))


def _breadboard(draw, x, y):
    draw.rounded_rectangle(
        (x, y, x + 420, y + 260), 12, fill=(241, 245, 249), outline=(148, 163, 184), width=3
    )
    for row in range(10):
        for col in range(28):
            cx, cy = x + 20 + col * 14, y + 40 + row * 20 + (20 if row >= 5 else 0)
            draw.rectangle((cx, cy, cx + 5, cy + 5), fill=(100, 116, 139))


def _led(draw, x, y, colour):
    draw.ellipse((x, y, x + 46, y + 46), fill=colour, outline=(15, 23, 42), width=3)
    draw.line((x + 14, y + 46, x + 14, y + 100), fill=(100, 116, 139), width=5)
    draw.line((x + 32, y + 46, x + 32, y + 86), fill=(100, 116, 139), width=5)


def _laser(draw, x, y):
    draw.rounded_rectangle((x, y, x + 460, y + 260), 14, fill=(51, 65, 85))
    draw.rectangle((x + 30, y + 30, x + 430, y + 200), fill=(15, 23, 42))
    draw.rectangle((x + 60, y + 150, x + 400, y + 190), fill=(217, 176, 120))
    draw.line((x + 220, y + 40, x + 220, y + 150), fill=(239, 68, 68), width=4)
    draw.rectangle((x + 200, y + 34, x + 240, y + 60), fill=(148, 163, 184))


def _printer(draw, x, y):
    draw.rectangle((x, y, x + 30, y + 300), fill=(71, 85, 105))
    draw.rectangle((x + 330, y, x + 360, y + 300), fill=(71, 85, 105))
    draw.rectangle((x, y, x + 360, y + 24), fill=(71, 85, 105))
    draw.rectangle((x + 140, y + 24, x + 200, y + 80), fill=(148, 163, 184))
    draw.polygon([(x + 160, y + 80), (x + 180, y + 80), (x + 170, y + 100)], fill=(234, 88, 12))
    draw.rectangle((x + 40, y + 260, x + 320, y + 280), fill=(30, 41, 59))
    for i in range(8):
        draw.rectangle(
            (x + 120 + i * 3, y + 250 - i * 18, x + 240 - i * 3, y + 258 - i * 18), fill=(34, 197, 94)
        )


def _sensor(draw, x, y):
    draw.rounded_rectangle((x, y, x + 240, y + 120), 8, fill=(37, 99, 235))
    draw.ellipse((x + 30, y + 20, x + 110, y + 100), fill=(226, 232, 240), outline=(30, 41, 59), width=4)
    draw.ellipse((x + 130, y + 20, x + 210, y + 100), fill=(226, 232, 240), outline=(30, 41, 59), width=4)
    for i in range(4):
        draw.line((x + 60 + i * 40, y + 120, x + 60 + i * 40, y + 160), fill=(234, 179, 8), width=6)


MOTIFS = {"board": _board, "breadboard": _breadboard, "laser": _laser, "printer": _printer, "sensor": _sensor}


def draw_picture(heading, caption, motif, colour):
    image = Image.new("RGB", SIZE, (255, 251, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 110), fill=colour)
    draw.text((48, 22), heading, font=_font(52), fill=(255, 255, 255))
    if motif in ("board", "breadboard"):
        _board(draw, 110, 200)
        _breadboard(draw, 420, 240)
        _led(draw, 560, 150, colour)
        draw.line((185, 320, 520, 300), fill=(220, 38, 38), width=6)
        draw.line((185, 360, 640, 340), fill=(15, 23, 42), width=6)
    else:
        MOTIFS[motif](draw, 360, 200)
    draw.text((48, SIZE[1] - 80), caption, font=_font(34), fill=(51, 65, 85))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def demo_image(title, description, heading, motif, colour):
    """The picture titled `title`, drawn once; later runs find it (and leave it alone)."""
    Image_ = get_image_model()
    existing = Image_.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = draw_picture(heading, description, motif, colour)
    name = hashlib.sha1(title.encode()).hexdigest()[:12] + ".png"
    return Image_.objects.create(
        title=title, description=description, file=ImageFile(io.BytesIO(data), name=name)
    )
