"""Lesson expectations as data: every bundled lesson's lesson.toml says what its program must do,
and ONE checker (firmware/vboard/checker.mjs, the page's own) judges a run on real MicroPython."""

import pytest

from .checking import LESSONS, check_job, lesson_files, lesson_spec, run_in_node

SLUGS = sorted(p.name for p in LESSONS.iterdir() if (p / "lesson.toml").is_file())
KINDS = {"toggle", "sequence", "range", "value_at", "tones", "prints", "neopixel", "oled", "http"}


def edit(slug, old, new):
    source = lesson_files(slug)
    assert old in source["main.py"], old
    return {**source, "main.py": source["main.py"].replace(old, new)}


BROKEN = {
    # id: (lesson, files, expected failure code, moment it first went wrong in ms)
    "blink-slow": (
        "blink",
        edit("blink", "time.sleep_ms(500)  # 等 500", "time.sleep_ms(800)  # 等"),
        "wrong_interval",
        800,
    ),
    "blink-never": (
        "blink",
        edit("blink", "led.value(0)  # 给 0", "led.value(1)  # 给 1"),
        "stopped_toggling",
        525,
    ),
    "traffic-long-yellow": (
        "traffic-light",
        edit("traffic-light", "time.sleep(2)", "time.sleep(3)"),
        "wrong_duration",
        15100,
    ),
    "servo-too-far": (
        "servo",
        edit("servo", "angle * 2_000_000 // 180", "angle * 2_600_000 // 180"),
        "out_of_range",
        None,
    ),
    "button-no-debounce": ("button", None, "wrong_value_at", 1500),
    "buzzer-wrong-note": ("buzzer-melody", edit("buzzer-melody", '"G": 392', '"G": 400'), "wrong_note", 800),
}


def test_every_lesson_states_expectations_the_checker_knows():
    for slug in SLUGS:
        spec = lesson_spec(slug)
        assert spec["check"]["budget_ms"] <= 16_000, slug  # a few virtual seconds
        assert spec["expect"], slug
        for exp in spec["expect"]:
            assert exp["kind"] in KINDS and exp["zh"] and exp["en"], (slug, exp)
        assert spec["wiring"], slug  # the page draws the lesson's parts


@pytest.fixture(scope="module")
def checked():
    jobs = [check_job(slug) for slug in SLUGS]
    for id, (slug, files, _, _) in BROKEN.items():
        jobs.append(check_job(slug, files, id=id))
    return run_in_node(jobs)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_bundled_program_meets_its_lesson_expectations(checked, slug):
    result = checked[slug]
    assert result["status"] == "budget", result["error"]
    assert result["check"]["ok"], [r for r in result["check"]["results"] if not r["ok"]]
    assert result["check"]["first_wrong_us"] is None


def _button_without_debounce():
    # The naive handler: every falling edge (bounces included) toggles the LED.
    return {
        "main.py": "from machine import Pin\nimport time\nled = Pin(2, Pin.OUT)\nb = Pin(14, Pin.IN, Pin.PULL_UP)\n"
        "def press(p):\n    led.value(1 - led.value())\nb.irq(press, Pin.IRQ_FALLING)\nwhile True:\n    time.sleep_ms(100)\n"
    }


BROKEN["button-no-debounce"] = ("button", _button_without_debounce(), "wrong_value_at", 1500)


@pytest.mark.parametrize("id", sorted(BROKEN))
def test_a_broken_program_fails_naming_the_expectation_and_when(checked, id):
    slug, _, code, at_ms = BROKEN[id]
    check = checked[id]["check"]
    assert not check["ok"]
    failed = [r for r in check["results"] if not r["ok"]]
    assert failed[0]["code"] == code, failed
    assert 0 <= failed[0]["index"] < len(lesson_spec(slug)["expect"])  # names a lesson.toml entry
    if at_ms is not None:
        assert failed[0]["at_us"] == at_ms * 1000
        assert check["first_wrong_us"] == at_ms * 1000


def test_a_crash_is_the_first_thing_a_check_reports():
    files = {
        "main.py": "from machine import Pin\nimport time\nled = Pin(2, Pin.OUT)\nled.value(1)\ntime.sleep(1)\nled.vaule(0)\n"
    }
    result = run_in_node([check_job("blink", files, id="crash")])["crash"]
    assert result["status"] == "error" and "AttributeError" in result["error"]
    first = result["check"]["results"][0]
    assert (first["code"], first["at_us"], first["index"]) == ("crashed", 1_000_000, -1)


REFUSED = {
    "Pin(34, Pin.OUT)": "pin can only be input: GPIO 34 (GPIO 34-39 are input-only)",
    "Pin(39, Pin.OPEN_DRAIN)": "pin can only be input: GPIO 39",
    "PWM(Pin(36), freq=1000)": "pin can only be input: GPIO 36",
    "PWM(35)": "pin can only be input: GPIO 35",
    "neopixel.NeoPixel(Pin(37), 8)": "pin can only be input: GPIO 37",
    "I2C(0, scl=Pin(22), sda=Pin(34))": "pin can only be input: GPIO 34",
    "Pin(6, Pin.OUT)": "invalid pin: GPIO 6 is wired to the flash chip (GPIO 6-11 cannot be used)",
    "Pin(11, Pin.IN)": "invalid pin: GPIO 11 is wired to the flash chip",
    "Pin(20, Pin.OUT)": "invalid pin: the ESP32 has no GPIO 20",
    "Pin(40)": "invalid pin: the ESP32 has no GPIO 40",
}


def test_the_virtual_board_refuses_what_a_real_esp32_refuses():
    jobs = [
        {
            "id": call,
            "files": {"main.py": f"from machine import Pin, PWM, I2C\nimport neopixel\n\n{call}\n"},
            "budget_ms": 100,
        }
        for call in REFUSED
    ]
    # What the chip allows still works: input on 34-39, output on 2 and 33.
    allowed = "from machine import Pin, ADC\nPin(34, Pin.IN)\nADC(Pin(39))\nPin(2, Pin.OUT).on()\nPin(33, Pin.OUT).on()\n"
    jobs.append({"id": "allowed", "files": {"main.py": allowed}, "budget_ms": 100})
    results = run_in_node(jobs)
    for call, message in REFUSED.items():
        result = results[call]
        assert result["status"] == "error", call
        assert f"ValueError: {message}" in result["error"] and "line 4" in result["error"], result["error"]
    assert results["allowed"]["status"] == "finished", results["allowed"]["error"]
