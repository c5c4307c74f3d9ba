"""The finding rules: one function per finding, each reading :class:`.facts.Facts`.

:data:`RULES` holds the rules that do not depend on the path, in the order they run;
:func:`upgrade_tab_rules` and :func:`credit_possible` run once the path is known.
"""

from __future__ import annotations

import pandas as pd

from playbook.counting import addon_plans, round_limits
from playbook.eligibility.comparison import compare_plans
from playbook.eligibility.dates import add_business_days
from playbook.eligibility.facts import Facts, Hit, Rule, sku_name
from playbook.table import ERROR_STATES, has_items, per_distinct

CREDIT_CHECK_BUSINESS_DAYS = 2
"""A credit check, when Microsoft requires one, can take up to two business days [S1, S5a]: so
start + 2 business days is the *latest* completion, never the earliest."""

NOT_PROVISIONED = frozenset({"Error", "PendingInput", "PendingActivation", "PendingProvisioning"})
"""servicePlans provisioningStatus values that mean "not set up yet" (``Disabled`` is a plan
switched off on purpose, ``Success`` is ready)."""


def _nothing_to_move(f: Facts) -> list[Hit]:
    """No user holds E4 in the export: there is no one to move, so no path applies (a blocker,
    so the Upgrade tab is not offered for a tenant it has nothing to do for)."""
    if f.counts.source_users:
        return []
    return [Hit("NOTHING_TO_MOVE", {"source": f.source.part_number,
                                    "source_name": sku_name(f.source),
                                    "source_purchased": f.counts.source_purchased})]


def _channel(f: Facts) -> list[Hit]:
    channel = f.config.purchase_channel
    rows = f.source_rows
    # a few distinct product names: each looked at once, not once per row
    partner_sold = per_distinct(
        rows["product_name"], lambda n: str(n).strip().lower().startswith("reseller-account:"))
    reseller = rows.loc[partner_sold.astype(bool), "upn"].nunique()
    hits = []
    if channel == "volume-licensing":
        hits.append(Hit("PURCHASED_VIA_VOLUME_LICENSING", {"purchase_channel": channel}))
    if channel == "partner" or reseller:
        key = "PURCHASED_VIA_PARTNER" if channel == "partner" else "PURCHASED_VIA_PARTNER.detected"
        hits.append(Hit("PURCHASED_VIA_PARTNER",
                         {"purchase_channel": channel, "reseller_account_users": int(reseller)},
                         message_key=key))
    return hits


def _more_users(f: Facts) -> list[Hit]:
    """More E4 licences assigned than held (:attr:`Seats.over_assigned`), or CountViolation
    errors saying the same when no subscription export tells the units."""
    rows = f.source_rows
    violations = int(rows.loc[rows["error"] == "CountViolation", "upn"].nunique())
    seats = f.source_seats
    over = seats.over_assigned if seats is not None else 0
    if not over and not violations:
        return []
    units = {}
    if seats is not None:
        units = {"enabled": seats.enabled, "warning": seats.warning,
                 "suspended": seats.suspended, "consumed": seats.consumed}
    evidence = {
        "assigned": f.counts.source_users if seats is None else seats.consumed,
        "purchased": None if seats is None else seats.held,
        "over": over or None,
        "count_violations": violations,
        "reclaimable": f.counts.reclaimable,
        **units,
    }
    key = "MORE_USERS_THAN_LICENSES" if over else "MORE_USERS_THAN_LICENSES.count_violation"
    return [Hit("MORE_USERS_THAN_LICENSES", evidence, message_key=key)]


def _source_expired(f: Facts) -> list[Hit]:
    """E4 in ``warning``: expired, in its grace period; next it is disabled and users lose
    access [S14, S9]. Read off capabilityStatus ``Warning`` or warning units (:mod:`seats`)."""
    subs, seats = f.source_subs, f.source_seats
    if subs is None or seats is None:
        return []
    statuses = sorted({s.strip() for s in subs["capability_status"] if s.strip()})
    if not seats.warning and "Warning" not in statuses:
        return []
    ids = sorted({str(i) for t in subs["subscription_ids"] for i in t if str(i).strip()})
    return [Hit("SOURCE_EXPIRED", {
        "status": statuses, "warning": seats.warning, "enabled": seats.enabled,
        "consumed": seats.consumed, "subscription_ids": ids})]


def _not_ready(f: Facts) -> list[Hit]:
    if f.subscriptions is None:
        return []
    not_enabled: dict[str, str] = {}
    plans: dict[str, str] = {}
    for subs, expired_elsewhere in ((f.source_subs, True), (f.target_subs, False)):
        for rec in subs.itertuples(index=False):  # a handful of SKU rows, not users
            status = rec.capability_status.strip()
            if expired_elsewhere and status == "Warning":
                continue  # E4 expired, in grace: SOURCE_EXPIRED says it, not "wait a few hours"
            if status and status != "Enabled":
                not_enabled[rec.sku_part_number] = status
    for rec in f.target_subs.itertuples(index=False):
        for plan in rec.service_plans:
            state = str(plan[2]).strip() if len(plan) > 2 else ""
            if state in NOT_PROVISIONED:
                plans[str(plan[0])] = state
    if not not_enabled and not plans:
        return []
    return [Hit("SUBSCRIPTION_NOT_READY", {
        "not_enabled": not_enabled, "plans_not_provisioned": dict(sorted(plans.items()))})]


def _flag(code: str, attr: str) -> Rule:
    """A rule read straight off a ``tenant.yaml`` fact no export carries."""

    def rule(f: Facts) -> list[Hit]:
        return [Hit(code, {attr: True})] if getattr(f.config, attr) else []

    rule.__name__ = f"_{attr}"
    return rule


def _multiple(f: Facts) -> list[Hit]:
    subs = f.source_subs
    if subs is None:
        return []
    ids = sorted({str(i) for t in subs["subscription_ids"] for i in t if str(i).strip()})
    n = max(len(ids), len(subs))
    if n < 2:
        return []
    return [Hit("MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT",
                 {"subscriptions": n, "subscription_ids": ids})]


def _government(f: Facts) -> list[Hit]:
    by_sku = f.source.part_number.strip().upper().endswith("_GOV")
    if not (f.config.government_or_nonprofit or by_sku):
        return []
    return [Hit("GOVERNMENT_OR_NONPROFIT",
                 {"source": f.source.part_number, "government_or_nonprofit":
                  f.config.government_or_nonprofit, "government_sku": by_sku})]


def _data_services(f: Facts) -> list[Hit]:
    cmp = compare_plans(f.source, f.target)
    if cmp["data_services"] != "lower":
        return []
    return [Hit("TARGET_FEWER_DATA_SERVICES", {
        "target": f.target.part_number,
        "target_name": sku_name(f.target),
        "exchange_source": cmp["exchange_source"] or "none",
        "exchange_target": cmp["exchange"] or "none",
        "sharepoint_source": cmp["sharepoint_source"] or "none",
        "sharepoint_target": cmp["sharepoint"] or "none",
    })]


def _fewer_services(f: Facts) -> list[Hit]:
    """A target lacking an E4 service (with no successor) is a change, not an upgrade: the
    Upgrade tab lists only plans with the same or more services [S5a]; Microsoft itself calls
    the E3 options "Change to" [S2]. A target with fewer *data* services already has
    ``TARGET_FEWER_DATA_SERVICES``, which says more (back up data)."""
    cmp = compare_plans(f.source, f.target)
    if not cmp["lacks"] or cmp["data_services"] == "lower":
        return []
    return [Hit("TARGET_FEWER_SERVICES", {
        "target": f.target.part_number, "target_name": sku_name(f.target),
        "lacks": list(cmp["lacks"])})]


def _round_limited(f: Facts) -> list[Hit]:
    """The Upgrade tab reassigns ALL users and cancels E4 [S1]: a round tenant.yaml limits
    (some users excluded, only some moved) can only be done manually [S5b: "not all users
    should move" is a reason to change manually]."""
    limits = round_limits(f.config)
    if not limits:
        return []
    return [Hit("UPGRADE_TAB_MOVES_EVERYONE", {"limits": limits})]


def _trial(f: Facts) -> list[Hit]:
    """``trial``: the target subscription is a trial. Users moved onto it lose its services
    when the trial ends unless it is made paid first (inference from the lifecycle [S9])."""
    if not f.config.trial:
        return []
    return [Hit("TARGET_IS_TRIAL", {
        "target": f.target.part_number, "target_name": sku_name(f.target),
        "target_available": f.counts.target_available})]


def _disabled_plans_unknown(f: Facts) -> list[Hit]:
    """An export that cannot show per-user disabled plans (admin center, MSOnline) hides what
    the Upgrade tab would switch on [S5a, S5c]; say so instead of implying there is none."""
    if f.carries_disabled_plans or not f.counts.source_users:
        return []
    return [Hit("DISABLED_PLANS_UNKNOWN", {"users": f.counts.source_users})]


def _addon_plans(f: Facts, token: str) -> tuple[str, set[str]]:
    """An add-on's readable name and the service plans it carries (counting's one rule)."""
    sku = f.catalog.resolve(token)
    return (sku_name(sku) if sku is not None else token), addon_plans(f.catalog, token)


def _addons(f: Facts) -> list[Hit]:
    if not f.config.addons:
        return []
    target_plans = {p.strip().upper() for p in f.target.plan_names}
    names, included = [], []
    for token in f.config.addons:
        name, plans = _addon_plans(f, token)
        names.append(name)
        if target_plans and plans <= target_plans:
            included.append(name)
    hits = [Hit("HAS_ADDON", {"count": len(names), "addons": names})]
    if included:
        hits.append(Hit("ADDONS_INCLUDED_IN_TARGET_REMOVED", {
            "target": f.target.part_number, "target_name": sku_name(f.target),
            "addons": included}))
    return hits


def _credit(f: Facts) -> list[Hit]:
    """Paying by invoice: a credit check *may* be required, taking up to two business days
    [S1, S5a], so start + 2 business days is the latest completion."""
    if f.config.payment_method != "invoice":
        return []
    end = add_business_days(f.start_date, CREDIT_CHECK_BUSINESS_DAYS) if f.start_date else None
    evidence = {
        "payment_method": f.config.payment_method,
        "business_days": CREDIT_CHECK_BUSINESS_DAYS,
        "start_date": f.start_date.isoformat() if f.start_date else None,
        "latest_completion": end.isoformat() if end else None,
        "public_holidays_counted": False,
    }
    key = "CREDIT_CHECK_LIKELY" if end else "CREDIT_CHECK_LIKELY.no_date"
    return [Hit("CREDIT_CHECK_LIKELY", evidence, message_key=key)]


def _disabled_plans(f: Facts) -> list[Hit]:
    rows = f.source_rows
    with_disabled = rows[has_items(rows["disabled_plans"])]
    if with_disabled.empty:
        return []
    per_plan = (
        with_disabled[["upn", "disabled_plans"]].explode("disabled_plans")
        .drop_duplicates().groupby("disabled_plans")["upn"].nunique()
    )
    ordered = sorted(per_plan.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Hit("DISABLED_PLANS_RESET_BY_UPGRADE_TAB", {
        "users": int(with_disabled["upn"].nunique()),
        "plans": {str(k): int(v) for k, v in ordered},
    })]


def _groups(f: Facts) -> list[Hit]:
    rows = f.source_rows
    inherited = rows[has_items(rows["group_ids"])]
    if inherited.empty:
        return []
    group_ids = sorted(set(inherited["group_ids"].explode().dropna().astype(str)))
    return [Hit("GROUP_BASED_LICENSES", {
        "users": int(inherited["upn"].nunique()),
        "groups": len(group_ids),
        "group_ids": group_ids,
        "also_direct": int(inherited.loc[inherited["assigned_directly"], "upn"].nunique()),
    })]


def _usage_location(f: Facts) -> list[Hit]:
    u = f.flags
    missing = u["source"] & u["no_usage_location"]
    if not missing.any():
        return []
    default = f.config.default_usage_location
    evidence = {
        "users": int(missing.sum()),
        "direct": int((missing & u["source_direct"]).sum()),
        "default_usage_location": default,
    }
    remedy = "MISSING_USAGE_LOCATION.default" if default else ""
    return [Hit("MISSING_USAGE_LOCATION", evidence, remedy_key=remedy)]


def _loses_features(f: Facts) -> list[Hit]:
    cmp = compare_plans(f.source, f.target)
    if not cmp["lacks"]:
        return []
    return [Hit("TARGET_LOSES_E4_FEATURES", {
        "target": f.target.part_number,
        "target_name": sku_name(f.target),
        "lacks": list(cmp["lacks"]),
        "phone_system": cmp["phone_system"],
        "audio_conferencing": cmp["audio_conferencing"],
    })]


def _assignment_errors(f: Facts) -> list[Hit]:
    u = f.flags
    involved = u.index[(u["source"] | u["has_target_row"]) & u["any_error"]]
    if len(involved) == 0:
        return []
    t = f.licenses
    rows = t[t["upn"].isin(involved) & t["state"].isin(ERROR_STATES)]
    reason = rows["error"].where(rows["error"].str.strip() != "", rows["state"])
    per = pd.DataFrame({"upn": rows["upn"], "reason": reason}).drop_duplicates()
    counts = per.groupby("reason")["upn"].nunique()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [Hit("LICENSE_ASSIGNMENT_ERRORS", {
        "users": len(involved), "errors": {str(k): int(v) for k, v in ordered}})]


def _subscriptions_unknown(f: Facts) -> list[Hit]:
    if f.subscriptions is not None:
        return []
    return [Hit("SUBSCRIPTIONS_UNKNOWN", {
        "unknown": list(f.counts.unknown),
        "unchecked": ["SOURCE_EXPIRED", "MORE_USERS_THAN_LICENSES", "SUBSCRIPTION_NOT_READY",
                      "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT"],
    })]


RULES: tuple[Rule, ...] = (
    _source_expired,
    _nothing_to_move,
    _channel,
    _more_users,
    _not_ready,
    _flag("PENDING_CHANGE_OR_CREDIT_CHECK", "pending_change"),
    _multiple,
    _flag("PREPAID_PLAN", "prepaid"),
    _government,
    _data_services,
    _fewer_services,
    _round_limited,
    _flag("UNPAID_BALANCE", "unpaid_balance"),
    _addons,
    _credit,
    _trial,
    _disabled_plans,
    _disabled_plans_unknown,
    _groups,
    _usage_location,
    _loses_features,
    _assignment_errors,
    _subscriptions_unknown,
)
"""Rules that do not depend on the path."""


# -- rules that run once the path is known ---------------------------------------------------
TAB_ONLY: frozenset[str] = frozenset({"ADMIN_DOWNTIME",
                                      "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE"})
"""Findings about using the Upgrade tab itself: they do not apply once the route is manual."""


def upgrade_tab_rules(f: Facts) -> list[Hit]:
    """Findings that only matter when the Upgrade tab is the path."""
    c = f.counts
    hits = [Hit("ADMIN_DOWNTIME", {
        "users": c.source_users,
        "credit_check": f.config.payment_method == "invoice",
    })]
    unassigned = (max(0, c.source_purchased - c.source_users)
                  if c.source_purchased is not None else None)
    could = (unassigned or 0) + c.reclaimable
    if could > 0:
        hits.append(Hit("LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE", {
            "purchased": c.source_purchased,
            "assigned": c.source_users,
            "unassigned": unassigned,
            "reclaimable": c.reclaimable,
            "could_reduce_by": could,
        }, message_key="" if unassigned is not None
            else "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE.unknown_unassigned"))
    # The Upgrade tab walks the admin through *buying* the new plan [S1]; licenses already
    # bought are used by the manual path, whose step 1 is skipped when the plan exists.
    if c.target_purchased:
        hits.append(Hit("TARGET_ALREADY_PURCHASED", {
            "target": f.target.part_number,
            "target_name": sku_name(f.target),
            "target_purchased": c.target_purchased,
            "target_available": c.target_available,
            "to_buy": c.to_buy,
        }, remedy_key="TARGET_ALREADY_PURCHASED.enough" if c.to_buy == 0 else ""))
    return hits


def credit_possible(f: Facts, path: str) -> list[Hit]:
    """Any other payer who buys: a credit check may also apply when "the purchase is above a
    certain cost" [S1, S5a]. Microsoft names no amount, so no threshold is guessed here. The
    Upgrade tab always buys; the manual path buys when licenses are short (or unknown)."""
    if f.config.payment_method == "invoice" or path == "contact-partner":
        return []
    if path != "upgrade-tab" and f.counts.to_buy == 0:
        return []
    return [Hit("CREDIT_CHECK_POSSIBLE", {
        "payment_method": f.config.payment_method, "to_buy": f.counts.to_buy,
        "business_days": CREDIT_CHECK_BUSINESS_DAYS})]
