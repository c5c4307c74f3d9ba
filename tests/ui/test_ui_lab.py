"""The four notebooks in a real JupyterLab: run every cell, no errors, live widgets, screenshots.

Each notebook runs on its committed default tenant (the bundled sample) in a scratch copy of the
repo. What the page shows after a widget change is compared with what the package computes for
the same choice, so the test fails if the widget, the callback or the page goes wrong.
"""

from __future__ import annotations

import ast
import contextlib
import re
from pathlib import Path

import papermill
import pytest
import ui_harness as h

from playbook import display as show
from playbook.counting import count_licenses
from playbook.eligibility import assess
from playbook.plan import build_plan
from playbook.tenant import load_tenant
from playbook.verification import verify_plan
from playbook.widgets import PlanFilter, TargetPicker

pytestmark = pytest.mark.ui

NOTEBOOKS = {
    "01-eligibility.ipynb": True,  # has widgets
    "02-license-count.ipynb": False,
    "03-reassign.ipynb": True,
    "04-verify-and-cancel.ipynb": True,
}


def expected_card(name: str, tenant_dir: Path) -> str:
    """The card each step must open with: the package's answer for the same tenant."""
    tenant = load_tenant(tenant_dir)
    assessment = assess(tenant)
    if name == "01-eligibility.ipynb":
        return show.step_card(tenant, assessment, "assessment").text
    if name == "02-license-count.ipynb":
        counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                                tenant.catalog)
        return show.step_card(tenant, assessment, "counts", counts=counts).text
    plan = build_plan(tenant)
    if name == "03-reassign.ipynb":
        return show.step_card(tenant, assessment, "plan", plan=plan).text
    return show.step_card(tenant, assessment, "verification",
                          verification=verify_plan(tenant, plan)).text


def tokens(text: str) -> list[str]:
    """The words of a text in order, whatever the layout (cells, lines, ``|`` or brackets)."""
    return re.findall(r"[^\s|()]+", text)


def wait_for_words(page, locator, text: str, timeout_ms: int = 30_000) -> None:
    """Wait (bounded) until an element shows ``text``'s first line (widgets redraw later)."""
    with contextlib.suppress(Exception):  # playwright's TimeoutError; the assertion reports
        page.wait_for_function("([el, want]) => el.innerText.includes(want)",
                               arg=[locator.element_handle(timeout=timeout_ms),
                                    text.strip().splitlines()[0]], timeout=timeout_ms)


def default_tenant(scratch_repo: Path, name: str) -> Path:
    """The tenant folder a notebook runs on by default (its ``tenant_dir`` parameter)."""
    info = papermill.inspect_notebook(str(scratch_repo / "notebooks" / name))
    return (scratch_repo / "notebooks" / ast.literal_eval(info["tenant_dir"]["default"])).resolve()


def normalized(text: str) -> str:
    """Text as compared between the page and the package (trailing blanks do not matter)."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def run_in_lab(page, lab, name: str) -> None:
    h.open_in_lab(page, lab.base_url, f"notebooks/{name}")
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # room for the notebook
    h.run_all_cells(page)
    assert h.error_outputs(page) == [], f"{name}: error output"
    # a cell that failed without any output (or a hung one) shows as the cells after it not run
    assert h.cells_not_run(page) == [], f"{name}: cells that never ran"


def show_on_top(locator) -> None:
    """Scroll the notebook so this output sits at the top of the view (for screenshots)."""
    locator.evaluate("el => el.scrollIntoView({block: 'start'})")


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_runs_clean_in_lab(page, lab, name, scratch_repo, screenshots):
    card = expected_card(name, default_tenant(scratch_repo, name))
    run_in_lab(page, lab, name)

    shown = page.locator(".e4-card")
    assert shown.count() == 1, f"{name}: the step's card is not on the page"
    assert tokens(shown.first.inner_text()) == tokens(card)
    if NOTEBOOKS[name]:
        assert h.visible_widget_count(page) > 0, f"{name}: no widget rendered"
        assert "Loading widget" not in page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden)")
    if name == "02-license-count.ipynb":
        chart = page.locator(".jp-OutputArea-output img").first
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
        show_on_top(page.locator(".jp-Cell", has=chart))
    elif name == "04-verify-and-cancel.ipynb":
        show_on_top(page.locator(".jp-Cell", has=shown.first))  # the yes/no to cancelling
    else:
        show_on_top(page.locator(".jp-Cell", has=page.locator(".jupyter-widgets")).first)
    if name != "03-reassign.ipynb":  # step 3 is shown after an exclusion (test below)
        h.save_screenshot(page, screenshots / name.replace(".ipynb", ".png"))
    assert page.js_errors == [], page.js_errors


def test_target_picker_updates_the_verdict(page, lab, scratch_repo):
    name = "01-eligibility.ipynb"
    tenant = load_tenant(default_tenant(scratch_repo, name))
    run_in_lab(page, lab, name)

    select = page.get_by_label("Move to")
    picker = page.locator(".widget-vbox", has=select).last
    verdict = picker.locator(".widget-html").last  # the verdict sits under the controls
    # ipywidgets draws labels with non-breaking spaces; the option order is the widget's
    labels = [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]
    expected = TargetPicker.from_tenant(tenant)  # the package's answer, as the notebook builds it
    assert labels == [label for label, _ in expected._w_target.options]
    before = select.evaluate("s => s.selectedIndex")
    assert expected._w_target.options[before][1] == expected.value["target"]
    index = next(i for i in range(len(labels)) if i != before)
    expected._w_target.value = expected._w_target.options[index][1]
    findings = expected.result.assessment.findings
    assert f"[{expected.value['target']}]" not in verdict.inner_text()  # not yet chosen

    select.select_option(index=index)
    wait_for_words(page, verdict, f"[{expected.value['target']}]")
    shown = verdict.inner_text()
    assert f"[{expected.value['target']}]" in shown.splitlines()[0]
    assert all(f.message in shown and f.remedy in shown for f in findings)
    assert h.error_outputs(page) == []


def test_excluding_a_user_updates_the_plan_summary(page, lab, scratch_repo, screenshots):
    name = "03-reassign.ipynb"
    tenant = load_tenant(default_tenant(scratch_repo, name))
    plan = build_plan(tenant)
    movers = plan.table.loc[plan.table["kind"] == "user-swap", "upn"]
    assert len(movers), "the sample tenant needs a user moved directly"
    upn = sorted(movers)[0]
    expected = PlanFilter.from_tenant(tenant)
    already = expected.value["exclude_users"]  # tenant.yaml may exclude some users already
    expected._w_user.value = upn
    expected._w_exclude.click()
    assert expected.value["exclude_users"] == sorted([*already, upn])

    run_in_lab(page, lab, name)
    user_box = page.get_by_label("User")
    box = page.locator(".widget-vbox", has=user_box).last
    summary = box.locator(".widget-html").last  # the summary sits under the controls
    user_box.fill(upn)
    box.get_by_role("button", name="Exclude").click()

    before = PlanFilter.from_tenant(tenant)
    before.refresh()
    assert tokens(expected.text) != tokens(before.text)  # the exclusion changes the summary
    page.wait_for_function("([el, want]) => el.innerText.trim().length > 0",
                           arg=[summary.element_handle(), ""], timeout=30_000)
    with contextlib.suppress(Exception):
        page.wait_for_function("([el, n]) => el.innerText.split(/\\s+/).join(' ') === n",
                               arg=[summary.element_handle(), " ".join(expected.text.split())],
                               timeout=30_000)
    assert tokens(summary.inner_text()) == tokens(expected.text)
    assert upn in box.get_by_label("Excluded").inner_text()
    assert h.error_outputs(page) == []
    show_on_top(page.locator(".jp-Cell", has=box))
    h.save_screenshot(page, screenshots / "03-reassign.png")
