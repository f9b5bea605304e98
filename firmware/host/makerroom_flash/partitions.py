"""ESP32 partition tables, and where MicroPython keeps its filesystem by them.

The table is the binary ESP-IDF writes at 0x8000: 32-byte rows (magic 0xAA50, type, subtype, offset,
size, 16-byte label, flags), then an MD5 row (magic 0xEBEB, 14 bytes 0xFF, the MD5 of the rows before
it), then 0xFF. A table without its MD5 row, or whose MD5 does not match, is refused: the bootloader
would refuse it too.

Where the filesystem is (what MicroPython's ``flashbdev`` mounts):
- a data partition labelled ``vfs`` (MicroPython's own tables), blocks of 4096 bytes;
- else one labelled ``ffat`` (TinyUF2 tables), blocks of 512 bytes;
- else, in the v1.26+ tables ("4MiBplus" and friends) that end with the app partition, the flash
  from the end of the app partition to the end of the **physical** flash, so its size depends on
  the board and is only known once esptool has read the board's flash id.
A table with none of these has no place for a filesystem; one whose filesystem overlaps an app
partition (e.g. an OTA table with ``ota_1`` where the filesystem is) would have the lesson written
over the firmware. Both are refused.

The table comes from a base image in the store (store.py) or, for a lesson-only update, from the
board itself (``board_layout``: the bytes esptool read-flash read at 0x8000), so the lesson goes
where the firmware the board runs mounts it, whatever the store holds.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from .i18n import _

TABLE_OFFSET = 0x8000
TABLE_SIZE = 0xC00  # ESP-IDF's maximum: 95 rows, the MD5 row and the end marker
_ROW = struct.Struct("<2sBBII16sI")
_MAGIC = b"\xaa\x50"
_MD5_MAGIC = b"\xeb\xeb"
TYPE_APP, TYPE_DATA = 0x00, 0x01
SUBTYPE_FACTORY, SUBTYPE_OTA_0 = 0x00, 0x10
BLOCK_SIZE = 4096
FFAT_BLOCK_SIZE = 512  # MicroPython mounts an ffat partition with 512-byte blocks
MAX_FLASH = 16 << 20  # esptool's largest flash size for these chips' MicroPython builds


class PartitionError(ValueError):
    """A partition table that must not be flashed; the message says why, in one line."""


@dataclass(frozen=True)
class Partition:
    label: str
    type: int
    subtype: int
    offset: int
    size: int

    @property
    def end(self) -> int:
        return self.offset + self.size

    @property
    def is_app(self) -> bool:
        return self.type == TYPE_APP

    def overlaps(self, start: int, end: int) -> bool:
        return self.offset < end and start < self.end


@dataclass(frozen=True)
class FsLayout:
    """Where the lesson filesystem goes: from offset, `size` bytes or (size None) to the end of the
    board's flash, in blocks of block_size; label says which partition it is ("" when derived)."""

    offset: int
    size: int | None
    block_size: int = BLOCK_SIZE
    label: str = "vfs"

    @property
    def min_flash(self) -> int:
        """The smallest flash chip this layout fits on (flash chips come in powers of two)."""
        end = self.offset + (self.size if self.size is not None else self.block_size)
        return 1 << (end - 1).bit_length()

    def size_on(self, flash_size: int) -> int:
        """The filesystem's size on a board with flash_size bytes of flash; FlashTooSmall if none."""
        end = self.offset + (self.size if self.size is not None else self.block_size)
        if flash_size < end:
            raise FlashTooSmall(flash_size, self.min_flash)
        size = self.size if self.size is not None else flash_size - self.offset
        return size - size % self.block_size


# Before v1.26 every generic ESP32 build had this `vfs`: what is assumed when no table is known
# (a lesson-only update with no base image in the store): 0x200000 to the end of the flash.
DEFAULT_LAYOUT = FsLayout(0x200000, None, BLOCK_SIZE, "")


class FlashTooSmall(ValueError):
    def __init__(self, flash_size: int, needed: int):
        super().__init__(
            _("flash too small: the board has %(board)s, the firmware's layout needs %(needed)s")
            % {"board": mib(flash_size), "needed": mib(needed)}
        )
        self.flash_size, self.needed = flash_size, needed


def mib(size: int) -> str:
    return f"{size / (1 << 20):g} MB" if size >= 1 << 20 else f"{size // 1024} KB"


def parse_table(data: bytes) -> list[Partition]:
    """The partitions of a binary table (the TABLE_SIZE bytes at 0x8000); raises PartitionError."""
    partitions = []
    for at in range(0, TABLE_SIZE, _ROW.size):
        row = data[at : at + _ROW.size]
        if len(row) < _ROW.size:
            raise PartitionError(_("partition table: truncated at byte %(at)s") % {"at": at})
        if row[:2] == _MD5_MAGIC:
            if hashlib.md5(data[:at]).digest() != row[16:32]:
                raise PartitionError(_("partition table: MD5 mismatch (the table is corrupt)"))
            break
        if row == b"\xff" * _ROW.size:
            raise PartitionError(_("partition table: no MD5 row, the table cannot be checked"))
        magic, ptype, subtype, offset, size, label, _flags = _ROW.unpack(row)
        if magic != _MAGIC:
            raise PartitionError(
                _("partition table: row %(row)s is not a partition entry") % {"row": at // _ROW.size}
            )
        name = label.split(b"\0", 1)[0].decode("ascii", "replace")
        partitions.append(Partition(name, ptype, subtype, offset, size))
    else:
        raise PartitionError(_("partition table: no end marker"))
    if not partitions:
        raise PartitionError(_("partition table: no partitions"))
    ordered = sorted(partitions, key=lambda p: p.offset)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.end > after.offset:
            if before.is_app or after.is_app:
                fs, app = (before, after) if after.is_app else (after, before)
                raise PartitionError(
                    _("partition table: %(fs)s at 0x%(offset)x overlaps the app partition %(app)s")
                    % {"fs": fs.label, "offset": fs.offset, "app": app.label}
                )
            raise PartitionError(
                _("partition table: %(a)s and %(b)s overlap") % {"a": before.label, "b": after.label}
            )
    return partitions


def boot_app(partitions: list[Partition]) -> Partition:
    """The app the bootloader starts on a freshly flashed board: factory, else ota_0."""
    apps = [p for p in partitions if p.is_app]
    for subtype in (SUBTYPE_FACTORY, SUBTYPE_OTA_0):
        for p in apps:
            if p.subtype == subtype:
                return p
    raise PartitionError(_("partition table: no app partition"))


def filesystem_layout(partitions: list[Partition]) -> FsLayout:
    """Where MicroPython mounts its filesystem by this table (see the module docstring)."""
    data = {p.label: p for p in partitions if p.type == TYPE_DATA}
    if "vfs" in data or "ffat" in data:
        label = "vfs" if "vfs" in data else "ffat"
        fs = data[label]
        layout = FsLayout(fs.offset, fs.size, BLOCK_SIZE if label == "vfs" else FFAT_BLOCK_SIZE, label)
    else:
        last = max(partitions, key=lambda p: p.end)
        if not last.is_app or last.end >= MAX_FLASH:
            raise PartitionError(
                _(
                    "partition table: no place for a filesystem (no vfs or ffat partition, "
                    "and no free flash after the app partition)"
                )
            )
        offset = -(-last.end // BLOCK_SIZE) * BLOCK_SIZE
        layout = FsLayout(offset, None, BLOCK_SIZE, "")
    for p in partitions:
        end = layout.offset + layout.size if layout.size is not None else MAX_FLASH
        if p.is_app and p.overlaps(layout.offset, end):
            raise PartitionError(
                _("partition table: %(fs)s at 0x%(offset)x overlaps the app partition %(app)s")
                % {"fs": layout.label or "filesystem", "offset": layout.offset, "app": p.label}
            )
    return layout


def board_layout(table: bytes) -> FsLayout:
    """Where the filesystem is on a board, by the TABLE_SIZE bytes read from its flash at 0x8000
    (a lesson-only update). Raises PartitionError saying why the lesson cannot be written there
    (the message ends with what to do: flash the whole firmware)."""
    redo = _("flash the whole firmware first (without --lesson-only)")
    if table[:2] == b"\xff\xff":  # erased flash: never flashed, or erased since
        raise PartitionError(
            _("no partition table on the board at 0x8000 (no MicroPython on it?); %(redo)s") % {"redo": redo}
        )
    try:
        return filesystem_layout(parse_table(table))
    except PartitionError as exc:
        raise PartitionError(_("the board's %(reason)s; %(redo)s") % {"reason": exc, "redo": redo}) from exc
