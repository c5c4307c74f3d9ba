"""Where the move stands, what is left to run, and whether E4 may be cancelled yet.

Days pass between planning and cancelling (credit checks, batches run by hand, group processing in
the background), so this step re-reads the tenant *after* the reassignment and compares it, user by
user, with the plan it was made from. The export is the truth; the script's results log only adds
detail to it, never overrides it.

Statuses, one row per user the plan decided about (its user-swap, reclaim, fix-usage-location,
group-member or skip row; set-usage-location rows only prepare a swap), plus one per user who
holds E4 outside the plan:

============  ==================================================================================
moved         holds the target with the planned disabled plans, no E4, no error
pending       still holds E4 and not the target (not run yet, or the group is still processing)
partial       holds the target *and* E4: remove E4 (run the action again)
failed        E4 or the target is in an error state on the user; the Graph error code is
              explained with its fix (errors on unrelated products do not count)
drifted       moved, but the target's disabled plans differ from the plan
unexpected    appeared or lost licenses outside the plan (lost E4 without the target, other
              licenses gained or lost, missing from the export, holds E4 but not in the plan)
============  ==================================================================================

The cancellation gate opens only when nobody holds E4 (directly or through a group), E4's consumed
units are zero where a subscriptions export is known, and no planned user is failed or partial.
Every closed gate lists its reasons with the users behind them.

The remaining plan keeps every pending, partial or failed row, the group swap of a member still
on E4, and the set-usage-location row of a kept swap while the user still has no location; it is
:func:`playbook.planning.remaining_plan`, written by :func:`write_remaining` in the plan's formats.

Status table columns: ``upn, action_id, batch, kind, status, detail, fix, error`` (``error`` is the
Graph error code of a failed row, "" otherwise; ``action_id`` is "" for users outside the plan).
Group table columns: ``action_id, batch, group_id, members_seen, members_with_source,
members_in_error, members_moved, status``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from playbook.cancellation import (
    ChecklistItem,
    SourceSeats,
    cancellation_checklist,
    source_seats,
)
from playbook.catalog import SOURCE_PART, Catalog, is_guid, normalize_key
from playbook.errors import InputError, NotAnAfterExport
from playbook.planning import EXECUTED_KINDS, USER_DECISION_KINDS
from playbook.table import ERROR_STATES, LICENSE_COLUMNS

STATUSES: tuple[str, ...] = ("moved", "pending", "partial", "failed", "drifted", "unexpected")

STATUS_COLUMNS: tuple[str, ...] = (
    "upn", "action_id", "batch", "kind", "status", "detail", "fix", "error",
)
GROUP_COLUMNS: tuple[str, ...] = (
    "action_id", "batch", "group_id", "members_seen", "members_with_source",
    "members_in_error", "members_moved", "status",
)

# Gate reason codes (stable: scripts and dashboards key on them).
SOURCE_HELD_DIRECT = "SOURCE_HELD_DIRECT"
SOURCE_HELD_BY_GROUP = "SOURCE_HELD_BY_GROUP"
SOURCE_CONSUMED_UNITS = "SOURCE_CONSUMED_UNITS"
USERS_FAILED = "USERS_FAILED"
USERS_PARTIAL = "USERS_PARTIAL"
USERS_NOT_IN_EXPORT = "USERS_NOT_IN_EXPORT"

REASON_TEXT: dict[str, str] = {
    SOURCE_HELD_DIRECT: "users still hold E4 assigned directly",
    SOURCE_HELD_BY_GROUP: "users still hold E4 through a group",
    SOURCE_CONSUMED_UNITS: "the subscriptions export still counts E4 units as consumed",
    USERS_FAILED: "planned users are in a license error state",
    USERS_PARTIAL: "planned users hold both the target and E4",
    USERS_NOT_IN_EXPORT: "planned users are missing from the after export, and no subscriptions "
                         "export proves E4 is unassigned",
}

# Graph licenseAssignmentState.error codes: what they mean and what to do (docs/microsoft-facts.md
# section 6, sources S15, S19, S24d).
ERROR_CODES: dict[str, tuple[str, str]] = {
    "CountViolation": (
        "not enough available licenses of the product",
        "buy more licenses of the target or free unused ones, then run the remaining plan",
    ),
    "MutuallyExclusiveViolation": (
        "a service plan of the product conflicts with a plan the user already has from another "
        "license",
        "remove the conflicting license (or disable the conflicting plan), then run the "
        "remaining plan",
    ),
    "DependencyViolation": (
        "another license depends on a service plan that this change disables or removes (e.g. "
        "Audio Conferencing needs Skype for Business / Teams)",
        "keep the required plan enabled or remove the dependent license first, then run the "
        "remaining plan",
    ),
    "ProhibitedInUsageLocationViolation": (
        "the user's usage location is missing or the product is not sold there",
        "set a valid usage location on the user (Update-MgUser -UsageLocation XX), then run "
        "the remaining plan",
    ),
    "UniquenessViolation": (
        "a value that must be unique is already used by another object: typically a duplicate "
        "proxy (e-mail) address in Exchange Online",
        "find the duplicate (Get-Recipient -Filter \"EmailAddresses -eq '<address>'\"), remove "
        "it, then run the remaining plan",
    ),
    "Other": (
        "Entra reported an unclassified license error",
        "open the user's Licenses page in the admin center to read the message, fix it, then "
        "run the remaining plan",
    ),
}

# every E4 user has one row of USER_DECISION_KINDS; set-usage-location only prepares a
# user-swap, so it gets no status row of its own
_USER_KINDS = USER_DECISION_KINDS
_EXECUTED_KINDS = EXECUTED_KINDS
_GROUP_KIND = "group-swap"
_MEMBER_KIND = "group-member"
_ON_TARGET = "already-on-target"
# what each users format can show (playbook.synth.as_read documents the same)
_FORMATS_WITH_DISABLED_PLANS = frozenset({"graph-json", "graph-powershell"})
_FORMATS_WITH_STATES = frozenset({"graph-json"})
_REMAINING_STATUSES = ("pending", "partial", "failed")
_TEXT_LIMIT = 10  # users named per line in to_text()


# ---------------------------------------------------------------------------------------------
# result object


@dataclass(frozen=True)
class Verification:
    """The verdict of one verification run (plain data; ``to_dict`` is the JSON contract)."""

    tenant: str
    safe_to_cancel: bool
    reasons: tuple[tuple[str, tuple[str, ...]], ...]
    status: pd.DataFrame
    status_counts: dict[str, int]
    group_status: pd.DataFrame
    remaining: Any | None  # a planning.Plan of the actions still to run, or None
    checklist: tuple[ChecklistItem, ...] = ()
    source_part: str = SOURCE_PART
    target_part: str = ""
    error_counts: dict[str, int] = field(default_factory=dict)
    remaining_action_ids: tuple[str, ...] = ()
    groups_holding_source: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def remaining_actions(self) -> int:
        """Rows of the remaining plan (0 when nothing remains)."""
        return len(self.remaining_action_ids)

    @property
    def runnable_actions(self) -> int:
        """Rows of the remaining plan that make a call (the rest are listed for the admin)."""
        if self.remaining is None:
            return 0
        table = self.remaining if isinstance(self.remaining, pd.DataFrame) else \
            self.remaining.table
        return int((table["kind"].isin(_EXECUTED_KINDS) & (table["batch"] > 0)).sum())

    def to_dict(self) -> dict[str, Any]:
        """The ``verify --json`` contract (extra keys: errors, groups, checklist, warnings)."""
        return {
            "tenant": self.tenant,
            "safe_to_cancel": self.safe_to_cancel,
            "reasons": [{"code": c, "users": list(u)} for c, u in self.reasons],
            "status_counts": {s: int(self.status_counts.get(s, 0)) for s in STATUSES},
            "remaining_actions": self.remaining_actions,
            "remaining_runnable": self.runnable_actions,
            "source": self.source_part,
            "target": self.target_part,
            "errors": {k: int(v) for k, v in self.error_counts.items()},
            "groups": _records(self.group_status),
            "groups_holding_source": list(self.groups_holding_source),
            "checklist": [item.to_dict() for item in self.checklist],
            "warnings": list(self.warnings),
        }

    def to_text(self) -> str:
        """A terminal report: counts, verdict with reasons, what failed and why, the checklist."""
        lines = [f"Verification for {self.tenant}: {self.source_part} -> {self.target_part}"]
        lines.append("Status: " + ", ".join(
            f"{s} {int(self.status_counts.get(s, 0))}" for s in STATUSES))
        if self.safe_to_cancel:
            lines.append(f"Safe to cancel {self.source_part}: YES (nobody holds it, no planned "
                         "user is failed or partial)")
        else:
            lines.append(f"Safe to cancel {self.source_part}: NO")
            for code, users in self.reasons:
                lines.append(f"  - {code}: {REASON_TEXT.get(code, '')}"
                             + (f" ({len(users)}: {_names(users)})" if users else ""))
            if self.groups_holding_source:
                lines.append("    groups still assigning it: "
                             + _names(self.groups_holding_source))
        problems = self.status[self.status["status"] != "moved"]
        if not problems.empty:
            lines.append("")
            lines.append("Not moved (first rows):")
            for rec in problems.head(25).itertuples(index=False):
                who = rec.upn or "(group)"
                where = f"{rec.action_id}, batch {rec.batch}" if rec.action_id else "not in plan"
                lines.append(f"  {rec.status:<10} {who} ({where}): {rec.detail}")
                if rec.fix:
                    lines.append(f"             fix: {rec.fix}")
            if len(problems) > 25:
                lines.append(f"  ... and {len(problems) - 25} more (see the status table)")
        if not self.group_status.empty:
            lines.append("")
            lines.append("Groups:")
            for rec in self.group_status.itertuples(index=False):
                lines.append(
                    f"  {rec.group_id} ({rec.action_id}): {rec.status}; members seen "
                    f"{rec.members_seen}, still with source {rec.members_with_source}, "
                    f"in error {rec.members_in_error}, moved {rec.members_moved}")
        lines.append("")
        if self.remaining_actions:
            lines.append(f"Remaining plan: {self.remaining_actions} action(s), "
                         f"{self.runnable_actions} to run in the next round; the others wait on "
                         "a group swap, a usage location or your decision (write its artifacts "
                         "with playbook.verification.write_remaining).")
        else:
            lines.append("Remaining plan: nothing left to run.")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        if self.checklist:
            lines.append("")
            lines.append(f"Before cancelling {self.source_part}:")
            for item in self.checklist:
                lines.append(f"  [{item.source}] {item.text}")
        return "\n".join(lines)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (numpy integers become int)."""
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
            for rec in df.to_dict("records")]


def _names(items: Iterable[str], limit: int = _TEXT_LIMIT) -> str:
    items = list(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ---------------------------------------------------------------------------------------------
# the plan as this module needs it


@dataclass(frozen=True)
class _PlanView:
    actions: pd.DataFrame  # normalized copy; group-member rows carry their group's target
    tenant: str
    source_part: str
    source_id: str
    target_part: str


def _plan_view(plan: Any) -> _PlanView:
    """Read what verification needs from a :class:`playbook.planning.Plan` (or a bare table)."""
    if isinstance(plan, pd.DataFrame):
        table, tenant, source, target = plan, "", {}, {}
    else:
        table = plan.table
        tenant = str(plan.tenant or "")
        source, target = dict(plan.source or {}), dict(plan.target or {})
    actions = _normalize_actions(table)
    removes = actions.loc[actions["remove_sku_part_number"] != "", "remove_sku_part_number"]
    adds = actions.loc[actions["add_sku_part_number"] != "", "add_sku_part_number"]
    ids = actions.loc[actions["remove_sku_id"] != "", "remove_sku_id"]
    source_part = str(source.get("sku_part_number") or
                      (removes.mode().iat[0] if not removes.empty else SOURCE_PART))
    source_id = str(source.get("sku_id") or (ids.mode().iat[0] if not ids.empty else ""))
    target_part = str(target.get("sku_part_number") or
                      (adds.mode().iat[0] if not adds.empty else ""))
    return _PlanView(actions, tenant, source_part.upper(), source_id.lower(),
                     target_part.upper())


_STR_ACTION_COLUMNS = (
    "action_id", "kind", "upn", "user_id", "group_id", "add_sku_id", "add_sku_part_number",
    "remove_sku_id", "remove_sku_part_number", "new_usage_location", "reason_code", "reason",
)
_TUPLE_ACTION_COLUMNS = ("disabled_plans_after", "after_skus", "before_skus")


def _normalize_actions(actions: pd.DataFrame) -> pd.DataFrame:
    """The plan-table columns verification reads, filled; hand-built tables work too.

    A ``group-member`` row is moved by its group's swap, so it takes the target, the removed
    SKU and the disabled plans of that ``group-swap`` row.
    """
    out = actions.copy()
    for col in _STR_ACTION_COLUMNS:
        out[col] = out[col].fillna("").astype(str) if col in out.columns else ""
    out["upn"] = out["upn"].str.strip().str.lower()
    out["group_key"] = out["group_id"].str.strip().str.lower()
    for col in ("add_sku_part_number", "remove_sku_part_number"):
        out[col] = out[col].str.upper()
    out["batch"] = (pd.to_numeric(out["batch"], errors="coerce").fillna(0).astype("int64")
                    if "batch" in out.columns else 0)
    for col in _TUPLE_ACTION_COLUMNS:
        out[col] = (_tuples(out[col]) if col in out.columns
                     else _tuples(pd.Series([()] * len(out), index=out.index, dtype=object)))
    member = out["kind"] == _MEMBER_KIND
    if member.any():
        groups = out[out["kind"] == _GROUP_KIND].drop_duplicates("group_key").set_index(
            "group_key")
        keys = out.loc[member, "group_key"]
        for col in ("add_sku_id", "add_sku_part_number", "remove_sku_id",
                    "remove_sku_part_number"):
            out.loc[member, col] = keys.map(groups[col]).fillna("").to_numpy()
        plans = groups["disabled_plans_after"].to_dict()
        out.loc[member, "disabled_plans_after"] = pd.Series(
            [plans.get(k, ()) for k in keys], index=keys.index, dtype=object)
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the pure rules


def verify_tables(
    plan: Any,
    after_licenses: pd.DataFrame,
    after_subscriptions: pd.DataFrame | None,
    catalog: Catalog,
    *,
    results_log: pd.DataFrame | None = None,
    config: Any | None = None,
    after_source: str | Path | None = None,
    after_format: str | None = None,
) -> Verification:
    """Compare an after export with the plan: statuses, gate, remaining plan, checklist.

    ``plan`` is a :class:`playbook.planning.Plan` (a bare plan table works for tests; its
    remaining plan is then a filtered table). ``config`` (a
    :class:`playbook.tenant.TenantConfig`) tailors the checklist; without it the rules of both
    agreements are listed. ``results_log`` is the script's results CSV as read (text cells).
    ``after_source`` only names the export in errors; ``after_format`` (the reader's format
    name) says what the export can show: without disabled plans no drift is reported, and the
    warnings say what could not be checked. No I/O: the caller reads the files.
    """
    _check_columns(plan, after_licenses, after_source)
    view = _plan_view(plan)
    src = view.source_part
    after = _prepare_after(after_licenses, catalog)
    _check_is_after_export(view, after, after_source)

    targets = set(view.actions["add_sku_part_number"]) - {""}
    facts = _user_facts(after, src, targets)
    shows_plans = after_format is None or after_format in _FORMATS_WITH_DISABLED_PLANS
    status_user, missing = _classify_user_actions(view, after, facts, catalog,
                                                  check_plans=shows_plans)
    status_extra = _unplanned_source_holders(view, after, status_user)
    parts = [p for p in (status_user, status_extra) if not p.empty]
    status = pd.concat(parts, ignore_index=True) if parts else _empty_status()
    status = status.reindex(columns=list(STATUS_COLUMNS))
    status["batch"] = status["batch"].astype("int64")
    if results_log is not None and not results_log.empty:
        status = _add_script_detail(status, results_log, view.actions)

    counts = {s: int((status["status"] == s).sum()) for s in STATUSES}
    failed = status[status["status"] == "failed"]
    error_counts = {str(k): int(v) for k, v in failed["error"].value_counts().sort_index().items()}

    seats = source_seats(after_subscriptions, src, view.source_id)
    reasons, groups_holding = _gate_reasons(after, status, seats, missing, src)
    keep = _remaining_ids(status, view, facts)
    remaining = _remaining_plan(plan, keep) if keep else None

    holders = int(after.loc[after["part"] == src, "upn"].nunique())
    checklist = cancellation_checklist(
        agreement=getattr(config, "agreement", None),
        purchase_channel=getattr(config, "purchase_channel", None),
        custom_domains=tuple(getattr(config, "custom_domains", ()) or ()),
        seats=seats,
        holders=holders,
        source_name=catalog.display_name(src) if src in catalog else src,
    )
    warnings: list[str] = []
    if not shows_plans:
        warnings.append(f"the {after_format} export does not show disabled plans: drift was not "
                        "checked (export Graph users JSON to check it)")
    if after_format is not None and after_format not in _FORMATS_WITH_STATES:
        warnings.append(f"the {after_format} export shows neither license errors nor groups: a "
                        "failed assignment looks pending, and E4 from a group looks direct "
                        "(export Graph users JSON with licenseAssignmentStates to see both)")
    if after_subscriptions is None:
        warnings.append(f"no subscriptions export after the move: {src}'s consumed units were "
                        "not checked (add after/subscriptions.* to confirm)")
    return Verification(
        tenant=view.tenant or (getattr(config, "name", "") or ""),
        safe_to_cancel=not reasons,
        reasons=reasons,
        status=status,
        status_counts=counts,
        group_status=_group_table(view, status, after["upn"]),
        remaining=remaining,
        checklist=checklist,
        source_part=src,
        target_part=view.target_part,
        error_counts=error_counts,
        remaining_action_ids=keep,
        groups_holding_source=groups_holding,
        warnings=tuple(warnings),
    )


def _check_columns(plan: Any, after: pd.DataFrame, source: str | Path | None) -> None:
    """Bad input is one line naming what is missing, never a KeyError."""
    missing = [c for c in LICENSE_COLUMNS if c not in after.columns]
    if missing:
        raise InputError(source or "after export", "not a license table", column=missing[0],
                         fix="read the export with playbook.exports.read_users")
    table = plan if isinstance(plan, pd.DataFrame) else getattr(plan, "table", None)
    if not isinstance(table, pd.DataFrame) or not {"action_id", "kind", "upn"} <= set(
            table.columns):
        raise InputError("plan", "not a plan (no action table with action_id, kind, upn)",
                         fix="load it with playbook.planning.load_plan")


def _prepare_after(after: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Derived columns the rules use: part number, label, held, error code, tuples."""
    out = after.copy()
    part = out["sku_part_number"].fillna("").astype(str).str.strip().str.upper()
    missing = (part == "") & (out["sku_id"].fillna("") != "")
    if missing.any():  # resolve GUID-only rows once per distinct GUID
        names = {}
        for i in out.loc[missing, "sku_id"].unique():
            sku = catalog.resolve(i)
            names[i] = sku.part_number.upper() if sku else ""
        part = part.mask(missing, out["sku_id"].map(names).fillna(""))
    out["part"] = part
    # what planning lists in before/after_skus: the part number, else the export's own name
    label = part.where(part != "", out["product_name"].fillna("").astype(str).str.strip())
    out["label"] = label.str.upper()
    out["upn"] = out["upn"].astype(str).str.strip().str.lower()
    state = out["state"].fillna("").astype(str)
    code = out["error"].fillna("").astype(str).str.strip()
    code = code.mask(code.str.lower().isin(["none", "null"]), "")
    in_error = (part != "") & (state.isin(ERROR_STATES) | (code != ""))
    # an error state without a code is still an error: Graph's catch-all is "Other"
    out["error_code"] = code.mask(in_error & (code == ""), "Other").where(in_error, "")
    out["in_error"] = in_error
    # "Error" means the license is not assigned; ActiveWithError still is
    out["held"] = (part != "") & (state != "Error")
    out["group_ids"] = _tuples(out["group_ids"], lambda g: tuple(str(x).lower() for x in g))
    out["disabled_plans"] = _tuples(out["disabled_plans"])
    return out


def _check_is_after_export(view: _PlanView, after: pd.DataFrame, source: str | Path | None) -> None:
    """Refuse an export that shares no user with the plan (another tenant's: exit 4), and one
    that shows no license at all (it cannot say who holds E4)."""
    planned = view.actions.loc[view.actions["upn"] != "", "upn"].unique()
    if len(planned) and not after["upn"].isin(planned).any():
        raise NotAnAfterExport(
            source or "after export",
            f"shares no user with the plan ({len(planned)} planned users, none in this export): "
            "it is another tenant's export",
            fix="export users from the tenant the plan was made for",
        )
    if view.target_part and not (after["label"] != "").any():
        raise InputError(
            source or "after export",
            "the after export shows no licenses at all, so it cannot tell who still holds E4",
            fix="export with licenses (admin center Users > Active users > Export users, or "
                "Graph users with assignedLicenses and licenseAssignmentStates)",
        )


def _user_facts(after: pd.DataFrame, src: str, targets: Iterable[str]) -> pd.DataFrame:
    """Per user: holds E4, first relevant error, usage location (index = every upn).

    Only errors on E4 or a target count: an unrelated product in error says nothing about the
    move (and must not keep E4 alive).
    """
    users = after.drop_duplicates("upn").set_index("upn")[["usage_location"]].copy()
    users["usage_location"] = users["usage_location"].fillna("").astype(str)
    srows = after[after["part"] == src]
    users["src"] = users.index.isin(srows["upn"])
    relevant = after["part"].isin({src, *targets})
    errs = after[after["in_error"] & relevant].sort_values(
        "part", key=lambda p: p == src, kind="stable").drop_duplicates("upn").set_index("upn")
    users["error_code"] = errs["error_code"].reindex(users.index).fillna("")
    return users


def _tuples(col: pd.Series, fix: Any = None) -> pd.Series:
    """A tuple column (lists, NaN and None too), ``fix`` applied once per distinct value.

    Distinct values are few (one per plan decision or group), so this stays vectorized.
    """
    values = col.to_numpy(dtype=object)
    try:
        codes, uniq = pd.factorize(values)
    except TypeError:  # lists are unhashable
        values = values.copy()
        for i in np.flatnonzero([isinstance(v, list) for v in values]):
            values[i] = tuple(values[i])
        codes, uniq = pd.factorize(values)
    table = np.empty(len(uniq) + 1, dtype=object)  # the last slot is for NaN (code -1)
    for i, v in enumerate([*uniq, ()]):
        t = tuple(v) if isinstance(v, list | tuple) else ()
        table[i] = fix(t) if fix else t
    return pd.Series(table[codes], index=col.index, dtype=object)


def _plans_key(values: pd.Series, catalog: Catalog) -> pd.Series:
    """Disabled plans as comparable keys: GUIDs named where known, case-folded, sorted."""

    def key(plans: tuple[str, ...]) -> tuple[str, ...]:
        names = set()
        for p in plans:
            hit = catalog.plan_by_id(p) if is_guid(p) else None
            names.add(normalize_key(hit.name if hit else p))
        return tuple(sorted(names))

    return _tuples(values, key)


def _classify_user_actions(
    view: _PlanView, after: pd.DataFrame, facts: pd.DataFrame, catalog: Catalog, *,
    check_plans: bool = True,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """One status row per user decision of the plan, decided with vectorized masks.

    Returns the rows and the planned E4 users missing from the export. Users the plan lists
    only because they were already on the target drop out unless they hold E4 again.
    """
    acts = view.actions[
        view.actions["kind"].isin(_USER_KINDS) & (view.actions["upn"] != "")
    ].reset_index(drop=True)
    if acts.empty:
        return _empty_status(), ()
    src = view.source_part
    f = facts.reindex(acts["upn"])
    in_export = f["src"].notna().to_numpy()
    has_src = f["src"].fillna(False).astype(bool).to_numpy()
    on_target = ((acts["kind"] == "skip")
                 & acts["reason_code"].str.contains(_ON_TARGET, regex=False)).to_numpy()
    keep = ~on_target | has_src
    acts, f = acts[keep].reset_index(drop=True), f[keep]
    in_export, has_src, on_target = in_export[keep], has_src[keep], on_target[keep]
    missing = tuple(sorted(set(acts.loc[~in_export, "upn"])))
    if acts.empty:
        return _empty_status(), missing
    err_code = f["error_code"].fillna("").astype(str).reset_index(drop=True)
    has_err = (err_code != "").to_numpy()
    location = f["usage_location"].fillna("").astype(str).reset_index(drop=True)

    # skip rows name no target: look for the plan's (moved by hand?)
    tgt = acts["add_sku_part_number"].where(acts["add_sku_part_number"] != "",
                                            view.target_part)
    held = after[after["held"]][["upn", "part", "disabled_plans", "group_ids"]].drop_duplicates(
        ["upn", "part"])
    trow = pd.DataFrame({"upn": acts["upn"], "want": tgt}).merge(
        held, how="left", left_on=["upn", "want"], right_on=["upn", "part"])
    has_tgt = (trow["part"].notna() & (tgt != "")).to_numpy()
    got = _plans_key(trow["disabled_plans"], catalog)
    want = _effective_plans(view, _plans_key(acts["disabled_plans_after"], catalog),
                            _tuples(trow["group_ids"]), catalog)
    plans_ok = np.fromiter(map(operator.eq, got, want), bool, len(acts)) | (not check_plans)
    labels = after[after["label"] != ""][["upn", "label"]].drop_duplicates()
    skus_ok = _skus_match(acts, labels)
    kind = acts["kind"].to_numpy()
    reclaim = kind == "reclaim"
    # skip and fix-usage-location rows are not run by this plan: their after_skus say "no
    # change", so a user moved since (by hand or a later plan) is checked only for E4
    unplanned = np.isin(kind, ("skip", "fix-usage-location"))

    # first match wins; the branch number picks the detail text
    conds = [
        ~in_export,                 # 0
        has_err,                    # 1
        reclaim & has_src,          # 2
        reclaim,                    # 3
        on_target,                  # 4 (kept only when E4 is back)
        has_src & has_tgt,          # 5
        has_src,                    # 6
        ~has_tgt,                   # 7
        ~skus_ok & ~unplanned,      # 8
        ~plans_ok & ~unplanned,     # 9
    ]
    choices = ["unexpected", "failed", "pending", "moved", "unexpected", "partial", "pending",
               "unexpected", "unexpected", "drifted"]
    status = np.select(conds, choices, default="moved")
    branch = np.select(conds, list(range(len(conds))), default=len(conds))
    detail, fix = _user_texts(branch, acts, tgt, src, err_code, location, labels, got, want)
    rows = pd.DataFrame({
        "upn": acts["upn"],
        "action_id": acts["action_id"],
        "batch": acts["batch"],
        "kind": acts["kind"],
        "status": status,
        "detail": detail,
        "fix": fix,
        "error": np.where(status == "failed", err_code.to_numpy(dtype=object), ""),
    })
    return rows, missing


def _effective_plans(view: _PlanView, want: pd.Series, target_groups: pd.Series,
                     catalog: Catalog) -> pd.Series:
    """What the plan makes a user's target look like when it arrives by several paths.

    Entra turns a plan off only when every path turns it off, so a user swapped directly who
    also inherits the target from a planned group ends with the plans both disable.
    """
    gacts = view.actions[view.actions["kind"] == _GROUP_KIND].drop_duplicates("group_key")
    has_groups = target_groups.map(len).to_numpy() > 0
    if gacts.empty or not has_groups.any():
        return want
    gplans = dict(zip(gacts["group_key"],
                      _plans_key(gacts["disabled_plans_after"], catalog), strict=True))
    rows = np.flatnonzero(has_groups)
    pairs = pd.Series(list(zip(want.to_numpy()[rows], target_groups.to_numpy()[rows],
                               strict=True)), dtype=object)

    def combine(pair: tuple) -> tuple[str, ...]:
        if not pair:  # _tuples' slot for missing values
            return ()
        plans, groups = pair
        keep = set(plans)
        for g in groups:
            if g in gplans:
                keep &= set(gplans[g])
        return tuple(sorted(keep))

    out = want.to_numpy(dtype=object).copy()
    out[rows] = _tuples(pairs, combine).to_numpy(dtype=object)
    return pd.Series(out, index=want.index, dtype=object)


def _skus_match(acts: pd.DataFrame, labels: pd.DataFrame) -> np.ndarray:
    """True where the user has exactly the plan's ``after_skus`` (no list = not checked).

    Counted with merges instead of per-user sets: equal sets have equal sizes and every
    expected SKU present.
    """
    exp = pd.DataFrame({"row": acts.index, "upn": acts["upn"], "label": acts["after_skus"]})
    exp = exp.explode("label").dropna(subset=["label"])
    exp["label"] = exp["label"].astype(str).str.strip().str.upper()
    exp = exp.drop_duplicates(["row", "label"])
    n_exp = exp.groupby("row").size().reindex(acts.index, fill_value=0)
    n_match = exp.merge(labels, on=["upn", "label"]).groupby("row").size()
    n_match = n_match.reindex(acts.index, fill_value=0)
    n_have = labels.groupby("upn").size().reindex(acts["upn"], fill_value=0).to_numpy()
    return ((n_exp == 0) | ((n_match == n_exp) & (n_have == n_exp))).to_numpy()


def _per_distinct(mask: np.ndarray, fn: Any, *cols: pd.Series | np.ndarray) -> np.ndarray:
    """``fn(*values)`` for the masked rows, computed once per distinct combination of values.

    Texts depend on a handful of values (target, group, error code, reason), so formatting
    each distinct combination once keeps 500k-user tenants fast.
    """
    parts = [np.asarray(c, dtype=object)[mask] for c in cols]
    keys = pd.Series(list(zip(*parts, strict=True)), dtype=object)
    codes, uniq = pd.factorize(keys)
    texts = np.empty(len(uniq), dtype=object)
    for i, values in enumerate(uniq):
        texts[i] = fn(*values)
    return texts[codes]


def _user_texts(
    branch: np.ndarray, acts: pd.DataFrame, tgt: pd.Series, src: str, err_code: pd.Series,
    location: pd.Series, labels: pd.DataFrame, got: pd.Series, want: pd.Series,
) -> tuple[np.ndarray, np.ndarray]:
    """The readable why and fix of each user row (the status is already decided)."""
    n = len(acts)
    detail = np.full(n, "", dtype=object)
    fix = np.full(n, "", dtype=object)
    kind = acts["kind"].to_numpy(dtype=object)
    member = kind == _MEMBER_KIND
    group = acts["group_id"].to_numpy(dtype=object)
    tgt = tgt.to_numpy(dtype=object)
    code = err_code.to_numpy(dtype=object)
    reason = acts["reason"].to_numpy(dtype=object)
    loc = location.to_numpy(dtype=object)
    upn = acts["upn"].to_numpy(dtype=object)
    after_skus = acts["after_skus"].to_numpy(dtype=object)
    got_a, want_a = got.to_numpy(dtype=object), want.to_numpy(dtype=object)

    def put(b: int, text: Any, only: Any = True, *cols: Any) -> None:
        """Fill branch ``b`` (optionally only some of its rows) with ``text(*cols)``."""
        m = (branch == b) & np.asarray(only, dtype=bool)
        if not m.any():
            return
        if not cols:
            detail[m], fix[m] = text()
            return
        pairs = _per_distinct(m, text, *cols)
        detail[m] = [p[0] for p in pairs]
        fix[m] = [p[1] for p in pairs]

    def error_text(c: str, g: str, is_member: bool) -> tuple[str, str]:
        meaning, remedy = ERROR_CODES.get(c, ERROR_CODES["Other"])
        if not is_member:
            return f"{c}: {meaning}", remedy
        return (f"{c} through group {g}: {meaning}",
                remedy.replace("then run the remaining plan",
                               "then Reprocess the group (group > Licenses > Reprocess)"))

    def drift_text(t: str, g: str, is_member: bool, have: tuple, planned: tuple
                   ) -> tuple[str, str]:
        extra, missing = sorted(set(have) - set(planned)), sorted(set(planned) - set(have))
        parts = ([f"also disabled: {', '.join(extra)}"] if extra else []) + (
            [f"enabled but planned disabled: {', '.join(missing)}"] if missing else [])
        where = f" (group {g})" if is_member else ""
        fx = (f"set the planned disabled plans on the group's {t} assignment" if is_member else
              f"set the planned disabled plans on {t} (Set-MgUserLicense -AddLicenses with "
              "DisabledPlans, -RemoveLicenses @())")
        return f"{t}{where} disabled plans differ from the plan ({'; '.join(parts)})", fx

    put(10, lambda t: (f"holds {t} as planned", ""), True, tgt)
    put(10, lambda t: (f"holds {t}, no {src}: moved outside this plan (by hand or a later "
                       "plan)", ""), np.isin(kind, ("skip", "fix-usage-location")), tgt)
    put(0, lambda: ("not in the after export (deleted, renamed, or the export was filtered)",
                    "export all users, or confirm the user was deleted"))
    put(1, error_text, True, code, group, member)
    put(2, lambda: (f"still holds {src}; the reclaim has not run",
                    "run the remaining plan (removes the license from the blocked account)"))
    put(3, lambda: (f"{src} reclaimed from the blocked account", ""))
    put(4, lambda: (f"holds {src} again: assigned after planning (the plan found the user "
                    "already on the target)",
                    "run e4-playbook plan on a fresh export to include the user"))
    put(5, lambda t: (f"holds {t} and {src}: {src} was not removed",
                      f"run the remaining plan (removes {src}; {t} stays)"), ~member, tgt)
    put(5, lambda t, g: (f"holds {t} through group {g} and still {src}",
                         f"remove {src} from the group (run the remaining plan's group swap)"),
        member, tgt, group)
    put(6, lambda t: (f"still holds {src}, not {t} yet", "run the remaining plan"),
        True, tgt)
    put(6, lambda g: (f"still holds {src} through group {g}: the group swap has not run or "
                      "Entra is still processing the group",
                      "run the remaining plan's group swap; if it ran, wait for processing "
                      "(audit log 'Finish applying group based license to users'); after 24 "
                      "hours Reprocess the group or open a support ticket"), member, group)
    put(6, lambda r: (f"still holds {src}; skipped by the plan: {r or 'no reason given'}",
                      f"decide for this user, then plan again: {src} can't be cancelled while "
                      "they hold it"), kind == "skip", reason)
    fix_loc = kind == "fix-usage-location"
    put(6, lambda: (f"still holds {src}; needs a usage location before it can move",
                    "set the user's usage location, then run e4-playbook plan again"),
        fix_loc & (loc == ""))
    put(6, lambda where: (f"still holds {src}; its usage location is now set ({where})",
                          "run e4-playbook plan again to schedule the swap"),
        fix_loc & (loc != ""), loc)
    put(7, lambda t: (f"holds neither {src} nor {t}: lost {src} outside the plan",
                      f"assign {t} with the planned disabled plans"), kind != "skip", tgt)
    put(7, lambda t: (f"skipped by the plan and holds neither {src} nor {t} now",
                      "check who removed the license and whether the user needs one"),
        kind == "skip", tgt)
    put(9, drift_text, True, tgt, group, member, got_a, want_a)
    rows8 = np.flatnonzero(branch == 8)
    if rows8.size:  # rare: name what was lost and gained, user by user
        have = labels[labels["upn"].isin(upn[rows8])].groupby("upn")["label"].agg(set)
        for i in rows8:
            now = have.get(upn[i], set())
            planned = {str(p).strip().upper() for p in after_skus[i]}
            changes = [f"lost {', '.join(sorted(planned - now))}" if planned - now else "",
                       f"gained {', '.join(sorted(now - planned))}" if now - planned else ""]
            detail[i] = "licenses differ from the plan: " + "; ".join(c for c in changes if c)
            fix[i] = "check who changed them; re-assign what was lost"
    return detail, fix


def _group_table(view: _PlanView, status: pd.DataFrame, exported: pd.Series) -> pd.DataFrame:
    """Per group swap: planned members seen, still holding E4, in error, moved.

    ``status``: ``errors`` (some member in error), ``processing`` (some moved, some still on
    E4), ``not started`` (nobody moved yet), ``done``, or ``no members seen``.
    """
    gacts = view.actions[view.actions["kind"] == _GROUP_KIND]
    if gacts.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith(("members", "batch"))
                                          else object) for c in GROUP_COLUMNS})
    member_group = view.actions.loc[view.actions["kind"] == _MEMBER_KIND].set_index(
        "action_id")["group_key"]
    s = status[status["kind"] == _MEMBER_KIND]
    counts = pd.DataFrame({
        "group_key": s["action_id"].map(member_group),
        "seen": s["upn"].isin(exported),
        "with_source": s["status"].isin(["pending", "partial"]),
        "in_error": s["status"] == "failed",
        "moved": s["status"].isin(["moved", "drifted"]),
    }).groupby("group_key").sum()
    out = gacts.set_index("group_key")[["action_id", "batch", "group_id"]].join(counts)
    for col in ("seen", "with_source", "in_error", "moved"):
        out[col] = out[col].fillna(0).astype("int64")
    out["status"] = np.select(
        [out["in_error"] > 0, (out["with_source"] > 0) & (out["moved"] > 0),
         out["with_source"] > 0, out["moved"] > 0],
        ["errors", "processing", "not started", "done"],
        default="no members seen",
    )
    out = out.reset_index(drop=True).rename(columns={
        "seen": "members_seen", "with_source": "members_with_source",
        "in_error": "members_in_error", "moved": "members_moved",
    })
    out["batch"] = out["batch"].astype("int64")
    return out[list(GROUP_COLUMNS)]


def _unplanned_source_holders(
    view: _PlanView, after: pd.DataFrame, status_user: pd.DataFrame
) -> pd.DataFrame:
    """Users who hold E4 but no row of the plan covers: new users, licenses added later."""
    srows = after[(after["part"] == view.source_part) & ~after["upn"].isin(status_user["upn"])
                  & ~after["upn"].isin(view.actions["upn"])]
    if srows.empty:
        return _empty_status()
    first = srows.drop_duplicates("upn").sort_values("upn")
    details = [
        (f"holds {view.source_part} through group(s) {', '.join(g)}" if g
         else f"holds {view.source_part}") + " but is not in the plan (new user, new group "
        "member, or license assigned after planning)"
        for g in first["group_ids"]
    ]
    return pd.DataFrame({
        "upn": first["upn"].to_numpy(),
        "action_id": "",
        "batch": 0,
        "kind": "",
        "status": "unexpected",
        "detail": details,
        "fix": "run e4-playbook plan on a fresh export to include them",
        "error": "",
    })


def _empty_status() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "batch" else object)
                         for c in STATUS_COLUMNS})


def _gate_reasons(
    after: pd.DataFrame, status: pd.DataFrame, seats: SourceSeats, missing: tuple[str, ...],
    src: str,
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]:
    """Every reason E4 may not be cancelled yet, each with the users behind it.

    Any E4 row counts, whatever its state: an assignment in error still ties the user (or the
    group) to the subscription.
    """
    srows = after[after["part"] == src]
    reasons: list[tuple[str, tuple[str, ...]]] = []
    direct = tuple(sorted(srows.loc[srows["assigned_directly"], "upn"].unique()))
    if direct:
        reasons.append((SOURCE_HELD_DIRECT, direct))
    by_group = srows[srows["group_ids"].map(len) > 0]
    groups = tuple(sorted({g for gs in by_group["group_ids"] for g in gs}))
    if not by_group.empty:
        reasons.append((SOURCE_HELD_BY_GROUP, tuple(sorted(by_group["upn"].unique()))))
    if seats.consumed:
        reasons.append((SOURCE_CONSUMED_UNITS, tuple(sorted(srows["upn"].unique()))))
    planned = status[status["action_id"] != ""]
    for code, st in ((USERS_FAILED, "failed"), (USERS_PARTIAL, "partial")):
        users = tuple(sorted(planned.loc[planned["status"] == st, "upn"].unique()))
        if users:
            reasons.append((code, users))
    # a user missing from the export may still hold E4; only a subscriptions export with zero
    # consumed E4 units proves otherwise
    if missing and seats.consumed is None:
        reasons.append((USERS_NOT_IN_EXPORT, missing))
    return tuple(reasons), groups


def _remaining_ids(status: pd.DataFrame, view: _PlanView, facts: pd.DataFrame
                   ) -> tuple[str, ...]:
    """Actions the next round must run again, in plan order.

    A member still on E4 keeps its group's swap; a kept user swap keeps the user's
    set-usage-location row while the export still shows no usage location.
    """
    acts = view.actions
    todo = set(status.loc[status["status"].isin(_REMAINING_STATUSES)
                          & (status["action_id"] != ""), "action_id"])
    kept = acts[acts["action_id"].isin(todo)]
    groups = set(kept.loc[kept["kind"] == _MEMBER_KIND, "group_key"])
    todo |= set(acts.loc[(acts["kind"] == _GROUP_KIND) & acts["group_key"].isin(groups),
                         "action_id"])
    swapped = set(kept.loc[kept["kind"] == "user-swap", "upn"])
    loc = facts["usage_location"].reindex(acts["upn"]).fillna("").to_numpy()
    prep = (acts["kind"] == "set-usage-location") & acts["upn"].isin(swapped) & (loc == "")
    todo |= set(acts.loc[prep, "action_id"])
    return tuple(a for a in acts["action_id"] if a in todo)


def _remaining_plan(plan: Any, keep: tuple[str, ...]) -> Any:
    """The plan restricted to ``keep`` (planning.remaining_plan; a bare table is filtered)."""
    if isinstance(plan, pd.DataFrame):
        return plan[plan["action_id"].isin(keep)].reset_index(drop=True)
    from playbook.planning import remaining_plan

    return remaining_plan(plan, keep)


def _add_script_detail(status: pd.DataFrame, log: pd.DataFrame,
                       actions: pd.DataFrame) -> pd.DataFrame:
    """Append what the script logged for each action to its detail; the export still decides.

    Reads the results CSV of ``Invoke-E4Reassignment.ps1`` (``action_id, kind, batch, target,
    outcome, attempts, message, ...``). A line counts only when its ``target`` is the action's
    user or group, so a log from another plan with the same ids adds nothing. Previews
    (``WhatIf``) are ignored.
    """
    cols = {normalize_key(c).replace(" ", "").replace("_", ""): c for c in log.columns}
    need = ("actionid", "outcome")
    if not all(n in cols for n in need):
        return status
    text = log.fillna("").astype(str).apply(lambda c: c.map(_restore_cell))
    lines = pd.DataFrame({
        "action_id": text[cols["actionid"]].str.strip(),
        "outcome": text[cols["outcome"]].str.strip(),
        "attempts": pd.to_numeric(text[cols["attempts"]], errors="coerce").fillna(0)
        if "attempts" in cols else 0,
        "message": text[cols["message"]].str.strip() if "message" in cols else "",
        "target": text[cols["target"]].str.strip().str.lower() if "target" in cols else "",
    })
    lines = lines[lines["outcome"].str.lower() != "whatif"]
    if "target" in cols:
        subjects = pd.concat([
            actions[["action_id", c]].rename(columns={c: "target"})
            for c in ("upn", "user_id", "group_key")
        ])
        subjects["target"] = subjects["target"].str.lower()
        subjects = subjects[subjects["target"] != ""].drop_duplicates()
        lines = lines.merge(subjects, on=["action_id", "target"])
    if lines.empty:
        return status
    note = "script: " + lines["outcome"]
    retried = lines["attempts"] > 1
    note = note.where(~retried, note + " after " + lines["attempts"].astype(int).astype(str)
                      + " attempts (throttled and retried)")
    has_msg = lines["message"] != ""
    note = note.where(~has_msg, note + " (" + lines["message"] + ")")
    notes = note.groupby(lines["action_id"]).agg("; ".join)
    out = status.copy()
    add = out["action_id"].map(notes)
    has = add.notna() & (out["action_id"] != "")
    out.loc[has, "detail"] = out.loc[has, "detail"] + "; " + add[has]
    return out


def _restore_cell(text: str) -> str:
    """Undo the script's formula guard: one leading ``'``."""
    return text[1:] if text.startswith("'") else text


# ---------------------------------------------------------------------------------------------
# the I/O edge


def find_plan(tenant_name: str, plan_dir: Path | None, runs_dir: Path) -> Path:
    """The plan.json to verify against.

    ``plan_dir`` may be the ``plan/`` folder, its parent run folder, or plan.json itself.
    Without it, the newest ``runs_dir/<tenant>/**/plan/plan.json`` by modification time wins,
    so a remaining plan written after a verification becomes the next round's plan.
    """
    if plan_dir is not None:
        p = Path(plan_dir)
        for cand in (p, p / "plan.json", p / "plan" / "plan.json"):
            if cand.is_file():
                return cand
        raise InputError(p, "no plan.json here", fix="pass the plan/ folder written by "
                         "e4-playbook plan (--plan runs/<tenant>/<run>/plan)")
    root = Path(runs_dir) / tenant_name
    hits = sorted(root.glob("**/plan/plan.json"), key=lambda q: (q.stat().st_mtime, str(q)))
    if not hits:
        raise InputError(root, "no plan found for this tenant",
                         fix="run e4-playbook plan first, or pass --plan")
    return hits[-1]


def _resolve_after(tenant_path: Path, after: Path | None) -> tuple[Path, Path | None]:
    """The after users export and, when present beside it, a subscriptions export."""
    from playbook.tenant import find_export

    if after is None:
        folder = tenant_path / "after"
        if not folder.is_dir():
            raise InputError(folder, "no after export",
                             fix="export users again after the reassignment into after/users.* "
                                 "(or pass --after)")
        users = find_export(folder, "users")
    else:
        after = Path(after)
        if after.is_dir() and find_export(after, "users") is not None:
            folder, users = after, find_export(after, "users")
        elif after.exists():
            folder, users = after.parent, after
        else:
            raise InputError(after, "after export not found", fix="check the --after path")
    if users is None:
        raise InputError(folder, "no users.* export in the after folder",
                         fix="export users after the reassignment into after/users.*")
    return users, find_export(folder, "subscriptions")


def verify(
    tenant: Any,
    *,
    after: Path | None = None,
    plan_dir: Path | None = None,
    runs_dir: Path = Path("runs"),
    results_log: Path | None = None,
) -> Verification:
    """Read the plan and the after export of a loaded tenant, then :func:`verify_tables`.

    Defaults: the after export is ``<tenant>/after/users.*`` (with ``after/subscriptions.*``
    when present); the plan is the newest ``runs_dir/<tenant>/**/plan/plan.json``
    (:func:`find_plan`); the results log is ``plan.results.csv`` beside it when the script wrote
    one. Raises :class:`NotAnAfterExport` (exit 4) when the after export is byte-identical to
    the export the plan was made from, or shares no user with the plan.
    """
    from playbook.plan.store import load_plan

    plan_json = find_plan(tenant.name, plan_dir, runs_dir)
    plan = load_plan(plan_json)
    if plan.tenant and plan.tenant != tenant.name:
        raise InputError(plan_json, f"the plan was made for tenant '{plan.tenant}'",
                         value=tenant.name, fix="pass --plan with this tenant's plan folder")
    script_log = plan_json.parent / "plan.results.csv"  # the script's default name
    return verify_plan(tenant, plan, after=after, results_log=results_log,
                       script_log=script_log if script_log.is_file() else None)


def verify_plan(
    tenant: Any,
    plan: Any,
    *,
    after: Path | str | None = None,
    results_log: Path | None = None,
    script_log: Path | None = None,
) -> Verification:
    """Verify a plan already in hand (loaded or rebuilt) against the tenant's after export.

    The one place that reads an after export, so the CLI and notebook 04 judge alike.
    ``results_log`` is a log the admin named (bad = error); ``script_log`` one found beside the
    plan (bad = a warning only, since the log adds detail and never decides a status).
    """
    from playbook import exports
    from playbook.planning import file_sha256

    users_path, subs_path = _resolve_after(Path(tenant.path), Path(after) if after else None)
    before_sha = str(plan.users_file.get("sha256", "")).lower()
    if before_sha and file_sha256(users_path) == before_sha:
        raise NotAnAfterExport(
            users_path, "byte-identical to the export the plan was made from",
            fix="export users again after running the plan",
        )
    subs = None
    catalog = tenant.catalog
    if subs_path is not None:
        subs, _fmt = exports.read_subscriptions(subs_path)
        catalog = Catalog.layered(Catalog.from_subscriptions(subs), catalog)
    read = exports.read_users(users_path, catalog)

    warnings = list(read.warnings)
    log = None
    if results_log is not None:
        log = _read_results_log(results_log)
    elif script_log is not None:
        try:
            log = _read_results_log(script_log)
        except InputError as exc:  # only detail: an unreadable log must not stop the verdict
            warnings.append(f"results log skipped: {exc.one_line()}")
    result = verify_tables(plan, read.table, subs, catalog, results_log=log,
                           config=tenant.config, after_source=users_path,
                           after_format=read.format)
    if warnings:
        result = replace(result, warnings=result.warnings + tuple(warnings))
    return result


def _read_results_log(path: Path) -> pd.DataFrame:
    """The PowerShell results CSV, read as text (details only)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "results log not found", fix="check the path") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"results log is not a readable CSV ({exc})",
                         fix="pass the CSV the reassignment script wrote") from None


def write_remaining(verification: Verification, out_dir: str | Path) -> Path:
    """Write the remaining plan's artifacts (same formats as the plan) for the next round."""
    if verification.remaining is None:
        raise InputError(out_dir, "nothing remains to run: every planned action is done",
                         fix="no further round is needed")
    if isinstance(verification.remaining, pd.DataFrame):
        raise InputError(out_dir, "the remaining plan is a bare table",
                         fix="verify against a Plan (load_plan) to write artifacts")
    from playbook.artifacts import write_artifacts

    return write_artifacts(verification.remaining, Path(out_dir))
