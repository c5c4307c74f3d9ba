"""Microsoft Graph JSON: ``GET /users?$select=...,assignedLicenses,licenseAssignmentStates``.

Accepted shapes: one response (``{"value": [...]}``), a list of pages (``[{"value": ...}, ...]``),
a bare list of users, or a folder of page files. Keys may be camelCase (Graph) or PascalCase
(``Get-MgUser | ConvertTo-Json``).

``assignedLicenses`` is the effective set (one entry per SKU, with ``disabledPlans``);
``licenseAssignmentStates`` has one entry per assignment *path* (``assignedByGroup`` null =
direct), with ``state`` and ``error``. Both are merged into one row per (user, SKU): direct and
group paths together, the worst state wins, and a SKU that is only in an error state (not in
``assignedLicenses``) still gets its row. ``error`` "None", null or missing means no error.

This is the only users format that carries everything in the license table; ``product_name``
is the ``skuId`` (that is how Graph names the license).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.exports.cells import TokenResolver
from playbook.exports.csvio import map_each, map_unique, sniff_encoding
from playbook.exports.detect import json_pages
from playbook.exports.model import UsersRead, carried, unknown_warnings
from playbook.exports.user_checks import check_user_fields
from playbook.input_files import read_input_bytes
from playbook.messages import Said
from playbook.table import normalize_license_table

STATE_RANK = {"Active": 0, "Disabled": 1, "ActiveWithError": 2, "Error": 3}
_NO_ERROR = (None, "", "None", "none")

HOW_TO = "error.exports.how-to-export-graph-users"
"""The fix for a users file that is not the Graph export the playbook needs (a catalog key)."""


def load_json(path: Path) -> Any:
    """Parse one JSON file; a syntax error names its line, nesting too deep for Python's
    parser (which real Graph responses never are) is refused instead of crashing."""
    raw = read_input_bytes(path)
    try:
        text = raw.decode(sniff_encoding(raw).replace("utf-8", "utf-8-sig"))
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    if not text or text.isspace():  # (no stripped copy of a file of 100+ MB to ask)
        raise InputError(path, "error.exports.empty-file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, "error.graph-json.invalid", row=exc.lineno,
                         reason=exc.msg) from None
    except RecursionError:
        raise InputError(path, "error.graph-json.too-deep",
                         fix="error.exports.export-again-unedited") from None


def camelize(obj: Any) -> Any:
    """PascalCase keys (PowerShell ``ConvertTo-Json``) to Graph's camelCase, recursively."""
    if isinstance(obj, dict):
        return {(k[:1].lower() + k[1:] if isinstance(k, str) else k): camelize(v)
                for k, v in obj.items()}
    if isinstance(obj, list):
        return [camelize(v) for v in obj]
    return obj


def records_from(doc: Any, path: Path, marker: str) -> list[dict]:
    """The records of a Graph response, a list of pages or a bare list; ``marker`` is a key
    every record must have (``userPrincipalName`` or ``skuId``)."""
    pascal = marker[:1].upper() + marker[1:]
    if isinstance(doc, dict):
        if isinstance(doc.get("value"), list):
            items = doc["value"]
        elif isinstance(doc.get("Value"), list):
            items = doc["Value"]
        elif marker in doc or pascal in doc:
            items = [doc]
        else:
            items = None
    elif isinstance(doc, list):
        if doc and all(isinstance(p, dict) and isinstance(p.get("value", p.get("Value")), list)
                       for p in doc):
            items = [r for p in doc for r in p.get("value", p.get("Value"))]
        else:
            items = doc
    else:
        items = None
    if items is None or not all(isinstance(r, dict) for r in items):
        raise InputError(path, "error.graph-json.no-value-array", marker=marker,
                         fix=HOW_TO if marker == "userPrincipalName" else
                         "error.graph-json.save-subscribed-skus")
    if items and marker not in items[0] and pascal in items[0]:
        try:
            items = camelize(items)
        except RecursionError:
            raise InputError(path, "error.graph-json.too-deep",
                             fix="error.exports.export-again-unedited") from None
    return items


def load_users(path: Path) -> list[dict]:
    """Every user record of a file or a folder of page files, in page order."""
    files = json_pages(path) if path.is_dir() else [path]
    users: list[dict] = []
    for f in files:
        users.extend(records_from(load_json(f), f, "userPrincipalName"))
    return users


def _bad_sku(value: Any, path: Path, where: str) -> InputError:
    return InputError(path, "error.graph-json.license-without-sku", column=where, value=value,
                      fix="error.exports.depth.fix" if isinstance(value, str | type(None))
                      else HOW_TO)


class _Merger:
    """Per-user merge of assignedLicenses and licenseAssignmentStates into license rows.

    Called once per user (JSON gives no vectorized form), so it only appends raw values;
    cleaning and joining user columns happen afterwards, vectorized.
    """

    def __init__(self, path: Path, resolver: TokenResolver) -> None:
        self.path = path
        self.resolver = resolver
        self.sku_norm: dict[str, str] = {}
        self.plan_cache: dict[tuple, tuple[str, ...]] = {}
        # one entry per license row
        self.user: list[int] = []
        self.sku: list[str] = []
        self.direct: list[bool] = []
        self.groups: list[tuple[str, ...]] = []
        self.disabled: list[tuple[str, ...]] = []
        self.state: list[str] = []
        self.error: list[str] = []

    def norm(self, raw: Any, pos: int, where: str) -> str:
        hit = self.sku_norm.get(raw) if isinstance(raw, str) else None
        if hit is None:
            if not isinstance(raw, str) or not raw.strip():
                raise _bad_sku(raw, self.path, f"value[{pos}].{where}.skuId")
            hit = raw.strip().strip("{}").lower()
            self.sku_norm[raw] = hit
        return hit

    def _bad_plans(self, raw: Any, pos: int) -> InputError:
        return InputError(self.path, "error.graph-json.disabled-plans-not-list",
                          column=f"value[{pos}].disabledPlans", value=raw,
                          fix="error.exports.depth.fix")

    def plans(self, raw: Any, pos: int) -> tuple[str, ...]:
        if not raw:
            return ()
        if not isinstance(raw, list):
            raise self._bad_plans(raw, pos)
        key = tuple(raw)
        try:
            hit = self.plan_cache.get(key)
        except TypeError:  # objects inside: unhashable
            hit = None
        if hit is None:  # each distinct list is checked once, then cached
            if not all(isinstance(p, str) for p in raw):
                raise self._bad_plans(raw, pos)
            hit = tuple(sorted({self.resolver.plan_name(str(p)) for p in raw}))
            self.plan_cache[key] = hit
        return hit

    def add(self, pos: int, assigned: Any, states: Any) -> None:
        """Append the rows of user ``pos`` (an empty row when it holds nothing)."""
        if not isinstance(assigned, list) or not isinstance(states, list | type(None)):
            raise InputError(self.path, "error.graph-json.licenses-not-list",
                             column=f"value[{pos}].assignedLicenses", value=assigned,
                             fix="error.exports.depth.fix")
        if not states:  # fast path: no assignment paths exported, or none
            for a in assigned:
                if not isinstance(a, dict):
                    raise InputError(self.path, "error.graph-json.license-not-object",
                                     column=f"value[{pos}].assignedLicenses", value=a,
                                     fix="error.exports.depth.fix")
                self._row(pos, self.norm(a.get("skuId"), pos, "assignedLicenses"), True, (),
                          self.plans(a.get("disabledPlans"), pos), "Active", "")
            if not assigned:
                self._row(pos, "", True, (), (), "", "")
            return
        # sku -> [direct, groups, disabled, state, error]
        skus: dict[str, list] = {}
        for a in assigned:
            if not isinstance(a, dict):
                raise InputError(self.path, "error.graph-json.license-not-object",
                                 column=f"value[{pos}].assignedLicenses", value=a,
                                 fix="error.exports.depth.fix")
            sid = self.norm(a.get("skuId"), pos, "assignedLicenses")
            skus[sid] = [False, [], self.plans(a.get("disabledPlans"), pos), "", ""]
        for st in states:
            if not isinstance(st, dict):
                raise InputError(self.path, "error.graph-json.state-not-object",
                                 column=f"value[{pos}].licenseAssignmentStates", value=st,
                                 fix="error.exports.depth.fix")
            sid = self.norm(st.get("skuId"), pos, "licenseAssignmentStates")
            e = skus.get(sid)
            if e is None:  # in an error state only: not held, but the admin must see it
                e = skus[sid] = [False, [], self.plans(st.get("disabledPlans"), pos), "", ""]
            group, state, error = st.get("assignedByGroup"), st.get("state"), st.get("error")
            if not (type(state) is str and state in STATE_RANK  # the usual case, checked fast
                    and (group is None or type(group) is str)
                    and (error is None or type(error) is str)):
                group, state, error = self._state_fields(st, pos)
            elif error in _NO_ERROR:
                error = ""
            if group:
                e[1].append(group.strip().lower())
            else:
                e[0] = True
            if STATE_RANK.get(state, 0) > STATE_RANK.get(e[3], -1):
                e[3], e[4] = state, error or e[4]
            elif not e[4]:
                e[4] = error
        for sid, (direct, groups, disabled, state, error) in skus.items():
            self._row(pos, sid, direct or not groups, tuple(sorted(set(groups))), disabled,
                      state or "Active", error)

    def _state_fields(self, st: dict, pos: int) -> tuple[str, str, str]:
        """assignedByGroup, state and error of one assignment path, each checked for type:
        a list or number there is a damaged export, and a state the playbook does not know
        cannot be ranked (read as Active, it would hide an error)."""
        out = []
        for key in ("assignedByGroup", "state", "error"):
            value = st.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(self.path, "error.exports.not-text",
                                 column=f"value[{pos}].licenseAssignmentStates.{key}",
                                 value=value, fix="error.exports.depth.fix", key=key)
            out.append(value or "")
        group, state, error = out
        if state and state not in STATE_RANK:
            raise InputError(self.path, "error.graph-json.unknown-state",
                             column=f"value[{pos}].licenseAssignmentStates.state", value=state,
                             states=list(STATE_RANK))
        return group, state or "Active", "" if error in _NO_ERROR else error

    def _row(self, pos: int, sku: str, direct: bool, groups: tuple, disabled: tuple,
             state: str, error: str) -> None:
        self.user.append(pos)
        self.sku.append(sku)
        self.direct.append(direct)
        self.groups.append(groups)
        self.disabled.append(disabled)
        self.state.append(state)
        self.error.append(error)


def read_graph_json(path: str | Path, catalog: Catalog) -> UsersRead:
    """Read Graph users JSON into the license table (one row per user and SKU)."""
    path = Path(path)
    users = load_users(path)
    if not users:
        raise InputError(path, "error.graph-json.no-users", how=Said(HOW_TO))
    if not any("assignedLicenses" in u for u in users):
        raise InputError(path, "error.graph-json.no-assigned-licenses",
                         column="assignedLicenses", fix=HOW_TO)
    resolver = TokenResolver(catalog)
    merger = _Merger(path, resolver)
    add = merger.add
    has_states = False
    for pos, u in enumerate(users):
        states = u.get("licenseAssignmentStates")
        has_states = has_states or states is not None
        add(pos, u.get("assignedLicenses") or [], states)

    frame = _user_frame(users, path)
    upn = frame["upn"]
    warnings: list[Said] = []
    keep_user = np.ones(len(frame), dtype=bool)
    if upn.duplicated().any():
        keep_user = _check_repeats(frame, merger, path)
        warnings.append(Said("warning.users.repeated-records", {"n": int((~keep_user).sum())}))

    row_user = np.asarray(merger.user, dtype=np.int64)
    keep_row = keep_user[row_user]
    sku = pd.Series(merger.sku, dtype=object)
    codes, uniques = pd.factorize(sku, sort=False)
    parts, ids, unknown = [], [], {}
    for sid in uniques:
        hit = resolver.sku(sid) if sid else None
        parts.append(hit.part_number if hit else "")
        ids.append(hit.sku_id.lower() if hit else sid)
    parts_arr = np.asarray(parts, dtype=object)[codes]
    ids_arr = np.asarray(ids, dtype=object)[codes]
    table = frame.iloc[row_user].reset_index(drop=True)
    table["sku_part_number"] = parts_arr
    table["sku_id"] = ids_arr
    table["product_name"] = sku.to_numpy()
    table["assigned_directly"] = merger.direct
    table["group_ids"] = pd.Series(merger.groups, dtype=object)
    table["disabled_plans"] = pd.Series(merger.disabled, dtype=object)
    table["state"] = merger.state
    table["error"] = merger.error
    table = normalize_license_table(table[keep_row])

    unknown_mask = (table["sku_part_number"] == "") & (table["product_name"] != "")
    unknown = table.loc[unknown_mask, "product_name"].value_counts().to_dict()
    if not has_states:
        warnings.append(Said("warning.users.no-assignment-states", {"fix": Said(HOW_TO)}))
    warnings += unknown_warnings({str(k): int(v) for k, v in unknown.items()})
    return UsersRead(table, "graph-json", tuple(warnings), tuple(sorted(map(str, unknown))),
                     **carried("graph-json"))


_TEXT_KEYS = {"upn": "userPrincipalName", "user_id": "id", "display_name": "displayName",
              "department": "department", "usage_location": "usageLocation"}
"""License-table column -> the Graph key it is read from (each text or null)."""


def _first_wrong_type(values: pd.Series, ok: tuple[type, ...]) -> int | None:
    """Position of the first value whose type is not one of ``ok`` (types are few: one
    ``map(type)`` and a lookup per distinct type)."""
    kinds = values.map(type)
    bad = ~kinds.isin(ok)
    return int(np.flatnonzero(bad.to_numpy())[0]) if bad.any() else None


def _user_frame(users: list[dict], path: Path) -> pd.DataFrame:
    """User-level columns from the raw records, type-checked then cleaned column-wise.

    ``accountEnabled`` must be true, false or absent: ``"false"`` or ``0`` is a damaged or
    hand-made export, and reading it as enabled would hide a blocked user.
    """
    def col(key: str) -> pd.Series:
        return pd.Series([u.get(key) for u in users], dtype=object)

    raw = {name: col(key) for name, key in _TEXT_KEYS.items()}
    enabled = col("accountEnabled")
    checks = [(name, _TEXT_KEYS[name], raw[name],
               (str,) if name == "upn" else (str, type(None))) for name in _TEXT_KEYS]
    checks.append(("account_enabled", "accountEnabled", enabled, (bool, type(None))))
    for _name, key, values, ok in checks:
        i = _first_wrong_type(values, ok)
        if i is not None:
            _refuse_type(users[i], key, values.iat[i], f"value[{i}].{key}", str in ok, path)
    frame = pd.DataFrame({
        "upn": map_each(raw["upn"], lambda v: v.strip().lower()),
        "user_id": map_each(raw["user_id"].fillna(""), lambda v: v.strip("{} ").lower()),
        "display_name": raw["display_name"].fillna(""),
        "department": raw["department"].fillna(""),
        "usage_location": map_unique(raw["usage_location"].fillna(""),
                                     lambda s: s.str.strip().str.upper()),
        "account_enabled": enabled.ne(False).to_numpy(dtype=bool),
    })
    check_user_fields(frame, path, lambda i, f: (None, f"value[{i}].{_TEXT_KEYS[f]}"), HOW_TO,
                      raw)
    return frame


def _refuse_type(user: dict, key: str, value: Any, where: str, text: bool, path: Path) -> NoReturn:
    """Refuse a user field of the wrong type, naming the user when its UPN is there."""
    if key == "userPrincipalName" and value is None:
        raise InputError(path, "error.graph-json.no-upn", column=where, value=value, fix=HOW_TO)
    upn = user.get("userPrincipalName")
    if isinstance(upn, str) and upn:
        raise InputError(path, "error.exports.of-user", column=where, value=value, fix=HOW_TO,
                         upn=upn, problem=Said("error.exports.not-text" if text else
                                               "error.graph-json.not-true-false", {"key": key}))
    if text:
        raise InputError(path, "error.exports.not-text", column=where, value=value, fix=HOW_TO,
                         key=key)
    raise InputError(path, "error.graph-json.not-true-false", column=where, value=value,
                     fix=HOW_TO, key=key)


def _check_repeats(frame: pd.DataFrame, merger: _Merger, path: Path) -> np.ndarray:
    """Which user records to keep: identical repeats are dropped, conflicting ones refused."""
    keep = np.ones(len(frame), dtype=bool)
    rows_of: dict[int, list[int]] = {}
    dup_users = set(np.flatnonzero(frame["upn"].duplicated(keep=False).to_numpy()).tolist())
    for r, u in enumerate(merger.user):
        if u in dup_users:
            rows_of.setdefault(u, []).append(r)
    first: dict[str, tuple[int, tuple]] = {}
    fields = frame.to_numpy(dtype=object)
    for u in sorted(dup_users):
        sig = (tuple(fields[u]), tuple(
            (merger.sku[r], merger.direct[r], merger.groups[r], merger.disabled[r],
             merger.state[r], merger.error[r]) for r in rows_of.get(u, [])))
        upn = frame["upn"].iat[u]
        prev = first.get(upn)
        if prev is None:
            first[upn] = (u, sig)
        elif prev[1] != sig:
            raise InputError(path, "error.graph-json.user-twice", column="userPrincipalName",
                             value=upn, upn=upn, first=prev[0], second=u)
        else:
            keep[u] = False
    return keep
