"""Every bad-input line comes from the catalog: no raise site words its own English.

The words live in ``playbook/messages/errors*.py`` in English and Danish; a raise site names
the problem by its key. A key that is misspelt would only show when that input goes wrong, so
these tests read the source instead of waiting for it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from playbook.messages import MESSAGES, placeholders

PACKAGE = Path(__file__).resolve().parents[1] / "playbook"
RAISERS = {"InputError", "NotAnAfterExport"}
KEY = re.compile(r"error\.[a-z0-9][a-z0-9.-]*[a-z0-9]")


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(PACKAGE.parent)), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(PACKAGE.rglob("*.py")) if "messages" not in path.parts]


MODULES = _modules()
CALLS = [(where, node) for where, tree in MODULES for node in ast.walk(tree)
         if isinstance(node, ast.Call)
         and getattr(node.func, "id", getattr(node.func, "attr", None)) in RAISERS
         and len(node.args) >= 2]


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_there_are_raise_sites_to_check() -> None:
    assert len(CALLS) > 150


@pytest.mark.parametrize(("where", "call"), CALLS,
                         ids=[f"{w}:{c.lineno}" for w, c in CALLS])
def test_each_raise_site_names_its_problem_by_a_key(where: str, call: ast.Call) -> None:
    code, fix = call.args[1], next((k.value for k in call.keywords if k.arg == "fix"), None)
    line = f"{where}:{call.lineno}"
    # an error passed on with a new file keeps its code; a code picked from a few keys
    # (a name) is covered by the test below, which checks every key literal in the package
    if isinstance(code, ast.Attribute | ast.Name):
        assert not isinstance(code, ast.Attribute) or code.attr == "code", line
        return
    key = _literal(code)
    assert key is not None and key in MESSAGES, f"{line}: the problem must be a catalog key"
    if fix is not None and _literal(fix) is not None:
        assert _literal(fix) in MESSAGES, f"{line}: the fix must be a catalog key"
    if any(k.arg is None for k in call.keywords):
        return  # **evidence passed on
    given = {k.arg for k in call.keywords}
    needed = placeholders(MESSAGES[key]["en"])
    fix_key = _literal(fix) if fix is not None else f"{key}.fix"
    if fix_key in MESSAGES:
        needed |= placeholders(MESSAGES[fix_key]["en"])
    assert needed <= given, f"{line}: {key} needs {sorted(needed - given)}"


def test_every_key_literal_in_the_package_is_in_the_catalog() -> None:
    used = {(where, node.lineno, node.value) for where, tree in MODULES
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and KEY.fullmatch(node.value)}
    assert len(used) > 150
    unknown = sorted(f"{w}:{n}: {v}" for w, n, v in used if v not in MESSAGES)
    assert not unknown, unknown


def test_every_error_text_is_english_and_danish_with_the_same_fields() -> None:
    keys = [k for k in MESSAGES if k.startswith("error.")]
    assert len(keys) > 300
    for key in keys:
        texts = MESSAGES[key]
        assert set(texts) == {"en", "da"}, key
        assert placeholders(texts["en"]) == placeholders(texts["da"]), key
