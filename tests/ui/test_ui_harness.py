"""The browser harness checked on tiny generated notebooks, independent of the playbook's own.

If these fail, the UI tests of the playbook cannot be trusted either way: the detector must see a
traceback when there is one, a widget change must reach the kernel and come back, and Voila must
render widgets and show its errors.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import ui_harness as h

pytestmark = pytest.mark.ui

WIDGET_CELLS = [
    "import ipywidgets as w",
    "pick = w.Dropdown(options=['alpha', 'beta'], value='alpha', description='Pick')\n"
    "shown = w.HTML('<pre>verdict: alpha</pre>')\n"
    "pick.observe(lambda c: setattr(shown, 'value', f\"<pre>verdict: {c['new']}</pre>\"),"
    " names='value')\n"
    "w.VBox([pick, shown])",
    "import sys; print('a harmless warning', file=sys.stderr)",
]
ERROR_CELLS = ["x = 1", "1 / 0", "print('never runs')"]
ONE_LINE_CELLS = [
    "import sys\nprint(\"error: users.csv:3: not a users export (fix: export again)\","
    " file=sys.stderr)",
]


def _write(folder: Path, name: str, cells: list[str]) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return name


@pytest.fixture(scope="module")
def selftest(scratch_repo: Path) -> str:
    """Folder (relative to notebooks/) holding the generated notebooks."""
    folder = scratch_repo / "notebooks" / "_selftest"
    _write(folder, "widget.ipynb", WIDGET_CELLS)
    _write(folder, "error.ipynb", ERROR_CELLS)
    _write(folder, "one_line.ipynb", ONE_LINE_CELLS)
    return "_selftest"


def test_lab_runs_cells_and_widget_change_reaches_the_kernel(page, lab, selftest):
    h.open_in_lab(page, lab.base_url, f"notebooks/{selftest}/widget.ipynb")
    h.run_all_cells(page)

    assert h.cells_not_run(page) == []
    assert h.error_outputs(page) == []
    assert h.visible_widget_count(page) >= 2
    verdict = page.locator(".widget-html pre").first
    assert verdict.inner_text() == "verdict: alpha"

    page.locator(".widget-dropdown select").select_option(label="beta")
    page.wait_for_function(
        "() => document.querySelector('.widget-html pre').textContent === 'verdict: beta'")
    assert verdict.inner_text() == "verdict: beta"


def test_lab_error_output_is_detected(page, lab, selftest):
    h.open_in_lab(page, lab.base_url, f"notebooks/{selftest}/error.ipynb")
    h.run_all_cells(page)

    errors = h.error_outputs(page)
    assert any("ZeroDivisionError" in e for e in errors), errors
    assert h.cells_not_run(page) == [3]  # Lab stops at the failing cell


def test_lab_one_line_error_is_detected(page, lab, selftest):
    # the playbook shows bad input as one "error: ..." line, no traceback: still an error here
    h.open_in_lab(page, lab.base_url, f"notebooks/{selftest}/one_line.ipynb")
    h.run_all_cells(page)

    errors = h.error_outputs(page)
    assert any("users.csv:3" in e for e in errors), errors


def test_voila_renders_widgets_and_shows_errors(page, voila, selftest):
    page.goto(f"{voila.base_url}/voila/render/{selftest}/widget.ipynb")
    page.wait_for_selector(".widget-dropdown select", timeout=60_000)
    assert h.error_outputs(page) == []
    assert h.visible_widget_count(page) >= 2
    assert "import ipywidgets" not in page.inner_text("body")  # code is hidden

    page.locator(".widget-dropdown select").select_option(label="beta")
    page.wait_for_function(
        "() => document.querySelector('.widget-html pre').textContent === 'verdict: beta'")

    page.goto(f"{voila.base_url}/voila/render/{selftest}/error.ipynb")
    page.wait_for_function("() => document.body.innerText.includes('ZeroDivisionError')",
                           timeout=60_000)
    assert any("ZeroDivisionError" in e for e in h.error_outputs(page))
