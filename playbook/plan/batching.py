"""The batching rule and the action ids: one implementation, used for a new plan and for a
remaining plan alike (a pure function of the table).

Executed rows get batch 1..n, every other row batch 0. A batch holds at most ``batch_size``
(<= 20) users or groups, and at most 20 Graph requests. Order: plain user swaps, then users who
need a usage location (at most 10 a batch: each is 2 requests, and such a Graph ``$batch`` must
be fully sequential), then reclaims, then group swaps. Inside each, users are grouped by
identical admin-center settings (licenses kept, target apps turned off, usage location to set),
so one "Manage product licenses > Replace" pass fits a whole batch; then sorted by upn / group
id. A set-usage-location row goes right before its user's swap, in the same batch. The rows
that are not executed follow: fix-first, group members, user skips, group skips.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import InputError
from playbook.plan.model import GRAPH_BATCH_LIMIT, KIND_CATEGORIES
from playbook.plan.values import per_distinct_row, text_ranks

PREFIX: dict[str, str] = {
    "user-swap": "U", "group-swap": "G", "set-usage-location": "F", "reclaim": "F",
    "fix-usage-location": "F", "group-member": "M", "skip": "S",
}
"""Action id prefix per kind (fix-first kinds share ``F``)."""

SETTINGS_COLUMNS: tuple[str, ...] = ("kind", "keep_direct_skus", "disabled_plans_after",
                                     "add_sku_id", "target_before")
"""The columns that say which admin-center settings a moving row needs."""

PLAIN, NEEDS_LOCATION, RECLAIM, GROUP = 0, 1, 2, 3
"""The order of the executed steps (see the module docstring)."""


def assign_batches(table: pd.DataFrame, batch_size: int) -> pd.DataFrame:
    """The table ordered and batched (see the module docstring); its index is reset."""
    if not 1 <= batch_size <= GRAPH_BATCH_LIMIT:
        raise InputError("tenant.yaml", "error.plan.batch-size-range", column="batch_size",
                         value=batch_size, limit=GRAPH_BATCH_LIMIT,
                         fix="error.tenant.batch-size-too-large.fix")
    t = table.reset_index(drop=True)
    view = t.assign(kind=t["kind"].astype(KIND_CATEGORIES))  # the steps compare codes
    # upns and group ids sorted once, as their rank in string order: the sorts below are on
    # numbers (ties keep table order)
    upn, group = _text_ranks(t["upn"], t["group_id"])
    step = _steps(view, upn)
    movers = t.index[step >= 0]
    movers = pd.DataFrame({"step": step[movers],
                           "key": _settings_key(view.loc[movers, list(SETTINGS_COLUMNS)],
                                                _location_to_set(view, upn, step)),
                           "who": np.where(step[movers] == GROUP, group[movers],
                                           upn[movers])}, index=movers)
    movers = movers.sort_values(["step", "key", "who"], kind="stable")
    batch = pd.Series(0, index=t.index, dtype="int64")
    batch[movers.index] = _chunked(movers, batch_size)
    order = pd.Series(np.nan, index=t.index)
    order[movers.index] = np.arange(len(movers), dtype=float)
    # a set-usage-location row goes right before its user's swap, in the same batch
    loc_rows = t.index[step.isna()]
    swap_of = upn[step == NEEDS_LOCATION].drop_duplicates()
    swap_rows = upn[loc_rows].map(pd.Series(swap_of.index, index=swap_of.to_numpy()))
    batch[loc_rows] = batch[swap_rows].to_numpy()
    order[loc_rows] = order[swap_rows].to_numpy() - 0.5
    rest = order.index[order.isna()]
    order[_rest_order(view.loc[rest], upn[rest], group[rest])] = (
        len(t) + np.arange(len(rest), dtype=float))
    final = order.sort_values(kind="stable").index  # RangeIndex: labels are positions
    return t.assign(batch=batch).take(final).reset_index(drop=True)


def _text_ranks(upn: pd.Series, group_id: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each row's upn and group id as its rank in string order (among the upns / among the
    group ids; a missing one sorts last)."""
    return (pd.Series(text_ranks(upn), index=upn.index),
            pd.Series(text_ranks(group_id), index=group_id.index))


def _steps(t: pd.DataFrame, upn: pd.Series) -> pd.Series:
    """Each executed row's step (PLAIN..GROUP); NaN for a set-usage-location row that rides
    with its user's swap, -1 for rows that are not executed. ``upn``: the rows' upn ranks."""
    kind = t["kind"]
    swap = kind == "user-swap"
    is_loc = kind == "set-usage-location"
    paired = swap & upn.isin(upn[is_loc])
    # a set-usage-location row whose swap is not in the table (a remaining plan) runs alone
    orphan = is_loc & ~upn.isin(upn[swap])
    step = pd.Series(-1.0, index=t.index)
    step[(swap & ~paired) | orphan] = PLAIN
    step[paired] = NEEDS_LOCATION
    step[kind == "reclaim"] = RECLAIM
    step[kind == "group-swap"] = GROUP
    step[is_loc & ~orphan] = np.nan
    return step


def _location_to_set(t: pd.DataFrame, upn: pd.Series, step: pd.Series) -> pd.Series:
    """For a swap that needs a usage location first: the location its user's (first)
    set-usage-location row sets; "" for every other row."""
    loc_rows = upn[t["kind"] == "set-usage-location"].drop_duplicates()
    location_of = pd.Series(t.loc[loc_rows.index, "new_usage_location"].to_numpy(),
                            index=loc_rows.to_numpy())
    return upn.map(location_of).astype(object).fillna("").where(step == NEEDS_LOCATION, "")


def direct_target_after(rows: pd.DataFrame) -> pd.Series:
    """Whether a row's user holds the target directly after its call: the call adds it, or
    the user already held it directly (the call then only removes E4). A user who gets the
    target from a switched group, or a reclaimed one, holds no direct target: an admin-center
    "Replace" for them must not switch the target on."""
    return (rows["add_sku_id"] != "") | rows["target_before"].isin(["direct", "direct+group"])


def _settings_key(movers: pd.DataFrame, location: pd.Series) -> pd.Series:
    """The admin-center settings a moving user needs, as the rank of the text "licenses kept #
    apps turned off # usage location to set # direct target or not": users share a batch only
    with users whose key
    is equal. Groups are switched one by one in Entra, so any groups may share a batch (key
    "")."""
    is_group = movers["kind"] == "group-swap"

    def key(kept: tuple[str, ...], off: tuple[str, ...], location: str, target: bool) -> str:
        return "#".join(("|".join(kept), "|".join(off), location,
                         "target" if target else "no target"))

    settings = pd.DataFrame({"kept": movers["keep_direct_skus"],
                             "off": movers["disabled_plans_after"],
                             "location": location[movers.index],
                             "target": direct_target_after(movers)})
    text = per_distinct_row(settings, key)  # a few dozen distinct settings
    return pd.Series(pd.factorize(text.where(~is_group, ""), sort=True)[0], index=movers.index)


def _chunked(movers: pd.DataFrame, batch_size: int) -> np.ndarray:
    """Batch numbers of the sorted movers: each run of equal (step, key) is cut into chunks of
    ``batch_size`` (10 at most for users who also need a location), one batch per chunk."""
    cap = np.where(movers["step"] == NEEDS_LOCATION,
                   min(batch_size, GRAPH_BATCH_LIMIT // 2), batch_size)
    position = movers.groupby(["step", "key"], sort=False).cumcount().to_numpy()
    chunk = pd.Series(position // cap, index=movers.index)
    same_batch = ((movers["step"] == movers["step"].shift())
                  & (movers["key"] == movers["key"].shift())
                  & (chunk == chunk.shift()))
    return np.cumsum(~same_batch.to_numpy())


def _rest_order(rest: pd.DataFrame, upn: pd.Series, group: pd.Series) -> pd.Index:
    """The rows that are not executed, in order: fix-first, group members, skips of users,
    then skips of groups; each by upn, then group id (``upn``/``group``: their ranks)."""
    kind = rest["kind"]
    rank = np.select([kind == "fix-usage-location", kind == "group-member",
                      (kind == "skip") & (rest["upn"] != "")], [0, 1, 2], 3)
    return pd.DataFrame({"rank": rank, "upn": upn, "group": group}).sort_values(
        ["rank", "upn", "group"], kind="stable").index


def number_actions(table: pd.DataFrame) -> pd.DataFrame:
    """Action ids per prefix in table order, at least 5 digits (``U00001``)."""
    prefix = table["kind"].map(PREFIX)
    seq = table.groupby(prefix, sort=False).cumcount() + 1
    width = max(5, len(str(len(table))))
    # each id made in one step (pandas' astype(str), str.zfill and + make three texts a row)
    ids = [p + str(n).zfill(width) for p, n in zip(prefix.tolist(), seq.tolist(), strict=True)]
    return table.assign(action_id=pd.Series(ids, index=table.index, dtype=object))
