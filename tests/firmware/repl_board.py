"""A board already running MicroPython, for the lesson-only sync tests: real MicroPython (the
WebAssembly port in Node) answering MicroPython's raw REPL protocol on a TCP `socket://` port, the
way mpremote talks to a board over USB serial. Its /flash folder plays the board's filesystem."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
MICROPYTHON = (
    HERE.parents[1]
    / "firmware/vboard/node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs"
)
BANNER = b"raw REPL; CTRL-B to exit\r\n>"
FRIENDLY = b"\r\nMicroPython v1.29.0 on virtual ESP32\r\n>>> "
# The WebAssembly port reports Emscripten's errno numbers ("OSError: 44"); an ESP32 names them.
ESP32_ERRORS = {
    "OSError: 44": "OSError: [Errno 2] ENOENT",
    "OSError: 20": "OSError: [Errno 17] EEXIST",
    "OSError: 31": "OSError: [Errno 21] EISDIR",
    "OSError: 54": "OSError: [Errno 20] ENOTDIR",
    "OSError: 55": "OSError: [Errno 39] ENOTEMPTY",
}


class ReplBoard:
    def __init__(self, mac: str = "240ac4e29526"):
        self.mac = ":".join(mac[i : i + 2] for i in range(0, 12, 2))
        self.node = subprocess.Popen(
            [shutil.which("node") or "node", str(HERE / "repl_board.mjs"), str(MICROPYTHON), mac],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.node.stdout.readline()) == {"ready": True}
        self._lock = threading.Lock()
        self.resets = 0  # hard resets asked for (machine.reset())
        self.soft_resets = 0
        self.file_writes = 0  # files opened for writing
        self._unplug_after_writes: int | None = None
        self._stop = threading.Event()
        self._conn: socket.socket | None = None
        self._srv = socket.socket()
        self._srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._srv.bind(("127.0.0.1", 0))
        self._srv.listen(1)
        self._srv.settimeout(0.2)
        self.url = f"socket://127.0.0.1:{self._srv.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # --- MicroPython itself ---------------------------------------------------
    def run(self, code: str) -> tuple[bytes, str]:
        with self._lock:
            self.node.stdin.write(json.dumps({"code": code}) + "\n")
            self.node.stdin.flush()
            reply = json.loads(self.node.stdout.readline())
        return base64.b64decode(reply["out"]), reply["err"]

    def files(self) -> dict[str, bytes]:
        """Every file on the board's filesystem, read back through MicroPython."""
        out, err = self.run(
            "import os\n"
            "def _walk(d):\n"
            " for e in os.ilistdir(d):\n"
            "  p = d + '/' + e[0] if d else e[0]\n"
            "  if e[1] & 0x4000:\n"
            "   _walk(p)\n"
            "  else:\n"
            "   print(p, open(p, 'rb').read().hex())\n"
            "_walk('')\n"
        )
        assert not err, err
        return {
            path: bytes.fromhex(data)
            for path, _, data in (line.partition(" ") for line in out.decode().splitlines())
        }

    def put(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            folder = path.rpartition("/")[0]
            code = f"import os\ntry:\n os.mkdir({folder!r})\nexcept OSError:\n pass\n" if folder else ""
            _, err = self.run(code + f"with open({path!r}, 'wb') as f:\n f.write({data!r})\n")
            assert not err, err

    # --- the raw REPL on the "serial port" ------------------------------------
    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._srv.accept()
            except (TimeoutError, OSError):
                continue
            self._conn = conn
            try:
                self._session(conn)
            except OSError:
                pass
            finally:
                conn.close()
                self._conn = None

    def _session(self, conn: socket.socket):
        raw, code, paste = False, bytearray(), b""
        while not self._stop.is_set():
            chunk = conn.recv(4096)
            if not chunk:
                return
            for byte in chunk:
                c = bytes([byte])
                if not raw:
                    if c == b"\x01":
                        raw, code = True, bytearray()
                        conn.sendall(BANNER)
                    continue
                if paste or (c == b"\x05" and not code):  # raw-paste request: this board says no
                    paste += c
                    if paste == b"\x05A\x01":
                        conn.sendall(b"R\x00")
                        paste = b""
                    continue
                if c == b"\x01":
                    code = bytearray()
                    conn.sendall(BANNER)
                elif c == b"\x02":
                    raw = False
                    conn.sendall(FRIENDLY)
                elif c == b"\x03":
                    code = bytearray()
                elif c == b"\x04" and not code:
                    self.soft_resets += 1
                    conn.sendall(b"OK\r\nMPY: soft reboot\r\n" + BANNER)
                elif c == b"\x04":
                    text, code = code.decode(), bytearray()
                    conn.sendall(b"OK")
                    if "machine.reset()" in text:  # reboots: the connection's REPL session ends
                        self.resets += 1
                        raw = False
                        continue
                    if "open(" in text and "'wb'" in text:
                        self.file_writes += 1
                        if (
                            self._unplug_after_writes is not None
                            and self.file_writes > self._unplug_after_writes
                        ):
                            self.unplug()
                            return
                    out, err = self.run(text)
                    for wasm, esp32 in ESP32_ERRORS.items():
                        err = err.replace(wasm + "\r\n", esp32 + "\r\n")
                    conn.sendall(out.replace(b"\n", b"\r\n") + b"\x04" + err.encode() + b"\x04>")
                else:
                    code += c

    def unplug_after_files(self, n: int) -> None:
        """Vanish, like a board pulled from the hub, when it is asked to write file number n + 1."""
        self._unplug_after_writes = n

    def unplug(self):
        self._stop.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._srv.close()

    def close(self):
        self.unplug()
        self._thread.join(timeout=5)
        self.node.stdin.close()
        self.node.wait(timeout=10)
