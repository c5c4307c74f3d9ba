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
7. the rows (:mod:`playbook.plan.rows`): users, usage locations to set first, groups (a group
   takes the disabled plans most of its single-group members show), and users who already
   hold only the target.

Who holds what comes from :mod:`playbook.plan.holders`; batching and numbering
(:mod:`~playbook.plan.batching`), decisions and the summary (:mod:`~playbook.plan.decisions`)
follow in their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.catalog import Catalog, Sku, is_guid, normalize_key, plan_family
from playbook.counting import resolve_sku
from playbook.errors import InputError, speaking
from playbook.exports.model import USERS_FORMAT_CARRIES
from playbook.messages import Said, message
from playbook.plan.batching import assign_batches, number_actions
from playbook.plan.decisions import addon_decisions, finished_plan, whole_move_buy
from playbook.plan.disabled_plans import PlanMapping, map_disabled_plans, plan_ids
from playbook.plan.holders import Holdings, holdings
from playbook.plan.identity import file_sha256
from playbook.plan.model import (
    USER_DECISION_KINDS,
    Blocker,
    Plan,
    blocker_text,
    cells,
    reason_text,
    target_before,
)
from playbook.plan.rows import group_rows, target_only_rows, usage_location_rows, user_rows
from playbook.plan.values import per_distinct_fields, per_distinct_row, text_order
from playbook.seats import seats_of
from playbook.table import has_items, not_held, per_distinct


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
        carries_disabled_plans=tenant.carries_disabled_plans,
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
    carries_disabled_plans: bool | None = None,
) -> Plan:
    """The plan from plain data: license table, subscription table, catalog and config.

    ``carries_disabled_plans`` says whether the users export can show which apps are off for
    each user (the read result's flag; by default what ``users_format``, a
    :mod:`playbook.exports` format name, can carry). When it cannot, the plan says so, as a
    decision. Bad input reads in the tenant's language (``config.language``).
    """
    lang = getattr(config, "language", None) or "en"
    with speaking(lang):
        if carries_disabled_plans is None:
            known = USERS_FORMAT_CARRIES.get(users_format)
            carries_disabled_plans = known is None or known.disabled_plans
        source, target = _plan_skus(config, catalog)
        held = holdings(licenses, users_file_name or Said("error.where.license-table"), catalog,
                        source, target)
        rows, seats_later = plan_rows(config, held, catalog, source, target)
        table = number_actions(assign_batches(pd.concat(rows, ignore_index=True),
                                              config.batch_size))
        available = None
        if subscriptions is not None:
            available = seats_of(subscriptions, target).assignable
        notes, plan_level = _plan_notes(available, target, users_format,
                                        carries_disabled_plans, lang)
        plan_level += addon_decisions(licenses, catalog, source, target, lang)
        return finished_plan(
            tenant=config.name, source=_sku_info(source), target=_sku_info(target), table=table,
            batch_size=config.batch_size, seats_available=available, limits=_limits(config),
            users_file={"name": users_file_name, "sha256": users_sha256, "format": users_format},
            notes=notes, seats_later=seats_later, plan_level=plan_level,
            buy=whole_move_buy(config, licenses, subscriptions, catalog),
            tenant_id=getattr(config, "tenant_id", None) or "",
            language=lang,
        )


def _plan_skus(config: Any, catalog: Catalog) -> tuple[Sku, Sku]:
    """The source (E4) and the target, both known to the catalog with a skuId."""
    source = resolve_sku(catalog, config.source, "source")
    target = resolve_sku(catalog, config.target, "target")
    if normalize_key(source.part_number) == normalize_key(target.part_number):
        raise InputError("tenant.yaml", "error.plan.target-is-source", column="target",
                         value=config.target)
    for sku, key in ((source, "source"), (target, "target")):
        if not is_guid(sku.sku_id):
            raise InputError("tenant.yaml", "error.plan.no-sku-id", column=key,
                             value=sku.part_number, key=key)
    return source, target


def _plan_notes(available: int | None, target: Sku, users_format: str,
                carries_disabled_plans: bool, lang: str = "en",
                ) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    """The plan's notes, and its plan-level decisions (``action_id`` ""), in ``lang``."""
    notes: list[str] = []
    if available is None:
        notes.append(message("plan.note.no-subscriptions", lang))
    if not target.service_plans:
        notes.append(message("plan.note.no-service-plans", lang, target=target.part_number))
    if carries_disabled_plans:
        return tuple(notes), ()
    notes.append(message("plan.note.disabled-plans-unknown", lang, format=users_format))
    return tuple(notes), ({
        "code": "disabled-plans-unknown", "action_id": "", "upn": "", "group_id": "",
        "plans": [],
        "why": message("plan.decision.disabled-plans-unknown", lang, format=users_format)},)


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
    lang = getattr(config, "language", None) or "en"
    u = _e4_users(config, held)
    u["out"] = outside_limits(config, u)
    u["inside"] = u["out"] == ""  # inside the plan's limits
    pairs = memberships(u)
    all_groups = sorted(pairs["group_id"].unique().tolist())
    blocked = blocked_groups(pairs)
    acts = direct_actions(config, u)
    acts, blocked = apply_max_users(config, u, acts, pairs, all_groups, blocked)
    planned = {g for g in all_groups if g not in blocked}
    pairs["planned"] = pairs["group_id"].isin(planned)
    u = u.join(acts).join(group_coverage(u, pairs))
    u["kind"] = user_kinds(u)
    u["target_by_group"] = (u["kind"] == "user-swap") & u["any_planned"]
    # a user-swap adds the target unless the user holds it directly or a planned group gives it
    u["adds_target"] = (u["kind"] == "user-swap") & ~u["target_direct"] & ~u["target_by_group"]
    u["code"] = skip_codes(u)
    mapping = {k: map_disabled_plans(k, source, target, catalog)
               for k in set(u["disabled_plans"])}
    u = u.join(disabled_after(u, mapping, source, target, catalog))
    notes_code, notes_text = swap_notes(u, lang)
    u["code"] = u["code"].where(u["code"] != "", notes_code)
    u["reason"] = reasons(u, notes_text, blocked, lang)
    u["before_skus"] = held.before_skus.to_numpy()[u["user"]]
    u["after_skus"] = skus_after(u, source, target)
    groups = group_rows(pairs, all_groups, planned, blocked, u, held.target, source, target,
                        catalog, mapping, lang)
    users = user_rows(u, held, pairs, groups, source, target)
    seats_later = int((u["fix_location"] & (u["target_before"] == "")
                       & ~u["any_planned"]).sum())
    locations = usage_location_rows(users[u["set_location"]], config.default_usage_location,
                                    lang)
    return [users, locations, groups, target_only_rows(held, u, lang)], seats_later


def _e4_users(config: Any, held: Holdings) -> pd.DataFrame:
    """One row per E4 holder, by upn: the license row, plus how the user holds E4 and the
    target."""
    u = held.e4.take(text_order(held.e4["upn"])).reset_index(drop=True)
    if (u["upn"] == "").any():
        raise InputError(str(config.name), "error.plan.holder-without-upn", column="upn")
    in_error = not_held(held.target)
    tg = held.target[~in_error]
    t_direct = u["user"].isin(tg.loc[tg["assigned_directly"].astype(bool), "user"])
    t_group = u["user"].isin(tg.loc[has_items(tg["group_ids"]), "user"])
    t_disabled = u["user"].map(tg.set_index("user")["disabled_plans"])
    return u.assign(
        direct=u["assigned_directly"].astype(bool),
        has_groups=has_items(u["group_ids"]),
        enabled=u["account_enabled"].astype(bool),
        no_location=per_distinct(u["usage_location"].fillna(""),
                                 lambda v: str(v).strip() == "").astype(bool),
        target_direct=t_direct,
        target_before=target_before(t_direct, t_group),
        target_disabled=per_distinct(t_disabled, lambda v: v if isinstance(v, tuple) else ()),
        target_error=u["user"].map(_error_of(held.target[in_error])).astype(object).fillna(""),
    )


def _error_of(rows: pd.DataFrame) -> pd.Series:
    """Per user code: the assignment's error code, else its state."""
    error = rows["error"].fillna("").astype(str).str.strip()
    return error.where(error != "", rows["state"].astype(str)).set_axis(rows["user"])


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
    pairs = pairs.explode("group_id")  # u is by upn, so the stable sort keeps that order
    return pairs.sort_values("group_id", kind="stable").reset_index(drop=True)


def blocked_groups(pairs: pd.DataFrame) -> dict[str, Blocker]:
    """Groups that cannot be switched, with why (as data): a member outside the plan's
    limits (the first by upn) would lose E4 or get the target against the limits."""
    blockers = pairs[pairs["out"] != ""].drop_duplicates("group_id")
    return {g: (upn, out)
            for g, upn, out in zip(blockers["group_id"], blockers["upn"], blockers["out"],
                                   strict=True)}


def direct_actions(config: Any, u: pd.DataFrame) -> pd.DataFrame:
    """What happens to each direct holder inside the limits: ``reclaim`` (blocked account,
    E4 only direct, opted in), else a swap; a swap without usage location sets the default
    first (``set_location``) or, with no default, waits for the admin (``fix_location``)."""
    inside = u["direct"] & u["inside"]
    reclaim = inside & ~u["enabled"] & bool(config.reclaim_blocked) & ~u["has_groups"]
    swap = inside & ~reclaim
    fix_location = swap & u["no_location"] & (not config.default_usage_location)
    swap &= ~fix_location
    return pd.DataFrame({"swap": swap, "reclaim": reclaim, "fix_location": fix_location,
                         "set_location": swap & u["no_location"],
                         "beyond": pd.Series(False, index=u.index)})


def apply_max_users(config: Any, u: pd.DataFrame, acts: pd.DataFrame, pairs: pd.DataFrame,
                    all_groups: list[str], blocked: dict[str, Blocker],
                    ) -> tuple[pd.DataFrame, dict[str, Blocker]]:
    """``max_users``: direct movers first (by upn), then whole groups in id order while every
    member they would move still fits. The groups that do not fit are blocked."""
    if not config.max_users:
        return acts, blocked
    acts, blocked = acts.copy(), dict(blocked)
    movers = u.index[acts["swap"] | acts["reclaim"]]  # u is by upn
    acts.loc[movers[config.max_users:], "beyond"] = True
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
            blocked[g] = ("", "beyond-max-users")
    return acts, blocked


def group_coverage(u: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per E4 user: whether any / all of the groups it inherits E4 from are planned, and
    ``member``: moved by a planned group (E4 only through groups, inside the limits)."""
    per_user = pairs.groupby("pos")["planned"].agg(["any", "all"])
    per_user = per_user.reindex(u.index, fill_value=False).astype(bool)
    member = ~u["direct"] & u["has_groups"] & u["inside"] & per_user["any"]
    return pd.DataFrame({"any_planned": per_user["any"], "all_planned": per_user["all"],
                         "member": member,
                         # a held-back group keeps E4 on the user
                         "e4_stays": u["has_groups"] & ~per_user["all"]})


def user_kinds(u: pd.DataFrame) -> pd.Series:
    """Each E4 user's one row kind (``USER_DECISION_KINDS``). A categorical: the rules below
    compare it a dozen times, and a categorical compares its few codes, not every text."""
    kind = pd.Series("skip", index=u.index, dtype=pd.CategoricalDtype(USER_DECISION_KINDS))
    kind[u["swap"]] = "user-swap"
    kind[u["reclaim"]] = "reclaim"
    kind[u["fix_location"]] = "fix-usage-location"
    kind[u["member"]] = "group-member"
    return kind


def skip_codes(u: pd.DataFrame) -> pd.Series:
    """The reason code of the user rows that are not plain moves ("" for the others)."""
    skip, out = u["kind"] == "skip", ~u["inside"]
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
    target_ids = per_distinct(u["target_disabled"], lambda k: plan_ids(k, target, catalog))
    fields = ("after_names", "after_ids", "unmapped", "ids_before")
    out = per_distinct_fields(u["disabled_plans"], fields, lambda k: {
        "after_names": mapping[k].names, "after_ids": mapping[k].ids,
        "unmapped": mapping[k].unmapped, "ids_before": plan_ids(k, source, catalog)})
    return out.assign(after_names=out["after_names"].where(~keep, u["target_disabled"]),
                      after_ids=out["after_ids"].where(~keep, target_ids),
                      lost=lost_services(u, source))


def lost_services(u: pd.DataFrame, source: Sku) -> pd.Series:
    """Target apps that an existing direct target assignment turns off while E4 has their twin
    on: the swap keeps that assignment, so the user loses them (a decision)."""
    e4_families = {plan_family(p.name) for p in source.service_plans}

    def lost(e4_off: tuple[str, ...], target_off: tuple[str, ...]) -> tuple[str, ...]:
        off_on_e4 = {plan_family(p) for p in e4_off}
        return tuple(sorted(p for p in target_off
                            if plan_family(p) in e4_families and plan_family(p) not in off_on_e4))

    looked = u[u["target_direct"] & has_items(u["target_disabled"])]
    out = pd.Series(cells(len(u), ()), index=u.index, dtype=object)
    out[looked.index] = per_distinct_row(looked[["disabled_plans", "target_disabled"]],
                                         lost).to_numpy()
    return out


def swap_notes(u: pd.DataFrame, lang: str = "en") -> tuple[pd.Series, pd.Series]:
    """Codes (``;``-joined) and words (in ``lang``) for facts the admin should know about a
    moved user; the words of a code with evidence (a state, apps, an error) carry it."""
    kind, enabled, has_groups = u["kind"], u["enabled"], u["has_groups"]
    moved = kind.isin(["user-swap", "group-member"])
    swap = kind == "user-swap"

    def error_text(rows: pd.DataFrame) -> pd.Series:
        def words(state: str, error: str) -> str:
            key = "e4-error-state.state-error" if error else "e4-error-state.state"
            return reason_text(key, lang, state=state, error=error)

        return per_distinct_row(rows[["state", "error"]].fillna("").astype(str), words)

    def lost_text(rows: pd.DataFrame) -> pd.Series:
        return per_distinct(rows["lost"], lambda v: reason_text(
            "target-disables-e4-service.apps", lang, apps=", ".join(v)))

    def target_error_text(rows: pd.DataFrame) -> pd.Series:
        return per_distinct(rows["target_error"], lambda e: reason_text(
            "target-in-error.error", lang, error=e))

    notes = [
        (moved & u["state"].isin(["Error", "ActiveWithError"]), "e4-error-state", error_text),
        (swap & ~enabled & ~has_groups, "reclaim-candidate",
         reason_text("reclaim-candidate", lang)),
        (swap & ~enabled & has_groups, "reclaim-candidate",
         reason_text("reclaim-candidate.group", lang)),
        (moved & ~swap & ~enabled, "reclaim-candidate",
         reason_text("reclaim-candidate.inherited", lang)),
        (moved & u["e4_stays"], "e4-stays-by-group", reason_text("e4-stays-by-group", lang)),
        (swap & u["target_direct"], "already-holds-target",
         reason_text("already-holds-target", lang)),
        (swap & has_items(u["lost"]), "target-disables-e4-service", lost_text),
        (swap & u["target_by_group"], "target-from-group",
         reason_text("target-from-group", lang)),
        (moved & (u["target_error"] != ""), "target-in-error", target_error_text),
    ]
    codes = pd.Series("", index=u.index, dtype=object)
    texts = pd.Series("", index=u.index, dtype=object)
    for mask, code, text in notes:
        if mask.any():
            more = text if isinstance(text, str) else text(u[mask])
            codes[mask] = _joined(codes[mask], code, ";").to_numpy(dtype=object)
            texts[mask] = _joined(texts[mask], more, "; ").to_numpy(dtype=object)
    return codes, texts


def _joined(before: pd.Series, more: str | pd.Series, sep: str) -> pd.Series:
    """``before + sep + more``, without the separator where ``before`` is empty."""
    return (before + sep).where(before != "", "") + more


def skus_after(u: pd.DataFrame, source: Sku, target: Sku) -> pd.Series:
    """The part numbers each E4 user holds after ALL executed rows of the plan.

    E4 stays while a direct path is not removed or a group path is not switched; the target
    comes with a swap or with any planned group (whatever the user's own row says).
    """
    adds_target = (u["kind"] == "user-swap") | u["any_planned"]
    keeps_e4 = (u["direct"] & ~u["kind"].isin(["user-swap", "reclaim"])) | u["e4_stays"]

    def after(before: tuple[str, ...], e4_stays: bool, add: bool) -> tuple[str, ...]:
        skus = set(before)
        if not e4_stays:
            skus.discard(source.part_number)
        if add:
            skus.add(target.part_number)
        return tuple(sorted(skus))

    return per_distinct_row(pd.DataFrame({"before": u["before_skus"], "e4_stays": keeps_e4,
                                          "add": adds_target}), after)


def reasons(u: pd.DataFrame, notes: pd.Series, blocked: dict[str, Blocker],
            lang: str = "en") -> pd.Series:
    """The ``reason`` column of the user rows, in words (``lang``); a user held back by its
    groups reads each group's blocker."""
    kind, code = u["kind"], u["code"]
    out = notes.copy()
    skip = kind == "skip"
    out[skip] = per_distinct(code[skip], lambda c: reason_text(c, lang))
    held = skip & (code == "group-held-back")
    if held.any():
        planned = message("plan.blocker.planned", lang)
        out[held] = out[held] + ": " + per_distinct(u.loc[held, "group_ids"], lambda gs: "; ".join(
            f"{g}: {blocker_text(blocked[g], lang) if g in blocked else planned}" for g in gs))
    out[kind == "fix-usage-location"] = reason_text("no-usage-location", lang)
    out[kind == "reclaim"] = reason_text("reclaim-blocked", lang)
    return out
