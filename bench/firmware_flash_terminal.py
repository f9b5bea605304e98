"""Capture what lab staff see while flashing four boards (progress bars and summary) for the guide:
runs the real command in a tmux terminal against four mock boards (one pulled out mid-write),
captures the pane and renders it to SVG and PNG.

    .venv/bin/python bench/firmware_flash_terminal.py docs/screenshots/firmware-flash-terminal
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_demo() -> int:
    """Inside the terminal: four mock boards and the real makerroom-flash code."""
    from makerroom_flash.cli import main
    from makerroom_flash.i18n import _
    from makerroom_flash.store import FirmwareStore

    from tests.firmware.esp_images import merged_image
    from tests.firmware.mockboards import MockBoards

    tmp = Path(tempfile.mkdtemp(prefix="flash-terminal-"))
    image = tmp / "ESP32_GENERIC-20241129-v1.24.1.bin"
    image.write_bytes(merged_image("esp32", "v1.24.1", app_kb=512))
    FirmwareStore(tmp / "store").add(image)
    with MockBoards(4) as boards:
        boards[2].unplug_when_written(0x1000, 160 * 1024)  # one board pulled out mid-write
        ports = ",".join(b.url for b in boards)
        kits = ",".join(f"SZ-0012-K{i:02d}" for i in range(7, 11))
        record_ids = iter(range(101, 200))
        print(f"$ makerroom-flash --lesson traffic-light --ports {ports} --kit {kits}")
        code = main(
            ["--lesson", "traffic-light", "--ports", ports, "--kit", kits, "--store", str(tmp / "store")],
            # No database here: number the records as the site would ("recorded #N").
            recorder=lambda r: _("recorded #%(id)s") % {"id": next(record_ids)},
        )
    print(f"$ echo $?\n{code}")
    return code


def capture(out: Path) -> None:
    from rich.console import Console
    from rich.terminal_theme import MONOKAI
    from rich.text import Text

    session = f"flashdemo{int(time.time())}"
    cmd = f"cd {ROOT} && .venv/bin/python {Path(__file__).relative_to(ROOT)} --run; sleep 600"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "170", "-y", "30", cmd], check=True)
    try:
        deadline = time.monotonic() + 300
        text = ""
        while time.monotonic() < deadline:
            time.sleep(2)
            text = subprocess.run(
                ["tmux", "capture-pane", "-p", "-e", "-t", session],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "echo $?" in text:
                break
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    console = Console(record=True, width=170, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(Text.from_ansi(text.rstrip() + "\n"))
    # HTML in a CJK monospace font keeps Chinese (double-width) columns aligned like a real terminal.
    page = console.export_html(
        inline_styles=True,
        theme=MONOKAI,
        code_format=(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{{margin:0;background:#1e1e1e}}'
            "pre{{margin:0;padding:14px;color:#ddd;background:#1e1e1e;font:15px/1.2 'Noto Sans Mono CJK SC',"
            "monospace}}</style></head><body><pre><code>{code}</code></pre></body></html>"
        ),
    )
    html = out.with_suffix(".html")
    html.write_text(page, encoding="utf-8")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={out.with_suffix('.png').resolve()}",
            "--window-size=1560,620",
            html.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    html.unlink()
    print(out.with_suffix(".png"))


if __name__ == "__main__":
    if sys.argv[1:] == ["--run"]:
        sys.exit(run_demo())
    capture(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/firmware-flash-terminal"))
