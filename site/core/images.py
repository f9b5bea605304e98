"""Images people upload lose what is hidden in the file: EXIF (the GPS position where a phone photo
was taken, the device, the time), XMP, comments and text chunks. Only the pixels are kept (and the
colour profile, which says how to show them), re-encoded in the same format, turned the way the
EXIF orientation said.

Every upload path of the site uses this: the Wagtail image library (courses.image_forms, both the
single and the multiple uploader, so originals, renditions and the API's originals are clean) and
whatever else stores an uploaded picture. A file that is not a whole image (a truncated JPEG) is
refused here, before anything is stored, instead of failing later when a rendition is made.
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


class UnsupportedFormat(UnreadableImage):
    def __init__(self, fmt):
        super().__init__(fmt)
        self.format = fmt


def strip_metadata(data):
    """Return (clean bytes, format) for the image in `data`; raise UnreadableImage if it is not one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in STORED_AS:
                    raise UnsupportedFormat(fmt)
                probe.verify()  # structure and checksums
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated file fails here
                return _reencode(image, STORED_AS[fmt]), STORED_AS[fmt]
    except UnreadableImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableImage("decompression bomb") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableImage(str(exc)) from exc


def _reencode(image, fmt):
    icc = image.info.get("icc_profile")
    buffer = io.BytesIO()
    if fmt == "GIF":
        # Frames and their timing stay; comments and application extensions do not.
        frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
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
