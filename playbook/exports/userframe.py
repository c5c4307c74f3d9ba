"""The per-user part shared by every CSV users reader: clean user columns, catch duplicates,
then join the expanded license rows into the license table of :mod:`playbook.table`.

Everything here is vectorized over users; row numbers are only computed for the error message.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.errors import InputError
from playbook.exports.cells import Cells, Expanded
from playbook.exports.csvio import SHIFTED_HINT, CsvHead, map_each, map_unique, parse_bool
from playbook.exports.user_checks import check_user_fields
from playbook.messages import Said
from playbook.table import normalize_license_table

USER_FIELDS = ("upn", "user_id", "display_name", "department", "usage_location")


def clean_users(raw: pd.DataFrame, head: CsvHead, *, blocked_field: str | None = None,
                enabled_field: str | None = None) -> pd.DataFrame:
    """User-level columns of the license table from the raw text columns of one export.

    ``blocked_field`` (admin center/MSOnline ``Block credential``) or ``enabled_field`` (Graph
    ``AccountEnabled``) gives ``account_enabled``; a missing column means enabled.
    """
    if len(raw) == 0:
        raise InputError(head.path, "error.users-export.header-only",
                         fix="error.exports.no-rows.fix")
    out = pd.DataFrame(index=raw.index)
    blank = pd.Series("", index=raw.index, dtype=object)
    out["upn"] = map_each(raw["upn"], lambda v: v.strip().lower()) if "upn" in raw else blank
    # GUIDs: admin center writes them lower-case already; braces come from some scripts.
    out["user_id"] = (map_each(raw["user_id"], lambda v: v.strip("{} \t").lower())
                      if "user_id" in raw else blank)
    out["display_name"] = raw.get("display_name", blank)  # as exported
    # Few distinct values: clean the distinct ones only.
    out["department"] = (map_unique(raw["department"], lambda s: s.str.strip())
                         if "department" in raw else blank)
    loc_raw = raw.get("usage_location", blank)
    out["usage_location"] = map_unique(loc_raw, lambda s: s.str.strip().str.upper())

    check_user_fields(out, head.path, lambda i, f: (head.line_of(i), head.fields.get(f, f)),
                      SHIFTED_HINT, raw)
    if blocked_field and blocked_field in raw.columns:
        out["account_enabled"] = ~parse_bool(raw[blocked_field], head, blocked_field, False)
    elif enabled_field and enabled_field in raw.columns:
        out["account_enabled"] = parse_bool(raw[enabled_field], head, enabled_field, True)
    else:
        out["account_enabled"] = True
    return out


def drop_duplicate_users(users: pd.DataFrame, cells: Cells, head: CsvHead,
                         ) -> tuple[pd.DataFrame, Cells, list[Said]]:
    """Drop exact repeats of a user's row; refuse the same UPN with different data.

    Two different rows for one UPN cannot both be true, and picking one would be a guess, so
    the error names both lines. The frame keeps its original index (row positions).
    """
    upns = users["upn"].tolist()
    if len(set(upns)) == len(upns):  # the usual case, told by a plain set: no UPN twice
        return users, cells, []
    dup = users["upn"].duplicated(keep=False).to_numpy()
    cols = [*USER_FIELDS, "account_enabled", "_cells"]
    marked = users.assign(_cells=cells.codes)
    distinct = marked[dup].drop_duplicates(subset=cols)
    clash = distinct["upn"].duplicated(keep=False)
    if clash.any():
        upn = distinct.loc[clash, "upn"].iloc[0]
        lines = [head.line_of(i) for i in users.index[(users["upn"] == upn).to_numpy()]]
        raise InputError(head.path, "error.users-export.user-twice", row=lines[1],
                         column=head.fields.get("upn"), value=upn, upn=upn, first=lines[0],
                         second=lines[1])
    keep = ~marked.duplicated(subset=cols).to_numpy()
    n = int((~keep).sum())
    return users[keep], cells.take(keep), [Said("warning.users.repeated-rows", {"n": n})]


def drop_soft_deleted(users: pd.DataFrame, raw: pd.DataFrame, head: CsvHead,
                      ) -> tuple[pd.DataFrame, pd.DataFrame, list[Said]]:
    """Leave out users with a ``Soft deletion time stamp``: they are deleted (restorable for 30
    days), and a deleted user's licences are no longer held, so counting them as holders would
    move, or wait for, users who do not exist. Both frames keep their original index."""
    if "soft_deleted" not in raw.columns:
        return users, raw, []
    deleted = map_unique(raw["soft_deleted"], lambda s: s.str.strip().ne("")).to_numpy(
        dtype=bool)
    n = int(deleted.sum())
    if not n:
        return users, raw, []
    if n == len(raw):
        raise InputError(head.path, "error.users-export.all-soft-deleted")
    return users[~deleted], raw[~deleted], [Said("warning.users.soft-deleted", {"n": n})]


def assemble(users: pd.DataFrame, expanded: Expanded, *, group_ids: np.ndarray | None = None
             ) -> pd.DataFrame:
    """The license table: each user row repeated per license, license columns beside it.

    CSV formats carry no group or state information: licenses are direct and ``Active``; the
    no-license row has an empty state.
    """
    idx = expanded.user_index
    table = users.iloc[idx].reset_index(drop=True)
    has = expanded.sku_part_number.astype(bool) | expanded.product_name.astype(bool)
    table["sku_part_number"] = expanded.sku_part_number
    table["sku_id"] = expanded.sku_id
    table["product_name"] = expanded.product_name
    table["assigned_directly"] = True
    table["group_ids"] = [()] * len(idx) if group_ids is None else group_ids
    table["disabled_plans"] = expanded.disabled_plans
    table["state"] = pd.Series(has, index=table.index).map({True: "Active", False: ""})
    table["error"] = ""
    return normalize_license_table(table)
