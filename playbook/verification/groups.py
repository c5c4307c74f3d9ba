"""The group table: per group swap of the plan, how far Entra has moved its members.

``status``: ``errors`` (some member in error), ``processing`` (some moved, some still on E4),
``not started`` (nobody moved yet), ``done``, or ``no members seen``. First match wins.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from playbook.verification.plan_view import GROUP_KIND, MEMBER_KIND, PlanView
from playbook.verification.result import GROUP_COLUMNS, empty_groups

# (condition on the member counts, group status), first match wins
_GROUP_RULES: tuple[tuple[Callable[[pd.DataFrame], pd.Series], str], ...] = (
    (lambda c: c.in_error > 0, "errors"),
    (lambda c: (c.with_source > 0) & (c.moved > 0), "processing"),
    (lambda c: c.with_source > 0, "not started"),
    (lambda c: c.moved > 0, "done"),
)
_NO_MEMBERS = "no members seen"


def group_table(view: PlanView, status: pd.DataFrame, exported: pd.Series) -> pd.DataFrame:
    """Per group swap: planned members seen in the export, still holding E4, in error, moved."""
    gacts = view.actions[view.actions["kind"] == GROUP_KIND]
    if gacts.empty:
        return empty_groups()
    member_group = view.actions.loc[view.actions["kind"] == MEMBER_KIND].set_index(
        "action_id")["group_key"]
    s = status[status["kind"] == MEMBER_KIND]
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
    out["status"] = np.select([cond(out).to_numpy(dtype=bool) for cond, _ in _GROUP_RULES],
                              [name for _, name in _GROUP_RULES], default=_NO_MEMBERS)
    out = out.reset_index(drop=True).rename(columns={
        "seen": "members_seen", "with_source": "members_with_source",
        "in_error": "members_in_error", "moved": "members_moved",
    })
    out["batch"] = out["batch"].astype("int64")
    return out[list(GROUP_COLUMNS)]
