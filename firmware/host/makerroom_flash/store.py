"""The local firmware store: MicroPython base images, validated once and pinned by SHA-256.

A lab downloads a merged MicroPython image (bootloader, partition table and app in one file) from
micropython.org once and adds it here; flashing never needs the internet. Every image is checked with
esptool's own image reader before it is stored, and again before any board is touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from esptool.bin_image import ESP32FirmwareImage, LoadFirmwareImage
from esptool.targets import CHIP_DEFS

from .i18n import _

# MicroPython ESP32 generic builds: the app at 0x10000 and the `vfs` partition from 0x200000.
APP_OFFSET = 0x10000
VFS_OFFSET = 0x200000
# esp_app_desc_t sits at the start of the app's first (DROM) segment.
APP_DESC_MAGIC = 0xABCD5432


def default_store() -> Path:
    """$MAKERROOM_FIRMWARE_STORE, else a folder in the user's data directory (the store outlives
    any installed version of this package, so it is never inside it)."""
    if env := os.environ.get("MAKERROOM_FIRMWARE_STORE"):
        return Path(env)
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "makerroom" / "firmware-store"


DEFAULT_STORE = default_store()


class ImageError(ValueError):
    """A base image that must not be flashed; the message says why, in one line."""


@dataclass(frozen=True)
class BaseImage:
    name: str
    chip: str  # esptool chip name, e.g. "esp32"
    version: str
    sha256: str
    size: int
    offset: int  # where the merged image is written
    added: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"


def _chip_for_id(chip_id: int) -> str | None:
    for name, rom in CHIP_DEFS.items():
        if getattr(rom, "IMAGE_CHIP_ID", None) == chip_id:
            return name
    return None


def _load(chip: str, data: bytes, what: str):
    try:
        image = LoadFirmwareImage(chip, data)
    except Exception as exc:  # esptool raises FatalError, struct.error, RuntimeError...
        raise ImageError(
            _("%(what)s: not a valid ESP image (%(error)s)") % {"what": what, "error": exc}
        ) from exc
    if image.checksum != image.calculate_checksum():
        raise ImageError(_("%(what)s: checksum mismatch (file is corrupt)") % {"what": what})
    if image.append_digest and image.stored_digest != image.calc_digest:
        raise ImageError(_("%(what)s: SHA-256 digest mismatch (file is corrupt)") % {"what": what})
    return image


def _app_version(app) -> str | None:
    first = app.segments[0].data if app.segments else b""
    if len(first) >= 48 and struct.unpack_from("<I", first, 0)[0] == APP_DESC_MAGIC:
        return first[16:48].split(b"\0", 1)[0].decode("ascii", "replace") or None
    return None


def inspect_image(data: bytes, name: str = "image", expect_chip: str | None = None) -> BaseImage:
    """Validate a merged MicroPython image and describe it; raises ImageError."""
    if len(data) < 64 or data[0] != 0xE9:
        raise ImageError(_("%(name)s: not an ESP firmware image (bad magic byte)") % {"name": name})
    try:
        header = ESP32FirmwareImage(io.BytesIO(data))
    except Exception as exc:
        raise ImageError(
            _("%(what)s: not a valid ESP image (%(error)s)") % {"what": name, "error": exc}
        ) from exc
    chip = _chip_for_id(header.chip_id)
    if chip is None:
        raise ImageError(
            _("%(name)s: unknown chip id %(id)s in image header") % {"name": name, "id": header.chip_id}
        )
    if expect_chip and chip != expect_chip:
        raise ImageError(
            _("%(name)s: built for %(chip)s, not %(expected)s")
            % {"name": name, "chip": CHIP_DEFS[chip].CHIP_NAME, "expected": CHIP_DEFS[expect_chip].CHIP_NAME}
        )
    _load(chip, data, _("%(name)s (bootloader)") % {"name": name})
    offset = CHIP_DEFS[chip].BOOTLOADER_FLASH_OFFSET
    app_at = APP_OFFSET - offset
    if len(data) <= app_at or data[app_at] != 0xE9:
        raise ImageError(
            _("%(name)s: no application at 0x%(offset)x (not a merged MicroPython image)")
            % {"name": name, "offset": APP_OFFSET}
        )
    app = _load(chip, data[app_at:], _("%(name)s (app)") % {"name": name})
    if offset + len(data) > VFS_OFFSET:
        raise ImageError(
            _("%(name)s: %(size)s bytes would overwrite the filesystem at 0x%(offset)x")
            % {"name": name, "size": len(data), "offset": VFS_OFFSET}
        )
    return BaseImage(
        name=name,
        chip=chip,
        version=_app_version(app) or "unknown",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        offset=offset,
    )


class FirmwareStore:
    """Files under root/: <sha256>.bin and index.json listing what they are."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def _index_path(self) -> Path:
        return self.root / "index.json"

    def list(self) -> list[BaseImage]:
        if not self._index_path.exists():
            return []
        return [BaseImage(**entry) for entry in json.loads(self._index_path.read_text())]

    def _save_index(self, images: list[BaseImage]) -> None:
        tmp = self._index_path.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(i) for i in images], indent=2, ensure_ascii=False))
        tmp.replace(self._index_path)

    def add(self, path: Path | str, name: str | None = None) -> BaseImage:
        path = Path(path)
        data = path.read_bytes()
        info = inspect_image(data, name or path.name)
        info = BaseImage(**{**asdict(info), "added": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
        self.root.mkdir(parents=True, exist_ok=True)
        images = [i for i in self.list() if i.name != info.name]
        shutil.copyfile(path, self.path_of(info))
        self._save_index([*images, info])
        return info

    def path_of(self, image: BaseImage) -> Path:
        return self.root / f"{image.sha256}.bin"

    def get(self, name: str) -> BaseImage:
        """By name, or by chip (the newest image for that chip)."""
        images = self.list()
        for image in reversed(images):
            if image.name == name or image.chip == name:
                return image
        known = ", ".join(i.name for i in images) or _("none - add one with `firmware add`")
        raise ImageError(
            _("no base image “%(name)s” in the store (%(known)s)") % {"name": name, "known": known}
        )

    def load(self, image: BaseImage) -> bytes:
        """The image's bytes, re-checked against the pinned SHA-256 and esptool's reader."""
        path = self.path_of(image)
        if not path.exists():
            raise ImageError(
                _("%(name)s: file missing from the store (%(path)s)") % {"name": image.name, "path": path}
            )
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != image.sha256:
            raise ImageError(
                _("%(name)s: SHA-256 changed since it was added (file corrupt)") % {"name": image.name}
            )
        inspect_image(data, image.name, expect_chip=image.chip)
        return data

    def verify(self) -> list[tuple[BaseImage, str | None]]:
        """(image, None if fine else the reason) for every stored image."""
        results = []
        for image in self.list():
            try:
                self.load(image)
                results.append((image, None))
            except ImageError as exc:
                results.append((image, str(exc)))
        return results
