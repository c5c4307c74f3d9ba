"""The web app's parts without a browser: URL parameters, the first screen, Voila's command line.

The browser tests (test_ui_voila.py) show the app works end to end; these pin the rules that
keep it safe and predictable: a URL can set only the tenant, only as a string, never as code.
"""

from __future__ import annotations

import ast
import shutil
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from playbook import app
from playbook.steps import STEPS

REPO = Path(__file__).resolve().parents[2]


def _notebook(params: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from playbook import display as show"),
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(tenant_dir)"),
    ]
    return nb


PARAMS = 'tenant_dir: str = "../data/tenants/a"  # folder\nrun_dir: str = ""  # run\n'


class FakeRequest:
    """The one method of tornado's RequestHandler the hook uses."""

    def __init__(self, query: str) -> None:
        self.args = urllib.parse.parse_qs(query)

    def get_query_argument(self, name: str, default=...):
        if name in self.args:
            return self.args[name][-1]
        if default is ...:
            raise KeyError(name)
        return default


def _injected_values(nb: nbformat.NotebookNode) -> dict[str, object]:
    cells = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    out = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign), ast.dump(node)  # assignments only, no calls
        out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


@pytest.mark.parametrize("value", [
    "../data/tenants/contoso",
    'C:\\Tenants\\Fabrikam "EU"\\',
    '";import os;os.system("echo owned");#',
    "\\\";__import__('os');#",
    "tenant\nwith newline",
])
def test_url_value_becomes_a_string_literal_after_the_parameters_cell(value):
    nb = app.inject_parameters(_notebook(PARAMS), {"tenant_dir": value})

    assert _injected_values(nb) == {"tenant_dir": value}
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags.index(["injected-parameters"]) == tags.index(["parameters"]) + 1
    nbformat.validate(nb)


def test_only_declared_and_allowed_parameters_are_set():
    # run_dir is declared but a URL must not choose where files are written
    nb = app.inject_parameters(_notebook(PARAMS), {"run_dir": "/tmp/x", "evil": "1"})
    assert len(nb.cells) == 3

    undeclared = app.inject_parameters(_notebook('target: str = ""\n'), {"tenant_dir": "x"})
    assert len(undeclared.cells) == 3


def test_hook_reads_the_query_string():
    nb = app.prelaunch_hook(FakeRequest("tenant_dir=..%2Fdata%2Ftenants%2Fb&run_dir=%2Ftmp"),
                            _notebook(PARAMS), cwd=".")
    assert _injected_values(nb) == {"tenant_dir": "../data/tenants/b"}

    untouched = app.prelaunch_hook(FakeRequest(""), _notebook(PARAMS), cwd=".")
    assert [c.source for c in untouched.cells] == [c.source for c in _notebook(PARAMS).cells]


def test_declared_parameters_of_the_real_notebooks():
    for name in (s.notebook for s in STEPS):
        nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
        assert "tenant_dir" in app.declared_parameters(nb), name
    first = nbformat.read(REPO / "notebooks" / app.FIRST_SCREEN, as_version=4)
    assert app.declared_parameters(first) == {"tenants_root", "tenant_dir", "tenant_dirs"}


def test_first_screen_notebook_stays_thin():
    nb = nbformat.read(REPO / "notebooks" / app.FIRST_SCREEN, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(len(c.source.strip().splitlines()) <= 3 for c in code)
    outputs = str([c.outputs for c in code])
    for machine_path in ("/work/", "/tmp/", "/home/", "/root/", ".venv", "C:\\"):
        assert machine_path not in outputs  # outputs, if committed, show no machine paths


def test_find_tenants_lists_folders_with_tenant_yaml(tmp_path):
    for name in ("zeta", "alpha"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tenant.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "no-yaml").mkdir()
    (tmp_path / "file.txt").write_text("", encoding="utf-8")

    found = app.find_tenants(tmp_path)
    assert found == [("alpha", (tmp_path / "alpha").as_posix()),
                     ("zeta", (tmp_path / "zeta").as_posix())]
    assert app.find_tenants(tmp_path / "missing") == []


def test_step_links_carry_the_tenant_only_when_served_by_voila():
    folder = "../data/tenants/fabrikam & co"
    live = app.step_links(folder, live=True)
    hrefs = [part.split('"')[0] for part in live.split('href="')[1:]]
    assert [h.split("?")[0] for h in hrefs] == [s.notebook for s in STEPS]
    for href in hrefs:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(
            href.replace("&amp;", "&")).query)
        assert query == {"tenant_dir": [folder]}

    offline = app.step_links(folder, live=False)
    assert "href" not in offline
    assert "e4-playbook lab ../data/tenants/fabrikam &amp; co" in offline


def test_voila_command_line_defaults_and_overrides():
    args = app.voila_args([])
    assert "--port=8866" in args and "--Voila.ip=127.0.0.1" in args
    assert "--show_tracebacks=True" in args
    assert args[-1] == str(REPO / "notebooks")

    mine = app.voila_args(["--port=9000", "--no-browser", "nbs"])
    assert "--port=8866" not in mine and "--port=9000" in mine
    assert mine[-1] == "nbs" and "--no-browser" in mine
    assert app.first_screen_url("http://127.0.0.1:9000/") == (
        "http://127.0.0.1:9000/voila/render/00-app.ipynb")


def test_first_screen_lists_the_tenant_folders_the_app_was_given(tmp_path):
    """``e4-playbook app DIR...``: the folders named on the command line, by folder name."""
    mine = shutil.copytree(REPO / "data" / "tenants" / "contoso-direct", tmp_path / "mine")
    chooser = app.tenant_chooser("", str(mine), [str(mine)])
    assert chooser.value == str(mine)
    assert [label for label, _ in chooser._w_tenant.options] == ["mine"]
