"""Column helpers the plan's rules share: work out something once per distinct value
(:func:`playbook.table.per_distinct`, used beyond the plan too, lives with the table).

A 300k-user tenant holds a few dozen distinct tuples of disabled plans or licenses, so a rule
written for one value runs a few dozen times, not once per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from playbook.table import distinct_values, object_array


def per_distinct_fields(values: pd.Series, names: tuple[str, ...],
                        fn: Callable[[Any], dict[str, Any]]) -> pd.DataFrame:
    """:func:`per_distinct` for a function that returns several values (a dict of ``names``):
    one column each, with the index of ``values``."""
    codes, uniques = distinct_values(values)
    results = [fn(v) for v in uniques]
    return pd.DataFrame({name: object_array(r[name] for r in results)[codes] for name in names},
                        index=values.index)


def per_distinct_row(columns: pd.DataFrame, fn: Callable[..., Any]) -> pd.Series:
    """``fn(*row)`` for each row of ``columns``, called once per distinct row (a rule of a few
    columns meets a few dozen combinations in a 300k-user tenant). An object column with the
    index of ``columns``."""
    group = columns.groupby(list(columns.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = pd.Series(group).drop_duplicates()  # the position of one row of each combination
    results = np.empty(len(first), dtype=object)
    results[first.to_numpy()] = object_array(
        fn(*row) for row in columns.iloc[first.index].itertuples(index=False, name=None))
    return pd.Series(results[group], index=columns.index, dtype=object)


def text_order(texts: pd.Series) -> np.ndarray:
    """The positions of ``texts`` in string order (stable).

    Python's own sort: on text it is several times faster than numpy's object argsort, and
    nearly linear on input that is already sorted in runs (a plan table is).
    """
    values = texts.tolist()
    return np.array(sorted(range(len(values)), key=values.__getitem__), dtype=np.int64)


def text_ranks(texts: pd.Series) -> np.ndarray:
    """Each cell's dense rank in string order: equal texts get equal ranks, so sorting by
    rank sorts as sorting by the text does; a missing cell ranks last."""
    codes, distinct = pd.factorize(texts)
    rank_of = np.empty(len(distinct), dtype=np.int64)
    rank_of[text_order(pd.Series(distinct))] = np.arange(len(distinct))
    return np.where(codes < 0, len(distinct), rank_of[codes])
