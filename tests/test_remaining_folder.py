"""The remaining plan's folder is named for the plan it holds, not the clock (issue 17's rough
edge: ``remaining-20261206T103107Z`` in step 4's committed page changed on every run, and each
verification piled up one more folder).

Verifying again against the same after export gives the same remaining plan (its id is a hash
of its content), so the same folder, kept with its apply journal; a new after export that
leaves other work gives a new folder, which ``verify`` and step 4 then find as the newest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from paths import REPO, TENANTS

from playbook import navigation as nav
from playbook.cli import main
from playbook.plan.store import load_plan
from playbook.runs.folders import remaining_plan_dir
from playbook.tenant import load_tenant
from playbook.verification import verify_plan, write_remaining

SCENARIO = REPO / "data" / "after-scenarios" / "contoso-direct"


def _half_moved(tmp_path: Path) -> Path:
    """contoso-direct whose after export shows batch 2 of the scenario's plan not run yet."""
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    for f in (SCENARIO / "some-pending").iterdir():
        shutil.copy2(f, mine / "after" / f.name)
    return mine


def _plan_id(plan_dir: Path) -> str:
    return json.loads((plan_dir / "plan.json").read_text(encoding="utf-8"))["plan_id"]


def _move_in_after_export(tenant: Path, upn: str, source: str, target: str) -> None:
    """The after export taken once ``upn`` was moved too: E4's sku swapped for the target's."""
    path = tenant / "after" / "users.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    (user,) = [u for u in data["value"] if u["userPrincipalName"] == upn]
    for key in ("assignedLicenses", "licenseAssignmentStates"):
        for lic in user.get(key) or []:
            if lic["skuId"] == source:
                lic["skuId"] = target
    path.write_text(json.dumps(data), encoding="utf-8")


def test_the_folder_is_named_for_the_remaining_plan_and_the_same_inputs_give_the_same_one(
        tmp_path):
    tenant = load_tenant(_half_moved(tmp_path))
    plan = load_plan(SCENARIO / "plan")
    runs = tmp_path / "runs"
    first = verify_plan(tenant, plan)
    remaining_id = first.remaining.plan_id
    expected = runs / "contoso-direct" / f"remaining-{remaining_id}"
    assert remaining_plan_dir(runs, "contoso-direct", remaining_id) == expected
    assert nav.remaining_plan_dir(tenant, str(runs), None, first) == expected.as_posix()
    # verified again later (a re-run of step 4): the same folder, whatever the time
    again = verify_plan(tenant, plan)
    assert nav.remaining_plan_dir(tenant, str(runs), None, again) == expected.as_posix()
    # in a run, the run's own folder, as before
    assert nav.remaining_plan_dir(tenant, str(runs), "/r/1", first) == "/r/1/remaining"
    # written, the folder holds the plan of that id (the id `apply --confirm` asks for)
    written = write_remaining(first, nav.remaining_plan_dir(tenant, str(runs), None, first))
    assert _plan_id(written) == remaining_id


def test_nothing_remaining_names_no_plan(tmp_path):
    # the tenant's own after export shows every planned action done
    mine = shutil.copytree(TENANTS / "contoso-direct", tmp_path / "contoso-direct")
    tenant = load_tenant(mine)
    done = verify_plan(tenant, load_plan(SCENARIO / "plan"))
    assert done.remaining is None
    assert nav.remaining_plan_dir(tenant, "runs", None, done) == "runs/contoso-direct/remaining"


def test_verify_again_keeps_one_folder_and_its_journal_and_a_new_export_gets_a_new_one(
        tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = _half_moved(tmp_path)
    shutil.copytree(SCENARIO / "plan", tmp_path / "runs" / "contoso-direct" / "manual" / "plan")
    tenant_runs = tmp_path / "runs" / "contoso-direct"

    res = CliRunner().invoke(main, ["verify", str(mine)])
    assert res.exit_code == 0, res.output
    (folder,) = tenant_runs.glob("remaining-*")
    assert folder.name == f"remaining-{_plan_id(folder / 'plan')}"
    # the admin applied it through Graph: its journal sits in the plan folder
    journal = folder / "plan" / "journal" / "run-20261206T120000Z.jsonl"
    journal.parent.mkdir()
    journal.write_text('{"plan_id": "x"}\n', encoding="utf-8")

    # the same after export again (step 4 re-run, or verify twice): the same folder, kept
    res = CliRunner().invoke(main, ["verify", str(mine)])
    assert res.exit_code == 0, res.output
    assert list(tenant_runs.glob("remaining-*")) == [folder]
    assert journal.read_text(encoding="utf-8") == '{"plan_id": "x"}\n'
    assert f"Remaining plan written to {(folder / 'plan').relative_to(tmp_path)}" in res.output
    newest = nav.newest_plan_dir(load_tenant(mine), "runs")
    assert newest == f"runs/contoso-direct/{folder.name}/plan"

    # a new after export in which one more user was moved: less remains, in a new folder
    plan = load_plan(SCENARIO / "plan")
    left = sorted(load_plan(folder / "plan").table["upn"])
    _move_in_after_export(mine, left[0], plan.source["sku_id"], plan.target["sku_id"])
    res = CliRunner().invoke(main, ["verify", str(mine)])
    assert res.exit_code == 0, res.output
    (newer,) = set(tenant_runs.glob("remaining-*")) - {folder}
    assert sorted(load_plan(newer / "plan").table["upn"]) == left[1:]
    newest = nav.newest_plan_dir(load_tenant(mine), "runs")
    assert newest == f"runs/contoso-direct/{newer.name}/plan"
