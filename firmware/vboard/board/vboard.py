# The virtual ESP32 board: a virtual clock, the trace of everything the lesson did to the
# hardware, and the scripted outside world (button presses, sensor readings, web requests).
# Plain MicroPython with no host-specific code, so the same files run in Node and in a browser.

import json
import sys


class BudgetExceeded(BaseException):
    # BaseException, so a lesson's `except Exception:` cannot swallow the end of its run.
    pass


def _steps(points):
    # Scenario series come as [[t_ms, value...], ...]; keep them sorted by time, in microseconds.
    return sorted(([int(p[0] * 1000)] + list(p[1:]) for p in points), key=lambda p: p[0])


class Board:
    def __init__(self, scenario, budget_ms):
        self.now_us = 0
        self.budget_us = int(budget_ms * 1000)
        self.events = []
        self.scenario = scenario
        self.inputs = {int(k): _steps(v) for k, v in scenario.get("inputs", {}).items()}
        self.adc = {int(k): _steps(v) for k, v in scenario.get("adc", {}).items()}
        self.dht = _steps(scenario.get("dht", []))
        self.distance = _steps(scenario.get("distance_cm", []))
        self.echo_pin = scenario.get("echo_pin", 18)
        self.requests = _steps(scenario.get("http", []))
        self.i2c_devices = scenario.get("i2c_devices", [0x3C])
        self.levels = {}  # pin number -> level last driven or read
        self.pulls = {}
        self.irqs = {}  # pin number -> (trigger, handler, Pin)
        self.timers = []  # [due_us, period_us or 0, callback, Timer]
        self.triggered = False  # an HC-SR04 trigger pulse has been sent

    # --- trace -------------------------------------------------------------
    def record(self, kind, target, value):
        self.events.append([self.now_us, kind, target, value])

    # --- scripted world ----------------------------------------------------
    @staticmethod
    def value_at(series, now_us, default=None):
        value = default
        for point in series:
            if point[0] > now_us:
                break
            # [t] alone means "nothing there" (no echo, a loose wire): TOML has no null.
            value = None if len(point) == 1 else point[1] if len(point) == 2 else point[1:]
        return value

    def input_level(self, pin):
        default = 1 if self.pulls.get(pin) == "up" else 0
        if pin in self.inputs:
            return self.value_at(self.inputs[pin], self.now_us, default)
        return self.levels.get(pin, default)

    def adc_value(self, pin):
        return int(self.value_at(self.adc.get(pin, []), self.now_us, 0))

    def dht_reading(self):
        """[°C, %] or None (no answer: a loose wire)."""
        reading = self.value_at(self.dht, self.now_us)
        return None if not reading or reading[0] is None else reading

    def distance_cm(self):
        return self.value_at(self.distance, self.now_us)

    def next_request(self):
        """The next web request's text, waiting for it on the virtual clock."""
        for point in self.requests:
            if point[0] >= self.now_us and point[-1] is not True:
                self.advance(point[0] - self.now_us)
                point.append(True)  # answered
                return point[1]
        self.wait_forever()

    def _next_due(self, limit):
        # The earliest input edge or timer due after now and not later than limit.
        due = None
        for series in self.inputs.values():
            for point in series:
                if self.now_us < point[0] <= limit:
                    due = point[0] if due is None else min(due, point[0])
                    break
        for timer in self.timers:
            if timer[0] <= limit:
                due = timer[0] if due is None else min(due, timer[0])
        return due

    def advance(self, us):
        target = self.now_us + max(0, int(us))
        while True:
            due = self._next_due(min(target, self.budget_us))
            if due is None:
                break
            before = {pin: self.input_level(pin) for pin in self.irqs}
            self.now_us = max(self.now_us, due)
            for pin, (trigger, handler, obj) in list(self.irqs.items()):
                old, new = before[pin], self.input_level(pin)
                if (old == 1 and new == 0 and trigger & 2) or (old == 0 and new == 1 and trigger & 1):
                    self.record("irq", pin, new)
                    handler(obj)
            for timer in list(self.timers):
                if timer[0] <= self.now_us:
                    if timer[1]:
                        timer[0] += timer[1]
                    else:
                        self.timers.remove(timer)
                    timer[2](timer[3])
        if target > self.budget_us:
            self.now_us = self.budget_us
            raise BudgetExceeded()
        self.now_us = target

    def wait_forever(self):
        self.advance(self.budget_us + 1 - self.now_us)


class LiveBoard(Board):
    """The board on the lesson page: real time and live inputs from the page.

    `host` is the Web Worker's JS object (see courses/workbench/src/worker.js): now_us() reads the
    real clock, sleep(us) blocks the worker (Atomics.wait, woken early when an input changes),
    level(pin) / adc(pin) / dht() / distance() read the page's controls (-1: not set), request()
    the next web request typed on the page, and emit(json) sends trace events to the page.
    Interrupt handlers and timers run while the program sleeps, as soft IRQs do on the chip.
    """

    FLUSH_EVERY = 200  # events sent in one message when a program drives pins without sleeping

    def __init__(self, host):
        super().__init__({}, 1 << 62)
        self.host = host
        self.outbox = []
        self.irq_levels = {}

    def record(self, kind, target, value):
        self.now_us = int(self.host.now_us())
        event = [self.now_us, kind, target, value]
        self.events = [event]  # nothing is kept: a live run can go on for hours
        self.outbox.append(event)
        if len(self.outbox) >= self.FLUSH_EVERY:
            self.flush()

    def flush(self):
        if self.outbox:
            self.host.emit(json.dumps(self.outbox))
            self.outbox = []

    def input_level(self, pin):
        level = int(self.host.level(pin))
        if level >= 0:
            return level
        return self.levels.get(pin, 1 if self.pulls.get(pin) == "up" else 0)

    def adc_value(self, pin):
        return max(0, int(self.host.adc(pin)))

    def dht_reading(self):
        reading = json.loads(self.host.dht())
        return reading or None

    def distance_cm(self):
        cm = float(self.host.distance())
        return None if cm < 0 else cm

    def next_request(self):
        while True:
            text = str(self.host.request())
            if text:
                return text
            self.advance(50_000)

    def _soft_irqs(self):
        for pin, (trigger, handler, obj) in list(self.irqs.items()):
            new = self.input_level(pin)
            old = self.irq_levels.get(pin, new)
            self.irq_levels[pin] = new
            if (old == 1 and new == 0 and trigger & 2) or (old == 0 and new == 1 and trigger & 1):
                self.record("irq", pin, new)
                handler(obj)
        for timer in list(self.timers):
            if timer[0] <= self.now_us:
                if timer[1]:
                    timer[0] = max(timer[0] + timer[1], self.now_us)
                else:
                    self.timers.remove(timer)
                timer[2](timer[3])

    def advance(self, us):
        self.flush()
        self.now_us = int(self.host.now_us())
        target = self.now_us + max(0, int(us))
        while True:
            self._soft_irqs()
            self.flush()
            self.now_us = int(self.host.now_us())
            left = target - self.now_us
            if left <= 0:
                return
            # Short slices, so a timer or a button is served within 10 ms of its moment.
            slice_us = min(left, 10_000)
            for timer in self.timers:
                slice_us = max(0, min(slice_us, timer[0] - self.now_us))
            self.host.sleep(slice_us)

    def wait_forever(self):
        while True:
            self.advance(1_000_000)


# The ESP32 (ESP32-WROOM-32 DevKit) GPIOs, refused the way the real chip refuses them.
FLASH_PINS = range(6, 12)  # wired to the SPI flash chip inside the module
INPUT_ONLY_PINS = range(34, 40)  # no output driver
GPIOS = [n for n in range(40) if n not in (20, 24, 28, 29, 30, 31)]


def require_pin(pin):
    """The pin number of a usable GPIO; ValueError (as MicroPython raises) for any other."""
    pin = int(pin)
    if pin in FLASH_PINS:
        raise ValueError(f"invalid pin: GPIO {pin} is wired to the flash chip (GPIO 6-11 cannot be used)")
    if pin not in GPIOS:
        raise ValueError(f"invalid pin: the ESP32 has no GPIO {pin}")
    return pin


def require_output(pin):
    """A GPIO that can drive an output (LED, PWM, NeoPixel, I2C lines)."""
    pin = require_pin(pin)
    if pin in INPUT_ONLY_PINS:
        raise ValueError(f"pin can only be input: GPIO {pin} (GPIO 34-39 are input-only)")
    return pin


board = None


def _print_to_trace(*args, sep=" ", end="\n"):
    board.record("print", None, sep.join(str(a) for a in args) + ("" if end == "\n" else end))


FAKES = ("machine", "neopixel", "dht", "network", "socket", "time")


def run(lesson_dir, scenario_json, budget_ms, host=None):
    """Run <lesson_dir>/main.py on a fresh virtual board; return the result as JSON.

    With a `host` (the lesson page's worker) the board is live: real time, no budget."""
    global board
    baseline = ("vboard", "json", "sys", "io", "framebuf", "micropython", "vtime")
    for name in list(sys.modules):
        if name not in baseline:
            del sys.modules[name]
    board = Board(json.loads(scenario_json), budget_ms) if host is None else LiveBoard(host)
    import vtime

    for name in FAKES:
        module = vtime if name == "time" else __import__("fake_" + name)
        sys.modules[name] = module
        sys.modules["u" + name] = module
    sys.path[:] = [lesson_dir + "/lib", lesson_dir, "/vboard"]
    status, error = "finished", None
    try:
        with open(lesson_dir + "/main.py") as f:
            code = compile(f.read(), lesson_dir + "/main.py", "exec")
        exec(code, {"__name__": "__main__", "print": _print_to_trace})
    except BudgetExceeded:
        status = "budget"
    except Exception as exc:  # the lesson crashed: report its traceback
        import io

        out = io.StringIO()
        sys.print_exception(exc, out)
        status, error = "error", out.getvalue()
    if host is not None:
        board.flush()
    return json.dumps({"status": status, "error": error, "now_us": board.now_us, "events": board.events})
