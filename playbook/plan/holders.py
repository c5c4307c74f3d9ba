"""Who holds what: the license table read into one row per holder of E4 and of the target, and
each user's set of licenses. Each user is an integer code (``user``): one factorize of the
upn, so joins between these tables are on integers, never on upn strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from playbook.catalog import Catalog, Sku
from playbook.errors import InputError
from playbook.messages import Said
from playbook.seats import rows_of_skus
from playbook.table import LICENSE_COLUMNS, object_array, per_distinct


@dataclass(frozen=True, eq=False)
class Holdings:
    """The license table as the rules read it.

    ``e4``/``target``: one row per user holding E4 / the target (the license table's columns
    plus ``user``, the user's code; ids lower-case); ``before_skus``/``keep_direct_skus``: a
    tuple per user code: every part number held, and the other licenses held directly
    (labelled as an admin sees them in the admin center).
    """

    e4: pd.DataFrame
    target: pd.DataFrame
    before_skus: pd.Series
    keep_direct_skus: pd.Series


def holdings(licenses: pd.DataFrame, where: str | Said, catalog: Catalog, source: Sku,
             target: Sku) -> Holdings:
    """Read the license table (``where`` names it in errors) for the rules."""
    lic = _license_table(licenses, where)
    # the table contract (playbook.table): upn lower-cased, user_id a lower-case GUID or ""
    user, upns = pd.factorize(lic["upn"])
    is_source, is_target = (rows.to_numpy() for rows in rows_of_skus(lic, (source, target)))
    # from here on only the rows of users who hold E4 or the target matter
    rows = pd.Series(user).isin(user[is_source | is_target]).to_numpy()
    lic = checked_licenses(lic[rows]).assign(user=user[rows])
    is_source, is_target = is_source[rows], is_target[rows]
    label = sku_labels(lic, catalog)
    held = label != ""
    kept = held & lic["assigned_directly"].astype(bool) & ~is_source & ~is_target
    kept_words = per_distinct(label[kept], catalog.display_name) + per_distinct(
        lic.loc[kept, "disabled_plans"], lambda off: f" (apps off: {', '.join(off)})" if off
        else "")
    e4, on_target = one_row_per_user(lic[is_source]), one_row_per_user(lic[is_target])
    return Holdings(
        e4=e4, target=on_target,
        before_skus=sets_per_user(lic.loc[held, "user"], label[held], len(upns)),
        keep_direct_skus=sets_per_user(lic.loc[kept, "user"], kept_words, len(upns)),
    )


def _license_table(licenses: pd.DataFrame, where: str | Said) -> pd.DataFrame:
    """``licenses`` with a RangeIndex, once it has every license column (else InputError)."""
    missing = [c for c in LICENSE_COLUMNS if c not in licenses.columns]
    if missing:
        raise InputError(where, "error.plan.not-a-license-table", column=missing[0])
    return licenses.reset_index(drop=True)


def checked_licenses(lic: pd.DataFrame) -> pd.DataFrame:
    """The tuple columns as the rules read them: sorted, distinct texts (group ids lower-case).
    """
    return lic.assign(
        group_ids=per_distinct(lic["group_ids"], lambda v: _sorted_texts(v, lower=True)),
        disabled_plans=per_distinct(lic["disabled_plans"], _sorted_texts),
    )


def _sorted_texts(cell: Any, *, lower: bool = False) -> tuple[str, ...]:
    """A tuple cell as the rules want it: sorted, distinct, stripped texts (not a list = ())."""
    if not isinstance(cell, tuple | list | set | frozenset):
        return ()
    texts = (str(x).strip() for x in cell)
    return tuple(sorted({x.lower() if lower else x for x in texts if x}))


def one_row_per_user(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per user for one SKU (the table contract says so; merged defensively if not:
    held directly by any row, through the groups of all rows)."""
    dup = rows["user"].duplicated(keep=False)
    if not dup.any():
        return rows.reset_index(drop=True)
    merged = rows[dup].groupby("user", sort=False).agg(
        assigned_directly=("assigned_directly", "any"),
        group_ids=("group_ids", lambda s: tuple(sorted({g for t in s for g in t}))),
    )
    first = rows[dup].drop_duplicates("user").set_index("user")
    first["assigned_directly"] = merged["assigned_directly"]
    first["group_ids"] = merged["group_ids"]
    return pd.concat([rows[~dup], first.reset_index()], ignore_index=True)


def sku_labels(lic: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Part number of each row; when the export lacks it, the catalog's for the skuId, else
    the export's product name."""
    part = per_distinct(lic["sku_part_number"].fillna(""), lambda v: str(v).strip())
    need = part == ""
    if need.any():
        pairs = lic.loc[need, ["sku_id", "product_name"]].fillna("").astype(str)
        group = pairs.groupby(["sku_id", "product_name"], sort=False).ngroup()
        distinct = pairs.groupby(group).first()
        resolved = object_array(
            _resolved_part(catalog, sku_id, name)
            for sku_id, name in zip(distinct["sku_id"], distinct["product_name"], strict=True))
        part[need] = resolved[group.to_numpy()]
    return part


def _resolved_part(catalog: Catalog, sku_id: str, product_name: str) -> str:
    sku = catalog.resolve(sku_id) if sku_id else None
    return sku.part_number if sku else product_name.strip()


def sets_per_user(user: pd.Series, value: pd.Series, n_users: int) -> pd.Series:
    """Per user code ``0..n_users-1``: the distinct values it has, sorted, as a tuple.

    A user's set is its row in a table of flags (users x distinct values: a handful of
    license names); users with equal rows share one tuple, built once.
    """
    code, distinct = pd.factorize(value, sort=True)  # code: the value's place among them
    names = list(distinct)
    if not names:
        return pd.Series(object_array([()] * n_users), dtype=object)
    flags = pd.DataFrame(False, index=pd.RangeIndex(n_users), columns=range(len(names)))
    for i in range(len(names)):
        flags.loc[user.to_numpy()[code == i], i] = True
    combination = flags.groupby(list(flags.columns), sort=False).ngroup().to_numpy()
    patterns = flags.groupby(combination).first()
    tuples = object_array(tuple(names[i] for i in row.index[row.to_numpy()])
                          for _, row in patterns.iterrows())
    return pd.Series(tuples[combination], dtype=object)
