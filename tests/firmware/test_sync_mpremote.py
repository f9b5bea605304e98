"""Lesson-only update of boards already running MicroPython: `--sync` copies only the changed files
with the real mpremote, talking the raw REPL to real MicroPython (WebAssembly) behind a socket."""

import json
import shutil
import socket
import threading

from makerroom_flash.boards import natural_key, natural_order
from makerroom_flash.cli import build_parser, main, run_flash
from makerroom_flash.fsimage import lesson_files
from makerroom_flash.library import BUNDLED

BUILT = "2026-09-01T08:00:00Z"


def sync(capsys, *args, recorder=None):
    code = main(["--build-time", BUILT, "--sync", "--json", *args], recorder=recorder)
    return code, json.loads(capsys.readouterr().out)


def test_sync_copies_only_the_changed_files_to_each_board_and_resets_it(capsys, repl_boards):
    boards = sorted(repl_boards(2), key=lambda board: natural_key(board.url))  # the run's order
    lesson = BUNDLED.load("oled")
    kits = ["SZ-0012-K07", "SZ-0012-K08"]
    # Last week's version of the lesson is on the boards: same driver, older main.py.
    for board, kit in zip(boards, kits, strict=True):
        board.put({**lesson_files(lesson, kit, "2026-08-25T08:00:00Z"), "main.py": b"print('v0')\n"})
    recorded = []
    code, report = sync(
        capsys,
        "--lesson",
        "oled",
        "--ports",
        ",".join(b.url for b in boards),
        "--kit",
        ",".join(kits),
        recorder=lambda r: recorded.append(r) or "recorded",
    )
    assert code == 0, report
    for board, kit, r in zip(boards, kits, report["results"], strict=True):
        expected = lesson_files(lesson, kit, BUILT)
        assert board.files() == expected  # every byte of every file, read back through MicroPython
        assert r["ok"] and r["kit"] == kit and r["recorded"] == "recorded"
        assert r["mac"] == board.mac and r["lesson"] == "oled" and r["base_firmware"] == ""
        assert r["files_sent"] == ["lesson.json", "main.py"]  # lib/ssd1306.py was already there
        assert r["bytes_sent"] == len(expected["lesson.json"]) + len(expected["main.py"])
        assert r["bytes_total"] == sum(len(d) for d in expected.values()) > r["bytes_sent"]
        assert board.resets == 1  # restarted so the new lesson runs
    assert sorted(r.kit for r in recorded) == kits

    # Nothing changed since: the second run sends nothing at all.
    code, report = sync(capsys, "--lesson", "oled", "--ports", boards[0].url, "--kit", kits[0])
    [r] = report["results"]
    assert code == 0 and r["files_sent"] == [] and r["bytes_sent"] == 0 and boards[0].resets == 2


def test_sync_faults_each_give_one_line_and_leave_the_other_boards_going(capsys, repl_boards):
    good, unplugged = repl_boards(2)
    unplugged.unplug_after_files(1)  # pulled out while the second file is being written
    absent = "socket://127.0.0.1:9"
    # A board that answers nothing (no MicroPython on it, or hung): stopped by the timeout.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    mute = f"socket://127.0.0.1:{silent.getsockname()[1]}"

    ports = [good.url, unplugged.url, absent, mute]
    code, report = sync(capsys, "--lesson", "blink", "--ports", ",".join(ports), "--timeout", "8")
    assert code == 1
    results = {r["port"]: r for r in report["results"]}
    assert results[good.url]["ok"] and good.files() == lesson_files(BUNDLED.load("blink"), good.url, BUILT)
    assert results[unplugged.url]["message"].startswith("写入中断：板子可能被拔掉了")
    assert results[unplugged.url]["files_sent"] == ["lesson.json"]
    assert results[absent]["message"].startswith("端口不存在或被占用：")
    assert results[mute]["message"] == "超时：板子没有响应，请重新插拔后重试"
    assert results[mute]["seconds"] < 12
    assert all("\n" not in r["message"] for r in results.values())
    failed = ",".join(natural_order([unplugged.url, absent, mute]))
    assert report["retry"] == f"makerroom-flash --lesson blink --ports {failed} --timeout 8.0 --sync"
    silent.close()


def test_sync_leaves_the_board_holding_exactly_the_lesson(capsys, repl_boards, tmp_path):
    """Last lesson's lib/ and boot.py go; what the lesson declares the student's (lesson.toml
    `keep`) stays, files and folders alike."""
    from makerroom_flash.library import LessonLibrary

    root = tmp_path / "lessons"
    shutil.copytree(BUNDLED.root / "blink", root / "blink")
    toml = (root / "blink" / "lesson.toml").read_text(encoding="utf-8")
    (root / "blink" / "lesson.toml").write_text('keep = ["scores.txt", "data/"]\n' + toml, encoding="utf-8")
    lesson = LessonLibrary(root).load("blink")
    assert lesson.keep == ("scores.txt", "data/")
    [board] = repl_boards(1)
    board.put(
        {
            **lesson_files(BUNDLED.load("oled"), board.url, BUILT),  # the OLED lesson, with lib/ssd1306.py
            "boot.py": b"import webrepl\nwebrepl.start()\n",
            "lib/old/helper.py": b"x = 1\n",
            "scores.txt": b"42\n",
            "data/run1.csv": b"t,v\n",
        }
    )
    options = build_parser().parse_args(
        ["flash", "--build-time", BUILT, "--sync", "--json", "--lesson", "blink", "--ports", board.url]
    )
    code = run_flash(options, library=LessonLibrary(root))
    [r] = json.loads(capsys.readouterr().out)["results"]
    assert code == 0, r
    expected = lesson_files(lesson, board.url, BUILT)
    assert board.files() == {**expected, "scores.txt": b"42\n", "data/run1.csv": b"t,v\n"}
    assert sorted(r["files_removed"]) == [
        "boot.py",
        "lib/",
        "lib/old/",
        "lib/old/helper.py",
        "lib/ssd1306.py",
    ]
