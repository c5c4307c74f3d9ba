"""Does the local Graph's final state equal a plan's intended after-state?

Read from the plan itself (``playbook.plan.store.load_plan``; columns documented in
``playbook/plan/model.py``), independently of how the client carried it out:

- every user with an executed row (``user-swap``, ``reclaim``; ``group-member`` when its group's
  ``group-swap`` ran) holds exactly the SKUs of ``after_skus``; where the plan adds the target
  itself (a user-swap with ``add_sku_id``, or a group member who did not hold the target), the
  target's disabled plans are ``disabled_plan_ids_after``; every other SKU keeps the disabled
  plans it had; no path is in an error it was not in before;
- ``set-usage-location`` rows: the usage location is the planned one;
- every ``group-swap`` group assigns what it assigned, minus E4, plus the target with
  ``disabled_plan_ids_after``, and its processing is complete;
- a user with a row that is not executed (``fix-usage-location``, ``skip``) who is a member of a
  swapped group holds exactly that row's ``after_skus`` (the group's change reaches them);
- every other user and group is exactly as it was.

``batches`` limits "executed" to those batch numbers (a pilot run); None = the whole plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphsim.errors import GraphError
from graphsim.records import COMPLETE, Licenses
from playbook.plan import EXECUTED_KINDS
from playbook.plan.store import load_plan

if TYPE_CHECKING:
    from graphsim.model import GraphTenant

USER_ROW_KINDS = ("user-swap", "reclaim", "group-member")


def differences(tenant: GraphTenant, plan_dir: Path, batches: set[int] | None) -> list[str]:
    """One line per user or group that differs from the plan's after-state."""
    table = load_plan(plan_dir).table
    ran = table["kind"].isin(EXECUTED_KINDS) & (table["batch"] >= 1)
    if batches is not None:
        ran &= table["batch"].isin(sorted(batches))
    executed = table[ran]
    swapped_groups = set(executed.loc[executed["kind"] == "group-swap", "group_id"].str.lower())
    rows = table[table["kind"].isin(USER_ROW_KINDS)]
    moved = rows[(rows["kind"] != "group-member") & ran.loc[rows.index]
                 | (rows["kind"] == "group-member")
                 & rows["group_id"].str.lower().isin(swapped_groups)]
    locations = {_uid(tenant, r): r["new_usage_location"] for _, r in
                 executed[executed["kind"] == "set-usage-location"].iterrows()}
    out: list[str] = []
    checked: set[str] = set()
    for _, row in moved.iterrows():
        uid = _uid(tenant, row)
        if uid:
            checked.add(uid)
            out += _moved_user(tenant, uid, row)
    # a user held back (no usage location, skipped) who inherits E4 from a swapped group
    # still changes with the group: the row's after_skus say how
    in_swapped = {u for g in swapped_groups if g in tenant.groups
                  for u in tenant.groups[g].members}
    for _, row in table[table["kind"].isin(("fix-usage-location", "skip"))].iterrows():
        uid = _uid(tenant, row) if row["upn"] else ""
        if uid and uid in in_swapped and uid not in checked:
            checked.add(uid)
            out += _moved_user(tenant, uid, row)
    for uid in tenant.users:
        out += _location(tenant, uid, locations)
        if uid not in checked:
            out += _unchanged_user(tenant, uid)
    out += _groups(tenant, executed[executed["kind"] == "group-swap"], swapped_groups)
    return out


def _uid(tenant: GraphTenant, row: pd.Series) -> str:
    for ref in (row["user_id"], row["upn"]):
        if ref:
            try:
                return tenant.user(str(ref)).id
            except GraphError:
                continue  # a user the tenant lacks: the row is not checked
    return ""


def _name(tenant: GraphTenant, uid: str) -> str:
    return tenant.users[uid].upn


def _parts(tenant: GraphTenant, skus: Any) -> str:
    names = sorted(tenant.skus[s].part_number if s in tenant.skus else s for s in skus)
    return ", ".join(names) or "(none)"


def _listed(tenant: GraphTenant, uid: str) -> tuple[Licenses, set[tuple[str, str]]]:
    """(effective licences, errors now); SKUs still in the error they started with count as
    listed (after_skus names them), new errors are returned separately."""
    user = tenant.users[uid]
    held = tenant.effective(user)
    errors = tenant.errors_of(user)
    before = tenant.initial["users"][uid][1]
    for sku, error in errors:
        if (sku, error) in before:
            held.setdefault(sku, frozenset())
    return held, set(errors - before)


def _moved_user(tenant: GraphTenant, uid: str, row: pd.Series) -> list[str]:
    part_to_id = {s.part_number.lower(): s.sku_id for s in tenant.skus.values()}
    expected = {part_to_id[p.lower()] for p in row["after_skus"] if p.lower() in part_to_id}
    held, new_errors = _listed(tenant, uid)
    who = f"{_name(tenant, uid)} ({row['action_id']})"
    out = [f"{who}: now in error {e} on {_parts(tenant, [s])}" for s, e in sorted(new_errors)]
    if set(held) != expected:
        out.append(f"{who}: holds {_parts(tenant, held)}, plan says {_parts(tenant, expected)}")
    target = tenant.sku_by_part(tenant.target)
    adds_target = bool(row["add_sku_id"]) or (row["kind"] == "group-member"
                                              and not row["target_before"])
    initial = tenant.initial["users"][uid][0]
    for sku, disabled in held.items():
        if target is not None and sku == target.sku_id and adds_target:
            want = frozenset(p.lower() for p in row["disabled_plan_ids_after"])
        elif target is not None and sku == target.sku_id:
            continue  # the target as it already was, or as another path gives it
        elif sku in initial:
            want = initial[sku]
            direct = tenant.users[uid].direct.get(sku)
            if direct is not None and disabled == direct:
                continue  # a group path gone, the direct one's own settings show now
        else:
            continue
        if disabled != want:
            out.append(f"{who}: {_parts(tenant, [sku])} disables {sorted(disabled)}, "
                       f"plan says {sorted(want)}")
    return out


def _unchanged_user(tenant: GraphTenant, uid: str) -> list[str]:
    before, errors, _ = tenant.initial["users"][uid]
    user = tenant.users[uid]
    now = tenant.effective(user)
    out = []
    if now != before:
        out.append(f"{user.upn}: not in the executed plan, but its licences changed from "
                   f"{_parts(tenant, before)} to {_parts(tenant, now)} (or their disabled plans)")
    if tenant.errors_of(user) != errors:
        out.append(f"{user.upn}: not in the executed plan, but its errors changed to "
                   f"{sorted(tenant.errors_of(user))}")
    return out


def _location(tenant: GraphTenant, uid: str, planned: dict[str, str]) -> list[str]:
    user = tenant.users[uid]
    want = planned.get(uid) or tenant.initial["users"][uid][2]
    if (user.usage_location or None) != (want or None):
        return [f"{user.upn}: usage location {user.usage_location!r}, plan says {want!r}"]
    return []


def _groups(tenant: GraphTenant, swaps: pd.DataFrame, swapped: set[str]) -> list[str]:
    out = []
    for _, row in swaps.iterrows():
        gid = str(row["group_id"]).lower()
        if gid not in tenant.groups:
            out.append(f"group {gid} ({row['action_id']}): not in the tenant")
            continue
        want = dict(tenant.initial["groups"][gid])
        want.pop(str(row["remove_sku_id"]).lower(), None)
        if row["add_sku_id"]:
            want[str(row["add_sku_id"]).lower()] = frozenset(
                p.lower() for p in row["disabled_plan_ids_after"])
        group = tenant.groups[gid]
        if group.assigned != want:
            out.append(f"group {gid} ({row['action_id']}): assigns {_show(tenant, group.assigned)}"
                       f", plan says {_show(tenant, want)}")
        if group.processing_state != COMPLETE:
            out.append(f"group {gid} ({row['action_id']}): still {group.processing_state}")
    for gid, group in tenant.groups.items():
        if gid not in swapped and group.assigned != tenant.initial["groups"][gid]:
            out.append(f"group {gid}: not in the executed plan, but assigns "
                       f"{_show(tenant, group.assigned)}")
    return out


def _show(tenant: GraphTenant, licenses: Licenses) -> str:
    return "; ".join(f"{_parts(tenant, [s])} off {sorted(d)}" for s, d in sorted(licenses.items()))
