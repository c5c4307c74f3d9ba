"""The notebooks' parameter contract (what the runner injects with papermill) and their hygiene."""

from __future__ import annotations

import ast
import json
import re

import papermill
import pytest
from paths import REPO

NOTEBOOKS = REPO / "notebooks"

COMMON = {"tenant_dir": "str", "run_dir": "str", "sku_reference": "str"}
EXPECTED: dict[str, dict[str, str]] = {
    "01-eligibility.ipynb": {
        **COMMON, "target": "str", "start_date": "str", "language": "str",
        "purchase_channel": "str", "payment_method": "str",
    },
    "02-license-count.ipynb": {
        **COMMON, "target": "str", "start_date": "str", "language": "str",
    },
    "03-reassign.ipynb": {
        **COMMON, "target": "str", "batch_size": "int", "exclude_users": "list",
        "only_departments": "list", "max_users": "int", "default_usage_location": "str",
        "reclaim_blocked": "bool", "out_dir": "str",
    },
    "04-verify-and-cancel.ipynb": {**COMMON, "after_export": "str", "plan_dir": "str"},
}
DEFAULTS = {"batch_size": 20, "max_users": 0, "reclaim_blocked": False, "exclude_users": [],
            "only_departments": []}
STEP_OF = {"01-eligibility.ipynb": "assessment", "02-license-count.ipynb": "counts",
           "03-reassign.ipynb": "plan", "04-verify-and-cancel.ipynb": "verification"}
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/home/|/Users/|\.venv|site-packages|[A-Z]:\\\\)")
GUIDE_LINK = re.compile(r"\]\(https://learn\.microsoft\.com/[^)]+\)")

pytestmark = pytest.mark.parametrize("name", sorted(EXPECTED))


def _load(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def _code(book: dict) -> list[dict]:
    return [c for c in book["cells"] if c["cell_type"] == "code"]


def _src(cell: dict) -> str:
    return "".join(cell["source"])


def test_papermill_describes_every_parameter(name: str):
    found = papermill.inspect_notebook(str(NOTEBOOKS / name))
    assert list(found) == list(EXPECTED[name])
    for pname, info in found.items():
        assert info["inferred_type_name"] == EXPECTED[name][pname], pname
        assert info["help"].strip(), f"{pname} has no # help comment"
        default = ast.literal_eval(info["default"])
        assert type(default).__name__ == EXPECTED[name][pname]
        assert default == DEFAULTS.get(pname, "" if pname != "tenant_dir" else default)


def test_parameters_cell_holds_literals_only(name: str):
    book = _load(name)
    tagged = [c for c in book["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(_src(tagged[0]))
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), ast.dump(node)
        ast.literal_eval(node.value)  # a literal, never a call or a widget


def test_default_tenant_is_the_bundled_sample(name: str):
    info = papermill.inspect_notebook(str(NOTEBOOKS / name))["tenant_dir"]
    folder = (NOTEBOOKS / ast.literal_eval(info["default"])).resolve()
    assert folder.parent == (REPO / "data" / "tenants").resolve()
    assert (folder / "tenant.yaml").is_file()


def test_thin_cells_init_first_and_a_run_record(name: str):
    code = _code(_load(name))
    assert "nb.init()" in _src(code[0])
    logic = [c for c in code if "parameters" not in c["metadata"].get("tags", [])]
    assert all(len(_src(c).splitlines()) <= 8 for c in logic), "cells should be short calls"
    assert f'nb.record(run_dir, "{STEP_OF[name]}"' in _src(code[-1])
    checked = [c for c in code if _src(c).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, "the verdict/summary cells must be checked by nbval"
    for cell in checked:
        assert "print(" in _src(cell)


def test_narrative_links_microsoft_steps(name: str):
    text = "".join(_src(c) for c in _load(name)["cells"] if c["cell_type"] == "markdown")
    assert GUIDE_LINK.search(text)
    assert "upgrade-office-365-e4" in text


def test_committed_outputs_are_clean(name: str):
    book = _load(name)
    assert book["metadata"]["kernelspec"]["name"] == "python3"
    whole = (NOTEBOOKS / name).read_text(encoding="utf-8")  # outputs and widget state too
    hit = MACHINE_PATH.search(whole)
    assert hit is None, f"machine path: {whole[max(0, hit.start() - 80):hit.end() + 80]}"
    code = _code(book)
    checked = [c for c in code if "NBVAL_CHECK_OUTPUT" in _src(c)]
    assert all(c.get("outputs") for c in checked), "commit it executed on the sample tenant"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", json.dumps(out)[:300]
