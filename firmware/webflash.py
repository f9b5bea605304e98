"""What a page needs to flash a board with esptool-js: the manifest for one board (its chip and
detected flash size), naming the base firmware from the site's firmware store and the lesson's
LittleFS image built for that firmware's layout and the board's size, with offsets and digests.

The site's store is the host package's FirmwareStore in settings.MAKERROOM_FIRMWARE_STORE (filled
with `manage.py firmware add FILE`, the same checks as on a lab PC). Lesson images are built by the
host package's image builder, the one the CLI uses, and kept on disk per lesson version, base
image and flash size: a class of 45 boards costs one build, and the bytes are the CLI's bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from esptool.targets import CHIP_DEFS
from makerroom_flash.fsimage import FLASH_SIZES, LessonImages, LessonTooLarge
from makerroom_flash.partitions import FlashTooSmall
from makerroom_flash.store import BaseImage, FirmwareStore, ImageError

from .library import Lesson, UnknownLesson, load_lesson

# What lesson.json says about a board flashed from a page: the board is not known to the page, and
# a fixed build time keeps the image the same bytes for everyone (so it can be cached).
WEB_BOARD = ""
WEB_BUILT = "browser"


class NoManifest(Exception):
    """This board cannot be flashed with this lesson from the page; the message says why."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def store() -> FirmwareStore:
    return FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE)


def chip_key(chip_name: str) -> str | None:
    """esptool's key ("esp32s3") for the name a ROM reports ("ESP32-S3"); None if it is not an
    ESP32 (the lessons are written for the ESP32 family: an ESP8266 is refused, not guessed at)."""
    wanted = chip_name.strip().upper()
    for key, rom in CHIP_DEFS.items():
        if not key.startswith("esp32"):
            continue
        if rom.CHIP_NAME.upper() == wanted or key.upper() == wanted:
            return key
    return None


def base_for(chip_name: str) -> BaseImage:
    key = chip_key(chip_name)
    if key is None:
        raise NoManifest(_("%(chip)s is not an ESP32 chip this site can flash.") % {"chip": chip_name})
    try:
        return store().get(key)
    except ImageError:
        raise NoManifest(
            _(
                "The site has no MicroPython firmware for %(chip)s yet: the site's administrator adds "
                "one with `manage.py firmware add`. Nothing was written to the board."
            )
            % {"chip": CHIP_DEFS[key].CHIP_NAME},
            status=404,
        ) from None


def base_image(sha256: str) -> tuple[BaseImage, bytes]:
    """A stored base image by its SHA-256, re-checked (ImageError if missing or changed)."""
    for image in store().list():
        if image.sha256 == sha256:
            return image, store().load(image)
    raise ImageError(_("no base image %(sha)s in the store") % {"sha": sha256[:12]})


def _cache_dir() -> Path:
    return Path(settings.MAKERROOM_FIRMWARE_STORE) / "lesson-images"


def _image_path(lesson: Lesson, base: BaseImage, flash_size: int) -> Path:
    name = f"{lesson.slug}-{lesson.version}-{base.sha256[:16]}-{flash_size >> 20}MB.bin"
    return _cache_dir() / name


def lesson_image(lesson: Lesson, base: BaseImage, flash_size: int) -> bytes:
    """The lesson's filesystem for this base image's layout on a board of flash_size bytes, built
    once and then read from disk (written atomically, so concurrent requests never see half)."""
    path = _image_path(lesson, base, flash_size)
    if path.exists():
        return path.read_bytes()
    try:
        data = LessonImages(lesson, base.layout, WEB_BUILT).for_board(WEB_BOARD, flash_size).data
    except (FlashTooSmall, LessonTooLarge) as exc:
        raise NoManifest(str(exc)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return data


def _md5_padded(data: bytes) -> str:
    """esptool-js pads every image to 4 bytes with 0xFF before it asks the board for the MD5."""
    return hashlib.md5(data + b"\xff" * (-len(data) % 4)).hexdigest()


@dataclass(frozen=True)
class Part:
    name: str
    url: str
    offset: int
    data: bytes

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "offset": self.offset,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "md5": _md5_padded(self.data),
        }


def flash_size_bytes(flash_size: str) -> int:
    try:
        return FLASH_SIZES[flash_size.strip().upper()]
    except KeyError:
        raise NoManifest(
            _("A board with %(size)s of flash is not supported (4MB, 8MB or 16MB).") % {"size": flash_size}
        ) from None


def manifest(slug: str, chip_name: str, flash_size: str) -> dict:
    """The manifest for one board; NoManifest says why there is none."""
    try:
        lesson = load_lesson(slug)
    except UnknownLesson:
        raise NoManifest(_("There is no lesson %(slug)s.") % {"slug": slug}, status=404) from None
    size = flash_size_bytes(flash_size)
    base = base_for(chip_name)
    try:
        base_data = store().load(base)
    except ImageError as exc:
        raise NoManifest(str(exc), status=500) from None
    fs = lesson_image(lesson, base, size)
    parts = [
        Part(base.label, reverse("firmware:base_image", args=[base.sha256]), base.offset, base_data),
        Part(
            _("lesson %(slug)s") % {"slug": lesson.slug},
            reverse("firmware:lesson_image", args=[lesson.slug, lesson.version, base.sha256, size >> 20]),
            base.layout.offset,
            fs,
        ),
    ]
    return {
        "lesson": lesson.slug,
        "lesson_version": lesson.version,
        "chip": CHIP_DEFS[base.chip].CHIP_NAME,
        "flash_size": f"{size >> 20}MB",
        "base_firmware": base.label,
        "base_sha256": base.sha256,
        "parts": [part.as_dict() for part in parts],
    }
