"""The domain results as plain tables (DataFrames with the columns an admin reads).

The notebooks call the rules themselves (``playbook.eligibility.assess``,
``playbook.counting.count_licenses``, ``playbook.plan.build_plan``,
``playbook.verification.verify_plan``); this module only reshapes what they return, and
:mod:`playbook.display.pages` words and colours these tables in the tenant's language. Nothing
here decides a rule or reads an export, so a table an admin reads can never disagree with what
the CLI decided.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from playbook.catalog import Catalog
from playbook.counting import COUNT_KEYS, LicenseCount
from playbook.display.cards import DONE_STATUSES
from playbook.eligibility import Assessment, compare_targets
from playbook.messages import message, text
from playbook.plan import Plan, map_disabled_plans
from playbook.tenant import Tenant
from playbook.verification import STATUSES, Verification, reason_text

PLAN_VIEW_COLUMNS = (
    "action_id", "kind", "batch", "upn", "group_id", "members", "department", "usage_location",
    "new_usage_location", "add_sku_part_number", "remove_sku_part_number",
    "disabled_plans_after", "unmapped_plans", "reason",
)
"""The plan columns an admin reads, in order (the rest are for the scripts)."""


def text_table(frame: pd.DataFrame) -> str:
    """A small table as plain text for checked cells: text left, numbers right, no index."""
    if frame.empty:
        return "(none)"
    cells = {c: [str(v) for v in frame[c]] for c in frame.columns}
    widths = {c: max(len(str(c)), *(len(v) for v in vals)) for c, vals in cells.items()}
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns}

    def fmt(c: str, v: str) -> str:
        return v.rjust(widths[c]) if numeric[c] else v.ljust(widths[c])

    lines = ["  ".join(fmt(c, str(c)) for c in frame.columns)]
    for i in range(len(frame)):  # a summary table: a handful of rows
        lines.append("  ".join(fmt(c, cells[c][i]) for c in frame.columns))
    return "\n".join(line.rstrip() for line in lines)


# -- step 1: eligibility ---------------------------------------------------------------------
def findings_table(assessment: Assessment) -> pd.DataFrame:
    """The findings as a table (severity, code, message, remedy, Microsoft source), in order."""
    cols = ["severity", "code", "message", "remedy", "source"]
    rows = [{c: getattr(f, c, "") for c in cols} for f in assessment.findings]
    return pd.DataFrame(rows, columns=cols)


def comparison_view(tenant: Tenant) -> pd.DataFrame:
    """The five-option comparison with yes/no and joined lists, as an admin reads it."""
    lang = tenant.config.language
    table = compare_targets(tenant.catalog, tenant.config.source).copy()
    for col in table.columns:
        if table[col].dtype == bool:
            table[col] = table[col].map(lambda v: text("ui.yes" if v else "ui.no", lang))
    if "lacks" in table.columns:
        table["lacks"] = table["lacks"].map(lambda t: ", ".join(t) or "-")
    return table


# -- step 2: license count -------------------------------------------------------------------
def count_text(tenant: Tenant, counts: LicenseCount, start_date: date | None = None) -> str:
    """The count as plain text in the tenant's language; unknown figures named, never zero."""
    lang = tenant.config.language
    target = tenant.catalog.display_name(tenant.config.target)
    lines = [f"{text('ui.counts', lang)}: {tenant.name} ({target})"]
    labels = {k: text(f"ui.count.{k}", lang) for k in COUNT_KEYS}
    width = max(len(v) for v in labels.values())
    unknown = text("ui.unknown", lang)
    for key in COUNT_KEYS:
        value = getattr(counts, key)
        lines.append(f"  {labels[key]:<{width}}  {unknown if value is None else value}")
    need = getattr(counts, "need_target", None)
    if need is not None:
        when = f"before {start_date.isoformat()}" if start_date else "before the first batch"
        lines.append(f"Users who need a target license: {need} (free licenses needed {when}).")
    if counts.unknown:
        lines.append(f"{unknown.capitalize()}: " + ", ".join(counts.unknown)
                     + " (add a subscriptions export to the tenant folder to know them).")
    return "\n".join(lines)


def seat_table(tenant: Tenant, counts: LicenseCount) -> pd.DataFrame:
    """Seats of E4 and of the target: purchased, assigned and needed (None = unknown).

    E4 "assigned" is its holders in the users export; the target's "needed" is what it must
    hold once everyone has moved (assigned now + users still to move). E4 needs none after.
    """
    source = tenant.catalog.get(tenant.config.source)
    target = tenant.catalog.get(tenant.config.target)
    needed = (None if counts.target_consumed is None
              else counts.target_consumed + counts.need_target)
    return pd.DataFrame({
        "sku": [source.display_name or source.part_number,
                target.display_name or target.part_number],
        "purchased": [counts.source_purchased, counts.target_purchased],
        "assigned": [counts.source_users, counts.target_consumed],
        "needed": [0, needed],
    }, dtype=object)


# -- step 3: reassignment plan ---------------------------------------------------------------
def plan_view(plan: Plan, kind: str | None = None) -> pd.DataFrame:
    """The plan table with the columns an admin reads (tuples shown as ``a, b``)."""
    table = plan.table
    if kind is not None:
        table = table[table["kind"] == kind]
    view = table[[c for c in PLAN_VIEW_COLUMNS if c in table.columns]].copy()
    for col in ("disabled_plans_after", "unmapped_plans"):
        if col in view.columns:
            view[col] = view[col].map(lambda t: ", ".join(t))
    return view.reset_index(drop=True)


def mapping_table(plan: Plan, catalog: Catalog) -> pd.DataFrame:
    """Disabled plans side by side: each E4 plan someone had turned off and its target twin.

    One row per E4 plan with the number of plan rows (users or groups) that had it off, mapped
    by the planning module's own rule. ``decision`` is a code the page words: ``no-twin`` (the
    target has no such app: drop it or buy an add-on), ``successor-off`` (its successor stays
    off), "" (nothing to decide).
    """
    cols = ["e4_plan", "target_plan", "users", "decision"]
    table = plan.table
    before = table.loc[table["disabled_plans_before"].map(len) > 0, "disabled_plans_before"]
    if before.empty:
        return pd.DataFrame(columns=cols)
    source = catalog.get(plan.source["sku_part_number"])
    target = catalog.get(plan.target["sku_part_number"])
    users = before.explode().value_counts()
    rows = []
    for name, n in sorted(users.items()):  # a few dozen service plans at most, not users
        mapped = map_disabled_plans([name], source, target, catalog)
        twin = mapped.names
        decision = "" if twin else "no-twin"
        if mapped.successors:  # catalog.PLAN_SUCCESSORS: kept off, never switched on silently
            decision = "successor-off"
        rows.append({"e4_plan": name, "target_plan": twin[0] if twin else "", "users": int(n),
                     "decision": decision})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["decision", "e4_plan"], ascending=[False, True]).reset_index(
        drop=True)


# -- step 4: verification --------------------------------------------------------------------
def plan_source(tenant: Tenant, plan_dir: str | None) -> str:
    """The line saying which plan step 4 verifies against: a written one, or rebuilt."""
    lang = tenant.config.language
    if plan_dir:
        used = message("plan_used.written", lang, folder=Path(plan_dir).as_posix())
    else:
        used = message("plan_used.rebuilt", lang, file=tenant.users_file.name)
    return message("section.plan_used", lang, plan=used)


def progress_table(verification: Verification, plan: Plan | None = None) -> pd.DataFrame:
    """Per batch of the plan: users moved (off E4, on the target) and users still to move.

    With the ``plan``, a user who inherits E4 from a group counts in the batch of the group's
    swap. Batch 0 (last) holds the planned users no batch runs: held back, skipped or
    decisions; they keep E4 until the admin acts, so they count as remaining.
    """
    status = verification.status
    planned = status[status["action_id"] != ""]
    batch = planned["batch"].astype(int)
    if plan is not None:
        table = plan.table
        swaps = table[table["kind"] == "group-swap"].set_index("group_id")["batch"]
        members = table[table["kind"] == "group-member"].set_index("action_id")["group_id"]
        by_group = planned["action_id"].map(members).map(swaps)
        batch = by_group.fillna(batch).astype(int)
    done = planned["status"].isin(DONE_STATUSES)
    out = pd.DataFrame({"batch": batch, "moved": done, "remaining": ~done})
    out = out.groupby("batch", sort=True)[["moved", "remaining"]].sum().astype(int)
    out = out.reset_index()
    return pd.concat([out[out["batch"] > 0], out[out["batch"] == 0]], ignore_index=True)


def status_summary(verification: Verification) -> pd.DataFrame:
    """Users per status, in the verification's order, with the most common fix for each."""
    status = verification.status
    fixes = status[status["fix"] != ""].groupby("status")["fix"].agg(
        lambda s: s.value_counts().index[0])
    counts = verification.status_counts
    return pd.DataFrame({
        "status": list(STATUSES),
        "users": [int(counts.get(s, 0)) for s in STATUSES],
        "fix": [fixes.get(s, "") for s in STATUSES],
    })


def status_tables(verification: Verification) -> dict[str, pd.DataFrame]:
    """Users per status, each row with its fix (what the status browser shows)."""
    status = verification.status
    cols = [c for c in ("upn", "action_id", "batch", "kind", "detail", "fix", "error")
            if c in status.columns]
    return {s: status.loc[status["status"] == s, cols].reset_index(drop=True)
            for s in STATUSES}


def checklist_table(verification: Verification) -> pd.DataFrame:
    """The cancellation checklist as a table: what to do, and the Microsoft source tag."""
    return pd.DataFrame([item.to_dict() for item in verification.checklist],
                        columns=["code", "text", "source"])


def gate_banner(verification: Verification) -> None:
    """Show the cancellation gate as a large yes or no, with its reasons under it."""
    part = verification.source_part
    if verification.safe_to_cancel:
        head = f"YES: {part} can be cancelled"
        color = "#2e7d32"
    else:
        head = f"NO: do not cancel {part} yet"
        color = "#c62828"
    items = "".join(
        f"<li>{html.escape(reason_text(code, len(users)))} ({html.escape(code)})</li>"
        for code, users in verification.reasons)
    display(HTML(f"<h3 style='color:{color}'>{html.escape(head)}</h3>"
                 + (f"<ul>{items}</ul>" if items else "")))
