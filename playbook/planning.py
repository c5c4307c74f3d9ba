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
- ``load_plan(plan_dir) -> Plan`` / ``plan_from_json(data) -> Plan``: read ``plan.json`` back.
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
     "actions": [ {<plan table columns, tuples as lists>} ... ]}
"""

from __future__ import annotations

import hashlib
import json
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
            "actions": table_records(self.table),
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
    table, seats_later = _plan_rows(config, lic, catalog, source, target)
    table = assign_batches(table, config.batch_size)
    table = _number_actions(table)

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
        upn=lic["upn"].fillna("").astype(str).str.strip().str.lower(),
        user_id=lic["user_id"].fillna("").astype(str).str.strip().str.lower(),
        group_ids=_tuples(lic["group_ids"], lower=True),
        disabled_plans=_tuples(lic["disabled_plans"]),
    )
    return lic


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
        codes, uniques = pd.factorize(col.to_numpy(dtype=object))
    except TypeError:  # unhashable cells (lists in a hand-built table): one by one
        return col.map(fix).astype(object)
    fixed = np.empty(len(uniques) + 1, dtype=object)
    for i, v in enumerate(uniques):
        fixed[i] = fix(v)
    fixed[-1] = ()  # code -1: a missing cell
    return pd.Series(fixed[codes], index=col.index, dtype=object)


def _one_row_per_user(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per upn for one SKU (the table contract says so; merge defensively if not)."""
    dup = rows["upn"].duplicated(keep=False)
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
               target: Sku) -> tuple[pd.DataFrame, int]:
    """Every row of the plan (unbatched, unnumbered) and the seats held back for later."""
    src_mask = _sku_rows(lic, source)
    tgt_mask = _sku_rows(lic, target)
    e4 = _one_row_per_user(lic[src_mask])
    if (e4["upn"] == "").any():
        raise InputError(str(config.name), "a user holding E4 has no userPrincipalName",
                         column="upn", fix="export users again with the UPN column")
    tg = _one_row_per_user(lic[tgt_mask]).set_index("upn")
    src_part, tgt_part = source.part_number, target.part_number
    labels = _sku_labels(lic, catalog)
    all_upns = pd.Index(e4["upn"]).union(pd.Index(tg.index))
    before_skus, keep_skus = _user_skus(lic, labels, src_mask | tgt_mask, all_upns, catalog)

    u = e4.set_index("upn")
    n = len(u)
    direct = u["assigned_directly"].to_numpy(dtype=bool)
    groups = u["group_ids"]
    has_groups = groups.map(len).to_numpy() > 0
    enabled = u["account_enabled"].to_numpy(dtype=bool)
    no_loc = (u["usage_location"].fillna("").astype(str).str.strip() == "").to_numpy()
    t_direct = tg["assigned_directly"].reindex(u.index).fillna(False).to_numpy(dtype=bool)
    t_group = tg["group_ids"].reindex(u.index).map(
        lambda v: isinstance(v, tuple) and len(v) > 0).to_numpy(dtype=bool)
    target_before = np.select(
        [t_direct & t_group, t_direct, t_group], ["direct+group", "direct", "group"], "")

    # --- limits: who is outside the plan, and why (first reason wins)
    out_code = _limit_codes(config, u)
    out = out_code != ""

    # --- groups: which can be switched (every inheriting member inside the limits)
    pairs = pd.DataFrame({"upn": u.index[has_groups], "group_id": groups[has_groups].to_numpy(),
                          "out": out_code[has_groups]}).explode("group_id")
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
    per_user = pairs.groupby("upn", sort=False)["planned"].agg(["any", "all"])
    any_planned = per_user["any"].reindex(u.index).fillna(False).to_numpy(dtype=bool)
    all_planned = per_user["all"].reindex(u.index).fillna(False).to_numpy(dtype=bool)
    member = ~direct & has_groups & ~out & any_planned
    e4_stays = has_groups & ~all_planned  # a held-back group keeps E4 on the user

    kind = np.full(n, "skip", dtype=object)
    kind[swap] = "user-swap"
    kind[reclaim] = "reclaim"
    kind[fix_loc] = "fix-usage-location"
    kind[member] = "group-member"
    code = np.full(n, "", dtype=object)
    code[kind == "skip"] = np.where(
        out[kind == "skip"], out_code[kind == "skip"], "group-held-back")
    code[(kind == "skip") & ~direct & ~has_groups & ~out] = "inherited-from-unknown-group"
    code[beyond] = "beyond-max-users"
    code[fix_loc] = "no-usage-location"
    code[reclaim] = "reclaim-blocked"

    # --- disabled plans: mapped once per distinct set
    e4_disabled = u["disabled_plans"]
    mapping = {k: map_disabled_plans(k, source, target, catalog) for k in set(e4_disabled)}
    mapped = e4_disabled.map(mapping)
    t_disabled = tg["disabled_plans"].reindex(u.index).map(
        lambda v: v if isinstance(v, tuple) else ())
    keep_target = t_direct  # target already direct: its settings stay as they are
    t_ids = t_disabled.map({k: _plan_ids(k, target, catalog) for k in set(t_disabled)})
    after_names = pd.Series(np.where(keep_target, t_disabled.to_numpy(),
                                     mapped.map(lambda m: m.names).to_numpy()),
                            index=u.index, dtype=object)
    after_ids = pd.Series(np.where(keep_target, t_ids.to_numpy(),
                                   mapped.map(lambda m: m.ids).to_numpy()),
                          index=u.index, dtype=object)
    unmapped = mapped.map(lambda m: m.unmapped)
    lost = pd.Series(_lost_services(e4_disabled, t_disabled, keep_target, source, target),
                     index=u.index, dtype=object)

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
    befores = before_skus.reindex(u.index).map(lambda v: v if isinstance(v, tuple) else ())
    combo = pd.Series(list(zip(befores, e4_after, moves_target, strict=True)), dtype=object)
    after_of = {k: _skus_after(k[0], src_part, tgt_part, k[1], k[2]) for k in set(combo)}
    after_skus = combo.map(after_of).to_numpy()
    disabled_ids_before = e4_disabled.map(
        {k: _plan_ids(k, source, catalog) for k in set(e4_disabled)})

    users = pd.DataFrame({
        "kind": kind,
        "upn": u.index,
        "user_id": u["user_id"].to_numpy(),
        "group_id": "",
        "display_name": u["display_name"].fillna("").astype(str).to_numpy(),
        "department": u["department"].fillna("").astype(str).to_numpy(),
        "usage_location": u["usage_location"].fillna("").astype(str).str.upper().to_numpy(),
        "new_usage_location": "",
        "add_sku_id": np.where(kind == "user-swap", target.sku_id.lower(), ""),
        "add_sku_part_number": np.where(kind == "user-swap", tgt_part, ""),
        "remove_sku_id": np.where(np.isin(kind, ["user-swap", "reclaim"]),
                                  source.sku_id.lower(), ""),
        "remove_sku_part_number": np.where(np.isin(kind, ["user-swap", "reclaim"]),
                                           src_part, ""),
        "disabled_plans_before": e4_disabled.to_numpy(),
        "disabled_plan_ids_before": disabled_ids_before.to_numpy(),
        "disabled_plans_after": np.where(np.isin(kind, ["user-swap", "fix-usage-location"]),
                                         after_names.to_numpy(), None),
        "disabled_plan_ids_after": np.where(np.isin(kind, ["user-swap", "fix-usage-location"]),
                                            after_ids.to_numpy(), None),
        "unmapped_plans": np.where(np.isin(kind, ["user-swap", "fix-usage-location"]),
                                   unmapped.to_numpy(), None),
        "before_skus": befores.to_numpy(),
        "after_skus": after_skus,
        "keep_direct_skus": keep_skus.reindex(u.index).map(
            lambda v: v if isinstance(v, tuple) else ()).to_numpy(),
        "target_before": target_before,
        "members": 0,
        "new_seats": ((kind == "user-swap") & (target_before == "")).astype(int),
        "reason_code": code,
        "reason": "",
    })
    users["_groups"] = groups.to_numpy()
    users["reason"] = _reasons(users, notes_text, group_block)
    # group-member rows name the first planned group that moves them
    first_group = pairs[pairs["planned"]].drop_duplicates("upn").set_index("upn")["group_id"]
    users.loc[member, "group_id"] = users.loc[member, "upn"].map(first_group).to_numpy()
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
            users.loc[gm, col] = users.loc[gm, "group_id"].map(by_group[col]).to_numpy()
    on_target_only = tg.index.difference(u.index)
    target_rows = _target_only_rows(tg.loc[on_target_only], before_skus, keep_skus)
    table = pd.concat(
        [users.drop(columns="_groups"), loc_rows.drop(columns="_groups"), group_rows,
         target_rows], ignore_index=True)
    return _normalized(table), seats_later


def _sku_rows(lic: pd.DataFrame, sku: Sku) -> pd.Series:
    """Rows that are ``sku`` by part number or skuId (compared once per distinct value)."""
    mask = np.zeros(len(lic), dtype=bool)
    for col, want in (("sku_part_number", sku.part_number), ("sku_id", sku.sku_id)):
        if not want:
            continue
        codes, uniques = pd.factorize(lic[col])
        hits = [i for i, v in enumerate(uniques) if normalize_key(v) == normalize_key(want)]
        mask |= np.isin(codes, hits)
    return pd.Series(mask, index=lic.index)


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


def _sku_labels(lic: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Part number of each row (resolved from the skuId when the export lacks it)."""
    part = lic["sku_part_number"].fillna("").astype(str).str.strip()
    need = part == ""
    if need.any():
        ids = lic.loc[need, "sku_id"].fillna("").astype(str)
        names = lic.loc[need, "product_name"].fillna("").astype(str)
        keys = pd.Series(list(zip(ids, names, strict=True)), index=ids.index)
        cache: dict[tuple[str, str], str] = {}
        for k in set(keys):
            sku = catalog.resolve(k[0]) if k[0] else None
            cache[k] = sku.part_number if sku else k[1].strip()
        part = part.copy()
        part[need] = keys.map(cache)
    return part


def _user_skus(lic: pd.DataFrame, labels: pd.Series, src_or_tgt: pd.Series,
               upns: pd.Index, catalog: Catalog) -> tuple[pd.Series, pd.Series]:
    """Per user: every part number held, and the other licenses held directly (labelled)."""
    rows = lic["upn"].isin(upns) & (labels != "")
    before = _tuple_per_user(lic.loc[rows, "upn"], labels[rows])
    kept = rows & lic["assigned_directly"].astype(bool) & ~src_or_tgt
    names = {p: catalog.display_name(p) for p in set(labels[kept])}
    off = lic.loc[kept, "disabled_plans"].map(
        lambda t: f" (apps off: {', '.join(t)})" if t else "")
    keep = _tuple_per_user(lic.loc[kept, "upn"], labels[kept].map(names) + off)
    return before, keep


def _tuple_per_user(upn: pd.Series, values: pd.Series) -> pd.Series:
    """Sorted unique values per upn as a tuple (joined with one C-level reduce, then split
    once per distinct combination: 500k users share a handful of combinations)."""
    if upn.empty:
        return pd.Series(dtype=object)
    frame = pd.DataFrame({"upn": upn.to_numpy(dtype=object),
                          "v": values.to_numpy(dtype=object)}).drop_duplicates()
    frame = frame.sort_values(["upn", "v"], kind="stable")
    keys = frame["upn"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    joined = np.add.reduceat((frame["v"] + "\x1f").to_numpy(dtype=object), starts)
    combos = {j: tuple(j.split("\x1f")[:-1]) for j in set(joined)}
    return pd.Series([combos[j] for j in joined], index=keys[starts], dtype=object)


def _skus_after(before: tuple[str, ...], src: str, tgt: str, keep_e4: bool,
                add_target: bool) -> tuple[str, ...]:
    skus = set(before)
    if not keep_e4:
        skus.discard(src)
    if add_target:
        skus.add(tgt)
    return tuple(sorted(skus))


def _lost_services(e4_disabled: pd.Series, t_disabled: pd.Series, keep_target: np.ndarray,
                   source: Sku, target: Sku) -> list[tuple[str, ...]]:
    """Target plans disabled on an existing target assignment whose E4 twin is enabled."""
    out: list[tuple[str, ...]] = []
    cache: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
    e4_families = {plan_family(p.name): p.name for p in source.service_plans}
    for e_dis, t_dis, keep in zip(e4_disabled, t_disabled, keep_target, strict=True):
        if not keep or not t_dis:
            out.append(())
            continue
        key = (e_dis, t_dis)
        if key not in cache:
            off_on_e4 = {plan_family(p) for p in e_dis}
            cache[key] = tuple(sorted(
                p for p in t_dis
                if plan_family(p) in e4_families and plan_family(p) not in off_on_e4))
        out.append(cache[key])
    return out


def _swap_notes(kind: np.ndarray, err: np.ndarray, u: pd.DataFrame, enabled: np.ndarray,
                has_groups: np.ndarray, e4_stays: np.ndarray, target_before: np.ndarray,
                lost: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (``;``-joined) and words for facts the admin should know about a moved user."""
    n = len(kind)
    codes = np.full(n, "", dtype=object)
    texts = np.full(n, "", dtype=object)
    moved = np.isin(kind, ["user-swap", "group-member"])
    swap = kind == "user-swap"
    state = u["state"].fillna("").astype(str)
    error = u["error"].fillna("").astype(str)
    err_text = ("E4 is in state " + state + np.where(error != "", " (" + error + ")", "")
                + ": the remove clears it").to_numpy()
    lost_text = ("the existing target assignment disables " + lost.map(", ".join)
                 + " which E4 enables").to_numpy()
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
        (swap & (lost.map(len).to_numpy() > 0), "target-disables-e4-service", lost_text),
    ]
    for mask, code, text in notes:
        if not mask.any():
            continue
        t = text[mask] if isinstance(text, np.ndarray) else text
        sep = np.where(texts[mask] == "", "", "; ")
        texts[mask] = texts[mask] + sep + t
        csep = np.where(codes[mask] == "", "", ";")
        codes[mask] = codes[mask] + csep + code
    return codes, texts


def _reasons(users: pd.DataFrame, notes: np.ndarray, group_block: dict[str, str]) -> np.ndarray:
    """The ``reason`` column of the user rows, in words."""
    kind = users["kind"].to_numpy()
    code = users["reason_code"]
    out = notes.copy()
    skip = kind == "skip"
    out[skip] = code[skip].map(lambda c: _SKIP_TEXT.get(c, c)).to_numpy()
    held = skip & (code == "group-held-back").to_numpy()
    if held.any():
        cache: dict[tuple[str, ...], str] = {}
        for gs in set(users.loc[held, "_groups"]):
            cache[gs] = "; ".join(f"{g}: {group_block.get(g, 'planned')}" for g in gs)
        out[held] = (out[held] + ": " + users.loc[held, "_groups"].map(cache)).to_numpy()
    out[kind == "fix-usage-location"] = (
        "no usage location and no default_usage_location: set it, then plan again (the swap "
        "is held back)")
    out[kind == "reclaim"] = "blocked account: E4 removed without a target (reclaim_blocked: true)"
    return out


def _mode_plans(rows: pd.DataFrame) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Per group: the most common disabled-plan set of its single-group members, and how many
    distinct sets they show (members inheriting from one group only, not directly)."""
    if rows.empty:
        return {}, {}
    key = rows["disabled_plans"].map(";".join)
    counts = pd.DataFrame({"g": rows["group_id"], "k": key}).value_counts().reset_index()
    counts.columns = ["g", "k", "n"]
    counts = counts.sort_values(["g", "n", "k"], ascending=[True, False, True], kind="stable")
    best = counts.drop_duplicates("g").set_index("g")["k"]
    distinct = counts.groupby("g")["k"].size()
    return ({g: tuple(k.split(";")) if k else () for g, k in best.items()},
            {g: int(v) for g, v in distinct.items()})


def _group_rows(pairs: pd.DataFrame, all_groups: list[str], planned: set[str],
                group_block: dict[str, str], u: pd.DataFrame, tg: pd.DataFrame,
                target_before: np.ndarray, swap: np.ndarray, source: Sku, target: Sku,
                catalog: Catalog, mapping: dict[tuple[str, ...], _Mapping]) -> pd.DataFrame:
    """One row per group that assigns E4: a group-swap when planned, else a skip."""
    if not all_groups:
        return _normalized(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    single = u[~u["assigned_directly"].astype(bool) & (u["group_ids"].map(len) == 1)]
    e4_cfg, e4_variants = _mode_plans(pd.DataFrame({
        "group_id": single["group_ids"].map(lambda t: t[0]),
        "disabled_plans": single["disabled_plans"]}))
    tg_single = tg[~tg["assigned_directly"].astype(bool) & (tg["group_ids"].map(len) == 1)]
    t_cfg, _ = _mode_plans(pd.DataFrame({
        "group_id": tg_single["group_ids"].map(lambda t: t[0]),
        "disabled_plans": tg_single["disabled_plans"]}))
    t_groups = {g for gs in tg["group_ids"] for g in gs}

    # seats: members not holding the target yet and not moved directly, counted once (by
    # the first planned group in id order)
    fresh = pd.Series(target_before == "", index=u.index) & ~pd.Series(swap, index=u.index)
    p = pairs[pairs["group_id"].isin(planned)]
    p = p[p["upn"].map(fresh).to_numpy(dtype=bool)].drop_duplicates("upn")
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


def _target_only_rows(tg: pd.DataFrame, before_skus: pd.Series,
                      keep_skus: pd.Series) -> pd.DataFrame:
    """Users who already hold the target and no E4: listed once, nothing to do."""
    if tg.empty:
        return _normalized(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    direct = tg["assigned_directly"].astype(bool).to_numpy()
    via_group = tg["group_ids"].map(len).to_numpy() > 0
    skus = before_skus.reindex(tg.index).map(lambda v: v if isinstance(v, tuple) else ())
    return _normalized(pd.DataFrame({
        "kind": "skip",
        "upn": tg.index,
        "user_id": tg["user_id"].to_numpy(),
        "display_name": tg["display_name"].fillna("").astype(str).to_numpy(),
        "department": tg["department"].fillna("").astype(str).to_numpy(),
        "usage_location": tg["usage_location"].fillna("").astype(str).str.upper().to_numpy(),
        "before_skus": skus.to_numpy(),
        "after_skus": skus.to_numpy(),
        "keep_direct_skus": keep_skus.reindex(tg.index).map(
            lambda v: v if isinstance(v, tuple) else ()).to_numpy(),
        "target_before": np.select([direct & via_group, direct, via_group],
                                   ["direct+group", "direct", "group"], ""),
        "reason_code": "already-on-target",
        "reason": _SKIP_TEXT["already-on-target"],
    }))


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
    if not 1 <= batch_size <= GRAPH_BATCH_LIMIT:
        raise InputError("tenant.yaml", f"batch_size must be 1..{GRAPH_BATCH_LIMIT}",
                         column="batch_size", value=batch_size, fix="set 20 or less")
    t = table.reset_index(drop=True).copy()
    t["batch"] = 0
    kind = t["kind"]
    loc_upns = set(t.loc[kind == "set-usage-location", "upn"])
    swap = kind == "user-swap"
    paired = swap & t["upn"].isin(loc_upns)
    # a set-usage-location row whose swap is not in the table (a remaining plan) runs alone
    orphan = (kind == "set-usage-location") & ~t["upn"].isin(set(t.loc[swap, "upn"]))
    cat = np.select([(swap & ~paired) | orphan, paired, kind == "reclaim",
                     kind == "group-swap"], [0, 1, 2, 3], -1)
    t["_cat"] = cat
    loc_of = t[kind == "set-usage-location"].drop_duplicates("upn").set_index("upn")
    loc_value = t["upn"].map(loc_of["new_usage_location"]).astype(object).fillna("")
    # users share a batch only with users needing the same admin-center settings; groups are
    # switched one by one in Entra, so any groups may share a batch
    t["_key"] = np.where(cat == 3, "", (
        t["keep_direct_skus"].map("|".join) + "#" + t["disabled_plans_after"].map("|".join)
        + "#" + np.where(paired, loc_value, "")))
    t["_who"] = np.where(cat == 3, t["group_id"], t["upn"])
    movers = t[cat >= 0].sort_values(["_cat", "_key", "_who"], kind="stable")
    cap = np.where(movers["_cat"] == 1, min(batch_size, GRAPH_BATCH_LIMIT // 2), batch_size)
    pos = movers.groupby(["_cat", "_key"], sort=False).cumcount().to_numpy()
    chunk = pos // cap
    # movers are sorted by (_cat, _key) and chunk only grows inside a key, so every batch is
    # one run of equal (_cat, _key, chunk): number the runs (no tuple per row to hash)
    m_cat = movers["_cat"].to_numpy()
    m_key = pd.factorize(movers["_key"].to_numpy(dtype=object))[0]
    starts = np.ones(len(movers), dtype=bool)
    starts[1:] = ((m_cat[1:] != m_cat[:-1]) | (m_key[1:] != m_key[:-1])
                  | (chunk[1:] != chunk[:-1]))
    batch = np.cumsum(starts)
    t.loc[movers.index, "batch"] = batch
    t["_order"] = np.nan
    t.loc[movers.index, "_order"] = np.arange(len(movers), dtype=float)
    # a set-usage-location row goes right before its user's swap, in the same batch
    locs = t.index[(kind == "set-usage-location") & ~orphan]
    swap_pos = t[paired].drop_duplicates("upn").set_index("upn")
    t.loc[locs, "batch"] = t.loc[locs, "upn"].map(swap_pos["batch"]).fillna(0).astype("int64")
    t.loc[locs, "_order"] = t.loc[locs, "upn"].map(swap_pos["_order"]) - 0.5
    # not executed: fix-first, group members, skips (users, then groups)
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


def _number_actions(table: pd.DataFrame) -> pd.DataFrame:
    """Action ids per prefix in table order (at least 5 digits)."""
    t = table.copy()
    prefix = t["kind"].map(_PREFIX)
    seq = t.groupby(prefix, sort=False).cumcount() + 1
    width = max(5, len(str(len(t))))
    t["action_id"] = (prefix + seq.astype(str).str.zfill(width)).astype(object)
    return t


# ---------------------------------------------------------------------------------------------
# decisions and summary


def _decisions(table: pd.DataFrame, limits: dict[str, Any],
               target: dict[str, str]) -> list[dict[str, Any]]:
    """What the admin must decide: one entry per (row, question), in table order."""
    out: list[dict[str, Any]] = []
    tname = target.get("display_name", "the target")
    asks = ("reclaim-candidate", "target-disables-e4-service", "group-plans-disagree",
            "group-plans-unknown", "inherited-from-unknown-group", "group-held-back")
    t = table
    interesting = (t["unmapped_plans"].map(len) > 0) | (t["kind"] == "fix-usage-location") \
        | t["reason_code"].str.contains("|".join(asks), regex=True)
    t = t[interesting & ~t["reason_code"].str.startswith("rollback")]
    codes = t["reason_code"].str.split(";")
    for rec, cs in zip(t.itertuples(index=False), codes, strict=True):
        base = {"action_id": rec.action_id, "upn": rec.upn, "group_id": rec.group_id}
        if rec.unmapped_plans:
            out.append({"code": "unmapped-plans", **base, "plans": list(rec.unmapped_plans),
                        "why": f"disabled on E4 but {tname} has no matching plan: nothing to "
                        "disable there; confirm the user needs no replacement switched off"})
        if rec.kind == "fix-usage-location":
            out.append({"code": "usage-location", **base, "plans": [],
                        "why": "no usage location: set it on the user (or "
                        "default_usage_location in tenant.yaml), then plan again"})
        for c in cs:
            if c == "reclaim-candidate" or c == "target-disables-e4-service":
                out.append({"code": c, **base, "plans": [], "why": rec.reason})
            elif c in ("group-plans-disagree", "group-plans-unknown"):
                out.append({"code": c, **base, "plans": list(rec.disabled_plans_after),
                            "why": rec.reason})
            elif c == "inherited-from-unknown-group":
                out.append({"code": "unknown-group", **base, "plans": [],
                            "why": "E4 comes from a group the export does not name: export "
                            "with Graph (licenseAssignmentStates) or switch that group in "
                            "Entra"})
            elif c == "group-held-back" and rec.upn == "":
                out.append({"code": c, **base, "plans": [],
                            "why": rec.reason + ": take the blocking users out of the group "
                            "(or assign them E4 directly) so the group can be switched"})
    return out


def _summary(table: pd.DataFrame, decisions: tuple[dict[str, Any], ...], seats_needed: int,
             seats_available: int | None, shortfall: int | None,
             seats_later: int) -> dict[str, Any]:
    kinds = table["kind"].value_counts()
    skips = table.loc[table["kind"] == "skip", "reason_code"].value_counts()
    e4_users = table["kind"].isin(USER_DECISION_KINDS) & (table["upn"] != "") & (
        table["reason_code"] != "already-on-target")
    moved = table["kind"].isin(["user-swap", "reclaim", "group-member"])
    codes: dict[str, int] = {}
    for d in decisions:
        codes[d["code"]] = codes.get(d["code"], 0) + 1
    gs = table["kind"] == "group-swap"
    return {
        "actions": {k: int(kinds.get(k, 0)) for k in KINDS},
        "batches": int(table["batch"].max()) if len(table) else 0,
        "e4_users": int(e4_users.sum()),
        "users_moved": int(moved.sum()),
        "group_swaps": int(gs.sum()),
        "group_members": int((table["kind"] == "group-member").sum()),
        "group_covered_users": int(table.loc[gs, "members"].sum()),
        "held_back": int((table["kind"] == "fix-usage-location").sum()),
        "seats_needed": seats_needed,
        "seats_needed_later": seats_later,
        "seats_available": seats_available,
        "shortfall": shortfall,
        "skips": {str(k): int(v) for k, v in sorted(skips.items())},
        "decisions": dict(sorted(codes.items())),
    }


def _plan_id(source: dict[str, str], target: dict[str, str], table: pd.DataFrame) -> str:
    """A short content hash: same inputs, same id (no clock involved)."""
    flat = table[list(PLAN_COLUMNS)].copy()
    for col in TUPLE_COLUMNS:
        flat[col] = flat[col].map("|".join)
    h = hashlib.sha256(json.dumps([source, target, list(PLAN_COLUMNS)],
                                  sort_keys=True).encode())
    h.update(pd.util.hash_pandas_object(flat, index=False).to_numpy().tobytes())
    return h.hexdigest()[:16]


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


def plan_from_json(data: dict[str, Any]) -> Plan:
    """A Plan from the ``plan.json`` content (the inverse of :meth:`Plan.to_dict`)."""
    try:
        actions = pd.DataFrame(data.get("actions") or [], columns=list(PLAN_COLUMNS))
        for col in TUPLE_COLUMNS:  # JSON lists back to tuples
            actions[col] = [tuple(v) if isinstance(v, list | tuple) else () for v in
                            actions[col]]
        table = _normalized(actions)
        return Plan(
            tenant=str(data["tenant"]),
            source=dict(data["source"]),
            target=dict(data["target"]),
            table=table,
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
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("plan.json", f"not a plan written by e4-playbook ({exc})",
                         fix="write the plan again with e4-playbook plan") from None


def load_plan(plan_dir: str | Path) -> Plan:
    """Read ``<plan_dir>/plan.json`` (or the file itself) back into a :class:`Plan`."""
    path = Path(plan_dir)
    if path.is_dir():
        path = path / "plan.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "plan.json not found",
                         fix="pass the plan/ folder written by e4-playbook plan") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON ({exc})",
                         fix="write the plan again with e4-playbook plan") from None
    if not isinstance(data, dict):
        raise InputError(path, "not a plan", fix="write the plan again with e4-playbook plan")
    try:
        return plan_from_json(data)
    except InputError as exc:
        raise InputError(path, exc.message, fix=exc.fix) from None


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
    the undone row's batch, so ``rollback/007.json`` undoes ``graph-batches/007.json``.
    """
    t = plan.table if isinstance(plan, Plan) else plan
    ex = t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)]
    ex = ex.iloc[::-1].sort_values("batch", ascending=False, kind="stable")
    r = ex.copy()
    r["action_id"] = "R" + ex["action_id"]
    licence = ex["kind"] != "set-usage-location"
    # the plan added a new target assignment unless the user/group already held it there
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
