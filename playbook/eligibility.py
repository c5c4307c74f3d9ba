"""Eligibility: which upgrade path a tenant can take off Office 365 E4, and what stands in the way.

Microsoft offers two ways off E4 [S1]: the admin center's *Upgrade tab* (buys the new plan,
moves every user, cancels E4) and a *manual* change (buy, verify, reassign, cancel). E4 bought
through a partner or Volume Licensing follows neither: the admin must *contact the partner*.
This module reads the tenant's facts and tables and says which path applies and why, as
findings with a stable code, a severity, evidence (numbers) and a remedy in the tenant's
language.

Severities:

- ``blocker``: Microsoft documents it as a reason the Upgrade tab is empty or does not apply
  [S1, S5a, S5b]. Any blocker makes the path ``manual`` (the manual path always works for a
  direct customer, with the remedies given).
- ``warning``: the move works, but something is lost, delayed or fails unless the admin acts.
- ``info``: worth knowing; nothing breaks.

Two calls, pick by judgement where Microsoft's pages disagree:

- ``HAS_ADDON`` is a warning, not a blocker: the upgrade article lists an add-on as a reason the
  tab *may* be empty [S5a, S5b], but the E4 article shows E4's add-ons carried through the
  Upgrade-tab cart [S1]. The admin learns which one applies by opening the tab.
- ``DISABLED_PLANS_RESET_BY_UPGRADE_TAB`` is a warning: the Upgrade tab works, it just switches
  every service on for everyone [S5a]; the manual path keeps per-user settings.
- ``TARGET_ALREADY_PURCHASED`` (not in Microsoft's list) is a warning on the Upgrade-tab path:
  the tab walks the admin through *buying* the new plan [S1], so licenses of it already bought
  would be bought again; the manual path skips its buying step when the plan exists [S1].
- ``SOURCE_EXPIRED`` is a blocker sorted before everything: E4 in ``warning`` has expired and is
  in its grace period, next it is disabled and users lose access [S14, S9]. That the Upgrade tab
  cannot take an expired subscription is our inference (it is no longer "fully set up" [S5a]).
- ``TARGET_FEWER_SERVICES`` (Office 365 E3, Microsoft 365 E3) and ``UPGRADE_TAB_MOVES_EVERYONE``
  (a round limited in tenant.yaml) are blockers: the Upgrade tab lists only plans with the same
  or more services [S5a], and it moves every user and cancels E4 [S1].
- ``DISABLED_PLANS_UNKNOWN`` is a warning, like the reset it stands for: an export that cannot
  show per-user disabled plans leaves unknown what the Upgrade tab would switch on [S5a].
- ``TARGET_IS_TRIAL`` (``trial`` in tenant.yaml: the *target* subscription is a trial) is a
  warning: users moved onto a trial lose its services when it ends unless it is paid first
  (inference from the subscription lifecycle [S9]; Microsoft's pages read here say nothing of
  trials).
- Credit checks are always a "may" [S1, S5a]: by invoice a warning with the *latest* completion
  date; for any other payer who buys, an info finding that one can happen above a certain cost
  (Microsoft gives no amount, so neither do we).
- Without a subscription export the seat, readiness and subscription-count checks cannot run:
  the verdict still follows the rule above and ``SUBSCRIPTIONS_UNKNOWN`` names what was not
  checked, instead of guessing.

The rules are pure (:func:`assess_tables` takes plain data and does no I/O);
:func:`assess` is the thin wrapper the CLI and notebooks call with a loaded tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from playbook.catalog import PLAN_SUCCESSORS, SOURCE_PART, TARGET_PARTS, Catalog, Sku, plan_family
from playbook.counting import (
    COUNT_KEYS,
    LicenseCount,
    count_licenses,
    resolve_sku,
    round_limits,
    user_flags,
)
from playbook.errors import InputError
from playbook.messages import message, text
from playbook.seats import Seats, seats_of, sku_rows
from playbook.table import ERROR_STATES, has_items
from playbook.tenant import Tenant, TenantConfig

PATHS: tuple[str, ...] = ("upgrade-tab", "manual", "contact-partner")
SEVERITIES: tuple[str, ...] = ("blocker", "warning", "info")

SEVERITY: dict[str, str] = {
    "SOURCE_EXPIRED": "blocker",
    "PURCHASED_VIA_PARTNER": "blocker",
    "PURCHASED_VIA_VOLUME_LICENSING": "blocker",
    "MORE_USERS_THAN_LICENSES": "blocker",
    "SUBSCRIPTION_NOT_READY": "blocker",
    "PENDING_CHANGE_OR_CREDIT_CHECK": "blocker",
    "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT": "blocker",
    "PREPAID_PLAN": "blocker",
    "GOVERNMENT_OR_NONPROFIT": "blocker",
    "TARGET_FEWER_DATA_SERVICES": "blocker",
    "TARGET_FEWER_SERVICES": "blocker",
    "UPGRADE_TAB_MOVES_EVERYONE": "blocker",
    "UNPAID_BALANCE": "blocker",
    "HAS_ADDON": "warning",
    "CREDIT_CHECK_LIKELY": "warning",
    "TARGET_IS_TRIAL": "warning",
    "ADMIN_DOWNTIME": "warning",
    "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE": "warning",
    "TARGET_ALREADY_PURCHASED": "warning",
    "DISABLED_PLANS_RESET_BY_UPGRADE_TAB": "warning",
    "DISABLED_PLANS_UNKNOWN": "warning",
    "GROUP_BASED_LICENSES": "warning",
    "MISSING_USAGE_LOCATION": "warning",
    "TARGET_LOSES_E4_FEATURES": "warning",
    "LICENSE_ASSIGNMENT_ERRORS": "warning",
    "ADDONS_INCLUDED_IN_TARGET_REMOVED": "info",
    "CREDIT_CHECK_POSSIBLE": "info",
    "SUBSCRIPTIONS_UNKNOWN": "info",
}
"""Every finding code and its fixed severity."""

CODE_ORDER: tuple[str, ...] = tuple(SEVERITY)
"""Order of findings within one severity (the order of the issue's list). ``SOURCE_EXPIRED``
comes first of all: users lose access when the grace period ends, whatever the path."""

SOURCES: dict[str, str] = {
    "SOURCE_EXPIRED": "S14, S13, S9",
    "PURCHASED_VIA_PARTNER": "S1, S3",
    "PURCHASED_VIA_VOLUME_LICENSING": "S1",
    "MORE_USERS_THAN_LICENSES": "S5a, S5b",
    "SUBSCRIPTION_NOT_READY": "S5a, S1, S13",
    "PENDING_CHANGE_OR_CREDIT_CHECK": "S5a, S5b",
    "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT": "S5a, S5b",
    "PREPAID_PLAN": "S5a",
    "GOVERNMENT_OR_NONPROFIT": "S5a, S5b",
    "TARGET_FEWER_DATA_SERVICES": "S5a, S5b, S6, S22",
    "TARGET_FEWER_SERVICES": "S5a, S2, S22",
    "UPGRADE_TAB_MOVES_EVERYONE": "S1, S5b",
    "UNPAID_BALANCE": "S5a, S5b",
    "HAS_ADDON": "S5a, S5b, S1",
    "CREDIT_CHECK_LIKELY": "S1, S5a",
    "TARGET_IS_TRIAL": "S9 (inference)",
    "ADMIN_DOWNTIME": "S1, S5a",
    "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE": "S1",
    "TARGET_ALREADY_PURCHASED": "S1",
    "DISABLED_PLANS_RESET_BY_UPGRADE_TAB": "S5a, S5c",
    "DISABLED_PLANS_UNKNOWN": "S5a, S5c",
    "GROUP_BASED_LICENSES": "S20, S18",
    "MISSING_USAGE_LOCATION": "S10, S26, S19",
    "TARGET_LOSES_E4_FEATURES": "S2, S3, S22",
    "LICENSE_ASSIGNMENT_ERRORS": "S15, S19",
    "ADDONS_INCLUDED_IN_TARGET_REMOVED": "S1",
    "CREDIT_CHECK_POSSIBLE": "S1, S5a",
    "SUBSCRIPTIONS_UNKNOWN": "S13",
}
"""The microsoft-facts source tags each finding rests on."""

CREDIT_CHECK_BUSINESS_DAYS = 2
"""A credit check, when Microsoft requires one, can take up to two business days [S1, S5a]: so
start + 2 business days is the *latest* completion, never the earliest."""

NOT_PROVISIONED = frozenset({"Error", "PendingInput", "PendingActivation", "PendingProvisioning"})
"""servicePlans provisioningStatus values that mean "not set up yet" (``Disabled`` is a plan
switched off on purpose, ``Success`` is ready)."""

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


# -- result objects ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One thing the assessment found: stable code, severity, localized text, numbers, fix."""

    code: str
    severity: str
    message: str
    evidence: dict[str, Any]
    remedy: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """The contract keys; ``message`` carries the remedy after the finding."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": f"{self.message} {self.remedy}".strip(),
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class Assessment:
    """The verdict for one tenant: path, findings in a stable order, and the license counts."""

    path: str
    upgrade_tab_possible: bool
    findings: tuple[Finding, ...]
    counts: LicenseCount
    tenant: str
    language: str
    target: str
    target_name: str = ""
    comparison: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    def codes(self, severity: str | None = None) -> tuple[str, ...]:
        """Finding codes, optionally of one severity, in finding order."""
        return tuple(f.code for f in self.findings if severity in (None, f.severity))

    def finding(self, code: str) -> Finding | None:
        """The finding with ``code``, or ``None``."""
        return next((f for f in self.findings if f.code == code), None)

    @property
    def blockers(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "blocker")

    def to_dict(self) -> dict[str, Any]:
        """Exactly the ``assess --json`` object. ``counts.to_buy`` is for the whole move;
        ``round`` (``None`` unless tenant.yaml limits a plan round) is what this round needs."""
        return {
            "tenant": self.tenant,
            "path": self.path,
            "upgrade_tab_possible": self.upgrade_tab_possible,
            "findings": [f.to_dict() for f in self.findings],
            "counts": self.counts.to_dict(),
            "round": self.counts.round_dict(),
        }

    def to_text(self) -> str:
        """A readable verdict: path, blockers, warnings, info, counts, the target comparison."""
        lang = self.language
        lines = [
            message("ui.tenant", lang, tenant=self.tenant,
                    target=f"{self.target_name} ({self.target})" if self.target_name
                    else self.target),
            message(f"ui.path.{self.path}", lang),
            "",
        ]
        if not self.findings:
            lines += [text("ui.no_findings", lang), ""]
        for sev in SEVERITIES:
            group = [f for f in self.findings if f.severity == sev]
            if not group:
                continue
            lines.append(f"{text(f'ui.severity.{sev}', lang)}:")
            for f in group:
                lines.append(f"  [{f.code}] {f.message}")
                if f.remedy:
                    lines.append(f"      {text('ui.fix', lang)}: {f.remedy}")
            lines.append("")
        lines.append(f"{text('ui.counts', lang)}:")
        counts = self.counts.to_dict()
        width = max(len(text(f"ui.count.{k}", lang)) for k in COUNT_KEYS)
        for key in COUNT_KEYS:
            value = counts[key]
            shown = text("ui.unknown", lang) if value is None else str(value)
            lines.append(f"  {text(f'ui.count.{key}', lang):<{width}}  {shown}")
        this_round = self.counts.round_dict()
        if this_round is not None:
            lines += ["", message("ui.round", lang, **this_round)]
        if self.comparison is not None and len(self.comparison):
            lines += ["", f"{text('ui.targets', lang)}:", *_comparison_lines(self.comparison,
                                                                            lang)]
        return "\n".join(lines).rstrip() + "\n"


def _comparison_lines(table: pd.DataFrame, lang: str) -> list[str]:
    """The target comparison as aligned plain-text rows (no hard-coded prose: all from data)."""

    def yn(v: bool) -> str:
        return text("ui.yes" if v else "ui.no", lang)

    heads = ["", *(text(f"ui.col.{c}", lang) for c in (
        "keeps_all_e4_features", "phone_system", "audio_conferencing", "data_services",
        "lacks"))]
    rows = [heads]
    for rec in table.itertuples(index=False):
        rows.append([
            rec.display_name or rec.part_number,
            yn(rec.keeps_all_e4_features),
            yn(rec.phone_system),
            yn(rec.audio_conferencing),
            text(f"ui.data.{rec.data_services}", lang),
            ", ".join(rec.lacks) or "-",
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(heads))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]


# -- catalog comparisons ----------------------------------------------------------------------
def _level(sku: Sku, levels: dict[str, int]) -> tuple[int, str]:
    """The highest data-service tier a SKU carries and that plan's name (0, "" = none)."""
    best = (0, "")
    for name in sku.plan_names:
        key = name.strip().upper().removesuffix("_GOV").removesuffix("_EDU")
        tier = levels.get(key, 0)
        if tier > best[0]:
            best = (tier, name)
    return best


def compare_plans(source: Sku, target: Sku) -> dict[str, Any]:
    """How ``target`` stands against ``source`` by service plans (catalog data only).

    ``lacks`` lists source plans whose family (``catalog.plan_family``) is absent from the
    target and not replaced by a successor (:data:`PLAN_SUCCESSORS`). ``data_services`` is
    ``same`` | ``higher`` | ``lower`` (Exchange and SharePoint tiers) or ``unknown`` when the
    catalog has no service plans for either side.
    """
    target_families = {plan_family(p) for p in target.plan_names}
    lacks: list[str] = []
    for name in source.plan_names:
        fam = plan_family(name)
        succ = {plan_family(s) for s in PLAN_SUCCESSORS.get(name.strip().upper(), ())}
        if fam not in target_families and not succ & target_families and name not in lacks:
            lacks.append(name)
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


# -- business days ----------------------------------------------------------------------------
def parse_start_date(text: str | None, where: str = "start_date") -> date | None:
    """The day the upgrade starts, from ``YYYY-MM-DD`` text; ``None`` or blank is no date.

    One reader for the CLI's ``--start-date`` and the notebooks' ``start_date`` parameter, so a
    mistyped date is the same one-line error everywhere (``where`` names the option).
    """
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(where, "not a date", value=str(text),
                         fix="use YYYY-MM-DD, e.g. 2026-12-01") from None


def add_business_days(start: date, days: int) -> date:
    """``start`` plus ``days`` business days (Monday to Friday).

    Public holidays are not known to the playbook and are not skipped: a date this function
    gives can be too early around holidays. A weekend start counts from the next Monday.
    """
    d = start
    left = days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


# -- the rules --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Facts:
    """Everything a rule may read, computed once."""

    config: TenantConfig
    licenses: pd.DataFrame
    subscriptions: pd.DataFrame | None
    catalog: Catalog
    source: Sku
    target: Sku
    flags: pd.DataFrame
    counts: LicenseCount
    source_rows: pd.DataFrame
    start_date: date | None
    carries_disabled_plans: bool = True

    @property
    def source_subs(self) -> pd.DataFrame | None:
        subs = self.subscriptions
        return None if subs is None else subs[sku_rows(subs, self.source)]

    @property
    def target_subs(self) -> pd.DataFrame | None:
        subs = self.subscriptions
        return None if subs is None else subs[sku_rows(subs, self.target)]

    @property
    def source_seats(self) -> Seats | None:
        subs = self.subscriptions
        return None if subs is None else seats_of(subs, self.source)


@dataclass(frozen=True)
class _Hit:
    """A rule's raw result: the code, its evidence and the message keys to use."""

    code: str
    evidence: dict[str, Any]
    message_key: str = ""
    remedy_key: str = ""


Rule = Callable[[_Facts], list[_Hit]]


def _channel(f: _Facts) -> list[_Hit]:
    channel = f.config.purchase_channel
    rows = f.source_rows
    reseller = rows.loc[
        rows["product_name"].str.strip().str.lower().str.startswith("reseller-account:"), "upn"
    ].nunique()
    hits = []
    if channel == "volume-licensing":
        hits.append(_Hit("PURCHASED_VIA_VOLUME_LICENSING", {"purchase_channel": channel}))
    if channel == "partner" or reseller:
        key = "PURCHASED_VIA_PARTNER" if channel == "partner" else "PURCHASED_VIA_PARTNER.detected"
        hits.append(_Hit("PURCHASED_VIA_PARTNER",
                         {"purchase_channel": channel, "reseller_account_users": int(reseller)},
                         message_key=key))
    return hits


def _more_users(f: _Facts) -> list[_Hit]:
    """More E4 licences assigned than held (:attr:`Seats.over_assigned`), or CountViolation
    errors saying the same when no subscription export tells the units."""
    rows = f.source_rows
    violations = int(rows.loc[rows["error"] == "CountViolation", "upn"].nunique())
    seats = f.source_seats
    over = seats.over_assigned if seats is not None else 0
    if not over and not violations:
        return []
    units = {}
    if seats is not None:
        units = {"enabled": seats.enabled, "warning": seats.warning,
                 "suspended": seats.suspended, "consumed": seats.consumed}
    evidence = {
        "assigned": f.counts.source_users if seats is None else seats.consumed,
        "purchased": None if seats is None else seats.held,
        "over": over or None,
        "count_violations": violations,
        "reclaimable": f.counts.reclaimable,
        **units,
    }
    key = "MORE_USERS_THAN_LICENSES" if over else "MORE_USERS_THAN_LICENSES.count_violation"
    return [_Hit("MORE_USERS_THAN_LICENSES", evidence, message_key=key)]


def _source_expired(f: _Facts) -> list[_Hit]:
    """E4 in ``warning``: expired, in its grace period; next it is disabled and users lose
    access [S14, S9]. Read off capabilityStatus ``Warning`` or warning units (:mod:`seats`)."""
    subs, seats = f.source_subs, f.source_seats
    if subs is None or seats is None:
        return []
    statuses = sorted({s.strip() for s in subs["capability_status"] if s.strip()})
    if not seats.warning and "Warning" not in statuses:
        return []
    ids = sorted({str(i) for t in subs["subscription_ids"] for i in t if str(i).strip()})
    return [_Hit("SOURCE_EXPIRED", {
        "status": statuses, "warning": seats.warning, "enabled": seats.enabled,
        "consumed": seats.consumed, "subscription_ids": ids})]


def _not_ready(f: _Facts) -> list[_Hit]:
    if f.subscriptions is None:
        return []
    not_enabled: dict[str, str] = {}
    plans: dict[str, str] = {}
    for subs, expired_elsewhere in ((f.source_subs, True), (f.target_subs, False)):
        for rec in subs.itertuples(index=False):  # a handful of SKU rows, not users
            status = rec.capability_status.strip()
            if expired_elsewhere and status == "Warning":
                continue  # E4 expired, in grace: SOURCE_EXPIRED says it, not "wait a few hours"
            if status and status != "Enabled":
                not_enabled[rec.sku_part_number] = status
    for rec in f.target_subs.itertuples(index=False):
        for plan in rec.service_plans:
            state = str(plan[2]).strip() if len(plan) > 2 else ""
            if state in NOT_PROVISIONED:
                plans[str(plan[0])] = state
    if not not_enabled and not plans:
        return []
    return [_Hit("SUBSCRIPTION_NOT_READY", {
        "not_enabled": not_enabled, "plans_not_provisioned": dict(sorted(plans.items()))})]


def _flag(code: str, attr: str) -> Rule:
    """A rule read straight off a ``tenant.yaml`` fact no export carries."""

    def rule(f: _Facts) -> list[_Hit]:
        return [_Hit(code, {attr: True})] if getattr(f.config, attr) else []

    rule.__name__ = f"_{attr}"
    return rule


def _multiple(f: _Facts) -> list[_Hit]:
    subs = f.source_subs
    if subs is None:
        return []
    ids = sorted({str(i) for t in subs["subscription_ids"] for i in t if str(i).strip()})
    n = max(len(ids), len(subs))
    if n < 2:
        return []
    return [_Hit("MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT",
                 {"subscriptions": n, "subscription_ids": ids})]


def _government(f: _Facts) -> list[_Hit]:
    by_sku = f.source.part_number.strip().upper().endswith("_GOV")
    if not (f.config.government_or_nonprofit or by_sku):
        return []
    return [_Hit("GOVERNMENT_OR_NONPROFIT",
                 {"source": f.source.part_number, "government_or_nonprofit":
                  f.config.government_or_nonprofit, "government_sku": by_sku})]


def _data_services(f: _Facts) -> list[_Hit]:
    cmp = compare_plans(f.source, f.target)
    if cmp["data_services"] != "lower":
        return []
    return [_Hit("TARGET_FEWER_DATA_SERVICES", {
        "target": f.target.part_number,
        "target_name": _name(f.target),
        "exchange_source": cmp["exchange_source"] or "none",
        "exchange_target": cmp["exchange"] or "none",
        "sharepoint_source": cmp["sharepoint_source"] or "none",
        "sharepoint_target": cmp["sharepoint"] or "none",
    })]


def _fewer_services(f: _Facts) -> list[_Hit]:
    """A target lacking an E4 service (with no successor) is a change, not an upgrade: the
    Upgrade tab lists only plans with the same or more services [S5a]; Microsoft itself calls
    the E3 options "Change to" [S2]. A target with fewer *data* services already has
    ``TARGET_FEWER_DATA_SERVICES``, which says more (back up data)."""
    cmp = compare_plans(f.source, f.target)
    if not cmp["lacks"] or cmp["data_services"] == "lower":
        return []
    return [_Hit("TARGET_FEWER_SERVICES", {
        "target": f.target.part_number, "target_name": _name(f.target),
        "lacks": list(cmp["lacks"])})]


def _round_limited(f: _Facts) -> list[_Hit]:
    """The Upgrade tab reassigns ALL users and cancels E4 [S1]: a round tenant.yaml limits
    (some users excluded, only some moved) can only be done manually [S5b: "not all users
    should move" is a reason to change manually]."""
    limits = round_limits(f.config)
    if not limits:
        return []
    return [_Hit("UPGRADE_TAB_MOVES_EVERYONE", {"limits": limits})]


def _trial(f: _Facts) -> list[_Hit]:
    """``trial``: the target subscription is a trial. Users moved onto it lose its services
    when the trial ends unless it is made paid first (inference from the lifecycle [S9])."""
    if not f.config.trial:
        return []
    return [_Hit("TARGET_IS_TRIAL", {
        "target": f.target.part_number, "target_name": _name(f.target),
        "target_available": f.counts.target_available})]


def _disabled_plans_unknown(f: _Facts) -> list[_Hit]:
    """An export that cannot show per-user disabled plans (admin center, MSOnline) hides what
    the Upgrade tab would switch on [S5a, S5c]; say so instead of implying there is none."""
    if f.carries_disabled_plans or not f.counts.source_users:
        return []
    return [_Hit("DISABLED_PLANS_UNKNOWN", {"users": f.counts.source_users})]


def _addon_plans(f: _Facts, token: str) -> tuple[str, set[str]]:
    """An add-on's readable name and the service plans it carries (its part number as the one
    plan when the catalog lists none, as Microsoft's add-on SKUs carry a same-named plan)."""
    sku = f.catalog.resolve(token)
    if sku is None:
        return token, {token.strip().upper()}
    plans = {p.strip().upper() for p in sku.plan_names} or {sku.part_number.strip().upper()}
    return _name(sku), plans


def _addons(f: _Facts) -> list[_Hit]:
    if not f.config.addons:
        return []
    target_plans = {p.strip().upper() for p in f.target.plan_names}
    names, included = [], []
    for token in f.config.addons:
        name, plans = _addon_plans(f, token)
        names.append(name)
        if target_plans and plans <= target_plans:
            included.append(name)
    hits = [_Hit("HAS_ADDON", {"count": len(names), "addons": names})]
    if included:
        hits.append(_Hit("ADDONS_INCLUDED_IN_TARGET_REMOVED", {
            "target": f.target.part_number, "target_name": _name(f.target),
            "addons": included}))
    return hits


def _credit(f: _Facts) -> list[_Hit]:
    """Paying by invoice: a credit check *may* be required, taking up to two business days
    [S1, S5a], so start + 2 business days is the latest completion."""
    if f.config.payment_method != "invoice":
        return []
    end = add_business_days(f.start_date, CREDIT_CHECK_BUSINESS_DAYS) if f.start_date else None
    evidence = {
        "payment_method": f.config.payment_method,
        "business_days": CREDIT_CHECK_BUSINESS_DAYS,
        "start_date": f.start_date.isoformat() if f.start_date else None,
        "latest_completion": end.isoformat() if end else None,
        "public_holidays_counted": False,
    }
    key = "CREDIT_CHECK_LIKELY" if end else "CREDIT_CHECK_LIKELY.no_date"
    return [_Hit("CREDIT_CHECK_LIKELY", evidence, message_key=key)]


def _credit_possible(f: _Facts, path: str) -> list[_Hit]:
    """Any other payer who buys: a credit check may also apply when "the purchase is above a
    certain cost" [S1, S5a]. Microsoft names no amount, so no threshold is guessed here. The
    Upgrade tab always buys; the manual path buys when licenses are short (or unknown)."""
    if f.config.payment_method == "invoice" or path == "contact-partner":
        return []
    if path != "upgrade-tab" and f.counts.to_buy == 0:
        return []
    return [_Hit("CREDIT_CHECK_POSSIBLE", {
        "payment_method": f.config.payment_method, "to_buy": f.counts.to_buy,
        "business_days": CREDIT_CHECK_BUSINESS_DAYS})]


def _disabled_plans(f: _Facts) -> list[_Hit]:
    rows = f.source_rows
    with_disabled = rows[has_items(rows["disabled_plans"])]
    if with_disabled.empty:
        return []
    per_plan = (
        with_disabled[["upn", "disabled_plans"]].explode("disabled_plans")
        .drop_duplicates().groupby("disabled_plans")["upn"].nunique()
    )
    ordered = sorted(per_plan.items(), key=lambda kv: (-kv[1], kv[0]))
    return [_Hit("DISABLED_PLANS_RESET_BY_UPGRADE_TAB", {
        "users": int(with_disabled["upn"].nunique()),
        "plans": {str(k): int(v) for k, v in ordered},
    })]


def _groups(f: _Facts) -> list[_Hit]:
    rows = f.source_rows
    inherited = rows[has_items(rows["group_ids"])]
    if inherited.empty:
        return []
    group_ids = sorted(set(inherited["group_ids"].explode().dropna().astype(str)))
    return [_Hit("GROUP_BASED_LICENSES", {
        "users": int(inherited["upn"].nunique()),
        "groups": len(group_ids),
        "group_ids": group_ids,
        "also_direct": int(inherited.loc[inherited["assigned_directly"], "upn"].nunique()),
    })]


def _usage_location(f: _Facts) -> list[_Hit]:
    u = f.flags
    missing = u["source"] & u["no_usage_location"]
    if not missing.any():
        return []
    default = f.config.default_usage_location
    evidence = {
        "users": int(missing.sum()),
        "direct": int((missing & u["source_direct"]).sum()),
        "default_usage_location": default,
    }
    remedy = "MISSING_USAGE_LOCATION.default" if default else ""
    return [_Hit("MISSING_USAGE_LOCATION", evidence, remedy_key=remedy)]


def _loses_features(f: _Facts) -> list[_Hit]:
    cmp = compare_plans(f.source, f.target)
    if not cmp["lacks"]:
        return []
    return [_Hit("TARGET_LOSES_E4_FEATURES", {
        "target": f.target.part_number,
        "target_name": _name(f.target),
        "lacks": list(cmp["lacks"]),
        "phone_system": cmp["phone_system"],
        "audio_conferencing": cmp["audio_conferencing"],
    })]


def _assignment_errors(f: _Facts) -> list[_Hit]:
    u = f.flags
    involved = u.index[(u["source"] | u["has_target_row"]) & u["any_error"]]
    if len(involved) == 0:
        return []
    t = f.licenses
    rows = t[t["upn"].isin(involved) & t["state"].isin(ERROR_STATES)]
    reason = rows["error"].where(rows["error"].str.strip() != "", rows["state"])
    per = pd.DataFrame({"upn": rows["upn"], "reason": reason}).drop_duplicates()
    counts = per.groupby("reason")["upn"].nunique()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [_Hit("LICENSE_ASSIGNMENT_ERRORS", {
        "users": len(involved), "errors": {str(k): int(v) for k, v in ordered}})]


def _subscriptions_unknown(f: _Facts) -> list[_Hit]:
    if f.subscriptions is not None:
        return []
    return [_Hit("SUBSCRIPTIONS_UNKNOWN", {
        "unknown": list(f.counts.unknown),
        "unchecked": ["SOURCE_EXPIRED", "MORE_USERS_THAN_LICENSES", "SUBSCRIPTION_NOT_READY",
                      "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT"],
    })]


RULES: tuple[Rule, ...] = (
    _source_expired,
    _channel,
    _more_users,
    _not_ready,
    _flag("PENDING_CHANGE_OR_CREDIT_CHECK", "pending_change"),
    _multiple,
    _flag("PREPAID_PLAN", "prepaid"),
    _government,
    _data_services,
    _fewer_services,
    _round_limited,
    _flag("UNPAID_BALANCE", "unpaid_balance"),
    _addons,
    _credit,
    _trial,
    _disabled_plans,
    _disabled_plans_unknown,
    _groups,
    _usage_location,
    _loses_features,
    _assignment_errors,
    _subscriptions_unknown,
)
"""Rules that do not depend on the path."""


def _upgrade_tab_rules(f: _Facts) -> list[_Hit]:
    """Findings that only matter when the Upgrade tab is the path."""
    c = f.counts
    hits = [_Hit("ADMIN_DOWNTIME", {
        "users": c.source_users,
        "credit_check": f.config.payment_method == "invoice",
    })]
    unassigned = (max(0, c.source_purchased - c.source_users)
                  if c.source_purchased is not None else None)
    could = (unassigned or 0) + c.reclaimable
    if could > 0:
        hits.append(_Hit("LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE", {
            "purchased": c.source_purchased,
            "assigned": c.source_users,
            "unassigned": unassigned,
            "reclaimable": c.reclaimable,
            "could_reduce_by": could,
        }, message_key="" if unassigned is not None
            else "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE.unknown_unassigned"))
    # The Upgrade tab walks the admin through *buying* the new plan [S1]; licenses already
    # bought are used by the manual path, whose step 1 is skipped when the plan exists.
    if c.target_purchased:
        hits.append(_Hit("TARGET_ALREADY_PURCHASED", {
            "target": f.target.part_number,
            "target_name": _name(f.target),
            "target_purchased": c.target_purchased,
            "target_available": c.target_available,
            "to_buy": c.to_buy,
        }, remedy_key="TARGET_ALREADY_PURCHASED.enough" if c.to_buy == 0 else ""))
    return hits


def _name(sku: Sku) -> str:
    return sku.display_name or sku.part_number


def _finding(hit: _Hit, lang: str) -> Finding:
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
    rank = {code: i for i, code in enumerate(CODE_ORDER)}
    return tuple(sorted(findings, key=lambda x: (SEVERITIES.index(x.severity), rank[x.code])))


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
    source = resolve_sku(catalog, config.source, "source")
    target = resolve_sku(catalog, config.target, "target")
    flags = user_flags(config, licenses, source, target)
    counts = count_licenses(config, licenses, subscriptions, catalog, flags=flags)
    facts = _Facts(
        config=config, licenses=licenses, subscriptions=subscriptions, catalog=catalog,
        source=source, target=target, flags=flags, counts=counts,
        source_rows=licenses[sku_rows(licenses, source)], start_date=start_date,
        carries_disabled_plans=carries_disabled_plans,
    )
    hits = [hit for rule in RULES for hit in rule(facts)]
    codes = {h.code for h in hits}
    if codes & {"PURCHASED_VIA_PARTNER", "PURCHASED_VIA_VOLUME_LICENSING"}:
        path = "contact-partner"
    elif any(SEVERITY[c] == "blocker" for c in codes):
        path = "manual"
    else:
        path = "upgrade-tab"
    if path == "upgrade-tab":
        hits += _upgrade_tab_rules(facts)
    hits += _credit_possible(facts, path)
    lang = config.language
    return Assessment(
        path=path,
        upgrade_tab_possible=path == "upgrade-tab",
        findings=_ordered([_finding(h, lang) for h in hits]),
        counts=counts,
        tenant=config.name,
        language=lang,
        target=target.part_number,
        target_name=_name(target),
        comparison=compare_targets(catalog, source.part_number),
    )


def assess(tenant: Tenant, *, start_date: date | None = None) -> Assessment:
    """Assess a loaded tenant folder (what ``e4-playbook assess`` and notebook 1 call)."""
    return assess_tables(tenant.config, tenant.licenses, tenant.subscriptions, tenant.catalog,
                         start_date=start_date,
                         carries_disabled_plans=tenant.carries_disabled_plans)
