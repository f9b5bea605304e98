"""The flashing command against esp32-mock-bootloader boards, with the real esptool."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from makerroom_flash.boards import natural_key, natural_order
from makerroom_flash.cli import Refused, build_parser, main, make_plans, probe_boards
from makerroom_flash.fsimage import build_lesson_image, read_image
from makerroom_flash.library import BUNDLED, Lesson

from .esp_images import TABLE_4MIB, TABLE_4MIB_PLUS, merged_image

BUILT = "2026-09-01T08:00:00Z"


def flash(capsys, *args, recorder=None):
    code = main(["--build-time", BUILT, *args], recorder=recorder)
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_board_holds(board, base: bytes, lesson: str, board_id: str):
    """Every byte of the base image, and the lesson's files mounted back from the filesystem."""
    assert board.read(0x1000, len(base)) == base
    # Every byte of the filesystem region is the image built from the same inputs...
    image = build_lesson_image(BUNDLED.load(lesson), board_id, BUILT)
    assert board.read(0x200000, 0x200000) == image.data
    # ...and mounted back with littlefs-python it holds the lesson's files.
    files = read_image(board.read(0x200000, 0x200000))
    expected = {p: t.encode() for p, t in BUNDLED.load(lesson).files.items()}
    assert {p: files[p] for p in expected} == expected
    meta = json.loads(files["lesson.json"])
    assert meta == {"lesson": lesson, "version": "1.0.0", "board": board_id, "built": BUILT}
    assert set(files) == {*expected, "lesson.json"}


def test_four_boards_in_parallel(capsys, mock_boards, store, base_file):
    # The run takes the boards in natural port order, and the kit list in that order too.
    boards = sorted(mock_boards(4), key=lambda board: natural_key(board.url))
    ports = ",".join(b.url for b in boards)
    kits = ",".join(f"SZ-0012-K0{i}" for i in range(1, 5))
    recorded = []
    started = time.monotonic()
    code, out, err = flash(
        capsys,
        "--lesson",
        "traffic-light",
        "--ports",
        ports,
        "--kit",
        kits,
        "--store",
        str(store.root),
        "--json",
        recorder=lambda r: recorded.append(r) or "recorded",
    )
    wall = time.monotonic() - started
    assert code == 0, out + err
    report = json.loads(out)
    assert report["ok"] is True
    results = report["results"]
    assert [r["port"] for r in results] == [b.url for b in boards]
    for i, (board, r) in enumerate(zip(boards, results, strict=True)):
        assert r["ok"] and r["mac"] == board.mac and r["chip"].startswith("ESP32")
        assert r["kit"] == f"SZ-0012-K0{i + 1}" and r["recorded"] == "recorded"
        assert r["base_firmware"] == "ESP32_GENERIC-v1.24.1.bin v1.24.1"
        assert r["lesson"] == "traffic-light" and r["lesson_version"] == "1.0.0"
        assert_board_holds(board, base_file.read_bytes(), "traffic-light", f"SZ-0012-K0{i + 1}")
        assert board.sessions == 2  # one write-flash, one verify-flash
    assert sorted(r.kit for r in recorded) == kits.split(",")
    # Parallel: the whole run takes far less than the boards' times added up.
    assert wall < 0.7 * sum(r["seconds"] for r in results)


def test_lesson_only_writes_just_the_filesystem(capsys, mock_boards, store, base_file):
    board = mock_boards(1)[0].install(base_file.read_bytes())  # flashed last lesson
    code, out, err = flash(
        capsys, "--lesson", "blink", "--ports", board.url, "--lesson-only", "--json", "--no-verify"
    )
    assert code == 0, out + err
    [r] = json.loads(out)["results"]
    assert board.read(0x1000, len(base_file.read_bytes())) == base_file.read_bytes()  # not touched
    assert board.sessions == 2  # read-flash of the partition table, write-flash
    assert (
        read_image(board.read(0x200000, 0x200000))["main.py"]
        == BUNDLED.load("blink").files["main.py"].encode()
    )
    assert r["base_firmware"] == "" and r["bytes_total"] == 0x200000

    [full_board] = mock_boards(1)
    code, out, _ = flash(
        capsys,
        "--lesson",
        "blink",
        "--ports",
        full_board.url,
        "--store",
        str(store.root),
        "--json",
        "--no-verify",
    )
    [full] = json.loads(out)["results"]
    assert code == 0 and full["bytes_total"] == 0x200000 + len(base_file.read_bytes())
    assert r["bytes_sent"] < full["bytes_sent"]


def test_faults_leave_the_other_boards_going_and_can_be_retried(capsys, mock_boards, store, base_file):
    good, unplugged = mock_boards(2)
    unplugged.unplug_when_written(0x1000, 64 * 1024)  # pulled out during the base image write
    absent = "socket://127.0.0.1:9"  # nothing listens there
    [wrong] = mock_boards(1, chip="esp32s3")
    [busy] = mock_boards(1)
    # Another program (Thonny, a serial monitor) holds the busy board's port.
    hog = socket.create_connection(("127.0.0.1", int(busy.url.rsplit(":", 1)[1])))
    ports = [good.url, unplugged.url, absent, wrong.url, busy.url]
    recorded = []
    code, out, _ = flash(
        capsys,
        "--lesson",
        "blink",
        "--ports",
        ",".join(ports),
        "--store",
        str(store.root),
        "--json",
        recorder=lambda r: recorded.append(r) or "recorded",
    )
    assert code == 1
    results = {r["port"]: r for r in json.loads(out)["results"]}
    assert results[good.url]["ok"] is True
    assert_board_holds(good, base_file.read_bytes(), "blink", good.url)
    messages = {port: results[port]["message"] for port in ports[1:]}
    assert all(results[p]["ok"] is False for p in ports[1:])
    assert messages[unplugged.url].startswith("写入中断：板子可能被拔掉了")
    assert messages[absent].startswith("端口不存在或被占用：Could not open socket://127.0.0.1:9")
    assert messages[wrong.url] == "芯片不符：板子是 ESP32-S3，固件是 ESP32 的"
    assert messages[busy.url] == (
        "连不上板子：请按住 BOOT 键重试，或检查端口是否被占用：Failed to connect to ESP32: No serial data received."
    )
    hog.close()
    assert wrong.read(0, 0x400000) == b"\xff" * 0x400000  # refused before a single byte was written
    assert all("\n" not in m for m in messages.values())
    assert {r.port: r.ok for r in recorded} == {
        good.url: True,
        unplugged.url: False,
        absent: False,
        wrong.url: False,
        busy.url: False,
    }
    assert {r.port: r.message for r in recorded if not r.ok} == messages

    # The retry command names the failed ports (in port order) and repeats the store; the unplugged
    # board, plugged back in, flashes fine.
    failed = ",".join(natural_order([unplugged.url, absent, wrong.url, busy.url]))
    assert json.loads(out)["retry"] == f"makerroom-flash --lesson blink --ports {failed} --store {store.root}"
    [replugged] = mock_boards(1)
    code, out, _ = flash(
        capsys, "--lesson", "blink", "--ports", replugged.url, "--store", str(store.root), "--json"
    )
    assert code == 0
    assert_board_holds(replugged, base_file.read_bytes(), "blink", replugged.url)


def test_a_corrupt_or_wrong_base_image_is_refused_before_any_board_is_touched(
    capsys, mock_boards, store, tmp_path
):
    [board] = mock_boards(1)
    image = store.list()[0]
    path = store.path_of(image)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    code, _, err = flash(capsys, "--lesson", "blink", "--ports", board.url, "--store", str(store.root))
    assert code == 2 and "SHA-256 与添加时不同（文件已损坏）" in err and "已停止，未动任何板子" in err
    assert board.sessions == 0

    code, _, err = flash(
        capsys, "--lesson", "blink", "--ports", board.url, "--store", str(tmp_path / "empty")
    )
    assert code == 2 and "固件仓库里没有底层固件“esp32”" in err and board.sessions == 0


def test_input_errors_exit_2(capsys, mock_boards, store):
    [board] = mock_boards(1)
    code, _, err = flash(
        capsys, "--lesson", "no-such-lesson", "--ports", board.url, "--store", str(store.root)
    )
    assert code == 2 and "没有这个课程：no-such-lesson" in err and "traffic-light" in err
    code, _, err = flash(
        capsys, "--lesson", "blink", "--ports", board.url, "--kit", "A,B", "--store", str(store.root)
    )
    assert code == 2 and "2 个套件编号对应 1 个端口，数量要一致" in err
    code, _, err = flash(
        capsys, "--lesson", "blink", "--ports", f"{board.url},{board.url}", "--store", str(store.root)
    )
    assert code == 2 and "端口重复" in err
    code, _, err = flash(capsys, "--lesson", "blink", "--ports", board.url, "--server", "http://x")
    assert code == 2 and "--server 和 --token 要一起用" in err
    assert board.sessions == 0


def test_firmware_store_commands(capsys, tmp_path, base_file, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    root = str(tmp_path / "s")
    assert main(["firmware", "--store", root, "add", str(base_file)]) == 0
    assert "v1.24.1" in capsys.readouterr().out
    assert main(["firmware", "--store", root, "list"]) == 0
    assert "ESP32_GENERIC-v1.24.1.bin" in capsys.readouterr().out
    assert main(["firmware", "--store", root, "verify"]) == 0
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\xe9" + b"\x00" * 100)
    assert main(["firmware", "--store", root, "add", str(bad)]) == 2
    assert "未添加：" in capsys.readouterr().out


def help_text(capsys, *args) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*args, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def test_help_is_in_chinese_by_default_and_in_english_with_lang_en(capsys, monkeypatch):
    monkeypatch.delenv("MAKERROOM_LANG", raising=False)
    text = help_text(capsys, "flash")
    assert "课程名，例如 traffic-light" in text and "只更新课程文件" in text and "--lesson-only" in text
    assert "lesson slug to flash" not in text
    text = help_text(capsys)
    assert "给多块 ESP32 开发板同时烧录 MicroPython 课程。" in text and "退出码" in text and "--lang" in text

    for args in (["--lang", "en", "flash"], ["flash", "--lang=en"]):
        text = help_text(capsys, *args)
        assert (
            "lesson slug to flash, e.g. traffic-light" in text and "write only the lesson filesystem" in text
        )
        assert "课程名" not in text
    text = help_text(capsys, "--lang", "en")
    assert "Flash a MicroPython lesson onto many ESP32 boards at once." in text and "exit codes" in text

    monkeypatch.setenv("MAKERROOM_LANG", "en")
    assert "lesson slug to flash" in help_text(capsys, "flash")
    assert "课程名" in help_text(capsys, "--lang", "zh-hans", "flash")  # --lang wins over the variable


def test_auto_ports_find_the_usb_bridges_of_esp32_boards(monkeypatch, capsys):
    from types import SimpleNamespace

    from makerroom_flash.ports import find_ports
    from serial.tools import list_ports

    def port(device, vid, pid):
        return SimpleNamespace(device=device, vid=vid, pid=pid)

    found = [
        port("/dev/ttyUSB1", 0x1A86, 0x7523),  # CH340
        port("/dev/ttyUSB0", 0x10C4, 0xEA60),  # CP210x
        port("/dev/ttyACM0", 0x303A, 0x1001),  # ESP32-S3 native USB
        port("/dev/ttyACM1", 0x1A86, 0x55D4),  # CH9102
        port("/dev/ttyUSB10", 0x0403, 0x6001),  # FTDI FT232R
        port("/dev/ttyUSB2", 0x0403, 0x6010),  # FTDI FT2232 (ESP-Prog)
        port("/dev/ttyUSB3", 0x10C4, 0xEA70),  # CP2105
        port("/dev/ttyUSB4", 0x1A86, 0x55D3),  # CH343
        port("/dev/ttyACM2", 0x2341, 0x0043),  # an Arduino Uno: not ours
        port("/dev/ttyS0", None, None),  # a built-in serial port
    ]
    monkeypatch.setattr(list_ports, "comports", lambda: found)
    assert find_ports() == [
        "/dev/ttyACM0",
        "/dev/ttyACM1",
        "/dev/ttyUSB0",
        "/dev/ttyUSB1",
        "/dev/ttyUSB2",
        "/dev/ttyUSB3",
        "/dev/ttyUSB4",
        "/dev/ttyUSB10",  # natural order: after ttyUSB2
    ]

    monkeypatch.setattr(list_ports, "comports", lambda: found[8:])
    assert main(["--lesson", "blink", "--ports", "auto", "--lesson-only"]) == 2
    assert "没有找到开发板，请检查 USB 线和驱动" in capsys.readouterr().err


def test_a_port_another_program_holds_open_says_so(capsys):
    """A real serial device (a pseudo-terminal) held open with a lock, as Thonny or a serial monitor
    built on pyserial holds it: esptool cannot lock it, and lab staff are told to close that program."""
    import serial

    controller, device = os.openpty()
    path = os.ttyname(device)
    hog = serial.Serial(path, exclusive=True)
    try:
        code, out, _ = flash(capsys, "--lesson", "blink", "--ports", path, "--lesson-only", "--json")
    finally:
        hog.close()
        os.close(controller)
        os.close(device)
    [r] = json.loads(out)["results"]
    assert code == 1 and r["message"] == "端口被其他程序占用（如 Thonny 或串口监视器），请关闭后重试"


def test_a_board_that_goes_quiet_is_stopped_at_the_timeout(capsys, mock_boards):
    [busy] = mock_boards(1)
    hog = socket.create_connection(("127.0.0.1", int(busy.url.rsplit(":", 1)[1])))
    code, out, _ = flash(
        capsys, "--lesson", "blink", "--ports", busy.url, "--lesson-only", "--json", "--timeout", "1"
    )
    [r] = json.loads(out)["results"]
    hog.close()
    assert code == 1 and r["message"] == "超时：板子没有响应，请重新插拔后重试"
    assert r["seconds"] < 3  # killed by the watchdog, not left to esptool's own retries


def test_a_lesson_too_large_is_refused_with_one_line_before_any_board(mock_boards, store):
    [board] = mock_boards(1)
    huge = Lesson("huge", "大课程", "Huge", 1, [], [], "1.20.0", "1.0.0", {"main.py": "#" * (3 << 20)})
    options = build_parser().parse_args(["flash", "--lesson", "huge", "--store", str(store.root)])
    with pytest.raises(Refused) as exc:
        make_plans(options, huge, [board.url], [])
    message = str(exc.value)
    assert message.startswith("课程太大：huge：文件共 31458")  # main.py + lesson.json
    assert message.endswith("字节，放不进 2048 KB 的文件系统") and "\n" not in message
    assert board.sessions == 0


def test_a_lesson_only_update_too_large_for_a_boards_filesystem_fails_that_board(capsys, mock_boards):
    """Lesson-only: each board's filesystem is what its own table says, so a lesson is too large
    for one board and fits another: the first is not written, the second is."""
    huge = Lesson("huge", "大课程", "Huge", 1, [], [], "1.20.0", "1.0.0", {"main.py": "#" * (3 << 20)})
    small_fs = merged_image("esp32", "v1.24.1", table=TABLE_4MIB)  # a 2 MB vfs
    big_fs = merged_image("esp32", "v1.26.1", table=TABLE_4MIB_PLUS)  # 0x220000 to the end: 5.9 MB
    small = mock_boards(1, "esp32", 4 << 20)[0].install(small_fs)
    big = mock_boards(1, "esp32", 8 << 20)[0].install(big_fs)
    options = build_parser().parse_args(["flash", "--lesson", "huge", "--lesson-only"])
    infos = probe_boards(options, [small.url, big.url], "esp32")
    [(_, too_small, _), (_, fits, _)] = make_plans(options, huge, [small.url, big.url], [], infos)
    assert too_small.fail.startswith("huge：文件共 31458") and too_small.regions == []
    assert [(r.offset, len(r.data)) for r in fits.regions] == [(0x220000, (8 << 20) - 0x220000)]
    assert small.read(0, 4 << 20)[0x1000 : 0x1000 + len(small_fs)] == small_fs


def test_the_host_tools_import_nothing_of_django():
    # Every module of the host package, and the virtual board's host, which runs beside it.
    code = (
        "import pkgutil, sys, makerroom_flash\n"
        "for m in pkgutil.iter_modules(makerroom_flash.__path__):\n"
        "    if m.name != '__main__': __import__('makerroom_flash.' + m.name)\n"
        "import firmware.simulator\n"
        "print(len([m for m in sys.modules if m.startswith('makerroom_flash.')]),"
        " sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'wagtail')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, django = out.stdout.split(" ", 1)
    assert int(count) >= 12 and django.strip() == "[]"
    # The console script runs too: its help in Chinese, or in English with MAKERROOM_LANG=en.
    env = {k: v for k, v in os.environ.items() if k != "MAKERROOM_LANG"}
    out = subprocess.run(
        [sys.executable, "-m", "makerroom_flash", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    assert "给多块 ESP32 开发板同时烧录" in out.stdout and "Flash a MicroPython lesson" not in out.stdout
    out = subprocess.run(
        [sys.executable, "-m", "makerroom_flash", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "MAKERROOM_LANG": "en"},
    )
    assert (
        "Flash a MicroPython lesson onto many ESP32 boards at once." in out.stdout
        and "烧录" not in out.stdout
    )


def test_the_host_modules_import_each_other_without_a_loop():
    """Module-level and function-level imports alike: the flasher and the sync share plan.py and
    process.py, and the parallel runner uses both (the sync once imported the flasher, which
    imported the sync back inside a function)."""
    import ast
    from pathlib import Path

    import makerroom_flash

    package = Path(makerroom_flash.__file__).parent
    graph = {}
    for path in package.glob("*.py"):
        imports = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imports |= {node.module} if node.module else {a.name for a in node.names}
        graph[path.stem] = imports

    def reaches(start, target, seen=()):
        return any(
            m == target or (m not in seen and reaches(m, target, (*seen, m))) for m in graph.get(start, ())
        )

    loops = sorted(m for m in graph if reaches(m, m))
    assert loops == [], loops
    assert "flasher" not in graph["sync"] and "sync" not in graph["flasher"]


def test_the_summary_stays_readable_at_80_columns():
    """Rendered by rich at 80 columns: every port, kit code and MAC whole on its row; no line longer."""
    import io

    from makerroom_flash.cli import print_summary
    from makerroom_flash.plan import BoardResult, Plan
    from rich.cells import cell_len
    from rich.console import Console

    lesson = BUNDLED.load("traffic-light")
    plan = Plan("esp32", [], lesson.slug, lesson.version)
    results = []
    for i, port in enumerate(["/dev/ttyUSB2", "/dev/ttyUSB10", "COM12"]):
        r = BoardResult.starting(plan, port, f"SZ-0012-K{i + 10:02d}", 0)
        r.mac, r.chip, r.seconds = f"24:0a:c4:e2:95:{i + 26:02x}", "ESP32-D0WDQ6", 23.4
        r.ok = i != 1
        r.message = "成功" if r.ok else "写入中断：板子可能被拔掉了，请插好后重试：Serial data stream stopped"
        r.recorded, r.record_ok = ("已记录 #12", True) if r.ok else ("未记录：服务器不可用", False)
        results.append(r)
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=False, color_system=None)
    print_summary(console, lesson, [("", plan, "")], results)
    lines = buffer.getvalue().splitlines()
    print(buffer.getvalue())
    assert all(cell_len(line) <= 80 for line in lines), max(lines, key=cell_len)  # Chinese: 2 cells
    for r in results:
        [row] = [line for line in lines if r.port + " " in line or line.startswith(r.port)]
        assert r.kit in row and r.mac in row


def test_a_write_broken_by_a_poor_cable_is_retried_at_a_lower_baud(capsys, mock_boards, store, base_file):
    """The cable garbles 460800 baud mid-write; at 115200 it is fine: the board is written again,
    slowly, verified, and says so."""
    from .mockboards import MockBoard

    flaky = MockBoard(flaky_above=115200)
    [steady] = mock_boards(1)
    try:
        code, out, _ = flash(
            capsys,
            "--lesson",
            "blink",
            "--ports",
            f"{flaky.url},{steady.url}",
            "--store",
            str(store.root),
            "--json",
        )
    finally:
        flaky.close()
    results = {r["port"]: r for r in json.loads(out)["results"]}
    assert code == 0, out
    assert results[flaky.url]["ok"] and results[flaky.url]["message"] == "成功（已降速重试）"
    assert results[flaky.url]["retried_baud"] == 115200 and flaky.bauds == [460800, 115200, 115200]
    assert results[steady.url]["message"] == "成功" and results[steady.url]["retried_baud"] == 0
    assert_board_holds(flaky, base_file.read_bytes(), "blink", flaky.url)


def test_forty_boards_with_a_bounded_number_of_esptool_processes(capsys, mock_boards, monkeypatch):
    """A whole class's hub: 40 boards, never more than --jobs esptool sessions at once, every board
    written with its own filesystem and answering its own MAC. Without --jobs the bound comes from
    the CPU count (four per core, at most 16)."""
    from makerroom_flash.cli import default_jobs

    from .mockboards import Sessions

    assert default_jobs(40) == min(16, 4 * (os.cpu_count() or 1)) and default_jobs(3) <= 3
    boards = mock_boards(40)
    for board in boards:
        board.install(merged_image("esp32", "v1.24.1"))  # each has MicroPython
    Sessions.most = 0
    code, out, err = flash(
        capsys,
        "--lesson",
        "blink",
        "--ports",
        ",".join(b.url for b in boards),
        "--lesson-only",
        "--no-verify",
        "--jobs",
        "6",
        "--json",
        "--timeout",
        "600",
    )
    assert code == 0, err[-2000:]
    results = json.loads(out)["results"]
    assert len(results) == 40 and all(r["ok"] for r in results)
    assert 1 < Sessions.most <= 6
    assert sorted(r["mac"] for r in results) == sorted(b.mac for b in boards)
    for board in boards[::13]:  # a few boards read back whole
        files = read_image(board.read(0x200000, 0x200000))
        assert json.loads(files["lesson.json"])["board"] == board.url


def test_erase_all_or_just_the_filesystem_before_writing(capsys, mock_boards, store, base_file):
    """--erase all clears what the base image does not cover (an old, longer app); --erase fs
    erases the filesystem region first (one esptool erase-region), then the lesson is written."""
    whole, fs_only, plain = mock_boards(3)
    for board in (whole, fs_only, plain):
        board.flash.data[0x100000:0x101000] = b"\x5a" * 0x1000  # the end of last year's bigger app
    for board, erase in ((whole, ["--erase", "all"]), (fs_only, ["--erase", "fs"]), (plain, [])):
        code, out, err = flash(
            capsys,
            "--lesson",
            "blink",
            "--ports",
            board.url,
            "--store",
            str(store.root),
            "--no-verify",
            "--json",
            *erase,
        )
        assert code == 0, out + err
        assert_board_holds(board, base_file.read_bytes(), "blink", board.url)
    assert whole.read(0x100000, 0x1000) == b"\xff" * 0x1000
    assert plain.read(0x100000, 0x1000) == fs_only.read(0x100000, 0x1000) == b"\x5a" * 0x1000
    assert (whole.sessions, fs_only.sessions, plain.sessions) == (1, 2, 1)
