"""Base images for tests and benchmarks, made with esptool's own image classes: a bootloader and
an app (with an esp_app_desc_t naming its version, and the appended SHA-256) merged the way
micropython.org ships them."""

import hashlib
import struct

from esptool.bin_image import (
    ELFSection,
    ESP32C3FirmwareImage,
    ESP32FirmwareImage,
    ESP32S2FirmwareImage,
    ESP32S3FirmwareImage,
)
from esptool.targets import CHIP_DEFS
from makerroom_flash.store import APP_DESC_MAGIC, APP_OFFSET

IMAGE_CLASSES = {
    "esp32": ESP32FirmwareImage,
    "esp32s2": ESP32S2FirmwareImage,
    "esp32s3": ESP32S3FirmwareImage,
    "esp32c3": ESP32C3FirmwareImage,
}
# A RAM address each chip's ROM loads bootloader code into.
IRAM = {"esp32": 0x40080400, "esp32s2": 0x4002_2000, "esp32s3": 0x403C_8700, "esp32c3": 0x403C_E000}


def _image(chip: str, segments: list[tuple[str, int, bytes]], entry: int) -> bytes:
    image = IMAGE_CLASSES[chip]()
    image.entrypoint = entry
    image.segments = [ELFSection(name.encode(), addr, data, flags=0) for name, addr, data in segments]
    image.append_digest = True
    return image.save(None)


def app_desc(version: str, project: str = "micropython") -> bytes:
    return struct.pack(
        "<II2I32s32s16s16s32s32s80x",
        APP_DESC_MAGIC,
        0,
        0,
        0,
        version.encode(),
        project.encode(),
        b"00:00:00",
        b"Jan  1 2026",
        b"v5.2.2",
        bytes(32),
    )


def merged_image(chip: str = "esp32", version: str = "v1.24.1", app_kb: int = 160) -> bytes:
    """A merged bootloader + app image, written at the chip's bootloader offset."""
    rom = CHIP_DEFS[chip]
    pattern = bytes((i * 37 + 11) % 251 for i in range(1024))
    bootloader = _image(chip, [(".iram_loader.text", IRAM[chip], pattern * 8)], IRAM[chip])
    drom = app_desc(version) + pattern * 4
    # Code does not compress much; a hash chain gives bytes that behave the same, reproducibly.
    irom = b"".join(hashlib.sha256(i.to_bytes(4, "little")).digest() for i in range(app_kb * 32))
    app = _image(
        chip,
        [
            (".flash.appdesc", rom.DROM_MAP_START + 0x20, drom),
            (".flash.text", rom.IROM_MAP_START + 0x20, irom),
        ],
        rom.IROM_MAP_START + 0x20,
    )
    offset = rom.BOOTLOADER_FLASH_OFFSET
    merged = bytearray(b"\xff" * (APP_OFFSET - offset))
    merged[: len(bootloader)] = bootloader
    return bytes(merged) + app
