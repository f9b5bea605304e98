"""The site's packages and their data, found from the tree so a new app, template or static file
is in the wheel without a list to keep up to date; compiled catalogues (.mo, not kept in git) are
built from the .po files into the build. Everything else is in pyproject.toml.

Top-level packages: ``makerroom`` (the ``site/`` folder) and the apps. ``firmware/host`` is a
distribution of its own (makerroom-flash), which the site depends on, so it is left out here.
"""

import os
from pathlib import Path

import polib
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOTS = {
    "makerroom": "site",
    "courses": "courses",
    "festival": "festival",
    "kits": "kits",
    "firmware": "firmware",
}
# Never shipped: Node's installs, bytecode, the type stubs, dotfiles, a lab's local firmware store
# and the host package (a distribution of its own). Compiled catalogues are built, not copied.
SKIP_NAMES = {"__pycache__", "node_modules", ".stubs"}
SKIP_PATHS = {Path("firmware/host"), Path("firmware/store")}
SKIP_SUFFIXES = {".pyc", ".mo"}


def packages() -> tuple[list[str], dict[str, str]]:
    names, dirs = [], {}
    for name, folder in ROOTS.items():
        dirs[name] = folder
        names.append(name)
        names += [f"{name}.{sub}" for sub in find_packages(folder, exclude=["host", "host.*"])]
    return names, dirs


def package_data(names: list[str], dirs: dict[str, str]) -> dict[str, list[str]]:
    """Every file that is not Python source, under the package folder it belongs to."""

    def folder(name: str) -> Path:
        top, _, rest = name.partition(".")
        return Path(dirs[top], *rest.split(".")) if rest else Path(dirs[top])

    package_dirs = {folder(n) for n in names}
    data: dict[str, list[str]] = {}
    for name in names:
        base = folder(name)
        found = []
        for current, subdirs, files in os.walk(base):
            here = Path(current)
            # A sub-package's files are its own; skipped folders are never shipped.
            subdirs[:] = [
                d
                for d in subdirs
                if d not in SKIP_NAMES and here / d not in package_dirs and here / d not in SKIP_PATHS
            ]
            found += [
                (here / f).relative_to(base).as_posix()
                for f in files
                if not (here == base and f.endswith(".py"))
                and not f.startswith(".")
                and Path(f).suffix not in SKIP_SUFFIXES
            ]
        if found:
            data[name] = sorted(found)
    return data


class BuildWithCatalogues(build_py):
    def run(self):
        super().run()
        for po in Path(self.build_lib).rglob("locale/*/LC_MESSAGES/*.po"):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


NAMES, DIRS = packages()
setup(
    packages=NAMES,
    package_dir=DIRS,
    package_data=package_data(NAMES, DIRS),
    cmdclass={"build_py": BuildWithCatalogues},
)
