"""The cancellation gate: every reason E4 may not be cancelled yet, each with its users.

The gate opens only when nobody holds E4 (directly or through a group, in any state), E4's
consumed units are zero where a subscriptions export is known, no planned user is failed,
partial or unlicensed (lost E4 without getting the target), and no planned user is missing
from an export that cannot prove E4 unassigned. The reason codes are stable: scripts and
dashboards key on them. What an admin reads of each is :func:`reason_text`
(``gate.<CODE>`` in :mod:`playbook.messages`, English and Danish).
"""

from __future__ import annotations

import pandas as pd

from playbook.cancellation import SourceSeats
from playbook.messages import message

USERS_UNLICENSED = "USERS_UNLICENSED"
SOURCE_HELD_DIRECT = "SOURCE_HELD_DIRECT"
SOURCE_HELD_BY_GROUP = "SOURCE_HELD_BY_GROUP"
SOURCE_CONSUMED_UNITS = "SOURCE_CONSUMED_UNITS"
USERS_FAILED = "USERS_FAILED"
USERS_PARTIAL = "USERS_PARTIAL"
USERS_NOT_IN_EXPORT = "USERS_NOT_IN_EXPORT"

REASON_CODES: tuple[str, ...] = (
    USERS_UNLICENSED, SOURCE_HELD_DIRECT, SOURCE_HELD_BY_GROUP, SOURCE_CONSUMED_UNITS,
    USERS_FAILED, USERS_PARTIAL, USERS_NOT_IN_EXPORT,
)
"""Every reason code, in the order the reasons are listed (the urgent one first)."""

UNLICENSED = "unlicensed"
"""The status table's ``substatus`` of a planned user who lost E4 without getting the target
(status ``unexpected``, or ``failed`` when the target is only in an error state)."""

Reasons = tuple[tuple[str, tuple[str, ...]], ...]
"""(code, users) pairs in the order of :data:`REASON_CODES`."""

# planned users in these statuses keep the gate closed whatever the export shows of E4
_BLOCKING_STATUSES = ((USERS_FAILED, "failed"), (USERS_PARTIAL, "partial"))


def reason_text(code: str, users: int, lang: str = "en") -> str:
    """The sentence an admin reads for a reason with ``users`` users, in ``lang``."""
    return message(f"gate.{code}", lang, users=users)


def gate_reasons(after: pd.DataFrame, status: pd.DataFrame, seats: SourceSeats,
                 missing: tuple[str, ...], source: str) -> tuple[Reasons, tuple[str, ...]]:
    """Every reason E4 may not be cancelled yet, and the groups still assigning it.

    ``after`` is the prepared export (``part``, ``group_ids`` tuples). Any E4 row counts,
    whatever its state: an assignment in error still ties the user (or the group) to the
    subscription. A row that names no group counts as direct, so no E4 row escapes the gate.
    """
    planned = status[status["action_id"] != ""]
    reasons: list[tuple[str, tuple[str, ...]]] = []
    # lost E4 without the target: Microsoft cancels E4 only "after all users have been
    # reassigned" (S1, manual upgrade step 4), and the mailbox data is on a 30-day clock
    unlicensed = _users(planned[planned["substatus"] == UNLICENSED])
    if unlicensed:
        reasons.append((USERS_UNLICENSED, unlicensed))
    srows = after[after["part"] == source]
    by_group = srows["group_ids"].map(len) > 0
    direct = srows["assigned_directly"].astype(bool) | ~by_group
    if direct.any():
        reasons.append((SOURCE_HELD_DIRECT, _users(srows[direct])))
    groups = tuple(sorted({g for gs in srows.loc[by_group, "group_ids"] for g in gs}))
    if by_group.any():
        reasons.append((SOURCE_HELD_BY_GROUP, _users(srows[by_group])))
    if seats.consumed:
        reasons.append((SOURCE_CONSUMED_UNITS, _users(srows)))
    for code, st in _BLOCKING_STATUSES:
        users = _users(planned[planned["status"] == st])
        if users:
            reasons.append((code, users))
    # a user missing from the export may still hold E4; only a subscriptions export with zero
    # consumed E4 units proves otherwise
    if missing and seats.consumed is None:
        reasons.append((USERS_NOT_IN_EXPORT, missing))
    return tuple(reasons), groups


def _users(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(sorted(rows["upn"].unique()))
