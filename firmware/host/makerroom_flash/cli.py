"""`makerroom-flash` and `python manage.py flash`: flash a lesson onto many ESP32 boards at once.

    makerroom-flash firmware add ESP32_GENERIC-v1.29.0.bin
    makerroom-flash --lesson traffic-light --ports auto --kit SZ-0012-K07
    makerroom-flash --lesson blink --ports /dev/ttyUSB0,/dev/ttyUSB1 --lesson-only
    makerroom-flash --lesson blink --ports /dev/ttyUSB0 --sync
    makerroom-flash --server https://makerroom.example.cn --token wagtail_... --lesson blink --ports auto

Exit codes: 0 every board flashed; 1 some boards failed (listed, with a retry command);
2 refused before any board was touched (bad lesson, base image, ports or options).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from . import i18n
from .boards import BoardInfo, KitBook, KitsRefused, assign_kits, natural_order, normal_mac
from .flasher import chip_name, probe_board
from .fsimage import FLASH_SIZES, LessonImages, LessonTooLarge, lesson_files
from .i18n import _
from .library import BUNDLED, InvalidLesson, LessonLibrary, UnknownLesson, lesson_from_zip
from .parallel import flash_many
from .partitions import DEFAULT_LAYOUT, FlashTooSmall, FsLayout
from .plan import BoardResult, NotRecorded, Plan, Region
from .ports import find_ports
from .store import FirmwareStore, ImageError, default_store

Recorder = Callable[[BoardResult], str]
_RED = {"style": "red", "markup": False}  # messages may hold [brackets] from esptool or a path


class Refused(Exception):
    """Input problems found before touching any board (exit code 2)."""


def add_flash_arguments(p: argparse.ArgumentParser) -> None:
    """The flash options, shared with `manage.py flash`; their help is in the active language."""
    p.add_argument("--lesson", required=True, help=_("lesson slug to flash, e.g. traffic-light"))
    p.add_argument(
        "--ports",
        default="auto",
        help=_("serial ports, comma separated, or auto to find them (default)"),
    )
    p.add_argument(
        "--kit",
        default="",
        help=_("kit codes, comma separated, one per port (e.g. SZ-0012-K07)"),
    )
    p.add_argument(
        "--lesson-only",
        action="store_true",
        help=_("write only the lesson filesystem (the board already has MicroPython)"),
    )
    p.add_argument(
        "--sync",
        action="store_true",
        help=_("copy only the changed lesson files with mpremote (the board already runs MicroPython)"),
    )
    p.add_argument("--base", default="", help=_("base image name or chip (default: the newest)"))
    p.add_argument(
        "--chip",
        default="esp32",
        help=_(
            "chip of the boards (default esp32), or auto: detect each board's chip and use the "
            "store's newest base image for it (a hub of mixed ESP32, S3 and C3 boards)"
        ),
    )
    p.add_argument(
        "--flash-size",
        default="detect",
        choices=["detect", *sorted(FLASH_SIZES)],
        help=_("flash size of the boards: detect (default, esptool reads each board's) or 4MB, 8MB, 16MB"),
    )
    p.add_argument(
        "--erase",
        default="",
        choices=["", "all", "fs"],
        help=_("erase before writing: all (the whole flash) or fs (just the filesystem region)"),
    )
    p.add_argument("--baud", type=int, default=460800, help=_("baud rate (default 460800)"))
    p.add_argument("--no-verify", action="store_true", help=_("skip the verify-flash pass"))
    p.add_argument(
        "--jobs",
        "--parallel",
        dest="parallel",
        type=int,
        default=0,
        help=_("esptool processes at once (default: from the CPU count, at most 16)"),
    )
    p.add_argument("--timeout", type=float, default=300.0, help=_("seconds per board (default 300)"))
    p.add_argument("--build-time", default="", help=_("build time written to lesson.json (default: now)"))
    p.add_argument("--json", action="store_true", help=_("print the results as JSON, for scripts"))
    p.add_argument("--store", default=str(default_store()), help=_("firmware store folder"))
    p.add_argument("--server", default="", help=_("site URL, for remote mode"))
    p.add_argument("--token", default="", help=_("lab staff API token, for remote mode"))


def _lang_parser() -> argparse.ArgumentParser:
    """Only --lang: read before the main parser is built, since its help is translated when built."""
    parser = argparse.ArgumentParser(prog="makerroom-flash", add_help=False)
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=None)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="makerroom-flash",
        description=_("Flash a MicroPython lesson onto many ESP32 boards at once."),
        epilog=_("exit codes: 0 all boards ok · 1 some boards failed · 2 refused, no board touched"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help=_("language of the messages: zh-hans (default) or en; or set MAKERROOM_LANG"),
    )
    sub = parser.add_subparsers(dest="command")
    add_flash_arguments(sub.add_parser("flash", help=_("flash a lesson (the default command)")))
    fw = sub.add_parser("firmware", help=_("manage the base firmware store"))
    fw.add_argument("--store", default=str(default_store()), help=_("firmware store folder"))
    fw_sub = fw.add_subparsers(dest="action", required=True)
    add = fw_sub.add_parser("add", help=_("add a firmware file downloaded from micropython.org"))
    add.add_argument("file", help=_("firmware .bin file"))
    add.add_argument("--name", default="", help=_("name (default: the file name)"))
    fw_sub.add_parser("list", help=_("list the stored images"))
    fw_sub.add_parser("verify", help=_("re-check every stored image"))
    sub.add_parser("ports", help=_("list the serial ports with ESP32 boards"))
    sub.add_parser("lessons", help=_("list the bundled lessons"))
    return parser


def lesson_title(lesson) -> str:
    """The lesson's own title (from lesson.toml) in the active language."""
    return lesson.title_en if i18n.get_language() == "en" else lesson.title_zh


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _base(options) -> tuple[FsLayout, list[Region], str, str, str, str]:
    """(filesystem layout, base image regions, chip, base label, base SHA-256, MicroPython version)
    for the run.

    A full flash writes the store's base image and the filesystem goes where its partition table
    says. A lesson-only update writes no base image and does not take the store's layout: each
    board's filesystem goes where the partition table read from that board says (probe_boards);
    the store's image for that chip (or --base), if there is one, still gives the chip and the
    MicroPython version the lesson is checked against.
    """
    store = FirmwareStore(options.store)
    try:
        base = store.get(options.base or options.chip)
    except ImageError as exc:
        if options.lesson_only:
            return DEFAULT_LAYOUT, [], options.chip, "", "", ""
        raise Refused(str(exc)) from exc
    try:
        data, base = store.checked(base)
    except ImageError as exc:
        raise Refused(str(exc)) from exc
    if options.lesson_only:
        return base.layout, [], base.chip, "", "", base.version
    regions = [Region(base.offset, data, "base")]
    return base.layout, regions, base.chip, base.label, base.sha256, base.version


def _version(text: str) -> tuple[int, ...] | None:
    """(1, 24, 1) from "v1.24.1", "1.24.1" or "v1.26.0-preview"; None when it is no version."""
    match = re.match(r"v?(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    return tuple(int(part or 0) for part in match.groups()) if match else None


def check_micropython_version(lesson, base_label: str, version: str) -> None:
    """A lesson's min_micropython (lesson.toml) is the oldest MicroPython its program runs on: a
    base image older than that is refused before any board. An image whose version cannot be read
    is let through (the store has warned about it)."""
    have, need = _version(version), _version(lesson.min_micropython)
    if have is not None and need is not None and have < need:
        raise Refused(
            _("%(lesson)s needs MicroPython %(need)s or newer; the base image %(base)s is %(version)s")
            % {"lesson": lesson.slug, "need": lesson.min_micropython, "base": base_label, "version": version}
        )


def _lesson_region(images: LessonImages, board_id: str, flash_size: int) -> Region:
    image = images.for_board(board_id, flash_size)
    return Region(image.offset, image.data, "lesson")


def make_plans(
    options, lesson, ports: list[str], kits: list[str], infos: dict[str, BoardInfo] | None = None
) -> list[tuple[str, Plan, str]]:
    """One plan per board; raises Refused before anything is written.

    The filesystem image is built now when its size is known (a `vfs`/`ffat` partition,
    --flash-size, or the flash size the probe read from that board: `infos`), else on each board
    once its flash size is read (Plan.lesson_region); then a lesson must at least fit the smallest
    board that layout runs on (4 MB), so a lesson that fits no board is refused here, before any
    board. A board the probe could not read, or whose flash is too small, gets a plan that fails
    with that message (Plan.fail) and is not written.

    A lesson-only update places each board's filesystem by the partition table the probe read
    from that board (BoardInfo.layout), one image per layout and size: its plans hold the lesson
    only when `infos` are given (run_flash always probes lesson-only boards first).
    """
    infos = infos or {}
    build_time = options.build_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if options.sync:  # mpremote copies the changed files; no image, no base firmware
        jobs = []
        for i, port in enumerate(ports):
            kit = kits[i] if kits else ""
            files = lesson_files(lesson, kit or port, build_time)
            plan = Plan(options.chip, [], lesson.slug, lesson.version, files=files, keep=lesson.keep)
            jobs.append((port, plan, kit))
        return jobs
    layout, base_regions, chip, base_label, base_sha, version = _base(options)
    check_micropython_version(lesson, base_label, version)
    images = LessonImages(lesson, layout, build_time)
    by_layout: dict[FsLayout, LessonImages] = {}  # lesson-only: the boards' own layouts
    forced = FLASH_SIZES.get(options.flash_size)
    known = forced or (layout.min_flash if layout.size is not None else None)
    try:
        if known is None and not options.lesson_only:
            first = (kits[0] if kits else "") or ports[0]
            images.for_board(first, max(FLASH_SIZES["4MB"], layout.min_flash))
        jobs = []
        for i, port in enumerate(ports):
            kit = kits[i] if kits else ""
            plan = Plan(chip, list(base_regions), lesson.slug, lesson.version, base_label, base_sha)
            plan.verify = not options.no_verify
            plan.erase = getattr(options, "erase", "")
            info = infos.get(port)
            if info is not None:
                plan.mac, plan.chip_type = info.mac, info.chip
            if info is not None and not info.ok:
                plan.fail = info.message
            elif options.lesson_only:
                if info is not None and info.layout is not None:
                    board = by_layout.setdefault(info.layout, LessonImages(lesson, info.layout, build_time))
                    size = forced or info.flash_size or info.layout.min_flash
                    try:
                        plan.regions.append(_lesson_region(board, kit or port, size))
                    except (FlashTooSmall, LessonTooLarge) as exc:  # this board cannot have the lesson
                        plan.fail = str(exc)
            elif known is None and info is not None:
                try:
                    plan.regions.append(_lesson_region(images, kit or port, info.flash_size))
                except (FlashTooSmall, LessonTooLarge) as exc:  # this board cannot have the lesson
                    plan.fail = str(exc)
            elif known is None:
                plan.lesson_region = partial(_lesson_region, images, kit or port)
            else:
                plan.regions.append(_lesson_region(images, kit or port, known))
            jobs.append((port, plan, kit))
    except LessonTooLarge as exc:
        raise Refused(_("lesson too large: %(reason)s") % {"reason": exc}) from exc
    except FlashTooSmall as exc:
        raise Refused(str(exc)) from exc
    return jobs


def make_auto_plans(options, lesson, ports: list[str], kits: list[str], infos: dict[str, BoardInfo]):
    """--chip auto: the boards grouped by the chip each one reported, each group planned with the
    store's newest base image for that chip. Refused, before any board is written, when the store
    has none for a chip on the hub. A board the probe could not read fails on its own."""
    kit_of = dict(zip(ports, kits, strict=False)) if kits else {}
    store = FirmwareStore(options.store)
    groups: dict[str, list[str]] = {}
    for port in ports:
        groups.setdefault(infos[port].chip_key if infos[port].ok else "", []).append(port)
    missing = []
    for chip in groups:
        try:
            if chip:
                store.get(chip)
        except ImageError:
            missing.append(
                _("%(chip)s (%(ports)s)") % {"chip": chip_name(chip), "ports": ", ".join(groups[chip])}
            )
    if missing and not options.lesson_only:
        raise Refused(
            _("the store has no base image for %(chips)s; add one with `makerroom-flash firmware add`")
            % {"chips": "; ".join(missing)}
        )
    planned: dict[str, tuple[str, Plan, str]] = {}
    for chip, group in groups.items():
        if not chip:  # unread boards: nothing to plan, they fail with the probe's message
            for port in group:
                plan = Plan("auto", [], lesson.slug, lesson.version, fail=infos[port].message)
                planned[port] = (port, plan, kit_of.get(port, ""))
            continue
        chip_options = argparse.Namespace(**{**vars(options), "chip": chip, "base": ""})
        group_kits = [kit_of.get(port, "") for port in group] if kit_of else []
        for job in make_plans(chip_options, lesson, group, group_kits, infos):
            planned[job[0]] = job
    return [planned[port] for port in ports]


def default_jobs(boards: int) -> int:
    """How many esptool processes run at once when --jobs is not given. Each is a Python process
    that starts on the CPU (about 0.3 s) and then mostly waits on its serial port, so four per core
    keep the CPUs busy without starving them; at most 16, because the USB-serial bridges of one
    hub share one USB 2.0 link and their drivers (CH340 on Windows especially) drop boards when
    many are opened at once; never more than the boards."""
    return max(1, min(boards, 16, 4 * (os.cpu_count() or 1)))


def probe_boards(options, ports: list[str], chip: str) -> dict[str, BoardInfo]:
    """Every board's MAC, chip and flash size, read at once (esptool flash-id; nothing written);
    for a lesson-only update, its partition table first (flasher.probe_board)."""
    lesson_only = bool(options.lesson_only) and not options.sync

    def probe(port: str) -> BoardInfo:
        return probe_board(
            port,
            chip,
            baud=options.baud,
            timeout=options.timeout,
            read_table=lesson_only,
            flash_size=FLASH_SIZES.get(options.flash_size, 0),
        )

    with ThreadPoolExecutor(max_workers=options.parallel or default_jobs(len(ports))) as pool:
        return {info.port: info for info in pool.map(probe, ports)}


def _kits(options, ports: list[str], book: KitBook | None) -> list[str]:
    """The --kit codes, each checked against the site before any board is touched."""
    kits = _split(options.kit)
    if len(set(kits)) != len(kits):
        raise Refused(_("a kit code is listed twice"))
    if book is None:
        if kits and len(kits) != len(ports):
            raise Refused(
                _("kit codes: %(kits)d, ports: %(ports)d; give one kit code per port")
                % {"kits": len(kits), "ports": len(ports)}
            )
        return kits
    problems = book.check(kits) if kits else {}
    if problems:
        raise Refused("; ".join(problems[code] for code in kits if code in problems))
    return kits


def _remote_recorder(remote) -> Recorder:
    """Records each board through the site's API (remote mode); raises NotRecorded."""
    from .remote import RemoteError

    def record(result: BoardResult) -> str:
        try:
            saved = remote.record(result.as_dict())
        except RemoteError as exc:
            raise NotRecorded(str(exc)) from exc
        return _("recorded #%(id)s") % {"id": saved["id"]} if "id" in saved else _("recorded")

    return record


def _refused(options, err: Console, reason: str) -> int:
    err.print(_("refused, no board touched: %(reason)s") % {"reason": reason}, **_RED)
    if options.json:  # scripts always get a document, also when no board was touched
        report = {"ok": False, "refused": reason, "retry": "", "results": []}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 2


# The options a retry must repeat, with their defaults (an option at its default is left out).
_RETRY_OPTIONS = (
    ("store", None),
    ("server", ""),
    ("token", ""),
    ("base", ""),
    ("chip", "esp32"),
    ("flash_size", "detect"),
    ("baud", 460800),
    ("parallel", 0),  # printed as --parallel, which --jobs also answers to
    ("erase", ""),
    ("timeout", 300.0),
)
_RETRY_FLAGS = ("lesson_only", "sync", "no_verify")


def retry_command(options, program: str, lesson_slug: str, failed: list[BoardResult]) -> str:
    """The command that runs the failed boards again with the same options and, for those that had
    one, the same kits (so retried boards are recorded where they belong)."""
    parts = [*shlex.split(program), "--lesson", lesson_slug, "--ports", ",".join(r.port for r in failed)]
    kits = [r.kit for r in failed if r.kit]
    if kits:
        parts += ["--kit", ",".join(kits)]
    defaults = dict(_RETRY_OPTIONS, store=str(default_store()))
    for name, default in _RETRY_OPTIONS:
        value = getattr(options, name, default)
        if value not in (None, "") and value != defaults[name]:
            parts += ["--" + name.replace("_", "-"), str(value)]
    parts += ["--" + flag.replace("_", "-") for flag in _RETRY_FLAGS if getattr(options, flag, False)]
    return shlex.join(parts)


def run_flash(
    options,
    recorder: Recorder | None = None,
    console: Console | None = None,
    library: LessonLibrary = BUNDLED,
    kit_book: KitBook | None = None,
    program: str = "makerroom-flash",
) -> int:
    """Flash options.lesson (from `library`, or from the site with --server) onto the boards.

    With a kit book (manage.py flash, or --server), every --kit code is checked before any board is
    touched, each board's MAC is read first and a board a kit already holds is recorded against that
    kit (makerroom_flash.boards). `program` starts the printed retry command.
    """
    out = console or Console()
    err = Console(stderr=True, soft_wrap=True) if console is None else console
    remote = None
    try:
        if bool(options.server) != bool(options.token):
            raise Refused(_("--server and --token go together"))
        if options.server:
            from .remote import RemoteError, SiteClient

            remote = SiteClient(options.server, options.token)
            try:
                lesson = lesson_from_zip(remote.lesson_bundle(options.lesson))
            except RemoteError as exc:
                raise Refused(str(exc)) from exc
            kit_book = kit_book or remote
        else:
            lesson = library.load(options.lesson)
        ports = find_ports() if options.ports == "auto" else _split(options.ports)
        if not ports:
            raise Refused(_("no boards found (check the USB cables and drivers)"))
        if len(set(ports)) != len(ports):
            raise Refused(_("a port is listed twice"))
        ports = natural_order(ports)
        try:
            kits = _kits(options, ports, kit_book)
        except RuntimeError as exc:  # the site could not be asked (remote mode: RemoteError)
            raise Refused(str(exc)) from exc
        auto = options.chip == "auto" and not options.sync
        jobs = [] if auto else make_plans(options, lesson, ports, kits if kit_book is None else [])
        # Every board is read before any is written when kits are matched by MAC, chips detected,
        # flash sizes needed, or (lesson-only) the filesystem placed by the board's own table.
        probing = not options.sync and (
            auto
            or options.lesson_only
            or kit_book is not None
            or any(plan.lesson_region is not None for _p, plan, _k in jobs)
        )
        if probing:
            infos = probe_boards(options, ports, "auto" if auto else jobs[0][1].chip)
            if kit_book is not None:
                macs = sorted({normal_mac(i.mac) for i in infos.values() if normal_mac(i.mac)})
                try:
                    by_mac = kit_book.by_mac(macs) if macs else {}
                    kit_of = assign_kits(ports, infos, kits, by_mac)
                except (KitsRefused, RuntimeError) as exc:  # RemoteError: the site could not be asked
                    raise Refused(str(exc)) from exc
                kits = [kit_of[port] for port in ports]
            if auto:
                jobs = make_auto_plans(options, lesson, ports, kits, infos)
            else:
                jobs = make_plans(options, lesson, ports, kits, infos)
        elif kit_book is not None:  # --sync: the list in port order
            jobs = make_plans(options, lesson, ports, kits)
    except UnknownLesson:
        message = _("unknown lesson: %(slug)s (lessons: %(lessons)s)")
        return _refused(
            options, err, message % {"slug": options.lesson, "lessons": ", ".join(library.slugs())}
        )
    except (Refused, InvalidLesson) as exc:
        return _refused(options, err, str(exc))

    if remote is not None and recorder is None:
        recorder = _remote_recorder(remote)

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as progress:
        tasks = {
            port: progress.add_task(f"{port} {kit}".strip(), total=100, status=_("waiting"))
            for port, _plan, kit in jobs
        }

        def on_progress(port: str, phase: str, pct: float) -> None:
            status = _("writing") if phase == "write" else _("verifying")
            progress.update(tasks[port], completed=pct, status=status)

        def on_done(result: BoardResult) -> None:
            if recorder is not None:
                try:
                    result.recorded = recorder(result)
                    result.record_ok = True
                except Exception as exc:  # a failed record must not stop the other boards
                    result.recorded = _("not recorded: %(reason)s") % {"reason": exc}
                    result.record_ok = False
            mark = "[green]✔ " + _("ok") + "[/]" if not result.failed else "[red]✘ " + _("failed") + "[/]"
            progress.update(tasks[result.port], completed=100 if result.ok else None, status=mark)

        results = flash_many(
            jobs,
            baud=options.baud,
            on_progress=on_progress,
            on_done=on_done,
            max_parallel=options.parallel or default_jobs(len(jobs)),
            timeout=options.timeout,
        )

    failed = [r for r in results if r.failed]
    unrecorded = [r for r in results if r.record_ok is False]
    retry = retry_command(options, program, lesson.slug, failed) if failed else ""
    if options.json:
        report = {
            "ok": not failed,
            "retry": retry,
            "not_recorded": [r.port for r in unrecorded],
            "results": [r.as_dict() for r in results],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_summary(out, lesson, jobs, results)
        out.print(
            _("boards ok: %(ok)d of %(total)d") % {"ok": len(results) - len(failed), "total": len(results)}
        )
        if failed:
            ports = ",".join(r.port for r in failed)
            out.print(_("failed ports: %(ports)s") % {"ports": ports}, soft_wrap=True, **_RED)
            if unrecorded:
                ports = ",".join(r.port for r in unrecorded)
                out.print(_("flashed but not recorded: %(ports)s") % {"ports": ports}, soft_wrap=True, **_RED)
            out.print(_("retry: %(command)s") % {"command": retry}, soft_wrap=True, markup=False)
    return 1 if failed else 0


def print_summary(out: Console, lesson, jobs, results: list[BoardResult]) -> None:
    """One row per board, readable at 80 columns: ports, kit codes and MACs are never cut short or
    broken (they are what lab staff copy, or look for on a kit label); the messages wrap instead.
    The lesson and its version are in the title (every board gets the same one)."""
    title = _("%(title)s (%(slug)s %(version)s)")
    table = Table(
        title=title % {"title": lesson_title(lesson), "slug": lesson.slug, "version": lesson.version},
        padding=(0, 0),
        collapse_padding=True,
        show_edge=False,
        expand=True,
    )
    for col in (_("Port"), _("Kit"), "MAC"):
        table.add_column(col, no_wrap=True, overflow="ignore")
    # What is left of the width goes mostly to the result, then to the record.
    table.add_column(_("Chip"), overflow="fold", ratio=1, min_width=8)
    table.add_column(_("Result"), overflow="fold", ratio=3)
    table.add_column(_("Secs"), no_wrap=True, justify="right")
    table.add_column(_("Record"), overflow="fold", ratio=2)
    for r in results:
        result = Text(r.message, style="green" if r.ok else "red")
        chip = r.chip or chip_name(jobs[0][1].chip if jobs else "")
        record = Text(r.recorded, style="red" if r.record_ok is False else "")
        table.add_row(r.port, r.kit, r.mac, chip, result, f"{r.seconds:.1f}", record)
    out.print(table)


def describe_layout(layout: FsLayout) -> str:
    """Where the image puts the lesson filesystem, e.g. "vfs 0x200000, 2048 KB" or
    "0x220000 to the end of the flash"."""
    if layout.size is None:
        return _("0x%(offset)x to the end of the flash") % {"offset": layout.offset}
    return _("%(label)s 0x%(offset)x, %(kb)s KB") % {
        "label": layout.label,
        "offset": layout.offset,
        "kb": layout.size // 1024,
    }


def run_firmware(options, console: Console) -> int:
    store = FirmwareStore(options.store)
    if options.action == "add":
        try:
            image = store.add(options.file, options.name or None)
        except (ImageError, OSError) as exc:
            console.print(_("not added: %(reason)s") % {"reason": exc}, **_RED)
            return 2
        added = _("added: %(name)s  %(chip)s  %(version)s  sha256 %(sha256)s")
        info = {
            "name": image.name,
            "chip": chip_name(image.chip),
            "version": image.version,
            "sha256": image.sha256,
        }
        console.print(added % info, markup=False)
        console.print(_("filesystem: %(layout)s") % {"layout": describe_layout(image.layout)}, markup=False)
        for warning in image.warnings:
            console.print(_("warning: %(warning)s") % {"warning": warning}, style="yellow", markup=False)
        return 0
    results = store.verify() if options.action == "verify" else [(i, None) for i in store.list()]
    table = Table()
    for col in (_("Name"), _("Chip"), _("Version"), _("Size"), _("Filesystem"), "SHA-256", _("Status")):
        table.add_column(col)
    for image, problem in results:
        if problem is not None:
            status = Text(problem, style="red")
        elif image.warnings:  # e.g. an app that is not MicroPython: stored, but lessons may not run
            status = Text("; ".join(image.warnings), style="yellow")
        else:
            status = Text(_("intact"), style="green") if options.action == "verify" else ""
        table.add_row(
            image.name,
            chip_name(image.chip),
            image.version,
            str(image.size),
            describe_layout(image.layout),
            image.sha256[:16],
            status,
        )
    console.print(table if results else _("the store is empty"))
    return 1 if any(p for _, p in results) else 0


def main(argv: list[str] | None = None, recorder: Recorder | None = None) -> int:
    """The console script. --lang (anywhere on the line), else $MAKERROOM_LANG, else Chinese."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang, argv = _lang_parser().parse_known_args(argv)
    with i18n.override(lang.lang):
        return _main(argv, recorder)


def _main(argv: list[str], recorder: Recorder | None) -> int:
    if argv and argv[0].startswith("--") and argv[0] not in ("--help", "-h"):
        argv.insert(0, "flash")  # `makerroom-flash --lesson ...` means the flash command
    options = build_parser().parse_args(argv)
    console = Console()
    if options.command == "flash":
        return run_flash(options, recorder)
    if options.command == "firmware":
        return run_firmware(options, console)
    if options.command == "ports":
        ports = find_ports()
        console.print("\n".join(ports) if ports else _("no boards found"), markup=False)
        return 0 if ports else 1
    if options.command == "lessons":
        for slug in BUNDLED.slugs():
            lesson = BUNDLED.load(slug)
            console.print(f"{slug:18} {lesson.version:7} {lesson_title(lesson)}", markup=False)
        return 0
    build_parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
