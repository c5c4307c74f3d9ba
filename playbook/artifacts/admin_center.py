"""admin-center-batches.csv: one row per user or group call, by batch, in admin-center words.

The same calls as graph-batches.jsonl, as an admin doing them by hand in the Microsoft 365
admin center sees them: license display names instead of SKU ids, and a user's usage location
to set folded into that user's row (the admin center sets it on the same page).
"""

from __future__ import annotations

import pandas as pd

from playbook.files import csv_bytes
from playbook.plan import EXECUTED_KINDS, Plan
from playbook.plan.batching import direct_target_after
from playbook.table import per_distinct

ADMIN_CENTER_COLUMNS: tuple[str, ...] = (
    "batch", "action_id", "kind", "upn", "display_name", "department", "group_id", "members",
    "set_usage_location", "remove_license", "add_license", "apps_off_on_new_license",
    "keep_direct_licenses", "unmapped_plans", "note",
)


def admin_rows(plan: Plan) -> pd.DataFrame:
    """The :data:`ADMIN_CENTER_COLUMNS` rows, in plan order: each executed call but the
    usage-location PATCHes, whose new location shows on their user's row instead (plus the
    ``keep_direct_skus`` tuples, which the checklist lists)."""
    t = plan.table
    executed = t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)]
    patch = executed["kind"] == "set-usage-location"
    location = executed[patch].drop_duplicates("upn").set_index("upn")["new_usage_location"]
    calls = executed[~patch]

    def named(column: str, name: str) -> pd.Series:  # the license's name where one is set
        return calls[column].where(calls[column] == "", name).astype(object)

    rows = pd.DataFrame({
        "batch": calls["batch"].astype("int64"),
        "action_id": calls["action_id"], "kind": calls["kind"], "upn": calls["upn"],
        "display_name": calls["display_name"], "department": calls["department"],
        "group_id": calls["group_id"], "members": calls["members"].astype("int64"),
        "set_usage_location": calls["upn"].map(location).astype(object).fillna(""),
        "remove_license": named("remove_sku_id", plan.source["display_name"]),
        "add_license": named("add_sku_id", plan.target["display_name"]),
        # tuples joined once per distinct tuple (most users share theirs)
        "apps_off_on_new_license": per_distinct(calls["disabled_plans_after"], ", ".join),
        "keep_direct_licenses": per_distinct(calls["keep_direct_skus"], " + ".join),
        "unmapped_plans": per_distinct(calls["unmapped_plans"], ", ".join),
        "note": calls["reason"].where(calls["reason_code"] != "", ""),
        # for the checklist; not in the CSV
        "keep_direct_skus": calls["keep_direct_skus"],
        "direct_target_after": direct_target_after(calls),
    })
    return rows.reset_index(drop=True)


def admin_center_csv(rows: pd.DataFrame) -> bytes:
    """admin-center-batches.csv for :func:`admin_rows`."""
    return csv_bytes(rows[list(ADMIN_CENTER_COLUMNS)])
