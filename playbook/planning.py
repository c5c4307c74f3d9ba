"""The reassignment plan: one row per action, batched, deterministic.

Public API (the CLI, notebooks and :mod:`playbook.verification` call these):

- ``build_plan(tenant, **overrides) -> Plan``: thin wrapper over a loaded tenant; ``overrides``
  are :class:`~playbook.tenant.TenantConfig` fields (``exclude_users``, ``max_users``,
  ``only_departments``, ``only_users``, ``default_usage_location``, ``reclaim_blocked``,
  ``batch_size``...) for the notebook widgets. It hashes the users export (the only I/O).
- ``build_plan_from_tables(config, licenses, subscriptions, catalog, *, users_file_name="",
  users_sha256="", users_format="") -> Plan``: the pure rules (no I/O). An admin-center or
  MSOnline export cannot carry disabled apps: the plan then has a plan-level
  ``disabled-plans-unknown`` decision (``action_id`` "").
- ``load_plan``, ``plan_from_json``: moved to :mod:`playbook.plan.store` (plan.json + plan.csv).
- ``remaining_plan(plan, keep_action_ids, *, seats_available=None) -> Plan``: the plan cut down
  to some action ids and batched again (verification's next round; write it with
  :func:`playbook.artifacts.write_artifacts`).
- ``rollback_actions(plan) -> DataFrame``: the exact inverse of the executed rows (same columns).
- ``assign_batches(table, batch_size) -> DataFrame``: the batching rule on its own.

Kinds (``kind``), and who gets which:

=====================  =========================================================================
user-swap              E4 held directly: ONE call adds the target and removes E4 (also for users
                       who hold E4 both directly and through a group: they are counted once)
group-swap             a group that assigns E4: ONE group call adds the target and removes E4
set-usage-location     the user has no usage location and ``default_usage_location`` is set:
                       set it in the same batch, right before the user's swap
reclaim                blocked account holding E4 only directly, and ``reclaim_blocked: true``:
                       E4 is removed WITHOUT adding the target. The one removal without an add,
                       and it is opt-in. Without the opt-in such users are swapped (no data lost)
                       and listed as ``reclaim-candidate`` decisions
fix-usage-location     no usage location and no default: the admin sets it; the user's swap is
                       held back (batch 0) until the next plan
group-member           E4 only through planned group(s): moved by the group-swap row named in
                       ``group_id``; never a per-user call (Entra refuses to remove inherited
                       licenses from a user). Not executed itself (batch 0)
skip                   not moved, with ``reason_code``: ``excluded``, ``outside-only-users``,
                       ``outside-only-departments``, ``beyond-max-users``, ``group-held-back``,
                       ``inherited-from-unknown-group``, ``already-on-target``. Group rows can
                       be skips too (``upn`` "", ``group_id`` set)
=====================  =========================================================================

Every user who holds E4 has exactly one row whose kind is in ``USER_DECISION_KINDS``
(set-usage-location is a preparation step that rides along with a user-swap). Users who hold
only the target are listed once as ``skip``/``already-on-target``. E4 in an error state is still
swapped: the remove clears the broken assignment (``reason_code`` ``e4-error-state``). A user who
already holds the target directly keeps its target settings unchanged (the add is a no-op) and
loses E4; if E4 enabled a service the existing target assignment disables, that is a
``target-disables-e4-service`` decision. Group-only users without usage location need no fix:
group licensing uses the directory's location.

A group is switched only when every user who inherits E4 from it is inside the plan's limits
(not excluded, inside only_users/only_departments, within max_users); otherwise the group is a
skip row, its members too, and a ``group-held-back`` decision says who blocks it.

Batches: executed rows (``EXECUTED_KINDS``) get batch 1..n, every other row batch 0. A batch holds
at most ``batch_size`` (<= 20) users or groups, and at most 20 Graph requests. Order: plain user
swaps, then users who need a usage location (a batch of them holds at most 10 users, because each
is 2 requests and such a Graph ``$batch`` must be fully sequential), then reclaims, then group
swaps. Inside each, users are grouped by identical admin-center settings (licenses kept,
target apps turned off, usage location to set), so one "Manage product licenses > Replace" pass
fits the whole batch; then sorted by upn / group id. Action ids are numbered per prefix in table
order: ``U`` user-swap, ``G`` group-swap, ``F`` fix-first (set-usage-location, reclaim,
fix-usage-location), ``M`` group-member, ``S`` skip; at least 5 digits (``U00001``).

Plan table columns (a pandas DataFrame; tuples hold sorted values):

=======================  ======  ===============================================================
action_id                str     stable id (see above); rollback rows are ``R`` + the id
kind                     str     see the kinds above
batch                    int     1-based batch number; 0 for rows that are not executed
upn                      str     lower-cased; "" for group rows
user_id                  str     object id where known
group_id                 str     group object id for ``group-swap``/group skips; the covering
                                 planned group for ``group-member``; "" otherwise
display_name             str
department               str
usage_location           str     the user's usage location before the plan ("" = unset)
new_usage_location       str     for ``set-usage-location``: the value to set ("" in a rollback
                                 row = clear it again)
add_sku_id               str     target skuId added in the same call ("" when nothing is added)
add_sku_part_number      str
remove_sku_id            str     E4 skuId removed in the same call ("" when nothing is removed)
remove_sku_part_number   str
disabled_plans_before    object  tuple of E4 service-plan names disabled for the user/group
disabled_plan_ids_before object  tuple of their ids (for the rollback)
disabled_plans_after     object  tuple of target service-plan names to disable on the target
                                 (group-member rows: what their covering group disables)
disabled_plan_ids_after  object  tuple of the target's service-plan ids (same order as names)
unmapped_plans           object  tuple of disabled E4 plans with no match in the target: a
                                 decision for the admin, never silently dropped or enabled
before_skus              object  tuple of part numbers the user holds before (group rows: E4,
                                 plus the target when the group already assigns it)
after_skus               object  tuple of part numbers the user should hold after ALL executed
                                 rows of this plan (group-inherited ones included)
keep_direct_skus         object  tuple of the user's other directly assigned licenses (display
                                 name, `` (apps off: A, B)`` when some of their apps are off):
                                 what an admin-center "Replace" must keep switched on
target_before            str     how the user/group held the target before: "" | direct |
                                 group | direct+group (group rows: "" | group)
members                  int     group rows: users who inherit E4 from the group; else 0
new_seats                int     target licenses this row consumes that were not consumed
                                 before (sum over executed rows = ``seats_needed``)
reason_code              str     machine-readable why: the skip / fix-first reason, or the
                                 notes on a moved user/group, ``;``-joined (first = main)
reason                   str     the same in words
=======================  ======  ===============================================================

Seats: ``seats_needed`` counts each user once (direct + group = one license, as Microsoft
counts). ``seats_available`` = ``enabled - consumed`` of the target in the subscriptions export
(0 when the tenant has not bought it); ``None`` when there is no subscriptions export: then the
plan is not refused, but says seat availability is unverified. When ``seats_needed`` exceeds
it, the plan is ``refused`` with ``shortfall`` = the missing licenses and no artifacts are
written until licenses are bought or the plan is limited (max_users, only_departments,
only_users).

``<out>/plan/plan.json`` (``Plan.to_dict()``)::

    {"tenant": str,
     "created": null,        # never wall-clock time: artifacts must be byte-identical
     "plan_id": str,         # sha256 (16 hex) of source, target and actions
     "source": {"sku_id", "sku_part_number", "display_name"},
     "target": {"sku_id", "sku_part_number", "display_name"},
     "users_file": {"name": str, "sha256": str, "format": str},  # the export planned from
     "batch_size": int,
     "limits": {"exclude_users", "only_users", "only_departments", "max_users",
                "default_usage_location", "reclaim_blocked"},
     "refused": bool, "shortfall": int|null, "seats_needed": int,
     "seats_available": int|null, "seats_verified": bool,
     "summary": {"actions": {kind: count}, "batches", "e4_users", "users_moved",
                 "group_swaps", "group_members", "group_covered_users", "held_back",
                 "seats_needed",
                 "seats_needed_later", "seats_available", "shortfall", "skips": {reason: n},
                 "decisions": {code: n}},
     "decisions": [{"code", "action_id", "upn", "group_id", "plans": [...], "why"}],
     "notes": [str],
     "actions_file": "plan.csv",  # the actions live there, and only there
     "action_count": int}         # its rows: load_plan refuses a plan.csv that disagrees

The actions (the plan table) are written once, to ``plan.csv`` beside it, which the
PowerShell script runs: one list of actions, so the record and the script cannot disagree.
:func:`load_plan` reads both and checks that ``plan.csv`` still gives the ``plan_id``.
(A plan.json written before this layout holds an ``"actions"`` list instead: it is refused.)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from playbook.catalog import Catalog, Sku, is_guid, normalize_key, plan_family
from playbook.counting import resolve_sku, subscription_units
from playbook.errors import InputError

KINDS: tuple[str, ...] = (
    "user-swap", "group-swap", "set-usage-location", "reclaim", "fix-usage-location",
    "group-member", "skip",
)
EXECUTED_KINDS: tuple[str, ...] = ("set-usage-location", "user-swap", "reclaim", "group-swap")
"""Kinds that make a call (batch >= 1)."""
USER_DECISION_KINDS: tuple[str, ...] = (
    "user-swap", "reclaim", "fix-usage-location", "group-member", "skip",
)
"""Every E4 user has exactly one row of these kinds."""

PLAN_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "batch", "upn", "user_id", "group_id", "display_name", "department",
    "usage_location", "new_usage_location", "add_sku_id", "add_sku_part_number",
    "remove_sku_id", "remove_sku_part_number", "disabled_plans_before",
    "disabled_plan_ids_before", "disabled_plans_after", "disabled_plan_ids_after",
    "unmapped_plans", "before_skus", "after_skus", "keep_direct_skus", "target_before",
    "members", "new_seats", "reason_code", "reason",
)
TUPLE_COLUMNS: tuple[str, ...] = (
    "disabled_plans_before", "disabled_plan_ids_before", "disabled_plans_after",
    "disabled_plan_ids_after", "unmapped_plans", "before_skus", "after_skus",
    "keep_direct_skus",
)
INT_COLUMNS: tuple[str, ...] = ("batch", "members", "new_seats")
ACTIONS_FILE = "plan.csv"
"""Where a written plan keeps its actions (``plan.json`` names it)."""
STR_COLUMNS: tuple[str, ...] = tuple(
    c for c in PLAN_COLUMNS if c not in TUPLE_COLUMNS and c not in INT_COLUMNS
)

FORMATS_WITHOUT_DISABLED_PLANS = frozenset({"admin-center", "admin-center-legacy", "msonline"})
"""Users exports that cannot say which service plans are off (see playbook.exports)."""

GRAPH_BATCH_LIMIT = 20
"""Requests per Graph ``$batch`` and users per admin-center pass."""

_PREFIX = {
    "user-swap": "U", "group-swap": "G", "set-usage-location": "F", "reclaim": "F",
    "fix-usage-location": "F", "group-member": "M", "skip": "S",
}
_SKIP_TEXT = {
    "excluded": "listed in exclude_users",
    "outside-only-users": "not in only_users",
    "outside-only-departments": "department not in only_departments",
    "beyond-max-users": "beyond max_users",
    "group-held-back": "inherits E4 only from group(s) held back",
    "inherited-from-unknown-group": "inherits E4 from a group the export does not name",
    "already-on-target": "already on the target and holds no E4",
}


# ---------------------------------------------------------------------------------------------
# the result object


@dataclass(frozen=True, eq=False)
class Plan:
    """A reassignment plan: the action table plus seats, decisions and identity.

    Plain data: the table follows the module docstring, the rest is JSON-ready.
    """

    tenant: str
    source: dict[str, str]
    target: dict[str, str]
    table: pd.DataFrame
    batch_size: int
    seats_needed: int
    seats_available: int | None
    shortfall: int | None
    refused: bool
    decisions: tuple[dict[str, Any], ...]
    summary: dict[str, Any]
    limits: dict[str, Any] = field(default_factory=dict)
    users_file: dict[str, str] = field(default_factory=dict)
    plan_id: str = ""
    notes: tuple[str, ...] = ()

    @property
    def batches(self) -> int:
        """Number of executed batches."""
        return int(self.table["batch"].max()) if len(self.table) else 0

    @property
    def seats_verified(self) -> bool:
        return self.seats_available is not None

    def to_dict(self) -> dict[str, Any]:
        """The ``plan.json`` content (see the module docstring)."""
        return {
            "tenant": self.tenant,
            "created": None,
            "plan_id": self.plan_id,
            "source": dict(self.source),
            "target": dict(self.target),
            "users_file": dict(self.users_file),
            "batch_size": self.batch_size,
            "limits": dict(self.limits),
            "refused": self.refused,
            "shortfall": self.shortfall,
            "seats_needed": self.seats_needed,
            "seats_available": self.seats_available,
            "seats_verified": self.seats_verified,
            "summary": self.summary,
            "decisions": [dict(d) for d in self.decisions],
            "notes": list(self.notes),
            "actions_file": ACTIONS_FILE,
            "action_count": len(self.table),
        }

    def to_text(self) -> str:
        """A terminal summary: actions by kind, batches, seats, decisions left to the admin."""
        s = self.summary
        src = f"{self.source['display_name']} ({self.source['sku_part_number']})"
        tgt = f"{self.target['display_name']} ({self.target['sku_part_number']})"
        lines = [f"Reassignment plan for {self.tenant}: {src} -> {tgt}",
                 f"Users holding E4: {s['e4_users']}; moved by this plan: {s['users_moved']}"]
        lines.append("Actions:")
        for kind in KINDS:
            n = s["actions"].get(kind, 0)
            if n:
                extra = ""
                if kind == "group-swap":
                    extra = f"  (covering {s['group_covered_users']} users)"
                lines.append(f"  {kind:<20}{n:>8}{extra}")
        if s["skips"]:
            lines.append("Skipped: " + ", ".join(f"{k} {v}" for k, v in s["skips"].items()))
        lines.append(f"Batches: {s['batches']} (at most {self.batch_size} users each)")
        if self.seats_available is None:
            lines.append(f"Seats: {self.seats_needed} needed; availability UNVERIFIED (no "
                         "subscriptions export): check Billing > Your products before running")
        elif self.refused:
            lines.append(
                f"Seats: {self.seats_needed} needed, {self.seats_available} available: "
                f"REFUSED, {self.shortfall} missing. Buy {self.shortfall} more "
                f"{self.target['display_name']} licenses, or limit the plan (max_users: "
                f"{self.seats_available}, only_departments, only_users). No artifacts written."
            )
        else:
            lines.append(f"Seats: {self.seats_needed} needed, {self.seats_available} available")
        if s["held_back"]:
            lines.append(f"Held back until usage location is set: {s['held_back']} users "
                         f"({s['seats_needed_later']} more seats later)")
        if self.decisions:
            lines.append(f"Decisions left to you: {len(self.decisions)}")
            by_code: dict[str, list[dict[str, Any]]] = {}
            for d in self.decisions:
                by_code.setdefault(d["code"], []).append(d)
            for code, items in by_code.items():
                who = ", ".join(d["upn"] or d["group_id"] for d in items[:3])
                more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
                lines.append(f"  {code} ({len(items)}): {who}{more}")
                lines.append(f"    {items[0]['why']}")
        else:
            lines.append("Decisions left to you: none")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# entry points


def build_plan(tenant: Any, **overrides: Any) -> Plan:
    """Plan a loaded :class:`~playbook.tenant.Tenant`; ``overrides`` change config fields."""
    config = tenant.config.with_overrides(**overrides) if overrides else tenant.config
    users_file = Path(tenant.users_file)
    return build_plan_from_tables(
        config, tenant.licenses, tenant.subscriptions, tenant.catalog,
        users_file_name=users_file.name, users_sha256=file_sha256(users_file),
        users_format=str(getattr(tenant, "users_format", "") or ""),
    )


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


def build_plan_from_tables(
    config: Any,
    licenses: pd.DataFrame,
    subscriptions: pd.DataFrame | None,
    catalog: Catalog,
    *,
    users_file_name: str = "",
    users_sha256: str = "",
    users_format: str = "",
) -> Plan:
    """The plan from plain data: license table, subscription table, catalog and config.

    ``users_format`` (a :mod:`playbook.exports` format name) only matters for formats that
    cannot carry disabled service plans: the plan then says so, as a decision.
    """
    source = resolve_sku(catalog, config.source, "source")
    target = resolve_sku(catalog, config.target, "target")
    if normalize_key(source.part_number) == normalize_key(target.part_number):
        raise InputError("tenant.yaml", "target is the plan being retired", column="target",
                         value=config.target, fix="choose one of the E3/E5 plans")
    for sku, key in ((source, "source"), (target, "target")):
        if not is_guid(sku.sku_id):
            raise InputError("tenant.yaml", f"the catalog has no skuId for the {key} plan",
                             column=key, value=sku.part_number,
                             fix="add the subscriptions export or sku_reference")
    lic = _checked_licenses(licenses, users_file_name or "license table")
    parts, seats_later = _plan_rows(config, lic, catalog, source, target)
    table = _number_actions(_batched(parts, config.batch_size))

    seats_needed = int(table.loc[table["batch"] > 0, "new_seats"].sum())
    available = None
    if subscriptions is not None:
        available = int(subscription_units(subscriptions, target)["available"])
    shortfall = None if available is None else max(0, seats_needed - available)
    notes: list[str] = []
    if available is None:
        notes.append("no subscriptions export: seat availability is unverified")
    if not target.service_plans:
        notes.append(f"the catalog does not list {target.part_number}'s service plans: "
                     "disabled plans cannot be carried over (see decisions)")
    plan_level: list[dict[str, Any]] = []
    if users_format in FORMATS_WITHOUT_DISABLED_PLANS:
        plan_level.append({
            "code": "disabled-plans-unknown", "action_id": "", "upn": "", "group_id": "",
            "plans": [],
            "why": f"the {users_format} export does not say which apps (service plans) are "
                   "turned off for each user, so none can be carried over: every app of the "
                   "target will be on. To keep them, export users with Microsoft Graph "
                   "(assignedLicenses/licenseAssignmentStates) and plan again"})
        notes.append(f"{users_format} export: per-user disabled apps are unknown")
    limits = {
        "exclude_users": list(config.exclude_users),
        "only_users": list(config.only_users),
        "only_departments": list(config.only_departments),
        "max_users": config.max_users,
        "default_usage_location": config.default_usage_location,
        "reclaim_blocked": bool(config.reclaim_blocked),
    }
    return _finish(
        tenant=config.name, source=_sku_info(source), target=_sku_info(target), table=table,
        batch_size=config.batch_size, seats_available=available, limits=limits,
        users_file={"name": users_file_name, "sha256": users_sha256, "format": users_format},
        notes=tuple(notes), seats_later=seats_later, shortfall=shortfall,
        plan_level=tuple(plan_level),
    )


def _finish(*, tenant: str, source: dict[str, str], target: dict[str, str],
            table: pd.DataFrame, batch_size: int, seats_available: int | None,
            limits: dict[str, Any], users_file: dict[str, str], notes: tuple[str, ...],
            seats_later: int, shortfall: int | None,
            plan_level: tuple[dict[str, Any], ...] = ()) -> Plan:
    """Decisions, summary and identity for a finished table."""
    seats_needed = int(table.loc[table["batch"] > 0, "new_seats"].sum())
    if seats_available is not None:
        shortfall = max(0, seats_needed - seats_available)
    decisions = plan_level + tuple(_decisions(table, limits, target))
    summary = _summary(table, decisions, seats_needed, seats_available, shortfall, seats_later)
    plan_id = _plan_id(source, target, table)
    return Plan(
        tenant=tenant, source=source, target=target, table=table, batch_size=batch_size,
        seats_needed=seats_needed, seats_available=seats_available, shortfall=shortfall,
        refused=bool(shortfall), decisions=decisions, summary=summary, limits=limits,
        users_file=users_file, plan_id=plan_id, notes=notes,
    )


def _sku_info(sku: Sku) -> dict[str, str]:
    return {"sku_id": sku.sku_id.lower(), "sku_part_number": sku.part_number,
            "display_name": sku.display_name or sku.part_number}


# ---------------------------------------------------------------------------------------------
# input checks


def _checked_licenses(licenses: pd.DataFrame, where: str) -> pd.DataFrame:
    """The columns the rules read, with tuples and lower-cased ids (bad input = InputError)."""
    from playbook.table import LICENSE_COLUMNS

    missing = [c for c in LICENSE_COLUMNS if c not in licenses.columns]
    if missing:
        raise InputError(where, "not a license table", column=missing[0],
                         fix="read the export with playbook.exports.read_users")
    lic = licenses.reset_index(drop=True)
    lic = lic.assign(
        upn=_lowered(lic["upn"]),
        user_id=_lowered(lic["user_id"]),
        group_ids=_tuples(lic["group_ids"], lower=True),
        disabled_plans=_tuples(lic["disabled_plans"]),
    )
    return lic


def _lowered(col: pd.Series) -> pd.Series:
    """``col.fillna("").astype(str).str.strip().str.lower()`` (the same texts, held as an
    object column) in one Python pass when the column holds text: pandas' string methods
    cost three passes and a mask each."""
    if isinstance(col.dtype, pd.StringDtype) or col.dtype == object:
        values = col.to_numpy(dtype=object)
        out = np.empty(len(values), dtype=object)
        out[:] = [v.strip().lower() if v.__class__ is str else
                  "" if v is None or (isinstance(v, float) and v != v) else None
                  for v in values]
        if not (out == None).any():  # noqa: E711 - elementwise: a cell that is not text
            return pd.Series(out, index=col.index, dtype=object, copy=False)
    return col.fillna("").astype(str).str.strip().str.lower()


def _tuples(col: pd.Series, *, lower: bool = False) -> pd.Series:
    """Tuple column with sorted, de-duplicated text values (NaN/None -> ()).

    Each distinct cell is fixed once and spread back by its code: a 300k-user table holds a
    few dozen distinct tuples, so no Python runs per row.
    """
    cache: dict[Any, tuple[str, ...]] = {}

    def fix(v: Any) -> tuple[str, ...]:
        if not isinstance(v, tuple | list | set | frozenset):
            return ()
        key = tuple(v)
        if key not in cache:
            vals = (str(x).strip() for x in key)
            cache[key] = tuple(sorted({x.lower() if lower else x for x in vals if x}))
        return cache[key]

    try:  # an ndarray, so tuples stay tuples
        codes, uniques = _factorize(col.to_numpy(dtype=object))
    except TypeError:  # unhashable cells (lists in a hand-built table): one by one
        return col.map(fix).astype(object)
    fixed = np.empty(len(uniques) + 1, dtype=object)
    for i, v in enumerate(uniques):
        fixed[i] = fix(v)
    fixed[-1] = ()  # code -1: a missing cell
    return pd.Series(fixed[codes], index=col.index, dtype=object)


def _one_row_per_user(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per upn for one SKU (the table contract says so; merge defensively if not)."""
    dup = rows["_user"].duplicated(keep=False)  # the upn's code: same test, no string hashing
    if not dup.any():
        return rows.reset_index(drop=True)
    merged = rows[dup].groupby("upn", sort=False).agg(
        assigned_directly=("assigned_directly", "any"),
        group_ids=("group_ids", lambda s: tuple(sorted({g for t in s for g in t}))),
    )
    first = rows[dup].drop_duplicates("upn").set_index("upn")
    first["assigned_directly"] = merged["assigned_directly"]
    first["group_ids"] = merged["group_ids"]
    return pd.concat([rows[~dup], first.reset_index()], ignore_index=True)


def _pool(items: Iterable[Any]) -> np.ndarray:
    """An object array of ``items``: tuples stay single cells (never a second dimension), so
    ``pool[codes]`` spreads per-distinct results back to every row."""
    values = list(items)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _tuples_only(values: np.ndarray) -> np.ndarray:
    """``values`` with every cell that is not a tuple replaced by ()."""
    bad = np.fromiter((not isinstance(v, tuple) for v in values), dtype=bool,
                      count=len(values))
    if bad.any():
        values = values.copy()
        values[bad] = _fill(int(bad.sum()), ())
    return values


def _upper(texts: np.ndarray) -> np.ndarray:
    """``str.upper`` of each text, worked out once per distinct cell object."""
    codes, cells = _by_object(texts)
    return _pool(v.upper() for v in cells)[codes]


def _fill(n: int, value: Any) -> np.ndarray:
    """``n`` cells holding ``value`` (a tuple stays one cell)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out


def _fix_missing(values: np.ndarray, empty: Any) -> np.ndarray:
    """Missing cells (as ``_normalized`` sees them) replaced by ``empty``."""
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = _fill(int(missing.sum()), empty)
    return values


def _plan_frame(n: int, columns: dict[str, Any]) -> pd.DataFrame:
    """A plan table from columns that are already clean, without ``_normalized``'s pass over
    every cell (and without copying them).

    ``columns`` maps a column to an object array (text and tuple columns; no missing cells),
    an int array, or one value for every row; a column not given is "" / () / 0.
    """
    data: dict[str, Any] = {}
    for col in PLAN_COLUMNS:
        if col in INT_COLUMNS:
            value = np.asarray(columns.get(col, 0), dtype=np.int64)
            data[col] = value if value.ndim else np.full(n, value, dtype=np.int64)
            continue
        value = columns.get(col, () if col in TUPLE_COLUMNS else "")
        if not isinstance(value, np.ndarray):
            value = _fill(n, value)
        data[col] = pd.Series(value, dtype=object, copy=False)
    return pd.DataFrame(data, index=pd.RangeIndex(n), copy=False)


def _text_array(col: pd.Series) -> np.ndarray:
    """``col.fillna("").astype(str)`` as an object array, without a pass of string casts when
    the column already holds text."""
    arr = col.to_numpy(dtype=object)
    if isinstance(col.dtype, pd.StringDtype) or (
            col.dtype == object and pd.api.types.infer_dtype(arr, skipna=True) == "string"):
        missing = pd.isna(arr)
        if missing.any():
            arr = arr.copy()
            arr[missing] = ""
        return arr
    return col.fillna("").astype(str).to_numpy(dtype=object)


def _text(value: Any) -> str:
    """One cell as ``Series.fillna("").astype(str)`` has it."""
    if isinstance(value, str):
        return value
    return "" if pd.api.types.is_scalar(value) and pd.isna(value) else str(value)


# ---------------------------------------------------------------------------------------------
# disabled plans


@dataclass(frozen=True)
class _Mapping:
    names: tuple[str, ...]
    ids: tuple[str, ...]
    unmapped: tuple[str, ...]


def map_disabled_plans(names: Iterable[str], source: Sku, target: Sku,
                       catalog: Catalog | None = None) -> _Mapping:
    """Map E4 plans to the target's: same name first, then the one plan of the same family.

    A plan named by GUID is named through the catalog first. A plan with no match (or an
    ambiguous family) is returned as unmapped: a decision for the admin.
    """
    by_family: dict[str, list[str]] = {}
    for p in target.service_plans:
        by_family.setdefault(plan_family(p.name), []).append(p.name)
    out: dict[str, str] = {}
    unmapped: list[str] = []
    for raw in names:
        name = raw
        if is_guid(raw):
            hit = next((p for p in source.service_plans
                        if normalize_key(p.id) == normalize_key(raw)), None)
            if hit is None and catalog is not None:
                hit = catalog.plan_by_id(raw)
            if hit is None:
                unmapped.append(raw)
                continue
            name = hit.name
        exact = target.plan_id(name)
        if exact is not None:
            canonical = next(p.name for p in target.service_plans
                             if normalize_key(p.name) == normalize_key(name))
            out[canonical] = exact
            continue
        family = by_family.get(plan_family(name), [])
        if len(family) == 1:
            out[family[0]] = target.plan_id(family[0]) or ""
        else:
            unmapped.append(raw)
    names_after = tuple(sorted(out))
    return _Mapping(names_after, tuple(out[n] for n in names_after), tuple(sorted(unmapped)))


def _plan_ids(names: tuple[str, ...], sku: Sku, catalog: Catalog) -> tuple[str, ...]:
    """Ids of plan names on ``sku`` (catalog-wide lookup as a fallback; GUIDs kept)."""
    ids = []
    for n in names:
        if is_guid(n):
            ids.append(n.lower())
            continue
        pid = sku.plan_id(n)
        if pid is None:
            hit = catalog.plan_by_name(n)
            pid = hit.id if hit else None
        if pid:
            ids.append(pid.lower())
    return tuple(ids)


# ---------------------------------------------------------------------------------------------
# the rules


def _plan_rows(config: Any, lic: pd.DataFrame, catalog: Catalog, source: Sku,
               target: Sku) -> tuple[list[pd.DataFrame], int]:
    """Every row of the plan (unbatched, unnumbered; as clean plan tables to concatenate:
    users, usage-location rows, groups, target-only users) and the seats held back for later.

    Each user is an integer code (``_user``, one factorize of ``upn``) and SKU columns are
    factorized once: per-user facts are numpy arrays indexed by position, never a reindex by
    upn string, and tuples and texts are worked out once per distinct value.
    """
    user, upns = pd.factorize(lic["upn"].to_numpy(dtype=object))
    n_users = len(upns)
    lic = lic.assign(_user=user)
    sku_cols = {c: _by_object(lic[c].to_numpy(dtype=object))
                for c in ("sku_part_number", "sku_id")}
    src_mask = _sku_rows(sku_cols, source)
    tgt_mask = _sku_rows(sku_cols, target)
    e4 = _one_row_per_user(lic[src_mask])
    if (e4["upn"].to_numpy(dtype=object) == "").any():
        raise InputError(str(config.name), "a user holding E4 has no userPrincipalName",
                         column="upn", fix="export users again with the UPN column")
    tg = _one_row_per_user(lic[tgt_mask]).set_index("upn")
    src_part, tgt_part = source.part_number, target.part_number
    labels = _sku_labels(lic, catalog, sku_cols)
    (before_combo, before_of), (keep_combo, keep_of) = _user_skus(
        lic, user, n_users, labels, src_mask | tgt_mask, catalog)

    u = e4.set_index("upn")
    n = len(u)
    u_user = u["_user"].to_numpy()
    # each E4 user's target row: its position in tg, or -1 (which picks a trailing default)
    t_pos = np.full(n_users, -1, dtype=np.int64)
    t_pos[tg["_user"].to_numpy()] = np.arange(len(tg))
    t_pos = t_pos[u_user]
    direct = u["assigned_directly"].to_numpy(dtype=bool)
    groups = u["group_ids"]
    has_groups = np.fromiter(map(len, groups.to_numpy(dtype=object)), dtype=np.int64,
                             count=n) > 0
    enabled = u["account_enabled"].to_numpy(dtype=bool)
    loc_code, loc_cells = _by_object(u["usage_location"].to_numpy(dtype=object))
    loc_text = [_text(v) for v in loc_cells]
    no_loc = np.array([v.strip() == "" for v in loc_text], dtype=bool)[loc_code]
    t_direct = np.append(tg["assigned_directly"].fillna(False).to_numpy(dtype=bool),
                         False)[t_pos]
    t_group = np.append([isinstance(v, tuple) and len(v) > 0 for v in tg["group_ids"]],
                        False).astype(bool)[t_pos]
    target_before = _pool(["", "direct", "group", "direct+group"])[
        t_direct.astype(np.int64) + 2 * t_group]

    # --- limits: who is outside the plan, and why (first reason wins)
    out_code = _limit_codes(config, u)
    out = out_code != ""

    # --- groups: which can be switched (every inheriting member inside the limits)
    # one row per (user, group); ``pos`` is the user's row in ``u``
    pairs = pd.DataFrame({"upn": u.index[has_groups], "group_id": groups[has_groups].to_numpy(),
                          "out": out_code[has_groups], "pos": np.flatnonzero(has_groups)}
                         ).explode("group_id")
    pairs = pairs.sort_values(["group_id", "upn"], kind="stable").reset_index(drop=True)
    all_groups = sorted(pairs["group_id"].unique().tolist())
    blockers = pairs[pairs["out"] != ""].drop_duplicates("group_id").set_index("group_id")
    group_block = {g: f"member {r.upn} is {_SKIP_TEXT[r.out]}"
                   for g, r in blockers.iterrows()}

    # --- direct holders
    reclaim = direct & ~out & ~enabled & bool(config.reclaim_blocked) & ~has_groups
    swap = direct & ~out & ~reclaim
    default_loc = config.default_usage_location or ""
    fix_loc = swap & no_loc & (default_loc == "")
    swap = swap & ~fix_loc
    set_loc = swap & no_loc

    # --- max_users: direct units first (by upn), then whole groups that still fit
    beyond = np.zeros(n, dtype=bool)
    planned_groups = [g for g in all_groups if g not in group_block]
    if config.max_users:
        movers = np.flatnonzero(swap | reclaim)  # u.index is sorted by upn below
        order = movers[np.argsort(u.index.to_numpy()[movers], kind="stable")]
        beyond[order[config.max_users:]] = True
        swap &= ~beyond
        reclaim &= ~beyond
        set_loc &= ~beyond
        moved = set(u.index[swap | reclaim])
        members_of = pairs.groupby("group_id", sort=True)["upn"].agg(list)
        kept = []
        for g in planned_groups:
            new = set(members_of[g]) - moved
            if len(moved) + len(new) <= config.max_users:
                moved |= new
                kept.append(g)
            else:
                group_block[g] = "beyond max_users"
        planned_groups = kept
    planned = set(planned_groups)

    # --- group-only holders: moved by a planned group, else skipped
    pairs["planned"] = pairs["group_id"].isin(planned)
    pos = pairs["pos"].to_numpy(dtype=np.int64)
    n_groups = np.bincount(pos, minlength=n)
    n_planned = np.bincount(pos, weights=pairs["planned"].to_numpy(dtype=float), minlength=n)
    any_planned = n_planned > 0
    all_planned = (n_groups > 0) & (n_planned == n_groups)
    member = ~direct & has_groups & ~out & any_planned
    e4_stays = has_groups & ~all_planned  # a held-back group keeps E4 on the user

    kind = _fill(n, "skip")
    kind[swap] = "user-swap"
    kind[reclaim] = "reclaim"
    kind[fix_loc] = "fix-usage-location"
    kind[member] = "group-member"
    code = _fill(n, "")
    code[kind == "skip"] = np.where(
        out[kind == "skip"], out_code[kind == "skip"], "group-held-back")
    code[(kind == "skip") & ~direct & ~has_groups & ~out] = "inherited-from-unknown-group"
    code[beyond] = "beyond-max-users"
    code[fix_loc] = "no-usage-location"
    code[reclaim] = "reclaim-blocked"

    # --- disabled plans: mapped once per distinct set
    e4_disabled = u["disabled_plans"].to_numpy(dtype=object)
    d_code, d_uniq = _by_object(e4_disabled)
    mapping = {k: map_disabled_plans(k, source, target, catalog) for k in d_uniq}
    maps = [mapping[k] for k in d_uniq]
    t_disabled = np.concatenate([_tuples_only(tg["disabled_plans"].to_numpy(dtype=object)),
                                 _fill(1, ())])[t_pos]
    keep_target = t_direct  # target already direct: its settings stay as they are
    t_code, t_uniq = _by_object(t_disabled)
    t_ids = _pool(_plan_ids(k, target, catalog) for k in t_uniq)[t_code]
    after_names = np.where(keep_target, t_disabled, _pool(m.names for m in maps)[d_code])
    after_ids = np.where(keep_target, t_ids, _pool(m.ids for m in maps)[d_code])
    unmapped = _pool(m.unmapped for m in maps)[d_code]
    lost = _lost_services(e4_disabled, t_disabled, keep_target, source, target)

    # --- notes on moved users
    err = u["state"].isin(["Error", "ActiveWithError"]).to_numpy()
    notes_code, notes_text = _swap_notes(kind, err, u, enabled, has_groups, e4_stays,
                                         target_before, lost)
    code = np.where(code == "", notes_code, code)

    # --- after_skus (few distinct combinations: computed once each)
    # E4 stays while a direct path is not removed or a group path is not switched; the target
    # comes with a swap or with any planned group (whatever the user's own row says)
    moves_target = (kind == "user-swap") | any_planned
    e4_after = (direct & ~np.isin(kind, ["user-swap", "reclaim"])) | e4_stays
    u_before = before_combo[u_user]
    befores = before_of[u_before]
    combo, combos = pd.factorize(u_before * 4 + e4_after * 2 + moves_target)
    after_skus = _pool(_skus_after(before_of[k // 4], src_part, tgt_part, bool(k & 2),
                                   bool(k & 1)) for k in combos)[combo]
    disabled_ids_before = _pool(_plan_ids(k, source, catalog) for k in d_uniq)[d_code]

    swaps = kind == "user-swap"
    removes = swaps | (kind == "reclaim")
    settings = swaps | (kind == "fix-usage-location")
    empty = _fill(n, ())
    users = _plan_frame(n, {
        "kind": kind,
        "upn": u.index.to_numpy(dtype=object),
        "user_id": _text_array(u["user_id"]),
        "display_name": _text_array(u["display_name"]),
        "department": _text_array(u["department"]),
        "usage_location": _pool([v.upper() for v in loc_text])[loc_code],
        # constant texts are taken from a two-cell pool: one shared str object per value
        "add_sku_id": _pool(["", target.sku_id.lower()])[swaps.view(np.int8)],
        "add_sku_part_number": _pool(["", tgt_part])[swaps.view(np.int8)],
        "remove_sku_id": _pool(["", source.sku_id.lower()])[removes.view(np.int8)],
        "remove_sku_part_number": _pool(["", src_part])[removes.view(np.int8)],
        "disabled_plans_before": e4_disabled,
        "disabled_plan_ids_before": disabled_ids_before,
        "disabled_plans_after": np.where(settings, after_names, empty),
        "disabled_plan_ids_after": np.where(settings, after_ids, empty),
        "unmapped_plans": np.where(settings, unmapped, empty),
        "before_skus": befores,
        "after_skus": after_skus,
        "keep_direct_skus": keep_of[keep_combo[u_user]],
        "target_before": target_before,
        "new_seats": (swaps & (target_before == "")).astype(np.int64),
        "reason_code": code,
        "reason": _reasons(kind, code, groups.to_numpy(dtype=object), notes_text, group_block),
    })
    # group-member rows name the first planned group that moves them
    if member.any():
        first = pairs[pairs["planned"]].drop_duplicates("pos")
        first_group = _fill(n, "")
        first_group[first["pos"].to_numpy(dtype=np.int64)] = first["group_id"].to_numpy(
            dtype=object)
        users.loc[member, "group_id"] = first_group[member]
    seats_later = int(((kind == "fix-usage-location") & (target_before == "")
                       & ~any_planned).sum())

    loc_rows = users[set_loc].copy()
    loc_rows["kind"] = "set-usage-location"
    loc_rows["new_usage_location"] = default_loc
    for col in ("add_sku_id", "add_sku_part_number", "remove_sku_id", "remove_sku_part_number",
                "reason_code"):
        loc_rows[col] = ""
    loc_rows["reason_code"] = "no-usage-location"
    loc_rows["reason"] = f"no usage location: set to {default_loc} (default_usage_location)"
    loc_rows["new_seats"] = 0
    for col in ("disabled_plans_after", "disabled_plan_ids_after", "unmapped_plans"):
        loc_rows[col] = None

    group_rows = _group_rows(pairs, all_groups, planned, group_block, u, tg, target_before,
                             swap, source, target, catalog, mapping)
    # group-member rows show the settings their covering group gives them
    if member.any() and len(group_rows):
        by_group = group_rows.set_index("group_id")
        gm = users["kind"] == "group-member"
        for col in ("disabled_plans_after", "disabled_plan_ids_after"):
            users.loc[gm, col] = _fix_missing(
                users.loc[gm, "group_id"].map(by_group[col]).to_numpy(dtype=object), ())
    # users holding the target but no E4 (their order does not matter: assign_batches
    # sorts them by upn)
    target_only = ~_flags(n_users, u_user)[tg["_user"].to_numpy()]
    target_rows = _target_only_rows(tg[target_only], before_of[before_combo],
                                    keep_of[keep_combo])
    # every part is already a clean plan table: no pass of _normalized over 100k+ rows, and
    # no concat (see _batched)
    return [users, _normalized(loc_rows), group_rows, target_rows], seats_later


def _sku_rows(cols: dict[str, tuple[np.ndarray, np.ndarray]], sku: Sku) -> np.ndarray:
    """Rows that are ``sku`` by part number or skuId (``cols``: codes and cells from
    :func:`_by_object`, so each distinct cell is compared once; missing cells never match)."""
    mask = np.zeros(len(cols["sku_id"][0]), dtype=bool)
    for col, want in (("sku_part_number", sku.part_number), ("sku_id", sku.sku_id)):
        if not want:
            continue
        codes, cells = cols[col]
        key = normalize_key(want)
        hits = np.fromiter((not _missing(v) and normalize_key(v) == key for v in cells),
                           dtype=bool, count=len(cells))
        mask |= hits[codes]
    return mask


def _limit_codes(config: Any, u: pd.DataFrame) -> np.ndarray:
    """Per E4 user: why the plan's limits leave them out ("" = inside)."""
    upn = pd.Series(u.index, index=u.index)
    uid = u["user_id"]
    code = np.full(len(u), "", dtype=object)

    def listed(values: Iterable[str]) -> np.ndarray:
        wanted = {v.strip().lower() for v in values}
        return (upn.isin(wanted) | uid.isin(wanted)).to_numpy()

    if config.only_departments:
        depts = {normalize_key(d) for d in config.only_departments}
        inside = u["department"].fillna("").map(normalize_key).isin(depts).to_numpy()
        code[~inside] = "outside-only-departments"
    if config.only_users:
        code[~listed(config.only_users)] = "outside-only-users"
    if config.exclude_users:
        code[listed(config.exclude_users)] = "excluded"
    return code


def _sku_labels(lic: pd.DataFrame, catalog: Catalog,
                cols: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Part number of each row (resolved from the skuId when the export lacks it).

    Returned as a code per row into the sorted distinct labels: worked out once per distinct
    (part number) or (skuId, product name), never per row.
    """
    p_code, p_cells = cols["sku_part_number"]
    parts = [_text(v).strip() for v in p_cells]
    row_label = np.asarray(p_code, dtype=np.int64).copy()
    need = np.array([p == "" for p in parts], dtype=bool)[row_label]
    labels = parts
    if need.any():
        i_code, i_cells = cols["sku_id"]
        n_code, n_cells = _by_object(lic["product_name"].to_numpy(dtype=object)[need])
        ids = [_text(v) for v in i_cells]
        names = [_text(v) for v in n_cells]
        pair, pairs = pd.factorize(i_code[need] * len(names) + n_code)
        resolved = []
        for k in pairs.tolist():
            sku_id, name = ids[k // len(names)], names[k % len(names)]
            sku = catalog.resolve(sku_id) if sku_id else None
            resolved.append(sku.part_number if sku else name.strip())
        row_label[need] = len(parts) + pair
        labels = parts + resolved
    distinct = sorted(set(labels))
    rank = {v: i for i, v in enumerate(distinct)}
    return np.array([rank[v] for v in labels], dtype=np.int64)[row_label], _pool(distinct)


def _user_skus(lic: pd.DataFrame, user: np.ndarray, n_users: int,
               labels: tuple[np.ndarray, np.ndarray], src_or_tgt: np.ndarray,
               catalog: Catalog) -> tuple[tuple[np.ndarray, np.ndarray],
                                          tuple[np.ndarray, np.ndarray]]:
    """Per user code: every part number held, and the other licenses held directly (labelled).

    Each as (combination code per user, tuple per combination); see :func:`_sets_per_owner`.
    """
    lab, values = labels
    rows = np.array([v != "" for v in values], dtype=bool)[lab]
    before = _sets_per_owner(user[rows], lab[rows], values, n_users)
    kept = rows & lic["assigned_directly"].astype(bool).to_numpy() & ~src_or_tgt
    # the kept license's words: its name, plus the apps turned off, per distinct pair
    d_code, d_uniq = _factorize(lic["disabled_plans"].to_numpy(dtype=object)[kept])
    offs = [*d_uniq.tolist(), ()]  # last: a missing cell (code -1)
    d_code = np.where(d_code < 0, len(offs) - 1, d_code)
    pair, pairs = pd.factorize(lab[kept] * len(offs) + d_code)
    names: dict[str, str] = {}
    words = []
    for k in pairs.tolist():
        label, off = values[k // len(offs)], offs[k % len(offs)]
        if label not in names:
            names[label] = catalog.display_name(label)
        words.append(names[label] + (f" (apps off: {', '.join(off)})" if off else ""))
    distinct = sorted(set(words))
    rank = {v: i for i, v in enumerate(distinct)}
    word_code = np.array([rank[w] for w in words], dtype=np.int64)
    keep = _sets_per_owner(user[kept], word_code[pair], _pool(distinct), n_users)
    return before, keep


def _sets_per_owner(owner: np.ndarray, code: np.ndarray, values: np.ndarray,
                    n_owners: int) -> tuple[np.ndarray, np.ndarray]:
    """Per owner ``0..n_owners-1``: the distinct ``values[code]`` it has, as a tuple.

    ``values`` must be sorted and distinct, so the tuples are sorted too. Returns (combination
    code per owner, tuple per combination). A set is a bit mask (one bit per distinct value):
    no tuple is built, sorted or hashed per row, and 500k users share a handful of them.
    """
    words = max(1, -(-len(values) // 64))
    bits = np.zeros(n_owners * words, dtype=np.uint64)
    code = np.asarray(code, dtype=np.int64)
    if len(code):
        np.bitwise_or.at(bits, np.asarray(owner, dtype=np.int64) * words + code // 64,
                         np.left_shift(np.uint64(1), (code % 64).astype(np.uint64)))
    if words == 1:
        combo, masks = pd.factorize(bits)
        masks = masks.reshape(-1, 1)
    else:
        masks, combo = np.unique(bits.reshape(n_owners, words), axis=0, return_inverse=True)
        combo = combo.reshape(-1)
    tuples = []
    for m in masks:
        on = np.flatnonzero(np.unpackbits(m.astype("<u8").view(np.uint8), bitorder="little"))
        tuples.append(tuple(values[on].tolist()))
    return np.asarray(combo, dtype=np.int64), _pool(tuples)


def _skus_after(before: tuple[str, ...], src: str, tgt: str, keep_e4: bool,
                add_target: bool) -> tuple[str, ...]:
    skus = set(before)
    if not keep_e4:
        skus.discard(src)
    if add_target:
        skus.add(tgt)
    return tuple(sorted(skus))


def _lost_services(e4_disabled: np.ndarray, t_disabled: np.ndarray, keep_target: np.ndarray,
                   source: Sku, target: Sku) -> np.ndarray:
    """Target plans disabled on an existing target assignment whose E4 twin is enabled.

    Only users who keep a target assignment that disables something are looked at (a few).
    """
    out = np.empty(len(e4_disabled), dtype=object)
    out.fill(())
    cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
    e4_families = {plan_family(p.name): p.name for p in source.service_plans}
    some = np.fromiter(map(len, t_disabled), dtype=np.int64, count=len(t_disabled)) > 0
    for i in np.flatnonzero(keep_target & some).tolist():
        key = (e4_disabled[i], t_disabled[i])
        if key not in cache:
            off_on_e4 = {plan_family(p) for p in key[0]}
            cache[key] = tuple(sorted(
                p for p in key[1]
                if plan_family(p) in e4_families and plan_family(p) not in off_on_e4))
        out[i] = cache[key]
    return out


def _swap_notes(kind: np.ndarray, err: np.ndarray, u: pd.DataFrame, enabled: np.ndarray,
                has_groups: np.ndarray, e4_stays: np.ndarray, target_before: np.ndarray,
                lost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (``;``-joined) and words for facts the admin should know about a moved user.

    Words that depend on the row are only built for the rows a note applies to (a few).
    """
    n = len(kind)
    codes = _fill(n, "")
    texts = _fill(n, "")
    moved = np.isin(kind, ["user-swap", "group-member"])
    swap = kind == "user-swap"

    def err_text(mask: np.ndarray) -> np.ndarray:
        state = u["state"][mask].fillna("").astype(str)
        error = u["error"][mask].fillna("").astype(str)
        return ("E4 is in state " + state + np.where(error != "", " (" + error + ")", "")
                + ": the remove clears it").to_numpy()

    def lost_text(mask: np.ndarray) -> np.ndarray:
        return _pool("the existing target assignment disables " + ", ".join(v)
                     + " which E4 enables" for v in lost[mask])

    n_lost = np.fromiter(map(len, lost), dtype=np.int64, count=n)
    notes = [
        (moved & err, "e4-error-state", err_text),
        (swap & ~enabled & ~has_groups, "reclaim-candidate",
         "blocked account: swapped so nothing is lost; set reclaim_blocked: true to remove "
         "E4 without a target"),
        (swap & ~enabled & has_groups, "reclaim-candidate",
         "blocked account that also inherits E4 from a group: remove it from the group to "
         "reclaim the license"),
        (moved & ~swap & ~enabled, "reclaim-candidate",
         "blocked account inheriting E4: remove it from the group to reclaim the license"),
        (moved & e4_stays, "e4-stays-by-group", "still inherits E4 from a group held back"),
        (swap & np.isin(target_before, ["direct", "direct+group"]), "already-holds-target",
         "already holds the target directly: its settings stay; only E4 is removed"),
        (swap & (n_lost > 0), "target-disables-e4-service", lost_text),
    ]
    for mask, code, text in notes:
        if not mask.any():
            continue
        t = text if isinstance(text, str) else text(mask)
        sep = np.where(texts[mask] == "", "", "; ")
        texts[mask] = texts[mask] + sep + t
        csep = np.where(codes[mask] == "", "", ";")
        codes[mask] = codes[mask] + csep + code
    return codes, texts


def _reasons(kind: np.ndarray, code: np.ndarray, groups: np.ndarray, notes: np.ndarray,
             group_block: dict[str, str]) -> np.ndarray:
    """The ``reason`` column of the user rows, in words (``groups``: each user's group ids)."""
    out = notes.copy()
    skip = kind == "skip"
    out[skip] = _pool(_SKIP_TEXT.get(c, c) for c in code[skip])
    held = skip & (code == "group-held-back")
    if held.any():
        cache: dict[tuple[str, ...], str] = {}
        for gs in set(groups[held]):
            cache[gs] = "; ".join(f"{g}: {group_block.get(g, 'planned')}" for g in gs)
        out[held] = out[held] + ": " + _pool(cache[gs] for gs in groups[held])
    out[kind == "fix-usage-location"] = (
        "no usage location and no default_usage_location: set it, then plan again (the swap "
        "is held back)")
    out[kind == "reclaim"] = "blocked account: E4 removed without a target (reclaim_blocked: true)"
    return out


def _mode_plans(groups: np.ndarray, disabled: np.ndarray,
                ) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Per group: the most common disabled-plan set of its single-group members, and how many
    distinct sets they show (members inheriting from one group only, not directly).

    ``groups``/``disabled``: each such member's group and disabled plans. Sets are compared
    as their ";"-joined text; a tie goes to the smallest text.
    """
    if not len(groups):
        return {}, {}
    code, texts = _joined(disabled, ";")
    counts = Counter(zip(groups.tolist(), np.array(texts, dtype=object)[code].tolist(),
                         strict=True))
    best: dict[str, tuple[int, str]] = {}
    distinct: dict[str, int] = {}
    for (g, k), n in counts.items():
        distinct[g] = distinct.get(g, 0) + 1
        if g not in best or n > best[g][0] or (n == best[g][0] and k < best[g][1]):
            best[g] = (n, k)
    return ({g: tuple(k.split(";")) if k else () for g, (_, k) in best.items()}, distinct)


def _single_group(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(group id, disabled plans) of the rows held through exactly one group, not directly."""
    groups = rows["group_ids"].to_numpy(dtype=object)
    single = ~rows["assigned_directly"].astype(bool).to_numpy() & (
        np.fromiter(map(len, groups), dtype=np.int64, count=len(groups)) == 1)
    return (_pool(g[0] for g in groups[single]),
            rows["disabled_plans"].to_numpy(dtype=object)[single])


def _group_rows(pairs: pd.DataFrame, all_groups: list[str], planned: set[str],
                group_block: dict[str, str], u: pd.DataFrame, tg: pd.DataFrame,
                target_before: np.ndarray, swap: np.ndarray, source: Sku, target: Sku,
                catalog: Catalog, mapping: dict[tuple[str, ...], _Mapping]) -> pd.DataFrame:
    """One row per group that assigns E4: a group-swap when planned, else a skip."""
    if not all_groups:
        return _normalized(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    e4_cfg, e4_variants = _mode_plans(*_single_group(u))
    t_cfg, _ = _mode_plans(*_single_group(tg))
    t_groups = {g for gs in tg["group_ids"] for g in gs}

    # seats: members not holding the target yet and not moved directly, counted once (by
    # the first planned group in id order)
    fresh = (target_before == "") & ~swap
    p = pairs[pairs["group_id"].isin(planned)]
    p = p[fresh[p["pos"].to_numpy(dtype=np.int64)]].drop_duplicates("pos")
    seats_of = p.groupby("group_id").size()
    size_of = pairs.groupby("group_id").size()
    rows = []
    for g in all_groups:
        carries_target = g in t_groups
        before = e4_cfg.get(g, ())
        if carries_target:
            names = t_cfg.get(g, ())
            m = _Mapping(names, _plan_ids(names, target, catalog), ())
            unmapped = mapping.get(before) or map_disabled_plans(before, source, target, catalog)
            m = replace(m, unmapped=unmapped.unmapped)
        else:
            m = mapping.get(before) or map_disabled_plans(before, source, target, catalog)
        is_planned = g in planned
        seats = int(seats_of.get(g, 0)) if is_planned else 0
        notes = []
        if e4_variants.get(g, 0) > 1:
            notes.append(("group-plans-disagree", "members show different disabled plans; "
                          "the most common set is used"))
        if g not in e4_variants:
            notes.append(("group-plans-unknown", "no member inherits E4 from this group alone, "
                          "so its disabled plans are unknown: none are disabled on the target"))
        if carries_target:
            notes.append(("already-holds-target", "the group already assigns the target: its "
                          "settings stay; only E4 is removed"))
        if is_planned:
            code = ";".join(c for c, _ in notes)
            reason = "; ".join(t for _, t in notes)
        else:
            code = "beyond-max-users" if group_block[g] == "beyond max_users" else \
                "group-held-back"
            reason = f"group held back: {group_block[g]}"
        rows.append({
            "kind": "group-swap" if is_planned else "skip",
            "group_id": g,
            "add_sku_id": target.sku_id.lower() if is_planned else "",
            "add_sku_part_number": target.part_number if is_planned else "",
            "remove_sku_id": source.sku_id.lower() if is_planned else "",
            "remove_sku_part_number": source.part_number if is_planned else "",
            "disabled_plans_before": before,
            "disabled_plan_ids_before": _plan_ids(before, source, catalog),
            "disabled_plans_after": m.names if is_planned else (),
            "disabled_plan_ids_after": m.ids if is_planned else (),
            "unmapped_plans": m.unmapped if is_planned else (),
            "before_skus": tuple(sorted({source.part_number}
                                        | ({target.part_number} if carries_target else set()))),
            "after_skus": (target.part_number,) if is_planned else tuple(sorted(
                {source.part_number} | ({target.part_number} if carries_target else set()))),
            "target_before": "group" if carries_target else "",
            "members": int(size_of[g]),
            "new_seats": seats,
            "reason_code": code,
            "reason": reason,
        })
    return _normalized(pd.DataFrame(rows))


def _target_only_rows(tg: pd.DataFrame, before_skus: np.ndarray,
                      keep_skus: np.ndarray) -> pd.DataFrame:
    """Users who already hold the target and no E4: listed once, nothing to do.

    ``before_skus``/``keep_skus``: a tuple per user code (``tg["_user"]``).
    """
    if tg.empty:
        return _normalized(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    direct = tg["assigned_directly"].astype(bool).to_numpy()
    via_group = tg["group_ids"].map(len).to_numpy() > 0
    who = tg["_user"].to_numpy()
    skus = before_skus[who]
    return _plan_frame(len(tg), {
        "kind": "skip",
        "upn": tg.index.to_numpy(dtype=object),
        "user_id": _text_array(tg["user_id"]),
        "display_name": _text_array(tg["display_name"]),
        "department": _text_array(tg["department"]),
        "usage_location": _upper(_text_array(tg["usage_location"])),
        "before_skus": skus,
        "after_skus": skus,
        "keep_direct_skus": keep_skus[who],
        "target_before": _pool(["", "direct", "group", "direct+group"])[
            direct.astype(np.int64) + 2 * via_group],
        "reason_code": "already-on-target",
        "reason": _SKIP_TEXT["already-on-target"],
    })


def _normalized(table: pd.DataFrame) -> pd.DataFrame:
    """Exactly PLAN_COLUMNS with their dtypes (missing = empty; None in a tuple column = ())."""
    n = len(table)
    src = table.reset_index(drop=True)
    data: dict[str, Any] = {}
    for col in PLAN_COLUMNS:
        if col not in src.columns:
            data[col] = [()] * n if col in TUPLE_COLUMNS else (
                np.zeros(n, dtype="int64") if col in INT_COLUMNS else [""] * n)
            continue
        s = src[col]
        if col in INT_COLUMNS:
            data[col] = pd.to_numeric(s, errors="coerce").fillna(0).astype("int64")
            continue
        s = s.astype(object)
        nulls = s.isna().to_numpy()
        if nulls.any():
            s = s.copy()
            s[nulls] = pd.Series([() if col in TUPLE_COLUMNS else ""] * int(nulls.sum()),
                                 index=s.index[nulls], dtype=object)
        data[col] = s
    return pd.DataFrame(data, index=pd.RangeIndex(n))


# ---------------------------------------------------------------------------------------------
# batching and numbering


def assign_batches(table: pd.DataFrame, batch_size: int) -> pd.DataFrame:
    """Batch the executed rows and order the table (see the module docstring).

    A pure function of the table, so a remaining plan is batched by the same rule.
    """
    t = table.reset_index(drop=True)
    final, batch = _batch_order(t, batch_size)
    out = t.take(final)
    out["batch"] = batch[final]
    return out.reset_index(drop=True)


BATCH_KEY_COLUMNS: tuple[str, ...] = ("kind", "upn", "group_id", "keep_direct_skus",
                                      "disabled_plans_after", "new_usage_location")
"""The columns :func:`assign_batches` reads."""


def _batch_order(t: pd.DataFrame, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """The batching rule: (the rows in their new order, each row's batch by old position).

    ``t`` needs only :data:`BATCH_KEY_COLUMNS` and a RangeIndex.
    """
    if not 1 <= batch_size <= GRAPH_BATCH_LIMIT:
        raise InputError("tenant.yaml", f"batch_size must be 1..{GRAPH_BATCH_LIMIT}",
                         column="batch_size", value=batch_size, fix="set 20 or less")
    n = len(t)
    kind = t["kind"].to_numpy(dtype=object)
    # every test below is on integer codes: upns and group ids become their rank in string
    # order (one code space: equal texts, equal code; sorting codes sorts the texts), so the
    # only string sort is over the distinct upns and group ids
    who_code, who_rank = _ranks(t["upn"].to_numpy(dtype=object),
                                t["group_id"].to_numpy(dtype=object))
    upn, gid = who_rank[who_code[:n]], who_rank[who_code[n:]]
    is_loc = kind == "set-usage-location"
    swap = kind == "user-swap"
    n_who = int(who_rank.max(initial=-1)) + 1
    paired = swap & _flags(n_who, upn[is_loc])[upn]
    # a set-usage-location row whose swap is not in the table (a remaining plan) runs alone
    orphan = is_loc & ~_flags(n_who, upn[swap])[upn]
    cat = np.full(n, -1, dtype=np.int64)
    cat[(swap & ~paired) | orphan] = 0
    cat[paired] = 1
    cat[kind == "reclaim"] = 2
    cat[kind == "group-swap"] = 3
    # users share a batch only with users needing the same admin-center settings; groups are
    # switched one by one in Entra, so any groups may share a batch
    mv = np.flatnonzero(cat >= 0)
    key = _batch_keys(t, mv, cat[mv], paired[mv], n_who, upn, is_loc)
    who = np.where(cat[mv] == 3, gid[mv], upn[mv])
    sort_key = (cat[mv] * (int(key.max(initial=0)) + 1) + key) * (n_who + 1) + who
    sorted_mv = np.argsort(sort_key, kind="stable")
    movers = mv[sorted_mv]
    m_cat = cat[movers]
    m_key = key[sorted_mv]
    cap = np.where(m_cat == 1, min(batch_size, GRAPH_BATCH_LIMIT // 2), batch_size)
    # movers are sorted by (_cat, _key): a run of equal (_cat, _key) splits into chunks of
    # ``cap``, and every batch is one chunk (number the runs; no tuple per row to hash)
    new_run = np.ones(len(movers), dtype=bool)
    new_run[1:] = (m_cat[1:] != m_cat[:-1]) | (m_key[1:] != m_key[:-1])
    run_start = np.flatnonzero(new_run)
    pos = np.arange(len(movers)) - run_start[np.cumsum(new_run) - 1]
    chunk = pos // cap
    starts = new_run.copy()
    starts[1:] |= chunk[1:] != chunk[:-1]
    batch = np.zeros(n, dtype=np.int64)
    batch[movers] = np.cumsum(starts)
    order = np.full(n, np.nan)
    order[movers] = np.arange(len(movers), dtype=float)
    # a set-usage-location row goes right before its user's swap, in the same batch
    locs = np.flatnonzero(is_loc & ~orphan)
    if len(locs):
        first = _first_rows(n_who, upn, paired)
        batch[locs] = batch[first[upn[locs]]]
        order[locs] = order[first[upn[locs]]] - 0.5
    # not executed: fix-first, group members, skips (users, then groups)
    rest = np.flatnonzero(np.isnan(order))
    r = np.select([kind[rest] == "fix-usage-location", kind[rest] == "group-member",
                   (kind[rest] == "skip") & (t["upn"].to_numpy(dtype=object)[rest] != "")],
                  [0, 1, 2], 3)
    rest_key = (r * (n_who + 1) + upn[rest]) * (n_who + 1) + gid[rest]
    order[rest[np.argsort(rest_key, kind="stable")]] = n + np.arange(len(rest), dtype=float)
    batch[rest] = 0
    return np.argsort(order, kind="stable"), batch


def _batched(parts: list[pd.DataFrame], batch_size: int) -> pd.DataFrame:
    """``assign_batches(pd.concat(parts, ignore_index=True), batch_size)`` for clean plan
    tables (:func:`_plan_frame`), copying each cell once: every part's rows are scattered
    straight to their place in the batched table, instead of a concat and then a take."""
    parts = [p for p in parts if len(p)] or parts[:1]
    keys = pd.concat([p[list(BATCH_KEY_COLUMNS)] for p in parts], ignore_index=True)
    final, batch = _batch_order(keys, batch_size)
    where = np.empty(len(final), dtype=np.int64)
    where[final] = np.arange(len(final))
    columns: dict[str, np.ndarray] = {"batch": batch[final]}
    for col in PLAN_COLUMNS:
        if col == "batch":
            continue
        arrays = [p[col].to_numpy() for p in parts]
        out = np.empty(len(final), dtype=arrays[0].dtype)
        start = 0
        for a in arrays:
            out[where[start:start + len(a)]] = a
            start += len(a)
        columns[col] = out
    return _plan_frame(len(final), columns)


def _ranks(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes for the cells of ``columns`` (one code space, concatenated; by object, see
    :func:`_cells`) and each code's dense rank in Python's string order: equal texts get one
    rank, and sorting by rank sorts as ``sort_values`` on the text does."""
    codes, distinct, offset = [], [], 0
    for values in columns:
        c, first = _cells(values)
        codes.append(c + offset)
        distinct.append(values[first])
        offset += len(first)
    cells = np.concatenate(distinct) if distinct else np.empty(0, dtype=object)
    texts = cells.tolist()
    order = np.array(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
    # equal texts held by different objects share a rank
    ordered = cells[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    rank = np.empty(len(texts), dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    return (np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)), rank


def _flags(size: int, codes: np.ndarray) -> np.ndarray:
    """A boolean per code: True for the codes listed."""
    out = np.zeros(size, dtype=bool)
    out[codes] = True
    return out


def _first_rows(size: int, codes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per code: the first row (in table order) where ``mask`` holds with that code, or -1."""
    rows = np.flatnonzero(mask)[::-1]  # reversed, so the first row is written last
    out = np.full(size, -1, dtype=np.int64)
    out[codes[rows]] = rows
    return out


def _batch_keys(t: pd.DataFrame, mv: np.ndarray, cat: np.ndarray, paired: np.ndarray,
                n_who: int, upn: np.ndarray, is_loc: np.ndarray) -> np.ndarray:
    """Per mover row ``mv``: the rank of its batching key ``keep|...#disabled|...#location``
    ("" for groups) in string order, built once per distinct (keep, disabled, location).

    ``upn``: the code of every row's upn; ``is_loc``: the set-usage-location rows.
    """
    keep_code, keep_text = _joined(t["keep_direct_skus"].to_numpy(dtype=object)[mv])
    dis_code, dis_text = _joined(t["disabled_plans_after"].to_numpy(dtype=object)[mv])
    # the location a paired swap's set-usage-location row sets (the first such row)
    loc_row = np.where(paired, _first_rows(n_who, upn, is_loc)[upn[mv]], -1)
    loc_code, loc_text = pd.factorize(np.where(
        loc_row >= 0, t["new_usage_location"].to_numpy(dtype=object)[loc_row], ""))
    loc_text = [_text(v) for v in loc_text]
    combo, combos = pd.factorize(
        np.where(cat == 3, -1,
                 (keep_code * len(dis_text) + dis_code) * len(loc_text) + loc_code))
    words = ["" if k < 0 else
             f"{keep_text[k // len(loc_text) // len(dis_text)]}#"
             f"{dis_text[k // len(loc_text) % len(dis_text)]}#{loc_text[k % len(loc_text)]}"
             for k in combos.tolist()]
    distinct = sorted(set(words))
    rank = {w: i for i, w in enumerate(distinct)}
    return np.array([rank[w] for w in words], dtype=np.int64)[combo]


def _joined(values: np.ndarray, sep: str = "|") -> tuple[np.ndarray, list[str]]:
    """Codes of the cells of a tuple column (by object, see :func:`_cells`) and the
    ``sep.join`` of each code's tuple. Two codes may join to the same text."""
    codes, first = _cells(values)
    return codes, [sep.join(v) for v in values[first]]


def _by_object(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per cell, the cell of each code), grouped by object: see :func:`_cells`."""
    codes, first = _cells(values)
    return codes, values[first]


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of an object column (the same codes and uniques), faster when its
    cells come from a few shared objects: then they are grouped by object first
    (:func:`_cells`) and only one cell per object is hashed (a tuple's hash is not cached)."""
    values = np.asarray(values, dtype=object)
    if len(values) > 4096 and len(_cells(values[:2048])[1]) > 256:
        return pd.factorize(values)  # mostly distinct objects: nothing to share
    codes, first = _cells(values)
    value_code, uniques = pd.factorize(values[first])
    return value_code[codes] if len(codes) else codes, uniques


def _missing(value: Any) -> bool:
    """A cell ``pd.factorize`` or ``fillna`` treats as missing (None, NaN, NA, NaT)."""
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def _cells(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells of an object array grouped by *object*: (code per cell, first cell of each code).

    Plan columns are filled from pools, so their cells share one object per value: grouping
    by the objects' addresses finds the distinct values without hashing or comparing any
    (``pd.factorize`` hashes every cell, and a tuple's hash is not cached). Equal values held
    by different objects get different codes: callers only use codes to work out something
    once per code, never to tell values apart. The addresses are only compared, and the
    objects stay alive in ``values`` meanwhile.
    """
    values = np.asarray(values, dtype=object)
    address = np.frombuffer(values.tobytes(), dtype=np.uintp)
    codes, distinct = pd.factorize(address)
    first = np.empty(len(distinct), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, first


def _number_actions(table: pd.DataFrame) -> pd.DataFrame:
    """Action ids per prefix in table order (at least 5 digits).

    Numbered per prefix with numpy and formatted in one list comprehension, instead of a
    group-by, a string cast and ``zfill`` over every row; no copy of the table.
    """
    kind_code, kinds = pd.factorize(table["kind"].to_numpy(dtype=object))
    prefixes = [_PREFIX[k] for k in kinds]  # every kind has one (KINDS)
    width = max(5, len(str(len(table))))
    ids = np.empty(len(table), dtype=object)
    distinct = list(dict.fromkeys(prefixes))
    row_prefix = np.array([distinct.index(p) for p in prefixes], dtype=np.int64)[kind_code]
    for i, p in enumerate(distinct):
        rows = np.flatnonzero(row_prefix == i)
        ids[rows] = [p + str(k).zfill(width) for k in range(1, len(rows) + 1)]
    return table.assign(action_id=pd.Series(ids, index=table.index, dtype=object, copy=False))


# ---------------------------------------------------------------------------------------------
# decisions and summary


def _decisions(table: pd.DataFrame, limits: dict[str, Any],
               target: dict[str, str]) -> list[dict[str, Any]]:
    """What the admin must decide: one entry per (row, question), in table order."""
    out: list[dict[str, Any]] = []
    tname = target.get("display_name", "the target")
    asks = ("reclaim-candidate", "target-disables-e4-service", "group-plans-disagree",
            "group-plans-unknown", "inherited-from-unknown-group", "group-held-back")
    # which rows ask something: tested once per distinct reason_code, not per row
    code_of, reason_codes = _factorize(table["reason_code"].to_numpy(dtype=object))
    asking = re.compile("|".join(asks))
    code_asks = np.array([bool(asking.search(c)) and not c.startswith("rollback")
                          for c in reason_codes] + [False], dtype=bool)
    unmapped = table["unmapped_plans"].to_numpy(dtype=object)
    n_unmapped = np.fromiter(map(len, unmapped), dtype=np.int64, count=len(unmapped))
    not_rollback = ~np.array([c.startswith("rollback") for c in reason_codes] + [False],
                             dtype=bool)[code_of]
    rows = np.flatnonzero(code_asks[code_of] | (
        ((n_unmapped > 0) | (table["kind"].to_numpy(dtype=object) == "fix-usage-location"))
        & not_rollback))
    cols = ("action_id", "upn", "group_id", "unmapped_plans", "kind", "reason",
            "disabled_plans_after", "reason_code")
    picked = [table[c].to_numpy(dtype=object)[rows].tolist() for c in cols]
    for action_id, upn, group_id, unmapped_plans, kind, reason, plans_after, code in zip(
            *picked, strict=True):
        base = {"action_id": action_id, "upn": upn, "group_id": group_id}
        if unmapped_plans:
            out.append({"code": "unmapped-plans", **base, "plans": list(unmapped_plans),
                        "why": f"disabled on E4 but {tname} has no matching plan: nothing to "
                        "disable there; confirm the user needs no replacement switched off"})
        if kind == "fix-usage-location":
            out.append({"code": "usage-location", **base, "plans": [],
                        "why": "no usage location: set it on the user (or "
                        "default_usage_location in tenant.yaml), then plan again"})
        for c in code.split(";"):
            if c == "reclaim-candidate" or c == "target-disables-e4-service":
                out.append({"code": c, **base, "plans": [], "why": reason})
            elif c in ("group-plans-disagree", "group-plans-unknown"):
                out.append({"code": c, **base, "plans": list(plans_after), "why": reason})
            elif c == "inherited-from-unknown-group":
                out.append({"code": "unknown-group", **base, "plans": [],
                            "why": "E4 comes from a group the export does not name: export "
                            "with Graph (licenseAssignmentStates) or switch that group in "
                            "Entra"})
            elif c == "group-held-back" and upn == "":
                out.append({"code": c, **base, "plans": [],
                            "why": reason + ": take the blocking users out of the group "
                            "(or assign them E4 directly) so the group can be switched"})
    return out


def _summary(table: pd.DataFrame, decisions: tuple[dict[str, Any], ...], seats_needed: int,
             seats_available: int | None, shortfall: int | None,
             seats_later: int) -> dict[str, Any]:
    """The plan's counts. Kinds are counted per code (one factorize), not one string
    comparison over the table per figure."""
    kind_code, kind_names = _factorize(table["kind"].to_numpy(dtype=object))
    kinds = dict(zip(kind_names.tolist(),
                     np.bincount(kind_code[kind_code >= 0], minlength=len(kind_names)).tolist(),
                     strict=True))

    def of_kind(*names: str) -> np.ndarray:
        return np.isin(kind_code, [i for i, k in enumerate(kind_names) if k in names])

    reason = table["reason_code"].to_numpy(dtype=object)
    skip_code, skip_names = _factorize(reason[of_kind("skip")])
    skips = dict(zip(skip_names.tolist(),
                     np.bincount(skip_code[skip_code >= 0], minlength=len(skip_names)).tolist(),
                     strict=True))
    e4_users = of_kind(*USER_DECISION_KINDS) & (table["upn"].to_numpy(dtype=object) != "") & (
        reason != "already-on-target")
    moved = of_kind("user-swap", "reclaim", "group-member")
    codes: dict[str, int] = {}
    for d in decisions:
        codes[d["code"]] = codes.get(d["code"], 0) + 1
    gs = of_kind("group-swap")
    return {
        "actions": {k: int(kinds.get(k, 0)) for k in KINDS},
        "batches": int(table["batch"].max()) if len(table) else 0,
        "e4_users": int(e4_users.sum()),
        "users_moved": int(moved.sum()),
        "group_swaps": int(gs.sum()),
        "group_members": int(kinds.get("group-member", 0)),
        "group_covered_users": int(table["members"].to_numpy()[gs].sum()),
        "held_back": int(kinds.get("fix-usage-location", 0)),
        "seats_needed": seats_needed,
        "seats_needed_later": seats_later,
        "seats_available": seats_available,
        "shortfall": shortfall,
        "skips": {str(k): int(v) for k, v in sorted(skips.items())},
        "decisions": dict(sorted(codes.items())),
    }


def _plan_id(source: dict[str, str], target: dict[str, str], table: pd.DataFrame) -> str:
    """A short content hash: same inputs, same id (no clock involved).

    The rows' hash is ``pd.util.hash_pandas_object(flat, index=False)`` of the plan columns
    with each tuple joined by "|" (the id's definition), computed by :func:`_row_hashes`
    without building the joined copy of the table.
    """
    h = hashlib.sha256(json.dumps([source, target, list(PLAN_COLUMNS)],
                                  sort_keys=True).encode())
    h.update(_row_hashes(table).tobytes())
    return h.hexdigest()[:16]


def _row_hashes(table: pd.DataFrame) -> np.ndarray:
    """``hash_pandas_object(flat, index=False)`` of the plan columns, tuples joined by "|".

    Hashes each *distinct* cell once (as pandas does for text: factorize, hash the distinct
    values, spread back by code), so a tuple is joined once per distinct value, not per row;
    the columns' hashes are combined exactly as pandas combines them.
    """
    arrays = []
    for col in PLAN_COLUMNS:
        values = table[col].to_numpy()
        if values.dtype != object:  # numbers: hashed as they are
            arrays.append(pd.util.hash_array(values))
            continue
        if col in TUPLE_COLUMNS:
            codes, distinct = _joined(values)
        elif len(values) > 4096 and len(_cells(values[:2048])[1]) > 1024 \
                and pd.api.types.infer_dtype(values, skipna=False) == "string":
            # (nearly) one object per row, all text (upn, user_id, action_id): nothing to
            # share, so each cell is hashed where it is
            arrays.append(pd.util.hash_array(values, categorize=False))
            continue
        else:
            codes, first = _cells(values)
            distinct = values[first]
            if pd.api.types.infer_dtype(distinct, skipna=False) != "string":
                # missing or non-text cells: grouped by value as pandas does (missing cells
                # hash as the largest uint64)
                codes, distinct = pd.factorize(values)
                hashed = pd.util.hash_array(distinct, categorize=False)
                arrays.append(np.append(hashed, np.uint64(np.iinfo(np.uint64).max))[codes])
                continue
        # a text's hash depends on its value only, so hashing one cell per *object* (cells
        # taken from a pool share one) gives every row pandas' hash
        hashed = pd.util.hash_array(np.array(distinct, dtype=object), categorize=False)
        arrays.append(hashed[codes])
    return _combine_hashes(arrays, len(table))


def _combine_hashes(arrays: list[np.ndarray], length: int) -> np.ndarray:
    """pandas' ``combine_hash_arrays`` (CPython's tuple hash, column-wise), for the row hashes
    of a frame; ``tests/test_planning_speed.py`` checks it against ``hash_pandas_object``."""
    if not arrays:
        return np.full(length, 0x345678 + 97531, dtype=np.uint64)
    mult = np.uint64(1000003)
    out = np.zeros_like(arrays[0]) + np.uint64(0x345678)
    for i, a in enumerate(arrays):
        inverse_i = len(arrays) - i
        out ^= a
        out *= mult
        mult += np.uint64(82520 + inverse_i + inverse_i)
    out += np.uint64(97531)
    return out


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as JSON-ready dicts (tuples become lists, ints stay ints)."""
    cols = list(PLAN_COLUMNS)
    data = {c: table[c].tolist() for c in cols}
    for c in TUPLE_COLUMNS:
        data[c] = [list(v) for v in data[c]]
    for c in INT_COLUMNS:
        data[c] = [int(v) for v in data[c]]
    return [dict(zip(cols, row, strict=True)) for row in zip(*(data[c] for c in cols),
                                                             strict=True)]


# ---------------------------------------------------------------------------------------------
# reading back, remaining plan, rollback


def remaining_plan(plan: Plan, keep_action_ids: Iterable[str], *,
                   seats_available: int | None = None) -> Plan:
    """The plan restricted to ``keep_action_ids``, batched again by the same rule.

    A kept user-swap keeps its set-usage-location row when that row is kept too. Seat
    availability is unknown after a partial run unless the caller passes it.
    """
    keep = set(keep_action_ids)
    t = plan.table[plan.table["action_id"].isin(keep)]
    t = assign_batches(t, plan.batch_size)
    return _finish(
        tenant=plan.tenant, source=plan.source, target=plan.target, table=t,
        batch_size=plan.batch_size, seats_available=seats_available, limits=plan.limits,
        users_file=plan.users_file,
        notes=tuple(n for n in plan.notes if "unverified" not in n)
        + (("remaining plan: seat availability is unverified",)
           if seats_available is None else ()),
        seats_later=int(((t["kind"] == "fix-usage-location")
                         & (t["target_before"] == "")).sum()),
        shortfall=None,
        plan_level=tuple(d for d in plan.decisions if not d.get("action_id")),
    )


def rollback_actions(plan: Plan | pd.DataFrame) -> pd.DataFrame:
    """The exact inverse of the executed rows, from the before-state, last batch first.

    Same columns as the plan table; ``action_id`` is ``R`` + the undone row's id and ``batch``
    the undone row's batch, so line 7 of ``rollback-batches.jsonl`` undoes line 7 of
    ``graph-batches.jsonl``.
    """
    t = plan.table if isinstance(plan, Plan) else plan
    # the executed rows, last batch first and, inside a batch, last row first (what
    # ``iloc[::-1].sort_values("batch", ascending=False, kind="stable")`` gives)
    batch = t["batch"].to_numpy()
    rows = np.flatnonzero(np.isin(t["kind"].to_numpy(dtype=object), EXECUTED_KINDS)
                          & (batch > 0))[::-1]
    rows = rows[np.argsort(-batch[rows], kind="stable")]
    n = len(rows)

    def col(name: str) -> np.ndarray:
        """The column for the undone rows, missing cells as ``_normalized`` fills them."""
        empty: Any = () if name in TUPLE_COLUMNS else ""
        if name not in t.columns:
            return _fill(n, empty)
        if name in INT_COLUMNS:
            return pd.to_numeric(t[name].iloc[rows], errors="coerce").fillna(0).to_numpy(
                dtype=np.int64)
        return _clean_cells(t[name].to_numpy(dtype=object)[rows], empty)

    kind, target_before = col("kind"), col("target_before")
    licence = kind != "set-usage-location"
    # the plan added a new target assignment unless the user/group already held it there
    group = kind == "group-swap"
    new_target = ~((group & (target_before == "group"))
                   | (~group & np.isin(target_before, ["direct", "direct+group"])))
    add_id, add_part = col("add_sku_id"), col("add_sku_part_number")
    added = t["add_sku_id"].to_numpy(dtype=object)[rows] != ""  # a missing id counts as added
    undo_add = licence & added & new_target
    location, new_location = col("usage_location"), col("new_usage_location")
    blank = _fill(n, "")
    ids = t["action_id"].to_numpy(dtype=object)[rows]
    if pd.api.types.infer_dtype(ids, skipna=False) == "string":
        action_id = np.array(["R" + i for i in ids], dtype=object)  # texts: stays 1-D
        reason = np.array(["undoes " + i for i in ids], dtype=object)
    else:  # missing or odd ids: pandas' arithmetic, then filled as _normalized does
        action_id = _fix_missing(("R" + pd.Series(ids, dtype=object)).to_numpy(), "")
        reason = _fix_missing(("undoes " + pd.Series(ids, dtype=object)).to_numpy(), "")
    return _plan_frame(n, {
        **{c: col(c) for c in ("batch", "upn", "user_id", "group_id", "display_name",
                               "department", "keep_direct_skus", "members")},
        "action_id": action_id,
        "kind": kind,
        "target_before": target_before,
        "add_sku_id": np.where(licence, col("remove_sku_id"), blank),
        "add_sku_part_number": np.where(licence, col("remove_sku_part_number"), blank),
        "remove_sku_id": np.where(undo_add, add_id, blank),
        "remove_sku_part_number": np.where(undo_add, add_part, blank),
        "disabled_plans_before": col("disabled_plans_after"),
        "disabled_plan_ids_before": col("disabled_plan_ids_after"),
        "disabled_plans_after": col("disabled_plans_before"),
        "disabled_plan_ids_after": col("disabled_plan_ids_before"),
        "before_skus": col("after_skus"),
        "after_skus": col("before_skus"),
        "usage_location": np.where(licence, location, new_location),
        "new_usage_location": np.where(licence, blank, location),
        "reason_code": "rollback",
        "reason": reason,
    })


def _clean_cells(values: np.ndarray, empty: Any) -> np.ndarray:
    """``values`` with missing cells replaced by ``empty``, as ``_normalized`` does; checked
    per cell *object* (see :func:`_cells`), so clean plan columns cost a few ms."""
    if pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values  # all text: nothing missing
    codes, first = _cells(values)
    if not pd.isna(values[first]).any():
        return values
    return _fix_missing(values, empty)
