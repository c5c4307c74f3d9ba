"""Where the files that ship with the playbook are: the notebooks and the sample tenants.

Two layouts, one answer. In a clone (or an editable install) they are the repository's own
``notebooks/`` and ``data/tenants/``, the one copy that is edited and tested. In an installed
wheel there is no repository: ``setup.py``'s build step copies those same folders into the
package as ``playbook/bundled/notebooks`` and ``playbook/bundled/data/tenants`` (never
committed there). The bundled layout keeps the repository's relative paths, so a notebook's
default ``tenant_dir = "../data/tenants/..."`` works in both.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_DIR = "bundled"
"""Folder inside the package the wheel's build step fills (see ``setup.py``)."""


def repo_root() -> Path:
    """The checkout the package runs from (notebooks/ and data/ sit next to playbook/).

    Located from this module's own file, which works even when ``playbook`` is imported as a
    namespace package (a stale editable install) and ``playbook.__file__`` is None.
    """
    return Path(__file__).resolve().parents[1]


def bundled_root() -> Path:
    """The copy of the repository's folders inside an installed wheel (may not exist)."""
    return Path(__file__).resolve().parent / BUNDLED_DIR


def _shipped(*parts: str) -> Path:
    """``parts`` inside the installed package when it holds them, else in the checkout."""
    inside = bundled_root().joinpath(*parts)
    return inside if inside.is_dir() else repo_root().joinpath(*parts)


def notebooks_dir() -> Path:
    """The step notebooks (and the app's first screen) every command runs or serves."""
    return _shipped("notebooks")


def sample_tenants_dir() -> Path:
    """The sample tenant folders the demo copies and the app lists by default."""
    return _shipped("data", "tenants")
