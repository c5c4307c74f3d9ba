"""``<out>/plan/``: every artifact rendered in a fixed order and written as one folder.

The same plan gives byte-identical files (nothing reads a clock), and the folder is replaced
whole (:func:`playbook.files.write_folder_atomic`): a failure leaves the old one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from playbook.artifacts.admin_center import admin_center_csv, admin_rows
from playbook.artifacts.checklist import render_checklists
from playbook.artifacts.graph import GRAPH_BATCHES, batch_lines
from playbook.artifacts.rollback import rollback_files
from playbook.artifacts.script import SCRIPT_NAME, script_bytes
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError, speaking
from playbook.files import write_folder_atomic
from playbook.plan import Plan, rollback_actions
from playbook.plan.model import seats_said
from playbook.plan.store import plan_files

PLAN_FOLDER = "plan"
SET_ASIDE = "plan.set-aside-"
"""How an earlier plan/ folder is renamed when a new plan for the same folder is refused."""


def iter_artifacts(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """Every artifact as (file name, bytes), one at a time, in a fixed order.

    A writer drops each file once written: together a 300k-user plan's artifacts are a few
    hundred MB, more than the rest of the run holds.
    """
    rollback = rollback_actions(plan)
    yield from plan_files(plan, rollback)
    rows = admin_rows(plan)
    yield "admin-center-batches.csv", admin_center_csv(rows)
    md, page = render_checklists(plan, rows)
    del rows
    yield "checklist.md", md.encode("utf-8")
    del md
    yield "checklist.html", page.encode("utf-8")
    del page
    yield SCRIPT_NAME, script_bytes()
    yield GRAPH_BATCHES, batch_lines(plan.table, plan.batches)
    yield from rollback_files(plan, rollback)


def render_artifacts(plan: Plan) -> dict[str, bytes]:
    """Every artifact as file name -> bytes (pure; :func:`write_artifacts` writes them)."""
    return dict(iter_artifacts(plan))


def set_aside_plan(out_dir: str | Path, when: datetime) -> Path | None:
    """Move an earlier ``<out_dir>/plan/`` to ``<out_dir>/plan.set-aside-<UTC time>/``.

    Called when the plan for ``out_dir`` is refused: the earlier plan is no longer the plan,
    and left as ``plan/`` it would be what ``verify`` checks against and what its script runs.
    Renamed, not deleted (nothing is lost), and no longer found as a plan: ``verify`` and the
    runs look for ``plan/plan.json``. Returns the new place, or None when there was none.
    """
    earlier = Path(out_dir) / PLAN_FOLDER
    if earlier.is_symlink() or not earlier.is_dir():
        return None
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(1, 1000):
        aside = earlier.with_name(f"{SET_ASIDE}{stamp}" + (f"-{n}" if n > 1 else ""))
        if not aside.exists():
            os.replace(earlier, aside)
            return aside
    raise FileExistsError(f"no free name to set {earlier} aside")  # pragma: no cover


def write_artifacts(plan: Plan, out_dir: str | Path) -> Path:
    """Write every artifact into ``<out_dir>/plan/`` atomically and return that folder.

    A refused plan raises (exit code 3, in the plan's language) and writes nothing.
    """
    out = Path(out_dir)
    if plan.refused:
        with speaking(plan.language):
            raise InputError(
                out, "error.artifacts.plan-refused", exit_code=EXIT_REFUSED_FOR_SEATS,
                shortfall=plan.shortfall, target=plan.target["display_name"],
                seats=seats_said(plan.seats_needed, plan.seats_available,
                                 plan.summary.get("to_buy_whole_move")))
    return write_folder_atomic(out / PLAN_FOLDER, iter_artifacts(plan))
