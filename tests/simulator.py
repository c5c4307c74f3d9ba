"""A small tenant simulator: apply plan rows to a license table the way Entra would.

``apply_plan(before, plan)`` runs the executed rows (batch >= 1) in table order and returns the
after license table (same contract as :mod:`playbook.table`); ``apply_rollback(after, plan)``
runs :func:`playbook.plan.rollback_actions`. ``assignments(table)`` gives the comparable
state: who holds which SKU by which path with which disabled plans, and the user fields.

The model keeps, per (user, SKU), the direct path and each group path with its own disabled
plans, because Entra does; a plan is off only when every path turns it off (what exports show).
Loading an export gives every path of a row that row's effective settings; a table this
simulator returned carries its per-path state in ``attrs`` (Entra remembers it too). Like Graph, it
refuses what would fail for real (:class:`SimulatedGraphError`):
removing a SKU the user does not hold directly, adding a license to a user without usage
location (forward runs only: a rollback restores an earlier state), an unknown kind.
``product_name``, ``state`` and ``error`` are Microsoft's to compute: new rows are ``Active``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from playbook.plan import EXECUTED_KINDS, Plan, rollback_actions
from playbook.table import normalize_license_table

USER_FIELDS = ("upn", "user_id", "display_name", "department", "usage_location",
               "account_enabled")
ASSIGNMENT_FIELDS = ("upn", "sku_part_number", "sku_id", "assigned_directly", "group_ids",
                     "disabled_plans")


_STATE = "simulated_paths"


class SimulatedGraphError(AssertionError):
    """A call Graph would reject."""


@dataclass
class _Sku:
    part: str
    sku_id: str
    direct: tuple[str, ...] | None = None  # the direct path's disabled plans; None = no path
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> its settings
    product_name: str = ""
    state: str = "Active"
    error: str = ""

    def disabled(self) -> tuple[str, ...]:
        """Effective disabled plans: a plan is off only when every path turns it off."""
        paths = ([set(self.direct)] if self.direct is not None else []) + [
            set(v) for v in self.groups.values()]
        return tuple(sorted(set.intersection(*paths))) if paths else ()

    def empty(self) -> bool:
        return self.direct is None and not self.groups


@dataclass
class _User:
    fields: dict[str, Any]
    skus: dict[str, _Sku] = field(default_factory=dict)


def _items(value: Any) -> tuple[str, ...]:
    """A tuple cell (hand-built tables may leave NaN)."""
    return tuple(value) if isinstance(value, tuple | list) else ()


def _load(table: pd.DataFrame) -> dict[str, _User]:
    remembered = table.attrs.get(_STATE)
    if remembered is not None and _same(table, _rows(remembered)):
        return copy.deepcopy(remembered)  # a table this simulator produced, unchanged
    users: dict[str, _User] = {}
    for rec in normalize_license_table(table).to_dict("records"):
        upn = rec["upn"]
        user = users.setdefault(upn, _User({k: rec[k] for k in USER_FIELDS}))
        part = rec["sku_part_number"]
        if not part:
            continue
        disabled = tuple(sorted(_items(rec["disabled_plans"])))
        # an export shows only the effective settings: give every path those
        user.skus[part] = _Sku(
            part=part, sku_id=rec["sku_id"],
            direct=disabled if rec["assigned_directly"] else None,
            groups={g.lower(): disabled for g in _items(rec["group_ids"])},
            product_name=rec["product_name"], state=rec["state"], error=rec["error"],
        )
    return users


def _same(table: pd.DataFrame, rows: list[dict[str, Any]]) -> bool:
    got, want = assignments(table), assignments(pd.DataFrame(rows))
    return all(g.equals(w) for g, w in zip(got, want, strict=True))


def _dump(users: dict[str, _User]) -> pd.DataFrame:
    table = normalize_license_table(pd.DataFrame(_rows(users)))
    table.attrs[_STATE] = copy.deepcopy(users)
    return table


def _rows(users: dict[str, _User]) -> list[dict[str, Any]]:
    rows = []
    for upn in sorted(users):
        user = users[upn]
        if not user.skus:
            rows.append({**user.fields, "sku_part_number": "", "sku_id": "", "product_name": "",
                         "assigned_directly": False, "group_ids": (), "disabled_plans": (),
                         "state": "", "error": ""})
        for part in sorted(user.skus):
            s = user.skus[part]
            rows.append({**user.fields, "sku_part_number": part, "sku_id": s.sku_id,
                         "product_name": s.product_name or part,
                         "assigned_directly": s.direct is not None,
                         "group_ids": tuple(sorted(s.groups)), "disabled_plans": s.disabled(),
                         "state": s.state, "error": s.error})
    return rows


def _user(users: dict[str, _User], upn: str) -> _User:
    if upn not in users:
        raise SimulatedGraphError(f"user {upn!r} does not exist")
    return users[upn]


def _sku(user: _User, row: Any) -> _Sku:
    s = user.skus.get(row.add_sku_part_number)
    if s is None:
        s = user.skus[row.add_sku_part_number] = _Sku(row.add_sku_part_number, row.add_sku_id)
    return s


def _assign_user(user: _User, row: Any, check_location: bool) -> None:
    upn = user.fields["upn"]
    held = user.skus.get(row.remove_sku_part_number) if row.remove_sku_part_number else None
    if row.remove_sku_part_number and (held is None or held.direct is None):
        raise SimulatedGraphError(
            f"{row.action_id}: {upn} does not hold {row.remove_sku_part_number} directly "
            "(inherited licenses cannot be removed from the user)")
    if row.add_sku_part_number and check_location and not user.fields["usage_location"]:
        raise SimulatedGraphError(f"{row.action_id}: {upn} has no usage location")
    if held is not None:  # one call: the remove and the add apply together
        held.direct = None
        if held.empty():
            del user.skus[row.remove_sku_part_number]
    if row.add_sku_part_number:
        _sku(user, row).direct = tuple(sorted(row.disabled_plans_after))


def _assign_group(users: dict[str, _User], row: Any) -> None:
    g = row.group_id.lower()
    parts = {row.add_sku_part_number, row.remove_sku_part_number} - {""}
    members = [u for u in users.values()
               if any(g in s.groups for p, s in u.skus.items() if p in parts)]
    if not members:
        raise SimulatedGraphError(f"{row.action_id}: group {g} assigns none of {sorted(parts)}")
    for user in members:
        held = user.skus.get(row.remove_sku_part_number) if row.remove_sku_part_number else None
        if held is not None and g in held.groups:
            del held.groups[g]
            if held.empty():
                del user.skus[row.remove_sku_part_number]
        if row.add_sku_part_number:
            _sku(user, row).groups[g] = tuple(sorted(row.disabled_plans_after))


def apply_actions(licenses: pd.DataFrame, actions: pd.DataFrame, *,
                  check_location: bool = True) -> pd.DataFrame:
    """Run the executed rows of ``actions`` (batch >= 1) in order on ``licenses``."""
    users = _load(licenses)
    rows = actions[actions["kind"].isin(EXECUTED_KINDS) & (actions["batch"] > 0)]
    for row in rows.itertuples(index=False):
        if row.kind == "set-usage-location":
            _user(users, row.upn).fields["usage_location"] = row.new_usage_location
        elif row.kind in ("user-swap", "reclaim"):
            _assign_user(_user(users, row.upn), row, check_location)
        elif row.kind == "group-swap":
            _assign_group(users, row)
        else:  # pragma: no cover - EXECUTED_KINDS are all handled
            raise SimulatedGraphError(f"unknown kind {row.kind!r}")
    return _dump(users)


def _table(plan: Plan | pd.DataFrame) -> pd.DataFrame:
    return plan.table if isinstance(plan, Plan) else plan


def apply_plan(before: pd.DataFrame, plan: Plan | pd.DataFrame) -> pd.DataFrame:
    """The license table after every executed row of the plan."""
    return apply_actions(before, _table(plan))


def apply_rollback(after: pd.DataFrame, plan: Plan | pd.DataFrame) -> pd.DataFrame:
    """The license table after the plan's rollback (the inverse rows, last batch first)."""
    return apply_actions(after, rollback_actions(_table(plan)), check_location=False)


def assignments(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(users, licenses): the comparable state of a license table, sorted."""
    t = normalize_license_table(table)
    users = t[list(USER_FIELDS)].drop_duplicates("upn").sort_values("upn")
    lic = t[t["sku_part_number"] != ""][list(ASSIGNMENT_FIELDS)].copy()
    lic["sku_id"] = lic["sku_id"].str.lower()
    lic["group_ids"] = lic["group_ids"].map(
        lambda v: tuple(sorted(x.lower() for x in _items(v))))
    lic["disabled_plans"] = lic["disabled_plans"].map(lambda v: tuple(sorted(_items(v))))
    lic = lic.sort_values(["upn", "sku_part_number"])
    return users.reset_index(drop=True), lic.reset_index(drop=True)
