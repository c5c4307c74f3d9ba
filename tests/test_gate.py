"""The cancellation gate and the checklist beside it."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_verification import (
    E4,
    E5,
    GROUP,
    action,
    after_of,
    lic,
    plan_of,
    subs,
)

from playbook.cancellation import (
    MCA_REFUND_DAYS,
    SourceSeats,
    cancellation_checklist,
    source_seats,
)
from playbook.catalog import Catalog
from playbook.tenant import TenantConfig
from playbook.verification import verify_tables

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
    v = verify_tables(plan_of(action(1, "a@x.dk")), after_of(lic("a@x.dk", E5)),
                      subs(consumed=0, enabled=12), CATALOG, config=cfg)
    got = {i.code: i for i in v.checklist}
    assert "REFUND_WINDOW_MCA" in got and "WHO_MAY_CANCEL_MOSA" not in got
    assert "t.dk" in got["REMOVE_CUSTOM_DOMAINS"].text
    assert "reduce it by 12 to 0" in got["REDUCE_SEATS_BEFORE_RENEWAL"].text
    assert v.tenant == "t"
    assert [c["code"] for c in v.to_dict()["checklist"]] == list(got)


# --- the gate as a property -------------------------------------------------------------------

_USER_STATES = st.sampled_from(["moved", "pending", "partial", "failed", "drifted", "lost",
                                "group-pending", "group-moved"])


@settings(max_examples=30, deadline=None)
@given(states=st.lists(_USER_STATES, min_size=1, max_size=8),
       consumed=st.one_of(st.none(), st.integers(min_value=0, max_value=3)))
def test_gate_opens_exactly_when_nobody_holds_e4_and_nothing_failed(states, consumed):
    """Whatever mix of outcomes, the gate equals the rule written in the issue."""
    rows, actions = [], []
    for i, state in enumerate(states):
        upn = f"u{i}@x.dk"
        actions.append(action(i + 1, upn, disabled=("SWAY",)))
        if state == "moved":
            rows.append(lic(upn, E5, disabled=("SWAY",)))
        elif state == "pending":
            rows.append(lic(upn, E4))
        elif state == "partial":
            rows += [lic(upn, E5, disabled=("SWAY",)), lic(upn, E4)]
        elif state == "failed":
            rows += [lic(upn, E4), lic(upn, E5, state="Error", error="CountViolation")]
        elif state == "drifted":
            rows.append(lic(upn, E5))
        elif state == "lost":
            rows.append(lic(upn))
        elif state == "group-pending":
            rows.append(lic(upn, E4, direct=False, groups=(GROUP,)))
        else:
            rows.append(lic(upn, E5, direct=False, groups=(GROUP,), disabled=("SWAY",)))
    rows.append(lic("anchor@x.dk", E5))  # keeps at least one license in the export
    sub = None if consumed is None else subs(consumed=consumed)
    v = verify_tables(pd.DataFrame(actions), after_of(*rows), sub, CATALOG)

    holds_e4 = any(s in ("pending", "partial", "failed", "group-pending") for s in states)
    expected_open = not holds_e4 and not consumed
    assert v.safe_to_cancel is expected_open
    assert bool(v.reasons) is not expected_open
    reason_codes = {c for c, _ in v.reasons}
    assert ("USERS_FAILED" in reason_codes) is ("failed" in states)
    assert ("USERS_PARTIAL" in reason_codes) is ("partial" in states)
    assert ("SOURCE_HELD_BY_GROUP" in reason_codes) is ("group-pending" in states)
    assert ("SOURCE_CONSUMED_UNITS" in reason_codes) is bool(consumed)
    assert sum(v.status_counts.values()) == len(states)
    # nothing left to run exactly when every user is past E4
    assert (v.remaining is None) is (not holds_e4)


# --- the bundled sample tenants' after exports ------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

import after_scenarios as scen  # noqa: E402
from simulator import apply_plan  # noqa: E402

from playbook import exports  # noqa: E402
from playbook.plan.store import load_plan  # noqa: E402
from playbook.planning import build_plan_from_tables  # noqa: E402
from playbook.table import normalize_license_table  # noqa: E402
from playbook.tenant import load_tenant  # noqa: E402
from playbook.verification import verify_tables as _verify  # noqa: E402


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
    v = _verify(plan, read.table, subs, catalog, config=tenant.config, after_format=read.format)
    assert _verdict(v) == {k: expected[k] for k in _verdict(v)}
    assert v.tenant == tenant_name


def test_failed_scenario_explains_each_error_code(tenants):
    tenant = tenants["fabrikam-invoice"]
    plan = load_plan(scen.plan_path("fabrikam-invoice").parent)
    read, subs, catalog = _read_after(tenant, scen.users_path("fabrikam-invoice",
                                                              "failed-each-code"))
    v = _verify(plan, read.table, subs, catalog, after_format=read.format)
    failed = v.status[v.status["status"] == "failed"]
    assert sorted(failed["error"]) == sorted(scen.ERROR_CODES)
    assert all(row.detail.startswith(row.error) and row.fix for row in failed.itertuples())


def test_group_processing_scenario_reports_the_group(tenants):
    tenant = tenants["fabrikam-invoice"]
    plan = load_plan(scen.plan_path("fabrikam-invoice").parent)
    read, subs, catalog = _read_after(tenant, scen.users_path("fabrikam-invoice",
                                                              "group-processing"))
    v = _verify(plan, read.table, subs, catalog, after_format=read.format)
    groups = v.group_status.set_index("action_id")
    assert groups.loc["G00001", "status"] == "processing"
    assert groups.loc["G00001", "members_with_source"] == 6
    assert groups.loc["G00002", "status"] == "done"
    assert v.groups_holding_source == ("fa0000a1-0000-4000-8000-000000000001",)


def test_stored_plans_and_expectations_are_current(tenants, tmp_path):
    """The bundled files are what tests/after_scenarios.py makes from today's code."""
    from playbook.artifacts import render_artifacts
    from playbook.synth import write_users

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
    from click.testing import CliRunner

    from playbook.cli import main

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
    assert text.exit_code == 0 and "Safe to cancel ENTERPRISEWITHSCAL: YES" in text.output


# --- the next round: run the remaining plan on the simulator ----------------------------------


def _fixed(table):
    """The admin fixed every error's cause; reprocessing drops the failed assignments."""
    t = normalize_license_table(table)
    return t[t["state"] != "Error"].reset_index(drop=True)


def _next_round(tenant, plan, users: Path):
    read, subs, catalog = _read_after(tenant, users)
    v = _verify(plan, read.table, subs, catalog, after_format=read.format)
    assert v.remaining is not None
    after2 = apply_plan(_fixed(read.table), v.remaining)
    subs2 = scen.after_subscriptions(subs, after2)
    return v, _verify(plan, after2, subs2, catalog, after_format="graph-json"), after2, subs2


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
    v3 = _verify(plan3, after3, scen.after_subscriptions(subs2, after3), tenant.catalog)
    assert v3.safe_to_cancel, v3.reasons
    assert v3.status_counts["moved"] == len(left_by_plan)


def test_cli_writes_the_remaining_plan_for_the_next_round(tmp_path):
    from click.testing import CliRunner

    from playbook.cli import main

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
    from playbook.errors import InputError
    from playbook.verification import write_remaining

    v = verify_tables(plan_of(action(1, "a@x.dk")), after_of(lic("a@x.dk", E5)), None, CATALOG)
    with pytest.raises(InputError, match="nothing remains"):
        write_remaining(v, tmp_path)
    assert not any(tmp_path.iterdir())
