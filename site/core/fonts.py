"""The CJK font for PDFs (certificates, label sheets, credential sheets).

reportlab embeds only TrueType-outline fonts; Noto CJK is CFF, so PDFs use WenQuanYi Micro Hei
(Debian fonts-wqy-microhei, installed by scripts/setup.sh and the Dockerfile). The path comes from
settings.CJK_FONT_PATHS (the first that exists wins).
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_NAME = "MakerRoomCJK"
DEFAULT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def font_paths():
    return [Path(p) for p in getattr(settings, "CJK_FONT_PATHS", DEFAULT_PATHS)]


@cache
def cjk_font():
    """Register the font with reportlab once per process and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in font_paths():
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
            return FONT_NAME
    raise ImproperlyConfigured(
        f"No CJK TrueType font found (looked for {', '.join(map(str, font_paths()))}); "
        "install fonts-wqy-microhei or set CJK_FONT_PATHS."
    )
