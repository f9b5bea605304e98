"""Course pages under gunicorn: requests/s, p50/p99 latency (wrk) and SQL queries per page.

Builds a fresh SQLite site with the demo content, serves it with production settings (Redis cache,
so the anonymous page cache is shared by the workers) under gunicorn, and runs wrk against the home,
course index, course and lesson pages. Queries per page are counted in-process on an uncached render.

    .venv/bin/python bench/courses_pages.py [--duration 20] [--connections 16] [--workers 2]

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/7) and wrk (installed with apt-get if missing).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
PAGES = [
    ("home", "/"),
    ("course index", "/courses/"),
    ("course", "/courses/first-light/"),
    ("lesson", "/courses/first-light/blink/"),
]


def ensure_wrk():
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def environment(work, redis_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="makerroom.settings.production",
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{work}/bench.sqlite3",
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=f"{work}/static",
        MEDIA_ROOT=f"{work}/media",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def count_queries(env):
    """Queries of an uncached, anonymous render of each page (in a child process with the same settings)."""
    code = """
import django, json, os
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.PAGE_CACHE_SECONDS = 0
client = Client(HTTP_HOST="localhost")
out = {}
for name, url in json.loads(os.environ['BENCH_PAGES']):
    client.get(url)  # renditions and other first-view work
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    out[name] = (status, len(captured))
print(json.dumps(out))
"""
    env = {**env, "BENCH_PAGES": json.dumps(PAGES)}
    result = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)

    return json.loads(result.stdout.strip().splitlines()[-1])


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8047)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    args = parser.parse_args()

    wrk = ensure_wrk()
    work = tempfile.mkdtemp(prefix="mr-bench-courses-")
    env = environment(work, args.redis)
    print(f"Building the demo site in {work} …", flush=True)
    for step in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput"]):
        started = time.monotonic()
        manage(env, *step)
        print(f"  {step[0]}: {time.monotonic() - started:.0f} s", flush=True)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    queries = count_queries(env)
    print("  queries counted", flush=True)

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "makerroom.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        print(
            f"\ngunicorn {args.workers} workers, wrk -c{args.connections} -d{args.duration}s, anonymous visitors, "
            "page cache on (Redis)\n"
        )
        print(
            f"{'page':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'queries':>10}{'non-2xx':>9}{'cache':>7}  url"
        )
        for name, url in PAGES:
            for _ in range(3):  # fill the shared cache; the last answer says whether it is served from it
                with urllib.request.urlopen(base + url, timeout=10) as response:
                    response.read()
                    cache_state = response.headers.get("X-Page-Cache", "-")
            output = subprocess.run(
                [wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", base + url],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            rps, p50, p99, errors = parse_wrk(output)
            status, count = queries[name]
            print(
                f"{name:<14}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}{count:>10}{errors:>9}{cache_state:>7}  {url}",
                flush=True,
            )
        print(
            "\nqueries: an uncached anonymous render (cache hits make none). load average:", os.getloadavg()
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
