"""Lesson workbench: how fast a student gets from opening a lesson to a blinking LED, and checks.

Prints medians of interleaved rounds:
  (a) time from opening a lesson page (warm browser cache) to the first change of its drawn LED
      after pressing Run at once: page load, MicroPython (WebAssembly) start in the worker, first
      `led.value(1)`; target under 1.5 s;
  (b) the runtime's bytes on the wire, compressed as whitenoise serves them (gzip, and brotli
      when installed);
  (c) the check ("检查我的程序") time for every bundled lesson on the real runtime in Node: the
      same virtual board and checker the page runs; target under 1 s each.

    .venv/bin/python bench/workbench.py [--rounds 5] [--port 8799]

Runs its own server on 127.0.0.1 with a fresh SQLite database in /tmp and the demo content;
needs `scripts/setup.sh --test` (Chromium, the built workbench bundles).
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "courses" / "static" / "courses" / "workbench"
RUNTIME = ["workbench.js", "workbench.css", "worker.js", "micropython.mjs", "micropython.wasm"]
sys.path.insert(0, str(ROOT))


def wire_bytes():
    try:
        import brotli
    except ImportError:
        brotli = None
    print("(b) runtime on the wire:")
    total = {"raw": 0, "gzip": 0, "brotli": 0}
    for name in RUNTIME:
        data = (STATIC / name).read_bytes()
        sizes = {"raw": len(data), "gzip": len(gzip.compress(data, 9))}
        if brotli:
            sizes["brotli"] = len(brotli.compress(data))
        for k, v in sizes.items():
            total[k] += v
        print(f"    {name:18} " + "  ".join(f"{k} {v / 1024:7.1f} KiB" for k, v in sizes.items()))
    print("    total              " + "  ".join(f"{k} {v / 1024:7.1f} KiB" for k, v in total.items() if v))


def check_times(rounds):
    from tests.workbench.checking import LESSONS, VBOARD, check_job

    slugs = sorted(p.name for p in LESSONS.iterdir() if (p / "lesson.toml").is_file())
    proc = subprocess.Popen(
        ["node", "runner.mjs"], cwd=VBOARD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert json.loads(proc.stdout.readline()).get("ready")
    times = {slug: [] for slug in slugs}
    for _ in range(rounds):  # interleaved: every lesson once per round
        for slug in slugs:
            started = time.perf_counter()
            proc.stdin.write(json.dumps(check_job(slug)) + "\n")
            proc.stdin.flush()
            proc.stdout.readline()  # {"start": id}
            result = json.loads(proc.stdout.readline())
            times[slug].append(time.perf_counter() - started)
            assert result["check"]["ok"], (slug, result["check"])
    proc.stdin.close()
    proc.wait()
    print(f"(c) check time per lesson (Node, median of {rounds}; target < 1 s):")
    for slug in slugs:
        print(f"    {slug:18} {statistics.median(times[slug]) * 1000:7.1f} ms")


def serve(port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "makerroom.settings.dev",
        "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(prefix='workbench-bench-')}/bench.sqlite3",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    lessons = (
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from courses.models import LessonPage as L; import json; "
                "print(json.dumps({s: L.objects.live().public().filter(program=s).first().url for s in ('blink', 'traffic-light', 'oled')}))",
            ],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    log = open(Path(tempfile.gettempdir()) / "workbench-bench-server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log, stderr=log
    )
    for _ in range(240):  # system checks and the first import take a while on a busy machine
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server stopped; see {log.name}") from None
            time.sleep(0.5)
    return server, json.loads(lessons)


FIRST_LED = """() => new Promise(resolve => {
  const led = document.querySelector('.wb-led');
  new MutationObserver(() => led.dataset.on === '1' && resolve(performance.now()))
    .observe(led, {attributes: true, attributeFilter: ['data-on']});
  document.querySelector('[data-wb-run]').click();
})"""


def first_led(port, lessons, rounds):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page(locale="zh-CN")
        times = {slug: [] for slug in lessons}
        for _ in range(rounds + 1):  # the first round only warms the cache
            for slug, url in lessons.items():
                page.goto(base + url, wait_until="commit")
                page.wait_for_selector("#workbench:not([hidden])")
                times[slug].append(page.evaluate(FIRST_LED))
        browser.close()
    print(f"(a) opening a lesson to its first LED change (warm cache, median of {rounds}; target < 1.5 s):")
    for slug, values in times.items():
        if slug != "oled":  # the OLED lesson has no LED
            print(f"    {slug:18} {statistics.median(values[1:]):7.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    wire_bytes()
    check_times(args.rounds)
    server, lessons = serve(args.port)
    try:
        first_led(args.port, {k: v for k, v in lessons.items() if k != "oled"}, args.rounds)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
