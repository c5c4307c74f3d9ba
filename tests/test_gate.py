"""The cancellation gate and the checklist beside it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import after_scenarios as scen
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from simulator import apply_plan
from test_verification import (
    E4,
    E5,
    GROUP,
    after_of,
    e4_users,
    lic,
    plan_for,
    row_of,
    subs,
)

from playbook import exports
from playbook.artifacts import admin_rows, graph_batches, render_artifacts
from playbook.cancellation import (
    MCA_REFUND_DAYS,
    SourceSeats,
    cancellation_checklist,
    source_seats,
)
from playbook.catalog import Catalog
from playbook.cli import main
from playbook.errors import InputError
from playbook.messages import LANGUAGES
from playbook.plan import build_plan_from_tables, rollback_actions
from playbook.plan.store import load_plan
from playbook.table import normalize_license_table
from playbook.tenant import TenantConfig, load_tenant
from playbook.testing.synth import write_subscriptions, write_users
from playbook.verification import (
    REASON_CODES,
    UNLICENSED,
    USERS_UNLICENSED,
    error_texts,
    reason_text,
    verify_tables,
    write_remaining,
)

CATALOG = Catalog.builtin()


def codes(items) -> list[str]:
    return [i.code for i in items]


# --- checklist --------------------------------------------------------------------------------


def test_mosa_over_25_seats_must_reduce_before_cancelling_online():
    items = cancellation_checklist(agreement="mosa", seats=SourceSeats(enabled=40, consumed=0))
    by_code = {i.code: i for i in items}
    assert "REDUCE_TO_25_BEFORE_CANCEL" in by_code
    assert "40 licenses" in by_code["REDUCE_TO_25_BEFORE_CANCEL"].text
    assert by_code["REDUCE_TO_25_BEFORE_CANCEL"].source == "S8"
    assert "Billing Administrator" in by_code["WHO_MAY_CANCEL_MOSA"].text
    assert "WHO_MAY_CANCEL_MCA" not in by_code and "REFUND_WINDOW_MCA" not in by_code


def test_25_license_limit_is_per_subscription_when_several_are_pooled():
    """Item 13. Source: "Cancel your subscription" [S8], MOSA: a subscription with more than 25
    licenses can't be cancelled online, reduce it to 25 or fewer first; subscribedSkus pools
    every subscription of a SKU (Graph "subscribedSku resource type" [S13]). Two 20-license
    subscriptions are not "40 to reduce to 25": the text sends the admin to each one's count
    and never invents a per-subscription number."""
    seats = SourceSeats(enabled=40, consumed=0, subscription_ids=("sub-a", "sub-b"))
    items = {i.code: i for i in cancellation_checklist(agreement="mosa", seats=seats)}
    text = items["REDUCE_TO_25_BEFORE_CANCEL"].text
    assert "each subscription" in text and "Billing > Your products" in text
    assert "2 subscriptions (sub-a, sub-b)" in text and "cannot tell each one's count" in text
    assert "has 40 licenses" not in text and "20" not in text
    renewal = items["REDUCE_SEATS_BEFORE_RENEWAL"].text
    assert "over 2 subscriptions" in renewal and "reduce it by" not in renewal


def test_one_subscription_keeps_its_own_count():
    """Item 13, the single-subscription case [S8]: the pooled count is that subscription's."""
    seats = SourceSeats(enabled=40, consumed=0, subscription_ids=("sub-a",))
    items = {i.code: i for i in cancellation_checklist(agreement="mosa", seats=seats)}
    assert "Office 365 E4 has 40 licenses" in items["REDUCE_TO_25_BEFORE_CANCEL"].text


def test_mosa_at_25_seats_or_fewer_has_no_reduction_item():
    items = cancellation_checklist(agreement="mosa", seats=SourceSeats(enabled=25, consumed=0))
    assert "REDUCE_TO_25_BEFORE_CANCEL" not in codes(items)


def test_mca_lists_its_roles_and_the_refund_window():
    items = {i.code: i for i in cancellation_checklist(agreement="mca")}
    assert f"{MCA_REFUND_DAYS} days" in items["REFUND_WINDOW_MCA"].text
    assert "Billing profile owner" in items["WHO_MAY_CANCEL_MCA"].text
    assert "REDUCE_TO_25_BEFORE_CANCEL" not in items and "WHO_MAY_CANCEL_MOSA" not in items


def test_unknown_agreement_lists_both_rule_sets():
    got = codes(cancellation_checklist())
    for code in ("WHO_MAY_CANCEL_MOSA", "WHO_MAY_CANCEL_MCA", "REFUND_WINDOW_MCA",
                 "REDUCE_TO_25_BEFORE_CANCEL", "DATA_AFTER_CANCEL", "REMOVE_CUSTOM_DOMAINS",
                 "REDUCE_SEATS_BEFORE_RENEWAL"):
        assert code in got


def test_custom_domains_and_data_retention_are_spelled_out():
    items = {i.code: i for i in cancellation_checklist(custom_domains=("contoso.dk", "x.dk"))}
    assert "contoso.dk, x.dk" in items["REMOVE_CUSTOM_DOMAINS"].text
    data = items["DATA_AFTER_CANCEL"].text
    assert "Disabled" in data and "30 days" in data and "180 days" in data


def test_partner_purchase_is_cancelled_by_the_partner():
    assert "CANCEL_THROUGH_PARTNER" in codes(cancellation_checklist(purchase_channel="partner"))
    assert "CANCEL_THROUGH_PARTNER" not in codes(cancellation_checklist(purchase_channel="direct"))


@pytest.mark.parametrize(("enabled", "consumed", "expect"), [
    (50, 3, "reduce it by 47 to 3"),
    (10, 10, "no unused licenses"),
])
def test_seat_reduction_uses_the_subscription_numbers(enabled, consumed, expect):
    items = {i.code: i for i in cancellation_checklist(
        seats=SourceSeats(enabled=enabled, consumed=consumed))}
    assert expect in items["REDUCE_SEATS_BEFORE_RENEWAL"].text


def test_source_seats_sums_enabled_and_warning_units():
    table = subs(consumed=4, enabled=30)
    table.loc[table["sku_part_number"] == E4, "warning"] = 5
    assert source_seats(table) == SourceSeats(enabled=35, consumed=4)
    assert source_seats(None) == SourceSeats()
    assert source_seats(table.iloc[1:]) == SourceSeats(enabled=0, consumed=0)


def test_checklist_follows_the_tenant_config():
    cfg = TenantConfig(name="t", agreement="mca", custom_domains=("t.dk",))
    v = verify_tables(e4_users("a@x.dk"), after_of(lic("a@x.dk", E5)),
                      subs(consumed=0, enabled=12), CATALOG, config=cfg)
    got = {i.code: i for i in v.checklist}
    assert "REFUND_WINDOW_MCA" in got and "WHO_MAY_CANCEL_MOSA" not in got
    assert "t.dk" in got["REMOVE_CUSTOM_DOMAINS"].text
    assert "reduce it by 12 to 0" in got["REDUCE_SEATS_BEFORE_RENEWAL"].text
    assert v.tenant == "t"
    assert [c["code"] for c in v.to_dict()["checklist"]] == list(got)


# --- the gate as a property -------------------------------------------------------------------

_USER_STATES = st.sampled_from(["moved", "pending", "partial", "failed", "drifted", "lost",
                                "failed-lost", "count-lost", "group-pending", "group-moved"])
# planned users who end with neither E4 nor a working target: "lost" (no license at all),
# "failed-lost" (the target only in Error), "count-lost" (ActiveWithError + CountViolation)
_UNLICENSED_STATES = ("lost", "failed-lost", "count-lost")


def _after_row(upn: str, state: str) -> list[dict]:
    """The after export's rows of one user the plan swapped directly (E4 with Sway off)."""
    return {
        "moved": [lic(upn, E5, disabled=("SWAY",))],
        "pending": [lic(upn, E4)],
        "partial": [lic(upn, E5, disabled=("SWAY",)), lic(upn, E4)],
        "failed": [lic(upn, E4), lic(upn, E5, state="Error", error="CountViolation")],
        "drifted": [lic(upn, E5)],
        "lost": [lic(upn)],
        "failed-lost": [lic(upn, E5, state="Error", error="MutuallyExclusiveViolation")],
        "count-lost": [lic(upn, E5, state="ActiveWithError", error="CountViolation")],
        "group-pending": [lic(upn, E4, direct=False, groups=(GROUP,))],
        "group-moved": [lic(upn, E5, direct=False, groups=(GROUP,), disabled=("SWAY",))],
    }[state]


@settings(max_examples=40, deadline=None)
@given(states=st.lists(_USER_STATES, min_size=1, max_size=8),
       consumed=st.one_of(st.none(), st.integers(min_value=0, max_value=3)))
def test_gate_opens_exactly_when_nobody_holds_e4_and_nothing_failed(states, consumed):
    """Whatever mix of outcomes, the gate equals the rule written in the issue: nobody holds
    E4, no units consumed, nobody failed or partial, and every user the plan moves holds E4 or
    the target ("Upgrade from an Office 365 E4 subscription", manual upgrade step 4: cancel
    "after all users have been reassigned"; microsoft-facts.md section 1)."""
    # every user held E4 directly with Sway off: the real plan swaps each of them
    plan = plan_for(*(lic(f"u{i}@x.dk", E4, disabled=("SWAY",)) for i in range(len(states))))
    rows = [row for i, state in enumerate(states) for row in _after_row(f"u{i}@x.dk", state)]
    rows.append(lic("anchor@x.dk", E5))  # keeps at least one license in the export
    sub = None if consumed is None else subs(consumed=consumed)
    v = verify_tables(plan, after_of(*rows), sub, CATALOG)

    holds_e4 = any(s in ("pending", "partial", "failed", "group-pending") for s in states)
    unlicensed = {f"u{i}@x.dk" for i, s in enumerate(states) if s in _UNLICENSED_STATES}
    expected_open = not holds_e4 and not consumed and not unlicensed
    assert v.safe_to_cancel is expected_open
    assert bool(v.reasons) is not expected_open
    reasons = dict(v.reasons)
    assert set(reasons.get("USERS_UNLICENSED", ())) == unlicensed
    assert ("USERS_FAILED" in reasons) is any(
        s in ("failed", "failed-lost", "count-lost") for s in states)
    assert ("USERS_PARTIAL" in reasons) is ("partial" in states)
    assert ("SOURCE_HELD_BY_GROUP" in reasons) is ("group-pending" in states)
    assert ("SOURCE_CONSUMED_UNITS" in reasons) is bool(consumed)
    assert sum(v.status_counts.values()) == len(states)
    # nothing left to run exactly when every user is past E4 and on the target; the users who
    # lost E4 are the ones whose swap must only add the target
    assert (v.remaining is None) is (not holds_e4 and not unlicensed)
    assert {v.status.set_index("action_id").loc[a, "upn"] for a in v.add_only_action_ids} \
        == unlicensed
    assert ("Safe to cancel Office 365 E4: YES" in v.to_text()) is expected_open


_E4_ROWS = st.fixed_dictionaries({
    "user": st.integers(min_value=0, max_value=5),
    "state": st.sampled_from(["Active", "ActiveWithError", "Error", "Disabled"]),
    "error": st.sampled_from(["", "CountViolation", "Other"]),
    "direct": st.booleans(),
    "groups": st.sampled_from([(), (GROUP,), (GROUP.upper(), "g2")]),
})


@settings(max_examples=40, deadline=None)
@given(planned=st.sets(st.integers(min_value=0, max_value=5), min_size=1),
       e4_rows=st.lists(_E4_ROWS, max_size=4),
       consumed=st.one_of(st.none(), st.integers(min_value=0, max_value=2)))
def test_nothing_says_safe_to_cancel_while_anyone_holds_e4(planned, e4_rows, consumed):
    """The gate's promise: any E4 row, planned user or not, any state or path, keeps it shut."""
    plan = plan_for(*(lic(f"u{i}@x.dk", E4) for i in sorted(planned)))
    rows = [lic(f"u{i}@x.dk", E5) for i in range(6)]
    rows += [lic(f"u{r['user']}@x.dk", E4, state=r["state"], error=r["error"],
                 direct=r["direct"], groups=r["groups"]) for r in e4_rows]
    v = verify_tables(plan, after_of(*rows), None if consumed is None else subs(consumed),
                      CATALOG)
    if e4_rows:
        assert not v.safe_to_cancel
        holders = {f"u{r['user']}@x.dk" for r in e4_rows}
        named = set(dict(v.reasons).get("SOURCE_HELD_DIRECT", ())) | set(
            dict(v.reasons).get("SOURCE_HELD_BY_GROUP", ()))
        assert named == holders
    assert v.safe_to_cancel is (not e4_rows and not consumed)


# --- the bundled sample tenants' after exports ------------------------------------------------


def _read_after(tenant, users: Path):
    """The after export as verify reads it: users + the subscriptions beside them."""
    subs, _fmt = exports.read_subscriptions(users.with_name("subscriptions.json"))
    catalog = Catalog.layered(Catalog.from_subscriptions(subs), tenant.catalog)
    read = exports.read_users(users, catalog)
    return read, subs, catalog


def _verdict(v) -> dict:
    d = v.to_dict()
    return {"safe_to_cancel": d["safe_to_cancel"], "reasons": d["reasons"],
            "status_counts": d["status_counts"], "errors": d["errors"],
            "remaining_actions": d["remaining_actions"],
            "remaining_action_ids": sorted(v.remaining_action_ids)}


@pytest.fixture(scope="module")
def tenants():
    return {name: load_tenant(scen.TENANTS_DIR / name) for name in scen.SCENARIOS}


@pytest.mark.parametrize(("tenant_name", "scenario"), scen.cases())
def test_bundled_after_export_gets_its_expected_verdict(tenants, tenant_name, scenario):
    tenant = tenants[tenant_name]
    expected = json.loads(scen.expected_path(tenant_name, scenario).read_text(encoding="utf-8"))
    plan = load_plan(scen.plan_path(tenant_name).parent)
    read, subs, catalog = _read_after(tenant, scen.users_path(tenant_name, scenario))
    v = verify_tables(plan, read.table, subs, catalog, config=tenant.config,
                      after_format=read.format)
    assert _verdict(v) == {k: expected[k] for k in _verdict(v)}
    assert v.tenant == tenant_name


def test_failed_scenario_explains_each_error_code(tenants):
    tenant = tenants["fabrikam-invoice"]
    plan = load_plan(scen.plan_path("fabrikam-invoice").parent)
    read, subs, catalog = _read_after(tenant, scen.users_path("fabrikam-invoice",
                                                              "failed-each-code"))
    v = verify_tables(plan, read.table, subs, catalog, after_format=read.format)
    failed = v.status[v.status["status"] == "failed"]
    assert sorted(failed["error"]) == sorted(scen.ERROR_CODES)
    assert all(row.detail.startswith(row.error) and row.fix for row in failed.itertuples())


def test_group_processing_scenario_reports_the_group(tenants):
    tenant = tenants["fabrikam-invoice"]
    plan = load_plan(scen.plan_path("fabrikam-invoice").parent)
    read, subs, catalog = _read_after(tenant, scen.users_path("fabrikam-invoice",
                                                              "group-processing"))
    v = verify_tables(plan, read.table, subs, catalog, after_format=read.format)
    groups = v.group_status.set_index("action_id")
    assert groups.loc["G00001", "status"] == "processing"
    assert groups.loc["G00001", "members_with_source"] == 6
    assert groups.loc["G00002", "status"] == "done"
    assert v.groups_holding_source == ("fa0000a1-0000-4000-8000-000000000001",)


def test_stored_plans_and_expectations_are_current(tenants, tmp_path):
    """The bundled files are what tests/after_scenarios.py makes from today's code."""
    for name, tenant in tenants.items():
        plan = scen.scenario_plan(tenant)
        files = render_artifacts(plan)
        for stored in scen.PLAN_FILES:
            assert files[stored] == scen.plan_path(name).with_name(stored).read_bytes(), (
                f"{name}: run python tests/after_scenarios.py")
        for scenario in scen.build_scenarios(tenant, plan).values():
            stored = json.loads(scen.expected_path(name, scenario.name).read_text("utf-8"))
            assert scenario.expected(plan) == stored
            fresh = write_users(scenario.after, tmp_path / name / scenario.name / "users.json",
                                "graph-json", catalog=tenant.catalog)
            assert fresh.read_bytes() == scen.users_path(name, scenario.name).read_bytes()


def test_cli_verify_on_a_bundled_scenario(tenants):
    folder = scen.TENANTS_DIR / "fabrikam-invoice"
    res = CliRunner().invoke(main, [
        "verify", str(folder), "--json",
        "--after", str(scen.users_path("fabrikam-invoice", "failed-each-code").parent),
        "--plan", str(scen.plan_path("fabrikam-invoice").parent)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    expected = json.loads(scen.expected_path("fabrikam-invoice", "failed-each-code")
                          .read_text("utf-8"))
    assert data["safe_to_cancel"] is False
    assert data["reasons"] == expected["reasons"]
    assert data["status_counts"] == expected["status_counts"]
    assert data["remaining_actions"] == expected["remaining_actions"]
    text = CliRunner().invoke(main, ["verify", str(scen.TENANTS_DIR / "contoso-direct"),
                                     "--plan", str(scen.plan_path("contoso-direct").parent)])
    assert text.exit_code == 0 and "Safe to cancel Office 365 E4: YES" in text.output


# --- the next round: run the remaining plan on the simulator ----------------------------------


def _fixed(table):
    """The admin fixed every error's cause; reprocessing drops the failed assignments."""
    t = normalize_license_table(table)
    return t[t["state"] != "Error"].reset_index(drop=True)


def _next_round(tenant, plan, users: Path):
    read, subs, catalog = _read_after(tenant, users)
    v = verify_tables(plan, read.table, subs, catalog, after_format=read.format)
    assert v.remaining is not None
    after2 = apply_plan(_fixed(read.table), v.remaining)
    subs2 = scen.after_subscriptions(subs, after2)
    return v, verify_tables(plan, after2, subs2, catalog, after_format="graph-json"), after2, subs2


def test_contoso_remaining_plan_on_the_simulator_opens_the_gate(tenants):
    tenant = tenants["contoso-direct"]
    plan = load_plan(scen.plan_path("contoso-direct").parent)
    v1, v2, _after, _subs = _next_round(tenant, plan, scen.users_path("contoso-direct",
                                                                     "some-pending"))
    assert not v1.safe_to_cancel
    assert v2.safe_to_cancel, v2.reasons
    assert v2.status_counts["moved"] == 25 and v2.remaining is None


@pytest.mark.parametrize("scenario", ["some-pending", "failed-each-code", "group-processing"])
def test_fabrikam_remaining_plan_then_a_fresh_plan_opens_the_gate(tenants, scenario):
    """The remaining plan moves everyone it can; the users the plan itself left on E4 (no usage
    location, excluded) need the admin: set their location, include them, plan again."""
    tenant = tenants["fabrikam-invoice"]
    plan = load_plan(scen.plan_path("fabrikam-invoice").parent)
    v1, v2, after2, subs2 = _next_round(tenant, plan,
                                        scen.users_path("fabrikam-invoice", scenario))
    left_by_plan = {"erik.andersen@fabrikam.example", "jytte.andersen@fabrikam.example",
                    "pernille.christensen@fabrikam.example"}
    assert v1.status_counts["moved"] < v2.status_counts["moved"]
    assert {c for c, _ in v2.reasons} == {"SOURCE_HELD_DIRECT", "SOURCE_CONSUMED_UNITS"}
    assert set(dict(v2.reasons)["SOURCE_HELD_DIRECT"]) == left_by_plan
    assert v2.status_counts["failed"] == v2.status_counts["partial"] == 0
    assert v2.status_counts["pending"] == len(left_by_plan)
    if scenario != "failed-each-code":
        return  # the admin's part below is the same after every scenario

    # the admin's part: set the locations, include the excluded user, buy their 3 licenses;
    # then a new plan from a fresh export
    fresh = after2.copy()
    fresh.loc[fresh["usage_location"] == "", "usage_location"] = "DK"
    config = tenant.config.with_overrides(exclude_users=[])
    assert build_plan_from_tables(config, fresh, subs2, tenant.catalog).shortfall == 3
    subs2.loc[subs2["sku_part_number"] == "SPE_E5", "enabled"] += 3
    plan3 = build_plan_from_tables(config, fresh, subs2, tenant.catalog)
    assert not plan3.refused
    after3 = apply_plan(fresh, plan3)
    v3 = verify_tables(plan3, after3, scen.after_subscriptions(subs2, after3), tenant.catalog)
    assert v3.safe_to_cancel, v3.reasons
    assert v3.status_counts["moved"] == len(left_by_plan)


def test_cli_writes_the_remaining_plan_for_the_next_round(tmp_path):
    folder = scen.TENANTS_DIR / "contoso-direct"
    after = scen.users_path("contoso-direct", "some-pending").parent
    plan = scen.plan_path("contoso-direct").parent
    res = CliRunner().invoke(main, ["verify", str(folder), "--after", str(after), "--plan",
                                    str(plan), "--out", str(tmp_path / "next"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    expected = json.loads(scen.expected_path("contoso-direct", "some-pending").read_text("utf-8"))
    assert data["artifacts"] == str(tmp_path / "next" / "plan")
    written = load_plan(tmp_path / "next" / "plan")
    assert sorted(written.table["action_id"]) == expected["remaining_action_ids"]
    assert (tmp_path / "next" / "plan" / "plan.csv").is_file()
    # verifying the same export against the next round's plan: only its users are left
    again = CliRunner().invoke(main, ["verify", str(folder), "--after", str(after), "--plan",
                                      str(tmp_path / "next" / "plan"), "--json"])
    assert json.loads(again.output)["status_counts"]["pending"] == \
        expected["status_counts"]["pending"]
    assert json.loads(again.output)["status_counts"]["moved"] == 0


def test_write_remaining_refuses_when_nothing_is_left(tmp_path):
    v = verify_tables(e4_users("a@x.dk"), after_of(lic("a@x.dk", E5)), None, CATALOG)
    with pytest.raises(InputError, match="nothing remains"):
        write_remaining(v, tmp_path)
    assert not any(tmp_path.iterdir())


# --- users who lost E4 without the target (issue #13) -----------------------------------------

_SOURCES = ('"Upgrade from an Office 365 E4 subscription" (microsoft-facts.md section 1, manual '
            'upgrade step 4: cancel E4 after all users have been reassigned); "Unassign '
            'Microsoft 365 licenses from users" (microsoft-365/admin/manage/'
            'remove-licenses-from-users.md: Exchange Online data is deleted 30 days after the '
            'license is removed)')

_EXT = {"graph-json": "json", "admin-center": "csv"}


def _contoso_after(tenant, plan, lost: set[str], *, fmt: str, folder: Path,
                   target_rows: dict | None = None):
    """The plan fully run on the simulator, then ``lost`` users stripped of the target (and so
    of every license), written as an after export in ``fmt`` by the project's own writers and
    read back the way ``verify`` reads it."""
    done = apply_plan(normalize_license_table(tenant.licenses), plan)
    target = plan.target["sku_part_number"]
    at = done["upn"].isin(lost) & (done["sku_part_number"] == target)
    blank = {"sku_part_number": "", "sku_id": "", "product_name": "", "state": "",
             "error": "", "assigned_directly": False}
    for col, value in {**blank, **(target_rows or {})}.items():
        done.loc[at, col] = value
    done.loc[at, "group_ids"] = pd.Series([()] * int(at.sum()), index=done.index[at],
                                          dtype=object)
    after = normalize_license_table(done)
    subs0 = scen.bought_subscriptions(tenant, plan)
    users = write_users(after, folder / f"users.{_EXT[fmt]}", fmt, catalog=tenant.catalog)
    write_subscriptions(scen.after_subscriptions(subs0, after),
                        folder / "subscriptions.json", "graph-json")
    return _read_after(tenant, users)


@pytest.mark.parametrize("fmt", sorted(_EXT))
def test_users_who_lost_e4_without_the_target_keep_the_gate_shut(tenants, tmp_path, fmt):
    """Issue #13 item 1: nobody holds E4 and no unit is consumed, yet two users the plan moved
    hold no license at all: the gate stays shut, names them first as urgent, and their swaps
    are the remaining plan, marked add-only. Sources: """ + _SOURCES
    tenant = tenants["contoso-direct"]
    plan = load_plan(scen.plan_path("contoso-direct").parent)
    swaps = plan.table[plan.table["kind"] == "user-swap"].sort_values("upn")
    lost = set(swaps["upn"].iloc[:2])
    read, subs_after, catalog = _contoso_after(tenant, plan, lost, fmt=fmt,
                                               folder=tmp_path / "after")
    assert read.format == fmt
    v = verify_tables(plan, read.table, subs_after, catalog, after_format=read.format,
                      after_carries=read.carries)
    assert not v.safe_to_cancel
    assert v.reasons == ((USERS_UNLICENSED, tuple(sorted(lost))),)
    rows = v.status[v.status["upn"].isin(lost)]
    assert set(rows["status"]) == {"unexpected"} and set(rows["substatus"]) == {UNLICENSED}
    ids = tuple(swaps.loc[swaps["upn"].isin(lost), "action_id"])
    assert v.remaining_action_ids == v.add_only_action_ids == tuple(sorted(ids))
    assert v.to_dict()["remaining_add_only"] == sorted(ids)
    text = v.to_text()
    assert "Safe to cancel Office 365 E4: NO" in text and "Urgent: 2 users" in text
    assert "nothing left to run" not in text
    assert text.index("unlicensed:") < text.index("Groups:") if "Groups:" in text else True
    # the CLI says the same from the files
    res = CliRunner().invoke(main, ["verify", str(scen.TENANTS_DIR / "contoso-direct"),
                                    "--after", str(tmp_path / "after"), "--plan",
                                    str(scen.plan_path("contoso-direct").parent), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["safe_to_cancel"] is False
    assert data["reasons"] == [{"code": USERS_UNLICENSED, "users": sorted(lost)}]


def test_remaining_rows_of_unlicensed_users_only_add_the_target(tenants, tmp_path):
    """Issue #13 item 1: the remaining swaps of users who lost E4 only add the target, since
    Graph rejects a removeLicenses entry for a license the user does not hold ("User does not
    have a corresponding license", MicrosoftDocs/OfficeDocs-Enterprise#873; assignLicense,
    microsoft-facts.md S11/S12; the simulator refuses it too): no warning is left, the row
    says why (``source-lost``), and its rollback only removes the target."""
    tenant = tenants["contoso-direct"]
    plan = load_plan(scen.plan_path("contoso-direct").parent)
    lost = {plan.table.loc[plan.table["kind"] == "user-swap", "upn"].min()}
    read, subs_after, catalog = _contoso_after(tenant, plan, lost, fmt="graph-json",
                                               folder=tmp_path)
    v = verify_tables(plan, read.table, subs_after, catalog, after_format=read.format)
    assert not any("would remove" in str(w) for w in v.warnings)
    row = v.remaining.table.set_index("upn").loc[next(iter(lost))]
    assert (row["remove_sku_id"], row["remove_sku_part_number"]) == ("", "")
    assert "source-lost" in row["reason_code"].split(";")
    assert plan.source["sku_part_number"] not in row["before_skus"]
    undo = rollback_actions(v.remaining).set_index("upn").loc[next(iter(lost))]
    assert (undo["add_sku_id"], undo["remove_sku_id"]) == ("", plan.target["sku_id"])
    body = graph_batches(v.remaining.table)[row["batch"]]
    request = next(r for r in body["requests"] if r["id"] == row["action_id"])
    assert request["body"]["removeLicenses"] == []
    admin = admin_rows(v.remaining).set_index("upn").loc[next(iter(lost))]
    assert admin["remove_license"] == "" and admin["add_license"] != ""


def test_next_round_gives_unlicensed_users_the_target_and_opens_the_gate(tenants, tmp_path):
    """The remaining plan run on the simulator gives the users who lost E4 their target, and
    the next verification opens the gate. Sources: """ + _SOURCES
    tenant = tenants["contoso-direct"]
    plan = load_plan(scen.plan_path("contoso-direct").parent)
    swaps = plan.table[plan.table["kind"] == "user-swap"].sort_values("upn")
    lost = set(swaps["upn"].iloc[:3])
    read, subs_after, catalog = _contoso_after(tenant, plan, lost, fmt="graph-json",
                                               folder=tmp_path)
    v = verify_tables(plan, read.table, subs_after, catalog, after_format=read.format)
    after2 = apply_plan(read.table, v.remaining)  # today: Graph (the simulator) refuses
    row = v.remaining.table.set_index("action_id").loc[list(v.add_only_action_ids)]
    assert (row["remove_sku_id"] == "").all() and (row["add_sku_id"] != "").all()
    assert not any("would remove" in str(w) for w in v.warnings)
    v2 = verify_tables(plan, after2, scen.after_subscriptions(subs_after, after2), catalog,
                       after_format="graph-json")
    assert v2.safe_to_cancel, v2.reasons


def test_target_only_in_error_is_failed_and_unlicensed_when_e4_is_gone(tenants, tmp_path):
    """Issue #13 item 7 (verification): a target held only in ``Error``, or ``ActiveWithError``
    with CountViolation, is not held (Graph licenseAssignmentState, microsoft-facts.md section
    6, S15; treating ActiveWithError + CountViolation as not held is our inference). Such a user
    is failed with the error explained; one who also lost E4 is unlicensed and keeps the gate
    shut. Sources: """ + _SOURCES
    tenant = tenants["contoso-direct"]
    plan = load_plan(scen.plan_path("contoso-direct").parent)
    upns = sorted(plan.table.loc[plan.table["kind"] == "user-swap", "upn"])
    read, subs_after, catalog = _contoso_after(
        tenant, plan, {upns[0]}, fmt="graph-json", folder=tmp_path / "a",
        target_rows={"sku_part_number": plan.target["sku_part_number"],
                     "sku_id": plan.target["sku_id"], "product_name": plan.target["sku_id"],
                     "state": "Error", "error": "CountViolation", "assigned_directly": True})
    v = verify_tables(plan, read.table, subs_after, catalog, after_format=read.format)
    row = v.status.set_index("upn").loc[upns[0]]
    meaning, _fix = error_texts("CountViolation")
    assert (row["status"], row["error"], row["substatus"]) == ("failed", "CountViolation",
                                                               UNLICENSED)
    assert row["detail"].startswith(f"CountViolation: {meaning}") and "30 days" in row["detail"]
    assert [c for c, _ in v.reasons] == [USERS_UNLICENSED, "USERS_FAILED"]

    read2, subs2, _ = _contoso_after(
        tenant, plan, {upns[1]}, fmt="graph-json", folder=tmp_path / "b",
        target_rows={"sku_part_number": plan.target["sku_part_number"],
                     "sku_id": plan.target["sku_id"], "product_name": plan.target["sku_id"],
                     "state": "ActiveWithError", "error": "CountViolation",
                     "assigned_directly": True})
    v2 = verify_tables(plan, read2.table, subs2, catalog, after_format=read2.format)
    assert v2.status.set_index("upn").loc[upns[1], "substatus"] == UNLICENSED
    assert dict(v2.reasons)[USERS_UNLICENSED] == (upns[1],)


def test_a_user_failed_while_still_on_e4_is_not_unlicensed():
    """The target in error but E4 still held: failed, not unlicensed (the user still has a
    license, and the remaining swap still removes E4 in the same call)."""
    plan = e4_users("a@x.dk")
    v = verify_tables(plan, after_of(lic("a@x.dk", E4), lic("a@x.dk", E5, state="Error",
                                                             error="CountViolation")),
                      None, CATALOG)
    assert row_of(v, "a@x.dk")["substatus"] == ""
    assert USERS_UNLICENSED not in dict(v.reasons) and v.add_only_action_ids == ()


def test_skipped_or_reclaimed_users_without_licenses_are_not_unlicensed():
    """Only users the plan moves count: a reclaimed blocked account is meant to end with no
    E4, and a skipped user was never to get the target."""
    plan = plan_for(lic("blocked@x.dk", E4, enabled=False), lic("keep@x.dk", E4),
                    lic("a@x.dk", E4), reclaim_blocked=True, exclude_users=["keep@x.dk"])
    v = verify_tables(plan, after_of(lic("blocked@x.dk", enabled=False), lic("keep@x.dk"),
                                     lic("a@x.dk", E5)), subs(consumed=0), CATALOG)
    assert v.safe_to_cancel and (v.status["substatus"] == "").all()


def test_an_unlicensed_group_member_does_not_keep_its_group_swap():
    """A member who lost E4 without the target keeps its own row (listed for the admin), but
    not the group's swap: the group has no E4 left to remove, so that call would fail."""
    plan = plan_for(lic("m1@x.dk", E4, direct=False, groups=(GROUP,)),
                    lic("m2@x.dk", E4, direct=False, groups=(GROUP,)))
    t = plan.table
    v = verify_tables(plan, after_of(lic("m1@x.dk"), lic("m2@x.dk", E5, direct=False,
                                                         groups=(GROUP,))), None, CATALOG)
    member = t.loc[(t["kind"] == "group-member") & (t["upn"] == "m1@x.dk"), "action_id"].iat[0]
    assert v.remaining_action_ids == (member,)
    assert dict(v.reasons)[USERS_UNLICENSED] == ("m1@x.dk",)
    assert "group " + GROUP in row_of(v, "m1@x.dk")["fix"]


@pytest.mark.parametrize(("code", "n", "lang", "expect"), [
    (USERS_UNLICENSED, 1, "en", "Urgent: 1 user the plan moves holds neither"),
    (USERS_UNLICENSED, 2, "en", "Urgent: 2 users the plan moves hold neither"),
    (USERS_UNLICENSED, 1, "da", "Haster: 1 bruger, som planen flytter, har hverken"),
    (USERS_UNLICENSED, 2, "da", "Haster: 2 brugere, som planen flytter, har hverken"),
    ("SOURCE_HELD_DIRECT", 1, "en", "1 user still holds E4 assigned directly."),
    ("SOURCE_HELD_DIRECT", 3, "da", "3 brugere har stadig E4 tildelt direkte."),
])
def test_gate_reasons_read_right_in_both_languages(code, n, lang, expect):
    assert reason_text(code, n, lang).startswith(expect)


def test_every_gate_reason_has_english_and_danish_text_for_one_and_several():
    for code in REASON_CODES:
        for n in (0, 1, 2, 25):
            for lang in LANGUAGES:
                text = reason_text(code, n, lang)
                assert text and "{" not in text, (code, n, lang)
        assert "30" in reason_text(USERS_UNLICENSED, 1, "da")


@settings(max_examples=15, deadline=None)
@given(states=st.lists(_USER_STATES, min_size=1, max_size=6),
       fmt=st.sampled_from(sorted(_EXT)), consumed=st.one_of(st.none(), st.just(0)))
def test_gate_promise_holds_end_to_end_through_each_export_format(states, fmt, consumed):
    """The promise, read off the export itself: "safe to cancel" never appears while any row
    shows E4, or while a user the plan moves holds neither E4 nor a working target; "nothing
    left to run" never appears while such a user exists. After-states are written by the
    project's own writers in each format and read back as ``verify`` reads them (an
    admin-center CSV cannot show Error states: a target only in Error reads as no license).
    Sources: """ + _SOURCES
    plan = plan_for(*(lic(f"u{i}@x.dk", E4, disabled=("SWAY",)) for i in range(len(states))))
    rows = [row for i, state in enumerate(states) for row in _after_row(f"u{i}@x.dk", state)]
    rows.append(lic("anchor@x.dk", E5))
    with tempfile.TemporaryDirectory() as tmp:
        path = write_users(after_of(*rows), Path(tmp) / f"users.{_EXT[fmt]}", fmt,
                           catalog=CATALOG)
        read = exports.read_users(path, CATALOG)
    v = verify_tables(plan, read.table, None if consumed is None else subs(consumed), CATALOG,
                      after_format=read.format, after_carries=read.carries)
    t = read.table
    e4_rows = t["sku_part_number"] == E4
    working = (t["sku_part_number"] == E5) & (t["state"] != "Error") & ~(
        (t["state"] == "ActiveWithError") & (t["error"] == "CountViolation"))
    planned = {f"u{i}@x.dk" for i in range(len(states))}
    neither = planned - set(t.loc[e4_rows | working, "upn"])
    text = v.to_text()
    if v.safe_to_cancel:
        assert not e4_rows.any() and not neither and "YES" in text
    if neither:
        assert not v.safe_to_cancel and v.remaining is not None
        assert set(dict(v.reasons)[USERS_UNLICENSED]) == neither
        assert "nothing left to run" not in text and "Urgent" in text


def test_checklist_speaks_the_tenant_language():
    """The checklist goes through playbook.messages like every admin-facing text: a Danish
    tenant reads it in Danish (sources unchanged, e.g. "Cancel your subscription" [S8])."""
    cfg = TenantConfig(name="t", language="da")
    v = verify_tables(e4_users("a@x.dk"), after_of(lic("a@x.dk", E5)),
                      subs(consumed=0, enabled=30), CATALOG, config=cfg)
    got = {i.code: i for i in v.checklist}
    assert "kan ikke annulleres online" in got["REDUCE_TO_25_BEFORE_CANCEL"].text
    assert got["REDUCE_TO_25_BEFORE_CANCEL"].source == "S8"
