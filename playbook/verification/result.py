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
from playbook.messages import Said, message
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
    # the language of the status table's ``detail`` and ``fix`` (tenant.yaml's language)
    language: str = "en"
    # E4 and the target as the admin center names them, for the text (the JSON keeps the
    # part numbers); empty when no catalog named them
    source_name: str = ""
    target_name: str = ""

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

    def to_text(self) -> str:
        """A terminal report in the verification's language: counts, verdict with reasons,
        what failed and why, the checklist."""
        lang, src = self.language, self.source_name or self.source_part

        def say(key: str, **values: Any) -> str:
            return message(f"verify.text.{key}", lang, **values)

        lines = [say("title", tenant=self.tenant, source=src,
                     target=self.target_name or self.target_part),
                 say("status", counts=", ".join(
                     f"{_status_word(s, lang)} {int(self.status_counts.get(s, 0))}"
                     for s in STATUSES))]
        if self.safe_to_cancel:
            lines.append(say("yes", source=src))
        else:
            lines.append(say("no", source=src))
            for code, users in self.reasons:
                lines.append(f"  - {code}: {reason_text(code, len(users), lang)}")
                if users:
                    lines.append(say("users", names=_names(users, lang)))
            if self.groups_holding_source:
                lines.append(say("groups-holding",
                                 names=_names(self.groups_holding_source, lang)))
        lines.extend(self._problem_lines(say))
        lines.extend(self._group_lines(say))
        lines.append("")
        lines.append(say("remaining", n=self.remaining_actions, runnable=self.runnable_actions)
                     if self.remaining_actions else say("remaining.none"))
        lines.extend(say("warning", warning=w) for w in self.warnings)
        if self.checklist:
            lines.append("")
            lines.append(say("before-cancelling", source=src))
            lines.extend(f"  [{item.source}] {item.text}" for item in self.checklist)
        return "\n".join(lines)

    def _problem_lines(self, say: Any) -> list[str]:
        """The first users not moved, urgent ones first (their mailbox data is on a 30-day
        clock), each with its detail and fix."""
        problems = self.status[self.status["status"] != "moved"]
        problems = problems.sort_values("substatus", key=lambda s: s != UNLICENSED,
                                        kind="stable")
        if problems.empty:
            return []
        lines = ["", say("not-moved")]
        for rec in problems.head(25).itertuples(index=False):
            who = rec.upn or say("group-row")
            where = (say("where", action=rec.action_id, batch=rec.batch) if rec.action_id
                     else say("not-in-plan"))
            lines.append(f"  {_status_word(rec.status, self.language):<10} {who} ({where}): "
                         f"{rec.detail}")
            if rec.fix:
                lines.append(say("fix", fix=rec.fix))
        if len(problems) > 25:
            lines.append(say("more-rows", n=len(problems) - 25))
        return lines

    def _group_lines(self, say: Any) -> list[str]:
        """Per group swap: how far Entra has moved its members."""
        if self.group_status.empty:
            return []
        return ["", say("groups")] + [
            say("group", group=rec.group_id, action=rec.action_id,
                status=message(f"verify.group.{rec.status}", self.language),
                seen=rec.members_seen, with_source=rec.members_with_source,
                in_error=rec.members_in_error, moved=rec.members_moved)
            for rec in self.group_status.itertuples(index=False)]


def _status_word(status: str, lang: str) -> str:
    """A status in the terminal: its code in English (as the JSON counts it), its label in
    another language."""
    return status if lang == "en" else message(f"status.{status}", lang)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (numpy integers become int)."""
    return [{k: (v.item() if isinstance(v, np.generic) else v) for k, v in rec.items()}
            for rec in df.to_dict("records")]


def _names(items: Iterable[str], lang: str = "en", limit: int = _TEXT_LIMIT) -> str:
    items = list(items)
    text = ", ".join(items[:limit])
    if len(items) <= limit:
        return text
    return message("verify.text.and-more", lang, names=text, n=len(items) - limit)


def empty_status() -> pd.DataFrame:
    """A status table without rows (the columns and dtypes of a full one)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "batch" else object)
                         for c in STATUS_COLUMNS})


def empty_groups() -> pd.DataFrame:
    """A group table without rows."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith(("members", "batch"))
                                      else object) for c in GROUP_COLUMNS})
