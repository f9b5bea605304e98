"""Compiles the translation catalogue into the build, so a wheel always carries a .mo that matches
its .po (compiled .mo files are not kept in git). Everything else is in pyproject.toml."""

from pathlib import Path

import polib
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogue(build_py):
    def run(self):
        super().run()
        for po in Path(self.build_lib, "makerroom_flash", "locale").glob("*/LC_MESSAGES/*.po"):
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildWithCatalogue})
