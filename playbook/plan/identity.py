"""What identifies a plan: its id (a hash of its content) and the sha256 of the export it came
from. No clock is involved, so the same inputs always give the same plan id and artifacts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from playbook.plan.model import INT_COLUMNS, PLAN_COLUMNS, TUPLE_COLUMNS


def plan_id(source: dict[str, str], target: dict[str, str], table: pd.DataFrame,
            tenant_id: str = "") -> str:
    """A short content hash (16 hex digits) of source, target, the tenant id when known, and
    every cell of the actions.

    The tenant id joins the hash only when there is one, so a plan made without it keeps the
    id it always had, and a plan.json whose tenant id was edited no longer matches its id.

    The table is hashed column by column: each column's name and length, then its cells: a
    text column as its cells joined by a record separator, an int column as 8 bytes a cell,
    a tuple column as its distinct tuples ("|"-joined) and each cell's number among them. A
    plan read back from plan.csv gets the id it was written with, and an edited plan.csv a
    different one. ``table`` holds text cells, as a plan table does (see
    :func:`~playbook.plan.model.normalized_table`).
    """
    head: list = [source, target, list(PLAN_COLUMNS)] + ([tenant_id] if tenant_id else [])
    h = hashlib.sha256(json.dumps(head, sort_keys=True).encode())
    for col in PLAN_COLUMNS:
        values = table[col]
        h.update(f"\n{col}:{len(values)}\n".encode())
        if col in INT_COLUMNS:
            h.update(values.to_numpy(dtype="<i8").tobytes())
        elif col in TUPLE_COLUMNS:
            codes, distinct = pd.factorize(values.to_numpy(dtype=object))
            h.update(_text("\x1e".join("|".join(v) for v in distinct)))
            h.update(codes.astype("<i8").tobytes())
        else:
            h.update(_text("\x1e".join(values.tolist())))
    return h.hexdigest()[:16]


def _text(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def file_sha256(path: Path) -> str:
    """sha256 of an export file, or of a folder of pages (in name order)."""
    h = hashlib.sha256()
    if path.is_dir():
        for page in sorted(p for p in path.iterdir() if p.is_file()):
            h.update(page.read_bytes())
    else:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()
