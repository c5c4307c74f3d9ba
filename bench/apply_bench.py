"""Section 5 of ``make bench``: apply a 10,000-user plan through the local Graph.

The tenant is ``graphsim.GraphTenant.synthetic`` (direct users and group members mixed), served
in-process (``graphsim.transport.mock_transport``) with Graph's write quota, 3,000 writes per
150 s, as a token bucket on a virtual clock that the client's pacing sleeps on: minutes of
pacing take seconds, and the rates are read off the clock.

Figures: writes per moved user (direct users; a group costs one write whatever its size), the
write rate reached as a share of the quota, 429s received, and the tool's own CPU time per write
(the process's CPU time minus the time spent inside the local Graph). Beside them, the
PowerShell script's approach on a fresh copy of the same tenant: one call per user (group
members included: the script has no group call), back to back without pacing, each 429 waited
out for its Retry-After and sent again.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

TESTS = Path(__file__).resolve().parents[1] / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from graphsim.clock import VirtualClock  # noqa: E402 - tests/ is put on the path first
from graphsim.faults import GRAPH_WRITE_QUOTA, Faults  # noqa: E402
from graphsim.model import GraphTenant  # noqa: E402
from graphsim.transport import mock_transport  # noqa: E402

from playbook.artifacts import write_artifacts  # noqa: E402
from playbook.graph.endpoint import Endpoint  # noqa: E402
from playbook.graph.http import retry_after_seconds  # noqa: E402
from playbook.graph.session import Connection, run_apply, run_export  # noqa: E402
from playbook.plan import build_plan  # noqa: E402
from playbook.tenant import load_tenant  # noqa: E402

QUOTA_RATE = GRAPH_WRITE_QUOTA[0] / GRAPH_WRITE_QUOTA[1]
LOOPBACK = "http://127.0.0.1:9/v1.0"


class TimedTransport(httpx.BaseTransport):
    """The local Graph's transport, timing the CPU spent inside it and counting 429s
    (envelopes and ``$batch`` items)."""

    def __init__(self, inner: httpx.MockTransport) -> None:
        self.inner = inner
        self.cpu = 0.0
        self.throttled = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.process_time()
        resp = self.inner.handle_request(request)
        resp.read()
        if resp.status_code == 429:
            self.throttled += 1
        elif request.url.path.endswith("/$batch") and b'"status":429' in resp.content.replace(
                b" ", b""):
            items = json.loads(resp.content).get("responses", [])
            self.throttled += sum(1 for i in items if i.get("status") == 429)
        self.cpu += time.process_time() - start
        return resp


def _tenant(n_users: int, seed: int) -> GraphTenant:
    return GraphTenant.synthetic(n_users, seed=seed, group_share=0.2)


def tool_figures(n_users: int, seed: int, work: Path) -> dict[str, Any]:
    """Export, plan and apply through the local Graph; the apply's figures."""
    sim, clock = _tenant(n_users, seed), VirtualClock()
    timed = TimedTransport(mock_transport(sim, Faults(write_quota=GRAPH_WRITE_QUOTA), clock))
    conn = Connection(Endpoint(LOOPBACK, static_token="bench"),
                      client=httpx.Client(transport=timed), clock=clock)
    folder = work / "tenant"
    folder.mkdir(parents=True)
    (folder / "tenant.yaml").write_text(f"name: bench\ntarget: {sim.target}\n")
    run_export(folder, conn, show=lambda _: None)
    plan = build_plan(load_tenant(folder))
    plan_dir = write_artifacts(plan, work / "run")
    timed.cpu, timed.throttled = 0.0, 0
    writes_before, t0, cpu0 = len(sim.write_log), clock.now(), time.process_time()
    run = run_apply(plan_dir, plan.plan_id, conn, show=lambda _: None)
    cpu = time.process_time() - cpu0 - timed.cpu
    log = sim.write_log[writes_before:]
    swaps = [r for r in log if "/users/" in r.path and r.path.endswith("/assignLicense")]
    group_writes = sum(1 for r in log if "/groups/" in r.path)
    s = plan.summary
    direct_moved = s["actions"].get("user-swap", 0) + s["actions"].get("reclaim", 0)
    elapsed = clock.now() - t0
    # the users' phase: first to last user write (the groups' phase waits on processing)
    span = swaps[-1].virtual_time - swaps[0].virtual_time if len(swaps) > 1 else 0.0
    return {
        "users": n_users, "users_moved": s["users_moved"], "direct_users": direct_moved,
        "group_members": s["group_covered_users"], "groups": s["group_swaps"],
        "writes": len(log), "user_writes": len(swaps), "group_writes": group_writes,
        "usage_location_writes": len(log) - len(swaps) - group_writes,
        "writes_per_direct_user": len(swaps) / max(1, direct_moved),
        "writes_per_group": group_writes / max(1, s["group_swaps"]),
        "writes_per_moved_user": len(log) / max(1, s["users_moved"]),
        "virtual_seconds": elapsed,
        "quota_share": (len(swaps) - 1) / span / QUOTA_RATE if span else None,
        "quota_share_whole_run": len(log) / elapsed / QUOTA_RATE if elapsed else None,
        "throttled": timed.throttled,
        "cpu_ms_per_write": cpu / max(1, len(log)) * 1000,
        "done": run.applied.count("done"), "failures": len(run.applied.failures),
        "after_state_differences": len(sim.after_state_matches(plan_dir)),
    }


def powershell_figures(n_users: int, seed: int, plan_users: list[dict[str, Any]]
                       ) -> dict[str, Any]:
    """One call per user on a fresh copy, back to back, 429s waited out and sent again."""
    sim, clock = _tenant(n_users, seed), VirtualClock()
    timed = TimedTransport(mock_transport(sim, Faults(write_quota=GRAPH_WRITE_QUOTA), clock))
    client = httpx.Client(transport=timed, headers={"Authorization": "Bearer bench"})
    ok = failed = calls = 0
    t0 = clock.now()
    for u in plan_users:
        while True:
            calls += 1
            resp = client.post(f"{LOOPBACK}/users/{u['id']}/assignLicense", json=u["body"])
            if resp.status_code != 429:
                break
            clock.sleep(retry_after_seconds(resp.headers.get("retry-after")) or 1.0)
        ok, failed = (ok + 1, failed) if resp.is_success else (ok, failed + 1)
    elapsed = clock.now() - t0
    return {"calls": calls, "moved": ok, "failed": failed,
            "writes_per_moved_user": calls / max(1, ok), "virtual_seconds": elapsed,
            "quota_share": calls / elapsed / QUOTA_RATE if elapsed else None,
            "throttled": timed.throttled}


def measure(n_users: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """Both sides on the same model."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        tool = tool_figures(n_users, seed, work)
        plan = load_tenant(work / "tenant")
        table = build_plan(plan).table
    # the script's calls: every moved user, each with its own add + remove (group members too)
    rows = table[table["kind"].isin(["user-swap", "group-member"])]
    calls = [{"id": r.user_id, "body": {
        "addLicenses": [{"skuId": r.add_sku_id or _target(table),
                         "disabledPlans": list(r.disabled_plan_ids_after)}],
        "removeLicenses": [r.remove_sku_id or _source(table)]}}
        for r in rows.itertuples()]
    ps = powershell_figures(n_users, seed, calls)
    return {"tool": tool, "powershell": ps, "seconds": time.perf_counter() - started}


def _target(table: Any) -> str:
    return table.loc[table["add_sku_id"] != "", "add_sku_id"].iloc[0]


def _source(table: Any) -> str:
    return table.loc[table["remove_sku_id"] != "", "remove_sku_id"].iloc[0]


def render(section: dict[str, Any] | None) -> list[str]:
    """The report's section 5."""
    if not section:
        return []
    t, p = section["tool"], section["powershell"]

    def f(x: float | None, d: int = 2) -> str:
        return "n/a" if x is None else f"{x:.{d}f}"

    return [
        "## 5. Apply through Graph (local Graph, Graph's write quota on a virtual clock)",
        "",
        f"{t['users']:,} users; the plan moves {t['users_moved']:,} ({t['direct_users']:,} "
        f"direct, {t['group_members']:,} through {t['groups']} groups). Virtual time: the "
        "client's pacing and the quota's token bucket share one clock.",
        "",
        "| figure | e4-playbook apply | one call per user, no pacing | goal |",
        "|---|---|---|---|",
        f"| writes per moved direct user | {f(t['writes_per_direct_user'])} | "
        f"{f(p['writes_per_moved_user'])} (per user moved) | <= 1 |",
        f"| writes per group | {f(t['writes_per_group'])} | n/a (no group call; members "
        f"fail: {p['failed']:,}) | 1 |",
        f"| writes in all | {t['writes']:,} | {p['calls']:,} | |",
        f"| write rate while moving users, share of the quota | {f(t['quota_share'])} | "
        f"{f(p['quota_share'])} | >= 0.90 |",
        f"| write rate over the whole run (group processing waits included) | "
        f"{f(t['quota_share_whole_run'])} | {f(p['quota_share'])} | |",
        f"| usage-location writes (PATCH, with their user's swap) | "
        f"{t['usage_location_writes']:,} | 0 | |",
        f"| 429s received | {t['throttled']:,} | {p['throttled']:,} | 0 once paced |",
        f"| the tool's CPU per write (ms) | {f(t['cpu_ms_per_write'], 3)} | n/a | < 1 ms |",
        f"| virtual minutes | {f(t['virtual_seconds'] / 60, 1)} | "
        f"{f(p['virtual_seconds'] / 60, 1)} | |",
        f"| users ending as planned | {t['done']:,} actions done, "
        f"{t['after_state_differences']} differences | {p['moved']:,} moved | |",
        "",
    ]


def targets(section: dict[str, Any] | None) -> list[tuple[str, float | None, str, bool | None]]:
    """(name, figure, goal, met) of the apply targets."""
    if not section:
        return []
    t = section["tool"]
    return [
        ("apply: writes per moved direct user", t["writes_per_direct_user"], "<= 1",
         t["writes_per_direct_user"] <= 1),
        ("apply: writes per group", t["writes_per_group"], "1", t["writes_per_group"] == 1),
        ("apply: write rate / quota", t["quota_share"], ">= 0.90",
         None if t["quota_share"] is None else t["quota_share"] >= 0.90),
        ("apply: 429s received", t["throttled"], "0", t["throttled"] == 0),
        ("apply: CPU per write (ms)", t["cpu_ms_per_write"], "< 1", t["cpu_ms_per_write"] < 1),
    ]
