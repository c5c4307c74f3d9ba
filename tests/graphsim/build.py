"""Build a :class:`graphsim.model.GraphTenant` from what the playbook reads.

A tenant folder goes through ``playbook.tenant.load_tenant`` (the playbook's own readers and
layered catalog), so the local Graph starts from exactly the license table the playbook plans
from. What an export cannot carry is filled the way Graph would hold it:

- users without an object id get a stable made-up one (uuid5 of the UPN);
- a licence's group paths come from ``group_ids`` (only Graph JSON exports carry them; other
  formats make every licence direct); a group's own disabled plans are those of a member who
  holds the SKU only through it;
- service-plan *names* become ids through the SKU's plans (subscriptions, then catalog);
- without a subscriptions export, every SKU held gets exactly the seats in use, and the target
  enough free seats for every E4 holder (the playbook then says seats are unverified);
- ``consumedUnits`` starts at what the export said (the difference from the users modelled is
  kept as an offset), then moves with every write.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphsim.records import GraphGroup, GraphSku, GraphUser
from playbook.catalog import SOURCE_PART, Catalog, is_guid
from playbook.tenant import load_tenant
from playbook.testing.synth import synth_tenant

if TYPE_CHECKING:
    from graphsim.model import GraphTenant

ID_NAMESPACE = uuid.UUID("6f6e8a52-3c1b-4f4e-9d55-0c0ffee0e4e4")


def made_up_id(kind: str, key: str) -> str:
    """A stable object id for something an export names but gives no id."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{key.lower()}"))


def tenant_from_dir(tenant: GraphTenant, folder: Path) -> GraphTenant:
    """Fill ``tenant`` from a playbook tenant folder."""
    loaded = load_tenant(folder)
    target = loaded.catalog.get(loaded.config.target)
    tenant.display_name = loaded.config.name
    tenant.target = target.part_number
    return populate(tenant, loaded.licenses, loaded.subscriptions, loaded.catalog,
                    target.part_number, {})


def tenant_from_synth(tenant: GraphTenant, n_users: int, seed: int,
                      group_share: float) -> GraphTenant:
    """Fill ``tenant`` with a made-up tenant (``playbook.testing.synth``, Graph JSON truth)."""
    mix = {"e4_group": group_share, "e4_direct": max(0.0, 0.70 - group_share)}
    made = synth_tenant(n_users, seed=seed, mix=mix)
    tenant.display_name = made.name
    tenant.target = made.config["target"]
    names = {gid: name for name, gid in made.groups.items()}
    return populate(tenant, made.truth, made.subscriptions, Catalog.builtin(), tenant.target,
                    names)


def populate(tenant: GraphTenant, licenses: pd.DataFrame, subscriptions: pd.DataFrame | None,
             catalog: Catalog, target: str, group_names: dict[str, str]) -> GraphTenant:
    """Users, groups and SKUs from a license table and a subscription table."""
    candidates: dict[tuple[str, str], list[tuple[bool, frozenset[str]]]] = {}
    plan_ids: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}
    for row in licenses.itertuples(index=False):
        user = _user(tenant, row)
        sku_id = _sku_id(row, catalog)
        if not sku_id:
            continue
        key = (sku_id, tuple(row.disabled_plans))
        if key not in plan_ids:
            plan_ids[key] = _plan_ids(sku_id, key[1], catalog, subscriptions)
        _add_paths(tenant, user, row, sku_id, plan_ids[key], candidates, group_names)
    for (gid, sku_id), seen in candidates.items():
        # a member who holds the SKU only through this group shows the group's own settings
        disabled = next((d for only, d in seen if only), seen[0][1])
        tenant.groups[gid].assigned[sku_id] = disabled
        tenant.groups[gid].applied[sku_id] = disabled
    _skus(tenant, subscriptions, catalog)
    tenant.finish()
    _seats(tenant, subscriptions, catalog, target)
    return tenant


def _user(tenant: GraphTenant, row: Any) -> GraphUser:
    upn = str(row.upn).strip().lower()
    user_id = str(row.user_id or "").strip().lower() or made_up_id("user", upn)
    user = tenant.users.get(user_id)
    if user is None:
        user = GraphUser(id=user_id, upn=upn, display_name=str(row.display_name or ""),
                         department=str(row.department or ""),
                         account_enabled=bool(row.account_enabled),
                         usage_location=str(row.usage_location or "").upper() or None)
        tenant.users[user_id] = user
    return user


def _sku_id(row: Any, catalog: Catalog) -> str:
    if row.sku_id:
        return str(row.sku_id).strip().lower()
    sku = catalog.resolve(row.sku_part_number) if row.sku_part_number else None
    return sku.sku_id.lower() if sku else ""


def _plan_ids(sku_id: str, names: Iterable[str], catalog: Catalog,
              subscriptions: pd.DataFrame | None) -> frozenset[str]:
    """Disabled plan names (as the license table holds them) as Graph's plan ids."""
    plans = dict(_service_plans(sku_id, catalog, subscriptions))
    by_name = {name.lower(): pid for name, pid in plans.items()}
    out = set()
    for name in names:
        text = str(name).strip()
        out.add(text.lower() if is_guid(text) else by_name.get(text.lower())
                or made_up_id("plan", f"{sku_id}:{text}"))
    return frozenset(out)


def _service_plans(sku_id: str, catalog: Catalog,
                   subscriptions: pd.DataFrame | None) -> list[tuple[str, str]]:
    """(name, id) of a SKU's plans: the subscription export's, else the catalog's."""
    if subscriptions is not None:
        rows = subscriptions[subscriptions["sku_id"].str.lower() == sku_id]
        for plans in rows["service_plans"]:
            if plans:
                return [(str(n), str(i).lower()) for n, i, *_ in plans]
    sku = catalog.resolve(sku_id)
    return [(p.name, p.id.lower()) for p in sku.service_plans] if sku else []


def _add_paths(tenant: GraphTenant, user: GraphUser, row: Any, sku_id: str,
               disabled: frozenset[str],
               candidates: dict[tuple[str, str], list[tuple[bool, frozenset[str]]]],
               group_names: dict[str, str]) -> None:
    """The row's direct and group paths; an ``Error`` row errs on its group paths (group
    errors arrive later; a failed direct write leaves nothing) or, with none, directly."""
    groups = [str(g).strip().lower() for g in row.group_ids]
    error = (str(row.error or "") or "Other") if row.state == "Error" else ""
    if row.assigned_directly:
        if error and not groups:
            user.direct_errors[sku_id] = error
        else:
            user.direct[sku_id] = disabled
    for gid in groups:
        group = tenant.groups.get(gid)
        if group is None:
            name = group_names.get(gid) or f"Licensing group {len(tenant.groups) + 1}"
            group = tenant.groups[gid] = GraphGroup(id=gid, display_name=name)
        if user.id not in group.members:
            group.members.append(user.id)
            user.groups.append(gid)
        candidates.setdefault((gid, sku_id), []).append(
            (not row.assigned_directly and not error, disabled))
        if error:
            user.group_errors[(gid, sku_id)] = error


def _skus(tenant: GraphTenant, subscriptions: pd.DataFrame | None, catalog: Catalog) -> None:
    """One ``subscribedSku`` per subscription row, and per SKU held that has none."""
    if subscriptions is not None:
        for rec in subscriptions.itertuples(index=False):
            sku_id = str(rec.sku_id or "").lower() or (
                catalog.resolve(rec.sku_part_number).sku_id.lower()
                if catalog.resolve(rec.sku_part_number) else "")
            if not sku_id:
                continue
            plans = tuple((str(n), str(i).lower(), str(s or "Success"))
                          for n, i, *rest in rec.service_plans for s in (rest[:1] or [""]))
            tenant.skus[sku_id] = GraphSku(
                sku_id=sku_id, part_number=rec.sku_part_number, enabled=int(rec.enabled),
                warning=int(rec.warning), suspended=int(rec.suspended),
                locked_out=int(rec.locked_out), applies_to=rec.applies_to or "User",
                capability_status=rec.capability_status or "Enabled",
                subscription_ids=tuple(rec.subscription_ids),
                service_plans=plans or _catalog_plans(sku_id, catalog))
    held = {s for u in tenant.users.values() for s in (*u.direct, *u.direct_errors)}
    held |= {s for g in tenant.groups.values() for s in g.assigned}
    for sku_id in sorted(held - set(tenant.skus)):
        sku = catalog.resolve(sku_id)
        tenant.skus[sku_id] = GraphSku(sku_id=sku_id,
                                       part_number=sku.part_number if sku else sku_id,
                                       enabled=0, service_plans=_catalog_plans(sku_id, catalog),
                                       subscription_ids=(made_up_id("subscription", sku_id),))


def _catalog_plans(sku_id: str, catalog: Catalog) -> tuple[tuple[str, str, str], ...]:
    sku = catalog.resolve(sku_id)
    return tuple((p.name, p.id.lower(), "Success") for p in sku.service_plans) if sku else ()


def _seats(tenant: GraphTenant, subscriptions: pd.DataFrame | None, catalog: Catalog,
           target: str) -> None:
    """consumedUnits as the export said them; seats for SKUs no export counted."""
    exported = set()
    if subscriptions is not None:
        for rec in subscriptions.itertuples(index=False):
            sku_id = str(rec.sku_id or "").lower()
            if sku_id in tenant.skus:
                exported.add(sku_id)
                tenant.skus[sku_id].offset = int(rec.consumed) - tenant.consumed(sku_id)
    source = catalog.resolve(SOURCE_PART)
    e4_holders = tenant.consumed(source.sku_id.lower()) if source and \
        source.sku_id.lower() in tenant.skus else 0
    target_sku = catalog.resolve(target)
    if target_sku is not None and target_sku.sku_id.lower() not in tenant.skus:
        tid = target_sku.sku_id.lower()
        tenant.skus[tid] = GraphSku(sku_id=tid, part_number=target_sku.part_number, enabled=0,
                                    service_plans=_catalog_plans(tid, catalog),
                                    subscription_ids=(made_up_id("subscription", tid),))
    for sku_id, sku in tenant.skus.items():
        if sku_id in exported:
            continue
        sku.enabled = tenant.consumed(sku_id)
        if subscriptions is None and target_sku and sku_id == target_sku.sku_id.lower():
            sku.enabled += e4_holders
