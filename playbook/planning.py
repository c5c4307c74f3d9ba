"""Moved to the package :mod:`playbook.plan`; this module re-exports its names for the code
that still imports them from here (shim removed at integration).

``load_plan``/``plan_from_json`` stay here unchanged until the plan's file I/O moves to
``playbook.plan.store``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.errors import InputError
from playbook.plan import (  # moved; shim removed at integration
    ACTIONS_FILE,
    EXECUTED_KINDS,
    FORMATS_WITHOUT_DISABLED_PLANS,
    GRAPH_BATCH_LIMIT,
    INT_COLUMNS,
    KINDS,
    PLAN_COLUMNS,
    STR_COLUMNS,
    TUPLE_COLUMNS,
    USER_DECISION_KINDS,
    Plan,
    PlanMapping,
    assign_batches,
    build_plan,
    build_plan_from_tables,
    file_sha256,
    map_disabled_plans,
    normalized_table,
    number_actions,
    plan_id,
    remaining_plan,
    rollback_actions,
)

_plan_id = plan_id  # the name playbook.artifacts' plan.csv reader knew
_normalized = normalized_table

__all__ = [
    "ACTIONS_FILE", "EXECUTED_KINDS", "FORMATS_WITHOUT_DISABLED_PLANS", "GRAPH_BATCH_LIMIT",
    "INT_COLUMNS", "KINDS", "PLAN_COLUMNS", "STR_COLUMNS", "TUPLE_COLUMNS",
    "USER_DECISION_KINDS", "Plan", "PlanMapping", "_normalized", "_plan_id", "assign_batches",
    "build_plan", "build_plan_from_tables", "file_sha256", "load_plan", "map_disabled_plans",
    "normalized_table", "number_actions", "plan_from_json", "plan_id", "remaining_plan",
    "rollback_actions",
]


def plan_from_json(data: dict[str, Any], table: pd.DataFrame | None = None) -> Plan:
    """A Plan from the parsed ``plan.json`` and its action table (plan columns).

    Without ``table`` the actions come from an ``"actions"`` list in ``data`` (how plan.json
    was written before the actions moved to plan.csv), else the plan has none.
    """
    try:
        if table is None:
            actions = pd.DataFrame(data.get("actions") or [], columns=list(PLAN_COLUMNS))
            for col in TUPLE_COLUMNS:  # JSON lists back to tuples
                actions[col] = [tuple(v) if isinstance(v, list | tuple) else () for v in
                                actions[col]]
            table = actions
        return Plan(
            tenant=str(data["tenant"]),
            source=dict(data["source"]),
            target=dict(data["target"]),
            table=normalized_table(table),
            batch_size=int(data["batch_size"]),
            seats_needed=int(data["seats_needed"]),
            seats_available=(None if data.get("seats_available") is None
                             else int(data["seats_available"])),
            shortfall=None if data.get("shortfall") is None else int(data["shortfall"]),
            refused=bool(data.get("refused", False)),
            decisions=tuple(dict(d) for d in data.get("decisions") or ()),
            summary=dict(data.get("summary") or {}),
            limits=dict(data.get("limits") or {}),
            users_file=dict(data.get("users_file") or {}),
            plan_id=str(data.get("plan_id", "")),
            notes=tuple(data.get("notes") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError("plan.json", f"not a plan written by e4-playbook ({exc})",
                         fix="write the plan again with e4-playbook plan") from None


def load_plan(plan_dir: str | Path) -> Plan:
    """Read ``<plan_dir>/plan.json`` (or the file itself) and its ``plan.csv`` into a Plan.

    The actions are checked against plan.json: the row count, and the ``plan_id`` computed
    again from them. A plan.csv edited after it was written would otherwise be verified as
    if it were the plan, so it is refused with a one-line error instead.
    """
    path = Path(plan_dir)
    if path.is_dir():
        path = path / "plan.json"
    again = "write the plan again with e4-playbook plan"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "plan.json not found",
                         fix="pass the plan/ folder written by e4-playbook plan") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON ({exc})", fix=again) from None
    if not isinstance(data, dict):
        raise InputError(path, "not a plan", fix=again)
    if "actions" in data:  # written before the actions moved to plan.csv
        try:
            return plan_from_json(data)
        except InputError as exc:
            raise InputError(path, exc.message, fix=exc.fix) from None
    from playbook.artifacts import read_plan_csv  # artifacts imports this module

    name = data.get("actions_file")
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise InputError(path, "names no actions file", column="actions_file", fix=again)
    csv_path = path.parent / name
    if not csv_path.is_file():
        raise InputError(csv_path, "not found: plan.json keeps its actions there",
                         fix="copy the whole plan/ folder, or " + again)
    table = read_plan_csv(csv_path)
    if len(table) != data.get("action_count"):
        raise InputError(csv_path, f"{len(table)} actions, but plan.json says "
                         f"{data.get('action_count')}", fix=again)
    try:
        plan = plan_from_json(data, table)
    except InputError as exc:
        raise InputError(path, exc.message, fix=exc.fix) from None
    if plan.plan_id and plan_id(plan.source, plan.target, plan.table) != plan.plan_id:
        raise InputError(csv_path, "changed after the plan was written (its plan id "
                         "differs from plan.json's)", fix=again + "; to move fewer users "
                         "use exclude_users, only_users or max_users in tenant.yaml")
    return plan
