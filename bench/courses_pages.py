"""Course pages under gunicorn: requests/s, p50/p99 latency (wrk) and SQL queries per page.

Builds a fresh SQLite site with the demo content, serves it with production settings (Redis cache,
so the anonymous page cache is shared by the workers) under gunicorn, and runs wrk against the home,
course index, course and lesson pages. Queries per page are counted in-process on an uncached render.

Then the traffic the anonymous cache never sees: the demo student, logged in, opening a lesson of
their class. With `--against URL --against-cookie "sessionid=…"` the same wrk runs, round by round
interleaved, against another site's page for a logged-in user on the same machine (issue 12 compares
with Wagtail's bakerydemo blog post, served by its own production settings under gunicorn with the
same number of workers); medians of the rounds and the ratio are printed.

    .venv/bin/python bench/courses_pages.py [--duration 20] [--connections 16] [--workers 2]
        [--rounds 3] [--against http://127.0.0.1:8048/blog/wild-yeast/ --against-cookie sessionid=…]

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/7) and wrk (installed with apt-get if missing).
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
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
STUDENT = "student"  # the demo's 小明, in a class that follows 点亮第一盏灯
LESSON = "/courses/first-light/blink/"


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
        DEMO_PASSWORD="bench-demo-password",
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


def student_session(env):
    """Log the demo student in (as the login form would) and return the session cookie, and the
    queries of that student's lesson page: once right after a publish (nothing cached yet) and once
    when the lesson's shared fragments are cached."""
    code = f"""
import django, json
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="localhost")
assert client.login(username={STUDENT!r}, password=settings.DEMO_PASSWORD)
counts = []
for _ in range(2):
    with CaptureQueriesContext(connection) as captured:
        response = client.get({LESSON!r})
    assert response.status_code == 200, response.status_code
    counts.append(len(captured))
print(json.dumps({{"cookie": settings.SESSION_COOKIE_NAME + "=" + client.cookies[settings.SESSION_COOKIE_NAME].value,
                  "queries": counts}}))
"""
    result = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def wrk_run(wrk, url, connections, duration, cookie=None):
    command = [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


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
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the logged-in pages")
    parser.add_argument("--against", help="another site's page for a logged-in user, measured interleaved")
    parser.add_argument("--against-cookie", default="", help='its session cookie, "name=value"')
    args = parser.parse_args()

    wrk = ensure_wrk()
    work = tempfile.mkdtemp(prefix="mr-bench-courses-")
    env = environment(work, args.redis)
    print(f"Building the demo site in {work} …", flush=True)
    for step in (
        ["migrate", "--noinput"],
        ["seed_demo", "--allow-production"],
        ["collectstatic", "--noinput"],
    ):
        started = time.monotonic()
        manage(env, *step)
        print(f"  {step[0]}: {time.monotonic() - started:.0f} s", flush=True)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    queries = count_queries(env)
    session = student_session(env)
    print("  queries counted, student logged in", flush=True)

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
            rps, p50, p99, errors = wrk_run(wrk, base + url, args.connections, args.duration)
            status, count = queries[name]
            print(
                f"{name:<14}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}{count:>10}{errors:>9}{cache_state:>7}  {url}",
                flush=True,
            )
        print(
            "\nqueries: an uncached anonymous render (cache hits make none). load average:", os.getloadavg()
        )
        logged_in(wrk, base, session, args)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def logged_in(wrk, base, session, args):
    """The logged-in student's lesson page, interleaved round by round with the page it is compared
    against (if any), which of the two goes first alternating."""
    with urllib.request.urlopen(
        urllib.request.Request(base + LESSON, headers={"Cookie": session["cookie"]}), timeout=10
    ) as response:
        body = response.read().decode()
        assert "workbench" in body and response.headers.get("X-Page-Cache") is None, "not the student's page"
    targets = [("lesson, logged-in student", base + LESSON, session["cookie"])]
    if args.against:
        targets.append(("compared page, logged in", args.against, args.against_cookie))
    figures = {name: [] for name, _, _ in targets}
    for round_ in range(args.rounds):
        for name, url, cookie in targets if round_ % 2 == 0 else targets[::-1]:
            figures[name].append(wrk_run(wrk, url, args.connections, args.duration, cookie))
    print(
        f"\nlogged in, not served from the page cache: {args.rounds} interleaved rounds of "
        f"wrk -c{args.connections} -d{args.duration}s, medians\n"
    )
    print(f"{'page':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}  rounds (req/s)  url")
    medians = {}
    for name, url, _ in targets:
        runs = figures[name]
        rps, p50, p99 = (statistics.median(run[i] for run in runs) for i in range(3))
        errors = sum(run[3] for run in runs)
        medians[name] = rps
        rounds = " ".join(f"{run[0]:.0f}" for run in runs)
        print(f"{name:<28}{rps:>10.0f}{p50:>10.2f}{p99:>10.2f}{errors:>9}  {rounds:<14}  {url}", flush=True)
    first, after = session["queries"]
    print(f"\nqueries of the student's lesson page: {after} (the first view after a publish: {first})")
    if args.against:
        ours, theirs = medians.values()
        print(f"ratio: {ours / theirs:.1f}× the compared page. load average: {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
