"""Mock ESP32 boards for tests and benchmarks: esp32-mock-bootloader's protocol handler served
in-process on a TCP port, one flash image per board, so every byte that landed can be read back.
Each board has its own flash size (2, 4, 8 or 16 MB), which esptool reads from its flash id, and
its own MAC (the stock mock answers one MAC for every board, so no test could tell boards apart).
A board can come with a base firmware already on it (``firmware``), like one flashed last term;
esptool read-flash works against it (the stock mock's stub read gave up on esptool's acks)."""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from itertools import count

from esp32_mock_bootloader import protocol, registers
from esp32_mock_bootloader import server as mock_server
from esp32_mock_bootloader.server import BootloaderConnection, FlashImage, SpiPeripheralMock, handle_client
from esptool.targets import CHIP_DEFS

# The flash size of the board whose session this thread serves (each board serves from its own thread).
_serving = threading.local()
_mock_read_reg = SpiPeripheralMock.read_reg


def _read_reg(self, addr: int) -> int:
    """The mock answers one JEDEC id (4 MB) for every board: put this board's size in its
    capacity byte (log2 of the size in bytes), which is what esptool's detect_flash_size reads."""
    value = _mock_read_reg(self, addr)
    size = getattr(_serving, "flash_size", None)
    if value == protocol.MOCK_FLASH_ID and size:
        return (value & 0xFFFF) | (size.bit_length() - 1) << 16
    return value


SpiPeripheralMock.read_reg = _read_reg

_mock_reg_value = mock_server._read_reg_value_for_chip


def _reg_value(addr: int, chip: str) -> int:
    """This board's MAC in the chip's efuse words (encoded by the mock's own per-chip layout),
    where the stock mock answers its one synthetic MAC."""
    mac = getattr(_serving, "mac", None)
    if mac is not None:
        words = registers._mac_registers(chip, mac)
        if addr in words:
            return words[addr]
    return _mock_reg_value(addr, chip)


mock_server._read_reg_value_for_chip = _reg_value

# How long the board waits for esptool's ack of a read-flash packet (the real stub waits for it;
# a read-flash of a whole 16 MB flash from a busy test machine has acks seconds apart).
READ_ACK_WAIT = 30.0


def _recv_slip_payload(conn, stop_event, buf):
    """The next SLIP frame esptool sends during a stub read-flash (its cumulative ack).

    The stock mock reads the acks with the session's 50 ms socket timeout and takes the first
    timeout for a hang-up: it stops streaming and never sends the MD5 digest, and esptool's
    read-flash fails with "Serial data stream stopped" once it has read the data, unless esptool
    acks within 50 ms (on this machine it does not). A stub on a real board waits for the ack, so
    the mock board does too (up to READ_ACK_WAIT); a closed connection still ends the read."""
    deadline = time.monotonic() + READ_ACK_WAIT
    while not stop_event.is_set() and time.monotonic() < deadline:
        payload = mock_server._consume_slip_frame(buf)
        if payload is not None:
            return payload
        try:
            chunk = conn.recv(4096)
        except TimeoutError:  # socket.timeout: nothing yet, keep waiting
            continue
        except OSError:
            return None
        if not chunk:
            return None
        buf.extend(chunk)
    return None


mock_server._recv_slip_payload = _recv_slip_payload

# Every board made in this process gets the next MAC: 24:0a:c4:e2:00:01, …:00:02, …
_next_mac = count(1)


def next_mac() -> tuple[int, ...]:
    n = next(_next_mac)
    return (0x24, 0x0A, 0xC4, 0xE2, (n >> 8) & 0xFF, n & 0xFF)


class FastFlashImage(FlashImage):
    """The mock's flash store, writing each decompressed block with one slice assignment instead of
    a per-byte Python loop: with several boards in one process (one GIL) the loop over a 2 MB
    filesystem block takes longer than esptool waits for the block's ack. Same bytes land."""

    def __init__(self, size: int = 4 << 20):
        super().__init__()
        self.data = bytearray(b"\xff" * size)

    def begin_defl(self, payload: bytes) -> None:
        super().begin_defl(payload)
        self._last_seq = -1

    def write_defl_block(self, payload: bytes) -> None:
        if len(payload) < 16 or self._decompressor is None:
            return
        compressed_len, seq = struct.unpack_from("<II", payload, 0)
        # A block sent again (esptool-js resends one whose ack was late) is acked, not written twice,
        # as the stub does: decompressing it again would shift every later byte.
        if seq <= getattr(self, "_last_seq", -1):
            return
        self._last_seq = seq
        try:
            data = self._decompressor.decompress(payload[16 : 16 + compressed_len])
        except zlib.error:
            return
        start = self._defl_offset
        end = min(start + len(data), len(self.data))
        if start < end:
            self.data[start:end] = data[: end - start]
        self._defl_offset += len(data)


class FlakyLink:
    """A board's end of a poor USB cable: fine at 115200 baud, but once esptool switches the link
    faster (its CHANGE_BAUDRATE command), after `good_bytes` more bytes all it receives is noise.
    (Noise, not a hang-up: esptool reconnects by itself after a lost TCP connection.)"""

    def __init__(self, sock: socket.socket, above: int, good_bytes: int = 64 * 1024):
        self._sock, self.above, self.good_bytes = sock, above, good_bytes
        self.baud = 115200
        self._fast_bytes = 0

    def recv(self, size: int) -> bytes:
        data = self._sock.recv(size)
        at = data.find(b"\xc0\x00\x0f")  # SLIP frame start, request, CHANGE_BAUDRATE
        if at >= 0 and len(data) >= at + 13:
            self.baud = int.from_bytes(data[at + 9 : at + 13], "little")
        elif self.baud > self.above:
            self._fast_bytes += len(data)
            if self._fast_bytes > self.good_bytes:
                return b"\x55" * len(data)  # no frame survives
        return data

    def __getattr__(self, name):
        return getattr(self._sock, name)


class Sessions:
    """How many boards of this process are in an esptool session at once (and the most so far)."""

    lock = threading.Lock()
    now = 0
    most = 0

    @classmethod
    def enter(cls):
        with cls.lock:
            cls.now += 1
            cls.most = max(cls.most, cls.now)

    @classmethod
    def leave(cls):
        with cls.lock:
            cls.now -= 1


class MockBoard:
    def __init__(
        self,
        chip: str = "esp32",
        flash_size: int = 4 << 20,
        mac: tuple[int, ...] | None = None,
        flaky_above: int = 0,
        firmware: bytes = b"",
    ):
        self.flaky_above = flaky_above  # a poor cable: writes faster than this baud break off
        self.bauds: list[int] = []  # the baud of each session (after esptool's change, if any)
        self.chip = chip
        self.flash_size = flash_size
        self._mac = mac or next_mac()
        self.mac = ":".join(f"{b:02x}" for b in self._mac)  # as esptool prints it
        self.flash = FastFlashImage(flash_size)
        if firmware:
            self.install(firmware)
        self.stop_event = threading.Event()
        self.sessions = 0
        self._srv = socket.socket()
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", 0))
        self._srv.listen(4)
        self._srv.settimeout(0.2)
        self.url = f"socket://127.0.0.1:{self._srv.getsockname()[1]}"
        self._conn: socket.socket | None = None
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        _serving.flash_size = self.flash_size
        _serving.mac = self._mac
        while not self.stop_event.is_set():
            try:
                conn, _ = self._srv.accept()
            except (TimeoutError, OSError):
                continue
            self.sessions += 1
            self._conn = conn
            link = FlakyLink(conn, self.flaky_above) if self.flaky_above else conn
            Sessions.enter()
            try:
                self._session(link)
            finally:
                Sessions.leave()
            self._conn = None
            if isinstance(link, FlakyLink):
                self.bauds.append(link.baud)

    def _session(self, link):
        # One board answers one esptool at a time, like a real serial port. exit_on_disconnect
        # keeps the session until esptool hangs up: otherwise the mock drops it 3 s after the first
        # FLASH_END, cutting off the second image of a multi-image write on a busy machine.
        handle_client(
            BootloaderConnection(sock=link),
            self.stop_event,
            self.chip,
            flash=self.flash,
            exit_on_disconnect=True,
        )

    def install(self, firmware: bytes) -> MockBoard:
        """A merged base image (esp_images.merged_image) already on the board, where esptool would
        have written it: a board flashed last lesson, or last term."""
        at = CHIP_DEFS[self.chip].BOOTLOADER_FLASH_OFFSET
        self.flash.data[at : at + len(firmware)] = firmware
        return self

    def read(self, offset: int, length: int) -> bytes:
        return self.flash.read(offset, length)

    def unplug(self):
        """Gone, like a board pulled from the hub: the open connection and the port both vanish."""
        self.stop_event.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._srv.close()

    def unplug_when_written(self, offset: int, nbytes: int, timeout: float = 60.0):
        """Unplug from a watcher thread once nbytes have landed at offset (a write in progress)."""

        def watch():
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not self.stop_event.is_set():
                if self.flash._defl_offset >= offset + nbytes:  # the mock's write cursor
                    self.unplug()
                    return
                time.sleep(0.005)

        threading.Thread(target=watch, daemon=True).start()

    def close(self):
        self.unplug()
        self._thread.join(timeout=5)


class MockBoards:
    def __init__(self, n: int, chip: str = "esp32", flash_size: int = 4 << 20, firmware: bytes = b""):
        self.boards = [MockBoard(chip, flash_size, firmware=firmware) for _ in range(n)]

    def __enter__(self):
        return self.boards

    def __exit__(self, *exc):
        for b in self.boards:
            b.close()
