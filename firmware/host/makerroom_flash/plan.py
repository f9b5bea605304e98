"""What is written on one board and what came of it: the data the planner, the flasher, the sync,
the parallel runner and the recorders pass between them (no behaviour beyond building them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Region:
    offset: int
    data: bytes
    what: str  # "base" or "lesson"


@dataclass
class Plan:
    """What to write on one board."""

    chip: str
    regions: list[Region]
    lesson: str
    lesson_version: str
    base_label: str = ""
    base_sha256: str = ""
    verify: bool = True
    erase: str = ""  # "all": the whole flash before writing; "fs": the filesystem region first
    # Lesson-only sync (makerroom_flash.sync): the lesson's files, copied with mpremote instead of esptool.
    files: dict[str, bytes] | None = None
    keep: tuple[str, ...] = ()  # a sync leaves these paths (the lesson's `keep`), removes all else
    # The lesson filesystem when its size depends on the board's flash (v1.26+ layouts): given the
    # flash size esptool reads from the board, the region to add to `regions` (it may raise a
    # ValueError saying why that board cannot have one). None when `regions` hold it already.
    lesson_region: Callable[[int], Region] | None = None
    # What the probe read from the board (makerroom_flash.boards), and why the board is not to be
    # written at all (it did not answer the probe, its flash is too small…): then `fail` is its result.
    mac: str = ""
    chip_type: str = ""
    fail: str = ""


class NotRecorded(Exception):
    """A recorder could not store a board's outcome against its kit (the message says why)."""


@dataclass
class BoardResult:
    port: str
    ok: bool
    message: str
    seconds: float
    lesson: str
    lesson_version: str
    base_firmware: str = ""
    base_sha256: str = ""
    mac: str = ""
    chip: str = ""
    kit: str = ""
    bytes_sent: int = 0
    bytes_total: int = 0
    recorded: str = ""  # outcome of recording against the kit, if any
    record_ok: bool | None = None  # None: nothing records this run; False counts as a failure
    files_sent: list[str] = field(default_factory=list)  # a sync copies only the changed files
    files_removed: list[str] = field(default_factory=list)  # a sync removes what is not the lesson's
    retried_baud: int = 0  # the lower baud the write was retried at after a serial error, if it was

    @classmethod
    def starting(cls, plan: Plan, port: str, kit: str, bytes_total: int) -> BoardResult:
        """The result of a board that has not finished yet (failed until it succeeds)."""
        return cls(
            port=port,
            ok=False,
            message="",
            seconds=0.0,
            lesson=plan.lesson,
            lesson_version=plan.lesson_version,
            base_firmware=plan.base_label,
            base_sha256=plan.base_sha256,
            kit=kit,
            bytes_total=bytes_total,
            mac=plan.mac,
            chip=plan.chip_type,
        )

    @property
    def failed(self) -> bool:
        """The board is not done: its flash failed, or it could not be recorded against its kit."""
        return not self.ok or self.record_ok is False

    def as_dict(self) -> dict:
        return asdict(self)
