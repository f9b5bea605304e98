import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    """The URL of the database this test process uses (the test database), for a child process."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict.get("USER", ""), settings_dict.get("PASSWORD", "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


def child_env(settings, **extra):
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="makerroom.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
        MAKERROOM_TASKS="database",
        MAKERROOM_TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@pytest.fixture
def start_worker(settings, tmp_path):
    """Start `manage.py worker` processes against the test database; they are stopped (SIGTERM,
    as a process manager would) after the test."""
    processes = []

    def start(*args, **env):
        log = open(tmp_path / f"worker-{len(processes)}.log", "w+")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                *args,
            ],
            cwd=ROOT,
            env=child_env(settings, **env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        print(log.read())  # shown when the test failed
        log.close()


def wait_for(predicate, timeout=60, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout} s: {predicate}")


def stop_process(process, log, timeout=20):
    """SIGTERM (as a process manager stops it), SIGKILL if it has not exited after `timeout`
    seconds; then print its log (pytest shows it when the test failed)."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.seek(0)
    print(f"----- {Path(log.name).name} (exit {process.returncode}) -----")
    print(log.read())
    log.close()


@pytest.fixture
def start_process(tmp_path):
    """Start any long-running process (a web server) from the project folder, its output in
    tmp_path/<name>.log; every one is stopped after the test, last started first, even when the
    test failed, and its log printed."""
    processes = []

    def start(name, args, env):
        log = open(tmp_path / f"{name}.log", "w+")  # noqa: SIM115 - closed in stop_process
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        processes.append((process, log))
        return process

    yield start
    for process, log in reversed(processes):
        stop_process(process, log)
