"""The per-user status rules: one row of :data:`USER_RULES` per case, first match wins.

Each rule is a condition on the decision facts (:mod:`playbook.verification.decisions`), the
status it gives and the reason text (detail and fix) it writes. Conditions are vectorized
masks; texts are computed once per distinct combination of the columns they name, so a 100k
user tenant formats a handful of strings, not 100k. The last rule matches every row.

The words come from the catalog (:mod:`playbook.messages.verification`, ``verify.<rule>`` and
``verify.<rule>.fix``) in the tenant's language (:class:`Words`), with E4 and the target named
as the admin center names them ("still holds Office 365 E4"), other licenses and apps by name
with their part or plan name in brackets.

The statuses (see :mod:`playbook.verification`): moved, pending, partial, failed, drifted,
unexpected. A planned user missing from the after export, one who lost E4 without the target,
or whose other licenses changed, is ``unexpected``; so is an E4 holder the plan does not cover
(:func:`unplanned_holders`). A user the plan moves who holds neither E4 nor the target gets the
``substatus`` :data:`UNLICENSED` (status ``unexpected``, or ``failed`` when the target is only in
an error state): the gate stays shut for them and the remaining plan adds their target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from playbook.catalog import Catalog
from playbook.messages import has_message, message
from playbook.verification.cells import per_distinct
from playbook.verification.gate import UNLICENSED
from playbook.verification.result import empty_status

Texts = tuple[str, str]
"""(detail, fix) of one status row."""

ERROR_CODES: tuple[str, ...] = (
    "CountViolation", "MutuallyExclusiveViolation", "DependencyViolation",
    "ProhibitedInUsageLocationViolation", "UniquenessViolation", "Other",
)
"""Graph licenseAssignmentState.error codes explained to the admin (docs/microsoft-facts.md
section 6, sources S15, S19, S24d); what each means and what to do is in the catalog
(``verify.error.<code>``, ``.fix``); an unknown code reads as ``Other``."""


@dataclass(frozen=True)
class Words:
    """How a status row is worded: the tenant's language, and the catalog that names
    products and apps as the admin center does ("Office 365 E4", not its part number)."""

    lang: str = "en"
    catalog: Catalog | None = None

    def say(self, key: str, **evidence: Any) -> str:
        return message(f"verify.{key}", self.lang, **evidence)

    def product(self, part: object) -> str:
        """E4 or the target by name (the part number when no catalog knows it)."""
        return self.catalog.display_name(part) if self.catalog is not None else str(part)

    def products(self, parts: Iterable[str]) -> str:
        """Other licenses, each by name with its part number in brackets."""
        label = self.catalog.product_label if self.catalog is not None else str
        return ", ".join(label(p) for p in parts)

    def apps(self, plans: Iterable[str]) -> str:
        """Apps (service plans, as the comparison keys them) by name, plan name in brackets."""
        label = self.catalog.app_label if self.catalog is not None else str
        return ", ".join(label(str(p).upper()) for p in plans)


def error_texts(code: str, lang: str = "en") -> Texts:
    """What a Graph license error code means and what to do about it (then run the remaining
    plan), in ``lang``; an unknown code reads as ``Other``."""
    code = code if code in ERROR_CODES else "Other"
    return (message(f"verify.error.{code}", lang),
            message("verify.license-error.fix", lang,
                    fix=message(f"verify.error.{code}.fix", lang)))


@dataclass(frozen=True)
class Rule:
    """One case: ``when(facts)`` is a mask, ``text(words, **values)`` gets the columns
    ``uses``."""

    name: str
    status: str
    when: Callable[[pd.DataFrame], pd.Series]
    text: Callable[..., Texts]
    uses: tuple[str, ...] = ()


# --- the reason texts (keys ``verify.<rule>`` and ``verify.<rule>.fix``) ---------------------


def _said(key: str) -> Callable[..., Texts]:
    """A rule whose detail and fix take only E4's and the target's names (and plain values)."""

    def text(w: Words, **values: Any) -> Texts:
        names = {k: w.product(v) for k, v in values.items() if k in ("source", "target")}
        ev = {**values, **names}
        fix = w.say(f"{key}.fix", **ev) if has_message(f"verify.{key}.fix") else ""
        return w.say(key, **ev), fix

    return text


def _failed(w: Words, error_code: str, group_id: str, member: bool) -> Texts:
    code = error_code if error_code in ERROR_CODES else "Other"
    meaning, fix = message(f"verify.error.{code}", w.lang), w.say(f"error.{code}.fix")
    if not member:
        return (f"{error_code}: {meaning}",
                w.say("license-error.fix", fix=fix))
    return (w.say("license-error.group", error=error_code, group=group_id, meaning=meaning),
            w.say("license-error.group.fix", fix=fix))


def _failed_unlicensed(w: Words, error_code: str, group_id: str, member: bool, source: str,
                       target: str) -> Texts:
    detail, fix = _failed(w, error_code, group_id, member)
    src, tgt = w.product(source), w.product(target)
    return (w.say("license-error-unlicensed", detail=detail, source=src, target=tgt,
                  clock=w.say("mailbox-clock", source=src)),
            w.say("license-error-unlicensed.fix", fix=fix, source=src, target=tgt))


def _pending_skipped(w: Words, source: str, reason: str) -> Texts:
    src = w.product(source)
    return (w.say("pending-skipped", source=src,
                  reason=reason or w.say("pending-skipped.no-reason")),
            w.say("pending-skipped.fix", source=src))


def _unlicensed(w: Words, source: str, target: str, member: bool, group_id: str) -> Texts:
    src, tgt = w.product(source), w.product(target)
    detail = w.say("unlicensed", source=src, target=tgt,
                   clock=w.say("mailbox-clock", source=src))
    if member:
        return detail, w.say("unlicensed.group.fix", group=group_id, target=tgt)
    return detail, w.say("unlicensed.fix", source=src, target=tgt)


def _licenses_differ(w: Words, after_skus: tuple[str, ...],
                     licenses_now: tuple[str, ...]) -> Texts:
    planned = {str(p).strip().upper() for p in after_skus}
    now = set(licenses_now)
    changes = [w.say("licenses-differ.lost", licenses=w.products(sorted(planned - now)))
               if planned - now else "",
               w.say("licenses-differ.gained", licenses=w.products(sorted(now - planned)))
               if now - planned else ""]
    return (w.say("licenses-differ", changes="; ".join(c for c in changes if c)),
            w.say("licenses-differ.fix"))


def _drifted(w: Words, target: str, group_id: str, member: bool, got: tuple[str, ...],
             want: tuple[str, ...]) -> Texts:
    extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
    parts = ([w.say("drifted.extra", apps=w.apps(extra))] if extra else []) + (
        [w.say("drifted.missing", apps=w.apps(missing))] if missing else [])
    tgt = w.product(target)
    where = w.say("drifted.where", group=group_id) if member else ""
    fix = (w.say("drifted.group.fix", target=tgt) if member else
           w.say("drifted.fix", target=w.catalog.product_label(target)
                 if w.catalog is not None else tgt))
    return w.say("drifted", target=tgt, where=where, parts="; ".join(parts)), fix


# --- the table --------------------------------------------------------------------------------

USER_RULES: tuple[Rule, ...] = (
    Rule("not-in-export", "unexpected", lambda f: ~f.in_export, _said("not-in-export")),
    # errors on E4 or the target only: an unrelated product in error says nothing of the move;
    # the target only in an error state and no E4 left: failed, and unlicensed too
    Rule("license-error-unlicensed", "failed", lambda f: f.has_err & f.unlicensed,
         _failed_unlicensed, ("error_code", "group_id", "member", "source", "target")),
    Rule("license-error", "failed", lambda f: f.has_err, _failed,
         ("error_code", "group_id", "member")),
    Rule("reclaim-not-run", "pending", lambda f: f.reclaim & f.has_src,
         _said("reclaim-not-run"), ("source",)),
    Rule("reclaimed", "moved", lambda f: f.reclaim, _said("reclaimed"), ("source",)),
    # listed as already on the target, and kept only because E4 is back
    Rule("source-assigned-again", "unexpected", lambda f: f.on_target,
         _said("source-assigned-again"), ("source",)),
    Rule("partial-group-member", "partial", lambda f: f.has_src & f.has_tgt & f.member,
         _said("partial-group-member"), ("source", "target", "group")),
    Rule("partial", "partial", lambda f: f.has_src & f.has_tgt, _said("partial"),
         ("source", "target")),
    Rule("pending-group-member", "pending", lambda f: f.has_src & f.member,
         _said("pending-group-member"), ("source", "group")),
    Rule("pending-skipped", "pending", lambda f: f.has_src & f.skip, _pending_skipped,
         ("source", "reason")),
    Rule("pending-location-now-set", "pending",
         lambda f: f.has_src & f.fix_location & f.has_location,
         _said("pending-location-now-set"), ("source", "location")),
    Rule("pending-needs-location", "pending", lambda f: f.has_src & f.fix_location,
         _said("pending-needs-location"), ("source",)),
    Rule("pending", "pending", lambda f: f.has_src, _said("pending"), ("source", "target")),
    Rule("skipped-lost-both", "unexpected", lambda f: ~f.has_tgt & f.skip,
         _said("skipped-lost-both"), ("source", "target")),
    # lost E4 outside the plan without the target: the remaining plan adds the target
    Rule("unlicensed", "unexpected", lambda f: f.unlicensed, _unlicensed,
         ("source", "target", "member", "group_id")),
    # below: holds the target and not E4; skip and fix-usage-location rows say "no change",
    # so a user moved since (by hand or a later plan) is checked only for E4
    Rule("licenses-differ", "unexpected", lambda f: ~f.skus_ok & ~f.unplanned,
         _licenses_differ, ("after_skus", "licenses_now")),
    Rule("drifted", "drifted", lambda f: ~f.plans_ok & ~f.unplanned, _drifted,
         ("target", "group_id", "member", "got", "want")),
    Rule("moved-outside-plan", "moved", lambda f: f.unplanned, _said("moved-outside-plan"),
         ("source", "target")),
    Rule("moved", "moved", lambda f: pd.Series(True, index=f.index), _said("moved"),
         ("target",)),
)


def _column(facts: pd.DataFrame, name: str) -> np.ndarray:
    """A fact column as the rule texts take it (``group``: the group id)."""
    return facts["group_id" if name == "group" else name].to_numpy(dtype=object)


def first_rule(facts: pd.DataFrame, rules: tuple[Rule, ...] = USER_RULES) -> np.ndarray:
    """The index in ``rules`` of the first rule each row matches (the last matches all)."""
    masks = [np.asarray(rule.when(facts), dtype=bool) for rule in rules]
    return np.select(masks, np.arange(len(rules)), default=len(rules) - 1)


def user_status(facts: pd.DataFrame, rules: tuple[Rule, ...] = USER_RULES,
                words: Words | None = None) -> pd.DataFrame:
    """One status row per user decision (``STATUS_COLUMNS``), decided by ``rules`` and worded
    by ``words`` (English, part numbers, when not given)."""
    words = words or Words()
    if facts.empty:
        return empty_status()
    which = first_rule(facts, rules)
    detail = np.full(len(facts), "", dtype=object)
    fix = np.full(len(facts), "", dtype=object)
    for i, rule in enumerate(rules):
        rows = np.flatnonzero(which == i)
        if not rows.size:
            continue
        text = partial(rule.text, words)
        if not rule.uses:
            detail[rows], fix[rows] = text()
            continue
        texts = per_distinct(text, {c: _column(facts, c)[rows] for c in rule.uses})
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


def unplanned_holders(source: str, after: pd.DataFrame, covered: pd.Series,
                      words: Words | None = None) -> pd.DataFrame:
    """Status rows of users who hold E4 but no row of the plan covers (``covered``: planned
    upns): new users, new group members, licenses assigned after planning."""
    words = words or Words()
    srows = after[(after["part"] == source) & ~after["upn"].isin(covered)]
    if srows.empty:
        return empty_status()
    first = srows.drop_duplicates("upn").sort_values("upn")
    name = words.product(source)
    details = [words.say("unplanned.groups", source=name, groups=", ".join(g), n=len(g)) if g
               else words.say("unplanned", source=name) for g in first["group_ids"]]
    return pd.DataFrame({
        "upn": first["upn"].to_numpy(),
        "action_id": "",
        "batch": 0,
        "kind": "",
        "status": "unexpected",
        "detail": details,
        "fix": words.say("unplanned.fix"),
        "error": "",
        "substatus": "",
    })
