"""Every bundled lesson runs on real MicroPython (WebAssembly) against the virtual board; the
assertions read the recorded trace of pin, PWM, ADC, I2C, NeoPixel and network activity."""

import pytest

from firmware.library import lesson_slugs
from firmware.simulator import lesson_job, run_jobs

MS = 1000  # trace times are in microseconds

SCENARIOS = {
    "blink": ({}, 5000),
    # Two presses, each with contact bounce a few ms after the first edge.
    "button": (
        {
            "inputs": {
                "14": [[1000, 0], [1002, 1], [1004, 0], [1300, 1], [3000, 0], [3001, 1], [3003, 0], [3200, 1]]
            }
        },
        5000,
    ),
    "breathing-led": ({}, 1500),
    "traffic-light": ({}, 16000),
    "buzzer-melody": ({}, 9000),
    "potentiometer": ({"adc": {"34": [[0, 0], [1000, 32768], [2000, 65535]]}}, 2500),
    "light-sensor": ({"adc": {"35": [[0, 50000], [2000, 5000], [4000, 50000]]}}, 5000),
    "dht11": ({"dht": [[0, 25, 60], [3000, 31, 55], [7000, None, None]]}, 9000),
    "ultrasonic": ({"distance_cm": [[0, 50], [1000, 5], [2000, None]]}, 2500),
    "servo": ({}, 4000),
    "neopixel-rainbow": ({}, 1700),
    "oled": ({}, 2500),
    "wifi-led": (
        {
            "http": [
                [1000, "GET / HTTP/1.1\r\nHost: 192.168.4.1\r\n\r\n"],
                [2000, "GET /on HTTP/1.1\r\n\r\n"],
                [3000, "GET /off HTTP/1.1\r\n\r\n"],
            ]
        },
        5000,
    ),
}

SPIN = {"id": "spin", "files": {"main.py": "x = 0\nwhile True:\n    x += 1\n"}, "budget_ms": 1000}
SWALLOW = {
    "id": "swallow",
    "files": {
        "main.py": "import time\nn = 0\nwhile True:\n    try:\n        time.sleep(1)\n        n += 1\n    except Exception:\n        print('swallowed')\n"
    },
    "budget_ms": 3500,
}
CRASH = {
    "id": "crash",
    "files": {"main.py": "from machine import Pin\nPin(2, Pin.OUT).value(1)\n1 / 0\n"},
    "budget_ms": 1000,
}


@pytest.fixture(scope="module")
def runs():
    jobs = [lesson_job(slug, scenario, budget) for slug, (scenario, budget) in SCENARIOS.items()]
    # The spinning lesson sits between real lessons: the runner must restart and carry on.
    jobs[3:3] = [SPIN]
    jobs += [SWALLOW, CRASH]
    return run_jobs(jobs, wall_timeout=3)


def test_every_lesson_has_a_scenario():
    assert sorted(SCENARIOS) == lesson_slugs()


@pytest.mark.parametrize("slug", sorted(SCENARIOS))
def test_lesson_runs_until_its_time_budget(runs, slug):
    run = runs[slug]
    assert run.status == "budget", run.error
    assert run.now_us == SCENARIOS[slug][1] * MS


def test_blink_toggles_gpio2_every_500ms(runs):
    writes = runs["blink"].of("pin", 2)
    assert writes == [(i * 500 * MS, 1 - i % 2) for i in range(11)]


def test_button_toggles_once_per_press_despite_bounce(runs):
    run = runs["button"]
    assert len(run.of("irq", 14)) == 4  # every falling edge reached the handler...
    assert run.of("pin", 2) == [(1000 * MS, 1), (3000 * MS, 0)]  # ...but each press counted once


def test_breathing_led_ramps_up_then_down(runs):
    run = runs["breathing-led"]
    assert run.of("pwm_freq", 2) == [(0, 1000)]
    cycle = [(t, d) for t, d in run.of("pwm_duty", 2) if t < 680 * MS]
    duties = [d for _, d in cycle]
    peak = duties.index(65535)
    assert duties[0] == 0 and duties[-1] == 0 and peak == 16
    assert duties[: peak + 1] == sorted(duties[: peak + 1])
    assert duties[peak:] == sorted(duties[peak:], reverse=True)
    assert [t for t, _ in cycle] == [i * 20 * MS for i in range(34)]
    assert run.of("pwm_duty", 2)[34] == (680 * MS, 0)  # the next breath starts


def _lights(run, at_ms):
    state = {}
    for t, pin, level in ((e[0], e[2], e[3]) for e in run.events if e[1] == "pin"):
        if t <= at_ms * MS:
            state[pin] = level
    return "".join(name for name, pin in (("R", 25), ("Y", 26), ("G", 27)) if state.get(pin))


def test_traffic_light_sequence_and_timings(runs):
    run = runs["traffic-light"]
    timeline = [
        (0, "R"),
        (4999, "R"),
        (5000, "G"),
        (9999, "G"),
        (10000, ""),
        (10500, "G"),
        (11000, ""),
        (11500, "G"),
        (12000, ""),
        (12500, "G"),
        (12999, "G"),
        (13000, "Y"),
        (14999, "Y"),
        (15000, "R"),
    ]
    assert [(t, _lights(run, t)) for t, _ in timeline] == timeline


def test_buzzer_plays_twinkle_twinkle(runs):
    run = runs["buzzer-melody"]
    tune = [262, 262, 392, 392, 440, 440, 392, 349, 349, 330, 330, 294, 294, 262]
    beats = [1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2]
    starts = [sum(beats[:i]) * 400 * MS for i in range(len(beats))]
    notes = run.of("pwm_freq", 23)[1:]  # the first is the silent set-up at 440 Hz
    assert notes[: len(tune)] == list(zip(starts, tune, strict=True))
    assert notes[len(tune)] == (8400 * MS, 262)  # a 2 s rest, then the song again
    sounding = [(t, d) for t, d in run.of("pwm_duty", 23)]
    assert sounding[0] == (0, 0)  # silent until the first note
    assert (starts[6] + 750 * MS, 0) in sounding  # a two-beat note sounds 750 ms, then a gap


def test_potentiometer_sets_brightness_from_adc(runs):
    run = runs["potentiometer"]
    assert run.of("adc_atten", 34) == [(0, 3)]
    duty = dict(run.of("pwm_duty", 2))
    assert duty[900 * MS] == 0 and duty[1000 * MS] == 32768 and duty[2500 * MS] == 65535
    assert len(run.of("adc_read", 34)) == 26  # every 100 ms
    assert "旋钮读数: 32768" in run.printed


def test_light_sensor_switches_on_when_dark(runs):
    run = runs["light-sensor"]
    assert run.of("pin", 2) == [(t * MS, 1 if 2000 <= t < 4000 else 0) for t in range(0, 5001, 500)]
    assert "亮度: 5000" in run.printed


def test_dht11_reports_and_warns_and_survives_a_failed_read(runs):
    run = runs["dht11"]
    assert run.printed == [
        "温度: 25 °C  湿度: 60 %",
        "温度: 25 °C  湿度: 60 %",
        "温度: 31 °C  湿度: 55 %",
        "温度: 31 °C  湿度: 55 %",
        "读取失败，请检查 DHT11 的接线",
    ]
    assert run.of("pin", 2) == [(0, 0), (2000 * MS, 0), (4000 * MS, 1), (6000 * MS, 1)]


def test_ultrasonic_triggers_and_measures(runs):
    run = runs["ultrasonic"]
    trig = run.of("pin", 5)
    assert [v for _, v in trig[:3]] == [0, 1, 0] and trig[2][0] - trig[1][0] == 10  # a 10 µs pulse
    printed = run.printed
    assert printed[0] == "距离: 50.0 厘米"
    assert "距离: 5.0 厘米" in printed and printed[-1] == "没有测到回声"
    alarm = [(t, v) for t, v in run.of("pin", 2)]
    assert alarm[0][1] == 0 and any(v == 1 and 1000 * MS <= t < 2100 * MS for t, v in alarm)


def test_servo_sweeps_within_the_sg90_pulse_range(runs):
    run = runs["servo"]
    assert run.of("pwm_freq", 13) == [(0, 50)]
    pulses = [ns for _, ns in run.of("pwm_ns", 13)]
    assert min(pulses) == 500_000 and max(pulses) == 2_500_000
    assert pulses[:19] == sorted(pulses[:19]) and pulses[18] == 2_500_000
    assert pulses[19:38] == sorted(pulses[19:38], reverse=True)


def test_neopixel_ring_shows_a_turning_rainbow(runs):
    frames = [v for _, v in runs["neopixel-rainbow"].of("neopixel", 15)]
    assert len(frames) == 35  # every 50 ms, 0 to 1700 ms
    first = frames[0]
    assert len(first) == 12 and first[0] == [31, 0, 0]
    assert all(0 <= c <= 31 for pixel in first for c in pixel)
    assert len({tuple(p) for p in first}) == 12  # twelve different colours
    assert frames[1] != first and frames[32] == first  # it turns, and comes round after 32 steps


def test_oled_initialises_and_draws_over_i2c(runs):
    run = runs["oled"]
    assert run.of("i2c_init", 0) == [(0, {"scl": 22, "sda": 21, "freq": 400000})]
    writes = [bytes.fromhex(v) for _, v in run.of("i2c_write", 0x3C)]
    commands = [w[1] for w in writes if w[0] == 0x80]
    assert commands[0] == 0xAE and 0x8D in commands and commands[commands.index(0x8D) + 1] == 0x14
    assert 0xAF in commands
    frames = [w[1:] for w in writes if w[0] == 0x40]
    assert all(len(f) == 1024 for f in frames)
    assert not any(frames[0])  # cleared at start-up
    last = frames[-1]  # after two seconds: text rows and a 16-pixel progress bar
    page = lambda p: last[p * 128 : (p + 1) * 128]  # noqa: E731
    assert any(page(0)) and any(page(3))
    assert page(6)[:16] == b"\xff" * 16 and page(6)[16] == 0x01  # bar filled, then the frame's top line


def test_wifi_led_serves_a_page_that_switches_the_led(runs):
    run = runs["wifi-led"]
    assert run.of("wlan_active", 1) == [(0, True)]
    # Each board its own hotspot name (the end of its MAC: the virtual board's is 24:0a:c4:00:00:01), WPA2.
    assert run.of("wlan_config", 1) == [
        (0, {"essid": "MakerRoom-0001", "password": "makerroom", "authmode": 3})
    ]
    assert run.of("socket_bind", 80)
    assert run.of("pin", 2) == [(2000 * MS, 1), (3000 * MS, 0)]
    pages = [v for _, v in run.of("http_response")]
    assert len(pages) == 3 and all(p.startswith("HTTP/1.1 200 OK") for p in pages)
    assert ["现在灯是：灭" in pages[0], "现在灯是：亮" in pages[1], "现在灯是：灭" in pages[2]] == [True] * 3


def test_budget_cannot_be_swallowed_by_except_exception(runs):
    run = runs["swallow"]
    assert run.status == "budget" and run.printed == [] and run.now_us == 3500 * MS


def test_a_lesson_that_never_sleeps_is_killed_and_the_rest_still_run(runs):
    assert runs["spin"].status == "killed"
    assert runs["traffic-light"].status == "budget"  # ran after the kill, in a fresh process


def test_a_crashing_lesson_reports_its_traceback(runs):
    run = runs["crash"]
    assert run.status == "error" and "ZeroDivisionError" in run.error and "main.py" in run.error
    assert run.of("pin", 2) == [(0, 1)]


def test_every_lesson_meets_the_expectations_its_lesson_toml_states(runs):
    """The same data ([[expect]]) and checker (firmware/vboard/checker.mjs) as the lesson page's
    "检查我的程序"; tests/workbench/test_expectations.py shows it failing broken programs."""
    from tests.workbench.checking import check_traces, lesson_spec

    items = []
    for slug, (_, budget_ms) in SCENARIOS.items():
        assert budget_ms >= lesson_spec(slug)["check"]["budget_ms"], slug
        run = runs[slug]
        trace = {"status": run.status, "error": run.error, "now_us": run.now_us, "events": run.events}
        items.append({"id": slug, "expect": lesson_spec(slug)["expect"], "run": trace})
    failures = {slug: [r for r in c["results"] if not r["ok"]] for slug, c in check_traces(items).items()}
    assert failures == {slug: [] for slug in SCENARIOS}
