"""Issue 17: the admin stays on their own tenant, and step 4 reads the plan step 3 wrote.

The banner says whose tenant a step shows; "Next" links keep the tenant in the app (the URL),
in run records (the HTML copies) and in JupyterLab (a working copy set to one tenant); a plan
written in step 3 is the one step 4 verifies, not a plan rebuilt from the export.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from paths import REPO, TENANTS

from playbook import navigation as nav
from playbook.cli import main
from playbook.messages import message
from playbook.runs.execute import execute_notebook
from playbook.runs.working_copy import write_working_copy
from playbook.shipped import notebooks_dir, sample_tenants_dir
from playbook.steps import STEPS
from playbook.tenant import load_tenant


def test_shipped_files_are_the_checkouts_in_a_clone():
    assert notebooks_dir() == REPO / "notebooks"
    assert sample_tenants_dir() == TENANTS


def test_next_step_link_per_place():
    tenant = "/data/Nordlys A/S"
    assert nav.next_step_href(2, tenant, "/runs/x/1") == "02-license-count.html"
    assert nav.next_step_href(2, tenant, None, live=True) == (
        "02-license-count.ipynb?tenant_dir=%2Fdata%2FNordlys+A%2FS")
    assert nav.next_step_href(3, tenant, None, live=False) == "03-reassign.ipynb"


def test_lab_link_warns_when_the_next_notebook_is_set_to_another_tenant(tmp_path):
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "mine")
    # the repository's notebooks are set to the sample tenant fabrikam-invoice
    shown = nav.next_step_html(2, str(mine), None, live=False, here=REPO / "notebooks")
    assert 'href="02-license-count.ipynb"' in shown
    assert "That notebook is set to another tenant (../data/tenants/fabrikam-invoice)" in shown
    assert f"e4-playbook lab {mine}" in shown
    # a working copy is set to this tenant in every step: no warning
    copy = write_working_copy(mine, tmp_path / "copy")
    assert "another tenant" not in nav.next_step_html(2, str(mine), None, live=False,
                                                       here=copy.folder)
    assert "Næste: Trin 2" in nav.next_step_html(2, str(mine), "/run", lang="da")


def test_banner_names_the_tenant_its_exports_and_says_when_it_is_the_sample(tmp_path):
    mine = shutil.copytree(TENANTS / "fabrikam-invoice", tmp_path / "mine")
    os.utime(mine / "users.json", (1_780_000_000, 1_780_000_000))  # 2026-05-28 UTC
    text = nav.banner_text(load_tenant(mine))
    assert text.startswith("Tenant fabrikam-invoice (folder mine) · users export users.json "
                           "(2026-05-28) · subscriptions export subscriptions.csv (")
    assert "SAMPLE" not in text
    sample = nav.banner_text(load_tenant(TENANTS / "fabrikam-invoice"))
    assert "a bundled SAMPLE tenant, not yours" in sample


def test_every_step_notebook_shows_the_banner_and_links_onward():
    for s in STEPS:
        sources = [c.source for c in nbformat.read(REPO / "notebooks" / s.notebook, 4).cells]
        assert any("nav.tenant_banner(tenant)" in src for src in sources), s.notebook
        nxt = [src for src in sources if "nav.next_step(" in src]
        if s.number < len(STEPS):
            assert nxt == [f"nav.next_step({s.number + 1}, tenant_dir, run_dir, "
                           "tenant.config.language)"], s.notebook
        assert not any("](0" in src for src in sources), "a markdown link drops the tenant"


def test_newest_plan_dir_and_plan_folder(tmp_path):
    tenant = load_tenant(TENANTS / "contoso-direct")
    runs = tmp_path / "runs"
    assert nav.newest_plan_dir(tenant, str(runs)) is None
    folder = Path(nav.plan_folder(tenant, str(runs)))
    assert folder == runs / "contoso-direct" / "manual"
    (folder / "plan").mkdir(parents=True)
    (folder / "plan" / "plan.json").write_text("{}", encoding="utf-8")
    assert nav.newest_plan_dir(tenant, str(runs)) == (folder / "plan").as_posix()
    # where step 4 writes what remains: tests/test_remaining_folder.py


def test_cli_lab_writes_a_working_copy_with_the_runs_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = shutil.copytree(TENANTS / "northwind-partner", tmp_path / "mine")
    res = CliRunner().invoke(main, ["lab", str(mine), "--no-start"])
    assert res.exit_code == 0, res.output
    copy = tmp_path / "e4-playbook-mine"
    nb = json.loads((copy / "04-verify-and-cancel.ipynb").read_text(encoding="utf-8"))
    injected = "".join(next(c for c in nb["cells"] if "injected-parameters"
                            in c["metadata"].get("tags", []))["source"])
    assert f'tenant_dir = "{mine}"' in injected
    assert f'runs_dir = "{tmp_path / "runs"}"' in injected
    again = CliRunner().invoke(main, ["lab", str(mine), "--no-start"])
    assert "kept as they were" in again.output
    bad = CliRunner().invoke(main, ["lab", str(tmp_path / "nothing"), "--no-start"])
    assert bad.exit_code == 2 and "not a tenant folder (no tenant.yaml)" in bad.output


def test_cli_lab_starts_jupyterlab_in_the_copy_so_a_stop_reaches_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = shutil.copytree(TENANTS / "northwind-partner", tmp_path / "mine")
    seen: dict[str, object] = {}

    def fake_call(command, *, cwd=None):
        seen.update(command=command, cwd=cwd)
        return 0

    monkeypatch.setattr("playbook.cli.call_until_stopped", fake_call)
    res = CliRunner().invoke(main, ["lab", str(mine), "--no-browser"])
    assert res.exit_code == 0, res.output
    assert Path(seen["cwd"]).resolve() == (tmp_path / "e4-playbook-mine").resolve()
    assert seen["command"][1:] == ["-m", "jupyterlab", "01-eligibility.ipynb",
                                   "--ServerApp.ip=127.0.0.1", "--no-browser"]


def test_cli_app_serves_a_working_copy_listing_the_tenants(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "mine")
    seen: dict[str, object] = {}

    def fake_call(command):
        folder = Path(command[-1])
        seen["command"] = command
        seen["app"] = (folder / "00-app.ipynb").read_text(encoding="utf-8")
        return 0

    monkeypatch.setattr("playbook.cli.call_until_stopped", fake_call)
    res = CliRunner().invoke(main, ["app", str(mine), "--voila=--no-browser"])
    assert res.exit_code == 0, res.output
    assert seen["command"][1:4] == ["-m", "playbook.app", "--no-browser"]
    assert f'tenant_dirs = [\\"{mine}\\"]' in seen["app"]


def _outputs(notebook: Path) -> str:
    """Everything an executed notebook shows (its outputs, not its cells' sources)."""
    return json.dumps([c.get("outputs", []) for c in nbformat.read(notebook, 4).cells])


@pytest.mark.notebook
def test_step_4_verifies_the_plan_step_3_wrote_on_a_tenant_not_the_default(tmp_path):
    """In a Lab working copy for contoso-direct (the notebooks default to fabrikam-invoice):
    step 3, narrowed by an exclusion, writes its plan where its button suggests; step 4,
    given no plan_dir, verifies that plan, not one rebuilt from users.*. Links keep the
    tenant."""
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    runs = tmp_path / "runs"
    copy = write_working_copy(mine, tmp_path / "copy", runs_dir=runs)
    tenant = load_tenant(mine)
    excluded = sorted(tenant.licenses["upn"])[0]
    written = nav.plan_folder(tenant, str(runs))
    out = tmp_path / "out"
    out.mkdir()
    # papermill replaces the copy's injected cell, so the copy's two values are given again;
    # out_dir stands for the admin pressing Write artifacts on the suggested folder
    execute_notebook(copy.folder / "03-reassign.ipynb", out / "03.ipynb",
                     {"tenant_dir": str(mine), "runs_dir": str(runs),
                      "exclude_users": [excluded], "out_dir": written}, copy.folder, 600)
    plan_json = json.loads((Path(written) / "plan" / "plan.json").read_text(encoding="utf-8"))
    execute_notebook(copy.folder / "04-verify-and-cancel.ipynb", out / "04.ipynb", {},
                     copy.folder, 600)
    text = _outputs(out / "04.ipynb")
    # step 4's page words the plan it checked as pages does ("Plan checked: <folder> (written
    # by step 3)"), from the same messages
    used = message("plan_used.written", "en", folder=Path(written, "plan").as_posix())
    assert message("section.plan_used", "en", plan=used) in text
    assert "rebuilt from" not in text
    assert plan_json["limits"]["exclude_users"] == [excluded]
    three = _outputs(out / "03.ipynb")
    assert 'href=\\"04-verify-and-cancel.ipynb\\"' in three and "another tenant" not in three
    assert "Tenant contoso-direct (folder contoso-direct)" in three


def _half_moved(tmp_path: Path) -> Path:
    """contoso-direct whose after export shows part of the plan run (the bundled scenario),
    with that scenario's plan as the tenant's newest plan under runs/."""
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    scenario = REPO / "data" / "after-scenarios" / "contoso-direct"
    for f in (scenario / "some-pending").iterdir():
        shutil.copy2(f, mine / "after" / f.name)
    return mine


def test_cli_verify_writes_the_remaining_plan_it_talks_about(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = _half_moved(tmp_path)
    plan = tmp_path / "runs" / "contoso-direct" / "manual" / "plan"
    shutil.copytree(REPO / "data" / "after-scenarios" / "contoso-direct" / "plan", plan)
    res = CliRunner().invoke(main, ["verify", str(mine)])
    assert res.exit_code == 0, res.output
    (remaining,) = (tmp_path / "runs" / "contoso-direct").glob("remaining-*/plan/plan.json")
    assert f"Remaining plan written to {remaining.parent.relative_to(tmp_path)}" in res.output
    # the next verify takes the remaining plan as the newest
    tenant = load_tenant(mine)
    assert nav.newest_plan_dir(tenant, str(tmp_path / "runs")) == remaining.parent.as_posix()


@pytest.mark.notebook
def test_a_run_writes_the_remaining_plan_it_talks_about(tmp_path):
    mine = _half_moved(tmp_path)
    res = CliRunner().invoke(main, ["run", str(mine), "--out", str(tmp_path / "runs")])
    assert res.exit_code == 0, res.output
    (run_dir,) = (tmp_path / "runs" / "contoso-direct").iterdir()
    assert (run_dir / "remaining" / "plan" / "plan.json").is_file()
    assert "run the remaining plan (remaining/plan/ in the newest run folder)" in res.output
    page = (run_dir / "04-verify-and-cancel.html").read_text(encoding="utf-8")
    where = (run_dir / "remaining" / "plan").as_posix().replace("/", "\\/")  # widget JSON
    assert f"Written to {where}" in page
