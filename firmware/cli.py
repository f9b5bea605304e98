"""`makerroom-flash` and `python manage.py flash`: flash a lesson onto many ESP32 boards at once.

    makerroom-flash firmware add ESP32_GENERIC-v1.24.1.bin
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
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .flasher import BoardResult, Plan, Region, chip_name, find_ports, flash_many
from .fsimage import FLASH_SIZES, LessonTooLarge, build_lesson_image, lesson_files
from .library import InvalidLesson, UnknownLesson, lesson_from_zip, lesson_slugs, load_lesson
from .store import FirmwareStore, ImageError

DEFAULT_STORE = Path(os.environ.get("MAKERROOM_FIRMWARE_STORE", Path(__file__).resolve().parent / "store"))

Recorder = Callable[[BoardResult], str]


class Refused(Exception):
    """Input problems found before touching any board (exit code 2)."""


def add_flash_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lesson", required=True, help="课程名，例如 traffic-light / lesson slug to flash")
    p.add_argument(
        "--ports",
        default="auto",
        help="串口，逗号分隔，或 auto 自动查找 / serial ports, comma separated, or auto (default)",
    )
    p.add_argument(
        "--kit",
        default="",
        help="套件编号，逗号分隔，与端口一一对应 / kit codes, comma separated, one per port (e.g. SZ-0012-K07)",
    )
    p.add_argument(
        "--lesson-only",
        action="store_true",
        help="只更新课程文件（板子上已有 MicroPython）/ write only the lesson filesystem (board already has MicroPython)",
    )
    p.add_argument(
        "--sync",
        action="store_true",
        help="用 mpremote 只复制改动过的课程文件（板子上已在运行 MicroPython）"
        " / copy only the changed lesson files with mpremote (board already runs MicroPython)",
    )
    p.add_argument(
        "--base",
        default="",
        help="底层固件名称或芯片，默认取最新的 / base image name or chip (default: newest)",
    )
    p.add_argument(
        "--chip", default="esp32", help="只更新课程时的芯片 / chip for --lesson-only (default esp32)"
    )
    p.add_argument(
        "--flash-size", default="4MB", choices=sorted(FLASH_SIZES), help="闪存大小 / flash size (default 4MB)"
    )
    p.add_argument("--baud", type=int, default=460800, help="波特率 / baud rate (default 460800)")
    p.add_argument("--no-verify", action="store_true", help="不做二次校验 / skip the verify-flash pass")
    p.add_argument(
        "--parallel", type=int, default=0, help="同时烧录的板子数，0 表示全部 / boards at once (0 = all)"
    )
    p.add_argument(
        "--timeout", type=float, default=300.0, help="每块板子的超时秒数 / seconds per board (default 300)"
    )
    p.add_argument(
        "--build-time",
        default="",
        help="写入 lesson.json 的构建时间 / build time for lesson.json (default: now)",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON 结果，供脚本使用 / print results as JSON")
    p.add_argument("--store", default=str(DEFAULT_STORE), help="固件仓库目录 / firmware store folder")
    p.add_argument("--server", default="", help="中心服务器地址（远程模式）/ site URL for remote mode")
    p.add_argument(
        "--token", default="", help="实验室管理员的令牌（远程模式）/ lab staff API token for remote mode"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="makerroom-flash",
        description="给多块 ESP32 开发板同时烧录 MicroPython 课程。/ Flash a MicroPython lesson onto many ESP32 boards at once.",
        epilog="退出码 / exit codes: 0 全部成功 all ok · 1 有板子失败 some boards failed · 2 输入有误，未动任何板子 refused",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command")
    add_flash_arguments(
        sub.add_parser("flash", help="烧录课程（默认命令）/ flash a lesson (default command)")
    )
    fw = sub.add_parser("firmware", help="管理底层固件仓库 / manage the base firmware store")
    fw.add_argument("--store", default=str(DEFAULT_STORE), help="固件仓库目录 / firmware store folder")
    fw_sub = fw.add_subparsers(dest="action", required=True)
    add = fw_sub.add_parser(
        "add", help="添加从 micropython.org 下载的固件 / add a firmware file from micropython.org"
    )
    add.add_argument("file", help="固件文件 .bin / firmware .bin file")
    add.add_argument("--name", default="", help="名称，默认用文件名 / name (default: file name)")
    fw_sub.add_parser("list", help="列出固件 / list stored images")
    fw_sub.add_parser("verify", help="重新校验所有固件 / re-check every stored image")
    sub.add_parser("ports", help="列出找到的开发板串口 / list serial ports with ESP32 boards")
    sub.add_parser("lessons", help="列出内置课程 / list bundled lessons")
    return parser


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def make_plans(options, lesson, ports: list[str], kits: list[str]) -> list[tuple[str, Plan, str]]:
    """One plan per board; raises Refused before anything is written."""
    flash_size = FLASH_SIZES[options.flash_size]
    build_time = options.build_time or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    base_regions: list[Region] = []
    chip, base_label, base_sha = options.chip, "", ""
    if options.sync:  # mpremote copies the changed files; no image, no base firmware
        jobs = []
        for i, port in enumerate(ports):
            kit = kits[i] if kits else ""
            files = lesson_files(lesson, kit or port, build_time)
            jobs.append((port, Plan(chip, [], lesson.slug, lesson.version, files=files), kit))
        return jobs
    if not options.lesson_only:
        store = FirmwareStore(options.store)
        try:
            base = store.get(options.base or options.chip)
            data = store.load(base)
        except ImageError as exc:
            raise Refused(str(exc)) from exc
        chip, base_label, base_sha = base.chip, base.label, base.sha256
        base_regions = [Region(base.offset, data, "base")]
    jobs = []
    for i, port in enumerate(ports):
        kit = kits[i] if kits else ""
        try:
            image = build_lesson_image(lesson, kit or port, build_time, flash_size)
        except LessonTooLarge as exc:
            raise Refused(f"课程太大 (lesson too large): {exc}") from exc
        regions = [*base_regions, Region(image.offset, image.data, "lesson")]
        jobs.append(
            (
                port,
                Plan(chip, regions, lesson.slug, lesson.version, base_label, base_sha, not options.no_verify),
                kit,
            )
        )
    return jobs


def run_flash(options, recorder: Recorder | None = None, console: Console | None = None) -> int:
    out = console or Console()
    err = Console(stderr=True, soft_wrap=True) if console is None else console
    remote = None
    try:
        if bool(options.server) != bool(options.token):
            raise Refused("--server 和 --token 要一起用 / --server and --token go together")
        if options.server:
            from .remote import RemoteError, SiteClient

            remote = SiteClient(options.server, options.token)
            try:
                lesson = lesson_from_zip(remote.lesson_bundle(options.lesson))
            except RemoteError as exc:
                raise Refused(str(exc)) from exc
        else:
            lesson = load_lesson(options.lesson)
        ports = find_ports() if options.ports == "auto" else _split(options.ports)
        if not ports:
            raise Refused(
                "没有找到开发板，请检查 USB 线和驱动 / no boards found (check the USB cables and drivers)"
            )
        if len(set(ports)) != len(ports):
            raise Refused("端口重复 / a port is listed twice")
        kits = _split(options.kit)
        if kits and len(kits) != len(ports):
            raise Refused(
                f"{len(kits)} 个套件编号对应 {len(ports)} 个端口，数量要一致 / give one kit code per port"
            )
        jobs = make_plans(options, lesson, ports, kits)
    except UnknownLesson:
        err.print(f"[red]没有这个课程 / unknown lesson:[/] {options.lesson}  ({', '.join(lesson_slugs())})")
        return 2
    except (Refused, InvalidLesson) as exc:
        err.print(f"[red]已停止，未动任何板子 / refused, no board touched:[/] {exc}")
        return 2

    if remote is not None and recorder is None:
        from .remote import RemoteError

        def recorder(result: BoardResult) -> str:
            try:
                return remote.record(result.as_dict()).get("status", "recorded")
            except RemoteError as exc:
                return f"未记录 (not recorded): {exc}"

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
            port: progress.add_task(f"{port} {kit}".strip(), total=100, status="等待 waiting")
            for port, _plan, kit in jobs
        }

        def on_progress(port: str, phase: str, pct: float) -> None:
            status = "写入 writing" if phase == "write" else "校验 verifying"
            progress.update(tasks[port], completed=pct, status=status)

        def on_done(result: BoardResult) -> None:
            if recorder is not None:
                try:
                    result.recorded = recorder(result)
                except Exception as exc:  # a failed record must not stop the other boards
                    result.recorded = f"未记录 (not recorded): {exc}"
            mark = "[green]✔ 成功 ok[/]" if result.ok else "[red]✘ 失败 failed[/]"
            progress.update(tasks[result.port], completed=100 if result.ok else None, status=mark)

        results = flash_many(
            jobs,
            baud=options.baud,
            on_progress=on_progress,
            on_done=on_done,
            max_parallel=options.parallel or None,
            timeout=options.timeout,
        )

    failed = [r for r in results if not r.ok]
    retry = ""
    if failed:
        retry = f"makerroom-flash --lesson {lesson.slug} --ports {','.join(r.port for r in failed)}"
        retry += " --sync" if options.sync else " --lesson-only" if options.lesson_only else ""
    if options.json:
        report = {"ok": not failed, "retry": retry, "results": [r.as_dict() for r in results]}
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        table = Table(title=f"{lesson.title_zh}（{lesson.slug} {lesson.version}）")
        for col in (
            "端口 Port",
            "套件 Kit",
            "MAC",
            "芯片 Chip",
            "课程 Lesson",
            "结果 Result",
            "秒 s",
            "记录 Record",
        ):
            table.add_column(col)
        for r in results:
            result = "[green]成功 ok[/]" if r.ok else f"[red]{r.message}[/]"
            chip = r.chip or chip_name(jobs[0][1].chip)
            lesson_text = f"{r.lesson} {r.lesson_version}"
            table.add_row(r.port, r.kit, r.mac, chip, lesson_text, result, f"{r.seconds:.1f}", r.recorded)
        out.print(table)
        out.print(f"成功 {len(results) - len(failed)} / {len(results)} 块板子 (boards ok)")
        if failed:
            out.print(f"[red]失败的端口 failed ports:[/] {','.join(r.port for r in failed)}", soft_wrap=True)
            out.print(f"重试 retry: {retry}", soft_wrap=True)
    return 1 if failed else 0


def run_firmware(options, console: Console) -> int:
    store = FirmwareStore(options.store)
    if options.action == "add":
        try:
            image = store.add(options.file, options.name or None)
        except (ImageError, OSError) as exc:
            console.print(f"[red]未添加 / not added:[/] {exc}")
            return 2
        console.print(
            f"已添加 added: {image.name}  {chip_name(image.chip)}  {image.version}  sha256 {image.sha256}"
        )
        return 0
    results = store.verify() if options.action == "verify" else [(i, None) for i in store.list()]
    table = Table()
    for col in ("名称 Name", "芯片 Chip", "版本 Version", "大小 Size", "SHA-256", "状态 Status"):
        table.add_column(col)
    for image, problem in results:
        status = (
            ""
            if options.action == "list"
            else ("[green]完好 ok[/]" if problem is None else f"[red]{problem}[/]")
        )
        table.add_row(
            image.name, chip_name(image.chip), image.version, str(image.size), image.sha256[:16], status
        )
    console.print(table if results else "固件仓库是空的 / the store is empty")
    return 1 if any(p for _, p in results) else 0


def main(argv: list[str] | None = None, recorder: Recorder | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
        console.print("\n".join(ports) if ports else "没有找到开发板 / no boards found")
        return 0 if ports else 1
    if options.command == "lessons":
        for slug in lesson_slugs():
            lesson = load_lesson(slug)
            console.print(f"{slug:18} {lesson.version:7} {lesson.title_zh} / {lesson.title_en}")
        return 0
    build_parser().print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
