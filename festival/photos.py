"""Photo upload safety: only real JPEG/PNG/WebP images (and HEIC, the iPhone format, through
pillow-heif) within size and pixel limits; truncated files and decompression
bombs are refused; every accepted photo is re-encoded, which drops EXIF (GPS position, device)
and anything else hidden in the file. HEIC photos are stored as JPEG, which every browser shows.

What is accepted (formats, bytes, pixels, the stored size) is the festival's rule and lives here;
how a picture loses its metadata is the site's one rule, `makerroom.core.images.strip_metadata`."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from makerroom.core import images
from pillow_heif import register_heif_opener

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 24_000_000  # e.g. 6000 × 4000, a large phone photo
MAX_SIDE = 2400  # stored photos are scaled down to this

# The format Pillow detects -> the format the photo is stored in. Many phones write JPEGs with a
# multi-picture index (depth map, portrait mode) that Pillow reports as MPO: they are JPEGs.
STORED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


register_heif_opener()  # Pillow opens iPhone HEIC photos through pillow-heif

ACCEPTED_FORMATS = "JPEG, PNG, WebP, HEIC"  # for messages and help texts
ACCEPTED_MIME_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif"


def clean_photo(upload):
    """Check an uploaded file and return a re-encoded copy (a SimpleUploadedFile), or raise
    ValidationError with a message a student understands."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024}
        )
    try:
        out, stored = images.strip_metadata(
            upload.read(), formats=STORED_AS, max_pixels=MAX_PIXELS, max_side=MAX_SIDE
        )
    except images.UnsupportedFormat as exc:
        raise ValidationError(
            _("%(format)s files are not accepted; use %(accepted)s.")
            % {"format": exc.format, "accepted": ACCEPTED_FORMATS}
        ) from exc
    except images.TooManyPixels as exc:
        raise ValidationError(
            _("The photo has %(w)s × %(h)s pixels; the limit is %(limit)s million pixels.")
            % {"w": exc.width, "h": exc.height, "limit": MAX_PIXELS // 1_000_000}
        ) from exc
    except images.DecompressionBomb as exc:
        raise ValidationError(_("The image is far too large when unpacked and was refused.")) from exc
    except images.NotAnImage as exc:
        raise ValidationError(
            _("This file is not an image we can read; use %(accepted)s.") % {"accepted": ACCEPTED_FORMATS}
        ) from exc
    except images.UnreadableImage as exc:
        raise ValidationError(_("The image file is damaged or incomplete; please upload it again.")) from exc
    return SimpleUploadedFile(f"photo.{EXTENSIONS[stored]}", out, content_type=CONTENT_TYPES[stored])
