"""What a user or group holds now, against what the plan says: done, send, or drifted.

``apply`` reads every user (and group) right before writing and again right after, and
decides from what Graph shows, never from what it sent: a 429'd or timed-out write may have
been applied, and the admin may have changed a user since the plan was reviewed. Only DIRECT
assignments count for a user (``licenseAssignmentStates`` without ``assignedByGroup``): an
inherited licence is the group's business, and Graph refuses to remove it from the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from playbook.messages import Said

DONE = "done"
SEND = "send"
DRIFTED = "drifted"

USER_SELECT = "id,userPrincipalName,usageLocation,assignedLicenses,licenseAssignmentStates"
GROUP_SELECT = "id,displayName,assignedLicenses,licenseProcessingState"
PROCESSING_DONE = "ProcessingComplete"
PROCESSING_BUSY = ("QueuedForProcessing", "ProcessingInProgress")
NO_ERROR = (None, "", "None", "none")

Why = str | Said
"""Why a row is not sent: "" when it is done or to send; a drift as catalog words
(``apply.why.*``), so the journal keeps it in English and the page words it in the
tenant's language."""


def _ids(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


def licences(assigned: Any) -> dict[str, frozenset[str]]:
    """skuId -> disabled plan ids, from an ``assignedLicenses`` array."""
    return {str(a.get("skuId", "")).lower(): _ids(a.get("disabledPlans"))
            for a in assigned or () if isinstance(a, dict)}


def direct_licences(user: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """The user's direct assignments: skuId -> disabled plan ids.

    A state's own ``disabledPlans`` when Graph gives them, else the effective set's. Without
    ``licenseAssignmentStates`` nothing tells direct from inherited: all count as direct.
    """
    effective = licences(user.get("assignedLicenses"))
    states = user.get("licenseAssignmentStates")
    if states is None:
        return effective
    out: dict[str, frozenset[str]] = {}
    for s in states:
        if not isinstance(s, dict) or s.get("assignedByGroup"):
            continue
        sku = str(s.get("skuId", "")).lower()
        plans = s.get("disabledPlans")
        out[sku] = _ids(plans) if plans is not None else effective.get(sku, frozenset())
    return out


def compare(held: dict[str, frozenset[str]], row: Mapping[str, Any],
            check_source_plans: bool,
            effective: dict[str, frozenset[str]] | None = None) -> tuple[str, Why]:
    """(DONE | SEND | DRIFTED, why) for a licence row against what is held (direct for a
    user, the group's own for a group). E4's turned-off apps are compared as the plan saw
    them: the ``effective`` set (``assignedLicenses``) when given, as the export showed it."""
    add, remove = str(row["add_sku_id"]).lower(), str(row["remove_sku_id"]).lower()
    planned = _ids(row["disabled_plan_ids_after"])
    added = not add or held.get(add) == planned
    if added and (not remove or remove not in held):
        return DONE, ""
    if remove and remove not in held:
        return DRIFTED, Said("apply.why.source-removed")
    seen = (effective or held).get(remove, held[remove]) if remove else frozenset()
    if remove and check_source_plans and seen != _ids(row["disabled_plan_ids_before"]):
        return DRIFTED, Said("apply.why.source-plans-changed")
    if add and add in held and held[add] != planned:
        return DRIFTED, Said("apply.why.target-other-apps")
    return SEND, ""


def classify_user(row: Mapping[str, Any], user: Mapping[str, Any],
                  check_source_plans: bool = True) -> tuple[str, Why]:
    """A user row (set-usage-location, user-swap, reclaim) against the user read now."""
    if row["kind"] == "set-usage-location":
        now = str(user.get("usageLocation") or "").upper()
        if now == str(row["new_usage_location"]).upper():
            return DONE, ""
        if now == str(row["usage_location"] or "").upper():
            return SEND, ""
        return DRIFTED, Said("apply.why.usage-location-set", {"now": now})
    return compare(direct_licences(user), row, check_source_plans,
                   licences(user.get("assignedLicenses")))


def classify_group(row: Mapping[str, Any], group: Mapping[str, Any],
                   check_source_plans: bool = True) -> tuple[str, Why]:
    """A group-swap row against the group's own ``assignedLicenses`` read now."""
    return compare(licences(group.get("assignedLicenses")), row, check_source_plans)


def processing_state(group: Mapping[str, Any]) -> str:
    """The group's ``licenseProcessingState.state`` ("" when Graph gives none)."""
    state = group.get("licenseProcessingState") or {}
    return str(state.get("state") or "") if isinstance(state, dict) else ""


def member_errors(members: list[dict[str, Any]], group_id: str) -> list[dict[str, str]]:
    """Members whose assignment through this group ended in an error (CountViolation, ...)."""
    out = []
    gid = group_id.lower()
    for m in members:
        for s in m.get("licenseAssignmentStates") or ():
            if (str(s.get("assignedByGroup") or "").lower() == gid
                    and s.get("error") not in NO_ERROR):
                out.append({"user_id": str(m.get("id", "")),
                            "upn": str(m.get("userPrincipalName", "")).lower(),
                            "sku_id": str(s.get("skuId", "")).lower(),
                            "error": str(s.get("error"))})
    return out
