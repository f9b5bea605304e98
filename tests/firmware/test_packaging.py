"""The wheels: makerroom-flash installs into a fresh venv without Django and flashes a board from
there; the site's wheel carries everything the site needs besides Python code."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from makerroom_flash.fsimage import read_image
from makerroom_flash.library import BUNDLED

from .esp_images import merged_image
from .mockboards import MockBoard

REPO = Path(__file__).resolve().parents[2]
UV = Path(sys.executable).parent / "uv"

pytestmark = pytest.mark.packaging


def build(project: Path, out: Path) -> tuple[Path, Path]:
    """sdist, then the wheel from the sdist (uv build's default): both must hold everything."""
    subprocess.run([str(UV), "build", "-q", "-o", str(out), str(project)], check=True, timeout=300)
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="session")
def host_venv(tmp_path_factory):
    """A fresh venv with only the makerroom-flash wheel and what it depends on, built once."""
    tmp = tmp_path_factory.mktemp("host-wheel")
    _sdist, wheel = build(REPO / "firmware" / "host", tmp / "dist")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    # Dependencies from uv's cache (or PyPI): the wheel itself is the local file, not the checkout.
    subprocess.run(
        [str(UV), "pip", "install", "-q", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
        timeout=300,
    )
    return venv, wheel


def run(venv: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    # Outside the checkout (python -c puts the working folder on sys.path), as on a lab PC.
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(venv), "COLUMNS": "200"}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=venv,
        timeout=300,
        **kwargs,
    )


def test_the_host_wheel_installs_without_django_and_flashes_a_board(host_venv, tmp_path):
    venv, wheel = host_venv
    names = zipfile.ZipFile(wheel).namelist()
    assert "makerroom_flash/locale/zh_Hans/LC_MESSAGES/makerroom_flash.mo" in names
    assert {f"makerroom_flash/lessons/{slug}/lesson.toml" for slug in BUNDLED.slugs()} <= set(names)
    assert "makerroom_flash/lessons/oled/lib/ssd1306.py" in names

    # Nothing of the site: no Django, no Wagtail, and the package is the wheel's, not the checkout.
    where = run(venv, "python", "-c", "import makerroom_flash; print(makerroom_flash.__file__)")
    assert where.stdout.startswith(str(venv)), where.stdout + where.stderr
    for module in ("django", "wagtail", "firmware", "makerroom"):
        probe = run(venv, "python", "-c", f"import {module}")
        assert probe.returncode == 1 and "ModuleNotFoundError" in probe.stderr, module

    help_text = run(venv, "makerroom-flash", "--help")
    assert help_text.returncode == 0 and "给多块 ESP32 开发板同时烧录 MicroPython 课程。" in help_text.stdout
    lessons = run(venv, "makerroom-flash", "lessons")
    assert lessons.returncode == 0 and "traffic-light" in lessons.stdout and "红绿灯" in lessons.stdout

    base = tmp_path / "ESP32_GENERIC-v1.24.1.bin"
    base.write_bytes(merged_image("esp32", "v1.24.1"))
    store = tmp_path / "store"
    added = run(venv, "makerroom-flash", "firmware", "--store", str(store), "add", str(base))
    assert added.returncode == 0 and "v1.24.1" in added.stdout, added.stdout + added.stderr

    board = MockBoard("esp32")
    try:
        built = "2026-09-01T08:00:00Z"
        args = ["--lesson", "blink", "--ports", board.url, "--kit", "SZ-0012-K07", "--store", str(store)]
        flashed = run(venv, "makerroom-flash", *args, "--build-time", built, "--json")
        assert flashed.returncode == 0, flashed.stdout + flashed.stderr
        [result] = json.loads(flashed.stdout)["results"]
        assert result["ok"] and result["kit"] == "SZ-0012-K07" and result["message"] == "成功"
        assert board.read(0x1000, len(base.read_bytes())) == base.read_bytes()
        files = read_image(board.read(0x200000, 0x200000))
        assert files["main.py"] == BUNDLED.load("blink").files["main.py"].encode()
        assert json.loads(files["lesson.json"])["board"] == "SZ-0012-K07"
    finally:
        board.close()


def test_the_site_wheel_holds_templates_static_migrations_catalogues_and_lessons(tmp_path):
    sdist, wheel = build(REPO, tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())

    def under(prefix: str, suffix: str = "") -> set[str]:
        return {n for n in names if n.startswith(prefix) and n.endswith(suffix)}

    # Every package of the tree, every migration and every non-Python file of the apps.
    for folder, package in [
        ("site", "makerroom"),
        *[(a, a) for a in ("courses", "festival", "kits", "firmware")],
    ]:
        for init in (REPO / folder).rglob("__init__.py"):
            rel = init.relative_to(REPO / folder)
            if {"node_modules", "host", ".stubs"} & set(rel.parts):
                continue
            assert f"{package}/{rel.as_posix()}" in names
        for migration in (REPO / folder).rglob("migrations/*.py"):
            assert f"{package}/{migration.relative_to(REPO / folder).as_posix()}" in names
    assert "makerroom/templates/base.html" in names
    assert under("courses/templates/courses/", ".html") and under("festival/templates/", ".html")
    assert under("makerroom/static/", ".css") and under("festival/static/")
    for app in ("makerroom", "courses", "courses/classes", "festival", "kits", "firmware"):
        assert f"{app}/locale/zh_Hans/LC_MESSAGES/django.mo" in names, app
        assert f"{app}/locale/zh_Hans/LC_MESSAGES/django.po" in names, app
    for slug in BUNDLED.slugs():
        assert {f"firmware/lessons/{slug}/lesson.toml", f"firmware/lessons/{slug}/main.py"} <= names
    # Not the site's: the host package (its own wheel), Node's installs, bytecode, the local store.
    assert not any(
        n.startswith(("firmware/host/", "makerroom_flash/", "firmware/store/")) or "node_modules" in n
        for n in names
    )
    assert not under("", ".pyc")
    metadata = zipfile.ZipFile(wheel).read("makerroom-0.1.0.dist-info/METADATA").decode()
    assert "Requires-Dist: makerroom-flash==0.1.0" in metadata
    assert sdist.name == "makerroom-0.1.0.tar.gz"


def test_the_host_package_passes_pyright():
    out = subprocess.run(
        [
            str(REPO / ".venv/bin/pyright"),
            "--outputjson",
            "-p",
            str(REPO / "firmware/host/pyrightconfig.json"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(out.stdout)
    problems = [
        f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']}" for d in report["generalDiagnostics"]
    ]
    assert report["summary"]["errorCount"] == 0, "\n".join(problems)
    assert report["summary"]["filesAnalyzed"] >= 14
