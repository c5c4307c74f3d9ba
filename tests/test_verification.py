"""verify_tables on plans made by the real planner from small license tables, and on made-up
after exports: one behaviour per test."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from simulator import apply_plan

from playbook.artifacts import write_artifacts
from playbook.catalog import Catalog
from playbook.cli import main
from playbook.errors import EXIT_NOT_AN_AFTER_EXPORT, InputError, NotAnAfterExport
from playbook.plan import USER_DECISION_KINDS, Plan, build_plan, build_plan_from_tables
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import TenantConfig, load_tenant
from playbook.testing.synth import synth_tenant, write_tenant_folder, write_users
from playbook.verification import (
    ERROR_CODES,
    SOURCE_CONSUMED_UNITS,
    SOURCE_HELD_BY_GROUP,
    SOURCE_HELD_DIRECT,
    STATUS_COLUMNS,
    STATUSES,
    USER_RULES,
    USERS_FAILED,
    USERS_NOT_IN_EXPORT,
    USERS_PARTIAL,
    USERS_UNLICENSED,
    error_texts,
    verify,
    verify_plan,
    verify_tables,
)
from playbook.verification.after import prepare_after, user_facts
from playbook.verification.decisions import decision_facts
from playbook.verification.plan_view import plan_view
from playbook.verification.user_rules import first_rule

E4, E5, E3 = "ENTERPRISEWITHSCAL", "ENTERPRISEPREMIUM", "ENTERPRISEPACK"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5_ID = "c7df2760-2c81-4ef7-b578-5b5392b571df"
SWAY_ID = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
GROUP = "00000000-0000-4000-8000-0000000000aa"
CATALOG = Catalog.builtin()


@pytest.fixture
def catalog() -> Catalog:
    return CATALOG


def lic(upn: str, part: str = "", *, disabled: tuple[str, ...] = (), state: str = "Active",
        error: str = "", direct: bool = True, groups: tuple[str, ...] = (),
        location: str = "DK", enabled: bool = True) -> dict:
    """One license-table row (part "" = the no-license row), before or after the move."""
    return {
        "upn": upn, "sku_part_number": part, "product_name": part,
        "sku_id": {E4: E4_ID, E5: E5_ID}.get(part, ""), "disabled_plans": disabled,
        "state": state if part else "", "error": error, "assigned_directly": direct,
        "group_ids": groups, "usage_location": location, "account_enabled": enabled,
    }


def after_of(*rows: dict) -> pd.DataFrame:
    return normalize_license_table(pd.DataFrame(list(rows)))


def plan_for(*before: dict, **config: Any) -> Plan:
    """The real plan (playbook.plan) of a small before-export; ``config`` are tenant.yaml
    keys (``exclude_users``, ``reclaim_blocked``, ``default_usage_location``...)."""
    cfg = TenantConfig(name="t").with_overrides(**config) if config else TenantConfig(name="t")
    return build_plan_from_tables(cfg, after_of(*before), None, CATALOG)


def e4_users(*upns: str, **config: Any) -> Plan:
    """The plan of users who each hold E4 directly (every one a user-swap)."""
    return plan_for(*(lic(u, E4) for u in upns), **config)


def aid(plan: Plan, upn: str, kind: str | None = None) -> str:
    """The action id of the user's decision row (or of its row of ``kind``)."""
    t = plan.table
    kinds = [kind] if kind else list(USER_DECISION_KINDS)
    hits = t.loc[(t["upn"] == upn) & t["kind"].isin(kinds), "action_id"]
    assert len(hits) == 1, (upn, kind, t[["action_id", "kind", "upn"]])
    return str(hits.iat[0])


def in_plan_order(plan: Plan, *ids: str) -> tuple[str, ...]:
    """``ids`` in the order of the plan's table (how remaining_action_ids lists them)."""
    return tuple(a for a in plan.table["action_id"] if a in set(ids))


def subs(consumed: int, enabled: int = 50) -> pd.DataFrame:
    return normalize_subscription_table(pd.DataFrame([
        {"sku_id": E4_ID, "sku_part_number": E4, "enabled": enabled, "consumed": consumed},
        {"sku_id": E5_ID, "sku_part_number": E5, "enabled": 100, "consumed": 10},
    ]))


def status_of(v, upn: str) -> str:
    rows = v.status[v.status["upn"] == upn]
    assert len(rows) == 1, rows
    return rows["status"].iat[0]


def row_of(v, upn: str) -> pd.Series:
    rows = v.status[v.status["upn"] == upn]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def reason_users(v, code: str) -> tuple[str, ...] | None:
    return dict(v.reasons).get(code)


# --- statuses ---------------------------------------------------------------------------------


def test_all_moved_opens_the_gate(catalog):
    plan = plan_for(lic("a@x.dk", E4, disabled=("SWAY",)), lic("b@x.dk", E4))
    after = after_of(lic("a@x.dk", E5, disabled=("SWAY",)), lic("b@x.dk", E5))
    v = verify_tables(plan, after, subs(consumed=0), catalog)
    assert v.safe_to_cancel is True
    assert v.reasons == ()
    assert v.status_counts == {"moved": 2, "pending": 0, "partial": 0, "failed": 0,
                               "drifted": 0, "unexpected": 0}
    assert v.remaining is None and v.remaining_actions == 0
    assert list(v.status.columns) == list(STATUS_COLUMNS)
    assert (v.source_part, v.target_part, v.tenant) == (E4, E5, "t")


def test_pending_user_keeps_gate_closed_and_stays_in_remaining_plan(catalog):
    plan = e4_users("a@x.dk", "b@x.dk")
    after = after_of(lic("a@x.dk", E5), lic("b@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "b@x.dk") == "pending"
    assert not v.safe_to_cancel
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("b@x.dk",)
    assert v.remaining_action_ids == (aid(plan, "b@x.dk"),)
    assert list(v.remaining.table["action_id"]) == [aid(plan, "b@x.dk")]
    assert list(v.remaining.table["batch"]) == [1]  # batched again for the next round
    assert v.to_dict()["remaining_actions"] == 1


def test_partial_user_is_a_gate_reason_of_its_own(catalog):
    plan = e4_users("a@x.dk")
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "partial"
    assert reason_users(v, USERS_PARTIAL) == ("a@x.dk",)
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("a@x.dk",)
    assert v.remaining_action_ids == (aid(plan, "a@x.dk"),)


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_each_graph_error_code_fails_the_user_with_its_explanation(catalog, code):
    plan = e4_users("a@x.dk", "b@x.dk")
    after = after_of(
        lic("a@x.dk", E4),
        lic("a@x.dk", E5, state="Error", error=code, direct=False, groups=(GROUP,)),
        lic("b@x.dk", E5),
    )
    v = verify_tables(plan, after, subs(consumed=1), catalog)
    row = row_of(v, "a@x.dk")
    meaning, fix = error_texts(code)
    assert row["status"] == "failed"
    assert row["error"] == code
    assert row["detail"] == f"{code}: {meaning}"
    assert row["fix"] == fix
    assert reason_users(v, USERS_FAILED) == ("a@x.dk",)
    assert v.error_counts == {code: 1}
    assert v.to_dict()["errors"] == {code: 1}
    assert status_of(v, "b@x.dk") == "moved"


def test_error_state_without_a_code_is_reported_as_other(catalog):
    plan = e4_users("a@x.dk")
    after = after_of(lic("a@x.dk", E5, state="ActiveWithError"))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "failed"
    assert v.error_counts == {"Other": 1}


def test_graph_none_error_text_is_no_error(catalog):
    plan = e4_users("a@x.dk")
    v = verify_tables(plan, after_of(lic("a@x.dk", E5, error="None")), None, catalog)
    assert status_of(v, "a@x.dk") == "moved"


def test_error_on_an_unrelated_product_does_not_fail_the_move(catalog):
    plan = plan_for(lic("a@x.dk", E4), lic("a@x.dk", "MCOEV"))
    assert plan.table["after_skus"].iat[0] == (E5, "MCOEV")
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", "MCOEV", state="ActiveWithError",
                                            error="CountViolation"))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "moved"
    assert v.safe_to_cancel


def test_drift_in_disabled_plans_is_named_and_does_not_block(catalog):
    plan = plan_for(lic("a@x.dk", E4, disabled=("SWAY", "TEAMS1")))
    after = after_of(lic("a@x.dk", E5, disabled=("SWAY",)))
    v = verify_tables(plan, after, subs(consumed=0), catalog)
    row = v.status.iloc[0]
    assert row["status"] == "drifted"
    # the app by its name in the admin center, its plan name in brackets
    assert "Microsoft Teams [TEAMS1]" in row["detail"]
    assert v.safe_to_cancel  # drift is a settings fix, not a reason to keep E4
    assert v.remaining is None


def test_disabled_plans_compare_by_name_or_guid_and_case(catalog):
    plan = plan_for(lic("a@x.dk", E4, disabled=("SWAY",)))
    after = after_of(lic("a@x.dk", E5, disabled=(SWAY_ID.upper(),)))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "moved"


def test_lost_both_licenses_is_unexpected_unlicensed_and_keeps_the_gate_shut(catalog):
    """Nobody holds E4 any more, but a user the plan moves holds neither E4 nor the target:
    Microsoft cancels E4 only after all users have been reassigned ("Upgrade from an Office 365
    E4 subscription", manual upgrade step 4; microsoft-facts.md section 1)."""
    plan = e4_users("a@x.dk")
    v = verify_tables(plan, after_of(lic("a@x.dk", "STANDARDPACK"), lic("b@x.dk")),
                      subs(consumed=0), catalog)
    row = row_of(v, "a@x.dk")
    assert (row["status"], row["substatus"]) == ("unexpected", "unlicensed")
    assert "holds neither" in row["detail"] and "30 days" in row["detail"]
    assert not v.safe_to_cancel
    assert v.reasons == ((USERS_UNLICENSED, ("a@x.dk",)),)
    assert v.remaining_action_ids == v.add_only_action_ids == (aid(plan, "a@x.dk"),)


def test_licenses_outside_the_plan_are_unexpected_with_what_changed(catalog):
    plan = plan_for(lic("a@x.dk", E4), lic("a@x.dk", "SHAREPOINTSTORAGE"))
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", "MCOEV"))
    v = verify_tables(plan, after, None, catalog)
    detail = v.status.iloc[0]["detail"]
    assert status_of(v, "a@x.dk") == "unexpected"
    assert "lost Office 365 Extra File Storage [SHAREPOINTSTORAGE]" in detail
    assert "gained Microsoft Teams Phone Standard [MCOEV]" in detail


def test_planned_user_missing_from_export_blocks_unless_subscriptions_prove_zero(catalog):
    plan = e4_users("a@x.dk", "gone@x.dk")
    after = after_of(lic("a@x.dk", E5))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "gone@x.dk") == "unexpected"
    assert reason_users(v, USERS_NOT_IN_EXPORT) == ("gone@x.dk",)
    assert not v.safe_to_cancel
    v2 = verify_tables(plan, after, subs(consumed=0), catalog)
    assert v2.safe_to_cancel


def test_e4_holder_outside_the_plan_is_unexpected_and_blocks(catalog):
    plan = e4_users("a@x.dk")
    after = after_of(lic("a@x.dk", E5), lic("new@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    row = row_of(v, "new@x.dk")
    assert row["status"] == "unexpected" and row["action_id"] == ""
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("new@x.dk",)
    assert v.remaining is None  # nothing in the plan can move them: plan again


def test_e4_row_that_names_neither_path_still_closes_the_gate(catalog):
    """A hand-made table may say neither direct nor a group: E4 is still held."""
    plan = e4_users("a@x.dk")
    after = after_of(lic("a@x.dk", E5), lic("odd@x.dk", E4, direct=False))
    v = verify_tables(plan, after, None, catalog)
    assert not v.safe_to_cancel
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("odd@x.dk",)


def test_consumed_units_block_even_when_no_user_shows_e4(catalog):
    plan = e4_users("a@x.dk")
    v = verify_tables(plan, after_of(lic("a@x.dk", E5)), subs(consumed=3), catalog)
    assert reason_users(v, SOURCE_CONSUMED_UNITS) == ()
    assert not v.safe_to_cancel
    assert v.to_dict()["reasons"] == [{"code": SOURCE_CONSUMED_UNITS, "users": []}]


def test_skipped_user_still_on_e4_is_pending_with_the_reason(catalog):
    plan = e4_users("a@x.dk", "keep@x.dk", exclude_users=["keep@x.dk"])
    after = after_of(lic("a@x.dk", E5), lic("keep@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    row = row_of(v, "keep@x.dk")
    assert row["kind"] == "skip" and row["status"] == "pending"
    assert "listed in exclude_users" in row["detail"]
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("keep@x.dk",)


def test_skipped_user_who_lost_e4_without_the_target_is_unexpected(catalog):
    plan = e4_users("a@x.dk", "keep@x.dk", exclude_users=["keep@x.dk"])
    v = verify_tables(plan, after_of(lic("a@x.dk", E5), lic("keep@x.dk")), None, catalog)
    row = row_of(v, "keep@x.dk")
    assert row["status"] == "unexpected"
    assert row["detail"] == ("skipped by the plan and holds neither Office 365 E4 nor "
                             "Office 365 E5 now")


def test_reclaim_done_when_e4_is_gone(catalog):
    plan = plan_for(lic("blocked@x.dk", E4, enabled=False), lic("late@x.dk", E4, enabled=False),
                    reclaim_blocked=True)
    after = after_of(lic("blocked@x.dk"), lic("late@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "blocked@x.dk") == "moved"
    assert status_of(v, "late@x.dk") == "pending"
    assert v.remaining_action_ids == (aid(plan, "late@x.dk", "reclaim"),)


# --- the rule table -------------------------------------------------------------------------

# one user per rule of USER_RULES: (upn, rows before the move, rows after it)
_ONE_PER_RULE: dict[str, tuple[str, list[dict], list[dict]]] = {
    "not-in-export": ("gone@x.dk", [lic("gone@x.dk", E4)], []),
    "license-error-unlicensed": ("erru@x.dk", [lic("erru@x.dk", E4)],
                                 [lic("erru@x.dk", E5, state="Error", error="CountViolation")]),
    "license-error": ("err@x.dk", [lic("err@x.dk", E4)],
                      [lic("err@x.dk", E4), lic("err@x.dk", E5, state="Error",
                                                error="CountViolation")]),
    "reclaim-not-run": ("rc1@x.dk", [lic("rc1@x.dk", E4, enabled=False)],
                        [lic("rc1@x.dk", E4, enabled=False)]),
    "reclaimed": ("rc2@x.dk", [lic("rc2@x.dk", E4, enabled=False)],
                  [lic("rc2@x.dk", enabled=False)]),
    "source-assigned-again": ("t2@x.dk", [lic("t2@x.dk", E5)],
                              [lic("t2@x.dk", E5), lic("t2@x.dk", E4)]),
    "partial-group-member": ("m1@x.dk", [lic("m1@x.dk", E4, direct=False, groups=(GROUP,))],
                             [lic("m1@x.dk", E4, direct=False, groups=(GROUP,)),
                              lic("m1@x.dk", E5, direct=False, groups=(GROUP,))]),
    "partial": ("part@x.dk", [lic("part@x.dk", E4)],
                [lic("part@x.dk", E4), lic("part@x.dk", E5)]),
    "pending-group-member": ("m2@x.dk", [lic("m2@x.dk", E4, direct=False, groups=(GROUP,))],
                             [lic("m2@x.dk", E4, direct=False, groups=(GROUP,))]),
    "pending-skipped": ("keep@x.dk", [lic("keep@x.dk", E4)], [lic("keep@x.dk", E4)]),
    "pending-location-now-set": ("loc1@x.dk", [lic("loc1@x.dk", E4, location="")],
                                 [lic("loc1@x.dk", E4)]),
    "pending-needs-location": ("loc2@x.dk", [lic("loc2@x.dk", E4, location="")],
                               [lic("loc2@x.dk", E4, location="")]),
    "pending": ("pend@x.dk", [lic("pend@x.dk", E4)], [lic("pend@x.dk", E4)]),
    "skipped-lost-both": ("keep2@x.dk", [lic("keep2@x.dk", E4)], [lic("keep2@x.dk")]),
    "unlicensed": ("lost@x.dk", [lic("lost@x.dk", E4)], [lic("lost@x.dk", "STANDARDPACK")]),
    "licenses-differ": ("diff@x.dk", [lic("diff@x.dk", E4), lic("diff@x.dk", "FLOW_FREE")],
                        [lic("diff@x.dk", E5), lic("diff@x.dk", "MCOEV")]),
    "drifted": ("drift@x.dk", [lic("drift@x.dk", E4, disabled=("SWAY",))],
                [lic("drift@x.dk", E5)]),
    "moved-outside-plan": ("loc3@x.dk", [lic("loc3@x.dk", E4, location="")],
                           [lic("loc3@x.dk", E5)]),
    "moved": ("ok@x.dk", [lic("ok@x.dk", E4)], [lic("ok@x.dk", E5)]),
}


def test_every_rule_is_reached_in_order_and_gives_its_status(catalog):
    """One tenant with a user for each rule: the first matching rule decides the status."""
    assert [r.name for r in USER_RULES] == list(_ONE_PER_RULE)
    assert {r.status for r in USER_RULES} == set(STATUSES)
    plan = plan_for(*(row for _u, before, _a in _ONE_PER_RULE.values() for row in before),
                    exclude_users=["keep@x.dk", "keep2@x.dk"], reclaim_blocked=True)
    after = after_of(*(row for _u, _b, rows in _ONE_PER_RULE.values() for row in rows))
    v = verify_tables(plan, after, None, catalog)
    view = plan_view(plan)
    prepared = prepare_after(after, catalog)
    facts, _missing = decision_facts(
        view, prepared, user_facts(prepared, E4, {E5}), catalog)
    hit = dict(zip(facts["upn"], (USER_RULES[i].name for i in first_rule(facts)),
                   strict=True))
    for rule in USER_RULES:
        upn = _ONE_PER_RULE[rule.name][0]
        assert hit[upn] == rule.name
        assert status_of(v, upn) == rule.status, rule.name
        assert row_of(v, upn)["detail"], rule.name


# --- groups -----------------------------------------------------------------------------------


def group_plan(*members: str, disabled: tuple[str, ...] = ()) -> Plan:
    """The plan of users who inherit E4 from one group (one group swap, a member row each)."""
    return plan_for(*(lic(m, E4, direct=False, groups=(GROUP,), disabled=disabled)
                      for m in members))


def test_group_members_still_on_e4_in_error_or_moved(catalog):
    plan = group_plan("m1@x.dk", "m2@x.dk", "m3@x.dk", disabled=("SWAY",))
    gswap = plan.table.loc[plan.table["kind"] == "group-swap", "action_id"].iat[0]
    assert plan.table.loc[plan.table["kind"] == "group-swap", "disabled_plans_after"].iat[0] \
        == ("SWAY",)
    after = after_of(
        lic("m1@x.dk", E4, direct=False, groups=(GROUP,)),
        lic("m2@x.dk", E5, direct=False, groups=(GROUP,), disabled=("SWAY",)),
        lic("m3@x.dk", E5, direct=False, groups=(GROUP,), state="Error",
            error="ProhibitedInUsageLocationViolation"),
        lic("m3@x.dk", E4, direct=False, groups=(GROUP,)),
        lic("other@x.dk", E3),
    )
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "m1@x.dk") == "pending"
    assert GROUP in row_of(v, "m1@x.dk")["detail"]
    assert status_of(v, "m2@x.dk") == "moved"
    assert status_of(v, "m3@x.dk") == "failed"
    assert "Reprocess" in row_of(v, "m3@x.dk")["fix"]
    assert "other@x.dk" not in set(v.status["upn"])
    g = v.group_status.iloc[0]
    assert (g["action_id"], g["members_seen"], g["members_with_source"], g["members_in_error"],
            g["members_moved"], g["status"]) == (gswap, 3, 1, 1, 1, "errors")
    assert reason_users(v, SOURCE_HELD_BY_GROUP) == ("m1@x.dk", "m3@x.dk")
    assert v.groups_holding_source == (GROUP,)
    assert reason_users(v, SOURCE_HELD_DIRECT) is None
    # the members still on E4 and their group's swap run again
    assert v.remaining_action_ids == in_plan_order(plan, gswap, aid(plan, "m1@x.dk"),
                                                   aid(plan, "m3@x.dk"))
    assert len(v.remaining_action_ids) == 3
    groups = v.to_dict()["groups"]
    assert groups[0]["members_seen"] == 3 and isinstance(groups[0]["members_seen"], int)


def test_group_member_with_target_and_e4_is_partial_and_names_the_group(catalog):
    plan = group_plan("m1@x.dk", "m2@x.dk")
    after = after_of(lic("m1@x.dk", E5, direct=False, groups=(GROUP,)),
                     lic("m1@x.dk", E4, direct=False, groups=(GROUP,)),
                     lic("m2@x.dk", E5, direct=False, groups=(GROUP,)))
    v = verify_tables(plan, after, None, catalog)
    row = row_of(v, "m1@x.dk")
    assert row["status"] == "partial"
    assert row["detail"] == f"holds Office 365 E5 through group {GROUP} and still Office 365 E4"
    assert v.group_status.iloc[0]["status"] == "processing"


@pytest.mark.parametrize(("moved", "expect"), [(0, "not started"), (1, "processing"),
                                               (2, "done")])
def test_group_progress(catalog, moved, expect):
    members = ("m1@x.dk", "m2@x.dk")
    rows = [lic(m, E5 if i < moved else E4, direct=False, groups=(GROUP.upper(),))
            for i, m in enumerate(members)]
    v = verify_tables(group_plan(*members), after_of(*rows), subs(consumed=2 - moved), catalog)
    assert v.group_status.iloc[0]["status"] == expect
    assert v.safe_to_cancel is (moved == 2)


def test_new_member_of_a_planned_group_is_unexpected(catalog):
    after = after_of(lic("m1@x.dk", E5, direct=False, groups=(GROUP,)),
                     lic("late@x.dk", E4, direct=False, groups=(GROUP,)))
    v = verify_tables(group_plan("m1@x.dk"), after, None, catalog)
    row = row_of(v, "late@x.dk")
    assert row["status"] == "unexpected" and GROUP in row["detail"]
    assert reason_users(v, SOURCE_HELD_BY_GROUP) == ("late@x.dk",)


def test_already_on_target_rows_are_not_counted_unless_e4_returns(catalog):
    plan = plan_for(lic("a@x.dk", E4), lic("t1@x.dk", E5), lic("t2@x.dk", E5))
    assert set(plan.table.loc[plan.table["kind"] == "skip", "reason_code"]) == {
        "already-on-target"}
    after = after_of(lic("a@x.dk", E5), lic("t1@x.dk", E5), lic("t2@x.dk", E5),
                     lic("t2@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert set(v.status["upn"]) == {"a@x.dk", "t2@x.dk"}
    assert status_of(v, "t2@x.dk") == "unexpected"
    assert "holds Office 365 E4 again" in row_of(v, "t2@x.dk")["detail"]


def test_set_usage_location_rides_along_while_location_is_unset(catalog):
    plan = plan_for(lic("a@x.dk", E4, location=""), lic("b@x.dk", E4, location=""),
                    default_usage_location="DK")
    assert (plan.table["kind"] == "set-usage-location").sum() == 2
    after = after_of(lic("a@x.dk", E4, location=""), lic("b@x.dk", E4, location="DK"))
    v = verify_tables(plan, after, None, catalog)
    assert len(v.status) == 2  # one row per user, not per preparation step
    assert v.remaining_action_ids == in_plan_order(
        plan, aid(plan, "a@x.dk", "set-usage-location"), aid(plan, "a@x.dk"),
        aid(plan, "b@x.dk"))
    assert len(v.remaining_action_ids) == 3


def test_fix_usage_location_user_still_without_location_is_told_to_set_it(catalog):
    plan = plan_for(lic("a@x.dk", E4, location=""))
    assert plan.table["kind"].tolist() == ["fix-usage-location"]
    v = verify_tables(plan, after_of(lic("a@x.dk", E4, location="")), None, catalog)
    row = v.status.iloc[0]
    assert row["status"] == "pending" and "needs a usage location" in row["detail"]
    assert row["fix"].startswith("set the user's usage location")


def test_fix_usage_location_user_with_location_now_set_is_told_to_plan_again(catalog):
    plan = plan_for(lic("a@x.dk", E4, location=""))
    v = verify_tables(plan, after_of(lic("a@x.dk", E4)), None, catalog)
    row = v.status.iloc[0]
    assert row["status"] == "pending" and "(DK)" in row["detail"]
    assert "plan again" in row["fix"]


# --- contract and refusals --------------------------------------------------------------------


def test_to_dict_has_the_contract_keys_and_is_json(catalog):
    plan = e4_users("a@x.dk", "b@x.dk")
    after = after_of(lic("a@x.dk", E5), lic("b@x.dk", E4))
    d = verify_tables(plan, after, None, catalog).to_dict()
    for key in ("tenant", "safe_to_cancel", "reasons", "status_counts", "remaining_actions"):
        assert key in d
    assert set(d["status_counts"]) == set(STATUSES)
    assert d["status_counts"]["pending"] == 1 and d["status_counts"]["moved"] == 1
    assert all(set(r) == {"code", "users"} for r in d["reasons"])
    json.dumps(d)


def test_to_text_names_the_verdict_and_the_fix(catalog):
    plan = e4_users("a@x.dk")
    after = after_of(lic("a@x.dk", E4),
                     lic("a@x.dk", E5, state="Error", error="CountViolation"))
    result = verify_tables(plan, after, None, catalog)
    text = result.to_text()
    # named as the admin center names them; the JSON keeps the part numbers
    assert text.splitlines()[0].endswith(": Office 365 E4 -> Office 365 E5")
    assert "Safe to cancel Office 365 E4: NO" in text
    assert result.to_dict()["source"] == "ENTERPRISEWITHSCAL"
    assert "a@x.dk" in text and error_texts("CountViolation")[1] in text


def test_export_sharing_no_user_is_not_an_after_export(catalog):
    plan = e4_users("a@x.dk")
    with pytest.raises(NotAnAfterExport) as exc:
        verify_tables(plan, after_of(lic("z@other.com", E5)), None, catalog,
                      after_source="after/users.json")
    assert exc.value.exit_code == EXIT_NOT_AN_AFTER_EXPORT
    assert "after/users.json" in exc.value.one_line()


def test_export_without_any_license_is_refused(catalog):
    plan = e4_users("a@x.dk")
    with pytest.raises(InputError) as exc:
        verify_tables(plan, after_of(lic("a@x.dk")), None, catalog)
    assert exc.value.exit_code == 2


def test_results_log_adds_detail_but_never_changes_the_status(catalog):
    plan = e4_users("a@x.dk", "b@x.dk")
    a, b = aid(plan, "a@x.dk"), aid(plan, "b@x.dk")
    after = after_of(lic("a@x.dk", E4), lic("b@x.dk", E5))
    # the script's results CSV: Done for a (the export disagrees), b failed once then retried
    log = pd.DataFrame({
        "action_id": [a, b, b, a],
        "kind": "user-swap", "batch": "1",
        "target": ["a@x.dk", "b@x.dk", "b@x.dk", "someone-else@x.dk"],
        "outcome": ["Done", "Failed", "Done", "Failed"],
        "attempts": ["1", "1", "3", "1"],
        "message": ["", "'-1 Request_BadRequest", "", "from another plan"],
    })
    v = verify_tables(plan, after, None, catalog, results_log=log)
    ra, rb = row_of(v, "a@x.dk"), row_of(v, "b@x.dk")
    assert ra["status"] == "pending"  # the script said Done; the export decides
    assert ra["detail"].endswith("; script: Done")
    assert "from another plan" not in ra["detail"]
    assert "script: Failed (-1 Request_BadRequest); script: Done after 3 attempts" in rb["detail"]
    assert rb["status"] == "moved"


def test_many_users_vectorized(catalog):
    n = 20_000
    upns = [f"u{i:05d}@x.dk" for i in range(n)]
    plan = plan_for(*(lic(u, E4, disabled=("SWAY",)) for u in upns))
    rows = [lic(u, E5, disabled=("SWAY",)) for u in upns[: n - 100]]
    rows += [lic(u, E4) for u in upns[n - 100:]]
    v = verify_tables(plan, after_of(*rows), None, catalog)
    assert v.status_counts["moved"] == n - 100
    assert v.status_counts["pending"] == 100
    assert len(dict(v.reasons)[SOURCE_HELD_DIRECT]) == 100


def test_user_moved_outside_the_plan_counts_as_moved(catalog):
    plan = plan_for(lic("a@x.dk", E4), lic("loc@x.dk", E4, location=""),
                    lic("loc@x.dk", "FLOW_FREE", location=""))
    assert aid(plan, "loc@x.dk", "fix-usage-location")
    v = verify_tables(plan, after_of(lic("a@x.dk", E5), lic("loc@x.dk", E5)), None, catalog)
    row = row_of(v, "loc@x.dk")
    assert row["status"] == "moved" and "moved outside this plan" in row["detail"]


def test_format_without_disabled_plans_reports_no_drift_but_says_so(catalog):
    plan = plan_for(lic("a@x.dk", E4, disabled=("SWAY",)))
    after = after_of(lic("a@x.dk", E5))  # an admin-center export shows no disabled plans
    v = verify_tables(plan, after, None, catalog, after_format="admin-center")
    assert status_of(v, "a@x.dk") == "moved"
    assert any("drift was not checked" in str(w) for w in v.warnings)
    v2 = verify_tables(plan, after, None, catalog, after_format="graph-json")
    assert status_of(v2, "a@x.dk") == "drifted"
    assert not any("drift" in str(w) for w in v2.warnings)


def test_tables_that_are_not_a_plan_or_a_license_table_are_one_line_errors(catalog):
    plan = e4_users("a@x.dk")
    with pytest.raises(InputError, match="not a license table"):
        verify_tables(plan, pd.DataFrame({"upn": ["a@x.dk"]}), None, catalog)
    with pytest.raises(InputError, match="not a plan"):
        verify_tables(pd.DataFrame({"upn": ["a@x.dk"]}), after_of(lic("a@x.dk", E5)), None,
                      catalog)
    # a bare plan table is not a plan either: source and target come from the Plan
    with pytest.raises(InputError, match="not a plan"):
        verify_tables(plan.table, after_of(lic("a@x.dk", E5)), None, catalog)


def test_source_and_target_come_from_the_plan_even_without_actions(catalog):
    plan = plan_for(lic("a@x.dk", E3))  # nobody holds E4: an empty plan
    assert plan.table.empty
    v = verify_tables(plan, after_of(lic("a@x.dk", E3)), None, catalog)
    assert (v.source_part, v.target_part) == (E4, E5)
    assert v.safe_to_cancel and v.status.empty


# --- the I/O edge and the command -------------------------------------------------------------


@pytest.fixture
def synth_folder(tmp_path):
    """A small made-up tenant folder with a plan written to runs/ (as `e4-playbook plan` does)."""
    folder = write_tenant_folder(tmp_path / "t1", synth_tenant(80, seed=5, name="t1"),
                                 config={"default_usage_location": "DK"})
    tenant = load_tenant(folder)
    plan = build_plan(tenant)
    runs = tmp_path / "runs"
    write_artifacts(plan, runs / "t1" / "manual")
    return folder, tenant, plan, runs


def write_after(folder, table, name="users.json"):
    return write_users(table, folder / "after" / name, "graph-json")


def test_verify_reads_the_newest_plan_and_the_after_folder(synth_folder):
    folder, tenant, plan, runs = synth_folder
    write_after(folder, apply_plan(tenant.licenses, plan))
    v = verify(tenant, runs_dir=runs)
    assert v.tenant == "t1"
    assert v.safe_to_cancel
    moved_users = plan.table["kind"].isin(["user-swap", "group-member"]).sum()
    assert v.status_counts["moved"] == moved_users
    assert v.remaining is None


def test_byte_identical_after_export_exits_4(synth_folder):
    folder, tenant, _plan, runs = synth_folder
    with pytest.raises(NotAnAfterExport) as exc:
        verify(tenant, after=tenant.users_file, runs_dir=runs)
    assert exc.value.exit_code == 4 and "byte-identical" in exc.value.message


def test_another_tenants_export_exits_4(synth_folder, tmp_path):
    _folder, tenant, _plan, runs = synth_folder
    other = synth_tenant(30, seed=9, domain="fabrikam.example")
    path = write_users(other.truth, tmp_path / "other" / "users.json", "graph-json")
    with pytest.raises(NotAnAfterExport) as exc:
        verify(tenant, after=path, runs_dir=runs)
    assert "another tenant" in exc.value.message


def test_no_plan_yet_says_run_plan_first(synth_folder, tmp_path):
    _folder, tenant, _plan, _runs = synth_folder
    with pytest.raises(InputError) as exc:
        verify(tenant, runs_dir=tmp_path / "empty")
    assert "run e4-playbook plan first" in exc.value.one_line()


def test_plan_of_another_tenant_is_refused(synth_folder, tmp_path):
    folder, tenant, _plan, runs = synth_folder
    other = synth_tenant(20, seed=2, name="t2")
    p2 = build_plan_from_tables(TenantConfig(name="t2"), normalize_license_table(other.table),
                                other.subscriptions, tenant.catalog)
    out = write_artifacts(p2, tmp_path / "p2")
    write_after(folder, tenant.licenses)
    with pytest.raises(InputError) as exc:
        verify(tenant, plan_dir=out, runs_dir=runs)
    assert "made for tenant 't2'" in exc.value.one_line()
    # notebook 04 hands the loaded plan straight to verify_plan: refused the same way
    with pytest.raises(InputError) as exc:
        verify_plan(tenant, p2)
    assert "made for tenant 't2'" in exc.value.one_line()


def test_results_log_beside_the_plan_is_read(synth_folder):
    folder, tenant, plan, runs = synth_folder
    write_after(folder, apply_plan(tenant.licenses, plan))
    first = plan.table[plan.table["kind"] == "user-swap"].iloc[0]
    (runs / "t1" / "manual" / "plan" / "plan.results.csv").write_text(
        "action_id,kind,batch,target,outcome,attempts,message\n"
        f"{first.action_id},user-swap,1,{first.user_id or first.upn},Done,2,\n",
        encoding="utf-8-sig")
    v = verify(tenant, runs_dir=runs)
    detail = v.status.loc[v.status["action_id"] == first.action_id, "detail"].iat[0]
    assert detail.endswith("script: Done after 2 attempts (throttled and retried)")


def test_unreadable_results_log_beside_the_plan_is_a_warning(synth_folder):
    folder, tenant, plan, runs = synth_folder
    write_after(folder, apply_plan(tenant.licenses, plan))
    (runs / "t1" / "manual" / "plan" / "plan.results.csv").write_bytes(b"\xff\xfe\x00bad")
    v = verify(tenant, runs_dir=runs)
    assert v.safe_to_cancel
    assert any(str(w).startswith("results log skipped: ") for w in v.warnings)


def test_cli_verify_json_and_exit_codes(synth_folder):
    folder, tenant, plan, runs = synth_folder
    write_after(folder, apply_plan(tenant.licenses, plan))
    runner = CliRunner()
    ok = runner.invoke(main, ["verify", str(folder), "--runs", str(runs), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["safe_to_cancel"] is True and data["tenant"] == "t1"
    assert list(data)[:5] == ["tenant", "safe_to_cancel", "reasons", "status_counts",
                              "remaining_actions"]
    same = runner.invoke(main, ["verify", str(folder), "--runs", str(runs),
                                "--after", str(tenant.users_file)])
    assert same.exit_code == 4
    assert "byte-identical" in same.output and "Traceback" not in same.output
    missing = runner.invoke(main, ["verify", str(folder), "--runs", str(runs / "nope")])
    assert missing.exit_code == 2
