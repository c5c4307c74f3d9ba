"""Target comparison: how each target plan stands against E4, from the catalog's service plans.

Decides which E4 services a target lacks (a successor plan counts as keeping one) and whether
its data services (Exchange, SharePoint tiers) are the same, higher or lower: the Upgrade tab
only offers plans with the same or more services [S5a].
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from playbook.catalog import PLAN_SUCCESSORS, SOURCE_PART, TARGET_PARTS, Catalog, Sku, plan_family

EXCHANGE_LEVELS: dict[str, int] = {
    "EXCHANGE_S_DESKLESS": 1,
    "EXCHANGE_S_ESSENTIALS": 1,
    "EXCHANGE_S_STANDARD": 2,
    "EXCHANGE_S_STANDARD_MIDMARKET": 2,
    "EXCHANGE_B_STANDARD": 2,
    "EXCHANGE_S_ENTERPRISE": 3,
}
SHAREPOINT_LEVELS: dict[str, int] = {
    "SHAREPOINTDESKLESS": 1,
    "SHAREPOINTSTANDARD": 2,
    "SHAREPOINTSTANDARD_MIDMARKET": 2,
    "SHAREPOINTENTERPRISE": 3,
}
"""Data-service tiers: kiosk < Plan 1 < Plan 2 [S22]. The Upgrade tab only offers plans with the
same or higher data services [S5a]."""


def _level(sku: Sku, levels: dict[str, int]) -> tuple[int, str]:
    """The highest data-service tier a SKU carries and that plan's name (0, "" = none)."""
    best = (0, "")
    for name in sku.plan_names:
        key = name.strip().upper().removesuffix("_GOV").removesuffix("_EDU")
        tier = levels.get(key, 0)
        if tier > best[0]:
            best = (tier, name)
    return best


def _lacks(source: Sku, target: Sku) -> list[str]:
    """Source plans whose family the target carries neither itself nor through a successor
    (each name once, in the source's order)."""
    target_families = {plan_family(p) for p in target.plan_names}
    lacks: list[str] = []
    for name in source.plan_names:
        fam = plan_family(name)
        succ = {plan_family(s) for s in PLAN_SUCCESSORS.get(name.strip().upper(), ())}
        if fam not in target_families and not succ & target_families and name not in lacks:
            lacks.append(name)
    return lacks


def compare_plans(source: Sku, target: Sku) -> dict[str, Any]:
    """How ``target`` stands against ``source`` by service plans (catalog data only).

    ``lacks`` lists source plans whose family (``catalog.plan_family``) is absent from the
    target and not replaced by a successor (:data:`PLAN_SUCCESSORS`). ``data_services`` is
    ``same`` | ``higher`` | ``lower`` (Exchange and SharePoint tiers) or ``unknown`` when the
    catalog has no service plans for either side.
    """
    lacks = _lacks(source, target)
    ex_s, ex_s_name = _level(source, EXCHANGE_LEVELS)
    ex_t, ex_t_name = _level(target, EXCHANGE_LEVELS)
    sp_s, sp_s_name = _level(source, SHAREPOINT_LEVELS)
    sp_t, sp_t_name = _level(target, SHAREPOINT_LEVELS)
    if not source.service_plans or not target.service_plans:
        data = "unknown"
    elif ex_t < ex_s or sp_t < sp_s:
        data = "lower"
    elif ex_t > ex_s or sp_t > sp_s:
        data = "higher"
    else:
        data = "same"
    names = {p.strip().upper() for p in target.plan_names}
    return {
        "part_number": target.part_number,
        "display_name": target.display_name,
        "keeps_all_e4_features": bool(target.service_plans) and not lacks,
        "phone_system": "MCOEV" in names,
        "audio_conferencing": "MCOMEETADV" in names,
        "data_services": data,
        "exchange": ex_t_name,
        "sharepoint": sp_t_name,
        "exchange_source": ex_s_name,
        "sharepoint_source": sp_s_name,
        "lacks": tuple(lacks) if target.service_plans else (),
    }


COMPARISON_COLUMNS: tuple[str, ...] = (
    "part_number", "display_name", "keeps_all_e4_features", "phone_system",
    "audio_conferencing", "data_services", "exchange", "sharepoint", "lacks",
)


def compare_targets(catalog: Catalog, source: str = SOURCE_PART) -> pd.DataFrame:
    """One row per target plan (``catalog.TARGET_PARTS`` order) compared with E4.

    Columns: ``part_number``, ``display_name``, ``keeps_all_e4_features`` (every E4 plan family
    present or replaced), ``phone_system`` (MCOEV plan), ``audio_conferencing`` (MCOMEETADV
    plan), ``data_services`` (same | higher | lower | unknown), ``exchange`` / ``sharepoint``
    (the target's plan names), ``lacks`` (tuple of E4 plan names the target does not carry).
    Computed from the catalog's service plans, so a tenant's own ``subscribedSkus`` or
    Microsoft's reference table change the answer when they know better.
    """
    src = catalog.get(source)
    rows = [compare_plans(src, catalog.get(part)) for part in TARGET_PARTS]
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
