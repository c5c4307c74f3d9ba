"""Where the move stands, what is left to run, and whether E4 may be cancelled yet.

Days pass between planning and cancelling (credit checks, batches run by hand, group processing in
the background), so this step re-reads the tenant *after* the reassignment and compares it, user by
user, with the plan it was made from. The export is the truth; the script's results log only adds
detail to it, never overrides it.

Statuses, one row per user the plan decided about (its user-swap, reclaim, fix-usage-location,
group-member or skip row; set-usage-location rows only prepare a swap), plus one per user who
holds E4 outside the plan:

============  ==================================================================================
moved         holds the target with the planned disabled plans, no E4, no error
pending       still holds E4 and not the target (not run yet, or the group is still processing)
partial       holds the target *and* E4: remove E4 (run the action again)
failed        E4 or the target is in an error state on the user; the Graph error code is
              explained with its fix (errors on unrelated products do not count)
drifted       moved, but the target's disabled plans differ from the plan
unexpected    appeared or lost licenses outside the plan (lost E4 without the target, other
              licenses gained or lost, missing from the export, holds E4 but not in the plan)
============  ==================================================================================

A user the plan moves who holds neither E4 nor the target (E4 removed, the target never
arrived, or only in an ``Error`` state) gets the substatus ``unlicensed`` (status ``unexpected``,
or ``failed`` with the error explained): Exchange Online deletes an unlicensed user's mailbox
data 30 days after the license was removed ("Unassign Microsoft 365 licenses from users",
microsoft-365/admin/manage/remove-licenses-from-users.md), so the gate names them first
(``USERS_UNLICENSED``) and the remaining plan gives them the target.

The cancellation gate opens only when nobody holds E4 (directly, through a group, or by a path
the export does not name; in any state), E4's consumed units are zero where a subscriptions export
is known, and no planned user is failed, partial or unlicensed (Microsoft: cancel E4 only after
all users have been reassigned). Every closed gate lists its reasons with the users behind them.

The remaining plan keeps every pending, partial, failed or unlicensed row, the group swap of a
member still on E4, and the set-usage-location row of a kept swap while the user still has no
location; it is :func:`playbook.plan.remaining_plan`, written by :func:`write_remaining` in the
plan's formats. Its user swaps of users who no longer hold E4 are listed in
``Verification.add_only_action_ids``: run again, they must only add the target.

Modules, one concern each (this package sits above the plan, the artifacts and the exports;
nothing below imports it):

============  ==================================================================================
plan_view     the plan's actions as the rules read them (a ``Plan`` only; source and target
              come from the plan, never guessed from its rows)
after         the after export's derived columns and per-user facts; refusals of bad exports
decisions     one row of facts per user decision (holds E4, the target, errors, drift...)
user_rules    the status rules: a table of (condition, status, reason text), first match wins
groups        the group table
gate          the cancellation gate's reasons
remaining     which actions the next round runs again
script_log    reading the script's results log and adding it to the details
result        the ``Verification`` record, ``to_dict`` and ``to_text``
compare       ``verify_tables``: the pure comparison, no I/O
disk          ``verify``, ``verify_plan``, ``find_plan``, ``write_remaining``: the I/O edge
============  ==================================================================================

Status table columns: ``upn, action_id, batch, kind, status, detail, fix, error, substatus``
(``error`` is the Graph error code of a failed row, "" otherwise; ``action_id`` is "" for users
outside the plan; ``substatus`` is ``unlicensed`` or "").
Group table columns: ``action_id, batch, group_id, members_seen, members_with_source,
members_in_error, members_moved, status``.
"""

from playbook.verification.compare import verify_tables
from playbook.verification.disk import find_plan, verify, verify_plan, write_remaining
from playbook.verification.gate import (
    REASON_CODES,
    SOURCE_CONSUMED_UNITS,
    SOURCE_HELD_BY_GROUP,
    SOURCE_HELD_DIRECT,
    UNLICENSED,
    USERS_FAILED,
    USERS_NOT_IN_EXPORT,
    USERS_PARTIAL,
    USERS_UNLICENSED,
    reason_text,
)
from playbook.verification.result import GROUP_COLUMNS, STATUS_COLUMNS, STATUSES, Verification
from playbook.verification.user_rules import ERROR_CODES, USER_RULES, Rule, Words, error_texts

__all__ = [
    "ERROR_CODES",
    "GROUP_COLUMNS",
    "REASON_CODES",
    "SOURCE_CONSUMED_UNITS",
    "SOURCE_HELD_BY_GROUP",
    "SOURCE_HELD_DIRECT",
    "STATUSES",
    "STATUS_COLUMNS",
    "UNLICENSED",
    "USERS_FAILED",
    "USERS_NOT_IN_EXPORT",
    "USERS_PARTIAL",
    "USERS_UNLICENSED",
    "USER_RULES",
    "Rule",
    "Verification",
    "Words",
    "error_texts",
    "find_plan",
    "reason_text",
    "verify",
    "verify_plan",
    "verify_tables",
    "write_remaining",
]
