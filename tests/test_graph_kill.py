"""Kill ``e4-playbook apply`` (SIGKILL) at random points of a 2,000-user plan and run it again
until it finishes: every user ends as planned, and the local Graph counts no write sent twice
after it had succeeded. Real sockets (graphsim's uvicorn on 127.0.0.1), a real process."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from graphsim.app import make_app
from graphsim.clock import VirtualClock
from graphsim.faults import Faults
from graphsim.model import GraphTenant
from graphsim.server import serve
from graphsim.transport import mock_transport
from paths import REPO

from playbook.artifacts import write_artifacts
from playbook.artifacts.folder import JOURNAL_DIR
from playbook.graph.endpoint import Endpoint
from playbook.graph.journal import read_journals
from playbook.graph.session import Connection, run_export
from playbook.plan import build_plan
from playbook.tenant import load_tenant

USERS = 2000
KILLS = 6


def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    sim, clock = GraphTenant.synthetic(USERS, seed=7), VirtualClock()
    faults = Faults(group_processing_polls=0, batch_response_order="shuffled")
    folder = tmp_path / "tenant"
    folder.mkdir()
    (folder / "tenant.yaml").write_text(f"name: synth\ntarget: {sim.target}\n")
    local = Connection(Endpoint("http://127.0.0.1:9/v1.0", static_token="t"),
                       client=httpx.Client(transport=mock_transport(sim, faults, clock)),
                       clock=clock)
    run_export(folder, local, show=lambda _: None)
    plan = build_plan(load_tenant(folder))
    assert not plan.refused and plan.summary["actions"]["user-swap"] > 1000
    plan_dir = write_artifacts(plan, tmp_path / "run")
    rng = random.Random(20261206)
    with serve(make_app(sim, faults, clock)) as base_url:
        env = {**os.environ, "E4_GRAPH_URL": base_url, "E4_GRAPH_TOKEN": "test-token",
               "E4_GRAPH_WRITE_QUOTA": "600/1", "PYTHONPATH": str(REPO)}
        cmd = [sys.executable, "-m", "playbook", "apply", str(plan_dir),
               "--confirm", plan.plan_id]
        kills, finished = 0, None
        for _ in range(KILLS + 10):
            proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            if kills < KILLS and _wait_for_intents(plan_dir, proc, rng.randint(1, 150)):
                proc.send_signal(signal.SIGKILL)
                kills += 1
            out, err = proc.communicate(timeout=300)
            if proc.returncode == 0:
                finished = out.decode()
                break
            assert proc.returncode == -signal.SIGKILL, err.decode()[-2000:]
    assert kills == KILLS and finished is not None
    assert sim.after_state_matches(plan_dir) == []
    assert sim.writes_applied_after_success() == []
    headers = [r for r in read_journals(plan_dir / JOURNAL_DIR) if r["type"] == "header"]
    assert len(headers) == kills + 1
    # every write that reached the Graph after a kill was read first: none went twice
    applied = [r.user_or_group_id for r in sim.write_log if r.applied]
    assert len(applied) == len(set(applied))


def _wait_for_intents(plan_dir: Path, proc: subprocess.Popen, lines: int) -> bool:
    """Wait until this run's journal holds ``lines`` intents (a random point in the middle
    of sending); False when the run ended first."""
    folder = plan_dir / JOURNAL_DIR
    known = set(folder.glob("run-*.jsonl")) if folder.is_dir() else set()
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        new = [p for p in folder.glob("run-*.jsonl") if p not in known] \
            if folder.is_dir() else []
        if new and new[0].read_text(encoding="utf-8").count('"intent"') >= lines:
            return True
        time.sleep(0.02)
    return False
