"""rollback.csv and rollback-batches.jsonl: the exact inverse of the plan, last batch first.

rollback.csv has the plan columns (the script runs it like plan.csv); line N of
rollback-batches.jsonl undoes batch N, so to undo everything, run the lines last to first.
The inverse itself is :func:`playbook.plan.rollback_actions`.
"""

from __future__ import annotations

from collections.abc import Iterator

from playbook.artifacts.graph import ROLLBACK_BATCHES, batch_lines
from playbook.plan import Plan, rollback_actions
from playbook.plan.store import plan_csv_bytes

ROLLBACK_CSV = "rollback.csv"


def rollback_files(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """rollback.csv and rollback-batches.jsonl as (file name, bytes)."""
    table = rollback_actions(plan)
    yield ROLLBACK_CSV, plan_csv_bytes(table)
    yield ROLLBACK_BATCHES, batch_lines(table, plan.batches)
