"""The host tools speak Chinese by default and English with --lang en, MAKERROOM_LANG=en or, for
`manage.py flash`, Django's active language; every message they use has a Chinese translation."""

import ast
import json
import re
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from makerroom_flash import i18n
from makerroom_flash.cli import main

from firmware.management.commands.flash import Command as FlashCommand

from .esp_images import merged_image

HOST = Path(i18n.__file__).resolve().parent  # the makerroom_flash package
HOST_CATALOGUE = HOST / "locale" / "zh_Hans" / "LC_MESSAGES" / "makerroom_flash.po"
APP = Path(__file__).resolve().parents[2] / "firmware"  # the Django app
APP_CATALOGUE = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
BUILT = "2026-09-01T08:00:00Z"
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def host_sources() -> list[Path]:
    return sorted(HOST.glob("*.py"))


def app_sources() -> list[Path]:
    return sorted(APP.glob("*.py")) + sorted((APP / "management" / "commands").glob("*.py"))


def msgids(path: Path) -> set[str]:
    """The first argument of every _("…") / gettext("…") call in a Python file."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in GETTEXT_NAMES
            and node.args
        ):
            arg = node.args[0]
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                f"{path.name}:{node.lineno}: translate a literal string, not an expression"
            )
            found.add(arg.value)
    return found


def flash(capsys, *args):
    code = main(["--build-time", BUILT, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_translated(sources: list[Path], catalogue_path: Path, gettext_zh) -> int:
    """Every msgid used in `sources` has a Chinese msgstr in the catalogue, and the compiled
    catalogue answers it; returns how many msgids there are."""
    catalogue = {e.msgid: e for e in polib.pofile(str(catalogue_path)) if not e.obsolete}
    used = {msgid: path.name for path in sources for msgid in msgids(path)}
    for msgid, where in used.items():
        entry = catalogue.get(msgid)
        assert entry is not None, f"{where}: {msgid!r} is not in {catalogue_path.name}"
        assert entry.msgstr.strip() and "fuzzy" not in entry.flags, f"{where}: {msgid!r} has no translation"
        assert CJK.search(entry.msgstr) or msgid.startswith("%("), f"{msgid!r} is not translated to Chinese"
        # Translators may reorder the named placeholders, never drop or rename one.
        assert sorted(PLACEHOLDER.findall(entry.msgstr)) == sorted(PLACEHOLDER.findall(msgid)), msgid
        # The compiled catalogue the code reads holds it too.
        assert gettext_zh(msgid) == entry.msgstr, f"{msgid!r}: compile the .po again (compilemessages)"
    return len(used)


def test_every_message_of_the_host_tools_has_a_chinese_translation():
    def host_zh(msgid):
        with i18n.override("zh-hans"):
            return i18n.gettext(msgid)

    assert assert_translated(host_sources(), HOST_CATALOGUE, host_zh) > 70
    for path in host_sources():
        for msgid in msgids(path):
            with i18n.override("en"):
                assert i18n.gettext(msgid) == msgid


def test_every_message_of_the_firmware_app_has_a_chinese_translation():
    def app_zh(msgid):
        with translation.override("zh-hans"):
            return translation.gettext(msgid)

    assert assert_translated(app_sources(), APP_CATALOGUE, app_zh) > 10


def test_the_host_tools_hold_no_inline_chinese():
    """Chinese lives in the catalogue only; the code says it in English msgids."""
    for path in [*host_sources(), APP / "recording.py", APP / "api.py"]:
        source = path.read_text(encoding="utf-8")
        assert not CJK.search(source), str(path)
    assert not CJK.search((APP / "management" / "commands" / "flash.py").read_text(encoding="utf-8"))


def test_language_names_and_choice(monkeypatch):
    assert i18n.to_locale("zh-hans") == "zh_Hans" and i18n.to_locale("en") == "en"
    assert [i18n.normalize(x) for x in ("zh-hans", "zh_Hans", "zh-cn", "en", "en-us", "", None, "fr")] == [
        "zh-hans",
        "zh-hans",
        "zh-hans",
        "en",
        "en",
        "zh-hans",
        "zh-hans",
        "zh-hans",
    ]
    assert i18n.get_language() == "zh-hans" and i18n.gettext("a port is listed twice") == "端口重复"
    monkeypatch.setenv("MAKERROOM_LANG", "en")
    assert i18n.get_language() == "en" and i18n.gettext("a port is listed twice") == "a port is listed twice"
    with i18n.override("zh-hans"):
        assert i18n.gettext("a port is listed twice") == "端口重复"
    assert i18n.get_language() == "en"  # back to what it was


def test_wrong_chip_refusal_is_chinese_by_default_and_english_with_lang_en(capsys, mock_boards):
    [board] = mock_boards(1, chip="esp32s3")
    code, out, _ = flash(capsys, "--lesson", "blink", "--ports", board.url, "--lesson-only", "--json")
    [result] = json.loads(out)["results"]
    assert code == 1 and result["message"] == "芯片不符：板子是 ESP32-S3，固件是 ESP32 的"
    # The JSON keys stay the same in every language; only the human-readable text changes.
    report_keys, result_keys = set(json.loads(out)), set(result)

    code, out, _ = flash(
        capsys, "--lang", "en", "--lesson", "blink", "--ports", board.url, "--lesson-only", "--json"
    )
    [result] = json.loads(out)["results"]
    assert code == 1 and result["message"] == "wrong chip: the board is ESP32-S3, the image is for ESP32"
    assert (set(json.loads(out)), set(result)) == (report_keys, result_keys)
    assert json.loads(out)["retry"] == f"makerroom-flash --lesson blink --ports {board.url} --lesson-only"
    assert board.read(0, 0x400000) == b"\xff" * 0x400000


def test_summary_table_in_english_with_lang_en_and_chinese_by_default(capsys, mock_boards, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    board = mock_boards(1)[0].install(merged_image("esp32", "v1.24.1"))
    code, out, _ = flash(capsys, "--lesson", "blink", "--ports", board.url, "--lesson-only", "--no-verify")
    assert code == 0
    assert "点亮 LED：让板载灯闪烁（blink 1.0.0）" in out  # the lesson's own Chinese title
    assert "端口" in out and "结果" in out and "成功 1 / 1 块板子" in out

    code, out, _ = flash(
        capsys, "--lesson", "blink", "--ports", board.url, "--lesson-only", "--no-verify", "--lang", "en"
    )
    assert code == 0
    assert "Blink: flash the on-board LED (blink 1.0.0)" in out  # the lesson's own English title
    assert "Port" in out and "Result" in out and "boards ok: 1 of 1" in out
    assert not re.search(r"[\u4e00-\u9fff]", out)


def test_makerroom_lang_en_prints_english(capsys, monkeypatch, mock_boards, tmp_path):
    [board] = mock_boards(1)
    monkeypatch.setenv("MAKERROOM_LANG", "en")
    code, _, err = flash(
        capsys, "--lesson", "blink", "--ports", f"{board.url},{board.url}", "--store", str(tmp_path)
    )
    assert code == 2 and "refused, no board touched: a port is listed twice" in err
    code, _, err = flash(capsys, "--lesson", "no-such-lesson", "--ports", board.url)
    assert code == 2 and "unknown lesson: no-such-lesson (lessons: blink," in err
    assert main(["firmware", "--store", str(tmp_path / "empty"), "list"]) == 0
    assert "the store is empty" in capsys.readouterr().out
    # and --lang zh-hans wins over the variable
    code, _, err = flash(
        capsys, "--lang", "zh-hans", "--lesson", "blink", "--ports", f"{board.url},{board.url}"
    )
    assert code == 2 and "已停止，未动任何板子：端口重复" in err
    assert board.sessions == 0


def test_manage_py_flash_speaks_the_active_django_language(kit_world, store, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    absent = "socket://127.0.0.1:9"
    args = ["flash", "--lesson", "blink", "--ports", absent, "--kit", "SZ-0012-K07", "--user", "labstaff"]
    args += ["--store", str(store.root)]
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command(*args)
    assert str(exc.value) == "some boards failed"
    out = capsys.readouterr().out
    assert "Blink: flash the on-board LED (blink 1.0.0)" in out and "boards ok: 0 of 1" in out
    assert f"port busy or absent: Could not open {absent}" in out and "recorded #" in out
    assert not re.search(r"[\u4e00-\u9fff]", out)
    with translation.override("en"), pytest.raises(CommandError) as exc:  # another school's kit
        call_command(*[a if a != "SZ-0012-K07" else "SZ-0345-K01" for a in args])
    assert str(exc.value) == "refused, no board touched"
    assert "Kit SZ-0345-K01 belongs to another school." in capsys.readouterr().err
    assert i18n.get_language() == "zh-hans"  # the command's language does not stay behind

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("flash", "--lesson", "blink", "--user", "nobody-at-all")
    assert str(exc.value) == "no such user: nobody-at-all"
    with translation.override("en"):
        help_text = FlashCommand().create_parser("manage.py", "flash").format_help()
    assert "Flash a lesson onto ESP32 boards and record them against kits" in help_text
    assert (
        "lesson slug to flash, e.g. traffic-light" in help_text and "username of the lab staff" in help_text
    )

    # Without an activated language: settings.LANGUAGE_CODE, Chinese.
    with pytest.raises(CommandError) as exc:
        call_command(*args)
    assert str(exc.value) == "有板子烧录失败"
    out = capsys.readouterr().out
    assert (
        "点亮 LED：让板载灯闪烁（blink 1.0.0）" in out and "端口不存在或被占用：" in out and "已记录 #" in out
    )
    help_text = FlashCommand().create_parser("manage.py", "flash").format_help()
    assert (
        "给多块 ESP32 开发板烧录课程，并记录到套件" in help_text and "课程名，例如 traffic-light" in help_text
    )
