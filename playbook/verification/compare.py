"""verify_tables: compare an after export with the plan (the pure rules, no I/O).

Steps: read the plan (:mod:`.plan_view`) and the export (:mod:`.after`), one fact row per user
decision (:mod:`.decisions`), one status per row (:mod:`.user_rules`), the groups
(:mod:`.groups`), the gate (:mod:`.gate`), the remaining plan (:mod:`.remaining`) and the
cancellation checklist (:mod:`playbook.cancellation`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.cancellation import (
    ChecklistItem,
    SourceSeats,
    cancellation_checklist,
    source_seats,
)
from playbook.catalog import Catalog
from playbook.exports.model import USERS_FORMAT_CARRIES, Carries
from playbook.messages import Said
from playbook.plan import Plan, remaining_plan
from playbook.tenant import TenantConfig
from playbook.verification.after import (
    check_is_after_export,
    check_license_table,
    prepare_after,
    user_facts,
)
from playbook.verification.decisions import decision_facts
from playbook.verification.gate import gate_reasons
from playbook.verification.groups import group_table
from playbook.verification.plan_view import PlanView, plan_view
from playbook.verification.remaining import add_only_ids, remaining_ids
from playbook.verification.result import STATUS_COLUMNS, STATUSES, Verification, empty_status
from playbook.verification.script_log import add_script_detail
from playbook.verification.user_rules import Words, unplanned_holders, user_status


def verify_tables(
    plan: Plan,
    after_licenses: pd.DataFrame,
    after_subscriptions: pd.DataFrame | None,
    catalog: Catalog,
    *,
    results_log: pd.DataFrame | None = None,
    config: TenantConfig | None = None,
    after_source: str | Path | None = None,
    after_format: str | None = None,
    after_carries: Carries | None = None,
) -> Verification:
    """Compare an after export with the plan: statuses, gate, remaining plan, checklist.

    ``plan`` is a :class:`playbook.plan.Plan` (built or loaded); its source and target are
    what is checked. ``config`` tailors the checklist; without it the rules of both agreements
    are listed. ``results_log`` is the script's results CSV as read (text cells).
    ``after_source`` only names the export in errors; ``after_format`` (the reader's format
    name) names it in warnings, and ``after_carries`` (the read result's
    :attr:`~playbook.exports.model.UsersRead.carries`; by default what the format can carry)
    says what the export can show: without disabled plans no drift is reported, and the
    warnings say what could not be checked. No I/O: the caller reads the files.
    """
    check_license_table(after_licenses, after_source)
    view = plan_view(plan)
    src = view.source_part
    after = prepare_after(after_licenses, catalog)
    check_is_after_export(view, after, after_source)

    users = user_facts(after, src, set(view.actions["add_sku_part_number"]) - {""})
    if after_carries is None and after_format is not None:
        after_carries = USERS_FORMAT_CARRIES[after_format]
    shows_plans = after_carries is None or after_carries.disabled_plans
    words = Words(config.language if config is not None else "en", catalog)
    status, missing = _statuses(view, after, users, words, shows_plans, results_log)
    failed = status[status["status"] == "failed"]
    seats = source_seats(after_subscriptions, src, view.source_id)
    reasons, groups_holding = gate_reasons(after, status, seats, missing, src)
    keep = remaining_ids(status, view, users)
    add_only = add_only_ids(keep, view, users)
    # the rows of users who lost E4 only add the target (Graph refuses to remove a license
    # the user does not hold); the warning below stays as a guard
    remaining = remaining_plan(plan, keep, add_only_action_ids=add_only) if keep else None
    return Verification(
        tenant=view.tenant or (config.name if config is not None else ""),
        safe_to_cancel=not reasons,
        reasons=reasons,
        status=status,
        status_counts={s: int((status["status"] == s).sum()) for s in STATUSES},
        group_status=group_table(view, status, after["upn"]),
        remaining=remaining,
        checklist=_checklist(config, seats, after, src, catalog),
        source_part=src,
        target_part=view.target_part,
        error_counts={str(k): int(v)
                      for k, v in failed["error"].value_counts().sort_index().items()},
        remaining_action_ids=keep,
        groups_holding_source=groups_holding,
        warnings=_warnings(words, src, after_format, after_carries,
                           after_subscriptions is not None)
        + _removal_warnings(words, remaining, add_only, src),
        add_only_action_ids=add_only,
        language=words.lang,
        source_name=words.product(src),
        target_name=words.product(view.target_part) if view.target_part else "",
    )


def _statuses(view: PlanView, after: pd.DataFrame, users: pd.DataFrame, words: Words,
              shows_plans: bool, results_log: pd.DataFrame | None,
              ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """One status row per planned user, then the E4 holders the plan left out (with the
    script's own outcome beside each row when its results log is given), worded by
    ``words``; and what the planned E4 users missing from the export (for the gate)."""
    src = view.source_part
    facts, missing = decision_facts(view, after, users, words.catalog or Catalog.builtin(),
                                    check_plans=shows_plans)
    status = _status_table(user_status(facts, words=words),
                           unplanned_holders(src, after, view.actions["upn"], words))
    if results_log is not None and not results_log.empty:
        status = add_script_detail(status, results_log, view.actions, words.lang)
    return status, missing


def _checklist(config: TenantConfig | None, seats: SourceSeats, after: pd.DataFrame, src: str,
               catalog: Catalog) -> tuple[ChecklistItem, ...]:
    """The cancellation checklist, tailored to the tenant's agreement and channel when its
    config is known (else the rules of both agreements are listed)."""
    return cancellation_checklist(
        agreement=config.agreement if config is not None else None,
        purchase_channel=config.purchase_channel if config is not None else None,
        custom_domains=tuple(config.custom_domains) if config is not None else (),
        seats=seats,
        holders=int(after.loc[after["part"] == src, "upn"].nunique()),
        source_name=catalog.display_name(src) if src in catalog else src,
        language=config.language if config is not None else "en",
    )


def _status_table(planned: pd.DataFrame, unplanned: pd.DataFrame) -> pd.DataFrame:
    """The planned users' rows, then the E4 holders outside the plan (``STATUS_COLUMNS``)."""
    parts = [p for p in (planned, unplanned) if not p.empty]
    status = pd.concat(parts, ignore_index=True) if parts else empty_status()
    status = status.reindex(columns=list(STATUS_COLUMNS))
    status["batch"] = status["batch"].astype("int64")
    return status


def _removal_warnings(words: Words, remaining: Plan | None, add_only: tuple[str, ...],
                      src: str) -> tuple[Said, ...]:
    """Remaining rows that would remove E4 from users who no longer hold it: Graph rejects
    the whole call, so those users would not get the target either."""
    if remaining is None or not add_only:
        return ()
    t = remaining.table
    rows = t[t["action_id"].isin(set(add_only)) & (t["remove_sku_id"] != "")]
    if rows.empty:
        return ()
    return (Said("verify.warning.would-remove",
                 {"n": len(rows), "source": words.product(src), "users": list(rows["upn"])}),)


def _warnings(words: Words, src: str, after_format: str | None, carries: Carries | None,
              has_subscriptions: bool) -> tuple[Said, ...]:
    """What this export could not show, so the verdict could not check it (data, worded
    where shown in the tenant's language)."""
    keys: list[str] = []
    if carries is not None and not carries.disabled_plans:
        keys.append("no-disabled-plans")
    if carries is not None and not carries.assignment_states:
        keys.append("no-assignment-states")
    if not has_subscriptions:
        keys.append("no-subscriptions")
    return tuple(Said(f"verify.warning.{k}", {"format": after_format,
                                              "source": words.product(src)}) for k in keys)
