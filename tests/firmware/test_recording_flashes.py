"""Flashing with recording into kits: `manage.py flash` on the server, and `makerroom-flash
--server … --token …` on a lab PC that only talks to the REST API."""

import json

import pytest
from django.core.management import CommandError, call_command
from makerroom_flash.cli import main
from makerroom_flash.fsimage import read_image
from wagtail.models import APIToken

from firmware.library import load_lesson
from kits.models import FlashRecord, Kit

BUILT = "2026-09-01T08:00:00Z"


def test_manage_py_flash_records_each_board_against_its_kit(
    kit_world, mock_boards, store, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "300")  # a wide terminal: the summary table's rows stay on one line
    (good,) = mock_boards(1)
    absent = "socket://127.0.0.1:9"  # first in port order: it takes the first kit of the list
    Kit.objects.create(code="SZ-0012-K08", school=kit_world["school"], template=kit_world["kit"].template)
    with pytest.raises(CommandError) as exc:
        call_command(
            "flash",
            "--lesson",
            "blink",
            "--ports",
            f"{good.url},{absent}",
            "--kit",
            "SZ-0012-K08,SZ-0012-K07",
            "--user",
            "labstaff",
            "--store",
            str(store.root),
            "--no-verify",
            "--build-time",
            BUILT,
        )
    assert exc.value.returncode == 1  # one board failed
    out = capsys.readouterr().out
    record = FlashRecord.objects.get(kit__code="SZ-0012-K07")
    assert record.ok and record.flashed_by.username == "labstaff" and record.port == good.url
    assert (record.mac, record.lesson_slug, record.lesson_version) == (good.mac.upper(), "blink", "1.0.0")
    assert record.base_firmware == "ESP32_GENERIC-v1.24.1.bin v1.24.1" and record.seconds > 0
    assert record.base_sha256 == store.list()[0].sha256
    kit_world["kit"].refresh_from_db()
    assert kit_world["kit"].esp32_mac == good.mac.upper()
    # The failed board is recorded as a failure against its kit, which keeps no MAC.
    failure = FlashRecord.objects.get(kit__code="SZ-0012-K08")
    assert not failure.ok and failure.message.startswith("端口不存在或被占用")
    assert Kit.objects.get(code="SZ-0012-K08").esp32_mac == ""
    rows = {line.split("│")[0].strip(): line for line in out.splitlines() if "│" in line}
    assert f"已记录 #{record.pk}" in rows[good.url] and f"已记录 #{failure.pk}" in rows[absent]
    assert "python manage.py flash --user labstaff --lesson blink --ports socket://127.0.0.1:9" in out
    assert (
        read_image(good.read(0x200000, 0x200000))["main.py"] == load_lesson("blink").files["main.py"].encode()
    )


def test_manage_py_flash_records_a_failure(kit_world, store, capsys):
    with pytest.raises(CommandError):
        call_command(
            "flash",
            "--lesson",
            "blink",
            "--ports",
            "socket://127.0.0.1:9",
            "--kit",
            "SZ-0012-K07",
            "--user",
            "labstaff",
            "--store",
            str(store.root),
        )
    record = FlashRecord.objects.get()
    assert (
        not record.ok and record.message.startswith("端口不存在或被占用") and record.kit == kit_world["kit"]
    )


@pytest.mark.parametrize("who", ["teacher", "student", "schoolless_labstaff", "nobody"])
def test_manage_py_flash_only_for_lab_staff(kit_world, store, who):
    with pytest.raises(CommandError):
        call_command("flash", "--lesson", "blink", "--ports", "socket://127.0.0.1:9", "--user", who)
    assert not FlashRecord.objects.exists()


def test_flash_token_command(kit_world, client, capsys):
    call_command("flash_token", "labstaff")
    token = capsys.readouterr().out.strip()
    assert APIToken.validate_token_format(token)
    assert APIToken.objects.get().user.username == "labstaff"
    response = client.get("/api/firmware/lessons/blink/bundle/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    with pytest.raises(CommandError):
        call_command("flash_token", "student")


@pytest.mark.django_db(transaction=True)
def test_remote_mode_downloads_the_lesson_and_records_through_the_api(
    kit_world, live_server, mock_boards, base_file, capsys
):
    board = mock_boards(1)[0].install(base_file.read_bytes())  # MicroPython on it already
    token = APIToken.create_token(user=kit_world["users"]["labstaff"], name="机房电脑 1")[1]
    code = main(
        [
            "--server",
            live_server.url,
            "--token",
            token,
            "--lesson",
            "servo",
            "--ports",
            board.url,
            "--kit",
            "SZ-0012-K07",
            "--lesson-only",
            "--no-verify",
            "--json",
            "--build-time",
            BUILT,
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    [result] = report["results"]
    record = FlashRecord.objects.get()
    assert result["recorded"] == f"已记录 #{record.pk}"
    assert record.kit == kit_world["kit"] and record.flashed_by == kit_world["users"]["labstaff"]
    assert record.ok and record.lesson_slug == "servo" and record.base_firmware == ""
    files = read_image(board.read(0x200000, 0x200000))
    assert files["main.py"] == load_lesson("servo").files["main.py"].encode()
    assert json.loads(files["lesson.json"])["board"] == "SZ-0012-K07"


@pytest.mark.django_db(transaction=True)
def test_remote_mode_with_a_bad_token_touches_no_board(kit_world, live_server, mock_boards, capsys):
    (board,) = mock_boards(1)
    code = main(
        [
            "--server",
            live_server.url,
            "--token",
            "wagtail_wrong",
            "--lesson",
            "blink",
            "--ports",
            board.url,
            "--lesson-only",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "令牌无效或已撤销（HTTP 401）：令牌无效或已撤销" in err and board.sessions == 0
    assert not FlashRecord.objects.exists()
    # the site answers in the language the lab PC uses
    code = main(
        [
            "--lang",
            "en",
            "--server",
            live_server.url,
            "--token",
            "wagtail_wrong",
            "--lesson",
            "blink",
            "--ports",
            board.url,
            "--lesson-only",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "token rejected or revoked (HTTP 401): invalid or revoked token" in err
