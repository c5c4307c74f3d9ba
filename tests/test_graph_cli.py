"""``e4-playbook export`` and ``apply`` as commands, over real sockets to the local Graph:
the whole path with the test hooks, the refusals as one line and exit code, and the token
never in any output or file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from graphsim.app import make_app
from graphsim.clock import VirtualClock
from graphsim.faults import Faults
from graphsim.model import GraphTenant
from graphsim.server import serve
from paths import TENANTS

from playbook.cli import main

TOKEN = "hook-token-3f9c1e77-must-never-appear"


@pytest.fixture
def served():
    sim = GraphTenant.from_tenant_dir(TENANTS / "contoso-direct")
    with serve(make_app(sim, Faults(), VirtualClock())) as url:
        yield sim, url


def invoke(args: list[str], url: str):
    env = {"E4_GRAPH_URL": url, "E4_GRAPH_TOKEN": TOKEN}
    return CliRunner().invoke(main, args, env=env)


def test_export_plan_apply_verify_as_commands(served, tmp_path: Path) -> None:
    sim, url = served
    folder = tmp_path / "contoso"
    folder.mkdir()
    (folder / "tenant.yaml").write_bytes((TENANTS / "contoso-direct" / "tenant.yaml")
                                         .read_bytes())
    out = invoke(["export", str(folder)], url)
    assert out.exit_code == 0, out.stderr
    assert f"Exported {len(sim.users)} users" in out.stdout
    again = invoke(["export", str(folder)], url)
    assert again.exit_code == 2 and again.stderr.count("\n") == 1
    assert "already there" in again.stderr and "--force" in again.stderr
    planned = invoke(["plan", str(folder), "--out", str(tmp_path / "run"), "--json"], url)
    assert planned.exit_code == 0, planned.stderr
    plan = json.loads(planned.stdout)
    plan_dir = tmp_path / "run" / "plan"
    wrong = invoke(["apply", str(plan_dir), "--confirm", "0000000000000000"], url)
    assert wrong.exit_code == 2 and "does not match the plan's id" in wrong.stderr
    dry = invoke(["apply", str(plan_dir), "--confirm", plan["plan_id"], "--dry-run"], url)
    assert dry.exit_code == 0 and "assignLicense" in dry.stdout and sim.write_log == []
    pilot = invoke(["apply", str(plan_dir), "--confirm", plan["plan_id"], "--batches", "1"],
                   url)
    assert pilot.exit_code == 0, pilot.stderr
    pilot_writes = len(sim.write_log)
    assert 0 < pilot_writes <= 20 and sim.after_state_matches(plan_dir, {1}) == []
    done = invoke(["apply", str(plan_dir), "--confirm", plan["plan_id"], "--tenant",
                   str(folder), "--json"], url)
    assert done.exit_code == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["apply"]["already_done"] == pilot_writes
    assert result["verify"]["safe_to_cancel"] is True
    assert sim.after_state_matches(plan_dir) == [] and sim.writes_applied_after_success() == []
    texts = [out.stdout, out.stderr, pilot.stdout, pilot.stderr, done.stdout, done.stderr]
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in tmp_path.rglob("*") if p.is_file()]
    assert not any(TOKEN in t for t in texts)


def test_hooks_pointing_off_this_machine_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "tenant.yaml").write_text("name: t\n")
    out = invoke(["export", str(folder)], "https://graph.microsoft.com/v1.0")
    assert out.exit_code == 2 and "local test server only" in out.stderr
    assert not (folder / "users.json").exists()
