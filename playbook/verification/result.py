"""The verdict of one verification run: the :class:`Verification` record and its two renderings.

``to_dict`` is the ``verify --json`` contract; ``to_text`` the terminal report. Status table
columns: ``upn, action_id, batch, kind, status, detail, fix, error, substatus`` (``error`` is
the Graph error code of a failed row, "" otherwise; ``action_id`` is "" for users outside the
plan; ``substatus`` is ``unlicensed`` for a planned user who lost E4 without the target).
Group table columns: ``action_id, batch, group_id, members_seen, members_with_source,
members_in_error, members_moved, status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from playbook.cancellation import ChecklistItem
from playbook.catalog import SOURCE_PART
from playbook.messages import Said, text
from playbook.plan import EXECUTED_KINDS, Plan
from playbook.verification.gate import UNLICENSED, reason_text

STATUSES: tuple[str, ...] = ("moved", "pending", "partial", "failed", "drifted", "unexpected")

STATUS_COLUMNS: tuple[str, ...] = (
    "upn", "action_id", "batch", "kind", "status", "detail", "fix", "error", "substatus",
)
GROUP_COLUMNS: tuple[str, ...] = (
    "action_id", "batch", "group_id", "members_seen", "members_with_source",
    "members_in_error", "members_moved", "status",
)
_TEXT_LIMIT = 10  # users named per line in to_text()


@dataclass(frozen=True)
class Verification:
    """The verdict of one verification run (plain data; ``to_dict`` is the JSON contract)."""

    tenant: str
    safe_to_cancel: bool
    reasons: tuple[tuple[str, tuple[str, ...]], ...]
    status: pd.DataFrame
    status_counts: dict[str, int]
    group_status: pd.DataFrame
    remaining: Plan | None  # the actions still to run (planning.remaining_plan)
    checklist: tuple[ChecklistItem, ...] = ()
    source_part: str = SOURCE_PART
    target_part: str = ""
    error_counts: dict[str, int] = field(default_factory=dict)
    remaining_action_ids: tuple[str, ...] = ()
    groups_holding_source: tuple[str, ...] = ()
    # what could not be checked (or was skipped), worded where shown; JSON keeps English
    warnings: tuple[Said, ...] = ()
    # remaining user swaps whose user no longer holds E4: the next round must only add the
    # target (Graph rejects removing a license the user does not hold)
    add_only_action_ids: tuple[str, ...] = ()

    @property
    def remaining_actions(self) -> int:
        """Rows of the remaining plan (0 when nothing remains)."""
        return len(self.remaining_action_ids)

    @property
    def runnable_actions(self) -> int:
        """Rows of the remaining plan that make a call (the rest are listed for the admin)."""
        if self.remaining is None:
            return 0
        table = self.remaining.table
        return int((table["kind"].isin(EXECUTED_KINDS) & (table["batch"] > 0)).sum())

    def to_dict(self) -> dict[str, Any]:
        """The ``verify --json`` contract (extra keys: errors, groups, checklist, warnings)."""
        return {
            "tenant": self.tenant,
            "safe_to_cancel": self.safe_to_cancel,
            "reasons": [{"code": c, "users": list(u)} for c, u in self.reasons],
            "status_counts": {s: int(self.status_counts.get(s, 0)) for s in STATUSES},
            "remaining_actions": self.remaining_actions,
            "remaining_runnable": self.runnable_actions,
            "source": self.source_part,
            "target": self.target_part,
            "errors": {k: int(v) for k, v in self.error_counts.items()},
            "groups": _records(self.group_status),
            "groups_holding_source": list(self.groups_holding_source),
            "checklist": [item.to_dict() for item in self.checklist],
            "warnings": [str(w) for w in self.warnings],  # English, whatever the tenant's
            "remaining_add_only": list(self.add_only_action_ids),
        }

    def to_text(self, lang: str = "en") -> str:
        """A terminal report: counts, verdict with reasons, what failed and why, the checklist.

        ``lang`` is the tenant's language, which the warnings are worded in.
        """
        lines = [f"Verification for {self.tenant}: {self.source_part} -> {self.target_part}"]
        lines.append("Status: " + ", ".join(
            f"{s} {int(self.status_counts.get(s, 0))}" for s in STATUSES))
        if self.safe_to_cancel:
            lines.append(f"Safe to cancel {self.source_part}: YES (nobody holds it, no planned "
                         "user is failed or partial)")
        else:
            lines.append(f"Safe to cancel {self.source_part}: NO")
            for code, users in self.reasons:
                lines.append(f"  - {code}: {reason_text(code, len(users))}")
                if users:
                    lines.append(f"    users: {_names(users)}")
            if self.groups_holding_source:
                lines.append("    groups still assigning it: "
                             + _names(self.groups_holding_source))
        problems = self.status[self.status["status"] != "moved"]
        # the urgent rows first: their mailbox data is on a 30-day clock
        problems = problems.sort_values("substatus", key=lambda s: s != UNLICENSED,
                                        kind="stable")
        if not problems.empty:
            lines.append("")
            lines.append("Not moved (first rows):")
            for rec in problems.head(25).itertuples(index=False):
                who = rec.upn or "(group)"
                where = f"{rec.action_id}, batch {rec.batch}" if rec.action_id else "not in plan"
                lines.append(f"  {rec.status:<10} {who} ({where}): {rec.detail}")
                if rec.fix:
                    lines.append(f"             fix: {rec.fix}")
            if len(problems) > 25:
                lines.append(f"  ... and {len(problems) - 25} more (see the status table)")
        if not self.group_status.empty:
            lines.append("")
            lines.append("Groups:")
            for rec in self.group_status.itertuples(index=False):
                lines.append(
                    f"  {rec.group_id} ({rec.action_id}): {rec.status}; members seen "
                    f"{rec.members_seen}, still with source {rec.members_with_source}, "
                    f"in error {rec.members_in_error}, moved {rec.members_moved}")
        lines.append("")
        if self.remaining_actions:
            lines.append(f"Remaining plan: {self.remaining_actions} action(s), "
                         f"{self.runnable_actions} to run in the next round; the others wait on "
                         "a group swap, a usage location or your decision (step 4's Write "
                         "remaining plan button and e4-playbook verify write its files).")
        else:
            lines.append("Remaining plan: nothing left to run.")
        for w in self.warnings:
            lines.append(f"{text('warning.warning', lang)}: {w.words(lang)}")
        if self.checklist:
            lines.append("")
            lines.append(f"Before cancelling {self.source_part}:")
            for item in self.checklist:
                lines.append(f"  [{item.source}] {item.text}")
        return "\n".join(lines)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (numpy integers become int)."""
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
            for rec in df.to_dict("records")]


def _names(items: Iterable[str], limit: int = _TEXT_LIMIT) -> str:
    items = list(items)
    text = ", ".join(items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")


def empty_status() -> pd.DataFrame:
    """A status table without rows (the columns and dtypes of a full one)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "batch" else object)
                         for c in STATUS_COLUMNS})


def empty_groups() -> pd.DataFrame:
    """A group table without rows."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith(("members", "batch"))
                                      else object) for c in GROUP_COLUMNS})
