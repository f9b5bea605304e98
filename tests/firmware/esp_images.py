"""Base images for tests and benchmarks, made with esptool's own image classes: a bootloader, a
binary partition table at 0x8000 (rows, MD5 row, as ESP-IDF writes it) and an app (with an
esp_app_desc_t naming its version, and the appended SHA-256) merged the way micropython.org ships
them. The tables are MicroPython's own layouts, and a few it must refuse."""

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
from makerroom_flash.store import APP_DESC_MAGIC

IMAGE_CLASSES = {
    "esp32": ESP32FirmwareImage,
    "esp32s2": ESP32S2FirmwareImage,
    "esp32s3": ESP32S3FirmwareImage,
    "esp32c3": ESP32C3FirmwareImage,
}
# A RAM address each chip's ROM loads bootloader code into.
IRAM = {"esp32": 0x40080400, "esp32s2": 0x4002_2000, "esp32s3": 0x403C_8700, "esp32c3": 0x403C_E000}


APP, DATA = 0x00, 0x01
FACTORY, OTA_0, OTA_1 = 0x00, 0x10, 0x11
NVS, PHY, OTADATA, FAT = 0x02, 0x01, 0x00, 0x81
_HEAD = [("nvs", DATA, NVS, 0x9000, 0x6000), ("phy_init", DATA, PHY, 0xF000, 0x1000)]
# v1.24 ESP32_GENERIC / ESP32_GENERIC_C3 (partitions-4MiB.csv): a fixed 2 MB vfs.
TABLE_4MIB = [*_HEAD, ("factory", APP, FACTORY, 0x10000, 0x1F0000), ("vfs", DATA, FAT, 0x200000, 0x200000)]
# ESP32_GENERIC_S3 (partitions-8MiB.csv): a larger app and a 5 MB vfs, for 8 MB boards.
TABLE_8MIB = [*_HEAD, ("factory", APP, FACTORY, 0x10000, 0x2F0000), ("vfs", DATA, FAT, 0x300000, 0x500000)]
# v1.26+ (partitions-4MiBplus.csv): no vfs entry; the filesystem runs from the app's end to the end of flash.
TABLE_4MIB_PLUS = [*_HEAD, ("factory", APP, FACTORY, 0x10000, 0x210000)]
# TinyUF2-style: an ffat partition (MicroPython mounts it with 512-byte blocks).
TABLE_FFAT = [*_HEAD, ("factory", APP, FACTORY, 0x10000, 0x1F0000), ("ffat", DATA, FAT, 0x200000, 0x200000)]
# Must be refused: a vfs over the second OTA app, and a table with no room after its last (data) partition.
TABLE_OTA_OVER_VFS = [
    ("nvs", DATA, NVS, 0x9000, 0x4000),
    ("otadata", DATA, OTADATA, 0xD000, 0x2000),
    ("phy_init", DATA, PHY, 0xF000, 0x1000),
    ("ota_0", APP, OTA_0, 0x10000, 0x1F0000),
    ("ota_1", APP, OTA_1, 0x200000, 0x1F0000),
    ("vfs", DATA, FAT, 0x200000, 0x200000),
]
TABLE_NO_FS = [
    *_HEAD,
    ("factory", APP, FACTORY, 0x10000, 0x1F0000),
    ("coredump", DATA, 0x03, 0x200000, 0x10000),
]


def partition_table(rows: list[tuple[str, int, int, int, int]], md5: bool = True) -> bytes:
    """The binary table ESP-IDF's gen_esp32part writes: 32-byte rows, the MD5 row, 0xFF to 0xC00."""
    table = b"".join(
        struct.pack("<2sBBII16sI", b"\xaa\x50", t, sub, offset, size, label.encode(), 0)
        for label, t, sub, offset, size in rows
    )
    if md5:
        table += b"\xeb\xeb" + b"\xff" * 14 + hashlib.md5(table).digest()
    return table + b"\xff" * (0xC00 - len(table))


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


def merged_image(
    chip: str = "esp32",
    version: str = "v1.24.1",
    app_kb: int = 160,
    table: list | None = None,
    project: str = "micropython",
) -> bytes:
    """A merged bootloader + partition table + app image, written at the chip's bootloader offset;
    the app goes where the table's factory (or ota_0) partition is."""
    rows = TABLE_4MIB if table is None else table
    rom = CHIP_DEFS[chip]
    pattern = bytes((i * 37 + 11) % 251 for i in range(1024))
    bootloader = _image(chip, [(".iram_loader.text", IRAM[chip], pattern * 8)], IRAM[chip])
    drom = app_desc(version, project) + pattern * 4
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
    app_offset = next(offset for _l, t, sub, offset, _s in rows if t == APP and sub in (FACTORY, OTA_0))
    offset = rom.BOOTLOADER_FLASH_OFFSET
    merged = bytearray(b"\xff" * (app_offset - offset))
    merged[: len(bootloader)] = bootloader
    merged[0x8000 - offset : 0x8000 - offset + 0xC00] = partition_table(rows)
    return bytes(merged) + app
