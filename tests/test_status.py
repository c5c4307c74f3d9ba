"""Where a tenant stands, from its run records only, across runs on different days."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_runner import fixture_run, make_tenant, set_after

from playbook.cli import main
from playbook.runs.standing import (
    RANK_BAD_INPUT,
    RANK_BLOCKERS,
    RANK_CONTACT_PARTNER,
    RANK_FAILED,
    RANK_GATE_SHUT,
    RANK_PLANNED,
    RANK_READY_TO_CANCEL,
    RANK_REFUSED_FOR_SEATS,
    merge_records,
    standing,
)
from playbook.runs.status import fleet_status


def record(run_id: str, status: str = "ok", **steps) -> dict:
    base = {"run_id": run_id, "tenant": "T", "status": status, "error": None,
            "failed_step": None, "failed_notebook": None, "failed_cell": None}
    base.update({k: None for k in ("assessment", "counts", "plan", "verification")})
    base.update(steps)
    return base


ASSESSED = {"path": "manual", "findings": [
    {"code": "GROUP_BASED_LICENSES", "severity": "warning"}], "counts": {"source_users": 40}}
PLAN = {"refused": False, "summary": {"users_moved": 40, "batches": 2, "shortfall": 0}}


def verification(moved: int, pending: int, drifted: int = 0, safe: bool = False) -> dict:
    return {"safe_to_cancel": safe,
            "reasons": [] if safe else [{"code": "SOURCE_HELD_DIRECT", "users": ["a@x"]}],
            "status_counts": {"moved": moved, "pending": pending, "partial": 0, "failed": 0,
                              "drifted": drifted, "unexpected": 3},
            "remaining_actions": pending}


def test_each_stage_from_step_results():
    assessed = standing(merge_records([record("1", assessment=ASSESSED)]))
    assert (assessed.stage, assessed.label) == ("assessed", "assessed")
    assert "path manual" in assessed.why and not assessed.needs_human

    planned = standing(merge_records([record("1", assessment=ASSESSED, plan=PLAN)]))
    assert planned.stage == "planned" and planned.rank == RANK_PLANNED
    assert "40 users in 2 batches" in planned.why

    partly = standing(merge_records([record("1", assessment=ASSESSED, plan=PLAN,
                                            verification=verification(30, 8, drifted=2))]))
    # drifted users are off E4 (only their disabled plans differ); unexpected are not in m
    assert (partly.label, partly.moved, partly.total) == ("partly moved (32 of 40)", 32, 40)
    assert partly.rank == RANK_GATE_SHUT and partly.needs_human
    assert "SOURCE_HELD_DIRECT" in partly.why and "8 actions remain" in partly.why

    ready = standing(merge_records([record("1", plan=PLAN,
                                           verification=verification(40, 0, safe=True))]))
    assert ready.label == "ready to cancel" and ready.rank == RANK_READY_TO_CANCEL

    partner = standing(merge_records([record("1", assessment={
        "path": "contact-partner", "findings": [
            {"code": "PURCHASED_VIA_PARTNER", "severity": "blocker"}]})]))
    assert partner.label == "blocked (contact partner)" and partner.rank == RANK_CONTACT_PARTNER

    seats = standing(merge_records([record("1", assessment=ASSESSED, plan={
        "refused": True, "summary": {"shortfall": 12, "users_moved": 40}})]))
    assert seats.label == "buy licenses first" and seats.rank == RANK_REFUSED_FOR_SEATS
    assert "12 target licenses missing" in seats.why and "buy them" in seats.next_action

    # issue 17: the manual route that must buy says "Buy N" with its breakdown, not "blocked"
    buy = standing(merge_records([record("1", assessment=ASSESSED, plan={
        "refused": True, "target": {"display_name": "Microsoft 365 E5"},
        "summary": {"shortfall": 1, "users_moved": 54,
                    "buy": {"total": 4, "now": 2, "once_usage_locations_set": 2}}})]))
    assert buy.label == "buy licenses first" and "blocked" not in buy.label
    assert buy.why.startswith("Buy 4 Microsoft 365 E5 licenses (2 now + 2 once usage "
                              "locations are set)")

    blockers = standing(merge_records([record("1", plan=PLAN, assessment={
        "path": "manual", "findings": [{"code": "UNPAID_BALANCE", "severity": "blocker"}]})]))
    assert blockers.stage == "planned" and blockers.rank == RANK_BLOCKERS
    assert "UNPAID_BALANCE" in blockers.why


def test_failures_and_bad_input_come_first_and_keep_the_last_good_stage():
    older = record("20261101T000000Z", assessment=ASSESSED, plan=PLAN)
    failed = record("20261105T000000Z", status="failed", error="RuntimeError: boom",
                    failed_step=4, failed_notebook="04-verify-and-cancel.ipynb", failed_cell=7)
    st = standing(merge_records([failed, older]))
    assert st.stage == "failed" and st.rank == RANK_FAILED
    assert "04-verify-and-cancel.ipynb, cell 7: RuntimeError: boom" in st.why
    assert "(last good: planned)" in st.why

    bad = standing(merge_records([record("2", status="bad-input", error="tenant.yaml: bad")]))
    assert (bad.label, bad.why, bad.rank) == ("blocked (bad input)", "tenant.yaml: bad",
                                              RANK_BAD_INPUT)
    assert standing({}).stage == "not-run"


def test_merge_takes_each_step_from_the_newest_record_and_drops_stale_verification():
    day1 = record("1", assessment=ASSESSED, plan=PLAN)
    day5 = record("5", verification=verification(10, 30))
    view = merge_records([day5, day1])
    assert view["plan"] == PLAN and view["verification"]["status_counts"]["moved"] == 10
    assert view["runs"] == 2 and view["run_id"] == "5"
    # a newer plan makes an older verification stale: it checked a plan that no longer applies
    new_plan = {"refused": False, "summary": {"users_moved": 41, "batches": 3}}
    view = merge_records([record("9", plan=new_plan), day5, day1])
    assert view["plan"] == new_plan and view["verification"] is None
    assert standing(view).stage == "planned"


@pytest.mark.notebook
def test_status_across_two_runs_of_the_same_tenant(tmp_path):
    fleet, runs = tmp_path / "fleet", tmp_path / "runs"
    tenant = make_tenant(fleet, "contoso", users=7)

    first = fixture_run(tenant, runs, steps="1-3")  # day 1: assess and plan, no after export
    st = fleet_status(fleet, runs)
    (only,) = st.tenants
    assert only.standing.stage == "planned" and only.runs == 1
    assert only.last_run == first.run_dir.name and only.safe_to_cancel is None

    set_after(tenant, 3)  # day 5: some batches done, an after export taken
    second = fixture_run(tenant, runs, steps="4")
    assert second.result["inputs"]["plan_from"] == first.run_dir.name  # the day-1 plan
    st = fleet_status(fleet, runs)
    (only,) = st.tenants
    assert only.standing.label == "partly moved (3 of 7)" and only.runs == 2
    assert only.last_run == second.run_dir.name and only.safe_to_cancel is False
    assert "partly moved (3 of 7)" in st.to_text()

    out = CliRunner().invoke(main, ["status", str(fleet), "--out", str(runs), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["stage_counts"] == {"partly-moved": 1}
    assert data["tenants"][0]["moved"] == 3 and data["tenants"][0]["total"] == 7

