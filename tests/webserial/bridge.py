"""For browser tests of Web Serial: a WebSocket ↔ TCP bridge (each WebSocket connection opens one
TCP connection to `target`, a mock board's socket) and the fake `navigator.serial` a page gets
with `page.add_init_script(fake_serial_script(bridge.url))`, whose port talks through it."""

from __future__ import annotations

import socket
import threading

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve


class SerialBridge:
    def __init__(self, target: str):
        self.target = target  # "socket://127.0.0.1:PORT"; may be changed between connections
        self.connections = 0
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, ws):
        host, port = self.target.removeprefix("socket://").rsplit(":", 1)
        self.connections += 1
        try:
            sock = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            ws.close()
            return
        sock.settimeout(None)

        def board_to_page():
            try:
                while data := sock.recv(4096):
                    ws.send(data)
            except (OSError, ConnectionClosed):
                pass
            ws.close()  # the board went away: the page's port errors, as an unplugged cable does

        pump = threading.Thread(target=board_to_page, daemon=True)
        pump.start()
        try:
            for message in ws:
                sock.sendall(message if isinstance(message, bytes) else message.encode())
        except (OSError, ConnectionClosed):
            pass
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
            pump.join(timeout=5)

    def close(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


FAKE_SERIAL = """
(() => {
  const BRIDGE = %(url)r;
  class FakePort {
    getInfo() { return { usbVendorId: 0x10c4, usbProductId: 0xea60 }; }
    async open({ baudRate }) {
      this.baudRate = baudRate;
      const ws = new WebSocket(BRIDGE);
      ws.binaryType = "arraybuffer";
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new DOMException("cannot open", "NetworkError")); });
      this.ws = ws;
      this.readable = new ReadableStream({
        start(controller) {
          ws.onmessage = (e) => controller.enqueue(new Uint8Array(e.data));
          ws.onclose = () => { try { controller.error(new DOMException("The device has been lost.", "NetworkError")); } catch {} };
        },
      });
      this.writable = new WritableStream({
        write(chunk) {
          if (ws.readyState !== WebSocket.OPEN) throw new DOMException("The device has been lost.", "NetworkError");
          ws.send(chunk);
        },
      });
    }
    async setSignals() {}
    async close() { this.ws?.close(); }
  }
  const granted = [];
  const serial = {
    async requestPort() { const port = new FakePort(); granted.push(port); window.__requested = (window.__requested || 0) + 1; return port; },
    async getPorts() { return granted.slice(); },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(Navigator.prototype, "serial", { get: () => serial, configurable: true });
})();
"""

NO_SERIAL = "delete Navigator.prototype.serial; delete navigator.serial;"


def fake_serial_script(url: str) -> str:
    return FAKE_SERIAL % {"url": url}
