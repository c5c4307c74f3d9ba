"""The plan as verification reads it: the action table with each group member's target filled.

Source and target come from the plan itself (``Plan.source``/``Plan.target``), never guessed
from its rows: a plan without actions still names what it moves from and to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from playbook.catalog import SOURCE_PART
from playbook.errors import InputError
from playbook.messages import Said
from playbook.plan import Plan
from playbook.table import tuple_column

GROUP_KIND = "group-swap"
MEMBER_KIND = "group-member"

# the text columns the rules read, as pandas strings (the status table keeps their dtype)
_TEXT_COLUMNS = (
    "action_id", "kind", "upn", "user_id", "group_id", "add_sku_id", "add_sku_part_number",
    "remove_sku_id", "remove_sku_part_number", "new_usage_location", "reason_code", "reason",
)
# columns a group-member row takes from its group's swap (members make no call of their own)
_FROM_GROUP = ("add_sku_id", "add_sku_part_number", "remove_sku_id", "remove_sku_part_number")


@dataclass(frozen=True)
class PlanView:
    """What the rules need of a plan: normalized actions and the SKUs it moves between."""

    actions: pd.DataFrame  # group-member rows carry their group's target; + group_key
    tenant: str
    source_part: str
    source_id: str
    target_part: str


def plan_view(plan: Plan) -> PlanView:
    """Read a :class:`playbook.plan.Plan`; anything else is a one-line error."""
    table = plan.table if isinstance(plan, Plan) else None
    if not isinstance(table, pd.DataFrame) or not {"action_id", "kind", "upn"} <= set(
            table.columns):
        raise InputError(Said("error.where.plan"), "error.verify.not-a-plan")
    source, target = dict(plan.source or {}), dict(plan.target or {})
    return PlanView(
        actions=_normalized_actions(table),
        tenant=str(plan.tenant or ""),
        source_part=str(source.get("sku_part_number") or SOURCE_PART).upper(),
        source_id=str(source.get("sku_id") or "").lower(),
        target_part=str(target.get("sku_part_number") or "").upper(),
    )


def _normalized_actions(table: pd.DataFrame) -> pd.DataFrame:
    """Comparable keys (lower-case upn and group, upper-case part numbers, tuples), and each
    ``group-member`` row given the target, removed SKU and disabled plans of its group's swap.
    """
    out = table.copy()
    for col in _TEXT_COLUMNS:
        out[col] = out[col].fillna("").astype(str)
    out["upn"] = out["upn"].str.strip().str.lower()
    out["group_key"] = out["group_id"].str.strip().str.lower()
    for col in ("add_sku_part_number", "remove_sku_part_number"):
        out[col] = out[col].str.upper()
    for col in ("disabled_plans_after", "after_skus"):
        out[col] = tuple_column(out[col])
    member = out["kind"] == MEMBER_KIND
    if member.any():
        groups = out[out["kind"] == GROUP_KIND].drop_duplicates("group_key").set_index(
            "group_key")
        keys = out.loc[member, "group_key"]
        for col in _FROM_GROUP:
            out.loc[member, col] = keys.map(groups[col]).fillna("").to_numpy()
        plans = groups["disabled_plans_after"].to_dict()
        out.loc[member, "disabled_plans_after"] = pd.Series(
            [plans.get(k, ()) for k in keys], index=keys.index, dtype=object)
    return out.reset_index(drop=True)
