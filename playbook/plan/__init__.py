"""The reassignment plan: who gets which action, batched, numbered and identified.

See :mod:`playbook.plan.model` for the plan table and ``plan.json``; :mod:`playbook.plan.rules`
for the rules. (Reading and writing plan files is not here.)
"""

from playbook.plan.batching import assign_batches, number_actions
from playbook.plan.disabled_plans import PlanMapping, map_disabled_plans
from playbook.plan.held_groups import HeldGroup, groups_held_by_exclusions
from playbook.plan.identity import file_sha256, plan_id
from playbook.plan.model import (
    ACTIONS_FILE,
    EXECUTED_KINDS,
    GRAPH_BATCH_LIMIT,
    INT_COLUMNS,
    KINDS,
    PLAN_COLUMNS,
    STR_COLUMNS,
    TUPLE_COLUMNS,
    USER_DECISION_KINDS,
    Plan,
    normalized_table,
)
from playbook.plan.rollback import remaining_plan, rollback_actions
from playbook.plan.rules import build_plan, build_plan_from_tables

__all__ = [
    "ACTIONS_FILE", "EXECUTED_KINDS", "GRAPH_BATCH_LIMIT",
    "INT_COLUMNS", "KINDS", "PLAN_COLUMNS", "STR_COLUMNS", "TUPLE_COLUMNS",
    "USER_DECISION_KINDS", "HeldGroup", "Plan", "PlanMapping", "assign_batches", "build_plan",
    "build_plan_from_tables", "file_sha256", "groups_held_by_exclusions", "map_disabled_plans",
    "normalized_table",
    "number_actions", "plan_id", "remaining_plan", "rollback_actions",
]
