"""Module-level imports whose cost is paid on first use (the standard library's LazyLoader).

papermill, nbformat and nbconvert take a second or more to import, Dask more; ``e4-playbook
assess`` and ``plan`` load the CLI, which names the runs, and must not pay for kernels they
never start. The modules that run notebooks bind these libraries at module level with
:func:`deferred_import`, so every dependency stays visible at the top of the module and
nothing is imported inside a function, while the import itself runs when a notebook does.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def deferred_import(name: str) -> ModuleType | None:
    """``name`` as a module that loads on its first attribute access; ``None`` if not installed.

    Once a module is loaded (by anyone) it is returned as it is.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return None
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
