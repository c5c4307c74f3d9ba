"""The two tables every step passes along: the license table and the subscription table.

Every export reader, whatever the file looked like, yields exactly these columns, so eligibility,
counting, planning and verification never see a file format.

License table: one row per (user, SKU). A user with no license keeps one row whose
``sku_part_number`` and ``product_name`` are empty, so counts of users stay exact. A product the
catalog cannot name keeps its row with the raw ``product_name`` and an empty ``sku_part_number``.

=====================  ==========  ============================================================
column                 dtype       meaning
=====================  ==========  ============================================================
upn                    str         userPrincipalName, lower-cased: the join key everywhere
user_id                str         Entra object id (lower-case GUID) or "" when the export lacks it
display_name           str         as exported
department             str         as exported, "" when unknown (plans can be limited by it)
usage_location         str         ISO 3166 alpha-2, upper-case; "" when unset
account_enabled        bool        False when sign-in is blocked (Block credential = True)
sku_part_number        str         skuPartNumber (e.g. ENTERPRISEWITHSCAL); "" when none/unknown
sku_id                 str         skuId, lower-case GUID; "" when unknown
product_name           str         the license exactly as the export named it ("" = no license)
assigned_directly      bool        True when assigned to the user directly
group_ids              object      tuple[str, ...] of group object ids the SKU is inherited from
disabled_plans         object      tuple[str, ...] of service-plan *names*, sorted; a plan the
                                   catalog cannot name keeps its lower-case GUID
state                  str         Active | ActiveWithError | Disabled | Error; "Active" where
                                   the format carries no state; "" on the no-license row
error                  str         Graph error code (CountViolation, ...) or "" for none
=====================  ==========  ============================================================

A SKU both direct and inherited is one row (``assigned_directly`` True and ``group_ids`` set),
because Microsoft counts it as one license. The worst state of its assignment paths wins.

Subscription table: one row per SKU the tenant has bought (Graph ``subscribedSkus``).

=====================  ==========  ============================================================
sku_id                 str         lower-case GUID ("" when the export lacks it)
sku_part_number        str         skuPartNumber
applies_to             str         User | Company ("" unknown)
capability_status      str         Enabled | Warning | Suspended | Deleted | LockedOut ("" unknown)
enabled                int         prepaidUnits.enabled (purchased, assignable)
warning                int         prepaidUnits.warning (expired, in grace)
suspended              int         prepaidUnits.suspended
locked_out             int         prepaidUnits.lockedOut
consumed               int         consumedUnits (assigned)
subscription_ids       object      tuple[str, ...]; empty when the export does not say
service_plans          object      tuple[(name, id, provisioningStatus), ...]; empty if unknown
=====================  ==========  ============================================================
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

LICENSE_COLUMNS: tuple[str, ...] = (
    "upn",
    "user_id",
    "display_name",
    "department",
    "usage_location",
    "account_enabled",
    "sku_part_number",
    "sku_id",
    "product_name",
    "assigned_directly",
    "group_ids",
    "disabled_plans",
    "state",
    "error",
)

SUBSCRIPTION_COLUMNS: tuple[str, ...] = (
    "sku_id",
    "sku_part_number",
    "applies_to",
    "capability_status",
    "enabled",
    "warning",
    "suspended",
    "locked_out",
    "consumed",
    "subscription_ids",
    "service_plans",
)

_BOOL_COLUMNS = ("account_enabled", "assigned_directly")
_TUPLE_LICENSE_COLUMNS = ("group_ids", "disabled_plans")
_INT_SUB_COLUMNS = ("enabled", "warning", "suspended", "locked_out", "consumed")
_TUPLE_SUB_COLUMNS = ("subscription_ids", "service_plans")

ERROR_STATES = frozenset({"Error", "ActiveWithError"})


def empty_license_table() -> pd.DataFrame:
    """A license table with no rows and the right columns and dtypes."""
    return normalize_license_table(pd.DataFrame({c: [] for c in LICENSE_COLUMNS}))


def empty_subscription_table() -> pd.DataFrame:
    """A subscription table with no rows."""
    return normalize_subscription_table(pd.DataFrame({c: [] for c in SUBSCRIPTION_COLUMNS}))


def normalize_license_table(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the license columns, in order, with their documented dtypes.

    Missing optional columns are filled with their empty value, so hand-built test tables and
    readers of poor formats both come out complete.
    """
    out = pd.DataFrame(index=df.index)
    for col in LICENSE_COLUMNS:
        if col in df.columns:
            out[col] = df[col]
        elif col in _BOOL_COLUMNS:
            out[col] = True
        elif col in _TUPLE_LICENSE_COLUMNS:
            out[col] = [()] * len(df)
        else:
            out[col] = ""
    for col in _BOOL_COLUMNS:
        out[col] = out[col].astype(bool)
    for col in LICENSE_COLUMNS:
        if col not in _BOOL_COLUMNS and col not in _TUPLE_LICENSE_COLUMNS:
            out[col] = out[col].fillna("").astype(str)
    for col in _TUPLE_LICENSE_COLUMNS:
        out[col] = tuple_column(out[col])
    return out.reset_index(drop=True)


def normalize_subscription_table(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the subscription columns and dtypes (missing units = 0)."""
    out = pd.DataFrame(index=df.index)
    for col in SUBSCRIPTION_COLUMNS:
        if col in df.columns:
            out[col] = df[col]
        elif col in _INT_SUB_COLUMNS:
            out[col] = 0
        elif col in _TUPLE_SUB_COLUMNS:
            out[col] = [()] * len(df)
        else:
            out[col] = ""
    for col in _INT_SUB_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0).astype("int64")
    for col in ("sku_id", "sku_part_number", "applies_to", "capability_status"):
        out[col] = out[col].fillna("").astype(str)
    for col in _TUPLE_SUB_COLUMNS:
        out[col] = tuple_column(out[col])
    return out.reset_index(drop=True)


USER_COLUMNS: list[str] = ["upn", "user_id", "display_name", "department", "usage_location",
                            "account_enabled"]
"""The license table's user-level columns (equal on every row of a user)."""


def not_held(rows: pd.DataFrame) -> pd.Series:
    """Rows whose license the user does not hold: state ``Error`` (the license is not
    assigned: licenseAssignmentState, microsoft-facts.md S15), or ``ActiveWithError`` with
    ``CountViolation`` (inference: more assigned than bought, so the user has no seat of their
    own). The plan (a target in error still needs a seat) and verification (such a user is not
    moved) read it here."""
    state = rows["state"].fillna("").astype(str)
    error = rows["error"].fillna("").astype(str).str.strip()
    return (state == "Error") | ((state == "ActiveWithError") & (error == "CountViolation"))


TupleFix = Callable[[tuple], tuple]


def tuple_column(column: pd.Series, fix: TupleFix | None = None) -> pd.Series:
    """A tuple column whatever its cells hold: lists become tuples, NaN/None/other cells ``()``.

    ``fix`` (e.g. sort, de-duplicate, lower-case) is applied to each *distinct* tuple once and
    spread back to every row: a 300k-user table holds a few dozen distinct tuples, so no Python
    runs per row. Readers (through the normalisers) and rules share this one cleaner.
    """
    codes, uniques = _distinct(column)
    fixed = np.empty(len(uniques) + 1, dtype=object)  # the last slot is for missing (code -1)
    for i, value in enumerate([*uniques, ()]):
        cell = _as_tuple(value)
        fixed[i] = fix(cell) if fix is not None else cell
    return pd.Series(fixed[codes], index=column.index, dtype=object)


def has_items(column: pd.Series) -> pd.Series:
    """True where a tuple column (``group_ids``, ``disabled_plans``) holds anything.

    Each distinct cell is looked at once (they repeat: most rows hold ``()``).
    """
    codes, uniques = _distinct(column)
    filled = np.array([len(_as_tuple(v)) > 0 for v in uniques] + [False], dtype=bool)
    return pd.Series(filled[codes], index=column.index)


def _distinct(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of a column of tuples (an object array, so tuples stay single cells);
    unhashable cells (lists in a hand-built table) are made tuples first."""
    try:
        return pd.factorize(column.to_numpy(dtype=object))
    except TypeError:
        hashable = column.map(lambda v: v if isinstance(v, Hashable) else _as_tuple(v))
        return pd.factorize(hashable.to_numpy(dtype=object))


def _as_tuple(value: object) -> tuple:
    """A cell as a tuple: containers keep their items, anything else (NaN, None, "") is empty."""
    return tuple(value) if isinstance(value, tuple | list | set | frozenset) else ()


def object_array(items: Iterable[Any]) -> np.ndarray:
    """An object array of ``items``; a tuple stays one cell (never a second dimension)."""
    values = list(items)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def per_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``values.map(fn)``, with ``fn`` called once per distinct value (missing ones too).

    The result is an object column with the index of ``values``. Cells that cannot be hashed
    (lists in a hand-built table) are mapped one by one.
    """
    try:
        codes, uniques = distinct_values(values)
    except TypeError:
        return values.map(fn).astype(object)
    results = object_array(fn(v) for v in uniques)
    return pd.Series(results[codes], index=values.index, dtype=object)


def distinct_values(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of a column as an object array, a missing cell being one value too.

    Most columns hold no missing cell, and the plain factorize is twice as fast as asking it
    to keep missing values (``use_na_sentinel=False``), so that is only asked when needed.
    """
    cells = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells)
    if (codes < 0).any():
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    return codes, uniques
