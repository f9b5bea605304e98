import io
import json
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest
from makerroom_flash.library import BUNDLED

from firmware.library import LESSONS_DIR, UnknownLesson, lesson_slugs, lesson_zip, load_lesson

REPO = Path(__file__).resolve().parents[2]
TOOL_TYPES = {
    "esp32-devkit",
    "usb-cable",
    "breadboard",
    "jumper-wire",
    "led-red",
    "led-yellow",
    "led-green",
    "resistor-220",
    "resistor-10k",
    "push-button",
    "buzzer-passive",
    "potentiometer-10k",
    "ldr",
    "dht11",
    "hc-sr04",
    "sg90-servo",
    "ws2812-ring",
    "ssd1306-oled",
}
SLUGS = [
    "blink",
    "button",
    "breathing-led",
    "traffic-light",
    "buzzer-melody",
    "potentiometer",
    "light-sensor",
    "dht11",
    "ultrasonic",
    "servo",
    "neopixel-rainbow",
    "oled",
    "wifi-led",
]


def test_the_agreed_lessons_are_bundled():
    assert lesson_slugs() == sorted(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_lesson_metadata(slug):
    lesson = load_lesson(slug)
    assert lesson.slug == slug and lesson.title_zh and lesson.title_en and 1 <= lesson.level <= 4
    assert lesson.version.count(".") == 2 and lesson.min_micropython.startswith("1.")
    assert {t for t, _ in lesson.parts} <= TOOL_TYPES and ("esp32-devkit", 1) in lesson.parts
    assert all(q > 0 for _, q in lesson.parts)
    assert "main.py" in lesson.files and all(p in range(40) for p in lesson.pins)
    # Pins named in lesson.toml are the pins the program uses.
    for pin in lesson.pins:
        assert f"({pin}" in lesson.files["main.py"] or f"{pin})" in lesson.files["main.py"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in lesson.files["main.py"])  # Chinese comments


def test_driver_files_are_part_of_the_lesson():
    assert sorted(load_lesson("oled").files) == ["lib/ssd1306.py", "main.py"]


@pytest.mark.parametrize("slug", ["nope", "../blink", "", ".hidden", "blink/.."])
def test_unknown_lesson(slug):
    with pytest.raises(UnknownLesson) as exc:
        load_lesson(slug)
    assert isinstance(exc.value, ValueError)
    with pytest.raises(UnknownLesson):
        lesson_zip(slug)


def test_lesson_zip_is_deterministic_and_complete():
    first = lesson_zip("oled")
    assert first == lesson_zip("oled")
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert sorted(zf.namelist()) == ["oled/lesson.toml", "oled/lib/ssd1306.py", "oled/main.py"]
        meta = tomllib.loads(zf.read("oled/lesson.toml").decode())
        assert meta["title"]["zh"] == load_lesson("oled").title_zh


def _pyright(project: Path) -> dict:
    out = subprocess.run(
        [str(REPO / ".venv/bin/pyright"), "--outputjson", "-p", str(project / "pyrightconfig.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def stubs():
    path = REPO / "firmware/.stubs"
    assert (path / "machine.pyi").is_file(), "run scripts/setup.sh (installs micropython-esp32-stubs)"
    return path


def test_every_lesson_passes_pyright_against_the_esp32_stubs(stubs, tmp_path):
    # Check a copy with one deliberate mistake in it: the checker must flag exactly that and nothing else.
    project = tmp_path / "lessons"
    shutil.copytree(LESSONS_DIR, project)
    config = json.loads((LESSONS_DIR / "pyrightconfig.json").read_text())
    config.update(typeshedPath=str(stubs), stubPath=str(stubs), extraPaths=[str(stubs), "oled/lib"])
    (project / "pyrightconfig.json").write_text(json.dumps(config))
    (project / "blink" / "mistake.py").write_text("from machine import Pin\nPin(2).blink()\n")
    report = _pyright(project)
    files = {Path(d["file"]).relative_to(project).as_posix() for d in report["generalDiagnostics"]}
    assert files == {"blink/mistake.py"}, report["generalDiagnostics"]
    assert report["summary"]["filesAnalyzed"] >= len(SLUGS) + 1


def test_lessons_carry_the_hardware_notes_real_boards_need():
    """What a lab finds out the hard way otherwise (issue 13), in lesson.toml and in main.py."""

    def notes(slug):
        lesson = BUNDLED.load(slug)
        return " ".join(zh + " " + en for zh, en in lesson.notes), lesson.files["main.py"]

    text, program = notes("ultrasonic")
    assert "分压" in text and "3.3 V" in text and "1 kΩ" in text and "2 kΩ" in text and "HC-SR04P" in text
    assert "分压" in program and "3.3 V 的模块" in program
    text, program = notes("wifi-led")
    assert "WPA2" in text and "MAC" in text
    assert "authmode=network.AUTH_WPA2_PSK" in program and "unique_id()" in program
    text, program = notes("blink")
    assert "GPIO 2" in text and "DevKitC" in text and "GPIO 48" in text
    assert "DevKitC" in program
    text, program = notes("light-sensor")
    assert "3.3 V → 光敏电阻 → GPIO 35 → 10 kΩ 电阻 → GND" in text
    assert "3.3V —— 光敏电阻 —— GPIO 35 —— 10kΩ —— GND" in program
    driver = BUNDLED.load("oled").files["lib/ssd1306.py"]
    assert "micropython-lib" in driver and "The MIT License (MIT)" in driver
    assert "Damien P. George" in driver and "The above copyright notice and this permission notice" in driver
