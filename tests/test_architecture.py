"""The package's architecture contract: layers, no import cycles, imports at the top.

The layers are declared once, in ``pyproject.toml`` (``[tool.importlinter]``): front ends over
runs over the rules over the inputs over the base. ``make lint`` runs ``lint-imports`` on them
and the first test here does the same, so a rule module that starts importing a front end fails
``make test``. ``docs/architecture.md`` draws the same map for a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports
from paths import REPO

PACKAGE = REPO / "playbook"

LAZY_IMPORTS_ALLOWED: dict[str, str] = {}
"""Top-level names that may be imported inside a function, each with its reason (none: an
import inside a function hides a cycle or a cost; see ``playbook.deferred`` for how the
heavy notebook libraries stay out of ``assess`` and ``plan``)."""


def test_the_layers_hold() -> None:
    """import-linter's contracts in pyproject.toml are kept."""
    assert lint_imports(config_filenames=(str(REPO / "pyproject.toml"),), no_cache=True) == 0


def test_no_import_cycles() -> None:
    """No module reaches itself again through its imports, directly or through a chain."""
    graph = grimp.build_graph("playbook")
    cycles = [f"{module} -> {imported} -> ... -> {module}"
              for module in sorted(graph.modules)
              for imported in sorted(graph.find_modules_directly_imported_by(module))
              if graph.chain_exists(importer=imported, imported=module)]
    assert cycles == []


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import inside a function or method of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import):
                found += [(inner.lineno, alias.name) for alias in inner.names]
            elif isinstance(inner, ast.ImportFrom):
                found.append((inner.lineno, inner.module or "."))
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_imports_are_at_the_top(path: Path) -> None:
    """Every import stands at the top of its module, where a reader sees what it needs."""
    hidden = [f"{path.relative_to(REPO)}:{line}: {module}"
              for line, module in _function_imports(path)
              if module.split(".")[0] not in LAZY_IMPORTS_ALLOWED]
    assert hidden == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The function-level import finder finds one (so an empty answer above means something)."""
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from json import dumps\n    return dumps\n",
                      encoding="utf-8")
    assert _function_imports(module) == [(4, "json")]
