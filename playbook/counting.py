"""License counting: who holds E4, what has been bought, and how many target licenses to buy.

Everything here is read off two tables (:mod:`playbook.table`), never guessed. Where the tenant
folder holds no subscription export, the figures that only ``subscribedSkus`` can tell
(purchased, consumed, available, to buy) are ``None`` and named in
``LicenseCount.unknown``, so no screen ever shows a made-up zero.

Definitions (each one is a contract the plan and the reports rely on):

- **source users**: distinct users with an E4 row in any state. A user who holds E4 directly
  *and* through one or more groups counts once, because Microsoft counts one license [S20, S21].
  Users whose E4 assignment is in an error state (e.g. ``CountViolation``) are included: they
  are meant to hold E4, so they need the target too.
- **source direct / source group**: distinct E4 users with a direct assignment / with at least one
  group the license is inherited from. A user with both counts in both (so they may add up to
  more than source users).
- **source purchased**: the E4 licences the tenant holds, :attr:`playbook.seats.Seats.held`
  (``enabled + warning``: warning = expired, in grace; suspended and locked-out units are not
  seats [S14]).
- **target purchased**: the same for the target plan; **target consumed** is
  ``consumedUnits``; **target available** is :attr:`playbook.seats.Seats.assignable`
  (``max(0, enabled - consumed)``: only enabled units can be assigned [S14]).
  A target absent from the subscription export is known not to be bought: all zero.
- **already on target**: E4 users who also hold the target (any state but ``Error``): they need
  no new target license, only E4 removed.
- **blocked with source**: E4 users whose sign-in is blocked (``account_enabled`` False).
- **reclaimable**: blocked users holding E4 who are not in ``exclude_users``. That is the only
  "no reason to keep it" the data can decide: a blocked account cannot sign in to use E4's
  apps. It is a *candidate* list, not a verdict: a blocked shared mailbox may still need a
  license (mailbox over 50 GB, archive, litigation hold). Admins keep those by listing them in
  ``exclude_users``, which always wins.
- **need target**: source users minus those already on target, minus the reclaimable ones when
  ``reclaim_blocked`` is set (the plan then removes E4 from them instead of moving them).
  Excluded users still count: they hold E4, and E4 cannot be canceled while anyone does, so
  they need a target license whoever moves them.
- **to buy** = ``max(0, need target - target available)``, for the *whole move*. Nothing is
  subtracted for reclaim candidates the admin has not chosen to reclaim; ``reclaimable`` says how
  many fewer could be bought by setting ``reclaim_blocked``.
- **this round** (only when ``tenant.yaml`` limits a plan round with ``exclude_users``,
  ``only_users``, ``only_departments`` or ``max_users``): **round need target** = the users who
  need the target and are inside the limits, at most ``max_users``; **round to buy** =
  ``max(0, round need target - target available)``. Counted here from the same flags, not by
  the planner; with ``max_users`` it is an upper bound, because the planner may hold back a group
  that does not fit (inference from the plan's rules, not a Microsoft figure).
- **Buy N** (:class:`BuyFigure`, ``LicenseCount.buy``): the one "licences to buy" figure every
  step, the CLI and the fleet summary show: ``to buy`` above, split into what is needed **now**
  (users who can move today) and what is needed **once usage locations are set** (E4 users
  with a direct assignment, no group, and no usage location, when ``default_usage_location``
  is not set: the plan holds them back until the admin sets one, so they need their seat
  later). ``now + once_usage_locations_set == total``.
- **missing usage location**: E4 users with no usage location (direct assignment of the target
  fails until one is set [S10, S26]).
- **in error**: distinct users holding E4 or the target (any state) with any license row in an
  error state (:data:`playbook.table.ERROR_STATES`), whatever SKU it is for: a user in error
  on another product can fail group processing for all of that group's products [S19].
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from playbook.catalog import Catalog, Sku, normalize_key
from playbook.errors import InputError
from playbook.messages import message
from playbook.seats import rows_of_skus, seats_of, sku_rows
from playbook.table import ERROR_STATES, USER_COLUMNS, has_items
from playbook.tenant import TenantConfig

SUBSCRIPTION_FIGURES: tuple[str, ...] = (
    "source_purchased",
    "target_purchased",
    "target_consumed",
    "target_available",
    "to_buy",
)
"""The counts that cannot be known without a subscription export."""


@dataclass(frozen=True)
class BuyFigure:
    """"Buy N": target licences to buy for the whole move, with its breakdown.

    The one figure every display reads (steps 1-4, the plan, the CLI, the fleet summary), so
    they can never disagree. ``total`` is :attr:`LicenseCount.to_buy`; ``now`` is what the
    users who can move today need beyond the licences available; ``once_usage_locations_set``
    is the rest, needed when the users the plan holds back for a missing usage location move.
    All ``None`` when no subscriptions export tells what is available.
    """

    total: int | None
    now: int | None
    once_usage_locations_set: int | None

    @property
    def known(self) -> bool:
        return self.total is not None

    def to_text(self, lang: str, target: str) -> str:
        """The one line every display shows: "Buy 37 Office 365 E5 licenses (33 now + 4 once
        usage locations are set)"; ``target`` is the plan's display name."""
        if self.total is None:
            return message("buy.figure.unknown", lang, target=target)
        if self.total == 0:
            return message("buy.figure.none", lang, target=target)
        key = "buy.figure.split" if self.once_usage_locations_set else "buy.figure"
        return message(key, lang, total=self.total, target=target, now=self.now,
                       later=self.once_usage_locations_set)

    def to_dict(self) -> dict[str, int | None]:
        """``buy`` in ``assess --json``, the run record and the fleet summary."""
        return {"total": self.total, "now": self.now,
                "once_usage_locations_set": self.once_usage_locations_set}


def buy_figure(need_target: int, waiting: int, target_available: int | None) -> BuyFigure:
    """Split the licences to buy into now and later (see :class:`BuyFigure`).

    ``waiting`` of the ``need_target`` users wait for a usage location; the available
    licences go to those who can move now first, because they move first.
    """
    if target_available is None:
        return BuyFigure(None, None, None)
    total = max(0, need_target - target_available)
    now = max(0, need_target - waiting - target_available)
    return BuyFigure(total, now, total - now)


UNKNOWN_BUY = BuyFigure(None, None, None)


@dataclass(frozen=True)
class LicenseCount:
    """The license figures of one tenant; ``None`` = unknown (listed in ``unknown``)."""

    source_users: int
    source_direct: int
    source_group: int
    source_purchased: int | None
    target_purchased: int | None
    target_consumed: int | None
    target_available: int | None
    to_buy: int | None
    already_on_target: int
    reclaimable: int
    missing_usage_location: int
    blocked_with_source: int
    in_error: int
    unknown: tuple[str, ...] = ()
    need_target: int = 0
    round_limits: tuple[tuple[str, int], ...] = ()
    round_need_target: int | None = None
    round_to_buy: int | None = None
    buy: BuyFigure = UNKNOWN_BUY

    def round_dict(self) -> dict[str, object] | None:
        """This round's figures (``assess --json`` ``round``), or ``None`` when not limited."""
        if not self.round_limits:
            return None
        return {"limits": dict(self.round_limits), "need_target": self.round_need_target,
                "to_buy": self.round_to_buy}

    def to_dict(self) -> dict[str, int | None]:
        """Exactly the ``counts`` keys of the ``assess --json`` contract."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in COUNT_KEYS}


COUNT_KEYS: tuple[str, ...] = (
    "source_users",
    "source_direct",
    "source_group",
    "source_purchased",
    "target_purchased",
    "target_consumed",
    "target_available",
    "to_buy",
    "already_on_target",
    "reclaimable",
    "missing_usage_location",
    "blocked_with_source",
    "in_error",
)
"""The JSON ``counts`` keys, in contract order."""

ROUND_LIMITS: tuple[str, ...] = ("exclude_users", "only_users", "only_departments", "max_users")
"""The ``tenant.yaml`` keys that limit who one plan round moves."""


def round_limits(config: TenantConfig) -> dict[str, int]:
    """The round limits ``config`` sets, each with its size (list length, or ``max_users``)."""
    sizes: dict[str, int] = {}
    for key in ROUND_LIMITS:
        value = getattr(config, key)
        if value:
            sizes[key] = value if isinstance(value, int) else len(value)
    return sizes


def resolve_sku(catalog: Catalog, token: str, key: str) -> Sku:
    """The SKU ``tenant.yaml`` names under ``key``; bad input when the catalog does not know it."""
    sku = catalog.resolve(token)
    if sku is None:
        raise InputError("tenant.yaml", "error.count.unknown-plan", column=key, value=token,
                         key=key)
    return sku


def user_flags(
    config: TenantConfig, licenses: pd.DataFrame, source: Sku, target: Sku
) -> pd.DataFrame:
    """One row per user (index ``upn``) with the boolean facts counting and rules need.

    Columns: ``source``, ``source_direct``, ``source_group``, ``on_target`` (holds the target, not
    in ``Error``), ``has_target_row``, ``any_error``, ``blocked``, ``no_usage_location``,
    ``excluded``, ``in_round`` (inside ``only_users``/``only_departments`` and not excluded).
    Built with one group-by, so it stays fast on 500k-row tables.
    """
    t = licenses
    src, tgt = rows_of_skus(t, (source, target))
    has_groups = has_items(t["group_ids"])
    rows = pd.DataFrame(
        {
            "source": src,
            "source_direct": src & t["assigned_directly"],
            "source_group": src & has_groups,
            "on_target": tgt & (t["state"] != "Error"),
            "has_target_row": tgt,
            "any_error": t["state"].isin(ERROR_STATES),
        }
    )
    # the upns hashed once: users are grouped by their code, in order of first appearance
    user, upns = pd.factorize(t["upn"])
    per_user = rows.groupby(user).any().set_axis(pd.Index(upns, name="upn"))
    first_row = ~pd.Series(user).duplicated().to_numpy()  # each user's first, in that order
    first = t.loc[first_row, USER_COLUMNS].set_index("upn")
    per_user["blocked"] = ~first["account_enabled"].astype(bool)
    location = first["usage_location"]
    # blank after trimming; the few distinct values are trimmed, not every user's
    per_user["no_usage_location"] = location.isin(
        [v for v in location.unique() if isinstance(v, str) and not v.strip()])
    excluded = {u.strip().lower() for u in config.exclude_users}
    per_user["excluded"] = per_user.index.isin(list(excluded))
    per_user["in_round"] = _in_round(config, per_user.index, first)
    return per_user


def _in_round(config: TenantConfig, upns: pd.Index, first: pd.DataFrame) -> pd.Series:
    """Per user: inside the round's list limits, matched as the planner matches them (UPN or
    user id, case-insensitive; department trimmed and case-folded)."""
    inside = pd.Series(True, index=upns)
    if not (config.only_departments or config.only_users or config.exclude_users):
        return inside  # no list limits: skip cleaning every user's ids (a plan pays this too)
    ids = first["user_id"].reindex(upns).fillna("").astype(str).str.strip().str.lower()
    upn = pd.Series(upns.str.strip().str.lower(), index=upns)

    def listed(values: tuple[str, ...]) -> pd.Series:
        wanted = {v.strip().lower() for v in values}
        return upn.isin(wanted) | ids.isin(wanted)

    if config.only_departments:
        depts = {normalize_key(d) for d in config.only_departments}
        dept = first["department"].reindex(upns).fillna("").astype(str)
        inside &= dept.isin([d for d in dept.unique() if normalize_key(d) in depts])
    if config.only_users:
        inside &= listed(config.only_users)
    if config.exclude_users:
        inside &= ~listed(config.exclude_users)
    return inside


def _this_round(config: TenantConfig, need_inside: pd.Series,
                target_available: int | None) -> tuple[int | None, int | None]:
    """This round's need (users inside the limits, at most ``max_users``) and what it must buy;
    both ``None`` when tenant.yaml does not limit the round."""
    if not round_limits(config):
        return None, None
    need = int(need_inside.sum())
    if config.max_users:
        need = min(need, config.max_users)
    return need, None if target_available is None else max(0, need - target_available)


def _waiting_for_location(config: TenantConfig, need: pd.Series, u: pd.DataFrame) -> int:
    """Users needing the target whom the plan holds back until a usage location is set:
    direct holders only (a group assigns regardless), and none when tenant.yaml gives a
    ``default_usage_location`` for the plan to set first."""
    if config.default_usage_location:
        return 0
    return int((need & u["no_usage_location"] & u["source_direct"] & ~u["source_group"]).sum())


def count_licenses(
    config: TenantConfig,
    licenses: pd.DataFrame,
    subscriptions: pd.DataFrame | None,
    catalog: Catalog,
    *,
    flags: pd.DataFrame | None = None,
) -> LicenseCount:
    """Count E4 users, purchased and available licenses, and the quantity to buy.

    ``flags`` lets a caller that already built :func:`user_flags` pass it in (the assessment
    does), so the license table is grouped once.
    """
    source = resolve_sku(catalog, config.source, "source")
    target = resolve_sku(catalog, config.target, "target")
    u = flags if flags is not None else user_flags(config, licenses, source, target)

    src = u["source"]
    involved = src | u["has_target_row"]
    reclaim = src & u["blocked"] & ~u["excluded"]
    need = src & ~u["on_target"]
    if config.reclaim_blocked:
        need &= ~reclaim
    need_target = int(need.sum())

    source_purchased = target_purchased = target_consumed = target_available = None
    unknown: tuple[str, ...] = ()
    if subscriptions is None:
        unknown = SUBSCRIPTION_FIGURES
    else:
        source_purchased = seats_of(subscriptions, source).held
        tgt = seats_of(subscriptions, target)
        target_purchased = tgt.held
        target_consumed = tgt.consumed
        target_available = tgt.assignable
    buy = buy_figure(need_target, _waiting_for_location(config, need, u), target_available)
    limits = round_limits(config)
    round_need, round_buy = _this_round(config, need & u["in_round"], target_available)

    return LicenseCount(
        source_users=int(src.sum()),
        source_direct=int(u["source_direct"].sum()),
        source_group=int(u["source_group"].sum()),
        source_purchased=source_purchased,
        target_purchased=target_purchased,
        target_consumed=target_consumed,
        target_available=target_available,
        to_buy=buy.total,
        already_on_target=int((src & u["on_target"]).sum()),
        reclaimable=int(reclaim.sum()),
        missing_usage_location=int((src & u["no_usage_location"]).sum()),
        blocked_with_source=int((src & u["blocked"]).sum()),
        in_error=int((involved & u["any_error"]).sum()),
        unknown=unknown,
        need_target=need_target,
        round_limits=tuple(limits.items()),
        round_need_target=round_need,
        round_to_buy=round_buy,
        buy=buy,
    )


def addon_plans(catalog: Catalog, part_number: str) -> set[str]:
    """The service plans an add-on carries: the catalog's list, or its part number as the one
    plan when the catalog lists none (Microsoft's add-on SKUs MCOEV and MCOMEETADV carry a
    same-named plan [S22]). The rule eligibility's ``addons`` check uses too."""
    sku = catalog.resolve(part_number)
    if sku is None or not sku.plan_names:
        return {part_number.strip().upper()}
    return {p.strip().upper() for p in sku.plan_names}


def included_addons(licenses: pd.DataFrame, catalog: Catalog, source: Sku,
                    target: Sku) -> dict[str, tuple[str, ...]]:
    """Add-ons the target already includes, read from the export: part number -> the E4 users
    (lower-cased upns, sorted) who hold it. Their count is how many seats of that add-on could
    be given up after the move (Office 365 E5 includes Teams Phone MCOEV and Audio
    Conferencing MCOMEETADV; E5 without Audio Conferencing only MCOEV [S22]; the Upgrade tab
    removes included add-ons itself [S1]).

    An add-on is included when every plan it carries is one of the target's. Rows are grouped
    once by part number, so a 300k-user table costs one ``isin`` and a group-by.
    """
    target_plans = {p.strip().upper() for p in target.plan_names}
    if not target_plans:
        return {}
    t = licenses
    own = {normalize_key(source.part_number).upper(), normalize_key(target.part_number).upper()}
    part = t["sku_part_number"]
    wanted = [p for p in part.dropna().unique()  # a few dozen distinct SKUs, not the rows
              if isinstance(p, str) and normalize_key(p).upper() not in own | {""}
              and addon_plans(catalog, p) <= target_plans]
    if not wanted:
        return {}
    e4_users = t.loc[sku_rows(t, source), "upn"].unique()  # upn is lower-cased already
    rows = t.loc[part.isin(wanted) & t["upn"].isin(e4_users), ["upn", "sku_part_number"]]
    keys = rows["sku_part_number"].map(lambda p: normalize_key(p).upper())
    return {str(k): tuple(sorted(set(upns))) for k, upns in
            rows["upn"].groupby(keys, sort=True)}


def included_addon_seats(licenses: pd.DataFrame, catalog: Catalog, source: Sku,
                         target: Sku) -> dict[str, int]:
    """Per included add-on (part number): how many of its seats could be given up after the
    move, one per E4 user holding it (see :func:`included_addons`)."""
    return {k: len(v) for k, v in included_addons(licenses, catalog, source, target).items()}
