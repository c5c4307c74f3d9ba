"""Disabled service plans carried from E4 to the target: same name first, then the one plan of
the same family; a plan with no match is a decision for the admin, never dropped silently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from playbook.catalog import Catalog, Sku, is_guid, normalize_key, plan_family


@dataclass(frozen=True)
class PlanMapping:
    """E4 service plans carried to the target: the target's names and ids (same order), and
    the E4 plans with no match there."""

    names: tuple[str, ...]
    ids: tuple[str, ...]
    unmapped: tuple[str, ...]


def map_disabled_plans(names: Iterable[str], source: Sku, target: Sku,
                       catalog: Catalog | None = None) -> PlanMapping:
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
    return PlanMapping(names_after, tuple(out[n] for n in names_after), tuple(sorted(unmapped)))


def plan_ids(names: tuple[str, ...], sku: Sku, catalog: Catalog) -> tuple[str, ...]:
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
