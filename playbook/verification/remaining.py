"""What the next round must run again: the action ids of the remaining plan, in plan order."""

from __future__ import annotations

import pandas as pd

from playbook.verification.plan_view import GROUP_KIND, MEMBER_KIND, PlanView

REMAINING_STATUSES: tuple[str, ...] = ("pending", "partial", "failed")


def remaining_ids(status: pd.DataFrame, view: PlanView, users: pd.DataFrame
                  ) -> tuple[str, ...]:
    """Every pending, partial or failed action, plus what it needs to run again.

    A member still on E4 keeps its group's swap; a kept user swap keeps the user's
    set-usage-location row while the export (``users``: per-user facts) still shows no usage
    location.
    """
    acts = view.actions
    todo = set(status.loc[status["status"].isin(REMAINING_STATUSES)
                          & (status["action_id"] != ""), "action_id"])
    kept = acts[acts["action_id"].isin(todo)]
    groups = set(kept.loc[kept["kind"] == MEMBER_KIND, "group_key"])
    todo |= set(acts.loc[(acts["kind"] == GROUP_KIND) & acts["group_key"].isin(groups),
                         "action_id"])
    swapped = set(kept.loc[kept["kind"] == "user-swap", "upn"])
    loc = users["usage_location"].reindex(acts["upn"]).fillna("").to_numpy()
    prep = (acts["kind"] == "set-usage-location") & acts["upn"].isin(swapped) & (loc == "")
    todo |= set(acts.loc[prep, "action_id"])
    return tuple(acts.loc[acts["action_id"].isin(todo), "action_id"])
