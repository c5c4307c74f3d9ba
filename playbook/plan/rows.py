"""The plan's rows, built from what the rules decided (:mod:`playbook.plan.rules`): one row
per E4 user, a set-usage-location row before a swap that needs one, one row per group that
assigns E4, and one per user who already holds only the target."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from playbook.catalog import Catalog, Sku
from playbook.plan.disabled_plans import PlanMapping, map_disabled_plans, plan_ids
from playbook.plan.holders import Holdings
from playbook.plan.model import (
    Blocker,
    blocker_text,
    cells,
    normalized_table,
    plan_table,
    reason_text,
    target_before,
)
from playbook.plan.values import text_order
from playbook.table import has_items, per_distinct


def user_rows(u: pd.DataFrame, held: Holdings, pairs: pd.DataFrame, groups: pd.DataFrame,
              source: Sku, target: Sku) -> pd.DataFrame:
    """One row per E4 user (its ``USER_DECISION_KINDS`` row), from what the rules decided in
    ``u``. A group-member row names the first planned group (by id) that moves the user, and
    shows the settings it gives."""
    kind = u["kind"]
    swap = kind == "user-swap"
    removes = swap | (kind == "reclaim")
    settings = swap | (kind == "fix-usage-location")
    first_group = pairs[pairs["planned"]].drop_duplicates("pos").set_index("pos")["group_id"]
    # a direct swap whose target comes from a planned group names that group too
    group_id = first_group.reindex(u.index).where(u["member"] | u["target_by_group"],
                                                  "").fillna("")
    by_group = groups.set_index("group_id")

    def after(col: str, own: pd.Series) -> pd.Series:
        """A member gets its group's setting; a row that sets the target its own; else ()."""
        return _tuple_if(settings, own).where(~u["member"], group_id.map(by_group[col]))

    return plan_table(len(u), {
        "kind": kind,
        "upn": u["upn"],
        "user_id": _texts(u["user_id"]),
        "group_id": group_id,
        "display_name": _texts(u["display_name"]),
        "department": _texts(u["department"]),
        "usage_location": per_distinct(_texts(u["usage_location"]), str.upper),
        "add_sku_id": _text_if(u["adds_target"], target.sku_id.lower()),
        "add_sku_part_number": _text_if(u["adds_target"], target.part_number),
        "remove_sku_id": _text_if(removes, source.sku_id.lower()),
        "remove_sku_part_number": _text_if(removes, source.part_number),
        "disabled_plans_before": u["disabled_plans"],
        "disabled_plan_ids_before": u["ids_before"],
        "disabled_plans_after": after("disabled_plans_after", u["after_names"]),
        "disabled_plan_ids_after": after("disabled_plan_ids_after", u["after_ids"]),
        "unmapped_plans": _tuple_if(settings, u["unmapped"]),
        "before_skus": u["before_skus"],
        "after_skus": u["after_skus"],
        "keep_direct_skus": held.keep_direct_skus.to_numpy()[u["user"]],
        "target_before": u["target_before"],
        "new_seats": (u["adds_target"] & (u["target_before"] == "")).astype("int64"),
        "reason_code": u["code"],
        "reason": u["reason"],
    })


def _texts(col: pd.Series) -> pd.Series:
    """A text column as the plan holds it: missing = "", one object column."""
    return col.fillna("").astype(str).astype(object)


def _text_if(mask: pd.Series, value: str) -> pd.Series:
    """``value`` where ``mask`` holds, else ""."""
    return mask.map({True: value, False: ""}).astype(object)


def _tuple_if(mask: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` where ``mask`` holds, else ()."""
    return values.where(mask, pd.Series(cells(len(values), ()), index=values.index))


def usage_location_rows(users: pd.DataFrame, location: str | None,
                        lang: str = "en") -> pd.DataFrame:
    """A set-usage-location row for each swapped user without usage location (``users``: their
    user rows), set to ``default_usage_location`` right before the swap."""
    if users.empty:
        return plan_table(0, {})
    rows = users.assign(
        kind="set-usage-location", new_usage_location=location, add_sku_id="",
        add_sku_part_number="", remove_sku_id="", remove_sku_part_number="",
        disabled_plans_after=None, disabled_plan_ids_after=None, unmapped_plans=None,
        new_seats=0, reason_code="no-usage-location",
        reason=reason_text("no-usage-location.set", lang, location=location))
    return normalized_table(rows)


def target_only_rows(held: Holdings, u: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Users who already hold the target and no E4: listed once, nothing to do."""
    tg = held.target[~held.target["user"].isin(u["user"])]
    tg = tg.take(text_order(tg["upn"])).reset_index(drop=True)  # by upn, as the users are
    if tg.empty:
        return plan_table(0, {})
    direct = tg["assigned_directly"].astype(bool)
    via_group = has_items(tg["group_ids"])
    skus = held.before_skus.to_numpy()[tg["user"]]
    return plan_table(len(tg), {
        "kind": "skip",
        "upn": tg["upn"],
        "user_id": _texts(tg["user_id"]),
        "display_name": _texts(tg["display_name"]),
        "department": _texts(tg["department"]),
        "usage_location": per_distinct(_texts(tg["usage_location"]), str.upper),
        "before_skus": skus,
        "after_skus": skus,
        "keep_direct_skus": held.keep_direct_skus.to_numpy()[tg["user"]],
        "target_before": target_before(direct, via_group),
        "reason_code": "already-on-target",
        "reason": reason_text("already-on-target", lang),
    })


def group_rows(pairs: pd.DataFrame, all_groups: list[str], planned: set[str],
               blocked: dict[str, Blocker], u: pd.DataFrame, tg: pd.DataFrame, source: Sku,
               target: Sku, catalog: Catalog, mapping: dict[tuple[str, ...], PlanMapping],
               lang: str = "en") -> pd.DataFrame:
    """One row per group that assigns E4: a group-swap when planned, else a skip; reasons
    in ``lang``."""
    if not all_groups:
        return plan_table(0, {})
    e4_plans, e4_variants = group_plans(u)
    target_plans, _ = group_plans(tg)
    target_groups = {g for gs in set(tg["group_ids"]) for g in gs}
    # seats: members not holding the target yet and not moved directly, counted once (by
    # the first planned group in id order)
    fresh = ((u["target_before"] == "") & ~u["adds_target"]).to_numpy()
    seats_of = pairs[pairs["planned"] & fresh[pairs["pos"]]].drop_duplicates("pos").groupby(
        "group_id").size()
    size_of = pairs.groupby("group_id").size()
    rows = []
    for g in all_groups:
        is_planned, carries_target = g in planned, g in target_groups
        before = e4_plans.get(g, ())
        held_skus = tuple(sorted({source.part_number}
                                 | ({target.part_number} if carries_target else set())))
        m = mapping.get(before) or map_disabled_plans(before, source, target, catalog)
        if carries_target:  # the group's target settings stay as they are
            names = target_plans.get(g, ())
            m = replace(m, names=names, ids=plan_ids(names, target, catalog))
        code, reason = _group_notes(e4_variants.get(g), carries_target, lang)
        if not is_planned:
            code = "beyond-max-users" if not blocked[g][0] else "group-held-back"
            reason = reason_text("group-row-held-back", lang,
                                 why=blocker_text(blocked[g], lang))
        rows.append({
            "kind": "group-swap" if is_planned else "skip",
            "group_id": g,
            # a group that already assigns the target keeps that assignment as it is: an
            # add would replace its disabled plans (graph-apply.md), so only E4 is removed
            "add_sku_id": target.sku_id.lower() if is_planned and not carries_target else "",
            "add_sku_part_number": (target.part_number if is_planned and not carries_target
                                    else ""),
            "remove_sku_id": source.sku_id.lower() if is_planned else "",
            "remove_sku_part_number": source.part_number if is_planned else "",
            "disabled_plans_before": before,
            "disabled_plan_ids_before": plan_ids(before, source, catalog),
            "disabled_plans_after": m.names if is_planned else (),
            "disabled_plan_ids_after": m.ids if is_planned else (),
            "unmapped_plans": m.unmapped if is_planned else (),
            "before_skus": held_skus,
            "after_skus": (target.part_number,) if is_planned else held_skus,
            "target_before": "group" if carries_target else "",
            "members": int(size_of[g]),
            "new_seats": int(seats_of.get(g, 0)) if is_planned else 0,
            "reason_code": code,
            "reason": reason,
        })
    return normalized_table(pd.DataFrame(rows))


def _group_notes(variants: int | None, carries_target: bool,
                 lang: str = "en") -> tuple[str, str]:
    """A planned group's reason code and words: what its members tell about its settings."""
    codes = []
    if variants is not None and variants > 1:
        codes.append("group-plans-disagree")
    if variants is None:
        codes.append("group-plans-unknown")
    if carries_target:
        codes.append("already-holds-target")
    return ";".join(codes), "; ".join(reason_text(c, lang) for c in codes)


def group_plans(rows: pd.DataFrame) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Per group: the disabled plans of the license it assigns, as its members show them.

    Only members holding the license through that one group (not directly) tell; the most
    common set wins (a tie goes to the smallest ";"-joined text). Also returns how many
    distinct sets each group's members show.
    """
    single = rows[~rows["assigned_directly"].astype(bool)
                  & (per_distinct(rows["group_ids"], len) == 1)]
    if single.empty:
        return {}, {}
    counts = pd.DataFrame({"g": per_distinct(single["group_ids"], lambda t: t[0]),
                           "k": per_distinct(single["disabled_plans"], ";".join)},
                          ).value_counts().reset_index()
    counts.columns = ["g", "k", "n"]
    counts = counts.sort_values(["g", "n", "k"], ascending=[True, False, True], kind="stable")
    best = counts.drop_duplicates("g").set_index("g")["k"]
    distinct = counts.groupby("g")["k"].size()
    return ({g: tuple(k.split(";")) if k else () for g, k in best.items()},
            {g: int(v) for g, v in distinct.items()})
