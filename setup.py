"""Build hook: copy the repository's notebooks and sample tenants into the wheel.

Metadata lives in pyproject.toml; this file only adds one step to ``build_py``. The repository's
``notebooks/`` and ``data/tenants/`` stay the one copy that is edited and tested; a built
wheel carries them as ``playbook/bundled/notebooks`` and ``playbook/bundled/data/tenants`` (the
same relative layout), which :mod:`playbook.shipped` finds when there is no checkout. An
editable install needs no copy: it runs from the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {  # repository folder -> folder inside the package, with what to take
    "notebooks": ("bundled/notebooks", ("*.ipynb",)),
    "data/tenants": ("bundled/data/tenants", ("*",)),
}
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*-err.ipynb")


class BuildWithBundledFiles(build_py):
    """``build_py`` that also copies the notebooks and sample tenants into the package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own folders
        package = Path(self.build_lib) / "playbook"
        for source, (target, patterns) in BUNDLED.items():
            src, dst = ROOT / source, package / target
            if dst.exists():
                shutil.rmtree(dst)
            dst.mkdir(parents=True)
            for pattern in patterns:
                for item in sorted(src.glob(pattern)):
                    if item.is_dir():
                        shutil.copytree(item, dst / item.name, ignore=_SKIP)
                    elif not item.name.endswith("-err.ipynb"):
                        shutil.copy2(item, dst / item.name)


setup(cmdclass={"build_py": BuildWithBundledFiles})
