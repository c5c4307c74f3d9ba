"""Disabled service plans carried from E4 to the target: same name first, then the one plan of
the same family, then the plan's successor (:data:`playbook.catalog.PLAN_SUCCESSORS`: E4's
MCOVOICECONF switched off means the target's MCOEV stays off too, a decision the admin sees); a
plan with no match is a decision for the admin, never dropped silently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from playbook.catalog import (
    PLAN_SUCCESSORS,
    Catalog,
    Sku,
    is_guid,
    normalize_key,
    plan_family,
)


@dataclass(frozen=True)
class PlanMapping:
    """E4 service plans carried to the target: the target's names and ids (same order), the
    E4 plans with no match there, and the (E4 plan, target successor) pairs kept off."""

    names: tuple[str, ...]
    ids: tuple[str, ...]
    unmapped: tuple[str, ...]
    successors: tuple[tuple[str, str], ...] = ()


def map_disabled_plans(names: Iterable[str], source: Sku, target: Sku,
                       catalog: Catalog | None = None) -> PlanMapping:
    """Map E4 plans to the target's: same name first, then the one plan of the same family.

    A plan named by GUID is named through the catalog first. A plan with neither a same-named
    nor a same-family plan on the target is mapped to its successors there (inference: a
    plan the E4 one's successor depends on was switched off, so the successor stays off
    rather than being switched on silently). A plan with no match (or an ambiguous family)
    is returned as unmapped: a decision for the admin.
    """
    by_family: dict[str, list[str]] = {}
    for p in target.service_plans:
        by_family.setdefault(plan_family(p.name), []).append(p.name)
    out: dict[str, str] = {}
    unmapped: list[str] = []
    kept: list[tuple[str, str]] = []
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
        heirs = successors_on(name, target)
        if len(family) == 1:
            out[family[0]] = target.plan_id(family[0]) or ""
        elif heirs:
            out.update(heirs)
            kept.extend((name.strip().upper(), h) for h in heirs)
        else:
            unmapped.append(raw)
    names_after = tuple(sorted(out))
    return PlanMapping(names_after, tuple(out[n] for n in names_after), tuple(sorted(unmapped)),
                       tuple(sorted(set(kept))))


def successors_on(name: str, target: Sku) -> dict[str, str]:
    """The target's plans (name: id) that succeed the E4 plan ``name`` (catalog's table)."""
    heirs: dict[str, str] = {}
    for succ in PLAN_SUCCESSORS.get(name.strip().upper(), ()):
        pid = target.plan_id(succ)
        if pid is not None:
            heirs[next(p.name for p in target.service_plans
                       if normalize_key(p.name) == normalize_key(succ))] = pid
    return heirs


def successors_kept_off(before: tuple[str, ...], after: tuple[str, ...]
                        ) -> tuple[tuple[str, str], ...]:
    """(E4 plan, successor) pairs where the E4 plan was off and its successor stays off."""
    off_after = {normalize_key(p).upper() for p in after}
    return tuple((b.strip().upper(), s) for b in before
                 for s in PLAN_SUCCESSORS.get(b.strip().upper(), ())
                 if normalize_key(s).upper() in off_after)


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
