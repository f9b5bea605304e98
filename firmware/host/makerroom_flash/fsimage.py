"""The lesson filesystem image: LittleFS v2 with MicroPython's own settings, written at the `vfs`
partition. Same inputs, same bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass

from littlefs import LittleFS, LittleFSError

from .i18n import _
from .library import Lesson
from .store import VFS_OFFSET

BLOCK_SIZE = 4096
DISK_VERSION = 0x00020000  # LittleFS 2.0 on-disk format: mountable by older MicroPython too
FLASH_SIZES = {"4MB": 4 << 20, "8MB": 8 << 20, "16MB": 16 << 20}


class LessonTooLarge(ValueError):
    pass


@dataclass(frozen=True)
class LessonImage:
    data: bytes
    offset: int
    files: dict[str, bytes]


def vfs_size(flash_size: int) -> int:
    """The vfs partition runs from 0x200000 to the end of flash."""
    if flash_size <= VFS_OFFSET:
        raise ValueError(
            _("flash of %(size)s bytes has no room for a filesystem at 0x%(offset)x")
            % {"size": flash_size, "offset": VFS_OFFSET}
        )
    return flash_size - VFS_OFFSET


def _littlefs(block_count: int, mount: bool = True) -> LittleFS:
    return LittleFS(
        mount=mount,
        block_size=BLOCK_SIZE,
        block_count=block_count,
        read_size=32,
        prog_size=32,
        lookahead_size=32,
        block_cycles=100,
        name_max=255,
        disk_version=DISK_VERSION,
    )


def lesson_files(lesson: Lesson, board_id: str, build_time: str) -> dict[str, bytes]:
    meta = {"lesson": lesson.slug, "version": lesson.version, "board": board_id, "built": build_time}
    files = {path: text.encode() for path, text in lesson.files.items()}
    files["lesson.json"] = (json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n").encode()
    return files


def build_image(
    files: dict[str, bytes], flash_size: int = FLASH_SIZES["4MB"], name: str = "lesson"
) -> LessonImage:
    size = vfs_size(flash_size)
    fs = _littlefs(size // BLOCK_SIZE)
    try:
        for path in sorted(files):  # a fixed order of operations gives the same bytes every time
            parts = path.split("/")
            for i in range(1, len(parts)):
                folder = "/".join(parts[:i])
                if not fs_exists(fs, folder):
                    fs.mkdir(folder)
            with fs.open(path, "wb") as f:
                f.write(files[path])
    except LittleFSError as exc:
        if exc.code == LittleFSError.Error.LFS_ERR_NOSPC:
            total = sum(len(b) for b in files.values())
            raise LessonTooLarge(
                _("%(name)s: %(total)s bytes of files do not fit the %(kb)s KB filesystem")
                % {"name": name, "total": total, "kb": size // 1024}
            ) from exc
        raise
    return LessonImage(bytes(fs.context.buffer), VFS_OFFSET, dict(files))


def build_lesson_image(lesson: Lesson, board_id: str, build_time: str, flash_size: int = FLASH_SIZES["4MB"]):
    return build_image(lesson_files(lesson, board_id, build_time), flash_size, lesson.slug)


def fs_exists(fs: LittleFS, path: str) -> bool:
    try:
        fs.stat(path)
        return True
    except LittleFSError:
        return False


def read_image(data: bytes) -> dict[str, bytes]:
    """Mount an image read back from a board and return every file in it."""
    fs = _littlefs(len(data) // BLOCK_SIZE, mount=False)
    fs.context.buffer[:] = data
    fs.mount()
    out = {}
    for root, _dirs, names in fs.walk("/"):
        for n in names:
            path = f"{root.rstrip('/')}/{n}".lstrip("/")
            with fs.open(path, "rb") as f:
                out[path] = f.read()
    return out
