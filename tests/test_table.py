"""The table contract's one tuple-column cleaner, used by the readers and the normalisers."""

from __future__ import annotations

import pandas as pd
from builders import lic

from playbook.table import has_items, tuple_column


def test_tuple_column_makes_every_cell_a_tuple():
    col = pd.Series([("a",), ["b", "a"], None, float("nan"), (), "x"], dtype=object)
    assert tuple_column(col).tolist() == [("a",), ("b", "a"), (), (), (), ()]


def test_tuple_column_fix_runs_on_distinct_values():
    seen = []

    def fix(t: tuple) -> tuple:
        seen.append(t)
        return tuple(sorted(x.lower() for x in t))

    col = pd.Series([("B", "a")] * 1000 + [()] * 1000, dtype=object)
    assert tuple_column(col, fix).tolist() == [("a", "b")] * 1000 + [()] * 1000
    assert len(seen) <= 3  # each distinct value once (and the slot for missing cells)


def test_has_items_and_the_normaliser_tolerate_hand_built_cells():
    col = pd.Series([("g",), None, [], ["g"]], dtype=object)
    assert has_items(col).tolist() == [True, False, False, True]
    table = lic({"upn": "a@x", "group_ids": None}, {"upn": "b@x", "group_ids": ["g1"]})
    assert table["group_ids"].tolist() == [(), ("g1",)]
