"""Tags the wheel py3-none-<platform>: it carries libglove.so but no
compiled extension, so any Python 3 on a glibc >= 2.34 Linux can use it.
The platform tag comes from $GLOVE_PLAT_NAME (the Makefile sets it)."""
import os
import platform

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel


class PlatformWheel(bdist_wheel):
    """A wheel that is Python-version independent but platform specific."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        plat = os.environ.get("GLOVE_PLAT_NAME") or f"manylinux_2_35_{platform.machine()}"
        return ("py3", "none", plat)


setup(cmdclass={"bdist_wheel": PlatformWheel})
