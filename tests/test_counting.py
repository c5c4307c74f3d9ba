"""License counting on small hand-built tables: every figure asserted by value."""

from __future__ import annotations

import pytest
from builders import lic, subs

from playbook.catalog import Catalog
from playbook.counting import COUNT_KEYS, SUBSCRIPTION_FIGURES, count_licenses
from playbook.errors import InputError
from playbook.tenant import TenantConfig

E4 = "ENTERPRISEWITHSCAL"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5 = "ENTERPRISEPREMIUM"
E3 = "ENTERPRISEPACK"

CATALOG = Catalog.builtin()






def count(licenses, subscriptions=None, **cfg):
    return count_licenses(TenantConfig(name="t", **cfg), licenses, subscriptions, CATALOG)


def test_user_with_direct_and_group_e4_counts_once():
    t = lic(
        {"upn": "a@x"},
        {"upn": "b@x", "assigned_directly": False, "group_ids": ("g1",)},
        {"upn": "c@x", "assigned_directly": True, "group_ids": ("g1", "g2")},
        {"upn": "c@x", "sku_part_number": "FLOW_FREE"},
        {"upn": "d@x", "sku_part_number": ""},
    )
    c = count(t)
    assert (c.source_users, c.source_direct, c.source_group) == (3, 2, 2)


def test_rows_matched_by_sku_id_when_part_number_missing():
    t = lic({"upn": "a@x", "sku_part_number": "", "sku_id": E4_ID},
            {"upn": "b@x", "sku_part_number": "enterprisewithscal "})
    assert count(t).source_users == 2


def test_purchased_available_and_to_buy():
    t = lic(*({"upn": f"u{i}@x"} for i in range(10)),
            {"upn": "u0@x", "sku_part_number": E5})  # u0 already holds the target
    s = subs({"sku_part_number": E4, "enabled": 8, "warning": 1, "suspended": 2, "consumed": 10},
             {"sku_part_number": E5, "enabled": 5, "warning": 3, "consumed": 1})
    c = count(t, s)
    assert c.source_purchased == 9           # held: enabled + warning; suspended is no seat
    assert c.target_purchased == 8
    assert c.target_consumed == 1
    assert c.target_available == 4           # only enabled units are assignable
    assert c.already_on_target == 1
    assert c.need_target == 9
    assert c.to_buy == 5
    assert c.unknown == ()


def test_target_absent_from_subscriptions_is_zero_not_unknown():
    c = count(lic({"upn": "a@x"}, {"upn": "b@x"}), subs({"sku_part_number": E4, "enabled": 2}))
    assert (c.target_purchased, c.target_consumed, c.target_available) == (0, 0, 0)
    assert c.to_buy == 2


def test_available_never_negative_when_over_assigned():
    c = count(lic({"upn": "a@x"}), subs({"sku_part_number": E5, "enabled": 3, "consumed": 5}))
    assert c.target_available == 0
    assert c.to_buy == 1


def test_no_subscriptions_leaves_figures_unknown():
    c = count(lic({"upn": "a@x"}))
    for key in SUBSCRIPTION_FIGURES:
        assert getattr(c, key) is None
    assert c.unknown == SUBSCRIPTION_FIGURES
    assert c.source_users == 1


def test_reclaimable_is_blocked_not_excluded_and_reclaim_blocked_buys_fewer():
    t = lic({"upn": "a@x"},
            {"upn": "b@x", "account_enabled": False},
            {"upn": "c@x", "account_enabled": False},
            {"upn": "d@x", "account_enabled": False, "sku_part_number": E3})  # no E4
    s = subs({"sku_part_number": E4, "enabled": 3})
    c = count(t, s, exclude_users=("C@X",))
    assert c.blocked_with_source == 2
    assert c.reclaimable == 1                # c@x is excluded, d@x holds no E4
    assert c.to_buy == 3                     # reclaim not chosen: everyone needs the target
    c2 = count(t, s, exclude_users=("c@x",), reclaim_blocked=True)
    assert c2.reclaimable == 1 and c2.to_buy == 2


def test_missing_usage_location_counts_e4_users_only():
    t = lic({"upn": "a@x", "usage_location": ""},
            {"upn": "b@x", "usage_location": "  "},
            {"upn": "c@x", "usage_location": "", "sku_part_number": E3},
            {"upn": "d@x"})
    assert count(t).missing_usage_location == 2


def test_in_error_counts_involved_users_once():
    t = lic({"upn": "a@x", "state": "Error", "error": "CountViolation"},
            {"upn": "b@x"},
            {"upn": "b@x", "sku_part_number": "EMS", "state": "ActiveWithError",
             "error": "DependencyViolation"},
            {"upn": "b@x", "sku_part_number": "FLOW_FREE", "state": "Error", "error": "Other"},
            {"upn": "c@x", "sku_part_number": E5, "state": "Error", "error": "CountViolation"},
            {"upn": "z@x", "sku_part_number": E3, "state": "Error", "error": "Other"})
    c = count(t)
    assert c.in_error == 3                   # a (E4), b (E4 user, other SKUs), c (target row)
    assert c.already_on_target == 0          # c's target row is in Error: not held


def test_to_dict_has_exactly_the_contract_keys():
    d = count(lic({"upn": "a@x"})).to_dict()
    assert tuple(d) == COUNT_KEYS
    assert d["source_users"] == 1 and d["to_buy"] is None


def test_empty_license_table_counts_zero():
    c = count(lic({"upn": "a@x"}).iloc[0:0], subs({"sku_part_number": E4, "enabled": 0}))
    assert c.source_users == 0 and c.to_buy == 0 and c.in_error == 0


def test_unknown_target_is_bad_input():
    with pytest.raises(InputError) as exc:
        count(lic({"upn": "a@x"}), target="NOT_A_PLAN")
    assert "target" in str(exc.value) and "NOT_A_PLAN" in str(exc.value)


def test_this_round_counts_users_inside_the_limits():
    """Left over of issue #13: ``to_buy`` is the whole move; a round limited by
    ``only_departments``/``only_users``/``exclude_users`` (matched like the plan: department
    case-insensitive, UPN or user id) and capped by ``max_users`` has its own need (inference:
    a count of the playbook's own round, no Microsoft figure)."""
    t = lic({"upn": "a@x", "department": "Sales"}, {"upn": "b@x", "department": " sales "},
            {"upn": "c@x", "department": "IT", "user_id": "id-c"}, {"upn": "d@x"})
    s = subs({"sku_part_number": E4, "enabled": 4, "consumed": 4},
             {"sku_part_number": E5, "enabled": 1})
    whole = count(t, s)
    assert (whole.to_buy, whole.round_dict()) == (3, None)
    sales = count(t, s, only_departments=("SALES",))
    assert sales.to_buy == 3
    assert sales.round_dict() == {"limits": {"only_departments": 1}, "need_target": 2,
                                  "to_buy": 1}
    by_id = count(t, s, only_users=("ID-C", "a@x"), exclude_users=("a@x",))
    assert (by_id.round_need_target, by_id.round_to_buy) == (1, 0)
    assert count(t, None, max_users=3).round_dict()["to_buy"] is None


# -- "Buy N": one figure with its breakdown (issue 17) ---------------------------------------
def _waiting_tenant():
    """Ten E4 users: three direct without a usage location, one of them also in a group."""
    rows = [{"upn": f"u{i}@x"} for i in range(7)]
    rows += [{"upn": "n1@x", "usage_location": ""}, {"upn": "n2@x", "usage_location": ""},
             {"upn": "n3@x", "usage_location": "", "group_ids": ("g1",)}]
    return lic(*rows), subs({"sku_part_number": E4, "enabled": 10, "consumed": 10},
                            {"sku_part_number": E5, "enabled": 5, "consumed": 0})


def test_buy_splits_now_and_once_usage_locations_are_set():
    t, s = _waiting_tenant()
    c = count(t, s)
    # 10 need the target, 5 free; n1 and n2 wait for a location (n3's group assigns anyway)
    assert (c.buy.total, c.buy.now, c.buy.once_usage_locations_set) == (5, 3, 2)
    assert c.buy.total == c.to_buy
    assert c.buy.to_text("en", "Office 365 E5") == (
        "Buy 5 Office 365 E5 licenses (3 now + 2 once usage locations are set)")
    assert c.buy.to_text("da", "Office 365 E5") == (
        "Køb 5 Office 365 E5 licenser (3 nu + 2, når placering for anvendelse er angivet)")


def test_buy_with_a_default_usage_location_is_all_now():
    t, s = _waiting_tenant()
    c = count(t, s, default_usage_location="DK")
    assert (c.buy.total, c.buy.now, c.buy.once_usage_locations_set) == (5, 5, 0)
    assert c.buy.to_text("en", "Office 365 E5") == "Buy 5 Office 365 E5 licenses"


def test_buy_unknown_and_none():
    t, s = _waiting_tenant()
    assert count(t).buy.to_dict() == {"total": None, "now": None,
                                      "once_usage_locations_set": None}
    assert "unknown" in count(t).buy.to_text("en", "X")
    many = subs({"sku_part_number": E4, "enabled": 10, "consumed": 10},
                {"sku_part_number": E5, "enabled": 40, "consumed": 0})
    assert count(t, many).buy.total == 0
    assert count(t, many).buy.to_text("en", "X").startswith("Buy: none")
