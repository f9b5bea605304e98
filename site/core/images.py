"""Images people upload lose what is hidden in the file: EXIF (the GPS position where a phone photo
was taken, the device, the time), XMP, comments and text chunks. Only the pixels are kept (and the
colour profile, which says how to show them), re-encoded in the same format, turned the way the
EXIF orientation said.

Every upload path of the site uses this: the Wagtail image library (courses.image_forms, both the
single and the multiple uploader, so originals, renditions and the API's originals are clean), the
festival's entry photos (festival.photos, which also scales them down and takes HEIC) and whatever
else stores an uploaded picture. A file that is not a whole image (a truncated JPEG) is refused
here, before anything is stored, instead of failing later when a rendition is made; so is a
decompression bomb (a small file that unpacks to a huge picture), before its pixels are decoded.
"""

import io
import warnings

from PIL import Image, ImageOps, ImageSequence

# The format Pillow detects -> the format the clean copy is written in. Many phones write JPEGs with
# a multi-picture index (MPO): they are JPEGs.
STORED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF", "AVIF": "AVIF"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "AVIF": "avif"}


class UnreadableImage(ValueError):
    """The file is not a whole image in a format we re-encode (damaged, truncated, unknown)."""


class NotAnImage(UnreadableImage):
    """Pillow recognises no image format in the file."""


class UnsupportedFormat(UnreadableImage):
    def __init__(self, fmt):
        super().__init__(fmt)
        self.format = fmt


class TooManyPixels(UnreadableImage):
    """More pixels than the caller's `max_pixels` (checked from the header, nothing decoded)."""

    def __init__(self, width, height):
        super().__init__(f"{width} × {height}")
        self.width, self.height = width, height


class DecompressionBomb(UnreadableImage):
    """Far more pixels than Pillow's own limit: refused before anything is decoded."""


def strip_metadata(
    data: bytes,
    *,
    formats: dict[str, str] | None = None,
    max_pixels: int | None = None,
    max_side: int | None = None,
):
    """Return (clean bytes, format) for the image in `data`; raise UnreadableImage if it is not one.

    `formats` maps the formats the caller takes (as Pillow detects them) to the format each is
    stored in (default: STORED_AS, the image library's); `max_pixels` refuses larger pictures
    (TooManyPixels); `max_side` scales the clean copy down to fit a square of that side."""
    formats = STORED_AS if formats is None else formats
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in formats:
                    raise UnsupportedFormat(fmt)
                width, height = probe.size
                if max_pixels is not None and width * height > max_pixels:
                    raise TooManyPixels(width, height)
                probe.verify()  # structure and checksums
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated file fails here
                return _reencode(image, formats[fmt], max_side), formats[fmt]
    except UnreadableImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DecompressionBomb("decompression bomb") from exc
    except Image.UnidentifiedImageError as exc:
        raise NotAnImage(str(exc)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableImage(str(exc)) from exc


def _reencode(image, fmt, max_side: int | None = None):
    icc = image.info.get("icc_profile")
    buffer = io.BytesIO()
    if fmt == "GIF":
        # Frames and their timing stay; comments and application extensions do not.
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
        if max_side:
            for frame in frames:
                frame.thumbnail((max_side, max_side))
        options = {
            "save_all": len(frames) > 1,
            "append_images": frames[1:],
            "loop": image.info.get("loop", 0),
        }
        if "duration" in image.info:
            options["duration"] = image.info["duration"]
        frames[0].save(buffer, "GIF", **options)
        return buffer.getvalue()
    turned = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag gave
    if max_side:
        turned.thumbnail((max_side, max_side))
    extra = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        turned.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True, **extra)
    else:
        mode = "RGBA" if turned.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        options = {"optimize": True} if fmt == "PNG" else {"quality": 90}
        turned.convert(mode).save(buffer, fmt, **options, **extra)
    return buffer.getvalue()


def clean_name(name, fmt):
    """The upload's name with the extension of the format it is stored in."""
    stem = (name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return f"{stem}.{EXTENSIONS[fmt]}"


# What in a file's header says more than the pixels (PNG text chunks are checked separately).
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "mp"}


def has_metadata(data):
    """Whether the image in `data` carries EXIF, XMP, comments or text chunks (False if unreadable:
    refusing damaged files is strip_metadata's job)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in STORED_AS:
                return False
            if image.format == "MPO":
                return True  # the extra pictures of a multi-picture JPEG are metadata too
            if METADATA_KEYS.intersection(image.info) or len(image.getexif()):
                return True
            return bool(getattr(image, "text", None))
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return False
