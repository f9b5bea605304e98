# Virtual `dht`: readings come from the scenario; a missing reading fails like a loose wire.
import vboard


class DHTBase:
    def __init__(self, pin):
        self.pin = pin.id if hasattr(pin, "id") else int(pin)
        self._t = self._h = None

    def measure(self):
        board = vboard.board
        reading = board.dht_reading()
        if reading is None:
            board.record("dht_fail", self.pin, None)
            raise OSError(116)  # ETIMEDOUT, as the real driver raises
        self._t, self._h = reading[0], reading[1]
        board.record("dht_read", self.pin, [self._t, self._h])


class DHT11(DHTBase):
    def temperature(self):
        return int(self._t)

    def humidity(self):
        return int(self._h)


class DHT22(DHTBase):
    def temperature(self):
        return self._t

    def humidity(self):
        return self._h
