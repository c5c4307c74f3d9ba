"""What the next round must run again: the action ids of the remaining plan, in plan order."""

from __future__ import annotations

import pandas as pd

from playbook.verification.gate import UNLICENSED
from playbook.verification.plan_view import GROUP_KIND, MEMBER_KIND, PlanView

REMAINING_STATUSES: tuple[str, ...] = ("pending", "partial", "failed")


def remaining_ids(status: pd.DataFrame, view: PlanView, users: pd.DataFrame
                  ) -> tuple[str, ...]:
    """Every pending, partial, failed or unlicensed action, plus what it needs to run again.

    A member still on E4 keeps its group's swap (a member who lost E4 without the target does
    not: the group no longer has E4 to remove, so its swap cannot run again); a kept user swap
    keeps the user's set-usage-location row while the export (``users``: per-user facts) still
    shows no usage location.
    """
    acts = view.actions
    planned = status[status["action_id"] != ""]
    todo = set(planned.loc[planned["status"].isin(REMAINING_STATUSES)
                           | (planned["substatus"] == UNLICENSED), "action_id"])
    kept = acts[acts["action_id"].isin(todo)]
    on_source = users["src"].reindex(kept["upn"]).fillna(False).to_numpy(dtype=bool)
    groups = set(kept.loc[(kept["kind"] == MEMBER_KIND).to_numpy() & on_source, "group_key"])
    todo |= set(acts.loc[(acts["kind"] == GROUP_KIND) & acts["group_key"].isin(groups),
                         "action_id"])
    swapped = set(kept.loc[kept["kind"] == "user-swap", "upn"])
    loc = users["usage_location"].reindex(acts["upn"]).fillna("").to_numpy()
    prep = (acts["kind"] == "set-usage-location") & acts["upn"].isin(swapped) & (loc == "")
    todo |= set(acts.loc[prep, "action_id"])
    return tuple(acts.loc[acts["action_id"].isin(todo), "action_id"])


def add_only_ids(keep: tuple[str, ...], view: PlanView, users: pd.DataFrame
                 ) -> tuple[str, ...]:
    """The kept user swaps whose user no longer holds E4 (in any state), in plan order.

    Their row must only add the target when it runs again: a removeLicenses entry for a
    license the user does not hold makes Graph reject the whole call ("User does not have a
    corresponding license", MicrosoftDocs/OfficeDocs-Enterprise#873; the simulator refuses it
    too). Users missing from the export are left as they are (nothing says E4 is gone).
    """
    acts = view.actions
    swaps = acts[acts["action_id"].isin(set(keep)) & (acts["kind"] == "user-swap")]
    exported = swaps["upn"].isin(users.index).to_numpy()
    on_source = users["src"].reindex(swaps["upn"]).fillna(False).to_numpy(dtype=bool)
    return tuple(swaps.loc[exported & ~on_source, "action_id"])
