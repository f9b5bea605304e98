"""Boards, kits and records (issue 13): every mock board has its own MAC, a board a kit already
holds is recorded against that kit whatever port it is on, --kit lists go in natural port order to
the new boards only, every kit code is checked before any board is touched, and "not recorded" is a
failure everywhere it shows."""

import json
import shlex

import pytest
from django.core.management import CommandError, call_command
from makerroom_flash.boards import BoardInfo, KitsRefused, assign_kits, natural_key, natural_order
from makerroom_flash.cli import main

from kits.models import FlashRecord, Kit, KitStatus

BUILT = "2026-09-01T08:00:00Z"


def test_ports_sort_naturally():
    ports = ["/dev/ttyUSB10", "/dev/ttyUSB2", "/dev/ttyACM0", "/dev/ttyUSB1", "COM12", "COM3"]
    assert natural_order(ports) == [
        "/dev/ttyACM0",
        "/dev/ttyUSB1",
        "/dev/ttyUSB2",
        "/dev/ttyUSB10",
        "COM3",
        "COM12",
    ]


def test_kit_lists_go_to_the_boards_no_kit_knows_in_port_order():
    ports = ["/dev/ttyUSB1", "/dev/ttyUSB2", "/dev/ttyUSB10"]
    infos = {
        "/dev/ttyUSB1": BoardInfo("/dev/ttyUSB1", True, mac="24:0a:c4:00:00:01"),
        "/dev/ttyUSB2": BoardInfo("/dev/ttyUSB2", True, mac="24:0a:c4:00:00:02"),
        "/dev/ttyUSB10": BoardInfo("/dev/ttyUSB10", False, message="连不上板子"),  # unread: keeps its place
    }
    known = {"24:0a:c4:00:00:02": "K-OLD"}
    assert assign_kits(ports, infos, ["K1", "K2"], known) == {
        "/dev/ttyUSB1": "K1",
        "/dev/ttyUSB2": "K-OLD",
        "/dev/ttyUSB10": "K2",
    }
    # Listing the kit a board already belongs to is no new assignment.
    assert assign_kits(ports, infos, ["K1", "K-OLD", "K2"], known)["/dev/ttyUSB10"] == "K2"
    with pytest.raises(KitsRefused) as exc:
        assign_kits(ports, infos, ["K1", "K2", "K3"], known)
    assert "/dev/ttyUSB1, /dev/ttyUSB10" in str(exc.value)
    # Without a list, new boards have no kit; known boards still get theirs.
    assert assign_kits(ports, infos, [], known) == {
        "/dev/ttyUSB1": "",
        "/dev/ttyUSB2": "K-OLD",
        "/dev/ttyUSB10": "",
    }


def test_every_mock_board_answers_its_own_mac(mock_boards, capsys, store):
    boards = mock_boards(3)
    code = main(
        ["--lesson", "blink", "--ports", ",".join(b.url for b in boards), "--store", str(store.root)]
        + ["--json", "--no-verify", "--build-time", BUILT]
    )
    results = {r["port"]: r["mac"] for r in json.loads(capsys.readouterr().out)["results"]}
    assert code == 0 and results == {b.url: b.mac for b in boards}
    assert len(set(results.values())) == 3


@pytest.fixture
def lab(kit_world):
    template = kit_world["kit"].template
    for n in (8, 9, 10):
        Kit.objects.create(code=f"SZ-0012-K{n:02d}", school=kit_world["school"], template=template)
    return kit_world


def flash_command(*args):
    return call_command(
        "flash", "--lesson", "blink", "--user", "labstaff", "--build-time", BUILT, "--no-verify", *args
    )


def test_a_board_a_kit_holds_is_recorded_against_it_on_any_port(lab, mock_boards, store, capsys):
    a, b, c = mock_boards(3)
    # b was flashed into K07 last week (on another port): its MAC is on the kit.
    Kit.objects.filter(code="SZ-0012-K07").update(esp32_mac=b.mac.upper())
    by_port = sorted([a, b, c], key=lambda board: natural_key(board.url))
    new = [board for board in by_port if board is not b]
    flash_command(
        "--ports",
        ",".join(x.url for x in (c, b, a)),
        "--kit",
        "SZ-0012-K08,SZ-0012-K09",
        "--store",
        str(store.root),
    )
    records = {r.mac.lower(): r.kit.code for r in FlashRecord.objects.select_related("kit")}
    assert records == {b.mac: "SZ-0012-K07", new[0].mac: "SZ-0012-K08", new[1].mac: "SZ-0012-K09"}
    assert Kit.objects.get(code="SZ-0012-K08").esp32_mac == new[0].mac.upper()
    assert Kit.objects.get(code="SZ-0012-K09").esp32_mac == new[1].mac.upper()
    # Next week the hub is plugged in another order: every board goes back to its own kit, no list needed.
    FlashRecord.objects.all().delete()
    flash_command("--ports", ",".join(x.url for x in (a, b, c)), "--store", str(store.root))
    records = {r.mac.lower(): r.kit.code for r in FlashRecord.objects.select_related("kit")}
    assert records == {b.mac: "SZ-0012-K07", new[0].mac: "SZ-0012-K08", new[1].mac: "SZ-0012-K09"}
    capsys.readouterr()


@pytest.mark.parametrize(
    ("kits", "why"),
    [
        ("SZ-0012-K08,SZ-0012-K99", "没有编号为 SZ-0012-K99 的套件"),
        ("SZ-0012-K08,SZ-0345-K01", "套件 SZ-0345-K01 属于其他学校"),
        ("SZ-0012-K08,SZ-0012-K09", "套件 SZ-0012-K09 已报废"),
    ],
)
def test_a_wrong_kit_code_refuses_the_run_before_any_board(lab, mock_boards, store, capsys, kits, why):
    Kit.objects.filter(code="SZ-0012-K09").update(status=KitStatus.RETIRED)
    boards = mock_boards(2)
    with pytest.raises(CommandError) as exc:
        flash_command(
            "--ports", ",".join(b.url for b in boards), "--kit", kits, "--store", str(store.root), "--json"
        )
    assert exc.value.returncode == 2
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert report["ok"] is False and why in report["refused"] and report["results"] == []
    assert why in out.err and "已停止，未动任何板子" in out.err
    assert all(b.sessions == 0 for b in boards) and not FlashRecord.objects.exists()


def test_a_kit_list_that_does_not_fit_the_new_boards_is_refused_before_writing(
    lab, mock_boards, store, capsys
):
    a, b = mock_boards(2)
    Kit.objects.filter(code="SZ-0012-K07").update(esp32_mac=a.mac.upper())
    with pytest.raises(CommandError):
        flash_command(
            "--ports", f"{a.url},{b.url}", "--kit", "SZ-0012-K08,SZ-0012-K09", "--store", str(store.root)
        )
    assert "给每块新板子一个套件编号" in capsys.readouterr().err
    assert a.read(0x1000, 16) == b.read(0x1000, 16) == b"\xff" * 16 and not FlashRecord.objects.exists()


def test_json_is_printed_when_refused_before_any_board(capsys, store):
    code = main(["--lesson", "no-such-lesson", "--ports", "socket://127.0.0.1:9", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2 and report["ok"] is False and "no-such-lesson" in report["refused"]


def test_not_recorded_is_a_failure_in_exit_code_summary_and_json(mock_boards, store, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    from makerroom_flash.plan import NotRecorded

    [board] = mock_boards(1)

    def recorder(result):
        raise NotRecorded("服务器不可用")

    args = ["--build-time", BUILT, "--lesson", "blink", "--ports", board.url, "--store", str(store.root)]
    code = main([*args, "--json"], recorder=recorder)
    report = json.loads(capsys.readouterr().out)
    [r] = report["results"]
    assert code == 1 and report["ok"] is False and report["not_recorded"] == [board.url]
    assert r["ok"] is True and r["record_ok"] is False and r["recorded"] == "未记录：服务器不可用"
    assert board.url in report["retry"]

    code = main(args, recorder=recorder)
    out = capsys.readouterr().out
    assert code == 1 and "成功 0 / 1 块" in out and "已烧录但未记录：" + board.url in out


def test_the_retry_command_repeats_the_options_and_the_failed_boards_kits(
    lab, mock_boards, store, base_file, capsys
):
    good = mock_boards(1)[0].install(base_file.read_bytes())  # a lesson-only update: MicroPython on it
    absent = "socket://127.0.0.1:9"
    with pytest.raises(CommandError):
        flash_command(
            "--ports",
            f"{good.url},{absent}",
            "--kit",
            "SZ-0012-K08,SZ-0012-K09",
            "--store",
            str(store.root),
            "--baud",
            "115200",
            "--lesson-only",
            "--json",
        )
    report = json.loads(capsys.readouterr().out)
    failed = [r for r in report["results"] if not r["ok"]]
    assert [r["port"] for r in failed] == [absent]
    kit = failed[0]["kit"]
    assert shlex.split(report["retry"]) == [
        "python",
        "manage.py",
        "flash",
        "--user",
        "labstaff",
        "--lesson",
        "blink",
        "--ports",
        absent,
        "--kit",
        kit,
        "--store",
        str(store.root),
        "--baud",
        "115200",
        "--lesson-only",
        "--no-verify",
    ]
