# Virtual `neopixel`: the colours sent by write() go into the trace.
import vboard


class NeoPixel:
    ORDER = (1, 0, 2, 3)

    def __init__(self, pin, n, bpp=3, timing=1):
        self.pin = vboard.require_output(pin.id if hasattr(pin, "id") else pin)
        self.n = n
        self.bpp = bpp
        self.pixels = [(0,) * bpp for _ in range(n)]

    def __len__(self):
        return self.n

    def __setitem__(self, i, v):
        if len(v) != self.bpp or any(not 0 <= c <= 255 for c in v):
            raise ValueError(f"colour must be {self.bpp} values 0-255")
        self.pixels[i] = tuple(v)

    def __getitem__(self, i):
        return self.pixels[i]

    def fill(self, v):
        for i in range(self.n):
            self[i] = v

    def write(self):
        vboard.board.record("neopixel", self.pin, [list(p) for p in self.pixels])
