# `time` for lessons: sleeps advance the virtual clock instantly, ticks read it.
# Installed over sys.modules['time'] (a /lib/time.py would lose to the frozen module).
import time as _host

import vboard

_PERIOD = 1 << 30  # ESP32 ticks wrap at 2**30, like the real board
_EPOCH = 757382400  # 2024-01-01 00:00:00 in MicroPython's 2000-based epoch


def sleep(seconds):
    vboard.board.advance(int(seconds * 1_000_000))


def sleep_ms(ms):
    vboard.board.advance(int(ms) * 1000)


def sleep_us(us):
    vboard.board.advance(int(us))


def ticks_us():
    return vboard.board.now_us % _PERIOD


def ticks_ms():
    return (vboard.board.now_us // 1000) % _PERIOD


def ticks_cpu():
    return ticks_us()


def ticks_add(ticks, delta):
    return (ticks + delta) % _PERIOD


def ticks_diff(new, old):
    return ((new - old + _PERIOD // 2) % _PERIOD) - _PERIOD // 2


def time():
    return _EPOCH + vboard.board.now_us // 1_000_000


def time_ns():
    return (_EPOCH * 1_000_000 + vboard.board.now_us) * 1000


# Calendar conversions come from the host's own time module; only the epoch differs
# (ESP32 counts from 2000, the WebAssembly port from 1970).
_SHIFT = _host.mktime((2000, 1, 1, 0, 0, 0, 0, 0))


def localtime(secs=None):
    return _host.localtime((time() if secs is None else int(secs)) + _SHIFT)


def gmtime(secs=None):
    return _host.gmtime((time() if secs is None else int(secs)) + _SHIFT)


def mktime(t):
    return _host.mktime(t) - _SHIFT
