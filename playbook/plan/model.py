"""The plan's data model: the :class:`Plan` object, the kinds and the columns of its table.

The package :mod:`playbook.plan` is split by concern: :mod:`~playbook.plan.rules` says who gets
which action (``build_plan``, ``build_plan_from_tables``), :mod:`~playbook.plan.batching` orders
and batches the executed rows and numbers the actions, :mod:`~playbook.plan.decisions` lists
what the admin must decide and counts the summary, :mod:`~playbook.plan.rollback` builds the
inverse of a plan and the plan of what is left, :mod:`~playbook.plan.identity` gives a plan its
id. This module documents what they all produce.

An admin-center or MSOnline export cannot carry disabled apps: the plan then has a plan-level
``disabled-plans-unknown`` decision (``action_id`` "").

Kinds (``kind``), and who gets which:

=====================  =========================================================================
user-swap              E4 held directly: ONE call adds the target and removes E4. No add when the
                       user holds the target directly (that assignment stays as it is) or also
                       holds E4 through a planned group (the group gives the target, the row
                       names it); a remaining plan's ``source-lost`` row only adds
group-swap             a group that assigns E4: ONE group call adds the target and removes E4
                       (only removes E4 when the group already assigns the target)
set-usage-location     the user has no usage location and ``default_usage_location`` is set:
                       set it in the same batch, right before the user's swap
reclaim                blocked account holding E4 only directly, and ``reclaim_blocked: true``:
                       E4 is removed WITHOUT adding the target. The one removal without an add,
                       and it is opt-in. Without the opt-in such users are swapped (no data lost)
                       and listed as ``reclaim-candidate`` decisions
fix-usage-location     no usage location and no default: the admin sets it; the user's swap is
                       held back (batch 0) until the next plan
group-member           E4 only through planned group(s): moved by the group-swap row named in
                       ``group_id``; never a per-user call (Entra refuses to remove inherited
                       licenses from a user). Not executed itself (batch 0)
skip                   not moved, with ``reason_code``: ``excluded``, ``outside-only-users``,
                       ``outside-only-departments``, ``beyond-max-users``, ``group-held-back``,
                       ``inherited-from-unknown-group``, ``already-on-target``. Group rows can
                       be skips too (``upn`` "", ``group_id`` set)
=====================  =========================================================================

Every user who holds E4 has exactly one row whose kind is in ``USER_DECISION_KINDS``
(set-usage-location is a preparation step that rides along with a user-swap). Users who hold
only the target are listed once as ``skip``/``already-on-target``. E4 in an error state is still
swapped: the remove clears the broken assignment (``reason_code`` ``e4-error-state``). A user who
already holds the target directly keeps its target settings unchanged (the add is a no-op) and
loses E4; if E4 enabled a service the existing target assignment disables, that is a
``target-disables-e4-service`` decision. Group-only users without usage location need no fix:
group licensing uses the directory's location.

A group is switched only when every user who inherits E4 from it is inside the plan's limits
(not excluded, inside only_users/only_departments, within max_users); otherwise the group is a
skip row, its members too, and a ``group-held-back`` decision says who blocks it.

Batches: executed rows (``EXECUTED_KINDS``) get batch 1..n, every other row batch 0. A batch holds
at most ``batch_size`` (<= 20) users or groups, and at most 20 Graph requests. Order: plain user
swaps, then users who need a usage location (a batch of them holds at most 10 users, because each
is 2 requests and such a Graph ``$batch`` must be fully sequential), then reclaims, then group
swaps. Inside each, users are grouped by identical admin-center settings (licenses kept,
target apps turned off, usage location to set), so one "Manage product licenses > Replace" pass
fits the whole batch; then sorted by upn / group id. Action ids are numbered per prefix in table
order: ``U`` user-swap, ``G`` group-swap, ``F`` fix-first (set-usage-location, reclaim,
fix-usage-location), ``M`` group-member, ``S`` skip; at least 5 digits (``U00001``).

Plan table columns (a pandas DataFrame; tuples hold sorted values):

=======================  ======  ===============================================================
action_id                str     stable id (see above); rollback rows are ``R`` + the id
kind                     str     see the kinds above
batch                    int     1-based batch number; 0 for rows that are not executed
upn                      str     lower-cased; "" for group rows
user_id                  str     object id where known
group_id                 str     group object id for ``group-swap``/group skips; the covering
                                 planned group for ``group-member``; "" otherwise
display_name             str
department               str
usage_location           str     the user's usage location before the plan ("" = unset)
new_usage_location       str     for ``set-usage-location``: the value to set ("" in a rollback
                                 row = clear it again)
add_sku_id               str     target skuId added in the same call ("" when nothing is added)
add_sku_part_number      str
remove_sku_id            str     E4 skuId removed in the same call ("" when nothing is removed)
remove_sku_part_number   str
disabled_plans_before    object  tuple of E4 service-plan names disabled for the user/group
disabled_plan_ids_before object  tuple of their ids (for the rollback)
disabled_plans_after     object  tuple of target service-plan names to disable on the target
                                 (group-member rows: what their covering group disables)
disabled_plan_ids_after  object  tuple of the target's service-plan ids (same order as names)
unmapped_plans           object  tuple of disabled E4 plans with no match in the target: a
                                 decision for the admin, never silently dropped or enabled
before_skus              object  tuple of part numbers the user holds before (group rows: E4,
                                 plus the target when the group already assigns it)
after_skus               object  tuple of part numbers the user should hold after ALL executed
                                 rows of this plan (group-inherited ones included)
keep_direct_skus         object  tuple of the user's other directly assigned licenses (display
                                 name, `` (apps off: A, B)`` when some of their apps are off):
                                 what an admin-center "Replace" must keep switched on
target_before            str     how the user/group held the target before: "" | direct |
                                 group | direct+group (group rows: "" | group)
members                  int     group rows: users who inherit E4 from the group; else 0
new_seats                int     target licenses this row consumes that were not consumed
                                 before (sum over executed rows = ``seats_needed``)
reason_code              str     machine-readable why: the skip / fix-first reason, or the
                                 notes on a moved user/group, ``;``-joined (first = main)
reason                   str     the same in words, in the plan's language (read by the admin;
                                 nothing parses it)
=======================  ======  ===============================================================

Seats: ``seats_needed`` counts each user once (direct + group = one license, as Microsoft
counts). ``seats_available`` = ``enabled - consumed`` of the target in the subscriptions export
(0 when the tenant has not bought it); ``None`` when there is no subscriptions export: then the
plan is not refused, but says seat availability is unverified. When ``seats_needed`` exceeds
it, the plan is ``refused`` with ``shortfall`` = the missing licenses and no artifacts are
written until licenses are bought or the plan is limited (max_users, only_departments,
only_users).

``<out>/plan/plan.json`` (``Plan.to_dict()``)::

    {"tenant": str,
     "tenant_id": str,       # only when known (tenant.yaml or export.json): the directory id
                             # apply checks the sign-in against; part of the plan id
     "created": null,        # never wall-clock time: artifacts must be byte-identical
     "plan_id": str,         # sha256 (16 hex) of source, target and actions
     "source": {"sku_id", "sku_part_number", "display_name"},
     "target": {"sku_id", "sku_part_number", "display_name"},
     "users_file": {"name": str, "sha256": str, "format": str},  # the export planned from
     "batch_size": int,
     "limits": {"exclude_users", "only_users", "only_departments", "max_users",
                "default_usage_location", "reclaim_blocked"},
     "refused": bool, "shortfall": int|null, "seats_needed": int,
     "seats_available": int|null, "seats_verified": bool,
     "summary": {"actions": {kind: count}, "batches", "e4_users", "users_moved",
                 "group_swaps", "group_members", "group_covered_users", "held_back",
                 "seats_needed",
                 "seats_needed_later", "seats_available", "shortfall", "skips": {reason: n},
                 "decisions": {code: n},
                 "to_buy_whole_move": int|null,   # counting's to_buy, as assess shows it
                 "buy": {"total", "now", "once_usage_locations_set"},  # "Buy N" (BuyFigure)
                 "seats": str},   # "this round needs N, M available; to buy for the whole
                                  # move: K" (both figures, labelled)
     "decisions": [{"code", "action_id", "upn", "group_id", "plans": [...], "why"}],
                   # included-addon (plan-level) adds "users": [upn] and "reduce_by": int
     "notes": [str],
     "actions_file": "plan.csv",  # the actions live there, and only there
     "action_count": int,         # its rows: load_plan refuses a plan.csv that disagrees
     "language": "da"}            # only when not English: the language of the plan's words

The actions (the plan table) are written once, to ``plan.csv`` beside it, which the
PowerShell script runs: one list of actions, so the record and the script cannot disagree.
Loading a plan reads both and checks that ``plan.csv`` still gives the ``plan_id``.
(A plan.json written before this layout holds an ``"actions"`` list instead; it is refused.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from playbook.counting import UNKNOWN_BUY, BuyFigure
from playbook.messages import Said, message

KINDS: tuple[str, ...] = (
    "user-swap", "group-swap", "set-usage-location", "reclaim", "fix-usage-location",
    "group-member", "skip",
)
EXECUTED_KINDS: tuple[str, ...] = ("set-usage-location", "user-swap", "reclaim", "group-swap")
"""Kinds that make a call (batch >= 1)."""
USER_DECISION_KINDS: tuple[str, ...] = (
    "user-swap", "reclaim", "fix-usage-location", "group-member", "skip",
)
"""Every E4 user has exactly one row of these kinds."""
KIND_CATEGORIES = pd.CategoricalDtype(KINDS)
"""The kinds as a categorical, for code that compares a table's kinds many times (a
categorical compares a few codes, not every row's text). The plan table holds text."""

PLAN_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "batch", "upn", "user_id", "group_id", "display_name", "department",
    "usage_location", "new_usage_location", "add_sku_id", "add_sku_part_number",
    "remove_sku_id", "remove_sku_part_number", "disabled_plans_before",
    "disabled_plan_ids_before", "disabled_plans_after", "disabled_plan_ids_after",
    "unmapped_plans", "before_skus", "after_skus", "keep_direct_skus", "target_before",
    "members", "new_seats", "reason_code", "reason",
)
TUPLE_COLUMNS: tuple[str, ...] = (
    "disabled_plans_before", "disabled_plan_ids_before", "disabled_plans_after",
    "disabled_plan_ids_after", "unmapped_plans", "before_skus", "after_skus",
    "keep_direct_skus",
)
INT_COLUMNS: tuple[str, ...] = ("batch", "members", "new_seats")
ACTIONS_FILE = "plan.csv"
"""Where a written plan keeps its actions (``plan.json`` names it)."""
STR_COLUMNS: tuple[str, ...] = tuple(
    c for c in PLAN_COLUMNS if c not in TUPLE_COLUMNS and c not in INT_COLUMNS
)

GRAPH_BATCH_LIMIT = 20
"""Requests per Graph ``$batch`` and users per admin-center pass."""

TARGET_BEFORE = pd.CategoricalDtype(["", "direct", "group", "direct+group"])
"""The values of ``target_before``."""


def target_before(direct: pd.Series, via_group: pd.Series) -> pd.Series:
    """How each user held the target before the plan (``target_before``), from whether it
    holds it directly and through a group. A categorical: the rules compare it, and the plan
    table takes its text."""
    how = np.select([direct & via_group, direct, via_group], ["direct+group", "direct", "group"],
                    "")
    return pd.Series(pd.Categorical(how, dtype=TARGET_BEFORE), index=direct.index)


def reason_text(code: str, lang: str = "en", **values: Any) -> str:
    """The words of a reason code in plan.csv's ``reason`` column, in the tenant's language:
    the ``plan.reason.<code>`` message the pages show, so each reason has one text. The
    admin reads that column; nothing parses it (scripts and ``apply`` read ``reason_code``)."""
    return message(f"plan.reason.{code}", lang, **values)


Blocker = tuple[str, str]
"""Why a group is held back, as data: (the first member outside the limits, that member's
reason code), or ("", "beyond-max-users") when the group does not fit in ``max_users``."""


def blocker_text(blocker: Blocker, lang: str = "en") -> str:
    """A held-back group's blocker in words ("member a@x.com is listed in exclude_users")."""
    upn, code = blocker
    if not upn:
        return message(f"plan.blocker.{code}", lang)
    return message("plan.blocker.member", lang, upn=upn, reason=reason_text(code, lang))


# ---------------------------------------------------------------------------------------------
# the result object


@dataclass(frozen=True, eq=False)
class Plan:
    """A reassignment plan: the action table plus seats, decisions and identity.

    Plain data: the table follows the module docstring, the rest is JSON-ready.
    """

    tenant: str
    source: dict[str, str]
    target: dict[str, str]
    table: pd.DataFrame
    batch_size: int
    seats_needed: int
    seats_available: int | None
    shortfall: int | None
    refused: bool
    decisions: tuple[dict[str, Any], ...]
    summary: dict[str, Any]
    limits: dict[str, Any] = field(default_factory=dict)
    users_file: dict[str, str] = field(default_factory=dict)
    plan_id: str = ""
    notes: tuple[str, ...] = ()
    tenant_id: str = ""
    language: str = "en"
    """tenant.yaml's language: the plan's words (plan.csv's ``reason``, the decisions' ``why``,
    the notes, the terminal summary, the admin-center checklist) are written in it; codes,
    columns and keys stay the same in every language."""

    @property
    def batches(self) -> int:
        """Number of executed batches."""
        return int(self.table["batch"].max()) if len(self.table) else 0

    @property
    def buy(self) -> BuyFigure:
        """"Buy N" for the whole move: counting's figure, carried in ``summary["buy"]`` so a
        plan loaded from plan.json says the same as the one just built."""
        b = self.summary.get("buy") or {}
        total = b.get("total", self.summary.get("to_buy_whole_move"))
        if total is None:
            return UNKNOWN_BUY
        return BuyFigure(total, b.get("now", total), b.get("once_usage_locations_set", 0))

    @property
    def seats_verified(self) -> bool:
        return self.seats_available is not None

    def to_dict(self) -> dict[str, Any]:
        """The ``plan.json`` content (see the module docstring); ``tenant_id`` only when
        known and ``language`` only when not English, so a plan without them reads as it
        always did."""
        tenant_id = {"tenant_id": self.tenant_id} if self.tenant_id else {}
        language = {"language": self.language} if self.language != "en" else {}
        return {
            "tenant": self.tenant,
            **tenant_id,
            "created": None,
            "plan_id": self.plan_id,
            "source": dict(self.source),
            "target": dict(self.target),
            "users_file": dict(self.users_file),
            "batch_size": self.batch_size,
            "limits": dict(self.limits),
            "refused": self.refused,
            "shortfall": self.shortfall,
            "seats_needed": self.seats_needed,
            "seats_available": self.seats_available,
            "seats_verified": self.seats_verified,
            "summary": self.summary,
            "decisions": [dict(d) for d in self.decisions],
            "notes": list(self.notes),
            "actions_file": ACTIONS_FILE,
            "action_count": len(self.table),
            **language,
        }

    def to_text(self) -> str:
        """A terminal summary in the plan's language: actions by kind, batches, seats,
        decisions left to the admin."""
        s, lang = self.summary, self.language

        def say(key: str, **values: Any) -> str:
            return message(f"plan.text.{key}", lang, **values)

        src = f"{self.source['display_name']} ({self.source['sku_part_number']})"
        tgt = f"{self.target['display_name']} ({self.target['sku_part_number']})"
        lines = [say("title", tenant=self.tenant, source=src, target=tgt),
                 say("users", e4=s["e4_users"], moved=s["users_moved"]), say("actions")]
        for kind in KINDS:
            n = s["actions"].get(kind, 0)
            if n:
                extra = (say("covering", n=s["group_covered_users"])
                         if kind == "group-swap" else "")
                label = kind if lang == "en" else message(f"kind.{kind}", lang)
                lines.append(f"  {label:<20}{n:>8}{extra}")
        if s["skips"]:
            lines.append(say("skipped", skips=", ".join(
                f"{_skip_label(k, lang)} {v}" for k, v in s["skips"].items())))
        lines.append(say("batches", n=s["batches"], size=self.batch_size))
        lines.append(say("seats", seats=seats_sentence(
            self.seats_needed, self.seats_available, s.get("to_buy_whole_move"), lang)))
        buy = self.buy.to_text(lang, self.target["display_name"])
        if not self.refused:
            lines.append("  " + buy)
        if self.seats_available is None:
            lines.append(say("unverified"))
        elif self.refused:
            lines.append(say("refused", n=self.shortfall, buy=buy,
                             available=self.seats_available))
        if s["held_back"]:
            lines.append(say("held-back", n=s["held_back"], later=s["seats_needed_later"]))
        lines.extend(self._decision_lines(say))
        lines.extend(say("note", note=n) for n in self.notes)
        return "\n".join(lines)

    def _decision_lines(self, say: Any) -> list[str]:
        """The decisions left to the admin, per code: who (the first three) and why."""
        if not self.decisions:
            return [say("decisions.none")]
        lines = [say("decisions", n=len(self.decisions))]
        by_code: dict[str, list[dict[str, Any]]] = {}
        for d in self.decisions:
            by_code.setdefault(d["code"], []).append(d)
        whole = message("plan.whole_plan", self.language)
        for code, items in by_code.items():
            who = ", ".join(d["upn"] or d["group_id"] or "/".join(d.get("plans") or ())
                            or whole for d in items[:3])
            more = say("more", n=len(items) - 3) if len(items) > 3 else ""
            lines.append(f"  {code} ({len(items)}): {who}{more}")
            lines.append(f"    {items[0]['why']}")
        return lines


def _skip_label(code: str, lang: str) -> str:
    """A skip reason in the terminal summary: its code in English (as plan.json counts it),
    its words in another language."""
    return code if lang == "en" else message(f"plan.reason.{code}", lang)


EMPTY_TABLE_VALUE: dict[str, Any] = {
    c: () if c in TUPLE_COLUMNS else 0 if c in INT_COLUMNS else "" for c in PLAN_COLUMNS}
"""What a plan cell holds when there is nothing to say: (), 0 or ""."""


def seats_sentence(needed: int, available: int | None, whole_move: int | None,
                   lang: str = "en") -> str:
    """Both seat figures, labelled: this round's need and availability, and what the whole
    move must buy (counting's ``to_buy``, the figure ``assess`` shows)."""
    said = seats_said(needed, available, whole_move)
    return message(said.key, lang, **said.evidence)


def seats_said(needed: int, available: int | None, whole_move: int | None) -> Said:
    """:func:`seats_sentence` as a value inside another message (a refused plan's error),
    worded in that message's language."""
    key = "plan.seats" if available is not None else "plan.seats.unverified"
    return Said(key, {"needed": needed, "available": available, "whole_move": whole_move})


def plan_table(n: int, columns: dict[str, Any]) -> pd.DataFrame:
    """A plan table of ``n`` rows from columns the rules built clean (no missing cells).

    ``columns`` maps a column to an array/Series of ``n`` values or to one value for every
    row; a column not given holds its empty value. Text and tuple columns are object columns
    (a tuple stays one cell), the int columns int64.
    """
    index = pd.RangeIndex(n)
    data: dict[str, pd.Series] = {}
    for col in PLAN_COLUMNS:
        value = columns.get(col, EMPTY_TABLE_VALUE[col])
        if isinstance(value, pd.Series):
            value = value.to_numpy()
        if col in INT_COLUMNS:
            value = np.broadcast_to(np.asarray(value, dtype=np.int64), (n,))
        elif not isinstance(value, np.ndarray):
            value = cells(n, value)
        # dtype given: pandas would otherwise infer its 'str' dtype for a column of text
        data[col] = pd.Series(value, index=index, copy=False,
                              dtype=np.int64 if col in INT_COLUMNS else object)
    return pd.DataFrame(data, index=index)


def normalized_table(table: pd.DataFrame) -> pd.DataFrame:
    """Exactly PLAN_COLUMNS with their dtypes, from any table (a plan read back, a hand-built
    one): a missing column or cell becomes its empty value, int columns are coerced."""
    n = len(table)
    src = table.reset_index(drop=True)
    data: dict[str, Any] = {}
    for col in PLAN_COLUMNS:
        if col not in src.columns:
            data[col] = [()] * n if col in TUPLE_COLUMNS else (
                np.zeros(n, dtype="int64") if col in INT_COLUMNS else [""] * n)
            continue
        s = src[col]
        if col in INT_COLUMNS:
            data[col] = pd.to_numeric(s, errors="coerce").fillna(0).astype("int64")
            continue
        s = s.astype(object)
        nulls = s.isna().to_numpy()
        if nulls.any():
            s = s.copy()
            s[nulls] = pd.Series([EMPTY_TABLE_VALUE[col]] * int(nulls.sum()),
                                 index=s.index[nulls], dtype=object)
        data[col] = s
    return pd.DataFrame(data, index=pd.RangeIndex(n))


def cells(n: int, value: Any) -> np.ndarray:
    """An object array of ``n`` cells holding ``value`` (a tuple stays one cell)."""
    out = np.empty(n, dtype=object)
    out.fill(value)
    return out
