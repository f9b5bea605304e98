# Virtual `machine` module: every call that drives hardware is recorded in the board trace.
import vboard


def _b():
    return vboard.board


def _pin_id(pin):
    return pin.id if isinstance(pin, Pin) else int(pin)


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_UP = 2
    PULL_DOWN = 1
    IRQ_RISING = 1
    IRQ_FALLING = 2
    WAKE_LOW = 4
    WAKE_HIGH = 5

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        self.id = vboard.require_pin(id)
        self.mode = None
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None):
        if mode != -1:
            if mode in (Pin.OUT, Pin.OPEN_DRAIN):
                vboard.require_output(self.id)
            self.mode = mode
            _b().record("pin_mode", self.id, {1: "in", 3: "out", 7: "open_drain"}.get(mode, mode))
        if pull != -1:
            _b().pulls[self.id] = {2: "up", 1: "down"}.get(pull)
        if value is not None:
            self.value(value)

    def value(self, x=None):
        board = _b()
        if x is None:
            if self.mode == Pin.OUT:
                return board.levels.get(self.id, 0)
            return board.input_level(self.id)
        level = 1 if x else 0
        board.levels[self.id] = level
        board.record("pin", self.id, level)
        if self.id == board.scenario.get("trig_pin", 5) and level == 0:
            board.triggered = True
        return None

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def irq(self, handler=None, trigger=3, *, priority=1, wake=None, hard=False):
        if handler is None:
            _b().irqs.pop(self.id, None)
        else:
            _b().irqs[self.id] = (trigger, handler, self)
            _b().record("irq_set", self.id, trigger)

    def __repr__(self):
        return f"Pin({self.id})"


class Signal:
    def __init__(self, pin, invert=False):
        self.pin = pin if isinstance(pin, Pin) else Pin(pin, Pin.OUT)
        self.invert = invert

    def value(self, x=None):
        if x is None:
            return self.pin.value() ^ self.invert
        self.pin.value((1 if x else 0) ^ self.invert)

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


class PWM:
    def __init__(self, pin, freq=None, duty_u16=None, duty_ns=None, duty=None):
        self.pin = vboard.require_output(_pin_id(pin))
        self._freq = 5000
        self._duty_u16 = 32768
        _b().record("pwm_start", self.pin, None)
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)
        if duty_ns is not None:
            self.duty_ns(duty_ns)
        if duty is not None:
            self.duty(duty)

    def freq(self, value=None):
        if value is None:
            return self._freq
        self._freq = int(value)
        _b().record("pwm_freq", self.pin, self._freq)

    def duty_u16(self, value=None):
        if value is None:
            return self._duty_u16
        if not 0 <= value <= 65535:
            raise ValueError("duty must be 0-65535")
        self._duty_u16 = int(value)
        _b().record("pwm_duty", self.pin, self._duty_u16)

    def duty_ns(self, value=None):
        period_ns = 1_000_000_000 // self._freq
        if value is None:
            return self._duty_u16 * period_ns // 65535
        _b().record("pwm_ns", self.pin, int(value))
        self._duty_u16 = min(65535, int(value) * 65535 // period_ns)

    def duty(self, value=None):
        if value is None:
            return self._duty_u16 >> 6
        self.duty_u16(min(65535, int(value) << 6))

    def init(self, freq=None, duty_u16=None, duty_ns=None):
        if freq is not None:
            self.freq(freq)
        if duty_u16 is not None:
            self.duty_u16(duty_u16)
        if duty_ns is not None:
            self.duty_ns(duty_ns)

    def deinit(self):
        _b().record("pwm_stop", self.pin, None)


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_9BIT = 0
    WIDTH_10BIT = 1
    WIDTH_11BIT = 2
    WIDTH_12BIT = 3

    def __init__(self, pin, *, atten=None):
        self.pin = _pin_id(pin)
        if atten is not None:
            self.atten(atten)

    def atten(self, value):
        _b().record("adc_atten", self.pin, value)

    def width(self, value):
        pass

    def read_u16(self):
        value = _b().adc_value(self.pin)
        _b().record("adc_read", self.pin, value)
        return value

    def read(self):
        return self.read_u16() >> 4

    def read_uv(self):
        return self.read_u16() * 3_300_000 // 65535


class I2C:
    def __init__(self, id=0, *, scl=None, sda=None, freq=400000, timeout=50000):
        self.bus = id
        for line in (scl, sda):
            if line is not None:
                vboard.require_output(_pin_id(line))  # open-drain lines drive low
        _b().record(
            "i2c_init",
            id,
            {
                "scl": _pin_id(scl) if scl is not None else None,
                "sda": _pin_id(sda) if sda is not None else None,
                "freq": freq,
            },
        )

    def scan(self):
        return list(_b().i2c_devices)

    def _check(self, addr):
        if addr not in _b().i2c_devices:
            raise OSError(19)  # ENODEV: nothing answers at this address

    def writeto(self, addr, buf, stop=True):
        self._check(addr)
        _b().record("i2c_write", addr, bytes(buf).hex())
        return 1

    def writevto(self, addr, vector, stop=True):
        return self.writeto(addr, b"".join(bytes(b) for b in vector), stop)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self.writeto(addr, bytes([memaddr]) + bytes(buf))

    def readfrom(self, addr, nbytes, stop=True):
        self._check(addr)
        _b().record("i2c_read", addr, nbytes)
        return bytes(nbytes)

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        self._check(addr)
        _b().record("i2c_read", addr, nbytes)
        return bytes(nbytes)


SoftI2C = I2C


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kwargs):
        self.id = id
        if kwargs:
            self.init(**kwargs)

    def init(self, *, mode=1, period=-1, freq=-1, callback=None):
        self.deinit()
        period_us = int(1_000_000 // freq) if freq > 0 else int(period) * 1000
        entry = [_b().now_us + period_us, period_us if mode == Timer.PERIODIC else 0, callback, self]
        _b().timers.append(entry)
        _b().record("timer", self.id, period_us // 1000)

    def deinit(self):
        _b().timers[:] = [t for t in _b().timers if t[3] is not self]


def time_pulse_us(pin, pulse_level, timeout_us=1_000_000):
    board = _b()
    pin_id = _pin_id(pin)
    distance = board.distance_cm()
    if pin_id == board.echo_pin and board.triggered and distance is not None:
        board.triggered = False
        width = int(distance * 58)
        if width <= timeout_us:
            board.advance(width)
            return width
    board.advance(timeout_us)
    return -2


def freq(hz=None):
    return 240_000_000 if hz is None else None


def idle():
    _b().advance(1000)


def lightsleep(ms=None):
    _b().advance(ms * 1000) if ms else _b().wait_forever()


deepsleep = lightsleep


def reset():
    _b().record("reset", None, None)
    raise SystemExit


def unique_id():
    return b"\x24\x0a\xc4\x00\x00\x01"


def disable_irq():
    return 0


def enable_irq(state=0):
    pass
