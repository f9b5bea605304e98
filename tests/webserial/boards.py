"""Mock boards for the Web Serial tests, on TCP like tests/firmware's."""

from __future__ import annotations

import socket
import threading

from tests.firmware.repl_board import FRIENDLY, ReplBoard


class _RebootOnCtrlD:
    """The connection as ReplBoard reads it, plus what a real board does on Ctrl-D at the
    friendly prompt: a soft reboot that runs main.py (printing to the serial port)."""

    def __init__(self, conn: socket.socket, board: RunningBoard):
        self.conn, self.board, self.raw = conn, board, False

    def recv(self, n: int) -> bytes:
        while True:
            chunk = self.conn.recv(n)
            if not chunk:
                return chunk
            kept = bytearray()
            for byte in chunk:
                if byte == 0x01:
                    self.raw = True
                elif byte == 0x02:
                    self.raw = False
                elif byte == 0x04 and not self.raw:
                    self.board.run_main(self.conn)
                    continue
                kept.append(byte)
            if kept:
                return bytes(kept)

    def __getattr__(self, name):
        return getattr(self.conn, name)


class RunningBoard(ReplBoard):
    """The project's MicroPython REPL test board, which also runs main.py after a soft reboot."""

    main_runs = 0

    def _session(self, conn):
        return super()._session(_RebootOnCtrlD(conn, self))

    def run_main(self, conn: socket.socket) -> None:
        self.main_runs += 1
        out, err = self.run("exec(open('main.py').read(), {'__name__': '__main__'})")
        printed = out.replace(b"\n", b"\r\n") + err.encode()
        conn.sendall(b"MPY: soft reboot\r\n" + printed + FRIENDLY)


class SilentBoard:
    """A serial port with a board that never answers (no MicroPython on it)."""

    def __init__(self):
        self._srv = socket.socket()
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", 0))
        self._srv.listen(4)
        self.url = f"socket://127.0.0.1:{self._srv.getsockname()[1]}"
        self.received = bytearray()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self._srv.accept()
            except OSError:
                return
            threading.Thread(target=self._drain, args=(conn,), daemon=True).start()

    def _drain(self, conn):
        with conn:
            while data := conn.recv(4096):
                self.received += data

    def close(self):
        self._srv.close()
