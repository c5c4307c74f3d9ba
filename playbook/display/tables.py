"""The domain results as plain tables (DataFrames with the columns an admin reads).

The notebooks call the rules themselves (``playbook.eligibility.assess``,
``playbook.counting.count_licenses``, ``playbook.plan.build_plan``,
``playbook.verification.verify_plan``); this module only reshapes what they return, and
:mod:`playbook.display.pages` words and colours these tables in the tenant's language. Nothing
here decides a rule or reads an export, so a table an admin reads can never disagree with what
the CLI decided.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.catalog import Catalog
from playbook.counting import LicenseCount
from playbook.display.cards import DONE_STATUSES, buy_figure
from playbook.eligibility import compare_targets
from playbook.messages import message, text
from playbook.plan import Plan, map_disabled_plans
from playbook.tenant import Tenant
from playbook.verification import STATUSES, Verification


# -- step 1: eligibility ---------------------------------------------------------------------
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
def seat_table(tenant: Tenant, counts: LicenseCount) -> pd.DataFrame:
    """Seats of E4 and of the target, as the chart stacks them (None = unknown).

    E4: its holders in the users export and the seats no one holds. The target: licences
    assigned now, free now, and "Buy N" split as the cards split it (``buy_now`` +
    ``buy_later``, from :attr:`LicenseCount.buy`), so the chart's gap is the cards' figure.
    """
    source = tenant.catalog.get(tenant.config.source)
    target = tenant.catalog.get(tenant.config.target)
    buy = buy_figure(counts)
    spare = (None if counts.source_purchased is None
             else max(0, counts.source_purchased - counts.source_users))
    return pd.DataFrame({
        "sku": [source.display_name or source.part_number,
                target.display_name or target.part_number],
        "assigned": [counts.source_users, counts.target_consumed],
        "available": [spare, counts.target_available],
        "buy_now": [0, buy.now],
        "buy_later": [0, buy.once_usage_locations_set],
    }, dtype=object)


# -- step 3: reassignment plan ---------------------------------------------------------------
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


def status_tables(verification: Verification) -> dict[str, pd.DataFrame]:
    """Users per status, each row with its fix (what the status browser shows)."""
    status = verification.status
    cols = [c for c in ("upn", "action_id", "batch", "kind", "detail", "fix", "error")
            if c in status.columns]
    return {s: status.loc[status["status"] == s, cols].reset_index(drop=True)
            for s in STATUSES}
