"""A plan on disk: ``plan.json`` (the header) and ``plan.csv`` (the actions), saved and loaded.

``plan.json`` is :meth:`~playbook.plan.model.Plan.to_dict`: identity, seats, summary, decisions,
and the name and row count of the actions file. ``plan.csv`` holds every action, all plan
columns, tuples ``;``-joined; it is the one list of actions, which the PowerShell script also
runs, so the record and the script cannot disagree. Its cells go through the CSV writer of
:mod:`playbook.files` (formula escape included), and :func:`read_plan_csv` undoes exactly that.

:func:`load_plan` refuses, with a one-line :class:`~playbook.errors.InputError`, a plan.csv
that no longer matches its plan.json (row count, or the ``plan_id`` computed again), and a
plan.json of the old layout that kept its actions inside it. The check has no bypass: a
plan.json without a ``plan_id``, with an ``actions`` key, or an ``action_count`` that is not a
number is refused, as is an empty or unreadable plan.csv.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.errors import InputError, speaking
from playbook.files import csv_bytes, json_text, restore_cell, write_bytes_atomic
from playbook.input_files import read_input_bytes
from playbook.messages import LANGUAGES
from playbook.plan.identity import plan_id
from playbook.plan.model import (
    ACTIONS_FILE,
    INT_COLUMNS,
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    Plan,
    normalized_table,
)
from playbook.plan.rollback import rollback_actions
from playbook.table import per_distinct

PLAN_JSON = "plan.json"
ROLLBACK_FILE = "rollback.csv"
"""The plan's exact inverse, which the script runs to undo it."""
LIST_SEPARATOR = ";"
"""How a tuple cell (disabled plans, SKUs) is written in plan.csv."""
_AGAIN = "error.plan-file.write-again"
"""The fix of most problems with a plan's files: they are written, never edited."""


# ---------------------------------------------------------------------------------------------
# saving


def plan_csv_bytes(table: pd.DataFrame) -> bytes:
    """plan.csv (or rollback.csv) for a plan table: every plan column, tuples ``;``-joined."""
    # a few dozen distinct tuples: each joined once
    return csv_bytes(table[list(PLAN_COLUMNS)].assign(
        **{col: per_distinct(table[col], LIST_SEPARATOR.join) for col in TUPLE_COLUMNS}))


def plan_json_bytes(plan: Plan, file_sha256: dict[str, str] | None = None) -> bytes:
    """plan.json: ``plan.to_dict()`` as indented JSON (names kept as they are, UTF-8), with
    ``file_sha256``: the sha256 of each CSV the script may run (plan.csv, rollback.csv).

    The PowerShell script cannot compute the plan id, so it checks the file it is given
    against these before running anything: an edited, re-saved or swapped plan.csv is refused
    there as :func:`load_plan` refuses it here.
    """
    data = plan.to_dict()
    if file_sha256:
        data["file_sha256"] = dict(file_sha256)
    return json_text(data).encode("utf-8")


def plan_files(plan: Plan, rollback: pd.DataFrame | None = None) -> Iterator[tuple[str, bytes]]:
    """plan.csv, rollback.csv, then plan.json (which names the first and records the sha256
    of both), as (file name, bytes).

    ``rollback`` is :func:`~playbook.plan.rollback.rollback_actions` of the plan when the
    caller has it already.
    """
    sums: dict[str, str] = {}
    for name, table in ((ACTIONS_FILE, plan.table), (ROLLBACK_FILE, rollback)):
        data = plan_csv_bytes(rollback_actions(plan) if table is None else table)
        sums[name] = hashlib.sha256(data).hexdigest()
        yield name, data
        del data
    yield PLAN_JSON, plan_json_bytes(plan, sums)


def save_plan(plan: Plan, folder: str | Path) -> Path:
    """Write plan.csv, rollback.csv and plan.json into ``folder`` (each atomically); returns
    plan.json's path.

    :func:`playbook.artifacts.write_artifacts` writes them with every other artifact, as
    one folder; this is for a plan on its own.
    """
    path = Path(folder)
    for name, data in plan_files(plan):
        write_bytes_atomic(path / name, data)
    return path / PLAN_JSON


# ---------------------------------------------------------------------------------------------
# loading


def _tuples(text: pd.Series) -> pd.Series:
    """``;``-joined cells back to tuples ("" is the empty tuple); each distinct cell split
    once, so a 300k-row column costs a lookup per row."""
    parsed = {v: tuple(v.split(LIST_SEPARATOR)) if v else () for v in text.unique()}
    return pd.Series([parsed[v] for v in text.tolist()], index=text.index, dtype=object)


def _restored(text: pd.Series) -> pd.Series:
    """:func:`restore_cell` of the cells holding a ``'`` (one C scan says whether any do)."""
    escaped = text.str.contains("'", regex=False)
    if not escaped.any():
        return text
    return text.where(~escaped, text[escaped].map(restore_cell))


def read_plan_csv(path: str | Path) -> pd.DataFrame:
    """Read a plan.csv / rollback.csv back into a plan table: the formula escape undone,
    tuples rebuilt, counts as int64, text as objects (it equals ``plan.table[PLAN_COLUMNS]``).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "error.plan-file.csv-not-found", fix="error.plan-file.csv-where")
    data = read_input_bytes(path, fix="error.plan-file.csv-where")
    try:
        raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False,
                          encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise InputError(path, "error.plan-file.csv-empty", fix=_AGAIN) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, "error.plan-file.csv-unreadable", fix=_AGAIN,
                         problem=str(exc).strip()[:120]) from None
    missing = [c for c in PLAN_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(path, "error.plan-file.not-plan-csv", column=missing[0])
    escaped = b"'" in data  # no cell of the file was escaped: nothing to undo
    out: dict[str, pd.Series] = {}
    for col in PLAN_COLUMNS:
        text = raw[col].astype(object)
        if escaped:
            text = _restored(text)
        if col in TUPLE_COLUMNS:
            out[col] = _tuples(text)
        elif col in INT_COLUMNS:
            out[col] = _whole_numbers(text, path, col)
        else:
            out[col] = text
    return pd.DataFrame(out)


def _whole_numbers(text: pd.Series, path: Path, col: str) -> pd.Series:
    """A count column of plan.csv as int64; a cell that is not a whole number is refused
    (read as 0 it would pass as the plan)."""
    bad = ~text.str.fullmatch(r"-?\d{1,18}").astype(bool)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(path, "error.plan-file.not-whole-number", row=i + 2, column=col,
                         value=text.iat[i], fix=_AGAIN)
    return text.astype("int64")


def plan_from_json(data: dict[str, Any], table: pd.DataFrame) -> Plan:
    """A Plan from the parsed ``plan.json`` and its action table (plan columns)."""
    try:
        return Plan(
            tenant=str(data["tenant"]),
            source=dict(data["source"]),
            target=dict(data["target"]),
            table=normalized_table(table),
            batch_size=int(data["batch_size"]),
            seats_needed=int(data["seats_needed"]),
            seats_available=(None if data.get("seats_available") is None
                             else int(data["seats_available"])),
            shortfall=None if data.get("shortfall") is None else int(data["shortfall"]),
            refused=bool(data.get("refused", False)),
            decisions=tuple(dict(d) for d in data.get("decisions") or ()),
            summary=dict(data.get("summary") or {}),
            limits=dict(data.get("limits") or {}),
            users_file=dict(data.get("users_file") or {}),
            plan_id=str(data.get("plan_id", "")),
            notes=tuple(data.get("notes") or ()),
            tenant_id=str(data.get("tenant_id") or ""),
            language=data["language"] if data.get("language") in LANGUAGES else "en",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("plan.json", "error.plan-file.not-plan-json", fix=_AGAIN,
                         problem=exc) from None


def read_plan_header(path: Path) -> dict[str, Any]:
    """plan.json parsed (size-checked, as every input file), or a one-line refusal."""
    if not path.exists():
        raise InputError(path, "error.plan-file.json-not-found",
                         fix="error.plan-file.json-where")
    raw = read_input_bytes(path, fix="error.plan-file.json-where")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise InputError(path, "error.plan-file.not-json", fix=_AGAIN,
                         problem=str(exc)[:100] or type(exc).__name__) from None
    if not isinstance(data, dict):
        raise InputError(path, "error.plan-file.not-a-plan", fix=_AGAIN)
    if "actions" in data:  # the old layout: its actions would escape plan.csv's check
        raise InputError(path, "error.plan-file.old-layout", column="actions")
    return data


def load_plan(plan_dir: str | Path) -> Plan:
    """Read ``<plan_dir>/plan.json`` (or the file itself) and its ``plan.csv`` into a Plan.

    The actions are checked against plan.json: the row count, and the ``plan_id`` computed
    again from them. A plan.csv edited after it was written would otherwise be verified as
    if it were the plan, so it is refused with a one-line error instead. Once plan.json is
    read, refusals are worded in the language of the tenant it was written for.
    """
    path = Path(plan_dir)
    if path.is_dir():
        path = path / PLAN_JSON
    data = read_plan_header(path)
    with speaking(data["language"] if data.get("language") in LANGUAGES else "en"):
        return _checked_plan(path, data)


def _checked_plan(path: Path, data: dict[str, Any]) -> Plan:
    """:func:`load_plan` once plan.json is parsed: its actions file read and checked."""
    name = data.get("actions_file")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise InputError(path, "error.plan-file.no-actions-file", column="actions_file",
                         fix=_AGAIN)
    csv_path = path.parent / name
    if not csv_path.exists():
        raise InputError(csv_path, "error.plan-file.actions-file-missing")
    count, pid = data.get("action_count"), data.get("plan_id")
    if isinstance(count, bool) or not isinstance(count, int):
        raise InputError(path, "error.plan-file.action-count-not-number", column="action_count",
                         value=count, fix=_AGAIN)
    if not isinstance(pid, str) or not pid.strip():
        raise InputError(path, "error.plan-file.no-plan-id", column="plan_id", value=pid,
                         fix=_AGAIN)
    table = read_plan_csv(csv_path)
    if len(table) != count:
        raise InputError(csv_path, "error.plan-file.action-count-differs", fix=_AGAIN,
                         n=len(table), count=count)
    try:
        plan = plan_from_json(data, table)
    except InputError as exc:
        raise InputError(path, exc.code, fix=exc.fix_code, row=exc.row, column=exc.column,
                         value=exc.value, **exc.evidence) from None
    if plan_id(plan.source, plan.target, plan.table, plan.tenant_id) != plan.plan_id:
        raise InputError(csv_path, "error.plan-file.changed")
    return plan
