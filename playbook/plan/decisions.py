"""What the admin must decide, the plan's counts, and the finished :class:`Plan`.

A decision is one question about one row (or about the whole plan, ``action_id`` ""): the
rules put the facts in ``reason_code`` (``;``-joined) and ``unmapped_plans``; this module turns
them into entries an admin reads.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from playbook.catalog import Catalog, Sku, plan_labels
from playbook.counting import UNKNOWN_BUY, BuyFigure, count_licenses, included_addons
from playbook.messages import message
from playbook.plan.disabled_plans import successors_kept_off
from playbook.plan.identity import plan_id
from playbook.plan.model import KIND_CATEGORIES, KINDS, USER_DECISION_KINDS, Plan, seats_sentence
from playbook.plan.values import per_distinct_row
from playbook.table import has_items, per_distinct

ASKING_CODES: tuple[str, ...] = (
    "reclaim-candidate", "target-disables-e4-service", "group-plans-disagree",
    "group-plans-unknown", "inherited-from-unknown-group", "group-held-back",
    "target-in-error",
)
"""Reason codes that put a question to the admin."""

DECISION_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "upn", "group_id", "unmapped_plans", "disabled_plans_after",
    "reason_code", "reason",
)
"""The plan columns a decision is made of."""


def finished_plan(*, tenant: str, source: dict[str, str], target: dict[str, str],
                  table: pd.DataFrame, batch_size: int, seats_available: int | None,
                  limits: dict[str, Any], users_file: dict[str, str], notes: tuple[str, ...],
                  seats_later: int, plan_level: tuple[dict[str, Any], ...] = (),
                  buy: BuyFigure = UNKNOWN_BUY, tenant_id: str = "",
                  language: str = "en") -> Plan:
    """The Plan of a batched, numbered table: seats, decisions, summary and id.

    ``buy`` is counting's "Buy N" for the whole move (:func:`whole_move_buy`), shown beside
    this round's shortfall so the plan and ``assess`` say the same thing."""
    seats_needed = int(table.loc[table["batch"] > 0, "new_seats"].sum())
    shortfall = None if seats_available is None else max(0, seats_needed - seats_available)
    decisions = (plan_level + tuple(plan_decisions(table, target, language))
                 + tuple(successor_decisions(table, target, language)))
    summary = plan_summary(table, decisions, seats_needed, seats_available, shortfall,
                           seats_later)
    summary["to_buy_whole_move"] = buy.total
    summary["buy"] = buy.to_dict()
    summary["seats"] = seats_sentence(seats_needed, seats_available, buy.total, language)
    return Plan(
        tenant=tenant, source=source, target=target, table=table, batch_size=batch_size,
        seats_needed=seats_needed, seats_available=seats_available, shortfall=shortfall,
        refused=bool(shortfall), decisions=decisions, summary=summary, limits=limits,
        users_file=users_file, plan_id=plan_id(source, target, table, tenant_id), notes=notes,
        tenant_id=tenant_id, language=language,
    )


def plan_decisions(table: pd.DataFrame, target: dict[str, str],
                   lang: str = "en") -> list[dict[str, Any]]:
    """What the admin must decide: one entry per (row, question), in table order; the
    ``why`` in ``lang`` (the row's own reason where it carries the row's evidence)."""
    t = table
    code = t["reason_code"]
    asking_code = per_distinct(code, lambda c: any(a in c for a in ASKING_CODES))
    rollback = per_distinct(code, lambda c: c.startswith("rollback"))
    asks = (asking_code.astype(bool) | t["kind"].isin(["fix-usage-location", "reclaim"])
            | has_items(t["unmapped_plans"]))
    t = t.loc[asks & ~rollback.astype(bool), list(DECISION_COLUMNS)]
    out: list[dict[str, Any]] = []
    for row in t.itertuples(index=False):  # the few rows that ask something
        out.extend(_row_decisions(row, target.get("display_name", "the target"), lang))
    return out


def _row_decisions(row: Any, target_name: str, lang: str) -> list[dict[str, Any]]:
    """The questions one plan row puts to the admin."""
    base = {"action_id": row.action_id, "upn": row.upn, "group_id": row.group_id}
    out: list[dict[str, Any]] = []
    if row.unmapped_plans:
        out.append({"code": "unmapped-plans", **base, "plans": list(row.unmapped_plans),
                    "why": message("plan.ask.unmapped-plans", lang, target=target_name)})
    if row.kind == "fix-usage-location":
        out.append({"code": "usage-location", **base, "plans": [],
                    "why": message("plan.ask.usage-location", lang)})
    out.extend(_reclaim_decisions(row, base, lang))
    for code in row.reason_code.split(";"):
        if code in ("reclaim-candidate", "target-disables-e4-service", "target-in-error"):
            out.append({"code": code, **base, "plans": [], "why": row.reason})
        elif code in ("group-plans-disagree", "group-plans-unknown"):
            out.append({"code": code, **base, "plans": list(row.disabled_plans_after),
                        "why": row.reason})
        elif code == "inherited-from-unknown-group":
            out.append({"code": "unknown-group", **base, "plans": [],
                        "why": message("plan.ask.unknown-group", lang)})
        elif code == "group-held-back" and row.upn == "":
            out.append({"code": code, **base, "plans": [],
                        "why": message("plan.decision.group-held-back", lang,
                                       reason=row.reason)})
    return out


def whole_move_buy(config: Any, licenses: pd.DataFrame, subscriptions: pd.DataFrame | None,
                   catalog: Catalog) -> BuyFigure:
    """"Buy N" for the whole move, by counting's rule (``assess``'s ``buy``; unknown without
    a subscriptions export). The whole move ignores the round's
    limits, so they are left out of the count (a notebook re-plans on every exclusion)."""
    whole_move = replace(config, exclude_users=(), only_users=(), only_departments=(),
                         max_users=None)
    return count_licenses(whole_move, licenses, subscriptions, catalog).buy


def successor_decisions(table: pd.DataFrame, target: dict[str, str],
                        lang: str = "en") -> list[dict[str, Any]]:
    """A plan only the target has whose E4 predecessor was switched off stays off on the
    target, and the admin is told (E4's MCOVOICECONF off -> the target's MCOEV off; the
    catalog's successor table, an inference from [S2, S3]): never a silent switch-on."""
    # only a row with E4 apps off can keep a successor off (most rows have none)
    t = table.loc[table["kind"].isin(["user-swap", "group-swap"])
                  & has_items(table["disabled_plans_before"])]
    pairs = per_distinct_row(t[["disabled_plans_before", "disabled_plans_after"]],
                             successors_kept_off)
    t = t.loc[has_items(pairs)]
    out: list[dict[str, Any]] = []
    for row, kept in zip(t.itertuples(index=False), pairs[t.index], strict=True):
        why = message("plan.decision.successor-kept-off", lang,
                      before=plan_labels(b for b, _ in kept),
                      after=plan_labels(a for _, a in kept),
                      target=target.get("display_name", "the target"))
        out.append({"code": "successor-kept-off", "action_id": row.action_id, "upn": row.upn,
                    "group_id": row.group_id, "plans": [a for _, a in kept], "why": why})
    return out


def addon_decisions(licenses: pd.DataFrame, catalog: Catalog, source: Sku,
                    target: Sku, lang: str = "en") -> tuple[dict[str, Any], ...]:
    """Plan-level decisions: add-ons the target already includes, held by E4 users (read from
    the export). After the move they can be removed from those users and their subscription
    reduced by as many seats; the Upgrade tab removes such add-ons itself [S1 step 5], the
    manual path does not (inference: nothing in the manual steps removes them)."""
    out = []
    for part, upns in included_addons(licenses, catalog, source, target).items():
        name = catalog.display_name(part)
        addon = f"{name} [{part}]"
        why = message("plan.decision.included-addon", lang, addon=addon, n=len(upns),
                      target=target.display_name or target.part_number)
        out.append({"code": "included-addon", "action_id": "", "upn": "", "group_id": "",
                    "plans": [part], "addon": addon, "users": list(upns),
                    "reduce_by": len(upns), "why": why})
    return tuple(out)


def _reclaim_decisions(row: Any, base: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """A reclaim row always asks: removing the license starts the 30-day countdown to deleting
    the mailbox unless it is converted to a shared mailbox or on hold first ("Unassign
    Microsoft 365 licenses from users"), which the plan cannot see; so the admin confirms."""
    if row.kind != "reclaim":
        return []
    return [{"code": "reclaim-mailbox-check", **base, "plans": [],
             "why": message("plan.ask.reclaim-mailbox-check", lang)}]


def plan_summary(table: pd.DataFrame, decisions: tuple[dict[str, Any], ...], seats_needed: int,
                 seats_available: int | None, shortfall: int | None,
                 seats_later: int) -> dict[str, Any]:
    """The plan's counts (``plan.json``'s ``summary``; the run record carries it too)."""
    kind = table["kind"].astype(KIND_CATEGORIES)  # compared five times below
    kinds = kind.value_counts()
    skips = table.loc[kind == "skip", "reason_code"].value_counts()
    e4_users = (kind.isin(USER_DECISION_KINDS) & (table["upn"] != "")
                & (table["reason_code"] != "already-on-target"))
    codes: dict[str, int] = {}
    for d in decisions:
        codes[d["code"]] = codes.get(d["code"], 0) + 1
    group_swaps = kind == "group-swap"
    return {
        "actions": {k: int(kinds.get(k, 0)) for k in KINDS},
        "batches": int(table["batch"].max()) if len(table) else 0,
        "e4_users": int(e4_users.sum()),
        "users_moved": int(kind.isin(["user-swap", "reclaim", "group-member"]).sum()),
        "group_swaps": int(group_swaps.sum()),
        "group_members": int(kinds.get("group-member", 0)),
        "group_covered_users": int(table.loc[group_swaps, "members"].sum()),
        "held_back": int(kinds.get("fix-usage-location", 0)),
        "seats_needed": seats_needed,
        "seats_needed_later": seats_later,
        "seats_available": seats_available,
        "shortfall": shortfall,
        "skips": {str(k): int(v) for k, v in sorted(skips.items())},
        "decisions": dict(sorted(codes.items())),
    }
