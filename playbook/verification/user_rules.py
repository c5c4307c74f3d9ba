"""The per-user status rules: one row of :data:`USER_RULES` per case, first match wins.

Each rule is a condition on the decision facts (:mod:`playbook.verification.decisions`), the
status it gives and the reason text (detail and fix) it writes. Conditions are vectorized
masks; texts are computed once per distinct combination of the columns they name, so a 100k
user tenant formats a handful of strings, not 100k. The last rule matches every row.

The statuses (see :mod:`playbook.verification`): moved, pending, partial, failed, drifted,
unexpected. A planned user missing from the after export, one who lost E4 without the target,
or whose other licenses changed, is ``unexpected``; so is an E4 holder the plan does not cover
(:func:`unplanned_holders`). A user the plan moves who holds neither E4 nor the target gets the
``substatus`` :data:`UNLICENSED` (status ``unexpected``, or ``failed`` when the target is only in
an error state): the gate stays shut for them and the remaining plan adds their target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.verification.cells import per_distinct
from playbook.verification.gate import UNLICENSED
from playbook.verification.result import empty_status

Texts = tuple[str, str]
"""(detail, fix) of one status row."""

# Graph licenseAssignmentState.error codes: what they mean and what to do (docs/microsoft-facts.md
# section 6, sources S15, S19, S24d).
ERROR_CODES: dict[str, tuple[str, str]] = {
    "CountViolation": (
        "not enough available licenses of the product",
        "buy more licenses of the target or free unused ones, then run the remaining plan",
    ),
    "MutuallyExclusiveViolation": (
        "a service plan of the product conflicts with a plan the user already has from another "
        "license",
        "remove the conflicting license (or disable the conflicting plan), then run the "
        "remaining plan",
    ),
    "DependencyViolation": (
        "another license depends on a service plan that this change disables or removes (e.g. "
        "Audio Conferencing needs Skype for Business / Teams)",
        "keep the required plan enabled or remove the dependent license first, then run the "
        "remaining plan",
    ),
    "ProhibitedInUsageLocationViolation": (
        "the user's usage location is missing or the product is not sold there",
        "set a valid usage location on the user (Update-MgUser -UsageLocation XX), then run "
        "the remaining plan",
    ),
    "UniquenessViolation": (
        "a value that must be unique is already used by another object: typically a duplicate "
        "proxy (e-mail) address in Exchange Online",
        "find the duplicate (Get-Recipient -Filter \"EmailAddresses -eq '<address>'\"), remove "
        "it, then run the remaining plan",
    ),
    "Other": (
        "Entra reported an unclassified license error",
        "open the user's Licenses page in the admin center to read the message, fix it, then "
        "run the remaining plan",
    ),
}


@dataclass(frozen=True)
class Rule:
    """One case: ``when(facts)`` is a mask, ``text(**values)`` gets the columns ``uses``."""

    name: str
    status: str
    when: Callable[[pd.DataFrame], pd.Series]
    text: Callable[..., Texts]
    uses: tuple[str, ...] = ()


# --- the reason texts -------------------------------------------------------------------------


def _not_in_export() -> Texts:
    return ("not in the after export (deleted, renamed, or the export was filtered)",
            "export all users, or confirm the user was deleted")


def _failed(error_code: str, group_id: str, member: bool) -> Texts:
    meaning, remedy = ERROR_CODES.get(error_code, ERROR_CODES["Other"])
    if not member:
        return f"{error_code}: {meaning}", remedy
    return (f"{error_code} through group {group_id}: {meaning}",
            remedy.replace("then run the remaining plan",
                           "then Reprocess the group (group > Licenses > Reprocess)"))


# Exchange Online holds an unlicensed user's mailbox data for 30 days, then deletes it ("Unassign
# Microsoft 365 licenses from users", microsoft-365/admin/manage/remove-licenses-from-users.md,
# "What happens to a user's data when you remove their license?")
_MAILBOX_CLOCK = ("unless another license covers Exchange Online, the mailbox data is deleted 30 "
                  "days after {source} was removed")


def _failed_unlicensed(error_code: str, group_id: str, member: bool, source: str,
                       target: str) -> Texts:
    detail, fix = _failed(error_code, group_id, member)
    return (f"{detail}; lost {source} and holds no working {target}: "
            + _MAILBOX_CLOCK.format(source=source),
            f"urgent: {fix}; add {target} only ({source} is already gone)")


def _reclaim_pending(source: str) -> Texts:
    return (f"still holds {source}; the reclaim has not run",
            "run the remaining plan (removes the license from the blocked account)")


def _reclaimed(source: str) -> Texts:
    return f"{source} reclaimed from the blocked account", ""


def _source_back(source: str) -> Texts:
    return (f"holds {source} again: assigned after planning (the plan found the user already "
            "on the target)", "run e4-playbook plan on a fresh export to include the user")


def _partial_member(source: str, target: str, group_id: str) -> Texts:
    return (f"holds {target} through group {group_id} and still {source}",
            f"remove {source} from the group (run the remaining plan's group swap)")


def _partial(source: str, target: str) -> Texts:
    return (f"holds {target} and {source}: {source} was not removed",
            f"run the remaining plan (removes {source}; {target} stays)")


def _pending_member(source: str, group_id: str) -> Texts:
    return (f"still holds {source} through group {group_id}: the group swap has not run or "
            "Entra is still processing the group",
            "run the remaining plan's group swap; if it ran, wait for processing (audit log "
            "'Finish applying group based license to users'); after 24 hours Reprocess the "
            "group or open a support ticket")


def _pending_skipped(source: str, reason: str) -> Texts:
    return (f"still holds {source}; skipped by the plan: {reason or 'no reason given'}",
            f"decide for this user, then plan again: {source} can't be cancelled while they "
            "hold it")


def _pending_location_set(source: str, location: str) -> Texts:
    return (f"still holds {source}; its usage location is now set ({location})",
            "run e4-playbook plan again to schedule the swap")


def _pending_needs_location(source: str) -> Texts:
    return (f"still holds {source}; needs a usage location before it can move",
            "set the user's usage location, then run e4-playbook plan again")


def _pending(source: str, target: str) -> Texts:
    return f"still holds {source}, not {target} yet", "run the remaining plan"


def _skipped_lost_both(source: str, target: str) -> Texts:
    return (f"skipped by the plan and holds neither {source} nor {target} now",
            "check who removed the license and whether the user needs one")


def _unlicensed(source: str, target: str, member: bool, group_id: str) -> Texts:
    detail = (f"unlicensed: lost {source} without getting {target} (holds neither); "
              + _MAILBOX_CLOCK.format(source=source))
    if member:
        return (detail, f"urgent: check that the user is still in group {group_id} (add them "
                f"back or assign {target} directly), or Reprocess the group")
    return detail, (f"urgent: assign {target} with the planned disabled plans now; add it "
                    f"only ({source} is already gone)")


def _licenses_differ(after_skus: tuple[str, ...], licenses_now: tuple[str, ...]) -> Texts:
    planned = {str(p).strip().upper() for p in after_skus}
    now = set(licenses_now)
    changes = [f"lost {', '.join(sorted(planned - now))}" if planned - now else "",
               f"gained {', '.join(sorted(now - planned))}" if now - planned else ""]
    return ("licenses differ from the plan: " + "; ".join(c for c in changes if c),
            "check who changed them; re-assign what was lost")


def _drifted(target: str, group_id: str, member: bool, got: tuple[str, ...],
             want: tuple[str, ...]) -> Texts:
    extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
    parts = ([f"also disabled: {', '.join(extra)}"] if extra else []) + (
        [f"enabled but planned disabled: {', '.join(missing)}"] if missing else [])
    where = f" (group {group_id})" if member else ""
    fix = (f"set the planned disabled plans on the group's {target} assignment" if member else
           f"set the planned disabled plans on {target} (Set-MgUserLicense -AddLicenses with "
           "DisabledPlans, -RemoveLicenses @())")
    return f"{target}{where} disabled plans differ from the plan ({'; '.join(parts)})", fix


def _moved_outside_plan(source: str, target: str) -> Texts:
    return f"holds {target}, no {source}: moved outside this plan (by hand or a later plan)", ""


def _moved(target: str) -> Texts:
    return f"holds {target} as planned", ""


# --- the table --------------------------------------------------------------------------------

USER_RULES: tuple[Rule, ...] = (
    Rule("not-in-export", "unexpected", lambda f: ~f.in_export, _not_in_export),
    # errors on E4 or the target only: an unrelated product in error says nothing of the move;
    # the target only in an error state and no E4 left: failed, and unlicensed too
    Rule("license-error-unlicensed", "failed", lambda f: f.has_err & f.unlicensed,
         _failed_unlicensed, ("error_code", "group_id", "member", "source", "target")),
    Rule("license-error", "failed", lambda f: f.has_err, _failed,
         ("error_code", "group_id", "member")),
    Rule("reclaim-not-run", "pending", lambda f: f.reclaim & f.has_src, _reclaim_pending,
         ("source",)),
    Rule("reclaimed", "moved", lambda f: f.reclaim, _reclaimed, ("source",)),
    # listed as already on the target, and kept only because E4 is back
    Rule("source-assigned-again", "unexpected", lambda f: f.on_target, _source_back,
         ("source",)),
    Rule("partial-group-member", "partial", lambda f: f.has_src & f.has_tgt & f.member,
         _partial_member, ("source", "target", "group_id")),
    Rule("partial", "partial", lambda f: f.has_src & f.has_tgt, _partial, ("source", "target")),
    Rule("pending-group-member", "pending", lambda f: f.has_src & f.member, _pending_member,
         ("source", "group_id")),
    Rule("pending-skipped", "pending", lambda f: f.has_src & f.skip, _pending_skipped,
         ("source", "reason")),
    Rule("pending-location-now-set", "pending",
         lambda f: f.has_src & f.fix_location & f.has_location, _pending_location_set,
         ("source", "location")),
    Rule("pending-needs-location", "pending", lambda f: f.has_src & f.fix_location,
         _pending_needs_location, ("source",)),
    Rule("pending", "pending", lambda f: f.has_src, _pending, ("source", "target")),
    Rule("skipped-lost-both", "unexpected", lambda f: ~f.has_tgt & f.skip, _skipped_lost_both,
         ("source", "target")),
    # lost E4 outside the plan without the target: the remaining plan adds the target
    Rule("unlicensed", "unexpected", lambda f: f.unlicensed, _unlicensed,
         ("source", "target", "member", "group_id")),
    # below: holds the target and not E4; skip and fix-usage-location rows say "no change",
    # so a user moved since (by hand or a later plan) is checked only for E4
    Rule("licenses-differ", "unexpected", lambda f: ~f.skus_ok & ~f.unplanned,
         _licenses_differ, ("after_skus", "licenses_now")),
    Rule("drifted", "drifted", lambda f: ~f.plans_ok & ~f.unplanned, _drifted,
         ("target", "group_id", "member", "got", "want")),
    Rule("moved-outside-plan", "moved", lambda f: f.unplanned, _moved_outside_plan,
         ("source", "target")),
    Rule("moved", "moved", lambda f: pd.Series(True, index=f.index), _moved, ("target",)),
)


def first_rule(facts: pd.DataFrame, rules: tuple[Rule, ...] = USER_RULES) -> np.ndarray:
    """The index in ``rules`` of the first rule each row matches (the last matches all)."""
    masks = [np.asarray(rule.when(facts), dtype=bool) for rule in rules]
    return np.select(masks, np.arange(len(rules)), default=len(rules) - 1)


def user_status(facts: pd.DataFrame, rules: tuple[Rule, ...] = USER_RULES) -> pd.DataFrame:
    """One status row per user decision (``STATUS_COLUMNS``), decided by ``rules``."""
    if facts.empty:
        return empty_status()
    which = first_rule(facts, rules)
    detail = np.full(len(facts), "", dtype=object)
    fix = np.full(len(facts), "", dtype=object)
    for i, rule in enumerate(rules):
        rows = np.flatnonzero(which == i)
        if not rows.size:
            continue
        if not rule.uses:
            detail[rows], fix[rows] = rule.text()
            continue
        texts = per_distinct(rule.text, {c: facts[c].to_numpy(dtype=object)[rows]
                                         for c in rule.uses})
        detail[rows] = [t[0] for t in texts]
        fix[rows] = [t[1] for t in texts]
    status = np.array([rule.status for rule in rules], dtype=object)[which]
    unlicensed = facts["unlicensed"].to_numpy(dtype=bool)
    return pd.DataFrame({
        "upn": facts["upn"],
        "action_id": facts["action_id"],
        "batch": facts["batch"],
        "kind": facts["kind"],
        "status": status,
        "detail": detail,
        "fix": fix,
        "error": np.where(status == "failed", facts["error_code"].to_numpy(dtype=object), ""),
        "substatus": np.where(unlicensed, UNLICENSED, ""),
    })


def unplanned_holders(source: str, after: pd.DataFrame, covered: pd.Series) -> pd.DataFrame:
    """Status rows of users who hold E4 but no row of the plan covers (``covered``: planned
    upns): new users, new group members, licenses assigned after planning."""
    srows = after[(after["part"] == source) & ~after["upn"].isin(covered)]
    if srows.empty:
        return empty_status()
    first = srows.drop_duplicates("upn").sort_values("upn")
    details = [
        (f"holds {source} through group(s) {', '.join(g)}" if g
         else f"holds {source}") + " but is not in the plan (new user, new group "
        "member, or license assigned after planning)"
        for g in first["group_ids"]
    ]
    return pd.DataFrame({
        "upn": first["upn"].to_numpy(),
        "action_id": "",
        "batch": 0,
        "kind": "",
        "status": "unexpected",
        "detail": details,
        "fix": "run e4-playbook plan on a fresh export to include them",
        "error": "",
        "substatus": "",
    })
