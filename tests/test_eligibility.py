"""Eligibility rules: each finding code on a tenant built to trigger it and one that does not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from builders import lic, subs
from paths import EXPECTED, TENANTS

from playbook.catalog import TARGET_PARTS, Catalog, ServicePlan, Sku
from playbook.eligibility import (
    CODE_ORDER,
    SEVERITIES,
    SEVERITY,
    SOURCES,
    add_business_days,
    assess,
    assess_tables,
    compare_targets,
    parse_start_date,
)
from playbook.errors import InputError
from playbook.tenant import Tenant, TenantConfig

E4 = "ENTERPRISEWITHSCAL"
E5 = "ENTERPRISEPREMIUM"
E3 = "ENTERPRISEPACK"
CATALOG = Catalog.builtin()


# -- builders ---------------------------------------------------------------------------------




def users(n: int, **extra) -> list[dict]:
    return [{"upn": f"u{i}@contoso.example", **extra} for i in range(n)]


def clean_tables(n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A tenant the Upgrade tab handles: n direct E4 users, n E4 licenses, one subscription."""
    return lic(*users(n)), subs({"sku_part_number": E4, "enabled": n, "consumed": n})


def run(licenses=None, subscriptions="clean", start_date=None, catalog=CATALOG,
        carries_disabled_plans=True, **cfg):
    clean_l, clean_s = clean_tables()
    licenses = clean_l if licenses is None else licenses
    subscriptions = clean_s if isinstance(subscriptions, str) else subscriptions
    return assess_tables(TenantConfig(name="contoso", **cfg), licenses, subscriptions, catalog,
                         start_date=start_date, carries_disabled_plans=carries_disabled_plans)


# -- the baseline -----------------------------------------------------------------------------
def test_clean_tenant_takes_upgrade_tab_with_only_downtime_warning():
    a = run()
    assert a.path == "upgrade-tab" and a.upgrade_tab_possible is True
    assert a.codes() == ("ADMIN_DOWNTIME", "CREDIT_CHECK_POSSIBLE")
    assert a.finding("ADMIN_DOWNTIME").evidence == {"users": 3, "credit_check": False}


def test_every_code_has_severity_source_and_order():
    assert set(SEVERITY) == set(SOURCES) == set(CODE_ORDER)
    assert set(SEVERITY.values()) <= set(SEVERITIES)


# -- channel ----------------------------------------------------------------------------------
def test_partner_channel_means_contact_partner():
    a = run(purchase_channel="partner")
    f = a.finding("PURCHASED_VIA_PARTNER")
    assert f.severity == "blocker"
    assert f.evidence == {"purchase_channel": "partner", "reseller_account_users": 0}
    assert a.path == "contact-partner" and not a.upgrade_tab_possible
    assert "ADMIN_DOWNTIME" not in a.codes()


def test_partner_detected_from_reseller_account_licenses():
    t = lic({"upn": "a@x", "product_name": "reseller-account:ENTERPRISEWITHSCAL"},
            {"upn": "b@x", "product_name": "Reseller-Account:ENTERPRISEWITHSCAL"},
            {"upn": "c@x", "product_name": "contoso:ENTERPRISEWITHSCAL"})
    a = run(t, subs({"sku_part_number": E4, "enabled": 3, "consumed": 3}))
    f = a.finding("PURCHASED_VIA_PARTNER")
    assert f.evidence["reseller_account_users"] == 2
    assert f.evidence["purchase_channel"] == "direct"
    assert "reseller-account" in f.message
    assert a.path == "contact-partner"


def test_direct_channel_has_no_channel_finding():
    codes = run(purchase_channel="direct").codes()
    assert "PURCHASED_VIA_PARTNER" not in codes
    assert "PURCHASED_VIA_VOLUME_LICENSING" not in codes


def test_volume_licensing_means_contact_partner():
    a = run(purchase_channel="volume-licensing")
    f = a.finding("PURCHASED_VIA_VOLUME_LICENSING")
    assert f.severity == "blocker" and f.evidence == {"purchase_channel": "volume-licensing"}
    assert a.path == "contact-partner"
    assert "PURCHASED_VIA_PARTNER" not in a.codes()


# -- seats ------------------------------------------------------------------------------------
def test_more_users_than_licenses():
    t = lic(*users(5), {"upn": "blocked@x", "account_enabled": False})
    a = run(t, subs({"sku_part_number": E4, "enabled": 4, "suspended": 3, "consumed": 6}))
    f = a.finding("MORE_USERS_THAN_LICENSES")
    assert f.severity == "blocker"
    # suspended units are not seats: 6 assigned against 4 held
    assert (f.evidence["assigned"], f.evidence["purchased"], f.evidence["over"]) == (6, 4, 2)
    assert f.evidence["reclaimable"] == 1
    assert a.path == "manual"


def test_more_users_from_count_violation_without_subscriptions():
    t = lic(*users(2), {"upn": "late@x", "state": "Error", "error": "CountViolation"})
    f = run(t, None).finding("MORE_USERS_THAN_LICENSES")
    assert f.evidence["count_violations"] == 1 and f.evidence["purchased"] is None
    assert "CountViolation" in f.message


def test_enough_licenses_no_seat_finding():
    t = lic(*users(4))
    a = run(t, subs({"sku_part_number": E4, "enabled": 3, "warning": 1, "consumed": 4}))
    assert "MORE_USERS_THAN_LICENSES" not in a.codes()  # warning units are still held


def test_seat_conflict_is_read_off_consumed_units_not_the_user_export():
    # Microsoft's conflict is consumed > held; an export taken before users were removed
    # (more rows than consumedUnits) does not make one.
    t = lic(*users(5))
    a = run(t, subs({"sku_part_number": E4, "enabled": 4, "consumed": 4}))
    assert "MORE_USERS_THAN_LICENSES" not in a.codes()


# -- subscription state -----------------------------------------------------------------------
def test_subscription_not_ready_status_and_plans():
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 3, "capability_status": "Suspended",
              "service_plans": (
                 ("EXCHANGE_S_ENTERPRISE", "efb87545-963c-4e0d-99df-69c6916d9eb0", "Success"),
                 ("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929", "PendingProvisioning"),
                 ("SWAY", "a23b959c-7ce8-4e57-9140-b90eb88a9e97", "Disabled"))})
    a = run(subscriptions=s)
    f = a.finding("SUBSCRIPTION_NOT_READY")
    assert f.severity == "blocker"
    assert f.evidence == {"not_enabled": {E5: "Suspended"},
                          "plans_not_provisioned": {"TEAMS1": "PendingProvisioning"}}
    assert a.path == "manual"


def test_enabled_and_provisioned_subscriptions_are_ready():
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 3, "service_plans": (
                 ("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929", "Success"),)})
    assert "SUBSCRIPTION_NOT_READY" not in run(subscriptions=s).codes()


def test_multiple_subscriptions_behind_e4():
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3,
              "subscription_ids": ("sub-b", "sub-a")})
    f = run(subscriptions=s).finding("MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT")
    assert f.severity == "blocker"
    assert f.evidence == {"subscriptions": 2, "subscription_ids": ["sub-a", "sub-b"]}


def test_one_subscription_behind_e4():
    assert "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT" not in run().codes()


# -- tenant.yaml facts ------------------------------------------------------------------------
@pytest.mark.parametrize("code, key", [
    ("PENDING_CHANGE_OR_CREDIT_CHECK", "pending_change"),
    ("PREPAID_PLAN", "prepaid"),
    ("UNPAID_BALANCE", "unpaid_balance"),
    ("GOVERNMENT_OR_NONPROFIT", "government_or_nonprofit"),
])
def test_billing_facts_block_the_upgrade_tab(code, key):
    on = run(**{key: True})
    f = on.finding(code)
    assert f.severity == "blocker" and f.evidence[key] is True
    assert on.path == "manual" and not on.upgrade_tab_possible
    off = run(**{key: False})
    assert code not in off.codes() and off.path == "upgrade-tab"


def test_government_detected_from_source_sku():
    gov = Sku("ENTERPRISEWITHSCAL_GOV", "00000000-0000-4000-8000-00000000e4e4", "E4 GCC",
              CATALOG.get(E4).service_plans)
    catalog = Catalog.layered(Catalog((gov,)), CATALOG)
    t = lic({"upn": "a@x", "sku_part_number": "ENTERPRISEWITHSCAL_GOV"})
    a = run(t, None, catalog=catalog, source="ENTERPRISEWITHSCAL_GOV")
    f = a.finding("GOVERNMENT_OR_NONPROFIT")
    assert f.evidence["government_sku"] is True and f.evidence["source"] == gov.part_number


# -- target choice ----------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["SPB", "STANDARDPACK"])
def test_target_with_fewer_data_services(target):
    a = run(target=target)
    f = a.finding("TARGET_FEWER_DATA_SERVICES")
    assert f.severity == "blocker"
    assert f.evidence["exchange_source"] == "EXCHANGE_S_ENTERPRISE"
    assert f.evidence["exchange_target"] == "EXCHANGE_S_STANDARD"
    assert f.evidence["sharepoint_target"] == "SHAREPOINTSTANDARD"
    assert a.path == "manual"


@pytest.mark.parametrize("target", TARGET_PARTS)
def test_microsoft_targets_keep_data_services(target):
    assert "TARGET_FEWER_DATA_SERVICES" not in run(target=target).codes()


@pytest.mark.parametrize("target", ["ENTERPRISEPACK", "SPE_E3"])
def test_e3_targets_lose_e4_features(target):
    f = run(target=target).finding("TARGET_LOSES_E4_FEATURES")
    assert f.severity == "warning"
    assert f.evidence["lacks"] == ["MCOVOICECONF"]
    assert f.evidence["phone_system"] is False


@pytest.mark.parametrize("target", [p for p in TARGET_PARTS if "E5" in p or "PREMIUM" in p])
def test_e5_targets_keep_e4_features(target):
    assert "TARGET_LOSES_E4_FEATURES" not in run(target=target).codes()


# -- add-ons ----------------------------------------------------------------------------------
def test_addons_and_those_the_target_includes():
    a = run(target=E5, addons=("MCOEV", "SHAREPOINTSTORAGE", "Some Unknown Add-on"))
    f = a.finding("HAS_ADDON")
    assert f.severity == "warning" and f.evidence["count"] == 3
    assert f.evidence["addons"] == ["Microsoft Teams Phone Standard",
                                    "Office 365 Extra File Storage", "Some Unknown Add-on"]
    inc = a.finding("ADDONS_INCLUDED_IN_TARGET_REMOVED")
    assert inc.severity == "info"
    assert inc.evidence["addons"] == ["Microsoft Teams Phone Standard"]
    assert a.path == "upgrade-tab"


def test_addon_not_included_in_e3_target():
    a = run(target=E3, addons=("MCOEV",))
    assert "HAS_ADDON" in a.codes()
    assert "ADDONS_INCLUDED_IN_TARGET_REMOVED" not in a.codes()


def test_no_addons_no_addon_findings():
    codes = run().codes()
    assert "HAS_ADDON" not in codes and "ADDONS_INCLUDED_IN_TARGET_REMOVED" not in codes


# -- credit check and business days -----------------------------------------------------------
@pytest.mark.parametrize("start, end", [
    (date(2026, 3, 2), date(2026, 3, 4)),    # Monday -> Wednesday
    (date(2026, 3, 5), date(2026, 3, 9)),    # Thursday -> Monday
    (date(2026, 3, 6), date(2026, 3, 10)),   # Friday -> Tuesday
    (date(2026, 3, 7), date(2026, 3, 10)),   # Saturday -> Tuesday
])
def test_add_business_days(start, end):
    assert add_business_days(start, 2) == end


def test_invoice_payment_credit_check_with_start_date():
    a = run(payment_method="invoice", start_date=date(2026, 3, 6))
    f = a.finding("CREDIT_CHECK_LIKELY")
    assert f.severity == "warning"
    assert f.evidence["start_date"] == "2026-03-06"
    assert f.evidence["latest_completion"] == "2026-03-10"
    assert f.evidence["business_days"] == 2
    assert "2026-03-10" in f.message
    assert a.finding("ADMIN_DOWNTIME").evidence["credit_check"] is True


def test_invoice_payment_without_start_date():
    f = run(payment_method="invoice").finding("CREDIT_CHECK_LIKELY")
    assert f.evidence["latest_completion"] is None and "{" not in f.message


def test_credit_card_payment_no_credit_check():
    assert "CREDIT_CHECK_LIKELY" not in run(payment_method="credit-card").codes()


# -- Upgrade-tab-only findings ----------------------------------------------------------------
def test_admin_downtime_only_on_upgrade_tab_path():
    assert "ADMIN_DOWNTIME" in run().codes()
    assert "ADMIN_DOWNTIME" not in run(prepaid=True).codes()


def test_licenses_cannot_be_removed_with_spare_and_blocked():
    t = lic(*users(4), {"upn": "gone@x", "account_enabled": False})
    a = run(t, subs({"sku_part_number": E4, "enabled": 8, "consumed": 5}))
    f = a.finding("LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE")
    assert f.severity == "warning"
    assert f.evidence == {"purchased": 8, "assigned": 5, "unassigned": 3, "reclaimable": 1,
                          "could_reduce_by": 4}


def test_licenses_cannot_be_removed_not_needed_when_exact():
    assert "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE" not in run().codes()


def test_licenses_cannot_be_removed_without_subscriptions_uses_reclaimable_only():
    t = lic(*users(2), {"upn": "gone@x", "account_enabled": False})
    f = run(t, None).finding("LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE")
    assert f.evidence["unassigned"] is None and f.evidence["could_reduce_by"] == 1
    assert "unknown" in f.message


def test_target_already_purchased_makes_the_route_manual():
    """Issue 17: step 1 must not say "Upgrade tab" while its own finding says go manual. The
    tab stays possible; the route is manual, and the tab-only findings go."""
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 2, "consumed": 0})
    a = run(subscriptions=s)
    f = a.finding("TARGET_ALREADY_PURCHASED")
    assert f.severity == "warning" and a.path == "manual" and a.upgrade_tab_possible
    assert a.advised_manual == ("TARGET_ALREADY_PURCHASED",)
    assert "ADMIN_DOWNTIME" not in a.codes()
    first = a.to_text().splitlines()[1]
    assert first.startswith("Path: manual")
    assert "advise the manual path (TARGET_ALREADY_PURCHASED)" in first
    assert a.to_dict()["path"] == "manual"
    assert f.evidence == {"target": E5, "target_name": "Office 365 E5", "target_purchased": 2,
                          "target_available": 2, "to_buy": 1}
    assert "buy 1 more" in f.remedy


def test_no_route_changing_warning_keeps_the_upgrade_tab():
    a = run()
    assert a.path == "upgrade-tab" and a.advised_manual == () and "ADMIN_DOWNTIME" in a.codes()
    assert a.to_text().splitlines()[1].startswith("Path: Upgrade tab")


def test_target_not_purchased_or_manual_path_no_already_purchased():
    assert "TARGET_ALREADY_PURCHASED" not in run().codes()
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 2, "consumed": 0})
    assert "TARGET_ALREADY_PURCHASED" not in run(subscriptions=s, prepaid=True).codes()


def test_target_already_purchased_enough_licenses():
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 5, "consumed": 1})
    f = run(subscriptions=s).finding("TARGET_ALREADY_PURCHASED")
    assert f.evidence["to_buy"] == 0 and f.evidence["target_available"] == 4
    assert "enough" in f.remedy and "buy 0" not in f.remedy


def test_excluded_blocked_user_is_not_reclaimable():
    t = lic(*users(2), {"upn": "shared@x", "account_enabled": False})
    a = run(t, subs({"sku_part_number": E4, "enabled": 3, "consumed": 3}),
            exclude_users=("shared@x",))
    assert a.counts.reclaimable == 0 and a.counts.blocked_with_source == 1
    assert "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE" not in a.codes()


# -- per-user settings ------------------------------------------------------------------------
def test_disabled_plans_reset_by_upgrade_tab():
    t = lic({"upn": "a@x", "disabled_plans": ("SWAY", "YAMMER_ENTERPRISE")},
            {"upn": "b@x", "disabled_plans": ("SWAY",)},
            {"upn": "c@x"},
            {"upn": "d@x", "sku_part_number": E3, "disabled_plans": ("TEAMS1",)})
    a = run(t, subs({"sku_part_number": E4, "enabled": 3, "consumed": 3}))
    f = a.finding("DISABLED_PLANS_RESET_BY_UPGRADE_TAB")
    assert f.severity == "warning"
    assert f.evidence == {"users": 2, "plans": {"SWAY": 2, "YAMMER_ENTERPRISE": 1}}
    assert list(f.evidence["plans"]) == ["SWAY", "YAMMER_ENTERPRISE"]


def test_no_disabled_plans_no_reset_finding():
    t = lic({"upn": "a@x"}, {"upn": "d@x", "sku_part_number": E3, "disabled_plans": ("TEAMS1",)})
    assert "DISABLED_PLANS_RESET_BY_UPGRADE_TAB" not in run(t).codes()


def test_group_based_licenses():
    t = lic({"upn": "a@x", "assigned_directly": False, "group_ids": ("g-sales",)},
            {"upn": "b@x", "assigned_directly": True, "group_ids": ("g-sales", "g-all")},
            {"upn": "c@x"},
            {"upn": "d@x", "sku_part_number": E3, "group_ids": ("g-e3",)})
    f = run(t).finding("GROUP_BASED_LICENSES")
    assert f.severity == "warning"
    assert f.evidence == {"users": 2, "groups": 2, "group_ids": ["g-all", "g-sales"],
                          "also_direct": 1}


def test_direct_only_no_group_finding():
    assert "GROUP_BASED_LICENSES" not in run().codes()


def test_missing_usage_location():
    t = lic({"upn": "a@x", "usage_location": ""},
            {"upn": "b@x", "usage_location": "", "assigned_directly": False,
             "group_ids": ("g",)},
            {"upn": "c@x"},
            {"upn": "d@x", "usage_location": "", "sku_part_number": E3})
    f = run(t).finding("MISSING_USAGE_LOCATION")
    assert f.severity == "warning"
    assert f.evidence == {"users": 2, "direct": 1, "default_usage_location": None}
    g = run(t, default_usage_location="DK").finding("MISSING_USAGE_LOCATION")
    assert "DK" in g.remedy


def test_usage_location_everywhere_no_finding():
    t = lic({"upn": "a@x"}, {"upn": "d@x", "usage_location": "", "sku_part_number": E3})
    assert "MISSING_USAGE_LOCATION" not in run(t).codes()


def test_assignment_errors():
    t = lic({"upn": "a@x", "state": "Error", "error": "MutuallyExclusiveViolation"},
            {"upn": "b@x", "state": "ActiveWithError", "error": ""},
            {"upn": "c@x"},
            {"upn": "z@x", "sku_part_number": E3, "state": "Error", "error": "Other"})
    f = run(t).finding("LICENSE_ASSIGNMENT_ERRORS")
    assert f.severity == "warning"
    assert f.evidence == {"users": 2,
                          "errors": {"ActiveWithError": 1, "MutuallyExclusiveViolation": 1}}


def test_no_assignment_errors():
    assert "LICENSE_ASSIGNMENT_ERRORS" not in run().codes()


# -- missing subscriptions --------------------------------------------------------------------
def test_without_subscriptions_says_what_is_unknown():
    a = run(subscriptions=None)
    f = a.finding("SUBSCRIPTIONS_UNKNOWN")
    assert f.severity == "info"
    assert f.evidence["unknown"] == list(a.counts.unknown)
    assert "to_buy" in f.evidence["unknown"]
    assert "subscribedSkus" in f.remedy
    assert a.counts.source_purchased is None
    assert "SUBSCRIPTIONS_UNKNOWN" not in run().codes()


# -- order, contract, text --------------------------------------------------------------------
def test_findings_ordered_by_severity_then_code_order():
    t = lic({"upn": "a@x", "usage_location": "", "disabled_plans": ("SWAY",)},
            {"upn": "b@x", "group_ids": ("g",)})
    a = run(t, None, target=E3, prepaid=True, unpaid_balance=True, addons=("MCOEV",))
    sev = [SEVERITIES.index(f.severity) for f in a.findings]
    assert sev == sorted(sev)
    for s in SEVERITIES:
        codes = a.codes(s)
        assert list(codes) == sorted(codes, key=CODE_ORDER.index)
    assert a.codes("blocker") == ("PREPAID_PLAN", "TARGET_FEWER_SERVICES", "UNPAID_BALANCE")
    assert a.codes()[:3] == ("PREPAID_PLAN", "TARGET_FEWER_SERVICES", "UNPAID_BALANCE")


def test_to_dict_contract():
    a = run(payment_method="invoice", start_date=date(2026, 3, 2))
    d = json.loads(json.dumps(a.to_dict()))
    assert list(d) == ["tenant", "path", "upgrade_tab_possible", "findings", "counts", "round",
                       "buy"]
    assert d["buy"] == {"total": 3, "now": 3, "once_usage_locations_set": 0}
    assert d["round"] is None
    assert d["tenant"] == "contoso" and d["path"] == "upgrade-tab"
    for f in d["findings"]:
        assert list(f) == ["code", "severity", "message", "evidence"]
    assert d["counts"]["source_users"] == 3 and d["counts"]["to_buy"] == 3


def test_to_text_english_and_danish():
    t = lic(*users(2), {"upn": "x@x", "usage_location": ""})
    en = run(t, None, prepaid=True).to_text()
    assert "Path: manual" in en
    assert en.index("Blockers:") < en.index("Warnings:") < en.index("Information:")
    assert "[PREPAID_PLAN]" in en and "unknown" in en
    da = run(t, None, prepaid=True, language="da").to_text()
    assert "Metode: manuel" in da and "Blokerende:" in da and "forudbetalt" in da
    assert "Microsoft 365 E3" in da  # the comparison table


def test_assess_wraps_assess_tables():
    licenses, subscriptions = clean_tables(4)
    config = TenantConfig(name="wrapped", payment_method="invoice")
    tenant = Tenant(path=Path("."), config=config, licenses=licenses,
                    subscriptions=subscriptions, catalog=CATALOG, users_file=Path("users.csv"),
                    users_format="test")
    got = assess(tenant, start_date=date(2026, 3, 2))
    want = assess_tables(config, licenses, subscriptions, CATALOG, start_date=date(2026, 3, 2))
    assert got.to_dict() == want.to_dict()
    assert got.tenant == "wrapped" and got.target == E5


# -- target comparison ------------------------------------------------------------------------
def _check_comparison(table: pd.DataFrame) -> None:
    assert list(table["part_number"]) == list(TARGET_PARTS)
    row = table.set_index("part_number")
    # Microsoft's own comparison [S2]: E5 options keep all of E4, E3 options do not.
    assert row.loc[["ENTERPRISEPREMIUM", "SPE_E5", "ENTERPRISEPREMIUM_NOPSTNCONF",
                    "SPE_E5_NOPSTNCONF"], "keeps_all_e4_features"].all()
    assert not row.loc[["ENTERPRISEPACK", "SPE_E3"], "keeps_all_e4_features"].any()
    assert row["phone_system"].to_dict() == {
        "ENTERPRISEPREMIUM": True, "SPE_E5": True, "ENTERPRISEPREMIUM_NOPSTNCONF": True,
        "SPE_E5_NOPSTNCONF": True, "ENTERPRISEPACK": False, "SPE_E3": False}
    assert row["audio_conferencing"].to_dict() == {
        "ENTERPRISEPREMIUM": True, "SPE_E5": True, "ENTERPRISEPREMIUM_NOPSTNCONF": False,
        "SPE_E5_NOPSTNCONF": False, "ENTERPRISEPACK": False, "SPE_E3": False}
    assert set(row["data_services"]) == {"same"}
    assert row.loc["SPE_E3", "lacks"] == ("MCOVOICECONF",)


def test_compare_targets_builtin():
    _check_comparison(compare_targets(CATALOG))


def test_compare_targets_with_microsoft_reference(reference_csv):
    ref = Catalog.from_reference_csv(reference_csv)
    _check_comparison(compare_targets(Catalog.layered(ref, CATALOG)))


def test_compare_targets_follows_the_catalog_not_prose():
    # A tenant whose own E5 lacks Phone System and has SharePoint Plan 1 only.
    e5 = CATALOG.get(E5)
    plans = tuple(p for p in e5.service_plans if p.name not in ("MCOEV", "SHAREPOINTENTERPRISE"))
    plans += (ServicePlan("SHAREPOINTSTANDARD", "c7699d2e-19aa-44de-8edf-1736da088ca1"),)
    tenant_e5 = Sku(E5, e5.sku_id, "", plans, (), "tenant")
    row = compare_targets(Catalog.layered(Catalog((tenant_e5,)), CATALOG)).iloc[0]
    assert row["part_number"] == E5
    assert not row["phone_system"] and not row["keeps_all_e4_features"]
    assert row["data_services"] == "lower"
    assert set(row["lacks"]) == {"MCOVOICECONF", "SHAREPOINTENTERPRISE"}


# -- sample tenants ---------------------------------------------------------------------------
SAMPLE_START = date(2026, 3, 6)
EXPECTED_FILES = sorted(EXPECTED.glob("*/assess.json"))


def _summary(a) -> dict:
    return {"tenant": a.tenant, "path": a.path, "upgrade_tab_possible": a.upgrade_tab_possible,
            "codes": {s: list(a.codes(s)) for s in SEVERITIES}, "counts": a.counts.to_dict(),
            "buy": a.counts.buy.to_dict()}


@pytest.mark.parametrize("expected_file", EXPECTED_FILES, ids=lambda p: p.parent.name)
def test_sample_tenant_verdicts(expected_file):
    from playbook.tenant import load_tenant

    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    tenant_dir = TENANTS / expected_file.parent.name
    assert tenant_dir.is_dir(), f"expected results for a missing tenant: {tenant_dir}"
    got = _summary(assess(load_tenant(tenant_dir), start_date=SAMPLE_START))
    assert got == expected


def test_every_sample_tenant_has_expected_verdict():
    tenants = {p.name for p in TENANTS.iterdir() if (p / "tenant.yaml").is_file()}
    assert tenants <= {p.parent.name for p in EXPECTED_FILES}


def test_cli_assess_json_and_bad_input(tmp_path):
    from click.testing import CliRunner

    from playbook.cli import main

    expected_file = EXPECTED / "fabrikam-invoice" / "assess.json"
    if not expected_file.is_file():
        pytest.skip("sample tenant fabrikam-invoice not present")
    runner = CliRunner()
    res = runner.invoke(main, ["assess", str(TENANTS / "fabrikam-invoice"), "--json",
                               "--start-date", "2026-03-06"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert data["path"] == expected["path"] and data["counts"] == expected["counts"]
    credit = next(f for f in data["findings"] if f["code"] == "CREDIT_CHECK_LIKELY")
    assert credit["evidence"]["latest_completion"] == "2026-03-10"
    bad = runner.invoke(main, ["assess", str(TENANTS / "fabrikam-invoice"),
                               "--start-date", "06/03/2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    missing = runner.invoke(main, ["assess", str(tmp_path / "nope")])
    assert missing.exit_code == 2


def test_start_date_is_read_once_for_the_cli_and_the_notebooks():
    """A mistyped start date is one line naming where it came from, never a traceback."""
    assert parse_start_date(None) is None and parse_start_date("  ") is None
    assert parse_start_date(" 2026-12-07 ") == date(2026, 12, 7)
    with pytest.raises(InputError) as err:
        parse_start_date("07-12-2026", "start_date")
    assert err.value.one_line() == ("start_date: value '07-12-2026': not a date "
                                    "(fix: use YYYY-MM-DD, e.g. 2026-12-01)")


# -- issue #13: licensing rules that hold on real tenants -------------------------------------
def test_expired_e4_is_the_first_finding_not_wait_a_few_hours():
    """Item 3. Source: Graph "licenseUnitsDetail resource type" [S14]: ``warning`` units belong
    to a subscription that expired and is in its grace period before it is suspended; "What if
    my subscription expires" [S9]: Expired -> Disabled, where users lose access. That the
    Upgrade tab cannot take it (a blocker, so the manual path) is our inference."""
    s = subs({"sku_part_number": E4, "enabled": 0, "warning": 3, "consumed": 3,
              "capability_status": "Warning"})
    a = run(subscriptions=s, prepaid=True)
    f = a.finding("SOURCE_EXPIRED")
    assert f.severity == "blocker" and a.findings[0].code == "SOURCE_EXPIRED"
    assert CODE_ORDER[0] == "SOURCE_EXPIRED"
    assert f.evidence["warning"] == 3 and f.evidence["status"] == ["Warning"]
    assert "SUBSCRIPTION_NOT_READY" not in a.codes()
    assert "reactivate" in f.remedy and "before the end date" in f.remedy
    assert "wait" not in f.remedy.lower()
    assert a.path == "manual"


def test_expired_units_pooled_with_live_ones_are_still_found():
    """Item 3. [S14] ``warning`` units, [S13] subscribedSkus pools every subscription of a SKU:
    one expired subscription beside a live one shows as warning units under ``Enabled``."""
    s = subs({"sku_part_number": E4, "enabled": 3, "warning": 2, "consumed": 3,
              "subscription_ids": ("live", "expired")})
    f = run(subscriptions=s).finding("SOURCE_EXPIRED")
    assert f.evidence["warning"] == 2 and f.evidence["subscription_ids"] == ["expired", "live"]
    assert "SOURCE_EXPIRED" not in run().codes()


@pytest.mark.parametrize("target", ["ENTERPRISEPACK", "SPE_E3"])
def test_e3_targets_are_a_manual_change_not_an_upgrade(target):
    """Item 5. Source: "Upgrade to a different plan" [S5a]: the Upgrade tab lists plans by the
    current plan's services; to move to a plan with fewer services, change manually.
    "Important information for Office 365 E4 customers" [S2], section 2's table: the E3
    options lack E4's services and are "Change to", not "Upgrade to"."""
    a = run(target=target)
    f = a.finding("TARGET_FEWER_SERVICES")
    assert f.severity == "blocker" and f.evidence["lacks"] == ["MCOVOICECONF"]
    assert a.path == "manual" and "manual" in f.remedy
    assert "Path: manual" in a.to_text()


@pytest.mark.parametrize("target", [p for p in TARGET_PARTS if "E5" in p or "PREMIUM" in p])
def test_e5_targets_stay_on_the_upgrade_tab(target):
    """Item 5, the other side: E5 plans keep every E4 service [S2], so the tab lists them."""
    a = run(target=target)
    assert "TARGET_FEWER_SERVICES" not in a.codes() and a.path == "upgrade-tab"


@pytest.mark.parametrize(("key", "value", "size"), [
    ("exclude_users", ("u0@contoso.example",), 1),
    ("only_users", ("u0@contoso.example", "u1@contoso.example"), 2),
    ("only_departments", ("Sales",), 1),
    ("max_users", 2, 2),
])
def test_a_limited_round_cannot_use_the_upgrade_tab(key, value, size):
    """Item 6. Source: "Upgrade from an Office 365 E4 subscription" [S1], section 1: the Upgrade
    tab reassigns ALL user licenses and cancels the old plan; "Upgrade to a different plan"
    (2024) [S5b]: change manually when not all users should move."""
    a = run(**{key: value})
    f = a.finding("UPGRADE_TAB_MOVES_EVERYONE")
    assert f.severity == "blocker" and f.evidence == {"limits": {key: size}}
    assert a.path == "manual" and key in f.message
    assert "UPGRADE_TAB_MOVES_EVERYONE" not in run().codes()


def test_export_without_disabled_plans_says_they_are_unknown():
    """Item 11. Source: "Upgrade to a different plan" [S5a] and "What does switching plans do to
    my service and billing" [S5c]: per-user service settings are not kept, every user gets all
    services of the new plan. An export that cannot show them must say so."""
    a = run(carries_disabled_plans=False)
    f = a.finding("DISABLED_PLANS_UNKNOWN")
    assert f.severity == "warning" and f.evidence == {"users": 3}
    assert "switch every service" in f.message and "Export-TenantLicenses" in f.remedy
    assert "DISABLED_PLANS_UNKNOWN" not in run().codes()


def test_assess_reads_what_the_users_export_carries():
    """Item 11: ``assess`` hands the loaded tenant's ``carries_disabled_plans`` to the rules."""
    licenses, subscriptions = clean_tables(3)
    tenant = Tenant(path=Path("."), config=TenantConfig(name="t"), licenses=licenses,
                    subscriptions=subscriptions, catalog=CATALOG, users_file=Path("users.csv"),
                    users_format="admin-center", carries_disabled_plans=False)
    assert "DISABLED_PLANS_UNKNOWN" in assess(tenant).codes()


def test_trial_target_warns_that_users_lose_service_when_it_ends():
    """Item 12, ``trial``: the target subscription is a trial. Inference from "What if my
    subscription expires" [S9] (an ended subscription is disabled, users lose access);
    Microsoft's E4 pages say nothing of trials."""
    f = run(trial=True).finding("TARGET_IS_TRIAL")
    assert f.severity == "warning" and f.evidence["target"] == E5
    assert "trial ends" in f.message and "paid" in f.message
    assert "TARGET_IS_TRIAL" not in run().codes()


def test_invoice_credit_check_is_a_may_with_the_latest_completion():
    """Item 14. Source: "Upgrade from an Office 365 E4 subscription" [S1], section 1 "Credit
    check": a credit check MAY be required; if so it can take UP TO two business days, so
    start + 2 business days is the latest completion, not the earliest."""
    f = run(payment_method="invoice", start_date=date(2026, 3, 6)).finding("CREDIT_CHECK_LIKELY")
    assert "may" in f.message and "2026-03-10" in f.message
    assert "latest" in f.message and "no earlier than" not in f.message
    assert "earliest_completion" not in f.evidence


def test_card_payers_may_get_a_credit_check_for_a_large_purchase():
    """Item 14. Source: [S1] section 1 and "Upgrade to a different plan" [S5a] section 3: a
    credit check may be required if paying by invoice OR the purchase is above a certain cost.
    Microsoft names no amount, so none is stated (info, a "may")."""
    f = run().finding("CREDIT_CHECK_POSSIBLE")
    assert f.severity == "info" and "may" in f.message and "certain cost" in f.message
    assert f.evidence["payment_method"] == "credit-card"
    assert "CREDIT_CHECK_POSSIBLE" not in run(payment_method="invoice").codes()
    assert "CREDIT_CHECK_POSSIBLE" not in run(purchase_channel="partner").codes()
    # manual path with every target license already bought: nothing is bought
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3},
             {"sku_part_number": E5, "enabled": 3, "consumed": 0})
    assert "CREDIT_CHECK_POSSIBLE" not in run(subscriptions=s, prepaid=True).codes()


def test_assess_shows_the_whole_move_and_this_round():
    """Left over: ``to_buy`` is for the whole move; when tenant.yaml limits the round (here one
    user excluded, at most 1 moved) assess also says what this round needs, counted from the
    same flags (an upper bound with max_users: our inference of the plan's rule)."""
    t = lic(*users(3))
    s = subs({"sku_part_number": E4, "enabled": 3, "consumed": 3})
    a = run(t, s, exclude_users=("u0@contoso.example",))
    assert a.counts.to_buy == 3
    assert a.to_dict()["round"] == {"limits": {"exclude_users": 1}, "need_target": 2,
                                    "to_buy": 2}
    text = a.to_text()
    assert "To buy (whole move)" in text and "This round" in text
    capped = run(t, s, exclude_users=("u0@contoso.example",), max_users=1).to_dict()["round"]
    assert (capped["need_target"], capped["to_buy"]) == (1, 1)
    assert run(t, None, max_users=1).to_dict()["round"]["to_buy"] is None
    da = run(t, s, max_users=1, language="da").to_text()
    assert "Denne runde" in da and "1 bruger inden for" in da
