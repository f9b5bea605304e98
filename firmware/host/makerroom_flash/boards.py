"""The boards on the hub before anything is written: their natural port order, what each one is
(MAC, chip, flash size, read with esptool flash-id) and which kit each belongs to.

Rules (docs/firmware.md, "Boards and kits"):
- Ports are taken in natural order: ttyUSB2 before ttyUSB10, COM3 before COM12.
- A board whose MAC a kit already holds (stored when it was last flashed) is that kit's board,
  whatever port it is on.
- The --kit list goes, in port order, to the boards whose MAC no kit holds (a board that could not
  be read takes its place in the order too, so the retry command can give it the same kit).
- Every kit code is checked (exists, same school, not retired) before any board is touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from esptool.targets import CHIP_DEFS

from .i18n import _
from .partitions import FsLayout


def natural_key(port: str) -> list:
    """ttyUSB2 < ttyUSB10: digit runs compare as numbers."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", port)]


def natural_order(ports: list[str]) -> list[str]:
    return sorted(ports, key=natural_key)


def normal_mac(mac: str) -> str:
    """One spelling of a MAC for comparing: lower case, colons."""
    digits = re.sub(r"[^0-9a-fA-F]", "", mac or "").lower()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2)) if len(digits) == 12 else ""


def chip_key(chip_type: str) -> str:
    """esptool's target name ("esp32s3") for the chip type it prints ("ESP32-S3 (QFN56)",
    "ESP32-D0WDQ6"): the longest CHIP_NAME the type starts with, followed by no letter or digit."""
    matches = [
        key
        for key, rom in CHIP_DEFS.items()
        if chip_type.startswith(rom.CHIP_NAME) and not chip_type[len(rom.CHIP_NAME) :][:1].isalnum()
    ]
    return max(matches, key=lambda key: len(CHIP_DEFS[key].CHIP_NAME), default="")


@dataclass
class BoardInfo:
    """What esptool read from one board before anything is written (flash-id; for a lesson-only update
    its partition table too). ok False: the board did not answer or cannot be written; message says why."""

    port: str
    ok: bool
    message: str = ""
    mac: str = ""
    chip: str = ""  # as esptool prints it: "ESP32-S3 (QFN56)"
    chip_key: str = ""  # esptool's target: "esp32s3"
    flash_size: int = 0  # 0: not read (a lesson-only board whose table has a fixed vfs)
    seconds: float = 0.0
    # A lesson-only update: where the filesystem is by the partition table read from the board.
    layout: FsLayout | None = None


class KitBook(Protocol):
    """The site's kits as the flasher needs them (the Django app and the REST client provide one)."""

    def check(self, codes: list[str]) -> dict[str, str]:
        """{code: why it cannot be used} for the codes that are unknown, another school's or retired."""
        ...

    def by_mac(self, macs: list[str]) -> dict[str, str]:
        """{normal MAC: kit code} for the MACs the user's kits hold."""
        ...


class KitsRefused(ValueError):
    """The kit codes do not fit the boards (raised before any board is written)."""


def assign_kits(
    ports: list[str], infos: dict[str, BoardInfo], codes: list[str], by_mac: dict[str, str]
) -> dict[str, str]:
    """{port: kit code or ""} by the rules above. ports are in natural order; by_mac is keyed by
    normal MAC. Raises KitsRefused when the list does not match the boards without a known kit."""
    kit_of: dict[str, str] = {}
    for port in ports:
        info = infos.get(port)
        mac = normal_mac(info.mac) if info is not None else ""
        if mac and mac in by_mac:
            kit_of[port] = by_mac[mac]
    matched = set(kit_of.values())
    # A listed kit that one of these boards already belongs to is no new assignment: drop it.
    listed = [code for code in codes if code not in matched]
    unknown = [port for port in ports if port not in kit_of]
    if codes and len(listed) != len(unknown):
        message = _(
            "kit codes for new boards: %(kits)d, boards no kit knows yet: %(boards)d (%(ports)s); "
            "give one kit code per new board, in port order"
        )
        raise KitsRefused(
            message % {"kits": len(listed), "boards": len(unknown), "ports": ", ".join(unknown) or "-"}
        )
    for port, code in zip(unknown, listed or [""] * len(unknown), strict=True):
        kit_of[port] = code
    return kit_of
