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


@settings(max_examples=60, deadline=None)
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
