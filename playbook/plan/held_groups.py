"""Groups a plan holds back because one of their members is excluded.

A group's licence is switched for all its members at once (group-based licensing: the group
carries the assignment, not the user), so the plan cannot move a group while one member must
keep E4: excluding that member holds the whole group back (``group-held-back`` rows). The admin
excluding one user needs to see that, with the number, next to the exclusion widget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from playbook.plan.model import Plan


@dataclass(frozen=True)
class HeldGroup:
    """A group the plan does not switch, the excluded members behind it, its member count."""

    group_id: str
    members: int
    excluded: tuple[str, ...]


def groups_held_by_exclusions(plan: Plan, licenses: pd.DataFrame,
                              excluded: Iterable[str]) -> tuple[HeldGroup, ...]:
    """The plan's held-back groups that an excluded user is a member of, in group id order.

    ``licenses`` is the tenant's license table (``upn``, ``group_ids``); a few excluded users
    are looked up, not every row.
    """
    wanted = {u.strip().lower() for u in excluded if u.strip()}
    if not wanted:
        return ()
    t = plan.table
    held = t[(t["upn"] == "") & (t["kind"] == "skip") & (t["group_id"] != "")
             & t["reason_code"].str.contains("group-held-back", regex=False)]
    if held.empty:
        return ()
    rows = licenses.loc[licenses["upn"].isin(wanted), ["upn", "group_ids"]]
    members: dict[str, set[str]] = {}
    for upn, groups in zip(rows["upn"], rows["group_ids"], strict=True):
        for g in groups or ():
            members.setdefault(str(g), set()).add(str(upn))
    return tuple(HeldGroup(g, int(n), tuple(sorted(members[g])))
                 for g, n in sorted(zip(held["group_id"], held["members"], strict=True))
                 if g in members)
