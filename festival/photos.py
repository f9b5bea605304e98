"""Photo upload safety: only real JPEG/PNG/WebP images within size and pixel limits; truncated
files and decompression bombs are refused; every accepted photo is re-encoded, which drops EXIF
(GPS position, device) and anything else hidden in the file."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 24_000_000  # e.g. 6000 × 4000, a large phone photo
MAX_SIDE = 2400  # stored photos are scaled down to this
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def clean_photo(upload):
    """Check an uploaded file and return a re-encoded copy (a SimpleUploadedFile), or raise
    ValidationError with a message a student understands."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            # Pillow warns above MAX_IMAGE_PIXELS and raises at twice that; we want an error either way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("%(format)s files are not accepted; use JPEG, PNG or WebP.") % {"format": fmt}
                    )
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        _("The photo has %(w)s × %(h)s pixels; the limit is %(limit)s million pixels.")
                        % {"w": width, "h": height, "limit": MAX_PIXELS // 1_000_000}
                    )
                probe.verify()  # structure and checksums, without decoding all the pixels
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated file fails here
                image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag gave
                out = _reencode(image, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The image is far too large when unpacked and was refused.")) from exc
    except Image.UnidentifiedImageError as exc:
        raise ValidationError(_("This file is not an image we can read; use JPEG, PNG or WebP.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The image file is damaged or incomplete; please upload it again.")) from exc
    ext = ALLOWED_FORMATS[fmt]
    return SimpleUploadedFile(f"photo.{ext}", out, content_type=f"image/{'jpeg' if ext == 'jpg' else ext}")


def _reencode(image, fmt):
    """Save only the pixels: no EXIF, XMP, ICC or text chunks survive."""
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(buffer, "PNG", optimize=True)
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(buffer, "WEBP", quality=85)
    return buffer.getvalue()
