"""Heavy third-party modules named at module level but imported on first use.

papermill, nbformat and nbconvert take a second or more to import, Dask more. ``e4-playbook
assess`` and ``plan`` load the CLI, which names the runs, and must not pay for kernels they
never start, nor for msal and httpx, which only ``export`` and ``apply`` use (about 0.1 s
together). The modules that run notebooks, sign in or call Graph bind those libraries at
module level with :class:`DeferredModule`, so each dependency stays named at the top of its
module, while the import itself happens on first use. Only third-party modules are deferred this
way: the playbook's own modules import each other plainly (no cycle to hide).

The standard library's ``importlib.util.LazyLoader`` is not used: on Python 3.11 it runs a
package twice when one of its submodules is imported before the package is touched (two
``traitlets.config.Configurable`` classes, and papermill's kernels then refuse to start).
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any


class DeferredModule:
    """Stands for the module ``name``; the first attribute read imports it, for real, once."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    @property
    def installed(self) -> bool:
        """Whether the module can be imported (asks the import system without importing)."""
        return self._module is not None or importlib.util.find_spec(self._name) is not None

    def __getattr__(self, attr: str) -> Any:
        # only called for names this object lacks, i.e. the module's own attributes
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        state = "imported" if self._module is not None else "not imported yet"
        return f"<deferred module {self._name!r} ({state})>"
