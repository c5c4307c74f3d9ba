"""verify_tables on hand-built plan tables and after exports: one behaviour per test."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from playbook.catalog import Catalog
from playbook.errors import EXIT_NOT_AN_AFTER_EXPORT, InputError, NotAnAfterExport
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.verification import (
    ERROR_CODES,
    SOURCE_CONSUMED_UNITS,
    SOURCE_HELD_BY_GROUP,
    SOURCE_HELD_DIRECT,
    STATUS_COLUMNS,
    STATUSES,
    USERS_FAILED,
    USERS_NOT_IN_EXPORT,
    USERS_PARTIAL,
    verify_tables,
)

E4, E5, E3 = "ENTERPRISEWITHSCAL", "ENTERPRISEPREMIUM", "ENTERPRISEPACK"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5_ID = "c7df2760-2c81-4ef7-b578-5b5392b571df"
SWAY_ID = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
GROUP = "00000000-0000-4000-8000-0000000000aa"


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.builtin()


_PREFIX = {"user-swap": "U", "group-swap": "G", "group-member": "M", "skip": "S",
           "reclaim": "F", "fix-usage-location": "F", "set-usage-location": "F"}


def action(n: int, upn: str, *, kind: str = "user-swap", disabled: tuple[str, ...] = (),
           after_skus: tuple[str, ...] = (E5,), batch: int = 1, group_id: str = "",
           reason_code: str = "") -> dict:
    """One plan-table row as playbook.planning writes it (members carry no SKUs of their own:
    their group's swap moves them)."""
    executed = kind in ("user-swap", "group-swap", "reclaim", "set-usage-location")
    adds = kind in ("user-swap", "group-swap")
    removes = adds or kind == "reclaim"
    return {
        "action_id": f"{_PREFIX[kind]}{n:05d}", "kind": kind, "batch": batch if executed else 0,
        "upn": upn, "group_id": group_id,
        "add_sku_id": E5_ID if adds else "", "add_sku_part_number": E5 if adds else "",
        "remove_sku_id": E4_ID if removes else "",
        "remove_sku_part_number": E4 if removes else "",
        "disabled_plans_after": disabled if adds else (), "after_skus": after_skus,
        "before_skus": (E4,), "reason_code": reason_code or ("excluded" if kind == "skip" else ""),
        "reason": "listed in exclude_users" if kind == "skip" else "",
    }


def plan_of(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def lic(upn: str, part: str = "", *, disabled: tuple[str, ...] = (), state: str = "Active",
        error: str = "", direct: bool = True, groups: tuple[str, ...] = ()) -> dict:
    """One license-table row (part "" = the no-license row)."""
    return {
        "upn": upn, "sku_part_number": part, "product_name": part,
        "sku_id": {E4: E4_ID, E5: E5_ID}.get(part, ""), "disabled_plans": disabled,
        "state": state if part else "", "error": error, "assigned_directly": direct,
        "group_ids": groups, "usage_location": "DK",
    }


def after_of(*rows: dict) -> pd.DataFrame:
    return normalize_license_table(pd.DataFrame(list(rows)))


def subs(consumed: int, enabled: int = 50) -> pd.DataFrame:
    return normalize_subscription_table(pd.DataFrame([
        {"sku_id": E4_ID, "sku_part_number": E4, "enabled": enabled, "consumed": consumed},
        {"sku_id": E5_ID, "sku_part_number": E5, "enabled": 100, "consumed": 10},
    ]))


def status_of(v, upn: str) -> str:
    rows = v.status[v.status["upn"] == upn]
    assert len(rows) == 1, rows
    return rows["status"].iat[0]


def reason_users(v, code: str) -> tuple[str, ...] | None:
    return dict(v.reasons).get(code)


# --- statuses ---------------------------------------------------------------------------------


def test_all_moved_opens_the_gate(catalog):
    plan = plan_of(action(1, "a@x.dk", disabled=("SWAY",)), action(2, "b@x.dk"))
    after = after_of(lic("a@x.dk", E5, disabled=("SWAY",)), lic("b@x.dk", E5))
    v = verify_tables(plan, after, subs(consumed=0), catalog)
    assert v.safe_to_cancel is True
    assert v.reasons == ()
    assert v.status_counts == {"moved": 2, "pending": 0, "partial": 0, "failed": 0,
                               "drifted": 0, "unexpected": 0}
    assert v.remaining is None and v.remaining_actions == 0
    assert list(v.status.columns) == list(STATUS_COLUMNS)


def test_pending_user_keeps_gate_closed_and_stays_in_remaining_plan(catalog):
    plan = plan_of(action(1, "a@x.dk"), action(2, "b@x.dk", batch=2))
    after = after_of(lic("a@x.dk", E5), lic("b@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "b@x.dk") == "pending"
    assert not v.safe_to_cancel
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("b@x.dk",)
    assert v.remaining_action_ids == ("U00002",)
    assert list(v.remaining["action_id"]) == ["U00002"]
    assert v.to_dict()["remaining_actions"] == 1


def test_partial_user_is_a_gate_reason_of_its_own(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "partial"
    assert reason_users(v, USERS_PARTIAL) == ("a@x.dk",)
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("a@x.dk",)
    assert v.remaining_action_ids == ("U00001",)


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_each_graph_error_code_fails_the_user_with_its_explanation(catalog, code):
    plan = plan_of(action(1, "a@x.dk"), action(2, "b@x.dk"))
    after = after_of(
        lic("a@x.dk", E4),
        lic("a@x.dk", E5, state="Error", error=code, direct=False, groups=(GROUP,)),
        lic("b@x.dk", E5),
    )
    v = verify_tables(plan, after, subs(consumed=1), catalog)
    row = v.status[v.status["upn"] == "a@x.dk"].iloc[0]
    meaning, fix = ERROR_CODES[code]
    assert row["status"] == "failed"
    assert row["error"] == code
    assert row["detail"] == f"{code}: {meaning}"
    assert row["fix"] == fix
    assert reason_users(v, USERS_FAILED) == ("a@x.dk",)
    assert v.error_counts == {code: 1}
    assert v.to_dict()["errors"] == {code: 1}
    assert status_of(v, "b@x.dk") == "moved"


def test_error_state_without_a_code_is_reported_as_other(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    after = after_of(lic("a@x.dk", E5, state="ActiveWithError"))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "failed"
    assert v.error_counts == {"Other": 1}


def test_graph_none_error_text_is_no_error(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    v = verify_tables(plan, after_of(lic("a@x.dk", E5, error="None")), None, catalog)
    assert status_of(v, "a@x.dk") == "moved"


def test_error_on_an_unrelated_product_does_not_fail_the_move(catalog):
    plan = plan_of(action(1, "a@x.dk", after_skus=(E5, "MCOEV")))
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", "MCOEV", state="ActiveWithError",
                                            error="CountViolation"))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "moved"
    assert v.safe_to_cancel


def test_drift_in_disabled_plans_is_named_and_does_not_block(catalog):
    plan = plan_of(action(1, "a@x.dk", disabled=("SWAY", "TEAMS1")))
    after = after_of(lic("a@x.dk", E5, disabled=("SWAY",)))
    v = verify_tables(plan, after, subs(consumed=0), catalog)
    row = v.status.iloc[0]
    assert row["status"] == "drifted"
    assert "teams1" in row["detail"]
    assert v.safe_to_cancel  # drift is a settings fix, not a reason to keep E4
    assert v.remaining is None


def test_disabled_plans_compare_by_name_or_guid_and_case(catalog):
    plan = plan_of(action(1, "a@x.dk", disabled=("SWAY",)))
    after = after_of(lic("a@x.dk", E5, disabled=(SWAY_ID.upper(),)))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "a@x.dk") == "moved"


def test_lost_both_licenses_is_unexpected(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    v = verify_tables(plan, after_of(lic("a@x.dk", "STANDARDPACK"), lic("b@x.dk")), None,
                      catalog)
    assert status_of(v, "a@x.dk") == "unexpected"
    assert "holds neither" in v.status.iloc[0]["detail"]
    assert v.safe_to_cancel  # nobody holds E4 any more


def test_licenses_outside_the_plan_are_unexpected_with_what_changed(catalog):
    plan = plan_of(action(1, "a@x.dk", after_skus=(E5, "SHAREPOINTSTORAGE")))
    after = after_of(lic("a@x.dk", E5), lic("a@x.dk", "MCOEV"))
    v = verify_tables(plan, after, None, catalog)
    detail = v.status.iloc[0]["detail"]
    assert status_of(v, "a@x.dk") == "unexpected"
    assert "lost SHAREPOINTSTORAGE" in detail and "gained MCOEV" in detail


def test_planned_user_missing_from_export_blocks_unless_subscriptions_prove_zero(catalog):
    plan = plan_of(action(1, "a@x.dk"), action(2, "gone@x.dk"))
    after = after_of(lic("a@x.dk", E5))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "gone@x.dk") == "unexpected"
    assert reason_users(v, USERS_NOT_IN_EXPORT) == ("gone@x.dk",)
    assert not v.safe_to_cancel
    v2 = verify_tables(plan, after, subs(consumed=0), catalog)
    assert v2.safe_to_cancel


def test_e4_holder_outside_the_plan_is_unexpected_and_blocks(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    after = after_of(lic("a@x.dk", E5), lic("new@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    row = v.status[v.status["upn"] == "new@x.dk"].iloc[0]
    assert row["status"] == "unexpected" and row["action_id"] == ""
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("new@x.dk",)
    assert v.remaining is None  # nothing in the plan can move them: plan again


def test_consumed_units_block_even_when_no_user_shows_e4(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    v = verify_tables(plan, after_of(lic("a@x.dk", E5)), subs(consumed=3), catalog)
    assert reason_users(v, SOURCE_CONSUMED_UNITS) == ()
    assert not v.safe_to_cancel
    assert v.to_dict()["reasons"] == [{"code": SOURCE_CONSUMED_UNITS, "users": []}]


def test_skipped_user_still_on_e4_is_pending_with_the_reason(catalog):
    plan = plan_of(action(1, "a@x.dk"), action(2, "keep@x.dk", kind="skip", after_skus=(E4,)))
    after = after_of(lic("a@x.dk", E5), lic("keep@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    row = v.status[v.status["upn"] == "keep@x.dk"].iloc[0]
    assert row["status"] == "pending"
    assert "listed in exclude_users" in row["detail"]
    assert reason_users(v, SOURCE_HELD_DIRECT) == ("keep@x.dk",)


def test_reclaim_done_when_e4_is_gone(catalog):
    plan = plan_of(action(1, "blocked@x.dk", kind="reclaim", after_skus=()),
                   action(2, "late@x.dk", kind="reclaim", after_skus=()))
    after = after_of(lic("blocked@x.dk"), lic("late@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert status_of(v, "blocked@x.dk") == "moved"
    assert status_of(v, "late@x.dk") == "pending"
    assert v.remaining_action_ids == ("F00002",)


# --- groups -----------------------------------------------------------------------------------


def group_plan(*members: str, disabled: tuple[str, ...] = ()) -> pd.DataFrame:
    return plan_of(action(1, "", kind="group-swap", group_id=GROUP, disabled=disabled, batch=2),
                   *(action(i + 1, m, kind="group-member", group_id=GROUP)
                     for i, m in enumerate(members)))


def test_group_members_still_on_e4_in_error_or_moved(catalog):
    plan = group_plan("m1@x.dk", "m2@x.dk", "m3@x.dk", disabled=("SWAY",))
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
    assert GROUP in v.status.loc[v.status["upn"] == "m1@x.dk", "detail"].iat[0]
    assert status_of(v, "m2@x.dk") == "moved"
    assert status_of(v, "m3@x.dk") == "failed"
    assert "Reprocess" in v.status.loc[v.status["upn"] == "m3@x.dk", "fix"].iat[0]
    assert "other@x.dk" not in set(v.status["upn"])
    g = v.group_status.iloc[0]
    assert (g["action_id"], g["members_seen"], g["members_with_source"], g["members_in_error"],
            g["members_moved"], g["status"]) == ("G00001", 3, 1, 1, 1, "errors")
    assert reason_users(v, SOURCE_HELD_BY_GROUP) == ("m1@x.dk", "m3@x.dk")
    assert v.groups_holding_source == (GROUP,)
    assert reason_users(v, SOURCE_HELD_DIRECT) is None
    # the members still on E4 and their group's swap run again
    assert v.remaining_action_ids == ("G00001", "M00001", "M00003")
    groups = v.to_dict()["groups"]
    assert groups[0]["members_seen"] == 3 and isinstance(groups[0]["members_seen"], int)


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
    row = v.status[v.status["upn"] == "late@x.dk"].iloc[0]
    assert row["status"] == "unexpected" and GROUP in row["detail"]
    assert reason_users(v, SOURCE_HELD_BY_GROUP) == ("late@x.dk",)


def test_already_on_target_rows_are_not_counted_unless_e4_returns(catalog):
    plan = plan_of(action(1, "a@x.dk"),
                   action(2, "t1@x.dk", kind="skip", reason_code="already-on-target"),
                   action(3, "t2@x.dk", kind="skip", reason_code="already-on-target"))
    after = after_of(lic("a@x.dk", E5), lic("t1@x.dk", E5), lic("t2@x.dk", E5),
                     lic("t2@x.dk", E4))
    v = verify_tables(plan, after, None, catalog)
    assert set(v.status["upn"]) == {"a@x.dk", "t2@x.dk"}
    assert status_of(v, "t2@x.dk") == "unexpected"


def test_set_usage_location_rides_along_while_location_is_unset(catalog):
    plan = plan_of(action(1, "a@x.dk", kind="set-usage-location"), action(2, "a@x.dk"),
                   action(3, "b@x.dk", kind="set-usage-location"), action(4, "b@x.dk"))
    after = after_of({**lic("a@x.dk", E4), "usage_location": ""},
                     {**lic("b@x.dk", E4), "usage_location": "DK"})
    v = verify_tables(plan, after, None, catalog)
    assert len(v.status) == 2  # one row per user, not per preparation step
    assert v.remaining_action_ids == ("F00001", "U00002", "U00004")


def test_fix_usage_location_user_with_location_now_set_is_told_to_plan_again(catalog):
    plan = plan_of(action(1, "a@x.dk", kind="fix-usage-location", after_skus=(E4,)))
    v = verify_tables(plan, after_of(lic("a@x.dk", E4)), None, catalog)
    row = v.status.iloc[0]
    assert row["status"] == "pending" and "(DK)" in row["detail"]
    assert "plan again" in row["fix"]


# --- contract and refusals --------------------------------------------------------------------


def test_to_dict_has_the_contract_keys_and_is_json(catalog):
    plan = plan_of(action(1, "a@x.dk"), action(2, "b@x.dk"))
    after = after_of(lic("a@x.dk", E5), lic("b@x.dk", E4))
    d = verify_tables(plan, after, None, catalog).to_dict()
    for key in ("tenant", "safe_to_cancel", "reasons", "status_counts", "remaining_actions"):
        assert key in d
    assert set(d["status_counts"]) == set(STATUSES)
    assert d["status_counts"]["pending"] == 1 and d["status_counts"]["moved"] == 1
    assert all(set(r) == {"code", "users"} for r in d["reasons"])
    json.dumps(d)


def test_to_text_names_the_verdict_and_the_fix(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    after = after_of(lic("a@x.dk", E4),
                     lic("a@x.dk", E5, state="Error", error="CountViolation"))
    text = verify_tables(plan, after, None, catalog).to_text()
    assert "Safe to cancel ENTERPRISEWITHSCAL: NO" in text
    assert "a@x.dk" in text and ERROR_CODES["CountViolation"][1] in text


def test_export_sharing_no_user_is_not_an_after_export(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    with pytest.raises(NotAnAfterExport) as exc:
        verify_tables(plan, after_of(lic("z@other.com", E5)), None, catalog,
                      after_source="after/users.json")
    assert exc.value.exit_code == EXIT_NOT_AN_AFTER_EXPORT
    assert "after/users.json" in exc.value.one_line()


def test_export_without_any_license_is_refused(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    with pytest.raises(InputError) as exc:
        verify_tables(plan, after_of(lic("a@x.dk")), None, catalog)
    assert exc.value.exit_code == 2


def test_results_log_adds_detail_but_never_changes_the_status(catalog):
    plan = plan_of(action(1, "a@x.dk"), action(2, "b@x.dk"))
    after = after_of(lic("a@x.dk", E4), lic("b@x.dk", E5))
    # the script's results CSV: Done for a (the export disagrees), b failed once then retried
    log = pd.DataFrame({
        "action_id": ["U00001", "U00002", "U00002", "U00001"],
        "kind": "user-swap", "batch": "1",
        "target": ["a@x.dk", "b@x.dk", "b@x.dk", "someone-else@x.dk"],
        "outcome": ["Done", "Failed", "Done", "Failed"],
        "attempts": ["1", "1", "3", "1"],
        "message": ["", "'-1 Request_BadRequest", "", "from another plan"],
    })
    v = verify_tables(plan, after, None, catalog, results_log=log)
    a = v.status[v.status["upn"] == "a@x.dk"].iloc[0]
    b = v.status[v.status["upn"] == "b@x.dk"].iloc[0]
    assert a["status"] == "pending"  # the script said Done; the export decides
    assert a["detail"].endswith("; script: Done")
    assert "from another plan" not in a["detail"]
    assert "script: Failed (-1 Request_BadRequest); script: Done after 3 attempts" in b["detail"]
    assert b["status"] == "moved"


def test_many_users_vectorized(catalog):
    n = 20_000
    upns = [f"u{i:05d}@x.dk" for i in range(n)]
    plan = pd.DataFrame([action(i + 1, u, disabled=("SWAY",)) for i, u in enumerate(upns)])
    rows = [lic(u, E5, disabled=("SWAY",)) for u in upns[: n - 100]]
    rows += [lic(u, E4) for u in upns[n - 100:]]
    v = verify_tables(plan, after_of(*rows), None, catalog)
    assert v.status_counts["moved"] == n - 100
    assert v.status_counts["pending"] == 100
    assert len(dict(v.reasons)[SOURCE_HELD_DIRECT]) == 100


# --- the I/O edge and the command -------------------------------------------------------------


@pytest.fixture
def synth_folder(tmp_path):
    """A small made-up tenant folder with a plan written to runs/ (as `e4-playbook plan` does)."""
    from playbook.artifacts import write_artifacts
    from playbook.planning import build_plan
    from playbook.synth import synth_tenant, write_tenant_folder
    from playbook.tenant import load_tenant

    folder = write_tenant_folder(tmp_path / "t1", synth_tenant(80, seed=5, name="t1"),
                                 config={"default_usage_location": "DK"})
    tenant = load_tenant(folder)
    plan = build_plan(tenant)
    runs = tmp_path / "runs"
    write_artifacts(plan, runs / "t1" / "manual")
    return folder, tenant, plan, runs


def write_after(folder, table, name="users.json"):
    from playbook.synth import write_users

    return write_users(table, folder / "after" / name, "graph-json")


def test_verify_reads_the_newest_plan_and_the_after_folder(synth_folder):
    from simulator import apply_plan

    from playbook.verification import verify

    folder, tenant, plan, runs = synth_folder
    write_after(folder, apply_plan(tenant.licenses, plan))
    v = verify(tenant, runs_dir=runs)
    assert v.tenant == "t1"
    assert v.safe_to_cancel
    moved_users = plan.table["kind"].isin(["user-swap", "group-member"]).sum()
    assert v.status_counts["moved"] == moved_users
    assert v.remaining is None


def test_byte_identical_after_export_exits_4(synth_folder):
    from playbook.verification import verify

    folder, tenant, _plan, runs = synth_folder
    with pytest.raises(NotAnAfterExport) as exc:
        verify(tenant, after=tenant.users_file, runs_dir=runs)
    assert exc.value.exit_code == 4 and "byte-identical" in exc.value.message


def test_another_tenants_export_exits_4(synth_folder, tmp_path):
    from playbook.synth import synth_tenant, write_users
    from playbook.verification import verify

    _folder, tenant, _plan, runs = synth_folder
    other = synth_tenant(30, seed=9, domain="fabrikam.example")
    path = write_users(other.truth, tmp_path / "other" / "users.json", "graph-json")
    with pytest.raises(NotAnAfterExport) as exc:
        verify(tenant, after=path, runs_dir=runs)
    assert "another tenant" in exc.value.message


def test_no_plan_yet_says_run_plan_first(synth_folder, tmp_path):
    from playbook.verification import verify

    _folder, tenant, _plan, _runs = synth_folder
    with pytest.raises(InputError) as exc:
        verify(tenant, runs_dir=tmp_path / "empty")
    assert "run e4-playbook plan first" in exc.value.one_line()


def test_plan_of_another_tenant_is_refused(synth_folder, tmp_path):
    from playbook.artifacts import write_artifacts
    from playbook.planning import build_plan_from_tables
    from playbook.synth import synth_tenant
    from playbook.table import normalize_license_table
    from playbook.tenant import TenantConfig
    from playbook.verification import verify

    folder, tenant, _plan, runs = synth_folder
    other = synth_tenant(20, seed=2, name="t2")
    p2 = build_plan_from_tables(TenantConfig(name="t2"), normalize_license_table(other.table),
                                other.subscriptions, tenant.catalog)
    out = write_artifacts(p2, tmp_path / "p2")
    write_after(folder, tenant.licenses)
    with pytest.raises(InputError) as exc:
        verify(tenant, plan_dir=out, runs_dir=runs)
    assert "made for tenant 't2'" in exc.value.one_line()


def test_results_log_beside_the_plan_is_read(synth_folder):
    from simulator import apply_plan

    from playbook.verification import verify

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


def test_cli_verify_json_and_exit_codes(synth_folder, monkeypatch):
    from click.testing import CliRunner
    from simulator import apply_plan

    from playbook.cli import main

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


def test_user_moved_outside_the_plan_counts_as_moved(catalog):
    plan = plan_of(action(1, "a@x.dk"),
                   action(2, "loc@x.dk", kind="fix-usage-location", after_skus=(E4, "FLOW_FREE")))
    v = verify_tables(plan, after_of(lic("a@x.dk", E5), lic("loc@x.dk", E5)), None, catalog)
    row = v.status.iloc[1]
    assert row["status"] == "moved" and "moved outside this plan" in row["detail"]


def test_format_without_disabled_plans_reports_no_drift_but_says_so(catalog):
    plan = plan_of(action(1, "a@x.dk", disabled=("SWAY",)))
    after = after_of(lic("a@x.dk", E5))  # an admin-center export shows no disabled plans
    v = verify_tables(plan, after, None, catalog, after_format="admin-center")
    assert status_of(v, "a@x.dk") == "moved"
    assert any("drift was not checked" in w for w in v.warnings)
    v2 = verify_tables(plan, after, None, catalog, after_format="graph-json")
    assert status_of(v2, "a@x.dk") == "drifted"
    assert not any("drift" in w for w in v2.warnings)


def test_tables_that_are_not_a_plan_or_a_license_table_are_one_line_errors(catalog):
    plan = plan_of(action(1, "a@x.dk"))
    with pytest.raises(InputError, match="not a license table"):
        verify_tables(plan, pd.DataFrame({"upn": ["a@x.dk"]}), None, catalog)
    with pytest.raises(InputError, match="not a plan"):
        verify_tables(pd.DataFrame({"upn": ["a@x.dk"]}), after_of(lic("a@x.dk", E5)), None,
                      catalog)
