"""The fast planning helpers give what the plain pandas versions they replaced gave.

Each ``_reference_*`` function below is the earlier, row-by-row implementation, kept here as
the specification; hypothesis draws plan tables (duplicate upns, orphan usage-location rows,
tuples whose "|"-joins collide, missing cells) and the two must agree exactly.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playbook.planning import (
    EXECUTED_KINDS,
    GRAPH_BATCH_LIMIT,
    KINDS,
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    _cells,
    _lowered,
    _normalized,
    _number_actions,
    _plan_id,
    _ranks,
    _row_hashes,
    _sets_per_owner,
    assign_batches,
    rollback_actions,
)

FAST = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

UPNS = ("a@x.test", "b@x.test", "B@x.test", "c@x.test", "", "zz@x.test", "ä@x.test")
GROUPS = ("", "g1", "g2", "G0")
TUPLES = ((), ("a",), ("a", "b"), ("a|b",), ("b",), ("Exchange (apps off: X, Y)",))
LOCATIONS = ("", "DK", "US")


def _reference_assign_batches(table: pd.DataFrame, batch_size: int) -> pd.DataFrame:
    t = table.reset_index(drop=True).copy()
    t["batch"] = 0
    kind = t["kind"]
    loc_upns = set(t.loc[kind == "set-usage-location", "upn"])
    swap = kind == "user-swap"
    paired = swap & t["upn"].isin(loc_upns)
    orphan = (kind == "set-usage-location") & ~t["upn"].isin(set(t.loc[swap, "upn"]))
    cat = np.select([(swap & ~paired) | orphan, paired, kind == "reclaim",
                     kind == "group-swap"], [0, 1, 2, 3], -1)
    t["_cat"] = cat
    loc_of = t[kind == "set-usage-location"].drop_duplicates("upn").set_index("upn")
    loc_value = t["upn"].map(loc_of["new_usage_location"]).astype(object).fillna("")
    t["_key"] = np.where(cat == 3, "", (
        t["keep_direct_skus"].map("|".join) + "#" + t["disabled_plans_after"].map("|".join)
        + "#" + np.where(paired, loc_value, "")))
    t["_who"] = np.where(cat == 3, t["group_id"], t["upn"])
    movers = t[cat >= 0].sort_values(["_cat", "_key", "_who"], kind="stable")
    cap = np.where(movers["_cat"] == 1, min(batch_size, GRAPH_BATCH_LIMIT // 2), batch_size)
    pos = movers.groupby(["_cat", "_key"], sort=False).cumcount().to_numpy()
    chunk = pos // cap
    m_cat = movers["_cat"].to_numpy()
    m_key = pd.factorize(movers["_key"].to_numpy(dtype=object))[0]
    starts = np.ones(len(movers), dtype=bool)
    starts[1:] = ((m_cat[1:] != m_cat[:-1]) | (m_key[1:] != m_key[:-1])
                  | (chunk[1:] != chunk[:-1]))
    t.loc[movers.index, "batch"] = np.cumsum(starts)
    t["_order"] = np.nan
    t.loc[movers.index, "_order"] = np.arange(len(movers), dtype=float)
    locs = t.index[(kind == "set-usage-location") & ~orphan]
    swap_pos = t[paired].drop_duplicates("upn").set_index("upn")
    t.loc[locs, "batch"] = t.loc[locs, "upn"].map(swap_pos["batch"]).fillna(0).astype("int64")
    t.loc[locs, "_order"] = t.loc[locs, "upn"].map(swap_pos["_order"]) - 0.5
    rest = t["_order"].isna()
    rank = pd.Series(np.select(
        [kind == "fix-usage-location", kind == "group-member", (kind == "skip") & (t["upn"] != "")],
        [0, 1, 2], 3), index=t.index)
    rest_order = t[rest].assign(_r=rank[rest]).sort_values(
        ["_r", "upn", "group_id"], kind="stable").index
    t.loc[rest_order, "_order"] = len(t) + np.arange(len(rest_order), dtype=float)
    t.loc[rest, "batch"] = 0
    t = t.sort_values("_order", kind="stable").drop(columns=["_cat", "_key", "_who", "_order"])
    t["batch"] = t["batch"].astype("int64")
    return t.reset_index(drop=True)


def _reference_rollback(t: pd.DataFrame) -> pd.DataFrame:
    ex = t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)]
    ex = ex.iloc[::-1].sort_values("batch", ascending=False, kind="stable")
    r = ex.copy()
    r["action_id"] = "R" + ex["action_id"]
    licence = ex["kind"] != "set-usage-location"
    new_target = ~(((ex["kind"] == "group-swap") & (ex["target_before"] == "group"))
                   | ((ex["kind"] != "group-swap")
                      & ex["target_before"].isin(["direct", "direct+group"])))
    added = ex["add_sku_id"] != ""
    r["add_sku_id"] = np.where(licence, ex["remove_sku_id"], "")
    r["add_sku_part_number"] = np.where(licence, ex["remove_sku_part_number"], "")
    r["remove_sku_id"] = np.where(licence & added & new_target, ex["add_sku_id"], "")
    r["remove_sku_part_number"] = np.where(licence & added & new_target,
                                           ex["add_sku_part_number"], "")
    r["disabled_plans_before"] = ex["disabled_plans_after"]
    r["disabled_plan_ids_before"] = ex["disabled_plan_ids_after"]
    r["disabled_plans_after"] = ex["disabled_plans_before"]
    r["disabled_plan_ids_after"] = ex["disabled_plan_ids_before"]
    r["unmapped_plans"] = [()] * len(ex)
    r["before_skus"] = ex["after_skus"]
    r["after_skus"] = ex["before_skus"]
    r["usage_location"] = np.where(licence, ex["usage_location"], ex["new_usage_location"])
    r["new_usage_location"] = np.where(licence, "", ex["usage_location"])
    r["new_seats"] = 0
    r["reason_code"] = "rollback"
    r["reason"] = "undoes " + ex["action_id"]
    return _normalized(r)


def _reference_number_actions(table: pd.DataFrame) -> pd.DataFrame:
    prefix_of = {"user-swap": "U", "group-swap": "G", "set-usage-location": "F",
                 "reclaim": "F", "fix-usage-location": "F", "group-member": "M", "skip": "S"}
    t = table.copy()
    prefix = t["kind"].map(prefix_of)
    seq = t.groupby(prefix, sort=False).cumcount() + 1
    width = max(5, len(str(len(t))))
    t["action_id"] = (prefix + seq.astype(str).str.zfill(width)).astype(object)
    return t


def _reference_plan_id(source: dict, target: dict, table: pd.DataFrame) -> str:
    flat = table[list(PLAN_COLUMNS)].copy()
    for col in TUPLE_COLUMNS:
        flat[col] = flat[col].map("|".join)
    h = hashlib.sha256(json.dumps([source, target, list(PLAN_COLUMNS)],
                                  sort_keys=True).encode())
    h.update(pd.util.hash_pandas_object(flat, index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert list(got.dtypes) == list(want.dtypes)
    assert got.index.equals(want.index)
    assert got.equals(want)
    for col in got.columns:  # same Python types cell by cell (tuples stay tuples)
        assert [type(v) for v in got[col]] == [type(v) for v in want[col]], col


@st.composite
def plan_tables(draw, min_size: int = 0):  # noqa: ANN201 - hypothesis strategy
    """A plan table whose equal cells are one shared object (as the planner builds them) or
    each their own object (as a plan read back from JSON has them)."""
    n = draw(st.integers(min_size, 40))
    shared = draw(st.booleans())

    def text(options: tuple[str, ...]) -> str:
        v = draw(st.sampled_from(options))
        return v if shared else v.encode().decode()  # an equal string, another object

    def tup() -> tuple:
        return tuple(text((v,)) for v in draw(st.sampled_from(TUPLES)))

    rows = [{
        "action_id": f"X{i:05d}",
        "kind": draw(st.sampled_from(KINDS)),
        "batch": draw(st.integers(0, 4)),
        "upn": text(UPNS),
        "user_id": text(("", "id1", "id2")),
        "group_id": text(GROUPS),
        "usage_location": text(LOCATIONS),
        "new_usage_location": text(LOCATIONS),
        "add_sku_id": text(("", "t-id")),
        "add_sku_part_number": text(("", "T")),
        "remove_sku_id": text(("", "e4-id")),
        "remove_sku_part_number": text(("", "E4")),
        "target_before": text(("", "direct", "group", "direct+group")),
        "members": draw(st.integers(0, 3)),
        "new_seats": draw(st.integers(0, 1)),
        "reason_code": text(("", "no-usage-location", "rollback")),
        **{c: tup() for c in TUPLE_COLUMNS},
    } for i in range(n)]
    return _normalized(pd.DataFrame(rows, columns=list(PLAN_COLUMNS)))


@FAST
@given(plan_tables(), st.integers(1, GRAPH_BATCH_LIMIT))
def test_assign_batches_matches_the_reference(table, batch_size):
    _same(assign_batches(table, batch_size), _reference_assign_batches(table, batch_size))


@FAST
@given(plan_tables())
def test_number_actions_matches_the_reference(table):
    _same(_number_actions(table), _reference_number_actions(table))


@FAST
@given(plan_tables(), st.integers(1, GRAPH_BATCH_LIMIT))
def test_rollback_matches_the_reference(table, batch_size):
    batched = assign_batches(table, batch_size)
    _same(rollback_actions(batched), _reference_rollback(batched))


@FAST
@given(plan_tables(min_size=1), st.data())
def test_rollback_of_a_table_with_missing_cells_matches_the_reference(table, data):
    t = table.copy()
    t["batch"] = 1
    for col in ("action_id", "add_sku_id", "add_sku_part_number", "target_before",
                "usage_location", "before_skus", "upn"):
        rows = data.draw(st.lists(st.integers(0, len(t) - 1), max_size=3))
        t.loc[rows, col] = data.draw(st.sampled_from([None, np.nan]))
    _same(rollback_actions(t), _reference_rollback(t))


@FAST
@given(plan_tables())
def test_plan_id_matches_the_reference(table):
    source, target = {"sku_id": "s"}, {"sku_id": "t"}
    assert _plan_id(source, target, table) == _reference_plan_id(source, target, table)


@FAST
@given(plan_tables(min_size=1), st.data())
def test_row_hashes_match_pandas_with_missing_cells(table, data):
    t = table.copy()
    rows = data.draw(st.lists(st.integers(0, len(t) - 1), max_size=3))
    t.loc[rows, "reason"] = data.draw(st.sampled_from([None, np.nan]))
    flat = t[list(PLAN_COLUMNS)].copy()
    for col in TUPLE_COLUMNS:
        flat[col] = flat[col].map("|".join)
    want = pd.util.hash_pandas_object(flat, index=False).to_numpy()
    assert (_row_hashes(t) == want).all()


@FAST
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 140)), max_size=200))
def test_sets_per_owner_are_each_owners_sorted_distinct_values(pairs):
    values = np.array([f"v{i:03d}" for i in range(141)], dtype=object)  # > 64: several words
    owner = np.array([p[0] for p in pairs], dtype=np.int64)
    code = np.array([p[1] for p in pairs], dtype=np.int64)
    combo, pool = _sets_per_owner(owner, code, values, 31)
    for o in range(31):
        assert pool[combo[o]] == tuple(sorted({values[c] for c in code[owner == o]}))


@FAST
@given(st.lists(st.sampled_from(["b", "a", "", "ä", "A", "a b", "B"]), max_size=30),
       st.lists(st.sampled_from(["g", "", "a"]), max_size=10))
def test_ranks_sort_like_python_strings(left, right):
    a = np.array([str(x + "") for x in left], dtype=object)  # distinct objects, equal values
    b = np.array(right, dtype=object)
    codes, rank = _ranks(a, b)
    both = [*left, *right]
    order = sorted(set(both))
    assert [rank[c] for c in codes] == [order.index(v) for v in both]


def test_cells_groups_by_object_and_finds_first_rows():
    x, y, x2 = tuple(["a"]), tuple(["b"]), tuple(["a"])  # x2: equal to x, another object
    values = np.empty(5, dtype=object)
    for i, v in enumerate([x, y, x, x2, y]):
        values[i] = v
    codes, first = _cells(values)
    assert codes[0] == codes[2] and codes[1] == codes[4] and codes[0] != codes[1]
    assert list(first[codes]) == [0, 1, 0, 3, 1]


def test_lowered_is_pandas_strip_lower():
    col = pd.Series([" A@X ", None, np.nan, "b", "", "\tÄ "], dtype=object)
    for s in (col, col.astype("str"), pd.Series([1, 2.5, "X "], dtype=object)):
        want = s.fillna("").astype(str).str.strip().str.lower()
        got = _lowered(s)
        assert got.index.equals(want.index)
        assert [(type(v), v) for v in got] == [(type(v), v) for v in want]


def test_row_hashes_match_pandas_on_a_long_table_with_unique_columns():
    base = _normalized(pd.DataFrame({"kind": ["user-swap"] * 5000}))
    for missing in (False, True):
        t = base.copy()
        t["upn"] = pd.Series([f"user{i}@x.test" for i in range(5000)], dtype=object)
        t["action_id"] = pd.Series([f"U{i:05d}" for i in range(5000)], dtype=object)
        if missing:
            t.loc[17, "upn"] = np.nan
        flat = t[list(PLAN_COLUMNS)].copy()
        for col in TUPLE_COLUMNS:
            flat[col] = flat[col].map("|".join)
        want = pd.util.hash_pandas_object(flat, index=False).to_numpy()
        assert (_row_hashes(t) == want).all()
