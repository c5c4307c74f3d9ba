"""Cell helpers the verification rules share: plan keys and texts per distinct value (tuple
columns are cleaned by :func:`playbook.table.tuple_column`, the one cleaner).

Tenants have 100k+ users but few distinct values per column (one per plan decision, group or
error code), so each helper computes once per distinct value and maps the result back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from playbook.catalog import Catalog, is_guid, normalize_key
from playbook.table import tuple_column


def plans_key(values: pd.Series, catalog: Catalog) -> pd.Series:
    """Disabled plans as comparable keys: GUIDs named where known, case-folded, sorted."""

    def key(plans: tuple[str, ...]) -> tuple[str, ...]:
        names = set()
        for p in plans:
            hit = catalog.plan_by_id(p) if is_guid(p) else None
            names.add(normalize_key(hit.name if hit else p))
        return tuple(sorted(names))

    return tuple_column(values, key)


def per_distinct(fn: Callable[..., Any], columns: dict[str, np.ndarray]) -> np.ndarray:
    """``fn(**values)`` for every row, computed once per distinct combination of values.

    ``columns`` maps ``fn``'s keyword names to equally long arrays (at least one).
    """
    names = list(columns)
    keys = pd.Series(list(zip(*(np.asarray(columns[n], dtype=object) for n in names),
                              strict=True)), dtype=object)
    codes, uniq = pd.factorize(keys)
    results = np.empty(len(uniq), dtype=object)
    for i, values in enumerate(uniq):
        results[i] = fn(**dict(zip(names, values, strict=True)))
    return results[codes]
