"""The verdict: which path a tenant takes off E4, with its findings in a stable order.

The rules are pure (:func:`assess_tables` takes plain data and does no I/O);
:func:`assess` is the thin wrapper the CLI and notebooks call with a loaded tenant.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from playbook.catalog import Catalog
from playbook.counting import count_licenses, resolve_sku, user_flags
from playbook.eligibility.comparison import compare_targets
from playbook.eligibility.facts import Facts, Hit, sku_name
from playbook.eligibility.findings import (
    CODE_ORDER,
    ROUTE_TO_MANUAL,
    SEVERITIES,
    SEVERITY,
    SOURCES,
    Assessment,
    Finding,
)
from playbook.eligibility.rules import RULES, TAB_ONLY, credit_possible, upgrade_tab_rules
from playbook.errors import speaking
from playbook.messages import message
from playbook.seats import sku_rows
from playbook.tenant import Tenant, TenantConfig


def _finding(hit: Hit, lang: str) -> Finding:
    """A rule's hit as a finding: its severity and sources by code, its texts in ``lang``."""
    ev = hit.evidence
    return Finding(
        code=hit.code,
        severity=SEVERITY[hit.code],
        message=message(hit.message_key or hit.code, lang, **ev),
        evidence=ev,
        remedy=message(hit.remedy_key or f"{hit.code}.remedy", lang, **ev),
        source=SOURCES[hit.code],
    )


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    """Blockers first, then warnings, then info; within one severity, :data:`CODE_ORDER`."""
    rank = {code: i for i, code in enumerate(CODE_ORDER)}
    return tuple(sorted(findings, key=lambda x: (SEVERITIES.index(x.severity), rank[x.code])))


def _path(codes: set[str]) -> str:
    """The path the path-independent findings allow: a partner or Volume Licensing purchase
    goes through them [S1]; any blocker leaves the manual path; else the Upgrade tab."""
    if codes & {"PURCHASED_VIA_PARTNER", "PURCHASED_VIA_VOLUME_LICENSING"}:
        return "contact-partner"
    if any(SEVERITY[c] == "blocker" for c in codes):
        return "manual"
    return "upgrade-tab"


def _route(hits: list[Hit]) -> tuple[str, list[Hit]]:
    """The route once the Upgrade-tab findings are known: manual when one of them says so for
    certain (:data:`ROUTE_TO_MANUAL`); then the findings about using the tab itself (its
    admin downtime, the licences it cannot remove) no longer apply and are dropped."""
    if not any(h.code in ROUTE_TO_MANUAL for h in hits):
        return "upgrade-tab", hits
    return "manual", [h for h in hits if h.code not in TAB_ONLY]


# -- entry points -----------------------------------------------------------------------------
def assess_tables(
    config: TenantConfig,
    licenses: pd.DataFrame,
    subscriptions: pd.DataFrame | None,
    catalog: Catalog,
    *,
    start_date: date | None = None,
    carries_disabled_plans: bool = True,
) -> Assessment:
    """Assess one tenant from plain data (no I/O): path, findings and counts.

    Path: ``contact-partner`` when E4 came through a partner or Volume Licensing (from
    tenant.yaml, or a ``reseller-account:`` license in the export); otherwise ``upgrade-tab``
    when no finding is a blocker, else ``manual``. ``carries_disabled_plans`` is False when the
    users export cannot show per-user disabled plans (``Tenant.carries_disabled_plans``).
    """
    with speaking(config.language):  # a plan tenant.yaml names wrongly reads in its language
        source = resolve_sku(catalog, config.source, "source")
        target = resolve_sku(catalog, config.target, "target")
        flags = user_flags(config, licenses, source, target)
        counts = count_licenses(config, licenses, subscriptions, catalog, flags=flags)
    facts = Facts(
        config=config, licenses=licenses, subscriptions=subscriptions, catalog=catalog,
        source=source, target=target, flags=flags, counts=counts,
        source_rows=licenses[sku_rows(licenses, source)], start_date=start_date,
        carries_disabled_plans=carries_disabled_plans,
    )
    hits = [hit for rule in RULES for hit in rule(facts)]
    path = _path({h.code for h in hits})
    tab_possible = path == "upgrade-tab"
    if tab_possible:
        hits += upgrade_tab_rules(facts)
        path, hits = _route(hits)
    hits += credit_possible(facts, path)
    lang = config.language
    return Assessment(
        path=path,
        upgrade_tab_possible=tab_possible,
        findings=_ordered([_finding(h, lang) for h in hits]),
        counts=counts,
        tenant=config.name,
        language=lang,
        target=target.part_number,
        target_name=sku_name(target),
        comparison=compare_targets(catalog, source.part_number),
    )


def assess(tenant: Tenant, *, start_date: date | None = None) -> Assessment:
    """Assess a loaded tenant folder (what ``e4-playbook assess`` and notebook 1 call)."""
    return assess_tables(tenant.config, tenant.licenses, tenant.subscriptions, tenant.catalog,
                         start_date=start_date,
                         carries_disabled_plans=tenant.carries_disabled_plans)
