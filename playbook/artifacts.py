"""The plan's artifacts, written atomically into ``<out>/plan/``.

==============================  ===================================================================
plan.csv                        every action (all plan-table columns; tuples ``;``-joined): the one
                                full list of actions (:func:`playbook.planning.load_plan` reads it
                                back with :func:`read_plan_csv`). The PowerShell script reads it,
                                so its columns are a contract: ``SCRIPT_COLUMNS`` must stay a
                                subset (a test checks both ends)
plan.json                       :meth:`playbook.planning.Plan.to_dict`: identity, seats, summary,
                                decisions; it names plan.csv and its row count, not the actions
admin-center-batches.csv        one row per user/group call, by batch, in admin-center words
checklist.md / checklist.html   the same batches as a tick-list for Users > Active users >
                                Manage product licenses (and Entra > Groups for group batches)
Invoke-E4Reassignment.ps1       the same file for every tenant (package resource, copied
                                byte for byte): it reads plan.csv (or rollback.csv)
graph-batches.jsonl             Graph ``$batch`` bodies, one per line: line N is the body of
                                batch N (<= 20 requests), ``{"requests": [...]}`` on one line
rollback.csv                    the exact inverse, last batch first
rollback-batches.jsonl          line N undoes batch N; to undo everything, run the lines last
                                to first
==============================  ===================================================================

Every CSV neutralizes spreadsheet formulas: a cell starting with ``= + - @``, TAB or CR gets a
leading ``'``, and so does a cell that already starts with ``'``, so the escape can be undone
exactly (:func:`restore_cell`; the script strips one leading ``'`` from the cells it reads).
The files are UTF-8 with BOM and CRLF (what Excel opens cleanly and Import-Csv reads), and the
same plan gives byte-identical files: nothing here reads a clock.

A 300k-user plan is about a million cells per file, so everything is built column by column:
each column is escaped (neutralized, quoted, JSON- or Markdown-encoded) once per *distinct*
value, rows are laid out by taking those texts by code, and each file is one ``"".join``. A
JSON-lines file has a line per batch, so a batch is found by its number (``sed -n 7p``) and
the whole plan is two files instead of one per batch.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import resources
from itertools import repeat
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import numpy as np
import pandas as pd

from playbook.catalog import is_guid
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.fastjson import dumps as json_dumps
from playbook.planning import (
    EXECUTED_KINDS,
    INT_COLUMNS,
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    Plan,
    rollback_actions,
)

SCRIPT_NAME = "Invoke-E4Reassignment.ps1"
SCRIPT_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "batch", "user_id", "upn", "group_id", "new_usage_location",
    "add_sku_id", "remove_sku_id", "disabled_plan_ids_after",
)
"""The plan.csv columns the PowerShell script reads (its ``$Columns``)."""

ADMIN_CENTER_COLUMNS: tuple[str, ...] = (
    "batch", "action_id", "kind", "upn", "display_name", "department", "group_id", "members",
    "set_usage_location", "remove_license", "add_license", "apps_off_on_new_license",
    "keep_direct_licenses", "unmapped_plans", "note",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
"""Cell starts that get a ``'`` prefix (the last one so the prefix can be undone)."""
LIST_SEPARATOR = ";"
GRAPH_BATCHES = "graph-batches.jsonl"
ROLLBACK_BATCHES = "rollback-batches.jsonl"
EMPTY_BATCH = '{"requests":[]}'
"""The line of a batch number that has no executed rows (never written by ``build_plan``,
whose batches are 1..N without gaps): the lines after it keep their numbers."""

_FORMULA_AFTER_NEWLINE = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")
_CSV_SPECIAL = re.compile('[,"\r\n]')


# ---------------------------------------------------------------------------------------------
# formula injection


def neutralize_cell(text: str) -> str:
    """``'`` + text when a spreadsheet could read the text as a formula (or it starts with ')."""
    return "'" + text if text.startswith(FORMULA_START) else text


def restore_cell(text: str) -> str:
    """Undo :func:`neutralize_cell` exactly."""
    return text[1:] if text.startswith("'") else text


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralized (numbers are left alone).

    Only the general path of the CSV writer uses it (a column of floats, say); plan tables
    take the column-wise path of :func:`_csv_file`.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].fillna("").astype(str).map(neutralize_cell)
    return out


# ---------------------------------------------------------------------------------------------
# column-wise text: each column read once, each distinct value rendered once

_SAMPLE = 1_000


class _Coded(NamedTuple):
    """A column as codes into its distinct values: row ``i`` holds ``values[codes[i]]``."""

    codes: np.ndarray
    values: np.ndarray  # object

    def take(self) -> np.ndarray:
        return self.values[self.codes]

    def rows(self, index: np.ndarray) -> _Coded:
        return _Coded(self.codes[index], self.values)

    def mapped(self, fix: Callable[[Any], Any]) -> _Coded:
        """Each distinct value through ``fix`` (once)."""
        return _Coded(self.codes, _objects([fix(v) for v in self.values.tolist()]))


_Column = np.ndarray | _Coded
"""A column of rows: the values themselves (ids, where nearly every value is distinct, and
numbers), or coded."""


def _objects(items: Sequence[Any]) -> np.ndarray:
    """A 1-D object array of ``items`` (a tuple stays one element, never a second axis)."""
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def _texts(items: Sequence[str]) -> np.ndarray:
    """A 1-D object array of strings (one C loop)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _coded(values: np.ndarray) -> _Coded:
    """``values`` factorized (``None`` and NaN are values too; lists become tuples)."""
    try:
        codes, uniques = pd.factorize(values)  # skips the scan for missing values
    except TypeError:  # unhashable: lists where tuples belong
        return _coded(_objects([tuple(v) for v in values.tolist()]))
    if len(codes) and codes.min() < 0:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return _Coded(codes, np.asarray(uniques, dtype=object))


def _mostly_distinct(values: np.ndarray) -> bool:
    """Whether a column looks like ids: its first cells nearly all distinct.

    Factorizing such a column costs more than it saves (only speed depends on the answer).
    """
    head = values[:_SAMPLE].tolist()
    return len(head) >= 64 and len(set(head)) * 2 > len(head)


_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005" \
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
"""Every character ``str.split()`` splits on (``str.isspace``; a test checks the list)."""


def _flagged(items: list[str], anywhere: str, first: str = "", last: str = "",
             twice: str = "") -> np.ndarray:
    """Indices of the texts that hold a character of ``anywhere``, start with one of
    ``first``, end with one of ``last`` or hold one of ``twice`` twice in a row: the few
    cells of a column of names that need more than the bulk treatment.

    Vectorized over the code points of all texts at once (one join, one encoding), so a
    column of 300k names with a handful of commas costs a few array operations.
    """
    lengths = np.fromiter(map(len, items), dtype=np.int64, count=len(items))
    ends = np.cumsum(lengths)
    text = "".join(items)
    try:  # a code point per byte, the usual case (names in Latin scripts)
        points = np.frombuffer(text.encode("latin-1"), dtype=np.uint8)
    except UnicodeEncodeError:
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)

    def among(values: np.ndarray, chars: str) -> np.ndarray:
        if points.dtype == np.uint8:  # a lookup table beats np.isin on bytes
            table = np.zeros(256, dtype=bool)
            table[[ord(ch) for ch in chars if ord(ch) < 256]] = True
            return table[values]
        return np.isin(values, [ord(ch) for ch in chars])

    hit = np.zeros(len(items), dtype=bool)
    at = among(points, anywhere)
    if twice:  # a pair across two texts flags the first too: only more work, never less
        pair = among(points, twice)
        at[:-1] |= pair[:-1] & pair[1:]
    hit[np.searchsorted(ends, np.flatnonzero(at), side="right")] = True
    filled = np.flatnonzero(lengths > 0)
    for chars, position in ((first, ends[filled] - lengths[filled]), (last, ends[filled] - 1)):
        if chars:
            hit[filled[among(points[position], chars)]] = True
    return np.flatnonzero(hit)


def _take(col: _Column) -> np.ndarray:
    """The value of every row."""
    return col.take() if isinstance(col, _Coded) else col


def _rows(col: _Column, index: np.ndarray) -> _Column:
    return col.rows(index) if isinstance(col, _Coded) else col[index]


def _distinct_map(col: _Column, fix: Callable[[Any], Any]) -> np.ndarray:
    """``fix`` of every row's value, called once per distinct value."""
    return (col if isinstance(col, _Coded) else _coded(col)).mapped(fix).take()


class _Columns:
    """A plan table's columns as the writers use them, each read out of pandas and coded at
    most once: plan.csv, the admin-center rows, the checklist and the ``$batch`` bodies read
    many of the same columns, and factorizing one is most of the cost of rendering it."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table
        self._cols: dict[str, _Column | None] = {}
        self._coded: dict[str, _Coded] = {}

    def __len__(self) -> int:
        return len(self.table)

    def get(self, name: str) -> _Column | None:
        """Text and tuple columns coded, unless nearly every value differs; numbers as a
        numpy array; ``None`` for a kind only pandas writes (floats, missing counts)."""
        if name not in self._cols:
            col = self.table[name]
            out: _Column | None = None
            if pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col):
                if not col.isna().any():  # (a nullable dtype's numpy twin, not objects)
                    out = col.to_numpy(dtype=getattr(col.dtype, "numpy_dtype", col.dtype))
            elif col.dtype == object or pd.api.types.is_string_dtype(col):
                values = col.to_numpy(dtype=object)
                out = values if _mostly_distinct(values) else self.coded(name)
            self._cols[name] = out
        return self._cols[name]

    def column(self, name: str) -> _Column:
        """As :meth:`get`, or the values as objects for a kind only pandas writes."""
        col = self.get(name)
        return self.table[name].to_numpy(dtype=object) if col is None else col

    def coded(self, name: str) -> _Coded:
        """The column factorized, whatever it holds."""
        if name not in self._coded:
            col = self._cols.get(name)
            self._coded[name] = _coded(self.table[name].to_numpy(dtype=object)
                                       if col is None else _take(col))
        return self._coded[name]

    def values(self, name: str) -> np.ndarray:
        return _take(self.column(name))


# ---------------------------------------------------------------------------------------------
# CSV

_Cells = tuple[np.ndarray | None, np.ndarray]
"""A column as CSV text: row i reads ``texts[codes[i]]``; codes ``None``: one text per row."""


def _csv_cell(text: str) -> str:
    """One text cell as written: neutralized, then quoted where ``,``, ``"`` or a line break
    demands it (the ``csv`` writer's minimal quoting)."""
    text = neutralize_cell(text)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if _CSV_SPECIAL.search(text) else text


def _as_text(value: Any) -> str:
    """A cell of a text column as ``fillna("").astype(str)`` makes it."""
    if type(value) is str:
        return value
    if value is None or (not isinstance(value, tuple | list | dict | set | np.ndarray)
                         and bool(pd.isna(value))):
        return ""
    return str(value)


def _csv_cells(col: _Column, *, tuples: bool = False) -> _Cells:
    """A column's CSV cells: text neutralized and quoted, tuples ``;``-joined, numbers as
    pandas writes them ("12", "True")."""
    if isinstance(col, _Coded):
        values = col.values.tolist()
        if tuples:
            return col.codes, _texts([_csv_cell(LIST_SEPARATOR.join(v)) for v in values])
        if all(type(v) is str for v in values):
            return col.codes, _texts([_csv_cell(v) for v in values])
        col = col.take()  # mixed objects: 1 and True would share a code; cell by cell
    if col.dtype != object:  # numbers
        codes, uniques = pd.factorize(col)
        return codes, _texts([str(v) for v in uniques.tolist()])
    try:
        joined = "\n".join(col.tolist())
    except TypeError:  # not all text: None, NaN, numbers in an object column
        return None, _texts([_csv_cell(_as_text(v)) for v in col.tolist()])
    # ids and names: usually no cell needs a quote or a ', which a few scans of the joined
    # text decide (a line break inside a cell shows up as an extra newline)
    if (joined.count("\n") == len(col) - 1
            and "," not in joined and '"' not in joined and "\r" not in joined
            and not joined.startswith(FORMULA_START)
            and not _FORMULA_AFTER_NEWLINE.search(joined)):
        return None, col
    cells = col.copy()  # only the cells that need it are neutralized or quoted
    bad = _flagged(col.tolist(), ',"\r\n', "".join(FORMULA_START))
    cells[bad] = [_csv_cell(v) for v in col[bad].tolist()]
    return None, cells


def _csv_file(columns: dict[str, _Column | None], n: int, tuples: Sequence[str] = (),
              frame: pd.DataFrame | None = None) -> tuple[bytes, bytes]:
    """The columns as a CSV file, as (BOM, the rest): UTF-8, CRLF, text neutralized,
    minimal quoting (two pieces: putting a BOM in front would copy the whole file).

    The same bytes as ``neutralize_frame(frame).to_csv(index=False, lineterminator="\r\n")``
    (tuple columns ``;``-joined first), built column-wise; a frame with a column of another
    kind (``None``: floats, missing counts) or a single column goes to pandas itself.
    """
    if len(columns) < 2 or any(c is None for c in columns.values()):
        if frame is None:
            frame = pd.DataFrame({k: pd.Series(_take(c), dtype=_take(c).dtype)
                                  for k, c in columns.items() if c is not None})
        frame = frame[list(columns)].copy()
        for name in tuples:
            frame[name] = frame[name].map(LIST_SEPARATOR.join)
        text = neutralize_frame(frame).to_csv(index=False, lineterminator="\r\n")
    else:
        header = ",".join(_csv_cell_header(str(c)) for c in columns) + "\r\n"
        cells = [_csv_cells(c, tuples=name in tuples)  # type: ignore[arg-type]
                 for name, c in columns.items()]
        text = _csv_rows(cells, n, header)
    return b"\xef\xbb\xbf", text.encode("utf-8")


def _csv_cell_header(name: str) -> str:
    # header cells are quoted but not neutralized (as pandas writes them)
    return f'"{name.replace(chr(34), chr(34) * 2)}"' if _CSV_SPECIAL.search(name) else name


def _csv_rows(cells: list[_Cells], n: int, header: str) -> str:
    """``header`` and every row, ``,``-separated and CRLF-terminated, as one string.

    Adjacent factorized columns are fused while few combinations of their values occur (at
    most an eighth of the rows): such a run is coded by the combination, and each distinct
    combination's text (``a,b,c``) is built once. A row is then a handful of pieces (its
    ids and a few fused runs), laid out by strided assignment into one array, joined once.
    """
    k = len(cells)
    limit = max(n // 8, 64)
    pieces: list[tuple[np.ndarray | None, np.ndarray | str]] = []
    j = 0
    while j < k:
        codes, texts = cells[j]
        if codes is None:  # one text per row
            if j:
                pieces.append((None, ","))
            pieces.append((None, texts))
            j += 1
            continue
        run = [j]
        key, bound = codes.astype(np.int64), max(len(texts), 1)  # key < bound
        while j + 1 < k and cells[j + 1][0] is not None:
            nxt_codes, nxt_texts = cells[j + 1]
            m = max(len(nxt_texts), 1)
            trial = key * m + nxt_codes  # type: ignore[operator]
            if bound * m > limit:  # perhaps too many: count them
                trial, uniques = pd.factorize(trial)
                if len(uniques) > limit:
                    break
                key, bound = trial.astype(np.int64), max(len(uniques), 1)
            else:
                key, bound = trial, bound * m
            j += 1
            run.append(j)
        combo, uniques = pd.factorize(key)
        first = np.empty(len(uniques), dtype=np.intp)
        first[combo] = np.arange(n)  # a row of each combination
        text = None
        for c in run:
            c_codes, c_texts = cells[c]
            part = (("," + c_texts) if c else c_texts)[c_codes[first]]  # type: ignore[index]
            text = part if text is None else text + part
        pieces.append((combo, text + "\r\n" if j == k - 1 else text))  # type: ignore[operator]
        j += 1
    if cells[-1][0] is None:
        pieces.append((None, "\r\n"))
    m = len(pieces)
    parts = np.empty(1 + n * m, dtype=object)
    parts[0] = header
    for i, (codes, texts) in enumerate(pieces):
        parts[1 + i::m] = texts if codes is None or isinstance(texts, str) else texts[codes]
    return "".join(parts.tolist())


def _plan_csv(cols: _Columns) -> tuple[bytes, bytes]:
    """plan.csv (or rollback.csv): all plan columns, tuples ``;``-joined."""
    return _csv_file({c: cols.get(c) for c in PLAN_COLUMNS}, len(cols), TUPLE_COLUMNS,
                     cols.table)


def read_plan_csv(path: str | Path) -> pd.DataFrame:
    """Read a plan.csv / rollback.csv back into a plan table (escapes undone, tuples rebuilt).

    The result equals ``plan.table[PLAN_COLUMNS]`` (text and tuple columns as objects, counts
    as int64). Column-wise: each distinct list is split once and each distinct count parsed
    once, and the ``'`` escape is looked for in one scan of the file (then of a column).
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        quoted = b"'" in path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "plan CSV not found", fix="pass plan.csv or rollback.csv") \
            from None
    missing = [c for c in PLAN_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(path, "not a plan CSV", column=missing[0],
                         fix="pass the plan.csv written by e4-playbook plan")
    out: dict[str, pd.Series] = {}
    for col in PLAN_COLUMNS:
        values = raw[col].to_numpy(dtype=object)
        if quoted:
            values = _restored(values)
        if col in TUPLE_COLUMNS:
            out[col] = pd.Series(_coded(values).mapped(
                lambda v: tuple(v.split(LIST_SEPARATOR)) if v else ()).take(), dtype=object)
        elif col in INT_COLUMNS:
            coded = _coded(values)  # to_numeric decides on the set of values: the same
            numbers = pd.to_numeric(pd.Series(coded.values), errors="coerce").fillna(0)
            out[col] = pd.Series(numbers.astype("int64").to_numpy()[coded.codes])
        else:
            out[col] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)


def _restored(values: np.ndarray) -> np.ndarray:
    """:func:`restore_cell` of every cell; one scan says whether any cell starts with '."""
    joined = "\n".join(values.tolist())
    if not joined.startswith("'") and "\n'" not in joined:
        return values
    return _texts([restore_cell(v) for v in values.tolist()])


# ---------------------------------------------------------------------------------------------
# Graph $batch bodies


def _user_url(user_id: str, upn: str) -> str:
    """``/users/{id}``; by UPN when the id is unknown (URL-encoded; ``$``-UPNs quoted)."""
    if is_guid(user_id):
        return f"/users/{user_id.lower()}"
    if upn.startswith("$"):  # Graph reads /users/$x as a system segment: use the key syntax
        return "/users('" + quote(upn.replace("'", "''"), safe="@$'") + "')"
    return "/users/" + quote(upn, safe="@")


def _request_body(kind: str, new_usage_location: str, add_sku_id: str,
                  disabled_plan_ids_after: Sequence[str], remove_sku_id: str) -> dict[str, Any]:
    """The body of one request: the usage location to set, or the licenses to add/remove."""
    if kind == "set-usage-location":
        return {"usageLocation": new_usage_location or None}
    add = []
    if add_sku_id:
        add = [{"skuId": add_sku_id, "disabledPlans": list(disabled_plan_ids_after)}]
    return {"addLicenses": add, "removeLicenses": [remove_sku_id] if remove_sku_id else []}


def graph_request(row: dict[str, Any]) -> dict[str, Any]:
    """One ``$batch`` request for one executed plan row (plan columns plus ``path``)."""
    patch = row["kind"] == "set-usage-location"
    return {"id": row["action_id"], "method": "PATCH" if patch else "POST",
            "url": row["path"] + ("" if patch else "/assignLicense"),
            "headers": {"Content-Type": "application/json"},
            "body": _request_body(row["kind"], row["new_usage_location"], row["add_sku_id"],
                                  row["disabled_plan_ids_after"], row["remove_sku_id"])}


_REQUEST_COLUMNS = ("action_id", "kind", "batch", "user_id", "upn", "group_id",
                    "new_usage_location", "add_sku_id", "remove_sku_id",
                    "disabled_plan_ids_after")


_GUID = r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_GUID_RE = re.compile(_GUID)
_JSON_ESCAPED = re.compile('["\\\\\x00-\x1f]')


def _request_paths(ex: pd.DataFrame) -> pd.Series:
    """``/users/{id}``, ``/users/{upn}`` or ``/groups/{id}`` per executed row (the reference
    :func:`graph_batches` uses; the JSON-lines writer has its own column-wise one)."""
    uid = ex["user_id"].astype(str)
    by_id = uid.str.fullmatch(_GUID).fillna(False).astype(bool)
    by_upn = ex.loc[~by_id, "upn"].astype(str)
    path = ("/users/" + uid.str.lower()).where(by_id, by_upn.map(
        {u: _user_url("", u) for u in set(by_upn)}))
    groups = ex["kind"] == "group-swap"
    return path.where(~groups, "/groups/" + ex["group_id"].map(lambda g: quote(g, safe="")))


def _executed(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["kind"].isin(EXECUTED_KINDS) & (table["batch"] > 0)]


def _executed_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The executed rows as dicts, each with its request ``path``."""
    ex = _executed(table)
    path = _request_paths(ex)
    cols = [ex[c].tolist() for c in _REQUEST_COLUMNS] + [path.tolist()]
    names = (*_REQUEST_COLUMNS, "path")
    return [dict(zip(names, vals, strict=True)) for vals in zip(*cols, strict=True)]


def graph_batches(table: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """Batch number -> ``$batch`` body, requests in table order.

    Graph rejects a batch that mixes dependent and independent requests, so a batch holding a
    usage-location PATCH is made fully sequential (each request depends on the one before):
    the PATCH runs before its user's assignLicense, and a failure stops the rest with 424.

    Record by record, so the plain statement of what the JSON-lines files hold (the tests
    compare them); :func:`batch_lines` writes the same column-wise.
    """
    by_batch: dict[int, list[dict[str, Any]]] = {}
    for rec in _executed_records(table):
        by_batch.setdefault(int(rec["batch"]), []).append(rec)
    out: dict[int, dict[str, Any]] = {}
    for batch in sorted(by_batch):
        rows = by_batch[batch]
        requests = [graph_request(r) for r in rows]
        if any(r["kind"] == "set-usage-location" for r in rows):
            for prev, req in zip(requests, requests[1:], strict=False):
                req["dependsOn"] = [prev["id"]]
        out[batch] = {"requests": requests}
    return out


def _json_inner(values: np.ndarray) -> np.ndarray:
    """Each text as JSON without its quotes (ids and paths rarely need any escape)."""
    text = "".join(values.tolist())
    if '"' in text or "\\" in text or (
            _JSON_ESCAPED.search(text) if not text.isascii()
            else text and np.frombuffer(text.encode("ascii"), dtype=np.uint8).min() < 0x20):
        return _texts([encode_basestring(v)[1:-1] for v in values.tolist()])
    return values


_GUID_CHARS = bytes(0 if chr(i) in "0123456789abcdefABCDEF" else i if chr(i) in "-\n" else 1
                    for i in range(256))
"""A byte translation: a hex digit becomes 0, a dash or newline stays, anything else is 1."""
_GUID_SHAPE = b"\0" * 8 + b"-" + b"\0" * 4 + b"-" + b"\0" * 4 + b"-" + b"\0" * 4 + b"-" \
    + b"\0" * 12 + b"\n"


def _all_guids(values: list[str]) -> tuple[bool, bool]:
    """Whether every text is a GUID (any case), and whether any has upper-case letters.

    The usual column of user ids, decided by one byte translation and one comparison with
    the expected shape instead of a regular expression per row.
    """
    try:
        joined = "\n".join(values) + "\n"
    except TypeError:  # not all text
        return False, False
    if len(joined) != 37 * len(values) or not joined.isascii():
        return False, False
    data = joined.encode("ascii")
    if data.translate(_GUID_CHARS) != _GUID_SHAPE * len(values):
        return False, False
    return True, any(ch in data for ch in b"ABCDEF")


def _is(col: _Coded, *names: str) -> np.ndarray:
    """Per row: whether its value is one of ``names`` (decided once per distinct value)."""
    return np.array([v in names for v in col.values.tolist()], dtype=bool)[col.codes]


def _executed_rows(cols: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """Per row: whether it makes a call (an executed kind in a batch), and its batch."""
    batch = np.asarray(cols.values("batch"), dtype=np.int64)
    return _is(cols.coded("kind"), *EXECUTED_KINDS) & (batch > 0), batch


def _paths(group: np.ndarray, user_id: np.ndarray, upn: np.ndarray,
           group_id: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: whether the URL is ``/users/`` + a GUID, and the rest of the path (the
    lower-case GUID, else the whole path by UPN or group), as :func:`_request_paths` says."""
    n = len(group)
    by_id = np.zeros(n, dtype=bool)
    path = np.empty(n, dtype=object)
    users = np.flatnonzero(~group)
    ids = user_id[users].tolist()
    guids, upper = _all_guids(ids) if ids else (False, False)
    if guids:  # every user by id, the usual case
        by_id[users] = True
        path[users] = [u.lower() for u in ids] if upper else user_id[users]
    else:
        ids = [str(u) for u in ids]
        match = np.array([_GUID_RE.fullmatch(u) is not None for u in ids], dtype=bool)
        by_id[users[match]] = True
        path[users[match]] = [u.lower() for u, m in zip(ids, match, strict=True) if m]
        named = users[~match]
        if len(named):
            path[named] = _distinct_map(upn[named], lambda u: _user_url("", str(u)))
    rows = np.flatnonzero(group)
    if len(rows):
        path[rows] = _distinct_map(group_id[rows], lambda g: "/groups/" + quote(g, safe=""))
    return by_id, path


def batch_lines(table: pd.DataFrame, lines: int = 0) -> bytes:
    """The ``$batch`` bodies of ``table``'s executed rows as JSON lines: line N is batch N.

    The same requests as :func:`graph_batches`, as compact JSON. A batch number without
    executed rows gets :data:`EMPTY_BATCH`, and there are at least ``lines`` lines, so line
    N is always batch N.
    """
    return _batch_lines(_Columns(table), lines)


def _batch_lines(cols: _Columns, lines: int) -> bytes:
    """:func:`batch_lines`, built column-wise: a request is five pieces per row (opening, id,
    method, path, then body and closing), the body text made once per distinct body."""
    executed, batch = _executed_rows(cols)
    batch = batch[executed]
    order = np.argsort(batch, kind="stable")  # rows of one batch together, their order kept
    rows = np.flatnonzero(executed)[order]
    batch = batch[order]
    n = len(batch)
    total = max(lines, int(batch[-1]) if n else 0)
    if not n:
        return ((EMPTY_BATCH + "\n") * total).encode("utf-8")
    kind = cols.coded("kind").rows(rows)
    patch = _is(kind, "set-usage-location")
    first = np.r_[True, batch[1:] != batch[:-1]]
    last = np.r_[batch[1:] != batch[:-1], True]
    starts = np.flatnonzero(first)

    # opening: a new line (after empty lines for missing batch numbers) or the next request
    opening = _texts([',{"id":"', '{"requests":[{"id":"'])[first.astype(np.intp)]
    gaps = batch[starts] - np.r_[0, batch[starts[:-1]]] - 1
    for s, gap in zip(starts[gaps > 0], gaps[gaps > 0], strict=True):
        opening[s] = (EMPTY_BATCH + "\n") * int(gap) + opening[s]
    ids = _json_inner(cols.values("action_id")[rows])
    by_id, path = _paths(_is(kind, "group-swap"), cols.values("user_id")[rows],
                         cols.values("upn")[rows], cols.values("group_id")[rows])
    method = _texts(['","method":"POST","url":"', '","method":"POST","url":"/users/',
                     '","method":"PATCH","url":"', '","method":"PATCH","url":"/users/'])[
        2 * patch + by_id]
    path = _json_inner(path)

    # body and closing: one text per distinct (method, body, end of line)
    parts = [_Coded(patch.astype(np.intp), _objects([False, True]))] + [
        cols.coded(c).rows(rows) for c in ("new_usage_location", "add_sku_id",
                                           "disabled_plan_ids_after", "remove_sku_id")]
    key, bound = last.astype(np.int64), 2  # key < bound
    for part in parts:
        m = max(len(part.values), 1)
        if bound * m >= 2**62:  # renumber before the key could overflow
            key, distinct = pd.factorize(key)
            bound = len(distinct)
        key, bound = key * m + part.codes, bound * m
    combo, uniques = pd.factorize(key)
    rep = np.empty(len(uniques), dtype=np.intp)
    rep[combo] = np.arange(n)
    head_texts, tail_texts = [], []
    for r in rep.tolist():
        values = [p.values[p.codes[r]] for p in parts]
        body = _request_body("set-usage-location" if values[0] else "", *values[1:])
        head_texts.append(("" if values[0] else "/assignLicense")
                          + '","headers":{"Content-Type":"application/json"},"body":'
                          + json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        tail_texts.append("}]}\n" if last[r] else "}")
    closing = (_texts(head_texts) + _texts(tail_texts))[combo]
    # a batch with a PATCH is fully sequential: each request depends on the one before
    sequential = np.repeat(np.maximum.reduceat(patch, starts), np.diff(np.r_[starts, n]))
    dep = np.flatnonzero(sequential & ~first)
    if len(dep):
        closing[dep] = (_texts(head_texts)[combo[dep]] + ',"dependsOn":["' + ids[dep - 1]
                        + '"]' + _texts(tail_texts)[combo[dep]])
    out = np.empty(5 * n, dtype=object)
    for i, piece in enumerate((opening, ids, method, path, closing)):
        out[i::5] = piece
    text = "".join(out.tolist()) + (EMPTY_BATCH + "\n") * (total - int(batch[-1]))
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# plan.json


def plan_json_bytes(plan: Plan) -> bytes:
    """plan.json: ``json.dumps(plan.to_dict(), indent=2, ensure_ascii=False)`` and a newline
    (through :func:`playbook.fastjson.dumps`, the same text, quick on long decision lists)."""
    return (json_dumps(plan.to_dict()) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# admin center: batches CSV and checklist


def _admin_rows(plan: Plan, cols: _Columns) -> dict[str, _Column]:
    """One row per user/group call (:data:`ADMIN_CENTER_COLUMNS`), with the usage location to
    set folded into its user; coded columns stay coded (the plan table's codes, taken)."""
    executed, batch = _executed_rows(cols)
    patch = _is(cols.coded("kind"), "set-usage-location")
    rows = np.flatnonzero(executed & ~patch)

    def col(name: str) -> _Column:
        return _rows(cols.column(name), rows)

    def filled(name: str) -> np.ndarray:  # per row: whether the column is not ""
        c = cols.coded(name).rows(rows)
        return np.array([v != "" for v in c.values.tolist()], dtype=bool)[c.codes]

    def flag(name: str, text: str) -> _Coded:  # text where the column is not ""
        return _Coded(filled(name).astype(np.intp), _texts(["", text]))

    upn = col("upn")
    loc: dict[str, str] = {}
    where = executed & patch
    for u, new in zip(cols.values("upn")[where].tolist(),
                      cols.values("new_usage_location")[where].tolist(), strict=True):
        loc.setdefault(u, new)  # the first, as drop_duplicates keeps it
    location: _Column = _Coded(np.zeros(len(rows), dtype=np.intp), _texts([""]))
    if loc:
        location = _texts(list(map(loc.get, _take(upn).tolist(), repeat(""))))
    reason, noted = col("reason"), filled("reason_code")
    if isinstance(reason, _Coded):
        note: _Column = _Coded(np.where(noted, reason.codes + 1, 0),
                               _objects(["", *reason.values.tolist()]))
    else:
        note = reason.copy()
        note[~noted] = ""
    return {
        "batch": batch[rows], "action_id": col("action_id"), "kind": col("kind"), "upn": upn,
        "display_name": col("display_name"), "department": col("department"),
        "group_id": col("group_id"),
        "members": np.asarray(cols.values("members")[rows], dtype=np.int64),
        "set_usage_location": location,
        "remove_license": flag("remove_sku_id", plan.source["display_name"]),
        "add_license": flag("add_sku_id", plan.target["display_name"]),
        "apps_off_on_new_license": cols.coded("disabled_plans_after").rows(rows)
        .mapped(", ".join),
        "keep_direct_licenses": cols.coded("keep_direct_skus").rows(rows).mapped(" + ".join),
        "unmapped_plans": cols.coded("unmapped_plans").rows(rows).mapped(", ".join),
        "note": note,
    }


_MD_SPECIALS = "\\`*_{}[]()<>#+-.!|~&"  # the backslash first (see _md_many)
_MD_ESCAPE = str.maketrans({ch: "\\" + ch for ch in _MD_SPECIALS})
_ASCII_SPACES = "".join(ch for ch in _WHITESPACE if ch.isascii() and ch not in " \n")
_OTHER_SPACE = re.compile(r"[^\S\n ]")


def _md(text: Any) -> str:
    """A data value made inert in Markdown: specials escaped, line breaks flattened."""
    return " ".join(str(text).split()).translate(_MD_ESCAPE)


def _h(text: Any) -> str:
    """Text made inert in HTML."""
    return html.escape(" ".join(str(text).split()), quote=True)


def _md_many(joined: str) -> str:
    # str.translate looks every character up; a replace per special is a C scan each
    for ch in _MD_SPECIALS:
        if ch in joined:
            joined = joined.replace(ch, "\\" + ch)
    return joined


def _h_many(joined: str) -> str:
    return html.escape(joined, quote=True)


def _flat(joined: str) -> bool:
    """Whether each value of newline-joined text is its own ``" ".join(v.split())``
    (a few C scans; the two-character ones only when there are spaces at all)."""
    if " " in joined and ("  " in joined or "\n " in joined or " \n" in joined
                          or joined.startswith(" ") or joined.endswith(" ")):
        return False
    if joined.isascii():
        return not any(ch in joined for ch in _ASCII_SPACES)
    return not _OTHER_SPACE.search(joined)


def _escape_each(values: _Column, one: Callable[[Any], str],
                 many: Callable[[str], str]) -> np.ndarray:
    """``one(v)`` for every value: once per distinct value, or, for a column of mostly
    distinct values (user names), ``many`` over all of them joined by newlines, flattened
    first if need be: the same text as long as no value holds a line break."""
    n = len(values)
    if isinstance(values, _Coded) or n < 64 or not _mostly_distinct(values):
        return _distinct_map(values, one)
    items = values.tolist()
    try:
        joined = "\n".join(items)
    except TypeError:
        return _objects([one(v) for v in items])
    if joined.count("\n") == n - 1 and _flat(joined):
        return _texts(many(joined).split("\n"))
    # a few values hold a line break or white space to flatten: those one by one
    bad = _flagged(items, _WHITESPACE.replace(" ", ""), first=" ", last=" ", twice=" ")
    out = np.empty(n, dtype=object)
    out[bad] = [one(v) for v in values[bad].tolist()]
    keep = np.ones(n, dtype=bool)
    keep[bad] = False
    good = np.flatnonzero(keep)
    if len(good):
        rest = values[good].tolist()
        out[good] = many("\n".join(rest)).split("\n")
    return out


def _md_each(values: _Column) -> np.ndarray:
    return _escape_each(values, _md, _md_many)


def _h_each(values: _Column) -> np.ndarray:
    return _escape_each(values, _h, _h_many)


# A tiny document model so the Markdown and HTML checklists say exactly the same thing:
# (kind, segments) with kind h1|h2|p|li|check. A segment is fixed wording (str) or a data
# value (text, bold): data is escaped in both formats, wording only in HTML. A line repeated
# for thousands of users or batches is rendered once with numbered slots for its data
# (_line_parts), and the slots are filled column-wise.
_Segment = str | tuple[str, bool]
_Run = tuple[bool, str, str]
"""Consecutive lines of the checklist: (list items?, Markdown text, HTML text)."""
_Parts = list[str | np.ndarray]
"""A line per row as its pieces in order: wording, or a column of escaped values."""


def _v(value: Any, bold: bool = False) -> tuple[str, bool]:
    return (str(value), bold)


def _render(segs: Sequence[_Segment], data: Callable[[Any], str], bold: str) -> str:
    parts = []
    for s in segs:
        if isinstance(s, tuple):
            parts.append(bold.format(data(s[0])) if s[1] else data(s[0]))
        else:
            parts.append(s)
    return "".join(parts)


def _md_line(kind: str, segs: Sequence[_Segment]) -> str:
    """One block as Markdown; a heading or paragraph carries the blank line after it."""
    text = _render(segs, _md, "**{}**")
    prefix = {"h1": "# ", "h2": "\n## ", "p": "", "li": "- ", "check": "- [ ] "}[kind]
    return prefix + text + ("\n" if kind in ("h1", "p") else "")


def _html_line(kind: str, segs: Sequence[_Segment]) -> str:
    # wording keeps its spaces ("Batch " + 3 + ": "); only data values are flattened
    text = _render([html.escape(s, quote=True) if isinstance(s, str) else s for s in segs],
                   _h, "<strong>{}</strong>")
    if kind == "check":
        return f'<li class="check"><label><input type="checkbox"> {text}</label></li>'
    if kind == "li":
        return f"<li>{text}</li>"
    return f"<{kind}>{text}</{kind}>"


def _block(kind: str, *segs: _Segment) -> _Run:
    return kind in ("li", "check"), _md_line(kind, segs), _html_line(kind, segs)


_SLOT = re.compile("\x00([0-9]+)\x00")


def _slot(i: int, bold: bool = False) -> tuple[str, bool]:
    """Data slot ``i`` of a :func:`_line_parts` shape (inert in both escapes)."""
    return (f"\x00{i}\x00", bold)


def _line_parts(kind: str, segs: Sequence[_Segment],
                columns: Sequence[_Column]) -> tuple[_Parts, _Parts]:
    """Lines of one shape for many rows, as (Markdown, HTML) pieces.

    ``segs`` as for a block, with :func:`_slot` ``(i)`` where the value from ``columns[i]``
    goes. The line is rendered once with placeholders, so its wording is exactly what a
    single block gets, then cut at them; each slot becomes the column's escaped values.
    """
    want = sum(isinstance(s, tuple) and _SLOT.fullmatch(s[0]) is not None for s in segs)
    out = []
    for render, escape in ((_md_line, _md_each), (_html_line, _h_each)):
        pieces = _SLOT.split(render(kind, segs))
        slots = [int(i) for i in pieces[1::2]]
        if len(slots) != want:  # wording that holds a placeholder: cannot happen
            raise ValueError("placeholder in the checklist wording")
        escaped = {i: escape(columns[i]) for i in set(slots)}
        parts: _Parts = [pieces[0]]
        for i, lit in zip(slots, pieces[2::2], strict=True):
            parts += [escaped[i], lit]
        out.append([p for p in parts if not (isinstance(p, str) and not p)])
    return out[0], out[1]


def _lay_out(columns: Sequence[str | np.ndarray], n: int, before: str = "",
             after: str = "") -> str:
    """``before``, then row by row each row's pieces in order, then ``after``, as one string
    (one strided array, one join: a 300k-user checklist is copied once)."""
    m = len(columns)
    out = np.empty(n * m + 2, dtype=object)
    out[0], out[-1] = before, after
    for i, piece in enumerate(columns):
        out[1 + i:-1:m] = piece
    return "".join(out.tolist())


def _item_run(parts: tuple[_Parts, _Parts], n: int) -> _Run:
    """``n`` list items, one per line."""
    md, htm = (_lay_out([*p, "\n"], n)[:-1] for p in parts)
    return True, md, htm


def _head(plan: Plan, cols: _Columns) -> list[_Run]:
    """Title, what to check first, and the users to fix first."""
    src, tgt = plan.source["display_name"], plan.target["display_name"]
    runs = [
        _block("h1", _v(src), " to ", _v(tgt), ": admin center checklist (", _v(plan.tenant),
               ")"),
        _block("p", "Plan ", _v(plan.plan_id), ", made from ",
               _v(plan.users_file.get("name") or "the export"), " (sha256 ",
               _v(plan.users_file.get("sha256", "")[:12] or "unknown"), "). ",
               _v(plan.batches), " batches of at most ", _v(plan.batch_size), " users. Every "
               "user in a batch needs the same settings, so one pass of Manage product "
               "licenses handles the whole batch."),
        _block("h2", "Before you start"),
    ]
    seats = ("not verified: no subscriptions export" if plan.seats_available is None
             else f"{plan.seats_available} available in the export")
    runs.append(_block("check", "Billing > Your products: ", _v(tgt, True), " is Active and "
                       "has at least ", _v(plan.seats_needed, True), " unassigned licenses (",
                       _v(seats), ")."))
    runs.append(_block("check", "Answer the decisions at the end of this list first."))
    runs.append(_block("check", "Run batch 1 as a pilot and check those users before the "
                       "rest."))
    fix = np.flatnonzero(_is(cols.coded("kind"), "fix-usage-location"))
    if len(fix):
        runs.append(_block("h2", "Fix first (these users are not in any batch yet)"))
        runs.append(_item_run(_line_parts(
            "check", [_slot(0, True), " (", _slot(1), "): set a usage location (Users > "
                      "Active users > user > Account > Usage location), then plan again."],
            [_rows(cols.column("upn"), fix), _rows(cols.column("display_name"), fix)]),
            len(fix)))
    return runs


def _tail(plan: Plan) -> list[_Run]:
    """The decisions left to the admin, and what to do afterwards."""
    runs = []
    if plan.decisions:
        runs.append(_block("h2", "Decisions left to you"))
        code, who, why = [], [], []
        for d in plan.decisions:
            plans = f" [{', '.join(d['plans'])}]" if d["plans"] else ""
            code.append(str(d["code"]))
            who.append(str((d["upn"] or f"group {d['group_id']}") + plans))
            why.append(str(d["why"]))
        runs.append(_item_run(_line_parts(
            "check", [_slot(0, True), " ", _slot(1), ": ", _slot(2)],
            [_texts(code), _texts(who), _texts(why)]), len(code)))
    runs.append(_block("h2", "Afterwards"))
    runs.append(_block("p", "Export users again into the tenant's after/ folder and run "
                       "e4-playbook verify: it says what is done, what to run again, and when "
                       "E4 may be cancelled."))
    return runs


def _batch_sections(plan: Plan, ac: dict[str, _Column],
                    around: tuple[tuple[str, str], tuple[str, str]]) -> tuple[str, str]:
    """The checklist documents: ``around`` holds what comes before and after the batches in
    Markdown and HTML; between them every batch: its heading, what to do in the admin
    center, a line per user or group.

    Built column-wise: the instructions are rendered once per distinct batch setting (kind,
    usage location, licenses to keep, apps off), headings and the lines of users and groups
    by :func:`_line_parts`; then a row is its batch's head (on the batch's first row), its
    line and a line break, and everything one join. In HTML each batch closes its own list.
    """
    n = len(ac["batch"])
    if not n:  # no batches: what comes before, then what comes after
        return around[0][0] + around[0][1][1:], around[1][0] + around[1][1][1:]
    src, tgt = plan.source["display_name"], plan.target["display_name"]
    order = np.argsort(ac["batch"], kind="stable")  # type: ignore[arg-type]
    batch = _take(ac["batch"])[order]

    def col(name: str) -> _Column:
        return _rows(ac[name], order)

    first = np.r_[True, batch[1:] != batch[:-1]]
    starts = np.flatnonzero(first)
    counts = np.diff(np.r_[starts, n])

    def at_starts(name: str) -> list[Any]:
        return _take(_rows(ac[name], order[starts])).tolist()

    kind = np.array(at_starts("kind"), dtype=object)
    group_batch = kind == "group-swap"
    in_group_batch = np.repeat(group_batch, counts)

    # a line per row: a group, or a user with or without a display name
    upn, name = col("upn"), col("display_name")
    named = (name.mapped(bool).take() if isinstance(name, _Coded) else name).astype(bool)
    shapes: list[tuple[np.ndarray, list[_Segment], list[_Column]]] = [
        (~in_group_batch & named, [_slot(0, True), " (", _slot(1), ")"], [upn, name]),
        (~in_group_batch & ~named, [_slot(0, True)], [upn]),
    ]
    if group_batch.any():
        members = _coded(_take(col("members"))).mapped(str)
        apps = _coded(_take(col("apps_off_on_new_license"))).mapped(lambda a: a or "none")
        shapes.append((in_group_batch, ["Group ", _slot(0, True), " (", _slot(1), " members). "
                                        "Apps off on ", _v(tgt), ": ", _slot(2), "."],
                       [col("group_id"), members, apps]))
    shapes = [s for s in shapes if s[0].any()]
    lines: tuple[_Parts, _Parts]
    if len(shapes) == 1:  # the usual case: the pieces as they are
        lines = _line_parts("check", shapes[0][1], shapes[0][2])
    else:  # each piece a column over all rows, "" where a shape has fewer pieces
        lines = ([], [])
        for rows, segs, columns in shapes:
            for out, parts in zip(lines, _line_parts(
                    "check", segs, [_rows(c, rows) for c in columns]), strict=True):
                while len(out) < len(parts):
                    out.append(np.full(n, "", dtype=object))
                for piece, part in zip(out, parts, strict=False):
                    piece[rows] = part  # type: ignore[index]

    # a head per batch: its heading, then the instructions of its kind of batch
    b_num = _texts([str(b) for b in batch[starts].tolist()])
    b_count = _texts([str(c) for c in counts.tolist()])
    reclaim = kind == "reclaim"
    heads = (np.empty(len(starts), dtype=object), np.empty(len(starts), dtype=object))
    for rows, tail in ((group_batch, [" group(s), in the Microsoft Entra admin center"]),
                       (~group_batch & ~reclaim, [" user(s)", ""]),
                       (reclaim, [" user(s)", ", blocked accounts: reclaim E4"])):
        if rows.any():
            parts = _line_parts("h2", ["Batch ", _slot(0), ": ", _slot(1), *tail],
                                [b_num[rows], b_count[rows]])
            for head, p in zip(heads, parts, strict=True):
                text = p[0]
                for piece in p[1:]:
                    text = text + piece
                head[rows] = text
    settings: dict[tuple[Any, ...], tuple[str, str]] = {}
    keys = zip(kind.tolist(), *(at_starts(c) for c in (
        "set_usage_location", "keep_direct_licenses", "apps_off_on_new_license")), strict=True)
    for i, key in enumerate(keys):
        if key not in settings:
            settings[key] = _instructions(key, src, tgt)
        md_head, html_head = settings[key]
        heads[0][i] = heads[0][i] + "\n" + md_head
        heads[1][i] = heads[1][i] + "\n" + html_head

    out = []
    for head, pieces, end, (before, after) in ((heads[0], lines[0], "\n", around[0]),
                                               (heads[1], lines[1], "\n</ul>\n", around[1])):
        opening = _texts([""])[np.zeros(n, dtype=np.intp)]
        opening[starts] = head
        closing = _texts(["\n"])[np.zeros(n, dtype=np.intp)]
        closing[np.r_[starts[1:] - 1, n - 1]] = end  # the last row of each batch
        closing[-1] = end[:-1]  # the line break before what follows is in ``after``
        out.append(_lay_out([opening, *pieces, closing], n, before, after))
    return out[0], out[1]


def _instructions(key: tuple[Any, ...], src: str, tgt: str) -> tuple[str, str]:
    """What to do for a batch of this kind and settings, in Markdown and HTML, each line
    ending with a line break; in HTML the batch's list is opened here (its lines follow)."""
    kind, location, keep_text, apps = key
    if kind == "group-swap":
        runs = [_block("p", "For each group: Groups > All groups > search the id > Licenses > "
                       "Assignments: tick ", _v(tgt, True), ", turn off the apps listed, clear ",
                       _v(src, True), ", Save. Entra adds the new license and removes the old "
                       "one at the same time for every member.")]
    else:
        reclaim = kind == "reclaim"
        runs = []
        if location:
            runs.append(_block("li", "First set each user's usage location to ",
                               _v(location, True), " (user > Account > Usage location): "
                               "licenses need it."))
        keep = [k for k in keep_text.split(" + ") if k]
        on = keep if reclaim else [tgt, *keep]
        runs.append(_block("li", "Users > Active users: tick the users below, then Manage "
                           "product licenses > " + ("Replace" if on else "Unassign all") + "."))
        if on:
            runs.append(_block("li", "Switch on exactly: ", _v(" + ".join(on), True), ". ",
                               _v(src), " must end up off."))
        if not reclaim:
            runs.append(_block("li", "Apps to turn off on ", _v(tgt), ": ",
                               _v(apps or "none", True), "."))
        runs.append(_block("li", "Save changes, then Close."))
    md = "".join(r[1] + "\n" for r in runs)
    body = [r[2] for r in runs if not r[0]] + ["<ul>"] + [r[2] for r in runs if r[0]]
    return md, "".join(line + "\n" for line in body)


def _html_lines(runs: list[_Run]) -> str:
    """The runs' HTML, consecutive list items grouped into ``<ul>``.

    A group of runs is laid out alone as it would be in the whole page: the batches between
    them begin with a heading, which closes any list before it, and close their own lists.
    """
    lines: list[str] = []
    in_list = False
    for is_item, _, text in runs:
        if is_item and not in_list:
            lines.append("<ul>")
        if not is_item and in_list:
            lines.append("</ul>")
        in_list = is_item
        lines.append(text)
    if in_list:
        lines.append("</ul>")
    return "\n".join(lines)


def _checklist(plan: Plan, cols: _Columns, ac: dict[str, _Column]) -> tuple[str, str]:
    """The checklist as (Markdown, standalone HTML page): data values escaped in both, so
    names cannot inject markup."""
    head, tail = _head(plan, cols), _tail(plan)
    # Markdown ends with exactly one line break (the last block, a paragraph, has words)
    md = ("\n".join(r[1] for r in head) + "\n",
          "\n" + "\n".join(r[1] for r in tail).rstrip() + "\n")
    title = _h(f"E4 reassignment checklist: {plan.tenant}")
    page = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n"
            "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;"
            "line-height:1.4}li.check{list-style:none}</style>\n</head>\n<body>\n"
            + _html_lines(head) + "\n",
            "\n" + _html_lines(tail) + "\n</body>\n</html>\n")
    return _batch_sections(plan, ac, (md, page))


# ---------------------------------------------------------------------------------------------
# the script and the writer


def script_bytes() -> bytes:
    """The reassignment script, exactly as shipped in the package."""
    return resources.files("playbook.resources").joinpath(SCRIPT_NAME).read_bytes()


def render_artifacts(plan: Plan) -> dict[str, bytes]:
    """Every artifact as relative path -> bytes (pure; :func:`write_artifacts` writes them)."""
    return dict(iter_artifacts(plan))


def iter_artifacts(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """Every artifact as (file name, bytes), one at a time, in a fixed order.

    A writer can drop each file once written: together a 300k-user plan's artifacts are
    a few hundred MB, more than the rest of the run holds.
    """
    for name, pieces in _artifact_pieces(plan):
        yield name, pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _artifact_pieces(plan: Plan) -> Iterator[tuple[str, tuple[bytes, ...]]]:
    """Every artifact as (file name, its bytes in pieces to write one after the other)."""
    cols = _Columns(plan.table)  # each column read and factorized once for every file
    yield "plan.csv", _plan_csv(cols)
    yield "plan.json", (plan_json_bytes(plan),)
    ac = _admin_rows(plan, cols)
    yield "admin-center-batches.csv", _csv_file(ac, len(ac["batch"]))
    md, page = _checklist(plan, cols, ac)
    del ac
    yield "checklist.md", (md.encode("utf-8"),)
    del md
    yield "checklist.html", (page.encode("utf-8"),)
    del page
    yield SCRIPT_NAME, (script_bytes(),)
    yield GRAPH_BATCHES, (_batch_lines(cols, plan.batches),)
    del cols
    rollback = _Columns(rollback_actions(plan))
    yield "rollback.csv", _plan_csv(rollback)
    yield ROLLBACK_BATCHES, (_batch_lines(rollback, plan.batches),)


def _write_file(path: Path, pieces: tuple[bytes, ...]) -> None:
    """One file, its pieces written in turn (never joined: that would copy them)."""
    with path.open("wb") as f:
        for piece in pieces:
            f.write(piece)


def _write_all(folder: Path, files: Iterator[tuple[str, tuple[bytes, ...]]]) -> None:
    """Write each file while the next one is rendered.

    ``write`` releases the GIL while the kernel copies the bytes, so one writer thread
    overlaps the disk with the rendering. At most one file is in flight: the next is handed
    over only when the last is on disk, so memory stays at about two files. An error in
    either thread stops both and is raised here.
    """
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[None] | None = None
        try:
            for name, pieces in files:
                if pending is not None:
                    pending.result()
                pending = writer.submit(_write_file, folder / name, pieces)
        finally:
            if pending is not None:
                pending.result()


def write_artifacts(plan: Plan, out_dir: str | Path) -> Path:
    """Write every artifact into ``<out_dir>/plan/`` atomically and return that folder.

    Everything is written into a temporary folder beside it, then renamed into place (an old
    ``plan/`` is renamed away first and deleted last), so a failure leaves no partial folder.
    A refused plan raises (exit code 3) and writes nothing. Each file is written as soon as
    it is rendered, then dropped.
    """
    out = Path(out_dir)
    if plan.refused:
        raise InputError(
            out, f"plan refused: {plan.shortfall} {plan.target['display_name']} licenses "
            f"missing ({plan.seats_needed} needed, {plan.seats_available} available)",
            fix="buy the missing licenses, or limit the plan with max_users, "
                "only_departments or only_users", exit_code=EXIT_REFUSED_FOR_SEATS)
    out.mkdir(parents=True, exist_ok=True)
    final = out / "plan"
    tmp = Path(tempfile.mkdtemp(prefix=".plan.new.", dir=out))
    try:
        os.chmod(tmp, 0o755)
        _write_all(tmp, _artifact_pieces(plan))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if final.exists():
        old = out / (tmp.name.replace(".plan.new.", ".plan.old."))
        os.replace(final, old)
    try:
        os.replace(tmp, final)
    except BaseException:
        if old is not None:
            os.replace(old, final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final
