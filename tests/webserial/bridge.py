"""For browser tests of Web Serial: a WebSocket ↔ TCP bridge (each WebSocket connection opens one
TCP connection to `target`, a mock board's socket) and the fake `navigator.serial` a page gets
with `page.add_init_script(fake_serial_script(bridge.url))`, whose port talks through it."""

from __future__ import annotations

import json
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
  // Each port the page is granted talks to the next bridge (the last one repeats). Like a USB
  // serial adapter, a port keeps its connection to the board across close() and open() (esptool-js
  // reopens the port to change the baud rate); only the board going away breaks it. Releasing RTS
  // after asserting it (EN low, then high: esptool's reset) restarts the board: a new connection,
  // so the mock bootloader starts afresh at 115200 baud, as a real ESP32 does.
  const BRIDGES = %(urls)s;
  const lost = () => new DOMException("The device has been lost.", "NetworkError");
  class FakePort extends EventTarget {
    constructor(url) { super(); this.url = url; }
    getInfo() { return { usbVendorId: 0x10c4, usbProductId: 0xea60 }; }
    async connect() {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) return this.ws;
      const ws = new WebSocket(this.url);
      ws.binaryType = "arraybuffer";
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new DOMException("cannot open", "NetworkError")); });
      ws.onmessage = (e) => this.controller?.enqueue(new Uint8Array(e.data));
      ws.onclose = () => {
        try { this.controller?.error(lost()); } catch {}
        this.controller = null;
        this.dispatchEvent(new Event("disconnect"));  // unplugged, as Web Serial tells a page
      };
      this.ws = ws;
      return ws;
    }
    async open({ baudRate }) {
      if (this.readable) throw new DOMException("The port is already open.", "InvalidStateError");
      this.baudRate = baudRate;
      await this.connect();
      this.readable = new ReadableStream({
        start: (controller) => { this.controller = controller; },
        cancel: () => { this.controller = null; },
      });
      this.writable = new WritableStream({
        write: (chunk) => {
          if (window.__pullOnWrite) {  // the cable pulled as the page writes: the write finds out
            window.__pullOnWrite = false;
            this.ws?.close();
          }
          if (!this.ws || this.ws.readyState !== WebSocket.OPEN) throw lost();
          this.ws.send(chunk);
        },
      });
    }
    async setSignals({ requestToSend } = {}) {
      const release = this.rts && requestToSend === false;
      if (requestToSend !== undefined) this.rts = requestToSend;
      if (!release || !this.ws) return;
      const old = this.ws;
      old.onclose = old.onmessage = null;
      old.close();
      this.ws = null;
      try { await this.connect(); } catch (e) { try { this.controller?.error(lost()); } catch {} throw lost(); }
    }
    async close() {
      if (this.readable?.locked || this.writable?.locked) throw new TypeError("Cannot close a locked stream");
      try { this.controller?.close(); } catch {}
      this.controller = null;
      this.readable = null;
      this.writable = null;
    }
    async forget() { this.ws?.close(); }
  }
  const granted = [];
  const serial = {
    async requestPort() {
      const port = new FakePort(BRIDGES[Math.min(granted.length, BRIDGES.length - 1)]);
      granted.push(port);
      window.__requested = (window.__requested || 0) + 1;
      return port;
    },
    async getPorts() { return granted.slice(); },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(Navigator.prototype, "serial", { get: () => serial, configurable: true });
})();
"""

NO_SERIAL = "delete Navigator.prototype.serial; delete navigator.serial;"


def fake_serial_script(*urls: str) -> str:
    """The fake navigator.serial, its ports bridged to these WebSocket URLs in the order granted."""
    return FAKE_SERIAL % {"urls": json.dumps(list(urls))}
