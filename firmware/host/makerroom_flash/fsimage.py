"""The lesson filesystem image: LittleFS v2 with MicroPython's own settings, sized and placed by the
base image's layout (partitions.FsLayout) and the board's flash size. Same inputs, same bytes.

The block count must be exactly the one MicroPython computes from its partition (or, for v1.26+
layouts, from the physical flash): LittleFS keeps it in its superblock, and a filesystem built for
another count does not mount (OSError 22; the board then says the filesystem is corrupted).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from littlefs import LittleFS, LittleFSError

from .i18n import _
from .library import Lesson
from .partitions import DEFAULT_LAYOUT, FsLayout

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


def vfs_size(flash_size: int, layout: FsLayout = DEFAULT_LAYOUT) -> int:
    """The filesystem's size on a board with flash_size bytes (by default: 0x200000 to the end)."""
    return layout.size_on(flash_size)


def _littlefs(block_count: int, mount: bool = True, block_size: int = BLOCK_SIZE) -> LittleFS:
    return LittleFS(
        mount=mount,
        block_size=block_size,
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


def _write(fs: LittleFS, files: dict[str, bytes]) -> None:
    for path in sorted(files):  # a fixed order of operations gives the same bytes every time
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if not fs_exists(fs, folder):
                fs.mkdir(folder)
        with fs.open(path, "wb") as f:
            f.write(files[path])


def _too_large(name: str, files: dict[str, bytes], size: int) -> LessonTooLarge:
    total = sum(len(b) for b in files.values())
    return LessonTooLarge(
        _("%(name)s: %(total)s bytes of files do not fit the %(kb)s KB filesystem")
        % {"name": name, "total": total, "kb": size // 1024}
    )


def build_image(
    files: dict[str, bytes],
    flash_size: int = FLASH_SIZES["4MB"],
    name: str = "lesson",
    layout: FsLayout = DEFAULT_LAYOUT,
) -> LessonImage:
    size = layout.size_on(flash_size)
    fs = _littlefs(size // layout.block_size, block_size=layout.block_size)
    try:
        _write(fs, files)
    except LittleFSError as exc:
        if exc.code == LittleFSError.Error.LFS_ERR_NOSPC:
            raise _too_large(name, files, size) from exc
        raise
    return LessonImage(bytes(fs.context.buffer), layout.offset, dict(files))


class LessonImages:
    """One lesson's filesystem for each board: the lesson's files are laid out once per filesystem
    size (boards of one flash size share it), then each board's copy gets its own lesson.json.
    Safe to use from the flashing threads."""

    def __init__(self, lesson: Lesson, layout: FsLayout, build_time: str):
        self.lesson, self.layout, self.build_time = lesson, layout, build_time
        self._by_size: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def _template(self, size: int, board_files: dict[str, bytes]) -> bytes:
        """The lesson's files laid out on a filesystem of `size` bytes (board_files: what a board
        gets, for the message when they do not fit)."""
        with self._lock:
            if size not in self._by_size:
                files = {path: text.encode() for path, text in self.lesson.files.items()}
                fs = _littlefs(size // self.layout.block_size, block_size=self.layout.block_size)
                try:
                    _write(fs, files)
                except LittleFSError as exc:
                    if exc.code == LittleFSError.Error.LFS_ERR_NOSPC:
                        raise _too_large(self.lesson.slug, board_files, size) from exc
                    raise
                self._by_size[size] = bytes(fs.context.buffer)
            return self._by_size[size]

    def for_board(self, board_id: str, flash_size: int) -> LessonImage:
        """The image for one board; FlashTooSmall or LessonTooLarge if it cannot have one."""
        size = self.layout.size_on(flash_size)
        files = lesson_files(self.lesson, board_id, self.build_time)
        fs = _littlefs(size // self.layout.block_size, mount=False, block_size=self.layout.block_size)
        fs.context.buffer[:] = self._template(size, files)
        fs.mount()
        try:
            _write(fs, {"lesson.json": files["lesson.json"]})
        except LittleFSError as exc:
            if exc.code == LittleFSError.Error.LFS_ERR_NOSPC:
                raise _too_large(self.lesson.slug, files, size) from exc
            raise
        fs.unmount()
        return LessonImage(bytes(fs.context.buffer), self.layout.offset, files)


def build_lesson_image(
    lesson: Lesson,
    board_id: str,
    build_time: str,
    flash_size: int = FLASH_SIZES["4MB"],
    layout: FsLayout = DEFAULT_LAYOUT,
) -> LessonImage:
    """The image the flasher writes on that board (the same code path, so the same bytes)."""
    return LessonImages(lesson, layout, build_time).for_board(board_id, flash_size)


def fs_exists(fs: LittleFS, path: str) -> bool:
    try:
        fs.stat(path)
        return True
    except LittleFSError:
        return False


def read_image(data: bytes, block_size: int = BLOCK_SIZE) -> dict[str, bytes]:
    """Mount an image read back from a board and return every file in it. The block count is the
    data's length in blocks, so this fails like MicroPython would on an image built for another."""
    fs = _littlefs(len(data) // block_size, mount=False, block_size=block_size)
    fs.context.buffer[:] = data
    fs.mount()
    out = {}
    for root, _dirs, names in fs.walk("/"):
        for n in names:
            path = f"{root.rstrip('/')}/{n}".lstrip("/")
            with fs.open(path, "rb") as f:
                out[path] = f.read()
    return out
