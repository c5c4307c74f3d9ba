"""The cancellation gate: every reason E4 may not be cancelled yet, each with its users.

The gate opens only when nobody holds E4 (directly or through a group, in any state), E4's
consumed units are zero where a subscriptions export is known, no planned user is failed or
partial, and no planned user is missing from an export that cannot prove E4 unassigned. The
reason codes are stable: scripts and dashboards key on them.
"""

from __future__ import annotations

import pandas as pd

from playbook.cancellation import SourceSeats

SOURCE_HELD_DIRECT = "SOURCE_HELD_DIRECT"
SOURCE_HELD_BY_GROUP = "SOURCE_HELD_BY_GROUP"
SOURCE_CONSUMED_UNITS = "SOURCE_CONSUMED_UNITS"
USERS_FAILED = "USERS_FAILED"
USERS_PARTIAL = "USERS_PARTIAL"
USERS_NOT_IN_EXPORT = "USERS_NOT_IN_EXPORT"

REASON_TEXT: dict[str, str] = {
    SOURCE_HELD_DIRECT: "users still hold E4 assigned directly",
    SOURCE_HELD_BY_GROUP: "users still hold E4 through a group",
    SOURCE_CONSUMED_UNITS: "the subscriptions export still counts E4 units as consumed",
    USERS_FAILED: "planned users are in a license error state",
    USERS_PARTIAL: "planned users hold both the target and E4",
    USERS_NOT_IN_EXPORT: "planned users are missing from the after export, and no subscriptions "
                         "export proves E4 is unassigned",
}

Reasons = tuple[tuple[str, tuple[str, ...]], ...]
"""(code, users) pairs in the order of :data:`REASON_TEXT`."""

# planned users in these statuses keep the gate closed whatever the export shows of E4
_BLOCKING_STATUSES = ((USERS_FAILED, "failed"), (USERS_PARTIAL, "partial"))


def gate_reasons(after: pd.DataFrame, status: pd.DataFrame, seats: SourceSeats,
                 missing: tuple[str, ...], source: str) -> tuple[Reasons, tuple[str, ...]]:
    """Every reason E4 may not be cancelled yet, and the groups still assigning it.

    ``after`` is the prepared export (``part``, ``group_ids`` tuples). Any E4 row counts,
    whatever its state: an assignment in error still ties the user (or the group) to the
    subscription. A row that names no group counts as direct, so no E4 row escapes the gate.
    """
    srows = after[after["part"] == source]
    by_group = srows["group_ids"].map(len) > 0
    direct = srows["assigned_directly"].astype(bool) | ~by_group
    reasons: list[tuple[str, tuple[str, ...]]] = []
    if direct.any():
        reasons.append((SOURCE_HELD_DIRECT, _users(srows[direct])))
    groups = tuple(sorted({g for gs in srows.loc[by_group, "group_ids"] for g in gs}))
    if by_group.any():
        reasons.append((SOURCE_HELD_BY_GROUP, _users(srows[by_group])))
    if seats.consumed:
        reasons.append((SOURCE_CONSUMED_UNITS, _users(srows)))
    planned = status[status["action_id"] != ""]
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
