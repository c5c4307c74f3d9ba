"""Findings: every code with its fixed severity, order and sources, and the result objects.

A finding has a stable code, a severity, evidence (numbers) and a remedy in the tenant's
language. Severities:

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
- ``NOTHING_TO_MOVE`` (no user holds E4 in the export) is a blocker: with no one to move, the
  Upgrade tab has nothing to do, and saying it is possible would send an admin to buy a plan
  for nobody.
- Without a subscription export the seat, readiness and subscription-count checks cannot run:
  the verdict still follows the rule above and ``SUBSCRIPTIONS_UNKNOWN`` names what was not
  checked, instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from playbook.counting import COUNT_KEYS, LicenseCount
from playbook.messages import message, text

PATHS: tuple[str, ...] = ("upgrade-tab", "manual", "contact-partner")

ROUTE_TO_MANUAL: frozenset[str] = frozenset({
    "TARGET_ALREADY_PURCHASED",
    "DISABLED_PLANS_RESET_BY_UPGRADE_TAB",
})
"""Warnings whose fix is the manual path for certain (not "if the tab is empty"): the tab would
buy licences already bought, or switch on services the admin switched off. When one fires,
the route is ``manual`` although the tab could be used (``upgrade_tab_possible`` stays True),
so step 1 never says "Upgrade tab" while its own finding says to go manual."""
SEVERITIES: tuple[str, ...] = ("blocker", "warning", "info")

SEVERITY: dict[str, str] = {
    "SOURCE_EXPIRED": "blocker",
    "NOTHING_TO_MOVE": "blocker",
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
    "NOTHING_TO_MOVE": "S1",
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

    @property
    def advised_manual(self) -> tuple[str, ...]:
        """Codes of the findings that moved the route from the Upgrade tab to manual."""
        if self.path != "manual" or not self.upgrade_tab_possible:
            return ()
        return tuple(c for c in self.codes() if c in ROUTE_TO_MANUAL)

    def route_text(self) -> str:
        """The route in one line, naming the findings that advise manual over the tab."""
        advised = self.advised_manual
        if advised:
            return message("ui.path.manual.advised", self.language, codes=", ".join(advised))
        return message(f"ui.path.{self.path}", self.language)

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
            "buy": self.counts.buy.to_dict(),
        }

    def to_text(self) -> str:
        """A readable verdict: path, blockers, warnings, info, counts, the target comparison."""
        lang = self.language
        lines = [
            message("ui.tenant", lang, tenant=self.tenant,
                    target=f"{self.target_name} ({self.target})" if self.target_name
                    else self.target),
            self.route_text(),
            self.counts.buy.to_text(lang, self.target_name or self.target),
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
