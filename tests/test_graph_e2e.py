"""End to end against the local Graph (tests/graphsim): export -> assess -> plan -> apply ->
export --after -> verify for every sample tenant, and apply under Graph's faults.

In-process tests use graphsim's ``mock_transport`` and its virtual clock, so the client's
pacing and Graph's write quota share one timeline and nothing waits for real.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from graphsim.clock import VirtualClock
from graphsim.faults import GRAPH_WRITE_QUOTA, Faults
from graphsim.model import GraphTenant
from graphsim.transport import mock_transport
from paths import TENANTS

from playbook.artifacts import write_artifacts
from playbook.artifacts.folder import JOURNAL_DIR
from playbook.eligibility import assess
from playbook.graph.endpoint import Endpoint
from playbook.graph.journal import read_journals
from playbook.graph.session import ApplyRun, Connection, run_apply, run_export
from playbook.plan import Plan, build_plan
from playbook.tenant import load_tenant

LOOPBACK = "http://127.0.0.1:9/v1.0"
SAMPLES = sorted(p.name for p in TENANTS.iterdir() if (p / "tenant.yaml").is_file())


def connect(tenant: GraphTenant, faults: Faults | None, clock: VirtualClock) -> Connection:
    client = httpx.Client(transport=mock_transport(tenant, faults, clock))
    return Connection(Endpoint(LOOPBACK, static_token="test-token"), client=client,
                      clock=clock)


def exported(tmp_path: Path, tenant: GraphTenant, conn: Connection, yaml: str) -> Path:
    folder = tmp_path / "tenant"
    folder.mkdir(parents=True)
    (folder / "tenant.yaml").write_text(yaml, encoding="utf-8")
    run_export(folder, conn, show=lambda _: None)
    return folder


def planned(folder: Path, tmp_path: Path) -> tuple[Plan, Path | None]:
    plan = build_plan(load_tenant(folder))
    return plan, None if plan.refused else write_artifacts(plan, tmp_path / "run")


def last_checks(plan_dir: Path) -> dict[str, str]:
    return {r["action_id"]: r["result"] for r in read_journals(plan_dir / JOURNAL_DIR)
            if r["type"] == "check"}


def e4_holders(tenant: GraphTenant, e4: str) -> list[str]:
    return sorted(u.upn for u in tenant.users.values() if e4 in tenant.user_licenses(u.upn))


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_tenant_end_to_end(name: str, tmp_path: Path) -> None:
    sim = GraphTenant.from_tenant_dir(TENANTS / name)
    clock = VirtualClock()
    conn = connect(sim, Faults(write_quota=GRAPH_WRITE_QUOTA), clock)
    yaml = (TENANTS / name / "tenant.yaml").read_text(encoding="utf-8")
    folder = exported(tmp_path, sim, conn, yaml)
    tenant = load_tenant(folder)
    assert tenant.config.tenant_id == sim.tenant_id
    # the licensing groups come back with their names (groups.json), for the pages
    inherited = {g for groups in tenant.licenses["group_ids"] for g in groups}
    assert tenant.group_names == {g: sim.groups[g].display_name for g in inherited}
    assert assess(tenant).to_dict()["tenant"] == tenant.name
    plan, plan_dir = planned(folder, tmp_path)
    if plan_dir is None and plan.seats_available:  # a round that fits the free seats
        (folder / "tenant.yaml").write_text(yaml + f"\nmax_users: {plan.seats_available}\n",
                                           encoding="utf-8")
        plan, plan_dir = planned(folder, tmp_path)
    if plan_dir is None:  # refused for seats: nothing may be applied
        assert plan.shortfall and plan.shortfall > 0 and sim.write_log == []
        return
    run = run_apply(plan_dir, plan.plan_id, conn, tenant_dir=folder, show=lambda _: None)
    assert sim.after_state_matches(plan_dir) == []
    assert sim.writes_applied_after_success() == []
    assert (folder / "after" / "users.json").is_file() and run.verification is not None
    e4 = plan.source["sku_id"].lower()
    # the gate opens exactly when nobody holds E4 any more in the tenant
    assert run.verification.safe_to_cancel == (e4_holders(sim, e4) == []
                                               and sim.consumed(e4) == 0)
    assert run.applied.failures == []
    writes = len(sim.write_log)
    again = run_apply(plan_dir, plan.plan_id, conn, show=lambda _: None)
    assert len(sim.write_log) == writes and again.applied.checks == {}


# -- apply under Graph's faults ------------------------------------------------------------

FABRIKAM_GROUP = "fa0000a1-0000-4000-8000-000000000001"


def under_faults(tmp_path: Path, name: str, faults: Faults, *, extra: str = "",
                 before_apply=None, seats: dict[str, int] | None = None
                 ) -> tuple[GraphTenant, Plan, Path, ApplyRun]:
    """A sample tenant exported and planned cleanly, then applied with ``faults`` on
    (``before_apply(sim, plan)`` changes the tenant between plan and apply; ``seats`` sets
    a SKU's bought seats by part number)."""
    sim, clock = GraphTenant.from_tenant_dir(TENANTS / name), VirtualClock()
    for part, enabled in (seats or {}).items():
        sim.sku_by_part(part).enabled = enabled
    live = Faults(write_quota=faults.write_quota)  # the bucket is made with the service
    conn = connect(sim, live, clock)
    yaml = (TENANTS / name / "tenant.yaml").read_text(encoding="utf-8") + extra
    folder = exported(tmp_path, sim, conn, yaml)
    plan, plan_dir = planned(folder, tmp_path)
    assert plan_dir is not None
    if before_apply:
        before_apply(sim, plan)
    for knob in faults.__dataclass_fields__:  # the same Faults object the transport holds
        setattr(live, knob, getattr(faults, knob))
    run = run_apply(plan_dir, plan.plan_id, conn, show=lambda _: None)
    return sim, plan, plan_dir, run


def agrees(run: ApplyRun, plan_dir: Path) -> None:
    """The summary says what the journal says."""
    assert last_checks(plan_dir) == run.applied.checks
    failed = sorted(a for a, c in run.applied.checks.items() if c == "failed")
    assert failed == sorted(f["action_id"] for f in run.applied.failures)


def user_ids(plan: Plan, n: int) -> list[str]:
    rows = plan.table[plan.table["kind"] == "user-swap"]
    return rows["user_id"].head(n).tolist()


def test_429_storm_on_envelopes_and_items(tmp_path: Path) -> None:
    faults = Faults(write_quota=GRAPH_WRITE_QUOTA, throttle_envelope_every=3,
                    throttle_item_times=2, retry_after="0.5")

    def throttle(sim: GraphTenant, plan: Plan) -> None:
        faults.throttle_items = set(user_ids(plan, 6))

    sim, plan, plan_dir, run = under_faults(tmp_path, "contoso-direct", faults,
                                            before_apply=throttle)
    assert run.applied.count("done") == len(run.applied.checks) > 0
    assert sim.after_state_matches(plan_dir) == []
    assert sim.writes_applied_after_success() == []
    assert any(not r.applied for r in sim.write_log)  # the storm did hit
    agrees(run, plan_dir)


def test_item_429s_some_applied_anyway_never_resent_after_success(tmp_path: Path) -> None:
    faults = Faults(write_quota=GRAPH_WRITE_QUOTA, apply_despite_429=True, retry_after="2.128")

    def throttle(sim: GraphTenant, plan: Plan) -> None:
        faults.throttle_items = set(user_ids(plan, 5))

    sim, plan, plan_dir, run = under_faults(tmp_path, "contoso-direct", faults,
                                            before_apply=throttle)
    assert sim.after_state_matches(plan_dir) == []
    assert sim.writes_applied_after_success() == []
    throttled = [r for r in read_journals(plan_dir / JOURNAL_DIR)
                 if r["type"] == "outcome" and r["status"] == 429]
    assert len(throttled) == 5
    assert all(run.applied.checks[r["action_id"]] == "done" for r in throttled)
    agrees(run, plan_dir)


def test_503s_back_off_and_end_applied(tmp_path: Path) -> None:
    faults = Faults(write_quota=GRAPH_WRITE_QUOTA, fail_503_every=3)
    sim, plan, plan_dir, run = under_faults(tmp_path, "adatum-legacy", faults)
    assert sim.after_state_matches(plan_dir) == []
    assert run.applied.count("done") == len(run.applied.checks)
    assert sim.writes_applied_after_success() == []
    agrees(run, plan_dir)


def test_group_ending_with_count_violation_members(tmp_path: Path) -> None:
    sim0 = GraphTenant.from_tenant_dir(TENANTS / "fabrikam-invoice")
    member = next(u for u in sim0.users.values() if FABRIKAM_GROUP in u.groups)
    faults = Faults(write_quota=GRAPH_WRITE_QUOTA, group_processing_polls=3,
                    group_member_errors={FABRIKAM_GROUP: {member.id: "CountViolation"}})
    sim, plan, plan_dir, run = under_faults(tmp_path, "fabrikam-invoice", faults,
                                            seats={"SPE_E5": 200})
    assert [(m["upn"], m["error"]) for m in run.applied.member_errors] == [
        (member.upn.lower(), "CountViolation")]
    swaps = plan.table[plan.table["kind"] == "group-swap"]
    gid = swaps.loc[swaps["group_id"] == FABRIKAM_GROUP, "action_id"].item()
    check = [r for r in read_journals(plan_dir / JOURNAL_DIR)
             if r["type"] == "check" and r["action_id"] == gid][-1]
    assert check["result"] == "member-errors" and check["members"] == 15
    assert check["member_errors"][0]["error"] == "CountViolation"
    others = {a: c for a, c in run.applied.checks.items() if a != gid}
    assert set(others.values()) == {"done"}
    agrees(run, plan_dir)


def test_user_without_usage_location_is_recorded_and_the_rest_go_on(tmp_path: Path) -> None:
    cleared: list[str] = []

    def clear(sim: GraphTenant, plan: Plan) -> None:
        uid = user_ids(plan, 1)[0]
        sim.users[uid].usage_location = None
        cleared.append(uid)

    sim, plan, plan_dir, run = under_faults(tmp_path, "contoso-direct",
                                            Faults(write_quota=GRAPH_WRITE_QUOTA),
                                            before_apply=clear)
    assert [f["code"] for f in run.applied.failures] == ["Request_BadRequest"]
    e4 = plan.source["sku_id"].lower()
    upn = sim.users[cleared[0]].upn
    assert e4 in sim.user_licenses(upn)  # untouched: still has E4, nothing lost
    assert run.applied.count("done") == len(run.applied.checks) - 1
    agrees(run, plan_dir)


def test_drift_since_the_plan_stops_that_user_only(tmp_path: Path) -> None:
    drifted: list[str] = []

    def drift(sim: GraphTenant, plan: Plan) -> None:
        uid = user_ids(plan, 2)[1]
        e4 = plan.source["sku_id"]
        sim.assign_user_license(uid, {"addLicenses": [], "removeLicenses": [e4]})
        drifted.append(uid)

    sim, plan, plan_dir, run = under_faults(tmp_path, "contoso-direct",
                                            Faults(write_quota=GRAPH_WRITE_QUOTA),
                                            before_apply=drift)
    assert [d["why"] for d in run.applied.drifted] == [
        "E4 was removed since the plan, without the target"]
    writes_to = [r for r in sim.write_log if r.user_or_group_id == drifted[0]]
    assert writes_to == []  # apply sent nothing to the drifted user
    assert run.applied.count("done") == len(run.applied.checks) - 1
    agrees(run, plan_dir)


def test_a_tighter_quota_than_graphs_slows_the_client_and_ends_right(tmp_path: Path) -> None:
    # the local Graph allows 2 writes/s, the client aims at 19/s: the quota's 429s (with its
    # Retry-After) and x-ms-throttle-limit-percentage must bring it down without a lost write
    faults = Faults(write_quota=(20, 10.0), throttle_limit_percentage_header_from=0.5)
    sim, plan, plan_dir, run = under_faults(tmp_path, "fabrikam-invoice", faults,
                                            seats={"SPE_E5": 200})
    throttled = [r for r in read_journals(plan_dir / JOURNAL_DIR)
                 if r["type"] == "outcome" and r["status"] == 429]
    assert sim.after_state_matches(plan_dir) == []
    assert sim.writes_applied_after_success() == []
    assert run.applied.count("done") == len(run.applied.checks) and run.applied.checks
    assert 0 < len(throttled) < len(run.applied.checks)  # slowed down, not a 429 a write
    agrees(run, plan_dir)
