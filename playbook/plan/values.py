"""Column helpers the plan's rules share: work out something once per distinct value.

A 300k-user tenant holds a few dozen distinct tuples of disabled plans or licenses, so a rule
written for one value runs a few dozen times, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd


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
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    except TypeError:
        return values.map(fn).astype(object)
    results = object_array(fn(v) for v in uniques)
    return pd.Series(results[codes], index=values.index, dtype=object)
