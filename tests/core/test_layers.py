"""The layers of docs/dev/architecture.md, checked on the source: who may import whom.

- the core (makerroom.core) imports no feature app and nothing of the project package but itself;
- a feature app imports the core, never another part of the project package (home, search, urls…);
- a feature app uses another app only through its public modules (models, services, policy);
  festival and courses may use kits; nobody uses festival or courses' internals;
- the firmware host package (makerroom_flash) imports nothing of Django, Wagtail or the apps.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEATURE_APPS = {"courses", "festival", "kits", "firmware"}
PUBLIC_MODULES = {"models", "services", "policy", "choices", "signals", "library"}
# Which app may use which other app at all (through its public modules).
MAY_USE = {
    "courses": {"kits", "firmware"},  # a lesson lists kit parts and bundles its program (firmware.library)
    "festival": {"kits", "courses"},  # an entry may name the lesson it grew from
    "firmware": {"kits"},
    "kits": set(),
}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _sources(folder):
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts or "node_modules" in path.parts or "lessons" in path.parts:
            continue
        if "vboard" in path.parts:  # MicroPython code run on the virtual board
            continue
        yield path


def _violations_of_app(app):
    folder = ROOT / app
    for path in _sources(app):
        inside = path.relative_to(folder).parts
        is_host = inside[:1] == ("host",)
        for line, name in _imports(path):
            parts = name.split(".")
            where = f"{path.relative_to(ROOT)}:{line} imports {name}"
            if is_host:
                if parts[0] in {"django", "wagtail", "makerroom", *FEATURE_APPS}:
                    yield where
                continue
            if parts[0] == "makerroom" and len(parts) > 1 and parts[1] not in {"core"}:
                yield where
            other = parts[0]
            if other in FEATURE_APPS and other != app:
                if other not in MAY_USE[app]:
                    yield where
                elif (
                    len(parts) > 1
                    and parts[1] not in PUBLIC_MODULES
                    and not (other == "kits" and parts[1] in {"services", "policy", "models"})
                ):
                    # `from kits import services` arrives here as kits.services: allowed above
                    yield where


@pytest.mark.parametrize("app", sorted(FEATURE_APPS))
def test_feature_app_uses_only_the_core_and_public_modules(app):
    assert list(_violations_of_app(app)) == []


def test_core_imports_no_feature_app_nor_the_rest_of_the_project():
    bad = []
    for path in _sources("site/core"):
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[0] in FEATURE_APPS or (
                parts[0] == "makerroom" and len(parts) > 1 and parts[1] != "core"
            ):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert bad == []
