"""The plan's artifacts, written atomically into ``<out>/plan/``.

==============================  ===================================================================
plan.csv                        every action (all plan-table columns; tuples ``;``-joined). The
                                PowerShell script reads it, so its columns are a contract:
                                ``SCRIPT_COLUMNS`` must stay a subset (a test checks both ends)
plan.json                       :meth:`playbook.planning.Plan.to_dict`
admin-center-batches.csv        one row per user/group call, by batch, in admin-center words
checklist.md / checklist.html   the same batches as a tick-list for Users > Active users >
                                Manage product licenses (and Entra > Groups for group batches)
Invoke-E4Reassignment.ps1       the same file for every tenant (package resource, copied
                                byte for byte): it reads plan.csv (or rollback.csv)
graph-batches/NNN.json          Graph ``$batch`` bodies, one per batch (<= 20 requests)
rollback.csv, rollback/NNN.json the exact inverse; ``rollback/007.json`` undoes batch 7
==============================  ===================================================================

Every CSV neutralizes spreadsheet formulas: a cell starting with ``= + - @``, TAB or CR gets a
leading ``'``, and so does a cell that already starts with ``'``, so the escape can be undone
exactly (:func:`restore_cell`; the script strips one leading ``'`` from the cells it reads).
The files are UTF-8 with BOM and CRLF (what Excel opens cleanly and Import-Csv reads), and the
same plan gives byte-identical files: nothing here reads a clock.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from importlib import resources
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from playbook.catalog import is_guid
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.fastjson import join_compact
from playbook.planning import (
    EXECUTED_KINDS,
    INT_COLUMNS,
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    Plan,
    rollback_actions,
    table_records,
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
_FORMULA_AFTER_NEWLINE = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")


# ---------------------------------------------------------------------------------------------
# formula injection


def neutralize_cell(text: str) -> str:
    """``'`` + text when a spreadsheet could read the text as a formula (or it starts with ')."""
    return "'" + text if text.startswith(FORMULA_START) else text


def restore_cell(text: str) -> str:
    """Undo :func:`neutralize_cell` exactly."""
    return text[1:] if text.startswith("'") else text


def neutralize_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralized (vectorized; numbers are left alone)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col].fillna("").astype(str)
            values = s.to_numpy(dtype=object)
            if not _any_starts(values):  # the usual case, decided at C speed
                out[col] = s
                continue
            codes, uniques = pd.factorize(values)  # check each distinct value once
            bad = [i for i, v in enumerate(uniques) if v.startswith(FORMULA_START)]
            if bad:
                s = s.where(~np.isin(codes, bad), "'" + s)
            out[col] = s
    return out


def _any_starts(values: np.ndarray) -> bool:
    """Whether any text may start with a :data:`FORMULA_START` character.

    One ``join`` and one regular-expression scan instead of a Python test per cell: every
    cell that starts with one follows a newline in the joined text (a newline inside a cell
    can only cause a false alarm, which the exact per-value check then clears).
    """
    return _FORMULA_AFTER_NEWLINE.search("\n" + "\n".join(values)) is not None


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    text = _csv_text(neutralize_frame(frame))
    return b"\xef\xbb\xbf" + text.encode("utf-8")


_CSV_SPECIAL = re.compile('[,"\r\n]')


def _csv_text(frame: pd.DataFrame) -> str:
    """``frame.to_csv(index=False, lineterminator="\r\n")``, the same text built column-wise.

    pandas hands every cell to the ``csv`` writer one by one (seconds for a 300k-row plan).
    Here each column becomes its cells' text at once (quoted only where ``,``, ``"`` or a line
    break demands it, as the writer's minimal quoting does), and the rows are laid out by
    strided slice assignment into one list joined once. Columns of any other kind (floats,
    mixed objects) and one-column frames go to pandas itself.
    """
    cols = [_csv_cells(frame[c]) for c in frame.columns]
    if len(cols) < 2 or any(c is None for c in cols):
        return frame.to_csv(index=False, lineterminator="\r\n")
    header = ",".join(_csv_quote([str(c) for c in frame.columns]))
    n, k = len(frame), len(cols)
    parts: list[str] = [""] * (2 * k * n)
    for j, cells in enumerate(cols):
        parts[2 * j::2 * k] = cells
        parts[2 * j + 1::2 * k] = ["," if j < k - 1 else "\r\n"] * n
    return header + "\r\n" + "".join(parts)


def _csv_cells(col: pd.Series) -> list[str] | None:
    """A column's cells as CSV text, or ``None`` for a kind left to pandas."""
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col):
        if col.isna().any():
            return None
        return list(map(str, col.tolist()))  # "True"/"False", "12": as pandas writes them
    if col.dtype == object or pd.api.types.is_string_dtype(col):
        values = col.to_numpy(dtype=object).tolist()  # not tolist(): per-cell for "str"
        if set(map(type, values)) - {str}:
            return None
        return _csv_quote(values)
    return None


def _csv_quote(values: list[str]) -> list[str]:
    """Minimal CSV quoting: only cells holding a comma, a quote or a line break."""
    if not _CSV_SPECIAL.search("".join(values)):
        return values
    return [f'"{v.replace(chr(34), chr(34) * 2)}"' if _CSV_SPECIAL.search(v) else v
            for v in values]


def plan_csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The plan table as CSV cells: all columns, tuples ``;``-joined (not yet neutralized)."""
    out = table[list(PLAN_COLUMNS)].copy()
    for col in TUPLE_COLUMNS:
        out[col] = out[col].map(LIST_SEPARATOR.join)
    return out


def read_plan_csv(path: str | Path) -> pd.DataFrame:
    """Read a plan.csv / rollback.csv back into a plan table (escapes undone, tuples rebuilt)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "plan CSV not found", fix="pass plan.csv or rollback.csv") \
            from None
    missing = [c for c in PLAN_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(path, "not a plan CSV", column=missing[0],
                         fix="pass the plan.csv written by e4-playbook plan")
    out = pd.DataFrame(index=raw.index)
    for col in PLAN_COLUMNS:
        s = raw[col].map(restore_cell)
        if col in TUPLE_COLUMNS:
            out[col] = s.map(lambda v: tuple(v.split(LIST_SEPARATOR)) if v else ())
        elif col in INT_COLUMNS:
            out[col] = pd.to_numeric(s, errors="coerce").fillna(0).astype("int64")
        else:
            out[col] = s.astype(object)
    return out


# ---------------------------------------------------------------------------------------------
# Graph $batch bodies


def _user_url(user_id: str, upn: str) -> str:
    """``/users/{id}``; by UPN when the id is unknown (URL-encoded; ``$``-UPNs quoted)."""
    if is_guid(user_id):
        return f"/users/{user_id.lower()}"
    if upn.startswith("$"):  # Graph reads /users/$x as a system segment: use the key syntax
        return "/users('" + quote(upn.replace("'", "''"), safe="@$'") + "')"
    return "/users/" + quote(upn, safe="@")


def graph_request(row: dict[str, Any]) -> dict[str, Any]:
    """One ``$batch`` request for one executed plan row (plan columns plus ``path``)."""
    headers = {"Content-Type": "application/json"}
    if row["kind"] == "set-usage-location":
        return {"id": row["action_id"], "method": "PATCH", "url": row["path"],
                "headers": headers, "body": {"usageLocation": row["new_usage_location"] or None}}
    add = []
    if row["add_sku_id"]:
        add = [{"skuId": row["add_sku_id"],
                "disabledPlans": list(row["disabled_plan_ids_after"])}]
    remove = [row["remove_sku_id"]] if row["remove_sku_id"] else []
    return {"id": row["action_id"], "method": "POST", "url": row["path"] + "/assignLicense",
            "headers": headers, "body": {"addLicenses": add, "removeLicenses": remove}}


_REQUEST_COLUMNS = ("action_id", "kind", "batch", "user_id", "upn", "group_id",
                    "new_usage_location", "add_sku_id", "remove_sku_id",
                    "disabled_plan_ids_after")


_GUID = r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _request_paths(ex: pd.DataFrame) -> pd.Series:
    """``/users/{id}``, ``/users/{upn}`` or ``/groups/{id}`` per executed row (column-wise)."""
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


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def batch_files(table: pd.DataFrame) -> dict[int, bytes]:
    """Batch number -> the ``$batch`` body as JSON bytes, one request per line.

    The same requests as :func:`graph_batches`, rendered column-wise (a 500k-user plan has
    tens of thousands of batches): every value is JSON-encoded once per distinct value.
    """
    ex = _executed(table)
    if ex.empty:
        return {}
    # rows of one batch together, their order kept (a rollback runs batches last first)
    ex = ex.iloc[np.argsort(ex["batch"].to_numpy(), kind="stable")]

    def js(col: pd.Series) -> pd.Series:
        # text through the C string encoder itself (json.dumps' per-call overhead is 20x it)
        return col.map({v: encode_basestring(v) if type(v) is str
                        else json.dumps(v, ensure_ascii=False) for v in set(col)})

    ids = js(ex["action_id"])
    patch = (ex["kind"] == "set-usage-location").to_numpy()
    urls = js(_request_paths(ex) + np.where(patch, "", "/assignLicense"))
    plans = ex["disabled_plan_ids_after"].map(
        {v: json.dumps(list(v)) for v in set(ex["disabled_plan_ids_after"])})
    add = np.where(ex["add_sku_id"] != "",
                   '[{"skuId": ' + js(ex["add_sku_id"]) + ', "disabledPlans": ' + plans + "}]",
                   "[]")
    remove = np.where(ex["remove_sku_id"] != "", "[" + js(ex["remove_sku_id"]) + "]", "[]")
    location = ex["new_usage_location"].map(
        {v: json.dumps(v or None, ensure_ascii=False) for v in set(ex["new_usage_location"])})
    body = np.where(patch, '{"usageLocation": ' + location + "}",
                    '{"addLicenses": ' + pd.Series(add, index=ex.index)
                    + ', "removeLicenses": ' + pd.Series(remove, index=ex.index) + "}")
    head = ('{"id": ' + ids + ', "method": ' + np.where(patch, '"PATCH"', '"POST"')
            + ', "url": ' + urls + ', "headers": {"Content-Type": "application/json"}, '
            + '"body": ' + pd.Series(body, index=ex.index))
    # a batch with a PATCH is fully sequential: each request depends on the one before
    batch = ex["batch"].to_numpy()
    first = np.r_[True, batch[1:] != batch[:-1]]
    sequential = pd.Series(patch).groupby(batch).transform("any").to_numpy()
    prev = ids.shift(1)
    depends = np.where(sequential & ~first, ', "dependsOn": [' + prev.fillna("") + "]", "")
    lines = (head + depends + "}").to_numpy()
    starts = np.flatnonzero(first)
    out: dict[int, bytes] = {}
    for lo, hi in zip(starts, [*starts[1:], len(lines)], strict=True):
        text = '{\n  "requests": [\n    ' + ",\n    ".join(lines[lo:hi]) + "\n  ]\n}\n"
        out[int(batch[lo])] = text.encode("utf-8")
    return out


JSON_CHUNK_ROWS = 20_000
"""Actions turned into dicts at a time for plan.json: all 300k at once cost a gigabyte."""


def _plan_json_bytes(plan: Plan) -> bytes:
    """plan.json: the header indented, then one action (and decision) per line, so a
    500k-user plan is written by the C JSON encoder and still reads well in an editor.

    The actions are encoded a chunk of rows at a time (``Plan.to_dict`` would first build a
    dict per action for the whole table), which keeps a large plan's peak memory down.
    """
    data = dataclasses.replace(plan, table=plan.table.iloc[:0]).to_dict()
    long = {k: data.pop(k) for k in ("decisions", "actions")}
    head = json.dumps(data, indent=2, ensure_ascii=False)
    parts = [head[:-2].encode("utf-8")]  # drop the closing "\n}"
    parts.append(_json_lines("decisions", long["decisions"]))
    table = plan.table
    chunks = [_action_lines(table.iloc[i:i + JSON_CHUNK_ROWS], first=i == 0,
                            last=i + JSON_CHUNK_ROWS >= len(table))
              for i in range(0, len(table), JSON_CHUNK_ROWS)]
    parts.extend(chunks or [_json_lines("actions", [])])
    parts.append(b"\n}\n")
    return b"".join(parts)


def _action_lines(rows: pd.DataFrame, *, first: bool, last: bool) -> bytes:
    """A piece of plan.json's action list: the same text as :func:`_json_lines` of
    ``table_records(rows)``, encoded column by column (:func:`playbook.fastjson.join_compact`);
    record by record when a column holds something unexpected."""
    columns = {c: rows[c].tolist() for c in PLAN_COLUMNS}
    text = join_compact(columns, ",\n    ")
    if text is None:
        return _json_lines("actions", table_records(rows), first=first, last=last)
    head = ',\n  "actions": [\n    ' if first else ",\n    "
    return (head + text + ("\n  ]" if last else "")).encode("utf-8")


def _json_lines(key: str, items: list[Any], *, first: bool = True, last: bool = True) -> bytes:
    """``,\n  "key": [\n    {...},\n    {...}\n  ]`` (or a piece of it: ``first``/``last``
    say whether this piece opens and closes the list)."""
    if not items and first and last:
        return f',\n  "{key}": []'.encode()
    text = ",\n    ".join(json.dumps(i, ensure_ascii=False) for i in items)
    head = f',\n  "{key}": [\n    ' if first else ",\n    "
    return (head + text + ("\n  ]" if last else "")).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# admin center: batches CSV and checklist


def admin_center_frame(plan: Plan) -> pd.DataFrame:
    """One row per user/group call, with the usage location to set folded into its user."""
    t = plan.table
    ex = t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)]
    loc = ex[ex["kind"] == "set-usage-location"].drop_duplicates("upn").set_index("upn")
    rows = ex[ex["kind"] != "set-usage-location"]
    src, tgt = plan.source["display_name"], plan.target["display_name"]
    notes = rows["reason"].where(rows["reason_code"] != "", "")
    return pd.DataFrame({
        "batch": rows["batch"].astype("int64"),
        "action_id": rows["action_id"],
        "kind": rows["kind"],
        "upn": rows["upn"],
        "display_name": rows["display_name"],
        "department": rows["department"],
        "group_id": rows["group_id"],
        "members": rows["members"].astype("int64"),
        "set_usage_location": rows["upn"].map(loc["new_usage_location"]).fillna("")
        if len(loc) else "",
        "remove_license": np.where(rows["remove_sku_id"] != "", src, ""),
        "add_license": np.where(rows["add_sku_id"] != "", tgt, ""),
        "apps_off_on_new_license": rows["disabled_plans_after"].map(", ".join),
        "keep_direct_licenses": rows["keep_direct_skus"].map(" + ".join),
        "unmapped_plans": rows["unmapped_plans"].map(", ".join),
        "note": notes,
    }).reset_index(drop=True)


_MD_SPECIALS = "\\`*_{}[]()<>#+-.!|~&"
_MD_ESCAPE = str.maketrans({ch: "\\" + ch for ch in _MD_SPECIALS})


def _md(text: Any) -> str:
    """A data value made inert in Markdown: specials escaped, line breaks flattened (one
    ``translate`` call: a large checklist escapes hundreds of thousands of values)."""
    return _md_str(str(text))


@functools.lru_cache(maxsize=4096)
def _md_str(text: str) -> str:
    # cached: wording, product names and display names repeat on every line
    return " ".join(text.split()).translate(_MD_ESCAPE)


def _h(text: Any) -> str:
    """Text made inert in HTML."""
    return _h_str(str(text))


@functools.lru_cache(maxsize=4096)
def _h_str(text: str) -> str:
    # cached: wording, product names and display names repeat on every line
    return html.escape(" ".join(text.split()), quote=True)


# A tiny document model so the Markdown and HTML checklists say exactly the same thing:
# (kind, segments) with kind h1|h2|p|li|check. A segment is fixed wording (str) or a data
# value (text, bold): data is escaped in both formats, wording only in HTML.
_Segment = str | tuple[str, bool]
_Block = tuple[str, list[_Segment]]


def _v(value: Any, bold: bool = False) -> tuple[str, bool]:
    return (str(value), bold)


def _blocks(plan: Plan) -> list[_Block]:
    t = plan.table
    src, tgt = plan.source["display_name"], plan.target["display_name"]
    out: list[_Block] = []

    def add(kind: str, *segments: _Segment) -> None:
        out.append((kind, list(segments)))

    add("h1", _v(src), " to ", _v(tgt), ": admin center checklist (", _v(plan.tenant), ")")
    add("p", "Plan ", _v(plan.plan_id), ", made from ",
        _v(plan.users_file.get("name") or "the export"), " (sha256 ",
        _v(plan.users_file.get("sha256", "")[:12] or "unknown"), "). ", _v(plan.batches),
        " batches of at most ", _v(plan.batch_size), " users. Every user in a batch needs the "
        "same settings, so one pass of Manage product licenses handles the whole batch.")
    add("h2", "Before you start")
    seats = ("not verified: no subscriptions export" if plan.seats_available is None
             else f"{plan.seats_available} available in the export")
    add("check", "Billing > Your products: ", _v(tgt, True), " is Active and has at least ",
        _v(plan.seats_needed, True), " unassigned licenses (", _v(seats), ").")
    add("check", "Answer the decisions at the end of this list first.")
    add("check", "Run batch 1 as a pilot and check those users before the rest.")
    fix = t.loc[t["kind"] == "fix-usage-location", ["upn", "display_name"]]
    if len(fix):
        add("h2", "Fix first (these users are not in any batch yet)")
        for upn, name in zip(fix["upn"], fix["display_name"], strict=True):
            add("check", _v(upn, True), " (", _v(name), "): set a usage location "
                "(Users > Active users > user > Account > Usage location), then plan again.")

    by_batch: dict[int, list[dict[str, Any]]] = {}
    ac = admin_center_frame(plan)
    cols = list(ac.columns)
    for vals in zip(*(ac[c].tolist() for c in cols), strict=True):
        rec = dict(zip(cols, vals, strict=True))
        by_batch.setdefault(int(rec["batch"]), []).append(rec)
    for batch in sorted(by_batch):
        rows = by_batch[batch]
        first = rows[0]
        if first["kind"] == "group-swap":
            add("h2", "Batch ", _v(batch), ": ", _v(len(rows)),
                " group(s), in the Microsoft Entra admin center")
            add("p", "For each group: Groups > All groups > search the id > Licenses > "
                "Assignments: tick ", _v(tgt, True), ", turn off the apps listed, clear ",
                _v(src, True), ", Save. Entra adds the new license and removes the old one at "
                "the same time for every member.")
            for r in rows:
                add("check", "Group ", _v(r["group_id"], True), " (", _v(r["members"]),
                    " members). Apps off on ", _v(tgt), ": ",
                    _v(r["apps_off_on_new_license"] or "none"), ".")
            continue
        reclaim = first["kind"] == "reclaim"
        add("h2", "Batch ", _v(batch), ": ", _v(len(rows)), " user(s)",
            ", blocked accounts: reclaim E4" if reclaim else "")
        if first["set_usage_location"]:
            add("li", "First set each user's usage location to ",
                _v(first["set_usage_location"], True),
                " (user > Account > Usage location): licenses need it.")
        keep = [k for k in first["keep_direct_licenses"].split(" + ") if k]
        on = keep if reclaim else [tgt, *keep]
        add("li", "Users > Active users: tick the users below, then Manage product licenses > "
            + ("Replace" if on else "Unassign all") + ".")
        if on:
            add("li", "Switch on exactly: ", _v(" + ".join(on), True), ". ", _v(src),
                " must end up off.")
        if not reclaim:
            add("li", "Apps to turn off on ", _v(tgt), ": ",
                _v(first["apps_off_on_new_license"] or "none", True), ".")
        add("li", "Save changes, then Close.")
        for r in rows:
            name = (" (", _v(r["display_name"]), ")") if r["display_name"] else ()
            add("check", _v(r["upn"], True), *name)

    if plan.decisions:
        add("h2", "Decisions left to you")
        for d in plan.decisions:
            who = d["upn"] or f"group {d['group_id']}"
            plans = f" [{', '.join(d['plans'])}]" if d["plans"] else ""
            add("check", _v(d["code"], True), " ", _v(who + plans), ": ", _v(d["why"]))
    add("h2", "Afterwards")
    add("p", "Export users again into the tenant's after/ folder and run e4-playbook verify: "
        "it says what is done, what to run again, and when E4 may be cancelled.")
    return out


def _render(segs: list[_Segment], data: Any, bold: str) -> str:
    parts = []
    for s in segs:
        if isinstance(s, tuple):
            parts.append(bold.format(data(s[0])) if s[1] else data(s[0]))
        else:
            parts.append(s)
    return "".join(parts)


def checklist_markdown(plan: Plan, blocks: list[_Block] | None = None) -> str:
    """The checklist as Markdown (data values escaped, so names cannot inject markup)."""
    lines = []
    for kind, segs in blocks if blocks is not None else _blocks(plan):
        text = _render(segs, _md, "**{}**")
        prefix = {"h1": "# ", "h2": "\n## ", "p": "", "li": "- ", "check": "- [ ] "}[kind]
        lines.append(prefix + text)
        if kind in ("h1", "p"):
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def checklist_html(plan: Plan, blocks: list[_Block] | None = None) -> str:
    """The checklist as a standalone HTML page (every text HTML-escaped)."""
    body = []
    for kind, segs in blocks if blocks is not None else _blocks(plan):
        text = _render([_h(s) if isinstance(s, str) else s for s in segs], _h,
                       "<strong>{}</strong>")
        if kind == "check":
            body.append(f'<li class="check"><label><input type="checkbox"> {text}</label></li>')
        elif kind == "li":
            body.append(f"<li>{text}</li>")
        else:
            body.append(f"<{kind}>{text}</{kind}>")
    # group consecutive list items into <ul>
    html_lines: list[str] = []
    in_list = False
    for line in body:
        is_item = line.startswith("<li")
        if is_item and not in_list:
            html_lines.append("<ul>")
        if not is_item and in_list:
            html_lines.append("</ul>")
        in_list = is_item
        html_lines.append(line)
    if in_list:
        html_lines.append("</ul>")
    title = _h(f"E4 reassignment checklist: {plan.tenant}")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{title}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "line-height:1.4}li.check{list-style:none}</style>\n</head>\n<body>\n"
        + "\n".join(html_lines) + "\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------------------------
# the script and the writer


def script_bytes() -> bytes:
    """The reassignment script, exactly as shipped in the package."""
    return resources.files("playbook.resources").joinpath(SCRIPT_NAME).read_bytes()


def _batch_name(batch: int, total: int) -> str:
    return str(batch).zfill(max(3, len(str(total)))) + ".json"


def render_artifacts(plan: Plan) -> dict[str, bytes]:
    """Every artifact as relative path -> bytes (pure; :func:`write_artifacts` writes them)."""
    return dict(iter_artifacts(plan))


def iter_artifacts(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """Every artifact as (relative path, bytes), one at a time, in a fixed order.

    A writer can drop each file once written: together a 300k-user plan's artifacts are
    about 600 MB, more than the rest of the run holds.
    """
    blocks = _blocks(plan)
    yield "plan.csv", _csv_bytes(plan_csv_frame(plan.table))
    yield "plan.json", _plan_json_bytes(plan)
    yield "admin-center-batches.csv", _csv_bytes(admin_center_frame(plan).reindex(
        columns=list(ADMIN_CENTER_COLUMNS)))
    yield "checklist.md", checklist_markdown(plan, blocks).encode("utf-8")
    yield "checklist.html", checklist_html(plan, blocks).encode("utf-8")
    del blocks
    yield SCRIPT_NAME, script_bytes()
    total = plan.batches
    for batch, body in batch_files(plan.table).items():
        yield f"graph-batches/{_batch_name(batch, total)}", body
    rollback = rollback_actions(plan)
    yield "rollback.csv", _csv_bytes(plan_csv_frame(rollback))
    for batch, body in batch_files(rollback).items():
        yield f"rollback/{_batch_name(batch, total)}", body


def write_artifacts(plan: Plan, out_dir: str | Path) -> Path:
    """Write every artifact into ``<out_dir>/plan/`` atomically and return that folder.

    Everything is written into a temporary folder beside it, then renamed into place (an old
    ``plan/`` is renamed away first and deleted last), so a failure leaves no partial folder.
    A refused plan raises (exit code 3) and writes nothing.
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
        folders: set[Path] = set()
        for rel, data in iter_artifacts(plan):  # each file written, then dropped
            path = tmp / rel
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            path.write_bytes(data)
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
