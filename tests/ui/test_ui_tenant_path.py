"""Issue 17 in a real browser: on a tenant other than the notebooks' default, the app's "Next"
links keep the tenant, and step 4 verifies the plan step 3 wrote (not one rebuilt from the
export). In JupyterLab the same on a working copy made as ``e4-playbook lab`` makes it.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
import ui_harness as h
from test_ui_voila import READY, RENDER_TIMEOUT_MS, default_tenant_dir, open_in_voila

from playbook.runs.working_copy import write_working_copy

pytestmark = pytest.mark.ui

TENANT = "../data/tenants/contoso-direct"  # has an after export; not the notebooks' default


def _follow_next(page) -> str:
    """Click the page's "Next" link and wait for the next step to be drawn; returns its URL."""
    link = page.locator(".e4-next-step a").first
    href = urllib.parse.urljoin(page.url, link.get_attribute("href"))
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)["tenant_dir"] == [TENANT]
    with page.expect_navigation(wait_until="load", timeout=RENDER_TIMEOUT_MS):
        link.click()
    name = urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1]
    h.wait_voila_drawn(page, READY[name], RENDER_TIMEOUT_MS)
    return page.url


def test_links_keep_the_tenant_and_step_4_uses_step_3s_plan(page, voila, scratch_repo: Path):
    assert default_tenant_dir(scratch_repo) != TENANT
    query = urllib.parse.urlencode({"tenant_dir": TENANT})
    open_in_voila(page, voila.base_url, f"01-eligibility.ipynb?{query}")
    assert "Tenant contoso-direct (folder contoso-direct)" in page.inner_text(".e4-tenant-banner")

    for step in ("02-license-count.ipynb", "03-reassign.ipynb"):
        url = _follow_next(page)
        assert step in url and "contoso-direct" in urllib.parse.unquote(url)
        assert "folder contoso-direct" in page.inner_text(".e4-tenant-banner")
        assert h.error_outputs(page) == [], step

    # step 3: leave one user out, then write the plan where the button suggests
    page.get_by_label("User").fill("ada.lovelace@contoso.example")
    page.get_by_role("button", name="Exclude").click()
    write = page.get_by_role("button", name="Write artifacts")
    folder = page.get_by_label("Folder").first.input_value()
    assert folder == "runs/contoso-direct/manual"
    write.click()
    h.wait_for_text(page, page.locator("text=/^Written to/").first,
                    "Written to runs/contoso-direct/manual/plan")
    assert (scratch_repo / "notebooks" / folder / "plan" / "plan.json").is_file()

    _follow_next(page)
    body = page.inner_text("body")
    assert "Plan checked: runs/contoso-direct/manual/plan (written by step 3)" in body
    assert "Plan checked: rebuilt from" not in body
    assert h.error_outputs(page) == []


def _current_path(page) -> str:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")


def test_lab_working_copy_keeps_the_tenant_and_step_4_uses_step_3s_plan(page, lab,
                                                                        scratch_repo: Path):
    """``e4-playbook lab <tenant>``'s working copy in a real JupyterLab: the "Next" link opens
    the next step of the copy, on the same tenant; step 4 verifies the plan step 3 wrote."""
    tenant = scratch_repo / "data" / "tenants" / "contoso-direct"
    runs = scratch_repo / "lab-runs"
    write_working_copy(tenant, scratch_repo / "lab-contoso", runs_dir=runs, refresh=True)
    h.open_in_lab(page, lab.base_url, "lab-contoso/01-eligibility.ipynb")
    h.run_all_cells(page)
    assert h.error_outputs(page) == []
    assert "folder contoso-direct" in page.locator(".e4-tenant-banner").first.inner_text()
    link = page.locator(".e4-next-step a").first
    assert "another tenant" not in page.locator(".e4-next-step").first.inner_text()
    link.click()  # Lab opens the linked notebook of the same folder
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.context.path"
                           " === 'lab-contoso/02-license-count.ipynb'", timeout=60_000)
    h.wait_kernel_idle(page)
    h.run_all_cells(page)
    assert h.error_outputs(page) == []
    assert "folder contoso-direct" in page.locator(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .e4-tenant-banner").first.inner_text()

    h.open_in_lab(page, lab.base_url, "lab-contoso/03-reassign.ipynb")
    h.run_all_cells(page)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    notebook.get_by_label("User").fill("ada.lovelace@contoso.example")
    notebook.get_by_role("button", name="Exclude").click()
    folder = notebook.get_by_label("Folder").first.input_value()
    assert folder == (runs / "contoso-direct" / "manual").as_posix()
    notebook.get_by_role("button", name="Write artifacts").click()
    notebook.locator(f"text=Written to {folder}/plan").first.wait_for(timeout=60_000)

    h.open_in_lab(page, lab.base_url, "lab-contoso/04-verify-and-cancel.ipynb")
    h.run_all_cells(page)
    assert h.error_outputs(page) == []
    body = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").inner_text()
    assert f"Plan checked: {folder}/plan (written by step 3)" in body
    assert "Plan checked: rebuilt from" not in body
