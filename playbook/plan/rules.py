"""Who gets which action: the reassignment plan's rules (the kinds, columns and the plan.json
layout are documented in :mod:`playbook.plan.model`).

Each rule is one function over ``u``, the table of E4 holders (one row per user, see
:func:`_e4_users`), in the order the plan applies them:

1. the plan's limits leave some users out (:func:`outside_limits`);
2. a group can be switched only when every member inheriting E4 from it is inside the limits
   (:func:`blocked_groups`);
3. direct holders are swapped, reclaimed, or wait for a usage location
   (:func:`direct_actions`);
4. ``max_users`` keeps direct users first (by upn), then whole groups that still fit
   (:func:`apply_max_users`);
5. users holding E4 only through groups are moved by a planned group, else skipped
   (:func:`group_coverage`, :func:`user_kinds`, :func:`skip_codes`);
6. the target's disabled apps follow E4's (:func:`disabled_after`), the licenses held after
   the plan (:func:`skus_after`), and notes and reasons in words (:func:`swap_notes`,
   :func:`reasons`);
7. the rows: users (:func:`user_rows`), usage locations to set first
   (:func:`usage_location_rows`), groups (:func:`group_rows`) and users who already hold only
   the target (:func:`target_only_rows`).

Batching, numbering, decisions and the summary follow in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from playbook.catalog import Catalog, Sku, is_guid, normalize_key, plan_family
from playbook.counting import resolve_sku, subscription_units
from playbook.errors import InputError
from playbook.plan.batching import assign_batches, number_actions
from playbook.plan.decisions import finished_plan
from playbook.plan.disabled_plans import PlanMapping, map_disabled_plans, plan_ids
from playbook.plan.holders import Holdings, holdings
from playbook.plan.identity import file_sha256
from playbook.plan.model import FORMATS_WITHOUT_DISABLED_PLANS, PLAN_COLUMNS, Plan, cells, \
    normalized_table, plan_table
from playbook.plan.values import per_distinct

SKIP_TEXT: dict[str, str] = {
    "excluded": "listed in exclude_users",
    "outside-only-users": "not in only_users",
    "outside-only-departments": "department not in only_departments",
    "beyond-max-users": "beyond max_users",
    "group-held-back": "inherits E4 only from group(s) held back",
    "inherited-from-unknown-group": "inherits E4 from a group the export does not name",
    "already-on-target": "already on the target and holds no E4",
}
"""A skip's ``reason`` per ``reason_code``."""


# ---------------------------------------------------------------------------------------------
# entry points


def build_plan(tenant: Any, **overrides: Any) -> Plan:
    """Plan a loaded :class:`~playbook.tenant.Tenant`; ``overrides`` change config fields
    (``exclude_users``, ``max_users``, ... for the notebook widgets). It hashes the users
    export: the only I/O."""
    config = tenant.config.with_overrides(**overrides) if overrides else tenant.config
    users_file = Path(tenant.users_file)
    return build_plan_from_tables(
        config, tenant.licenses, tenant.subscriptions, tenant.catalog,
        users_file_name=users_file.name, users_sha256=file_sha256(users_file),
        users_format=str(getattr(tenant, "users_format", "") or ""),
    )


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
    source, target = _plan_skus(config, catalog)
    held = holdings(licenses, users_file_name or "license table", catalog, source, target)
    rows, seats_later = plan_rows(config, held, catalog, source, target)
    table = number_actions(assign_batches(pd.concat(rows, ignore_index=True),
                                          config.batch_size))
    available = None
    if subscriptions is not None:
        available = int(subscription_units(subscriptions, target)["available"])
    notes, plan_level = _plan_notes(available, target, users_format)
    return finished_plan(
        tenant=config.name, source=_sku_info(source), target=_sku_info(target), table=table,
        batch_size=config.batch_size, seats_available=available, limits=_limits(config),
        users_file={"name": users_file_name, "sha256": users_sha256, "format": users_format},
        notes=notes, seats_later=seats_later, plan_level=plan_level,
    )


def _plan_skus(config: Any, catalog: Catalog) -> tuple[Sku, Sku]:
    """The source (E4) and the target, both known to the catalog with a skuId."""
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
    return source, target


def _plan_notes(available: int | None, target: Sku,
                users_format: str) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    """The plan's notes, and its plan-level decisions (``action_id`` "")."""
    notes: list[str] = []
    if available is None:
        notes.append("no subscriptions export: seat availability is unverified")
    if not target.service_plans:
        notes.append(f"the catalog does not list {target.part_number}'s service plans: "
                     "disabled plans cannot be carried over (see decisions)")
    if users_format not in FORMATS_WITHOUT_DISABLED_PLANS:
        return tuple(notes), ()
    notes.append(f"{users_format} export: per-user disabled apps are unknown")
    return tuple(notes), ({
        "code": "disabled-plans-unknown", "action_id": "", "upn": "", "group_id": "",
        "plans": [],
        "why": f"the {users_format} export does not say which apps (service plans) are "
               "turned off for each user, so none can be carried over: every app of the "
               "target will be on. To keep them, export users with Microsoft Graph "
               "(assignedLicenses/licenseAssignmentStates) and plan again"},)


def _limits(config: Any) -> dict[str, Any]:
    return {
        "exclude_users": list(config.exclude_users),
        "only_users": list(config.only_users),
        "only_departments": list(config.only_departments),
        "max_users": config.max_users,
        "default_usage_location": config.default_usage_location,
        "reclaim_blocked": bool(config.reclaim_blocked),
    }


def _sku_info(sku: Sku) -> dict[str, str]:
    return {"sku_id": sku.sku_id.lower(), "sku_part_number": sku.part_number,
            "display_name": sku.display_name or sku.part_number}


# ---------------------------------------------------------------------------------------------
# the rules


def plan_rows(config: Any, held: Holdings, catalog: Catalog, source: Sku,
              target: Sku) -> tuple[list[pd.DataFrame], int]:
    """Every row of the plan (unbatched, unnumbered), as plan tables to concatenate, and the
    seats held back for later (users waiting for a usage location)."""
    u = _e4_users(config, held)
    u["out"] = outside_limits(config, u)
    pairs = memberships(u)
    all_groups = sorted(pairs["group_id"].unique().tolist())
    blocked = blocked_groups(pairs)
    acts = direct_actions(config, u)
    acts, blocked = apply_max_users(config, u, acts, pairs, all_groups, blocked)
    planned = {g for g in all_groups if g not in blocked}
    pairs["planned"] = pairs["group_id"].isin(planned)
    u = u.join(acts).join(group_coverage(u, pairs))
    u["kind"] = user_kinds(u)
    u["code"] = skip_codes(u)
    mapping = {k: map_disabled_plans(k, source, target, catalog)
               for k in set(u["disabled_plans"])}
    u = u.join(disabled_after(u, mapping, source, target, catalog))
    notes_code, notes_text = swap_notes(u)
    u["code"] = u["code"].where(u["code"] != "", notes_code)
    groups = group_rows(pairs, all_groups, planned, blocked, u, held.target, source, target,
                        catalog, mapping)
    users = user_rows(u, held, pairs, groups, source, target, notes_text, blocked)
    seats_later = int((u["fix_location"] & (u["target_before"] == "")
                       & ~u["any_planned"]).sum())
    locations = usage_location_rows(users[u["set_location"]], config.default_usage_location)
    return [users, locations, groups, target_only_rows(held, u)], seats_later


def _e4_users(config: Any, held: Holdings) -> pd.DataFrame:
    """One row per E4 holder: the license row, plus how the user holds E4 and the target."""
    u = held.e4
    if (u["upn"] == "").any():
        raise InputError(str(config.name), "a user holding E4 has no userPrincipalName",
                         column="upn", fix="export users again with the UPN column")
    tg = held.target
    t_direct = u["user"].isin(tg.loc[tg["assigned_directly"].astype(bool), "user"])
    t_group = u["user"].isin(tg.loc[per_distinct(tg["group_ids"], len) > 0, "user"])
    t_disabled = u["user"].map(tg.set_index("user")["disabled_plans"])
    return u.assign(
        direct=u["assigned_directly"].astype(bool),
        has_groups=per_distinct(u["group_ids"], len) > 0,
        enabled=u["account_enabled"].astype(bool),
        no_location=u["usage_location"].fillna("").astype(str).str.strip() == "",
        target_direct=t_direct,
        target_before=pd.Series(np.select(
            [t_direct & t_group, t_direct, t_group], ["direct+group", "direct", "group"], ""),
            index=u.index).astype(object),
        target_disabled=per_distinct(t_disabled, lambda v: v if isinstance(v, tuple) else ()),
    )


def outside_limits(config: Any, u: pd.DataFrame) -> pd.Series:
    """Per E4 user: why the plan's limits leave them out ("" = inside; the last reason
    checked wins: exclude_users over only_users over only_departments)."""
    code = pd.Series("", index=u.index, dtype=object)

    def listed(values: Iterable[str]) -> pd.Series:
        wanted = {v.strip().lower() for v in values}
        return u["upn"].isin(wanted) | u["user_id"].isin(wanted)

    if config.only_departments:
        departments = {normalize_key(d) for d in config.only_departments}
        key = per_distinct(u["department"].fillna(""), normalize_key)
        code[~key.isin(departments)] = "outside-only-departments"
    if config.only_users:
        code[~listed(config.only_users)] = "outside-only-users"
    if config.exclude_users:
        code[listed(config.exclude_users)] = "excluded"
    return code


def memberships(u: pd.DataFrame) -> pd.DataFrame:
    """One row per (E4 user, group the user inherits E4 from), by group id then upn; ``pos``
    is the user's row in ``u``."""
    with_groups = u[u["has_groups"]]
    pairs = pd.DataFrame({"pos": with_groups.index, "upn": with_groups["upn"],
                          "group_id": with_groups["group_ids"], "out": with_groups["out"]})
    pairs = pairs.explode("group_id")
    return pairs.sort_values(["group_id", "upn"], kind="stable").reset_index(drop=True)


def blocked_groups(pairs: pd.DataFrame) -> dict[str, str]:
    """Groups that cannot be switched, with why: a member outside the plan's limits (the
    first by upn) would lose E4 or get the target against the limits."""
    blockers = pairs[pairs["out"] != ""].drop_duplicates("group_id")
    return {g: f"member {upn} is {SKIP_TEXT[out]}"
            for g, upn, out in zip(blockers["group_id"], blockers["upn"], blockers["out"],
                                   strict=True)}


def direct_actions(config: Any, u: pd.DataFrame) -> pd.DataFrame:
    """What happens to each direct holder inside the limits: ``reclaim`` (blocked account,
    E4 only direct, opted in), else a swap; a swap without usage location sets the default
    first (``set_location``) or, with no default, waits for the admin (``fix_location``)."""
    inside = u["direct"] & (u["out"] == "")
    reclaim = inside & ~u["enabled"] & bool(config.reclaim_blocked) & ~u["has_groups"]
    swap = inside & ~reclaim
    fix_location = swap & u["no_location"] & (not config.default_usage_location)
    swap &= ~fix_location
    return pd.DataFrame({"swap": swap, "reclaim": reclaim, "fix_location": fix_location,
                         "set_location": swap & u["no_location"],
                         "beyond": pd.Series(False, index=u.index)})


def apply_max_users(config: Any, u: pd.DataFrame, acts: pd.DataFrame, pairs: pd.DataFrame,
                    all_groups: list[str], blocked: dict[str, str],
                    ) -> tuple[pd.DataFrame, dict[str, str]]:
    """``max_users``: direct movers first (by upn), then whole groups in id order while every
    member they would move still fits. The groups that do not fit are blocked."""
    if not config.max_users:
        return acts, blocked
    acts, blocked = acts.copy(), dict(blocked)
    movers = u.loc[acts["swap"] | acts["reclaim"], "upn"].sort_values(kind="stable")
    acts.loc[movers.index[config.max_users:], "beyond"] = True
    for col in ("swap", "reclaim", "set_location"):
        acts[col] &= ~acts["beyond"]
    moved = set(u.loc[acts["swap"] | acts["reclaim"], "upn"])
    members_of = pairs.groupby("group_id", sort=True)["upn"].agg(list)
    for g in all_groups:
        if g in blocked:
            continue
        new = set(members_of[g]) - moved
        if len(moved) + len(new) <= config.max_users:
            moved |= new
        else:
            blocked[g] = "beyond max_users"
    return acts, blocked


def group_coverage(u: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per E4 user: whether any / all of the groups it inherits E4 from are planned, and
    ``member``: moved by a planned group (E4 only through groups, inside the limits)."""
    per_user = pairs.groupby("pos")["planned"].agg(["any", "all"])
    per_user = per_user.reindex(u.index, fill_value=False).astype(bool)
    member = ~u["direct"] & u["has_groups"] & (u["out"] == "") & per_user["any"]
    return pd.DataFrame({"any_planned": per_user["any"], "all_planned": per_user["all"],
                         "member": member,
                         # a held-back group keeps E4 on the user
                         "e4_stays": u["has_groups"] & ~per_user["all"]})


def user_kinds(u: pd.DataFrame) -> pd.Series:
    """Each E4 user's one row kind (``USER_DECISION_KINDS``)."""
    kind = pd.Series("skip", index=u.index, dtype=object)
    kind[u["swap"]] = "user-swap"
    kind[u["reclaim"]] = "reclaim"
    kind[u["fix_location"]] = "fix-usage-location"
    kind[u["member"]] = "group-member"
    return kind


def skip_codes(u: pd.DataFrame) -> pd.Series:
    """The reason code of the user rows that are not plain moves ("" for the others)."""
    skip, out = u["kind"] == "skip", u["out"] != ""
    code = pd.Series("", index=u.index, dtype=object)
    code[skip] = u["out"].where(out, "group-held-back")
    code[skip & ~u["direct"] & ~u["has_groups"] & ~out] = "inherited-from-unknown-group"
    code[u["beyond"]] = "beyond-max-users"
    code[u["fix_location"]] = "no-usage-location"
    code[u["reclaim"]] = "reclaim-blocked"
    return code


def disabled_after(u: pd.DataFrame, mapping: dict[tuple[str, ...], PlanMapping], source: Sku,
                   target: Sku, catalog: Catalog) -> pd.DataFrame:
    """Per E4 user: the target apps to turn off (names and ids), the E4 apps with no match
    (``unmapped``), the ids of E4's disabled apps, and ``lost``: see :func:`lost_services`.

    E4's disabled apps are mapped to the target's (``mapping``, once per distinct set); a user
    who already holds the target directly keeps that assignment's settings instead.
    """
    keep = u["target_direct"]
    disabled = u["disabled_plans"]
    target_ids = per_distinct(u["target_disabled"], lambda k: plan_ids(k, target, catalog))
    return pd.DataFrame({
        "after_names": per_distinct(disabled, lambda k: mapping[k].names).where(
            ~keep, u["target_disabled"]),
        "after_ids": per_distinct(disabled, lambda k: mapping[k].ids).where(~keep, target_ids),
        "unmapped": per_distinct(disabled, lambda k: mapping[k].unmapped),
        "ids_before": per_distinct(disabled, lambda k: plan_ids(k, source, catalog)),
        "lost": lost_services(u, source),
    })


def lost_services(u: pd.DataFrame, source: Sku) -> pd.Series:
    """Target apps that an existing direct target assignment turns off while E4 has their twin
    on: the swap keeps that assignment, so the user loses them (a decision)."""
    e4_families = {plan_family(p.name) for p in source.service_plans}

    def lost(e4_off: tuple[str, ...], target_off: tuple[str, ...]) -> tuple[str, ...]:
        off_on_e4 = {plan_family(p) for p in e4_off}
        return tuple(sorted(p for p in target_off
                            if plan_family(p) in e4_families and plan_family(p) not in off_on_e4))

    pair = pd.Series(list(zip(u["disabled_plans"], u["target_disabled"], strict=True)),
                     index=u.index, dtype=object)
    looked = u["target_direct"] & (per_distinct(u["target_disabled"], len) > 0)
    out = pd.Series(cells(len(u), ()), index=u.index, dtype=object)
    out[looked] = per_distinct(pair[looked], lambda k: lost(*k))
    return out


def swap_notes(u: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Codes (``;``-joined) and words for facts the admin should know about a moved user."""
    kind, enabled, has_groups = u["kind"], u["enabled"], u["has_groups"]
    moved = kind.isin(["user-swap", "group-member"])
    swap = kind == "user-swap"
    error = u["error"].fillna("").astype(str)
    error_text = ("E4 is in state " + u["state"].fillna("").astype(str)
                  + error.map(lambda e: f" ({e})" if e else "") + ": the remove clears it")
    lost_text = per_distinct(u["lost"], lambda v: "the existing target assignment disables "
                             + ", ".join(v) + " which E4 enables")
    notes = [
        (moved & u["state"].isin(["Error", "ActiveWithError"]), "e4-error-state", error_text),
        (swap & ~enabled & ~has_groups, "reclaim-candidate",
         "blocked account: swapped so nothing is lost; set reclaim_blocked: true to remove "
         "E4 without a target"),
        (swap & ~enabled & has_groups, "reclaim-candidate",
         "blocked account that also inherits E4 from a group: remove it from the group to "
         "reclaim the license"),
        (moved & ~swap & ~enabled, "reclaim-candidate",
         "blocked account inheriting E4: remove it from the group to reclaim the license"),
        (moved & u["e4_stays"], "e4-stays-by-group", "still inherits E4 from a group held back"),
        (swap & u["target_before"].isin(["direct", "direct+group"]), "already-holds-target",
         "already holds the target directly: its settings stay; only E4 is removed"),
        (swap & (per_distinct(u["lost"], len) > 0), "target-disables-e4-service", lost_text),
    ]
    codes = pd.Series("", index=u.index, dtype=object)
    texts = pd.Series("", index=u.index, dtype=object)
    for mask, code, text in notes:
        if mask.any():
            codes[mask] = _joined(codes[mask], code, ";")
            texts[mask] = _joined(texts[mask], text if isinstance(text, str) else text[mask],
                                  "; ")
    return codes, texts


def _joined(before: pd.Series, more: str | pd.Series, sep: str) -> pd.Series:
    """``before + sep + more``, without the separator where ``before`` is empty."""
    return (before + sep).where(before != "", "") + more


def skus_after(u: pd.DataFrame, before: pd.Series, source: Sku, target: Sku) -> pd.Series:
    """The part numbers each E4 user holds after ALL executed rows of the plan.

    E4 stays while a direct path is not removed or a group path is not switched; the target
    comes with a swap or with any planned group (whatever the user's own row says).
    """
    adds_target = (u["kind"] == "user-swap") | u["any_planned"]
    keeps_e4 = (u["direct"] & ~u["kind"].isin(["user-swap", "reclaim"])) | u["e4_stays"]

    def after(key: tuple[tuple[str, ...], bool, bool]) -> tuple[str, ...]:
        skus, e4_stays, add = set(key[0]), key[1], key[2]
        if not e4_stays:
            skus.discard(source.part_number)
        if add:
            skus.add(target.part_number)
        return tuple(sorted(skus))

    key = pd.Series(list(zip(before, keeps_e4, adds_target, strict=True)), index=u.index,
                    dtype=object)
    return per_distinct(key, after)


def reasons(u: pd.DataFrame, notes: pd.Series, blocked: dict[str, str]) -> pd.Series:
    """The ``reason`` column of the user rows, in words."""
    kind, code = u["kind"], u["code"]
    out = notes.copy()
    skip = kind == "skip"
    out[skip] = per_distinct(code[skip], lambda c: SKIP_TEXT.get(c, c))
    held = skip & (code == "group-held-back")
    if held.any():
        out[held] = out[held] + ": " + per_distinct(u.loc[held, "group_ids"], lambda gs: "; ".join(
            f"{g}: {blocked.get(g, 'planned')}" for g in gs))
    out[kind == "fix-usage-location"] = (
        "no usage location and no default_usage_location: set it, then plan again (the swap "
        "is held back)")
    out[kind == "reclaim"] = "blocked account: E4 removed without a target (reclaim_blocked: true)"
    return out


# ---------------------------------------------------------------------------------------------
# the rows


def user_rows(u: pd.DataFrame, held: Holdings, pairs: pd.DataFrame, groups: pd.DataFrame,
              source: Sku, target: Sku, notes: pd.Series,
              blocked: dict[str, str]) -> pd.DataFrame:
    """One row per E4 user (its ``USER_DECISION_KINDS`` row). A group-member row names the
    first planned group (by id) that moves the user, and shows the settings it gives."""
    kind = u["kind"]
    swap = kind == "user-swap"
    removes = swap | (kind == "reclaim")
    settings = swap | (kind == "fix-usage-location")
    before = pd.Series(held.before_skus.to_numpy()[u["user"]], index=u.index, dtype=object)
    first_group = pairs[pairs["planned"]].drop_duplicates("pos").set_index("pos")["group_id"]
    group_id = first_group.reindex(u.index).where(u["member"], "").fillna("")
    by_group = groups.set_index("group_id")

    def after(col: str, own: pd.Series) -> pd.Series:
        return _tuple_if(settings, own).where(~u["member"], group_id.map(by_group[col]))

    return plan_table(len(u), {
        "kind": kind,
        "upn": u["upn"],
        "user_id": _texts(u["user_id"]),
        "group_id": group_id,
        "display_name": _texts(u["display_name"]),
        "department": _texts(u["department"]),
        "usage_location": _texts(u["usage_location"]).str.upper(),
        "add_sku_id": _text_if(swap, target.sku_id.lower()),
        "add_sku_part_number": _text_if(swap, target.part_number),
        "remove_sku_id": _text_if(removes, source.sku_id.lower()),
        "remove_sku_part_number": _text_if(removes, source.part_number),
        "disabled_plans_before": u["disabled_plans"],
        "disabled_plan_ids_before": u["ids_before"],
        "disabled_plans_after": after("disabled_plans_after", u["after_names"]),
        "disabled_plan_ids_after": after("disabled_plan_ids_after", u["after_ids"]),
        "unmapped_plans": _tuple_if(settings, u["unmapped"]),
        "before_skus": before,
        "after_skus": skus_after(u, before, source, target),
        "keep_direct_skus": held.keep_direct_skus.to_numpy()[u["user"]],
        "target_before": u["target_before"],
        "new_seats": (swap & (u["target_before"] == "")).astype("int64"),
        "reason_code": u["code"],
        "reason": reasons(u, notes, blocked),
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


def usage_location_rows(users: pd.DataFrame, location: str | None) -> pd.DataFrame:
    """A set-usage-location row for each swapped user without usage location (``users``: their
    user rows), set to ``default_usage_location`` right before the swap."""
    rows = users.assign(
        kind="set-usage-location", new_usage_location=location, add_sku_id="",
        add_sku_part_number="", remove_sku_id="", remove_sku_part_number="",
        disabled_plans_after=None, disabled_plan_ids_after=None, unmapped_plans=None,
        new_seats=0, reason_code="no-usage-location",
        reason=f"no usage location: set to {location} (default_usage_location)")
    return normalized_table(rows)


def target_only_rows(held: Holdings, u: pd.DataFrame) -> pd.DataFrame:
    """Users who already hold the target and no E4: listed once, nothing to do."""
    tg = held.target[~held.target["user"].isin(u["user"])].reset_index(drop=True)
    if tg.empty:
        return normalized_table(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    direct = tg["assigned_directly"].astype(bool)
    via_group = per_distinct(tg["group_ids"], len) > 0
    skus = held.before_skus.to_numpy()[tg["user"]]
    return plan_table(len(tg), {
        "kind": "skip",
        "upn": tg["upn"],
        "user_id": _texts(tg["user_id"]),
        "display_name": _texts(tg["display_name"]),
        "department": _texts(tg["department"]),
        "usage_location": _texts(tg["usage_location"]).str.upper(),
        "before_skus": skus,
        "after_skus": skus,
        "keep_direct_skus": held.keep_direct_skus.to_numpy()[tg["user"]],
        "target_before": np.select([direct & via_group, direct, via_group],
                                   ["direct+group", "direct", "group"], "").astype(object),
        "reason_code": "already-on-target",
        "reason": SKIP_TEXT["already-on-target"],
    })


def group_rows(pairs: pd.DataFrame, all_groups: list[str], planned: set[str],
               blocked: dict[str, str], u: pd.DataFrame, tg: pd.DataFrame, source: Sku,
               target: Sku, catalog: Catalog,
               mapping: dict[tuple[str, ...], PlanMapping]) -> pd.DataFrame:
    """One row per group that assigns E4: a group-swap when planned, else a skip."""
    if not all_groups:
        return normalized_table(pd.DataFrame(columns=list(PLAN_COLUMNS)))
    e4_plans, e4_variants = group_plans(u)
    target_plans, _ = group_plans(tg)
    target_groups = {g for gs in set(tg["group_ids"]) for g in gs}
    # seats: members not holding the target yet and not moved directly, counted once (by
    # the first planned group in id order)
    fresh = ((u["target_before"] == "") & ~u["swap"]).to_numpy()
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
        code, reason = _group_notes(e4_variants.get(g), carries_target)
        if not is_planned:
            code = "beyond-max-users" if blocked[g] == "beyond max_users" else "group-held-back"
            reason = f"group held back: {blocked[g]}"
        rows.append({
            "kind": "group-swap" if is_planned else "skip",
            "group_id": g,
            "add_sku_id": target.sku_id.lower() if is_planned else "",
            "add_sku_part_number": target.part_number if is_planned else "",
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


def _group_notes(variants: int | None, carries_target: bool) -> tuple[str, str]:
    """A planned group's reason code and words: what its members tell about its settings."""
    notes = []
    if variants is not None and variants > 1:
        notes.append(("group-plans-disagree", "members show different disabled plans; "
                      "the most common set is used"))
    if variants is None:
        notes.append(("group-plans-unknown", "no member inherits E4 from this group alone, "
                      "so its disabled plans are unknown: none are disabled on the target"))
    if carries_target:
        notes.append(("already-holds-target", "the group already assigns the target: its "
                      "settings stay; only E4 is removed"))
    return ";".join(c for c, _ in notes), "; ".join(t for _, t in notes)


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
