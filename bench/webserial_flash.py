"""Flashing from the browser against the command line, on the same mock boards.

Full flash: the page's code (esptool-js, the bundle the lesson page and 批量烧录 load) in headless
Chromium, its Web Serial port bridged over a WebSocket to an esp32-mock-bootloader board, against
`makerroom-flash` (real esptool in its own process) on a board of the same kind; both write the
same base image and the same lesson filesystem (the server builds it with the CLI's image builder).

Code-only update: the page's raw-REPL writer (the lesson page's "烧录到开发板", the same modules)
writing the lesson's files to the MicroPython REPL test board, against `makerroom-flash --sync`
(mpremote) on one. Figures: wall time per board and the bytes that went down the wire (the bridge
counts the page's; esptool reports the command's).

Each figure is the median of --rounds rounds; in each round the page and the command alternate
which goes first, so neither always runs on a warmer or busier machine.

    .venv/bin/python bench/webserial_flash.py [--rounds 5] [--lesson traffic-light] [--base-kb 256]

Needs the built bundle (scripts/setup.sh builds it) and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from makerroom_flash.fsimage import LessonImages, lesson_files  # noqa: E402
from makerroom_flash.library import BUNDLED  # noqa: E402
from makerroom_flash.store import FirmwareStore  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.firmware.esp_images import merged_image  # noqa: E402
from tests.firmware.mockboards import MockBoard  # noqa: E402
from tests.webserial.boards import RunningBoard  # noqa: E402
from tests.webserial.bridge import SerialBridge, fake_serial_script  # noqa: E402

BUILT = "browser"
WORKBENCH = ROOT / "courses" / "workbench"
FLASHER = ROOT / "courses" / "static" / "courses" / "workbench" / "flasher.js"

HARNESS = """<!doctype html><meta charset="utf-8"><script type="module">
import { fullFlash } from "./flasher.js";
import { writeFiles } from "./repl.js";
window.full = async (parts) => {
  const port = await navigator.serial.requestPort();
  const t = performance.now();
  const r = await fullFlash(port, { manifestFor: async () => ({ parts }) });
  return { seconds: (performance.now() - t) / 1000, bytes: r.bytes };
};
window.codeOnly = async (files) => {
  const port = await navigator.serial.requestPort();
  const t = performance.now();
  await writeFiles(port, files);
  return { seconds: (performance.now() - t) / 1000 };
};
window.ready = true;
</script>"""

# The lesson page's raw-REPL path, without the editor around it: the same two modules.
REPL_ENTRY = """
import { SerialLink } from "%(src)s/serial/link.js";
import { RawRepl } from "%(src)s/serial/rawrepl.js";
export async function writeFiles(port, files) {
  const link = new SerialLink(port);
  await link.open(115200);
  const repl = new RawRepl(link);
  await repl.enter();
  const enc = new TextEncoder();
  for (const [path, text] of Object.entries(files)) await repl.writeFile(path, enc.encode(text));
  await repl.softReset();
  await link.close();
}
"""


class CountingBridge(SerialBridge):
    """A bridge that counts what the page sends to the board."""

    def __init__(self, target):
        self.to_board = 0
        super().__init__(target)

    def _handle(self, ws):
        bridge = self

        class Counted:
            def __iter__(self):
                for message in ws:
                    bridge.to_board += len(message)
                    yield message

            def __getattr__(self, name):
                return getattr(ws, name)

        return super()._handle(Counted())


def md5_padded(data: bytes) -> str:
    return hashlib.md5(data + b"\xff" * (-len(data) % 4)).hexdigest()


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def cli(*args: str) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "makerroom_flash", "--build-time", BUILT, "--json", *args]
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - started
    report = json.loads(out.stdout)
    assert out.returncode == 0 and report["ok"], (out.returncode, out.stderr[-2000:])
    return wall, report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lesson", default="traffic-light")
    parser.add_argument(
        "--base-kb", type=int, default=256, help="app size of the base image (a real one is ~1600)"
    )
    args = parser.parse_args()
    if not FLASHER.exists():
        sys.exit("build the workbench first: scripts/setup.sh (or cd courses/workbench && npm run build)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-webserial-"))
    base_file = tmp / "ESP32_GENERIC-v1.24.1.bin"
    base_file.write_bytes(merged_image("esp32", "v1.24.1", app_kb=args.base_kb))
    store = FirmwareStore(tmp / "store")
    info = store.add(base_file)
    lesson = BUNDLED.load(args.lesson)
    fs = LessonImages(lesson, info.layout, BUILT).for_board("", 4 << 20).data
    base = base_file.read_bytes()
    site = tmp / "site"
    site.mkdir()
    (site / "index.html").write_text(HARNESS)
    (site / "flasher.js").write_bytes(FLASHER.read_bytes())
    (site / "base.bin").write_bytes(base)
    (site / "fs.bin").write_bytes(fs)
    (tmp / "repl_entry.js").write_text(REPL_ENTRY % {"src": (WORKBENCH / "src").as_posix()})
    esbuild = WORKBENCH / "node_modules" / ".bin" / "esbuild"
    bundle = [
        str(esbuild),
        str(tmp / "repl_entry.js"),
        "--bundle",
        "--format=esm",
        f"--outfile={site / 'repl.js'}",
    ]
    subprocess.run(bundle, check=True, capture_output=True)
    parts = [
        {"name": "base", "url": "base.bin", "offset": info.offset, "size": len(base),
         "sha256": hashlib.sha256(base).hexdigest(), "md5": md5_padded(base)},
        {"name": "lesson", "url": "fs.bin", "offset": info.layout.offset, "size": len(fs),
         "sha256": hashlib.sha256(fs).hexdigest(), "md5": md5_padded(fs)},
    ]  # fmt: skip
    files = {path: data.decode() for path, data in lesson_files(lesson, "", BUILT).items()}
    server = serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"

    figures: dict[str, list[float]] = {k: [] for k in ("page_full", "cli_full", "page_code", "cli_code")}
    sent: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")

        def page_run(target_board, call, payload):
            bridge = CountingBridge(target_board.url)
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(fake_serial_script(bridge.url))
            page.goto(url)
            page.wait_for_function("window.ready === true")
            started = time.monotonic()
            page.evaluate(f"payload => window.{call}(payload)", payload)
            wall = time.monotonic() - started
            context.close()
            bridge.close()
            return wall, bridge.to_board

        def page_full():
            board = MockBoard()
            try:
                wall, to_board = page_run(board, "full", parts)
                assert (
                    board.read(info.offset, len(base)) == base
                    and board.read(info.layout.offset, len(fs)) == fs
                )
            finally:
                board.close()
            figures["page_full"].append(wall)
            sent["page_full"] = to_board

        def cli_full():
            board = MockBoard()
            try:
                wall, report = cli("--lesson", args.lesson, "--ports", board.url, "--store", str(store.root),
                                   "--no-verify")  # fmt: skip
            finally:
                board.close()
            figures["cli_full"].append(wall)
            sent["cli_full"] = report["results"][0]["bytes_sent"]

        def page_code():
            board = RunningBoard("240ac4e29541")
            try:
                wall, to_board = page_run(board, "codeOnly", files)
                assert board.files() == {k: v.encode() for k, v in files.items()}
            finally:
                board.close()
            figures["page_code"].append(wall)
            sent["page_code"] = to_board

        def cli_code():
            board = RunningBoard("240ac4e29542")
            try:
                wall, _report = cli("--lesson", args.lesson, "--ports", board.url, "--sync")
            finally:
                board.close()
            figures["cli_code"].append(wall)

        page_full()  # warm Chromium, the imports and the file cache once, not measured
        cli_full()
        for values in figures.values():
            values.clear()
        for rnd in range(args.rounds):
            pair_full = (page_full, cli_full) if rnd % 2 == 0 else (cli_full, page_full)
            pair_code = (page_code, cli_code) if rnd % 2 == 0 else (cli_code, page_code)
            for run in (*pair_full, *pair_code):
                run()
        browser.close()

    med = {k: statistics.median(v) for k, v in figures.items()}
    print(
        f"base image {len(base) / 1024:.0f} KB + lesson filesystem {len(fs) / 1024:.0f} KB ({args.lesson}),"
        f" {args.rounds} interleaved rounds, medians, one board"
    )
    print(
        f"{'':24} {'page s':>8} {'command s':>10} {'page/command':>13} {'page sent':>11} {'command sent':>13}"
    )
    print(
        f"{'full flash':24} {med['page_full']:8.2f} {med['cli_full']:10.2f} {med['page_full'] / med['cli_full']:13.2f}"
        f" {sent['page_full'] / 1024:9.0f} KB {sent['cli_full'] / 1024:11.0f} KB"
    )
    print(
        f"{'code only (raw REPL)':24} {med['page_code']:8.2f} {med['cli_code']:10.2f}"
        f" {med['page_code'] / med['cli_code']:13.2f} {sent['page_code'] / 1024:9.1f} KB {'(mpremote)':>13}"
    )


if __name__ == "__main__":
    main()
