"""What identifies a plan: its id (a hash of its content) and the sha256 of the export it came
from. No clock is involved, so the same inputs always give the same plan id and artifacts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from playbook.plan.model import PLAN_COLUMNS, TUPLE_COLUMNS
from playbook.plan.values import per_distinct


def plan_id(source: dict[str, str], target: dict[str, str], table: pd.DataFrame) -> str:
    """A short content hash (16 hex digits) of source, target and every action.

    The actions are hashed as pandas hashes a table (``hash_pandas_object``, row by row,
    without the index) after each tuple cell is joined by "|": a plan read back from plan.csv
    gets the id it was written with, so an edited plan.csv is noticed.
    """
    flat = table[list(PLAN_COLUMNS)].reset_index(drop=True)
    flat = flat.assign(**{col: per_distinct(flat[col], "|".join) for col in TUPLE_COLUMNS})
    h = hashlib.sha256(json.dumps([source, target, list(PLAN_COLUMNS)],
                                  sort_keys=True).encode())
    h.update(pd.util.hash_pandas_object(flat, index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


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
