"""The local firmware store: MicroPython base images, validated once and pinned by SHA-256.

A lab downloads a merged MicroPython image (bootloader, partition table and app in one file) from
micropython.org once and adds it here; flashing never needs the internet. Every image is checked
before it is stored, and again before any board is touched: the bootloader and the app with
esptool's own image reader (checksum, SHA-256 digest), the partition table at 0x8000 (its MD5 row;
see partitions.py), the app where the table says the bootloader starts it, and a place for the
lesson filesystem that no app partition and no byte of the image itself is in. The layout is
recorded with the image. An app that does not call itself MicroPython (its app descriptor) is
stored with a warning: lessons may not run on it.
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
from .partitions import (
    TABLE_OFFSET,
    TABLE_SIZE,
    FsLayout,
    PartitionError,
    boot_app,
    filesystem_layout,
    parse_table,
)

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
    project: str = ""  # the app descriptor's project name: "micropython"
    # The lesson filesystem by the image's partition table (partitions.FsLayout).
    fs_offset: int = 0x200000
    fs_size: int | None = 0x200000  # None: to the end of each board's flash
    fs_block_size: int = 4096
    fs_label: str = "vfs"
    warnings: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "warnings", tuple(self.warnings))  # index.json gives a list

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def layout(self) -> FsLayout:
        return FsLayout(self.fs_offset, self.fs_size, self.fs_block_size, self.fs_label)


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
    # Only ESP32-family chips have an image chip id (_chip_for_id), so only their images get here.
    assert isinstance(image, ESP32FirmwareImage)
    if image.append_digest and image.stored_digest != image.calc_digest:
        raise ImageError(_("%(what)s: SHA-256 digest mismatch (file is corrupt)") % {"what": what})
    return image


def _app_description(app) -> tuple[str, str]:
    """(project name, version) from the app descriptor, or ("", "") if the app has none."""
    first = app.segments[0].data if app.segments else b""
    if len(first) >= 80 and struct.unpack_from("<I", first, 0)[0] == APP_DESC_MAGIC:
        version, project = (first[at : at + 32].split(b"\0", 1)[0] for at in (16, 48))
        return project.decode("ascii", "replace"), version.decode("ascii", "replace")
    return "", ""


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
    table = data[TABLE_OFFSET - offset : TABLE_OFFSET - offset + TABLE_SIZE]
    if len(table) < TABLE_SIZE or table[:2] == b"\xff\xff":
        raise ImageError(
            _("%(name)s: no partition table at 0x%(offset)x (not a merged MicroPython image)")
            % {"name": name, "offset": TABLE_OFFSET}
        )
    try:
        partitions = parse_table(table)
        app_partition = boot_app(partitions)
        layout = filesystem_layout(partitions)
    except PartitionError as exc:
        raise ImageError(f"{name}: {exc}") from exc
    app_at = app_partition.offset - offset
    if len(data) <= app_at or data[app_at] != 0xE9:
        raise ImageError(
            _("%(name)s: no application at 0x%(offset)x (not a merged MicroPython image)")
            % {"name": name, "offset": app_partition.offset}
        )
    app = _load(chip, data[app_at:], _("%(name)s (app)") % {"name": name})
    if offset + len(data) > layout.offset:
        raise ImageError(
            _("%(name)s: %(size)s bytes would overwrite the filesystem at 0x%(offset)x")
            % {"name": name, "size": len(data), "offset": layout.offset}
        )
    project, version = _app_description(app)
    warnings = []
    if project != "micropython":
        warnings.append(
            _("%(name)s: the app is “%(project)s”, not MicroPython; lessons may not run on it")
            % {"name": name, "project": project or "?"}
        )
    return BaseImage(
        name=name,
        chip=chip,
        version=version or "unknown",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        offset=offset,
        project=project,
        fs_offset=layout.offset,
        fs_size=layout.size,
        fs_block_size=layout.block_size,
        fs_label=layout.label,
        warnings=tuple(warnings),
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
        return self.checked(image)[0]

    def checked(self, image: BaseImage) -> tuple[bytes, BaseImage]:
        """The image's bytes and what checking them again says (the layout is read afresh, so an
        index written by an older version cannot put the filesystem in the wrong place)."""
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
        fresh = inspect_image(data, image.name, expect_chip=image.chip)
        return data, BaseImage(**{**asdict(fresh), "added": image.added})

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
