"""playbook.fastjson writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
import random

import pytest

from playbook import fastjson

TEXTS = ["", "a", "é\"x\n\t", "æøå \u2028 \u2029", "\\", "</script>", "\x00\x1f", "😀",
         "Enterprise Mobility + Security E5", "U00001"]


def _value(rng: random.Random, depth: int = 0):
    r = rng.random()
    if r < 0.25:
        return rng.choice(TEXTS)
    if r < 0.35:
        return rng.choice([0, -7, 10**15, 2**70])
    if r < 0.40:
        return rng.choice([True, False, None])
    if r < 0.45:
        return rng.choice([1.5, 0.1, 1e300, -0.0, 2.0, float("inf"), float("nan")])
    if r < 0.65:
        return [rng.choice(TEXTS) for _ in range(rng.randint(0, 3))]
    if r < 0.70:
        return tuple(rng.choice(TEXTS) for _ in range(rng.randint(0, 2)))
    if r < 0.78 and depth < 2:
        return {"k": _value(rng, depth + 1), "l": [_value(rng, depth + 1)]}
    if r < 0.82:
        return rng.choice([{}, []])
    return f"v{rng.randint(0, 40)}"


def _records(rng: random.Random, n: int) -> list[dict]:
    keys = ["action_id", "a b", "ä", "n", "plans"][: rng.randint(1, 5)]
    rows = [{k: _value(rng) for k in keys} for _ in range(n)]
    if rows and rng.random() < 0.2:  # same keys, another order: must not take the fast path
        rows[rng.randrange(n)] = dict(reversed(list(rows[0].items())))
    if rows and rng.random() < 0.1:
        rows.append({"other": 1})
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_same_text_as_the_standard_encoder(seed):
    rng = random.Random(seed)
    rows = _records(rng, rng.choice([0, 5, fastjson.MIN_RECORDS - 1, fastjson.MIN_RECORDS, 150]))
    shapes = [rows, {"tenant": "x", "actions": rows, "decisions": rows[:70], "n": 3},
              {"outer": {"inner": rows, "x": [1, 2]}}, [rows, {"a": rows}], {"empty": []}]
    for obj in shapes:
        assert fastjson.dumps(obj) == json.dumps(obj, indent=2, ensure_ascii=False)


def test_long_records_take_the_columnar_path():
    rows = [{"id": f"U{i:05d}", "kind": "user-swap" if i % 3 else "skip", "batch": i // 20,
             "plans": ["SWAY"] if i % 7 == 0 else [], "ok": i % 2 == 0} for i in range(500)]
    assert fastjson._is_records(rows)
    assert fastjson.dumps({"actions": rows}) == json.dumps({"actions": rows}, indent=2,
                                                           ensure_ascii=False)
    assert not fastjson._is_records(rows[:10])
    assert not fastjson._is_records([*rows, {"id": "x"}])


def test_values_json_cannot_encode_still_fail():
    rows = [{"x": object()} for _ in range(100)]
    with pytest.raises(TypeError):
        fastjson.dumps({"rows": rows})
