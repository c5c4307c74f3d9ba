"""build_plan_from_tables on hand-built license tables: one rule per test."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from paths import EXPECTED, TENANTS
from simulator import apply_plan

from playbook.artifacts import graph_batches, render_artifacts, write_artifacts
from playbook.catalog import Catalog
from playbook.display import pages
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.messages import message
from playbook.plan import (
    INT_COLUMNS,
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    USER_DECISION_KINDS,
    assign_batches,
    build_plan,
    build_plan_from_tables,
    map_disabled_plans,
    normalized_table,
    number_actions,
    plan_id,
    remaining_plan,
    rollback_actions,
)
from playbook.plan.holders import sets_per_user
from playbook.plan.store import load_plan
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import TenantConfig, load_tenant

E4, E5, E3 = "ENTERPRISEWITHSCAL", "ENTERPRISEPREMIUM", "ENTERPRISEPACK"
CAT = Catalog.builtin()
IDS = {p: CAT.get(p).sku_id for p in (E4, E5, E3, "SPE_E3", "MCOEV")}
G1 = "aaaaaaaa-0000-4000-8000-000000000001"
G2 = "aaaaaaaa-0000-4000-8000-000000000002"


def row(upn: str, part: str = E4, **kw) -> dict:
    d = {"upn": upn, "sku_part_number": part, "sku_id": IDS.get(part, ""),
         "product_name": part, "usage_location": "DK", "display_name": upn.split("@")[0],
         "department": "Sales", "group_ids": (), "disabled_plans": ()}
    d.update(kw)
    return d


def table(*rows: dict) -> pd.DataFrame:
    return normalize_license_table(pd.DataFrame(list(rows)))


def subs(enabled: int, consumed: int = 0, part: str = E5) -> pd.DataFrame:
    return normalize_subscription_table(pd.DataFrame([
        {"sku_id": IDS[part], "sku_part_number": part, "enabled": enabled,
         "consumed": consumed}]))


def plan_of(lic: pd.DataFrame, subscriptions: pd.DataFrame | None = None, **cfg):
    config = TenantConfig(name="contoso", **cfg)
    return build_plan_from_tables(config, lic, subscriptions, CAT, users_file_name="users.csv",
                                  users_sha256="ab" * 32)


def rows_of(plan, upn: str = "", group: str = "") -> pd.DataFrame:
    t = plan.table
    return t[(t["upn"] == upn) & (t["group_id"] == group)] if group and upn else (
        t[t["group_id"] == group] if group else t[t["upn"] == upn])


def one(plan, upn: str) -> pd.Series:
    r = plan.table[(plan.table["upn"] == upn) & plan.table["kind"].isin(USER_DECISION_KINDS)]
    assert len(r) == 1, r
    return r.iloc[0]


# --- user swaps and disabled plans -----------------------------------------------------------


def test_direct_user_gets_one_call_that_adds_target_and_removes_e4():
    plan = plan_of(table(row("ada@x.dk")))
    r = one(plan, "ada@x.dk")
    assert r["kind"] == "user-swap" and r["batch"] == 1
    assert r["add_sku_id"] == IDS[E5] and r["remove_sku_id"] == IDS[E4]
    assert r["add_sku_part_number"] == E5 and r["remove_sku_part_number"] == E4
    assert r["before_skus"] == (E4,) and r["after_skus"] == (E5,)
    assert r["action_id"] == "U00001"
    assert list(plan.table.columns) == list(PLAN_COLUMNS)


def test_disabled_plans_are_carried_over_by_family_and_unmatched_ones_are_decisions():
    plan = plan_of(table(row("ada@x.dk", disabled_plans=("FORMS_PLAN_E3", "MCOVOICECONF",
                                                         "TEAMS1"))))
    r = one(plan, "ada@x.dk")
    assert r["disabled_plans_after"] == ("FORMS_PLAN_E5", "MCOEV", "TEAMS1")
    e5 = CAT.get(E5)
    assert r["disabled_plan_ids_after"] == (e5.plan_id("FORMS_PLAN_E5"), e5.plan_id("MCOEV"),
                                            e5.plan_id("TEAMS1"))
    assert r["unmapped_plans"] == ()
    assert [(d["code"], d["upn"], d["plans"]) for d in plan.decisions] == [
        ("successor-kept-off", "ada@x.dk", ["MCOEV"])]
    # Office 365 E3 has no successor of MCOVOICECONF: still a decision, never dropped
    plan = plan_of(table(row("ada@x.dk", disabled_plans=("MCOVOICECONF",))), target=E3)
    assert one(plan, "ada@x.dk")["unmapped_plans"] == ("MCOVOICECONF",)
    assert [(d["code"], d["plans"]) for d in plan.decisions] == [
        ("unmapped-plans", ["MCOVOICECONF"])]


def test_disabled_plan_given_as_guid_is_named_through_the_source_sku():
    forms_e3 = CAT.get(E4).plan_id("FORMS_PLAN_E3")
    m = map_disabled_plans((forms_e3, "0badf00d-0000-4000-8000-000000000000"),
                           CAT.get(E4), CAT.get("SPE_E3"), CAT)
    assert m.names == ("FORMS_PLAN_E3",)
    assert m.ids == (CAT.get("SPE_E3").plan_id("FORMS_PLAN_E3"),)
    assert m.unmapped == ("0badf00d-0000-4000-8000-000000000000",)


def test_other_direct_licenses_are_kept_and_named_for_the_admin_center():
    plan = plan_of(table(row("ada@x.dk"), row("ada@x.dk", "MCOEV", disabled_plans=("X",))))
    r = one(plan, "ada@x.dk")
    assert r["after_skus"] == (E5, "MCOEV")
    assert r["keep_direct_skus"] == ("Microsoft Teams Phone Standard (apps off: X)",)


def test_e4_in_error_state_is_still_swapped_with_the_reason():
    plan = plan_of(table(row("ada@x.dk", state="Error", error="CountViolation")))
    r = one(plan, "ada@x.dk")
    assert r["kind"] == "user-swap"
    assert r["reason_code"] == "e4-error-state"
    assert "CountViolation" in r["reason"]


# --- groups --------------------------------------------------------------------------------


def test_group_gets_one_action_and_its_members_no_per_user_swap():
    lic = table(row("a@x.dk", assigned_directly=False, group_ids=(G1,), disabled_plans=("SWAY",)),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,), disabled_plans=("SWAY",)),
                row("c@x.dk", assigned_directly=True, group_ids=(G1,)))
    plan = plan_of(lic, subs(10))
    g = plan.table[plan.table["kind"] == "group-swap"]
    assert len(g) == 1
    g = g.iloc[0]
    assert g["group_id"] == G1 and g["upn"] == "" and g["members"] == 3
    assert g["add_sku_id"] == IDS[E5] and g["remove_sku_id"] == IDS[E4]
    assert g["disabled_plans_before"] == ("SWAY",) and g["disabled_plans_after"] == ("SWAY",)
    assert one(plan, "a@x.dk")["kind"] == "group-member"
    assert one(plan, "a@x.dk")["group_id"] == G1
    assert one(plan, "b@x.dk")["batch"] == 0
    assert one(plan, "c@x.dk")["kind"] == "user-swap"  # direct + group: the direct swap
    # three users, three seats: c is counted once although moved both ways
    assert plan.seats_needed == 3
    assert g["new_seats"] == 3  # c's target comes from the group (no direct add)


def test_group_with_an_excluded_member_is_held_back_with_a_decision():
    lic = table(row("a@x.dk", assigned_directly=False, group_ids=(G1,)),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,)))
    plan = plan_of(lic, exclude_users=("b@x.dk",))
    g = plan.table[plan.table["group_id"] == G1]
    assert list(g.loc[g["upn"] == "", "kind"]) == ["skip"]
    assert one(plan, "a@x.dk")["reason_code"] == "group-held-back"
    assert one(plan, "b@x.dk")["reason_code"] == "excluded"
    held = [d for d in plan.decisions if d["code"] == "group-held-back"]
    assert len(held) == 1 and "b@x.dk" in held[0]["why"]
    assert plan.seats_needed == 0


def test_user_in_a_planned_and_a_held_back_group_keeps_e4_until_both_switch():
    lic = table(row("a@x.dk", assigned_directly=False, group_ids=(G1, G2)),
                row("b@x.dk", assigned_directly=False, group_ids=(G2,)))
    plan = plan_of(lic, exclude_users=("b@x.dk",))
    a = one(plan, "a@x.dk")
    assert a["kind"] == "group-member" and a["group_id"] == G1
    assert a["after_skus"] == tuple(sorted((E4, E5)))
    assert "e4-stays-by-group" in a["reason_code"]


def test_group_settings_unknown_without_single_group_members_is_a_decision():
    lic = table(row("a@x.dk", assigned_directly=True, group_ids=(G1,)))
    plan = plan_of(lic)
    codes = [d["code"] for d in plan.decisions]
    assert "group-plans-unknown" in codes


def test_inherited_e4_from_an_unnamed_group_is_skipped_with_a_decision():
    plan = plan_of(table(row("a@x.dk", assigned_directly=False)))
    r = one(plan, "a@x.dk")
    assert r["kind"] == "skip" and r["reason_code"] == "inherited-from-unknown-group"
    assert [d["code"] for d in plan.decisions] == ["unknown-group"]


# --- fix first -----------------------------------------------------------------------------


def test_missing_usage_location_without_default_holds_the_swap_back():
    plan = plan_of(table(row("a@x.dk", usage_location=""), row("b@x.dk")))
    a = one(plan, "a@x.dk")
    assert a["kind"] == "fix-usage-location" and a["batch"] == 0
    assert a["add_sku_id"] == "" and a["remove_sku_id"] == ""
    assert not (plan.table["kind"].isin(["user-swap", "set-usage-location"])
                & (plan.table["upn"] == "a@x.dk")).any()
    assert plan.summary["held_back"] == 1 and plan.summary["seats_needed_later"] == 1
    assert plan.seats_needed == 1
    assert "usage-location" in [d["code"] for d in plan.decisions]


def test_default_usage_location_is_set_in_the_same_batch_right_before_the_swap():
    lic = table(*[row(f"u{i:02d}@x.dk", usage_location="") for i in range(12)],
                row("z@x.dk"))
    plan = plan_of(lic, default_usage_location="NO")
    t = plan.table
    for i in range(12):
        rows = t[t["upn"] == f"u{i:02d}@x.dk"]
        assert list(rows["kind"]) == ["set-usage-location", "user-swap"]
        assert rows["batch"].nunique() == 1
        assert rows.iloc[0]["new_usage_location"] == "NO"
    # two requests per such user: at most 10 users (20 Graph requests) per batch
    loc_batches = t[t["kind"] == "set-usage-location"].groupby("batch").size()
    assert list(loc_batches) == [10, 2]
    assert one(plan, "z@x.dk")["batch"] == 1  # plain swaps come first


def test_blocked_account_is_swapped_and_listed_as_reclaim_candidate_by_default():
    plan = plan_of(table(row("a@x.dk", account_enabled=False)))
    r = one(plan, "a@x.dk")
    assert r["kind"] == "user-swap" and r["add_sku_id"] == IDS[E5]
    assert [d["code"] for d in plan.decisions] == ["reclaim-candidate"]


def test_reclaim_removes_e4_without_target_only_when_opted_in():
    lic = table(row("a@x.dk", account_enabled=False, usage_location=""),
                row("b@x.dk", account_enabled=False, group_ids=(G1,)))
    plan = plan_of(lic, reclaim_blocked=True)
    a = one(plan, "a@x.dk")
    assert a["kind"] == "reclaim" and a["batch"] >= 1
    assert a["add_sku_id"] == "" and a["remove_sku_id"] == IDS[E4]
    assert a["after_skus"] == ()
    assert a["new_seats"] == 0
    # also inherits E4: the direct swap, and a decision to take it out of the group
    b = one(plan, "b@x.dk")
    assert b["kind"] == "user-swap" and "reclaim-candidate" in b["reason_code"]


# --- skips and the target -------------------------------------------------------------------


def test_excluded_users_by_upn_or_id_are_skipped_with_the_reason():
    uid = "00000000-0000-4000-8000-000000000002"
    plan = plan_of(table(row("a@x.dk"), row("b@x.dk", user_id=uid), row("c@x.dk")),
                   exclude_users=("A@X.DK", uid))
    assert one(plan, "a@x.dk")["reason_code"] == "excluded"
    assert one(plan, "b@x.dk")["reason_code"] == "excluded"
    assert one(plan, "b@x.dk")["batch"] == 0
    assert one(plan, "c@x.dk")["kind"] == "user-swap"
    assert plan.summary["skips"] == {"excluded": 2}


def test_users_already_on_the_target_only_are_listed_once():
    plan = plan_of(table(row("a@x.dk", E5), row("b@x.dk")))
    a = one(plan, "a@x.dk")
    assert a["kind"] == "skip" and a["reason_code"] == "already-on-target"
    assert a["target_before"] == "direct"
    assert plan.summary["e4_users"] == 1


def test_user_with_e4_and_the_target_keeps_target_settings_and_loses_only_e4():
    lic = table(row("a@x.dk", disabled_plans=("TEAMS1",)),
                row("a@x.dk", E5, disabled_plans=("SWAY", "TEAMS1")))
    plan = plan_of(lic, subs(0))
    r = one(plan, "a@x.dk")
    assert r["kind"] == "user-swap" and r["target_before"] == "direct"
    assert r["disabled_plans_after"] == ("SWAY", "TEAMS1")  # unchanged
    assert r["new_seats"] == 0 and plan.seats_needed == 0 and not plan.refused
    # E4 enabled Sway, the existing E5 assignment disables it: the admin decides
    lost = [d for d in plan.decisions if d["code"] == "target-disables-e4-service"]
    assert len(lost) == 1 and "SWAY" in lost[0]["why"]
    # rollback gives E4 back and leaves the target alone
    rb = rollback_actions(plan)
    assert list(rb["add_sku_id"]) == [IDS[E4]] and list(rb["remove_sku_id"]) == [""]


# --- seats and limits -----------------------------------------------------------------------


def test_plan_is_refused_when_seats_are_short_and_says_how_many():
    plan = plan_of(table(*[row(f"u{i}@x.dk") for i in range(5)]), subs(10, consumed=7))
    assert plan.seats_needed == 5 and plan.seats_available == 3
    assert plan.refused and plan.shortfall == 2
    assert "2 missing" in plan.to_text()


def test_max_users_limits_the_plan_until_the_seats_suffice():
    lic = table(*[row(f"u{i}@x.dk") for i in range(5)])
    plan = plan_of(lic, subs(3), max_users=3)
    assert not plan.refused and plan.seats_needed == 3
    moved = plan.table[plan.table["kind"] == "user-swap"]
    assert list(moved["upn"]) == ["u0@x.dk", "u1@x.dk", "u2@x.dk"]
    assert one(plan, "u4@x.dk")["reason_code"] == "beyond-max-users"


def test_max_users_takes_a_group_only_when_all_its_members_fit():
    lic = table(row("a@x.dk"),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,)),
                row("c@x.dk", assigned_directly=False, group_ids=(G1,)))
    assert plan_of(lic, max_users=2).summary["group_swaps"] == 0
    assert plan_of(lic, max_users=3).summary["group_swaps"] == 1


def test_only_departments_and_only_users_limit_the_plan():
    lic = table(row("a@x.dk", department="IT"), row("b@x.dk", department="Sales"),
                row("c@x.dk", department="it"))
    plan = plan_of(lic, only_departments=("IT",))
    assert {u for u in plan.table.loc[plan.table["kind"] == "user-swap", "upn"]} == {
        "a@x.dk", "c@x.dk"}
    assert one(plan, "b@x.dk")["reason_code"] == "outside-only-departments"
    plan = plan_of(lic, only_users=("b@x.dk",))
    assert list(plan.table.loc[plan.table["kind"] == "user-swap", "upn"]) == ["b@x.dk"]


def test_without_subscriptions_seats_are_unverified_and_not_refused():
    plan = plan_of(table(row("a@x.dk")))
    assert plan.seats_available is None and plan.shortfall is None and not plan.refused
    assert "UNVERIFIED" in plan.to_text()
    assert plan.to_dict()["seats_verified"] is False


def test_target_not_bought_means_zero_available():
    plan = plan_of(table(row("a@x.dk")), subs(5, part=E3))
    assert plan.seats_available == 0 and plan.refused and plan.shortfall == 1


# --- batches, order, determinism --------------------------------------------------------------


def test_batches_hold_at_most_batch_size_users_with_identical_settings():
    lic = table(*[row(f"u{i:02d}@x.dk") for i in range(23)],
                *[row(f"v{i:02d}@x.dk", disabled_plans=("SWAY",)) for i in range(3)],
                row("v00@x.dk", "MCOEV"))
    plan = plan_of(lic, batch_size=5)
    swaps = plan.table[plan.table["kind"] == "user-swap"]
    sizes = swaps.groupby("batch").size()
    assert sizes.max() == 5 and sizes.sum() == 26
    assert list(sizes.index) == list(range(1, len(sizes) + 1))
    for _, b in swaps.groupby("batch"):
        assert b["disabled_plans_after"].nunique() == 1
        assert b["keep_direct_skus"].nunique() == 1
    # stable order: sorted by upn inside one settings group
    plain = swaps[swaps["upn"].str.startswith("u")]
    assert list(plain["upn"]) == sorted(plain["upn"])


def test_same_inputs_give_the_same_plan_whatever_the_row_order():
    rows = [row(f"u{i}@x.dk", disabled_plans=("SWAY",) if i % 2 else ()) for i in range(9)]
    rows.append(row("g@x.dk", assigned_directly=False, group_ids=(G1,)))
    a = plan_of(table(*rows), subs(20))
    b = plan_of(table(*reversed(rows)), subs(20))
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    assert a.plan_id == b.plan_id and len(a.plan_id) == 16
    assert a.to_dict()["created"] is None


def test_action_ids_are_numbered_per_prefix_in_table_order():
    lic = table(row("a@x.dk"), row("b@x.dk", usage_location=""), row("c@x.dk", E5),
                row("d@x.dk", assigned_directly=False, group_ids=(G1,)))
    plan = plan_of(lic)
    ids = dict(zip(plan.table["kind"] + ":" + plan.table["upn"], plan.table["action_id"],
                   strict=True))
    assert ids == {"user-swap:a@x.dk": "U00001", "group-swap:": "G00001",
                   "fix-usage-location:b@x.dk": "F00001", "group-member:d@x.dk": "M00001",
                   "skip:c@x.dk": "S00001"}


# --- reading back, remaining plan, rollback --------------------------------------------------


def test_remaining_plan_keeps_ids_rebatches_and_recounts_seats():
    lic = table(*[row(f"u{i}@x.dk") for i in range(6)])
    plan = plan_of(lic, subs(10), batch_size=2)
    keep = ["U00002", "U00005"]
    rest = remaining_plan(plan, keep)
    assert list(rest.table["action_id"]) == keep
    assert list(rest.table["batch"]) == [1, 1]
    assert rest.seats_needed == 2 and rest.seats_available is None and not rest.refused
    assert rest.tenant == plan.tenant and rest.target == plan.target
    assert remaining_plan(plan, keep, seats_available=1).refused


def test_remaining_plan_with_a_usage_location_left_alone_still_runs_it():
    plan = plan_of(table(row("a@x.dk", usage_location=""), row("b@x.dk", usage_location="")),
                   default_usage_location="DK")
    loc = plan.table.loc[(plan.table["kind"] == "set-usage-location")
                         & (plan.table["upn"] == "a@x.dk"), "action_id"].iloc[0]
    swap_b = plan.table.loc[(plan.table["kind"] == "user-swap")
                            & (plan.table["upn"] == "b@x.dk"), "action_id"].iloc[0]
    rest = remaining_plan(plan, [loc, swap_b])
    got = dict(zip(rest.table["action_id"], rest.table["batch"], strict=True))
    assert got[loc] >= 1 and got[swap_b] >= 1
    assert rest.seats_needed == 1


def test_rollback_is_the_inverse_from_the_before_state_last_batch_first():
    lic = table(row("a@x.dk", usage_location="", disabled_plans=("FORMS_PLAN_E3",)),
                row("b@x.dk"))
    plan = plan_of(lic, default_usage_location="DK")
    rb = rollback_actions(plan)
    assert list(rb["action_id"]) == ["RU00002", "RF00001", "RU00001"]
    assert list(rb["batch"]) == [2, 0, 1]
    undo_a = rb.iloc[0]
    assert undo_a["add_sku_id"] == IDS[E4] and undo_a["remove_sku_id"] == IDS[E5]
    assert undo_a["disabled_plans_after"] == ("FORMS_PLAN_E3",)
    assert undo_a["disabled_plan_ids_after"] == (CAT.get(E4).plan_id("FORMS_PLAN_E3"),)
    # the location is left set: listed, not run, and saying why
    assert (rb.iloc[1]["batch"], rb.iloc[1]["new_usage_location"]) == (0, "")
    assert rb.iloc[1]["reason_code"] == "rollback-keeps-usage-location"
    assert "stays DK" in rb.iloc[1]["reason"]
    after = apply_plan(lic, plan)
    assert set(after.loc[after["upn"] == "a@x.dk", "usage_location"]) == {"DK"}


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("cfg", "match"), [
    ({"target": "NOPE"}, "not a known plan"),
    ({"target": E4}, "retired"),
])
def test_bad_target_is_input_error(cfg, match):
    with pytest.raises(InputError, match=match):
        plan_of(table(row("a@x.dk")), **cfg)


def test_not_a_license_table_is_input_error():
    with pytest.raises(InputError, match="not a license table"):
        build_plan_from_tables(TenantConfig(name="x"), pd.DataFrame({"upn": ["a"]}), None, CAT)


def test_e4_user_without_upn_is_input_error():
    with pytest.raises(InputError, match="userPrincipalName"):
        plan_of(table(row("")))


def test_text_summary_names_kinds_batches_seats_and_decisions():
    lic = table(row("a@x.dk", disabled_plans=("MCOVOICECONF",)),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,)))
    text = plan_of(lic, subs(10)).to_text()
    assert "user-swap" in text and "group-swap" in text and "covering 1 user)" in text
    assert "Batches: 2" in text
    assert "Seats: this round needs 2, 10 available; to buy for the whole move: 0" in text
    assert "successor-kept-off (1): a@x.dk" in text


def test_export_without_disabled_plans_says_so_once():
    lic = table(row("a@x.dk"), row("b@x.dk"))
    plan = build_plan_from_tables(TenantConfig(name="x"), lic, None, CAT,
                                  users_format="admin-center")
    unknown = [d for d in plan.decisions if d["code"] == "disabled-plans-unknown"]
    assert len(unknown) == 1 and unknown[0]["action_id"] == ""
    assert plan.users_file["format"] == "admin-center"
    graph = build_plan_from_tables(TenantConfig(name="x"), lic, None, CAT,
                                   users_format="graph-json")
    assert graph.decisions == ()
    # a remaining plan keeps the plan-level decision
    assert remaining_plan(plan, ["U00001"]).decisions == tuple(unknown)


def test_group_member_rows_show_what_their_group_disables():
    lic = table(row("a@x.dk", assigned_directly=False, group_ids=(G1,),
                    disabled_plans=("FORMS_PLAN_E3",)))
    plan = plan_of(lic)
    a = one(plan, "a@x.dk")
    assert a["kind"] == "group-member"
    assert a["disabled_plans_after"] == ("FORMS_PLAN_E5",)


# --- the sample tenants ----------------------------------------------------------------------


def plan_expectation(plan) -> dict:
    """What data/expected/<tenant>/plan.json pins (reviewed by hand)."""
    s = plan.summary
    return {
        "tenant": plan.tenant,
        "target": plan.target["sku_part_number"],
        "refused": plan.refused,
        "shortfall": plan.shortfall,
        "seats_needed": plan.seats_needed,
        "seats_available": plan.seats_available,
        "e4_users": s["e4_users"],
        "users_moved": s["users_moved"],
        "batches": s["batches"],
        "calls_per_batch": [int(n) for n in plan.table[
            plan.table["kind"].isin(["user-swap", "reclaim", "group-swap"])
        ].groupby("batch").size()],
        "actions": {k: v for k, v in s["actions"].items() if v},
        "group_covered_users": s["group_covered_users"],
        "held_back": s["held_back"],
        "skips": s["skips"],
        "decisions": s["decisions"],
    }


def _sample_tenants() -> list[str]:
    from paths import EXPECTED, TENANTS

    return sorted(p.parent.name for p in EXPECTED.glob("*/plan.json")
                  if (TENANTS / p.parent.name / "tenant.yaml").is_file())


@pytest.mark.parametrize("name", _sample_tenants())
def test_sample_tenant_plans_match_the_reviewed_expectation(name, tmp_path):
    plan = build_plan(load_tenant(TENANTS / name))
    want = json.loads((EXPECTED / name / "plan.json").read_text(encoding="utf-8"))
    assert plan_expectation(plan) == want
    if plan.refused:
        with pytest.raises(InputError) as err:
            write_artifacts(plan, tmp_path)
        assert err.value.exit_code == EXIT_REFUSED_FOR_SEATS
        assert not (tmp_path / "plan").exists()
    else:
        out = write_artifacts(plan, tmp_path)
        assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["action_count"] == \
            len(plan.table) == len(load_plan(out).table)


# --- batching, numbering and identity on hand-built plan tables -----------------------------


def plan_rows(*rows: dict) -> pd.DataFrame:
    return normalized_table(pd.DataFrame(rows))


def test_batches_run_plain_swaps_then_located_swaps_then_reclaims_then_groups():
    located = [f"l{i:02d}@x.dk" for i in range(12)]
    t = plan_rows(
        {"kind": "skip", "group_id": "g9"},
        {"kind": "skip", "upn": "s@x.dk"},
        {"kind": "group-member", "upn": "m@x.dk", "group_id": "g1"},
        {"kind": "fix-usage-location", "upn": "f@x.dk"},
        {"kind": "group-swap", "group_id": "g2"}, {"kind": "group-swap", "group_id": "g1"},
        {"kind": "reclaim", "upn": "r@x.dk"},
        *[{"kind": "set-usage-location", "upn": u, "new_usage_location": "DK"}
          for u in located],
        *[{"kind": "user-swap", "upn": u} for u in reversed(located)],
        *[{"kind": "user-swap", "upn": u} for u in ("c@x.dk", "a@x.dk", "b@x.dk")],
    )
    out = assign_batches(t, 20)
    got = list(zip(out["kind"], out["upn"] + out["group_id"], out["batch"], strict=True))
    assert got[:3] == [("user-swap", u, 1) for u in ("a@x.dk", "b@x.dk", "c@x.dk")]
    # a user who needs a usage location: two requests, so ten users a batch at most, the
    # location right before the swap
    pairs = [(k, u, b) for u, b in zip(located, [2] * 10 + [3] * 2, strict=True)
             for k in ("set-usage-location", "user-swap")]
    assert got[3:27] == pairs
    assert got[27:] == [("reclaim", "r@x.dk", 4), ("group-swap", "g1", 5),
                        ("group-swap", "g2", 5), ("fix-usage-location", "f@x.dk", 0),
                        ("group-member", "m@x.dkg1", 0), ("skip", "s@x.dk", 0),
                        ("skip", "g9", 0)]


def test_batches_split_users_by_settings_and_sort_upns_as_python_strings():
    upns = ["b@x.dk", "ä@x.dk", "A@x.dk", "a@x.dk", "z@x.dk"]
    t = plan_rows(*[{"kind": "user-swap", "upn": u} for u in upns],
                  {"kind": "user-swap", "upn": "k@x.dk", "keep_direct_skus": ("Teams",)},
                  {"kind": "user-swap", "upn": "d@x.dk", "disabled_plans_after": ("SWAY",)})
    out = assign_batches(t, 3)
    assert list(out["upn"]) == ["A@x.dk", "a@x.dk", "b@x.dk", "z@x.dk", "ä@x.dk", "d@x.dk",
                                "k@x.dk"]
    assert list(out["batch"]) == [1, 1, 1, 2, 2, 3, 4]


def test_a_usage_location_row_left_without_its_swap_runs_alone():
    t = plan_rows({"kind": "set-usage-location", "upn": "a@x.dk", "new_usage_location": "DK"},
                  {"kind": "user-swap", "upn": "b@x.dk"})
    out = assign_batches(t, 20)
    assert list(zip(out["kind"], out["batch"], strict=True)) == [
        ("set-usage-location", 1), ("user-swap", 1)]


def test_batch_size_must_be_1_to_20():
    for size in (0, 21):
        with pytest.raises(InputError):
            assign_batches(plan_rows({"kind": "user-swap", "upn": "a@x.dk"}), size)


def test_number_actions_counts_per_prefix_with_five_digits():
    kinds = ["user-swap", "set-usage-location", "user-swap", "reclaim", "group-swap",
             "fix-usage-location", "group-member", "skip", "skip"]
    out = number_actions(plan_rows(*[{"kind": k} for k in kinds]))
    assert list(out["action_id"]) == ["U00001", "F00001", "U00002", "F00002", "G00001",
                                      "F00003", "M00001", "S00001", "S00002"]


def test_plan_id_is_stable_and_changes_with_any_cell():
    plan = plan_of(table(row("a@x.dk", disabled_plans=("SWAY",)), row("b@x.dk", E5),
                         row("c@x.dk", assigned_directly=False, group_ids=(G1,))), subs(9))
    t = plan.table
    pid = plan_id(plan.source, plan.target, t)
    assert pid == plan.plan_id and len(pid) == 16
    # equal cells held by other objects (a plan read back), another index: the same id
    copy = pd.DataFrame({c: [json.loads(json.dumps(v)) for v in t[c]] for c in t.columns})
    for c in TUPLE_COLUMNS:
        copy[c] = [tuple(v) for v in copy[c]]
    assert plan_id(plan.source, plan.target, copy.set_axis(range(5, 5 + len(t)))) == pid
    for col in PLAN_COLUMNS:
        changed = t.copy()
        changed.loc[0, col] = (7 if col in INT_COLUMNS else ("x",) if col in TUPLE_COLUMNS
                               else "x")
        assert plan_id(plan.source, plan.target, changed) != pid, col
    assert plan_id(plan.source, {**plan.target, "sku_id": "x"}, t) != pid
    assert plan_id(plan.source, plan.target, t.iloc[::-1]) != pid


def test_rollback_of_a_table_with_missing_cells_fills_them_empty():
    t = plan_rows({"action_id": "U00001", "kind": "user-swap", "batch": 1, "upn": "a@x.dk",
                   "add_sku_id": "t", "add_sku_part_number": "T", "remove_sku_id": "e",
                   "remove_sku_part_number": "E", "before_skus": ("E",),
                   "after_skus": ("T",)})
    t.loc[0, ["usage_location", "target_before"]] = None
    t["before_skus"] = pd.Series([None], dtype=object)
    r = rollback_actions(t).iloc[0]
    assert (r["action_id"], r["add_sku_id"], r["remove_sku_id"]) == ("RU00001", "e", "t")
    assert r["usage_location"] == "" and r["after_skus"] == () and r["before_skus"] == ("T",)
    assert r["reason"] == "undoes U00001" and r["reason_code"] == "rollback"


def test_sets_per_user_are_each_users_sorted_distinct_values():
    user = pd.Series([2, 0, 2, 2, 0])
    value = pd.Series(["b", "c", "a", "b", "c"])
    got = sets_per_user(user, value, 4)
    assert list(got) == [("c",), (), ("a", "b"), ()]


# --- issue #13: rules that hold on real tenants ---------------------------------------------


def test_reclaim_asks_the_admin_about_the_mailbox_first():
    """Issue #13 item 2: removing a license starts a 30-day countdown to deleting the mailbox
    unless it is converted to a shared mailbox or on hold ("Unassign Microsoft 365 licenses
    from users", microsoft-365/admin/manage/remove-licenses-from-users.md). A reclaim row stays
    planned but always asks (``reclaim-mailbox-check``), and a reclaim candidate says it too."""
    lic = table(row("a@x.dk", account_enabled=False), row("b@x.dk", account_enabled=False))
    plan = plan_of(lic, reclaim_blocked=True)
    asks = [d for d in plan.decisions if d["code"] == "reclaim-mailbox-check"]
    assert [d["upn"] for d in asks] == ["a@x.dk", "b@x.dk"]
    assert all("30-day" in d["why"] and "shared mailbox" in d["why"] for d in asks)
    assert plan.summary["decisions"] == {"reclaim-mailbox-check": 2}
    assert all("30-day" in one(plan, u)["reason"] for u in ("a@x.dk", "b@x.dk"))
    assert one(plan, "a@x.dk")["batch"] >= 1  # still planned
    candidate = plan_of(table(row("a@x.dk", account_enabled=False))).decisions[0]
    assert candidate["code"] == "reclaim-candidate" and "30-day" in candidate["why"]
    assert "shared mailbox or put it on hold" in candidate["why"]


@pytest.mark.parametrize("state", ["Error", "ActiveWithError"])
def test_a_target_held_only_in_error_needs_a_seat_and_is_named(state):
    """Issue #13 item 7: a target in state ``Error`` is not assigned (licenseAssignmentState,
    microsoft-facts.md S15); ``ActiveWithError`` with ``CountViolation`` is read as not held
    too (inference, as verification reads it). The swap adds the target and needs a seat,
    and the row names the conflict (``target-in-error``)."""
    lic = table(row("a@x.dk"),
                row("a@x.dk", E5, state=state, error="CountViolation", assigned_directly=True),
                row("b@x.dk"))
    plan = plan_of(lic, subs(10))
    a = one(plan, "a@x.dk")
    assert a["kind"] == "user-swap" and a["add_sku_id"] == IDS[E5]
    assert a["target_before"] == "" and a["new_seats"] == 1
    assert plan.seats_needed == 2
    assert "target-in-error" in a["reason_code"].split(";")
    assert "CountViolation" in a["reason"] and "seat" in a["reason"]
    ask = [d for d in plan.decisions if d["code"] == "target-in-error"]
    assert [d["upn"] for d in ask] == ["a@x.dk"]


def test_a_group_that_already_assigns_the_target_only_loses_e4():
    """Issue #13 item 9: a group assignLicense whose addLicenses names the target again
    replaces that assignment's disabledPlans (disabledPlans replaces, never merges:
    graph-apply.md; assignLicense S11/S12), so services the group switched off would come
    back on for every member. When the group already assigns the target, the group swap only
    removes E4 (group-based licensing S18-S21) and its rollback only gives E4 back."""
    lic = table(row("a@x.dk", assigned_directly=False, group_ids=(G1,)),
                row("a@x.dk", E5, assigned_directly=False, group_ids=(G1,),
                    disabled_plans=("SWAY",)))
    plan = plan_of(lic, subs(10))
    g = plan.table[plan.table["kind"] == "group-swap"].iloc[0]
    assert (g["add_sku_id"], g["remove_sku_id"]) == ("", IDS[E4])
    assert g["disabled_plans_after"] == ("SWAY",) and g["new_seats"] == 0
    undo = rollback_actions(plan).iloc[0]
    assert (undo["add_sku_id"], undo["remove_sku_id"]) == (IDS[E4], "")
    after = apply_plan(lic, plan)
    assert set(after.loc[after["upn"] == "a@x.dk", "sku_part_number"]) == {E5}


def test_a_direct_target_keeps_its_own_disabled_plans():
    """Issue #13 item 9: a user who holds the target directly keeps that assignment as it is:
    the swap only removes E4, since an add would replace the assignment's disabledPlans with
    the set the export shows (for a user with the target directly and through a group that
    is the merged, effective set: graph-apply.md; licenseAssignmentStates S15)."""
    lic = table(row("a@x.dk"),
                row("a@x.dk", E5, assigned_directly=True, group_ids=(G2,),
                    disabled_plans=("SWAY",)))
    plan = plan_of(lic, subs(10))
    a = one(plan, "a@x.dk")
    assert (a["add_sku_id"], a["remove_sku_id"]) == ("", IDS[E4])
    assert a["disabled_plans_after"] == ("SWAY",) and a["new_seats"] == 0
    assert "already-holds-target" in a["reason_code"]


def test_direct_e4_of_a_member_of_a_switched_group_is_only_removed():
    """Issue #13 item 10: a user with E4 directly and through a group that is switched gets
    the target from the group (same product directly and through a group is one license,
    group-based licensing S20/S21), so a direct add would leave a redundant direct license:
    the user's row only removes the direct E4 and names the group."""
    lic = table(row("a@x.dk", assigned_directly=True, group_ids=(G1,)),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,)))
    plan = plan_of(lic, subs(10))
    a = one(plan, "a@x.dk")
    assert a["kind"] == "user-swap" and a["group_id"] == G1
    assert (a["add_sku_id"], a["remove_sku_id"]) == ("", IDS[E4])
    assert a["new_seats"] == 0 and plan.seats_needed == 2
    assert "target-from-group" in a["reason_code"].split(";")
    after = apply_plan(lic, plan)
    held = after[after["upn"] == "a@x.dk"]
    assert set(held["sku_part_number"]) == {E5}
    assert not held.loc[held["sku_part_number"] == E5, "assigned_directly"].any()


def test_admin_center_checklist_never_switches_on_a_target_the_group_gives():
    """Issue #13 item 10, followed by hand: the admin center's "Manage product licenses >
    Replace" switches on exactly what the checklist lists (move-users-different-subscription,
    S6). A user whose target comes from the switched group is batched apart from users who get
    it directly, and their batch does not list the target (else the admin adds the redundant
    direct license the plan avoids); a plain swap's batch still does."""
    lic = table(row("a@x.dk", assigned_directly=True, group_ids=(G1,)),
                row("b@x.dk", assigned_directly=False, group_ids=(G1,)),
                row("c@x.dk"))
    plan = plan_of(lic, subs(10))
    a, c = one(plan, "a@x.dk"), one(plan, "c@x.dk")
    assert a["batch"] != c["batch"] and 0 not in (a["batch"], c["batch"])
    md = render_artifacts(plan)["checklist.md"].decode("utf-8")
    tgt = CAT.get(E5).display_name
    a_part = md.split(f"## Batch {a['batch']}:")[1].split("## ")[0]
    c_part = md.split(f"## Batch {c['batch']}:")[1].split("## ")[0]
    assert "a@x\\.dk" in a_part and tgt not in a_part.split("Switch on")[-1]
    assert "Unassign all" in a_part and f"Switch on exactly: **{tgt}**" in c_part


def test_rollback_leaves_a_usage_location_it_set():
    """Issue #13 (left over): user.usageLocation is "required for users assigned licenses" and
    "not nullable" (microsoft-facts.md S26), and after a rollback the user holds E4 again, so
    clearing the location may be refused (inference). The undo row of a set-usage-location
    row is not run (batch 0, so no PATCH in rollback-batches.jsonl) and says the location
    stays."""
    plan = plan_of(table(row("a@x.dk", usage_location="")), default_usage_location="DK")
    rb = rollback_actions(plan)
    undo = rb[rb["action_id"].str.startswith("RF")].iloc[0]
    assert undo["batch"] == 0 and "stays DK" in undo["reason"]
    bodies = graph_batches(rb)
    assert all(r["method"] == "POST" for b in bodies.values() for r in b["requests"])


# --- one home for the plan's words -----------------------------------------------------------
DATA_REASONS = {"e4-error-state", "target-disables-e4-service", "target-in-error", "rollback",
                "rollback-keeps-usage-location"}
"""Reason codes whose plan.csv words carry the row's data (state, apps, error code, the action
undone): their own ``plan.reason.<code>.<variant>`` messages, tested apart."""

ASKS_FROM_MESSAGES = {"usage-location": "plan.ask.usage-location",
                      "unmapped-plans": "plan.ask.unmapped-plans",
                      "unknown-group": "plan.ask.unknown-group",
                      "reclaim-mailbox-check": "plan.ask.reclaim-mailbox-check"}


def test_plan_reasons_and_questions_are_the_pages_words():
    """plan.csv's ``reason`` and plan.json's decisions say, in the plan's language (Danish
    for adatum-legacy), exactly what the pages say from the same codes (``plan.reason.*``,
    ``plan.ask.*``): one text per meaning. Issue 17 had two homes that drifted ("swapped" vs
    "moved", "group(s)")."""
    seen: set[str] = set()
    for name in ["adatum-legacy", "contoso-direct", "fabrikam-invoice", "northwind-partner"]:
        tenant = load_tenant(TENANTS / name)
        for overrides in ({}, {"reclaim_blocked": True}, {"max_users": 3}):
            plan = build_plan(tenant, **overrides)
            lang = plan.language
            for row in plan.table.to_dict("records"):
                codes = [c for c in row["reason_code"].split(";") if c]
                if not codes or DATA_REASONS & set(codes) or (
                        row["kind"] == "skip" and row["group_id"] and not row["upn"]):
                    continue  # a held-back group's row names who blocks it: data, left
                seen.update(codes)
                if codes == ["reclaim-candidate"]:  # three variants: direct, group, inherited
                    assert row["reason"] in {message(k, lang) for k in (
                        "plan.reason.reclaim-candidate", "plan.reason.reclaim-candidate.group",
                        "plan.reason.reclaim-candidate.inherited")}
                elif codes == ["group-held-back"]:  # then the groups and who blocks each
                    assert row["reason"].startswith(message("plan.reason.group-held-back", lang))
                else:
                    assert row["reason"] == pages.reason_words(row, lang), row["action_id"]
            target = plan.target["display_name"]
            for d in plan.decisions:
                if d["code"] in ASKS_FROM_MESSAGES:
                    seen.add(d["code"])
                    assert d["why"] == message(ASKS_FROM_MESSAGES[d["code"]], lang,
                                               target=target)
    assert {"excluded", "beyond-max-users", "already-on-target", "no-usage-location",
            "reclaim-blocked", "reclaim-candidate", "target-from-group", "group-held-back",
            "usage-location", "reclaim-mailbox-check"} <= seen
