"""Indented JSON, byte for byte what ``json.dumps(obj, indent=2, ensure_ascii=False)`` writes,
but fast for long lists of flat records (a verification's statuses, a plan's decisions).

Python's ``json`` module uses its C encoder only without ``indent``; with it, every value goes
through the pure-Python encoder, which takes seconds for a few hundred thousand records.
Admins read these files, so the layout stays; this module builds the same text column by
column instead: each distinct value of a column is encoded once (C speed), then each record
is one ``str.join``.

Anything that is not a long list of same-keyed flat records falls through to ``json.dumps``
itself, so the output is identical for every input (a test compares both on many shapes).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

MIN_RECORDS = 64
"""Lists shorter than this are left to ``json.dumps`` (nothing to gain)."""

def dumps(obj: Any, indent: int = 2) -> str:
    """``json.dumps(obj, indent=indent, ensure_ascii=False)``, faster on long record lists."""
    return _encode(obj, 0, indent)


def _encode(obj: Any, level: int, indent: int) -> str:
    if _is_records(obj):
        return _records(obj, level, indent)
    if isinstance(obj, dict) and obj and all(isinstance(k, str) for k in obj) and any(
            _holds_records(v) for v in obj.values()):
        pad = " " * (indent * level)
        inner = " " * (indent * (level + 1))
        items = [f"{inner}{encode_basestring(k)}: {_encode(v, level + 1, indent)}"
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    text = json.dumps(obj, indent=indent, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * (indent * level)) if level else text


def _holds_records(value: Any) -> bool:
    """A long record list, or a dict with one among its values (at any depth), so worth
    encoding piece by piece. Cheap: a list is only looked at when it is long."""
    if isinstance(value, dict):
        return any(_holds_records(v) for v in value.values())
    return isinstance(value, list) and len(value) >= MIN_RECORDS and type(value[0]) is dict


def _is_records(value: Any) -> bool:
    """A long list of dicts that all have the same string keys, in the same order."""
    if not isinstance(value, list) or len(value) < MIN_RECORDS:
        return False
    first = value[0]
    if type(first) is not dict or not first or not all(isinstance(k, str) for k in first):
        return False
    keys = list(first)
    return all(type(r) is dict and len(r) == len(keys) for r in value) and all(
        list(r) == keys for r in value)


def _records(rows: list[dict[str, Any]], level: int, indent: int) -> str:
    """The records of one list, encoded column by column, then laid out in one join.

    The text is a flat sequence ``prefix, value, prefix, value, ..., close`` per record; each
    column drops into its slots with one strided slice assignment (no loop per record).
    """
    keys = list(rows[0])
    n = len(rows)
    item_pad = " " * (indent * (level + 1))
    field_pad = " " * (indent * (level + 2))
    stride = 2 * len(keys) + 1
    parts: list[str] = [""] * (n * stride)
    for j, key in enumerate(keys):
        head = (item_pad + "{\n") if j == 0 else ",\n"
        parts[2 * j::stride] = [head + field_pad + encode_basestring(key) + ": "] * n
        parts[2 * j + 1::stride] = _column([*map(itemgetter(key), rows)], level + 2, indent)
    close = "\n" + item_pad + "}"
    parts[stride - 1::stride] = [close + ",\n"] * (n - 1) + [close]
    return "[\n" + "".join(parts) + "\n" + " " * (indent * level) + "]"


def _column(values: list[Any], level: int, indent: int) -> list[str]:
    """Each value's JSON text at nesting ``level``.

    Whole-column fast paths run at C speed (``map`` over the C string encoder, or over a dict
    of the distinct values); anything unusual is encoded value by value, each distinct value
    once.
    """
    types = set(map(type, values))
    if types == {str}:
        distinct = set(values)
        if len(distinct) * 4 > len(values):
            return list(map(encode_basestring, values))
        text = {v: encode_basestring(v) for v in distinct}
        return list(map(text.__getitem__, values))
    if types == {int}:
        return list(map(int.__repr__, values))
    if types <= {list, tuple}:
        keys = list(map(tuple, values))
        try:
            text = {k: _encode(list(k), level, indent) for k in set(keys)}
        except TypeError:  # an element is unhashable (a dict): encode one by one
            return [_encode(v, level, indent) for v in values]
        return list(map(text.__getitem__, keys))
    out: list[str] = []
    cache: dict[Any, str] = {}
    for v in values:
        # the key keeps types apart (1, 1.0 and True are equal as dict keys, not as JSON)
        try:
            key = (type(v), tuple(v) if type(v) is list else v)
            hit = cache.get(key)
        except TypeError:  # unhashable (a nested dict or list of dicts): no caching
            out.append(_encode(v, level, indent))
            continue
        if hit is None:
            hit = cache[key] = _encode(v, level, indent)
        out.append(hit)
    return out
