import hashlib
import json

import pytest
from littlefs import LittleFS
from makerroom_flash import i18n
from makerroom_flash.fsimage import (
    FLASH_SIZES,
    LessonTooLarge,
    build_image,
    build_lesson_image,
    read_image,
    vfs_size,
)
from makerroom_flash.library import BUNDLED
from makerroom_flash.store import FirmwareStore, ImageError, inspect_image

from .esp_images import merged_image


@pytest.fixture(autouse=True)
def english():
    """The reasons are asserted in English here; test_reasons_are_chinese_by_default checks the catalogue."""
    with i18n.override("en"):
        yield


def test_add_records_chip_version_and_pins_the_sha256(tmp_path, base_file):
    store = FirmwareStore(tmp_path / "s")
    image = store.add(base_file)
    assert (image.chip, image.version, image.offset) == ("esp32", "v1.24.1", 0x1000)
    assert image.sha256 == hashlib.sha256(base_file.read_bytes()).hexdigest()
    assert store.list() == [image] and store.get("esp32") == image and store.get(base_file.name) == image
    assert store.verify() == [(image, None)]
    # The store keeps its own copy: the downloaded file may be deleted.
    base_file.unlink()
    assert store.load(image)[:1] == b"\xe9"


@pytest.mark.parametrize("chip, offset", [("esp32s3", 0), ("esp32c3", 0)])
def test_newer_chips_are_written_at_zero(tmp_path, chip, offset):
    path = tmp_path / f"{chip}.bin"
    path.write_bytes(merged_image(chip, "v1.25.0"))
    image = FirmwareStore(tmp_path / "s").add(path)
    assert (image.chip, image.offset, image.version) == (chip, offset, "v1.25.0")


def _corrupt(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x01
    return bytes(out)


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda d: b"\x00" + d[1:], "bad magic byte"),
        (lambda d: _corrupt(d, 0xF000 + 600), "app): checksum mismatch"),
        (lambda d: _corrupt(d, len(d) - 3), "app): SHA-256 digest mismatch"),
        (lambda d: d[:0x8000], "no application at 0x10000"),
        (lambda d: d + b"\xff" * 0x200000, "would overwrite the filesystem"),
        (lambda d: b"hello", "bad magic byte"),
    ],
)
def test_bad_images_are_refused_with_a_reason(tmp_path, base_file, mutate, reason):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(mutate(base_file.read_bytes()))
    store = FirmwareStore(tmp_path / "s")
    with pytest.raises(ImageError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        store.add(bad)
    assert store.list() == []


def test_wrong_chip_for_what_was_asked():
    with pytest.raises(ImageError, match="built for ESP32-S3, not ESP32"):
        inspect_image(merged_image("esp32s3"), "s3.bin", expect_chip="esp32")


def test_verify_finds_a_file_changed_after_it_was_added(store):
    image = store.list()[0]
    path = store.path_of(image)
    path.write_bytes(_corrupt(path.read_bytes(), 100))
    [(_, problem)] = store.verify()
    assert "SHA-256 changed since it was added" in problem
    with pytest.raises(ImageError):
        store.load(image)


def test_lesson_image_uses_micropython_littlefs_settings_and_is_reproducible():
    lesson = BUNDLED.load("oled")
    a = build_lesson_image(lesson, "SZ-0012-K07", "2026-09-01T08:00:00Z")
    b = build_lesson_image(lesson, "SZ-0012-K07", "2026-09-01T08:00:00Z")
    assert a.data == b.data and a.offset == 0x200000 and len(a.data) == 0x200000
    assert build_lesson_image(lesson, "SZ-0012-K08", "2026-09-01T08:00:00Z").data != a.data
    fs = LittleFS(block_size=4096, block_count=512, mount=False)
    fs.context.buffer[:] = a.data
    fs.mount()
    stat = fs.fs_stat()
    assert (stat.disk_version, stat.block_size, stat.name_max) == (0x00020000, 4096, 255)
    files = read_image(a.data)
    assert files["main.py"] == lesson.files["main.py"].encode()
    assert files["lib/ssd1306.py"] == lesson.files["lib/ssd1306.py"].encode()
    assert json.loads(files["lesson.json"]) == {
        "lesson": "oled",
        "version": "1.0.0",
        "board": "SZ-0012-K07",
        "built": "2026-09-01T08:00:00Z",
    }


@pytest.mark.parametrize("size, vfs", [("4MB", 0x200000), ("8MB", 0x600000), ("16MB", 0xE00000)])
def test_filesystem_runs_to_the_end_of_flash(size, vfs):
    assert vfs_size(FLASH_SIZES[size]) == vfs
    assert len(build_image({"main.py": b"print(1)\n"}, FLASH_SIZES[size]).data) == vfs


def test_a_lesson_too_large_for_the_filesystem():
    with pytest.raises(LessonTooLarge, match="do not fit the 2048 KB filesystem"):
        build_image({"main.py": b"#" * (3 << 20)}, FLASH_SIZES["4MB"], "huge")
    # The same files fit on a 16 MB board.
    assert build_image({"main.py": b"#" * (3 << 20)}, FLASH_SIZES["16MB"], "huge")


def test_reasons_are_chinese_by_default(tmp_path):
    with i18n.override(None):
        with pytest.raises(ImageError, match="不是 ESP 固件文件"):
            inspect_image(b"\x00" * 128, "bad.bin")
        with pytest.raises(ImageError, match="这是给 ESP32-S3 的固件，不是给 ESP32 的"):
            inspect_image(merged_image("esp32s3", "v1.24.1"), "s3.bin", expect_chip="esp32")
