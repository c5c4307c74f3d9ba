"""The notebooks' parameter contract (what the runner injects with papermill) and their hygiene."""

from __future__ import annotations

import ast
import json
import re

import papermill
import pytest
from click.testing import CliRunner
from papermill.cli import papermill as papermill_cli
from paths import REPO

from playbook import display as show
from playbook.messages import LANGUAGES
from playbook.steps import STEPS

NOTEBOOKS = REPO / "notebooks"

OPT_STR = "Optional[str]"
COMMON = {"tenant_dir": "str", "run_dir": OPT_STR, "sku_reference": OPT_STR}
EXPECTED: dict[str, dict[str, str]] = {
    "01-eligibility.ipynb": {
        **COMMON, "target": OPT_STR, "start_date": OPT_STR, "language": OPT_STR,
        "purchase_channel": OPT_STR, "payment_method": OPT_STR,
    },
    "02-license-count.ipynb": {
        **COMMON, "target": OPT_STR, "start_date": OPT_STR, "language": OPT_STR,
    },
    "03-reassign.ipynb": {
        **COMMON, "target": OPT_STR, "batch_size": "Optional[int]",
        "exclude_users": "Optional[list[str]]", "only_departments": "Optional[list[str]]",
        "max_users": "Optional[int]", "default_usage_location": OPT_STR,
        "reclaim_blocked": "Optional[bool]", "out_dir": OPT_STR, "runs_dir": OPT_STR,
    },
    "04-verify-and-cancel.ipynb": {**COMMON, "after_export": OPT_STR, "plan_dir": OPT_STR,
                                   "runs_dir": OPT_STR},
}
"""Each notebook's parameters and their types as papermill reads them.

``Optional[T]`` rather than ``T | None``: papermill 2.7 does not recognize PEP 604 unions in a
parameters cell (nteract/papermill#695), so such a parameter would vanish from
``--help-notebook`` and from the runner's list of declared parameters.
"""
STEP_OF = {s.notebook: s.result_key for s in STEPS}
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/home/|/Users/|\.venv|site-packages|[A-Z]:\\\\)")
GUIDE_LINK = re.compile(r'href="https://learn\.microsoft\.com/[^"]+"')

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
        if pname == "tenant_dir":
            assert isinstance(default, str) and default
        else:  # None: as tenant.yaml says (or, for paths, not given)
            assert default is None, pname
            assert "None" in info["help"], f"{pname}'s help should say what None means"


def test_help_notebook_lists_every_parameter_with_its_help(name: str):
    result = CliRunner().invoke(papermill_cli, ["--help-notebook", str(NOTEBOOKS / name)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for pname, kind in EXPECTED[name].items():
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{pname}: "))
        assert lines[at].strip().startswith(f"{pname}: {kind} (default "), lines[at]
        assert lines[at + 1].strip(), f"{pname} is listed without its help"


def test_the_steps_are_the_notebooks(name: str):
    assert sorted(EXPECTED) == [s.notebook for s in STEPS]
    assert (NOTEBOOKS / name).is_file()


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
    setup = ast.parse(_src(code[0])).body
    assert all(isinstance(n, ast.Import | ast.ImportFrom) for n in setup[:-1])
    assert ast.unparse(setup[-1]) == "show.init()"
    logic = [c for c in code[1:] if "parameters" not in c["metadata"].get("tags", [])]
    assert all(len(_src(c).splitlines()) <= 6 for c in logic), "cells should be short calls"
    for cell in logic:  # calls into the package, never logic of their own
        tree = ast.parse(_src(cell))
        assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef | ast.For | ast.While)
                       for n in ast.walk(tree)), _src(cell)
    assert f'show.record(run_dir, "{STEP_OF[name]}"' in _src(code[-1])
    checked = [c for c in code if _src(c).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, "the verdict/summary cells must be checked by nbval"
    for cell in checked:  # the step's page: HTML, with a plain-text twin nbval compares
        assert re.search(r"^show\.\w+_page\(", _src(cell), re.M), _src(cell)


def test_narrative_links_microsoft_steps(name: str):
    """The prose comes from the package in the tenant's language: its heading links Microsoft's
    E4 guide (and the step's own page) in every language."""
    for lang in LANGUAGES:
        text = show.heading_for(STEP_OF[name], lang).markup
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
