"""rollback-batches.jsonl beside rollback.csv: the exact inverse of the plan, last batch first.

rollback.csv has the plan columns (the script runs it like plan.csv) and is written with
plan.csv and plan.json (:func:`playbook.plan.store.plan_files`, which records its sha256);
line N of rollback-batches.jsonl undoes batch N, so to undo everything, run the lines last to
first. The inverse itself is :func:`playbook.plan.rollback_actions`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from playbook.artifacts.graph import ROLLBACK_BATCHES, batch_lines
from playbook.plan import Plan


def rollback_files(plan: Plan, rollback: pd.DataFrame) -> Iterator[tuple[str, bytes]]:
    """rollback-batches.jsonl as (file name, bytes), for ``rollback`` =
    :func:`playbook.plan.rollback_actions` of the plan."""
    yield ROLLBACK_BATCHES, batch_lines(rollback, plan.batches)
