"""``<out>/plan/``: every artifact rendered in a fixed order and written as one folder.

The same plan gives byte-identical files (nothing reads a clock), and the folder is replaced
whole (:func:`playbook.files.write_folder_atomic`): a failure leaves the old one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from playbook.artifacts.admin_center import admin_center_csv, admin_rows
from playbook.artifacts.checklist import render_checklists
from playbook.artifacts.graph import GRAPH_BATCHES, batch_lines
from playbook.artifacts.rollback import rollback_files
from playbook.artifacts.script import SCRIPT_NAME, script_bytes
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError, speaking
from playbook.files import write_folder_atomic
from playbook.plan import Plan, rollback_actions
from playbook.plan.model import seats_said
from playbook.plan.store import PLAN_JSON, plan_files, read_plan_header

PLAN_FOLDER = "plan"
JOURNAL_DIR = "journal"
"""Where ``apply`` keeps its journals inside a plan folder: the record of what was changed in
the tenant, which a new plan written to the same folder never deletes."""
SET_ASIDE = "plan.set-aside-"
"""How an earlier plan/ folder is renamed when a new plan for the same folder is refused."""


def iter_artifacts(plan: Plan) -> Iterator[tuple[str, bytes]]:
    """Every artifact as (file name, bytes), one at a time, in a fixed order.

    A writer drops each file once written: together a 300k-user plan's artifacts are a few
    hundred MB, more than the rest of the run holds.
    """
    rollback = rollback_actions(plan)
    yield from _for_tools(plan, rollback)
    yield from _for_people(plan, rollback)


def _for_tools(plan: Plan, rollback: pd.DataFrame | None = None,
               ) -> Iterator[tuple[str, bytes]]:
    """What ``apply`` and the script run: plan.csv, rollback.csv, plan.json and the script.
    ``rollback`` (the plan's :func:`~playbook.plan.rollback_actions`) is derived here when
    not given."""
    yield from plan_files(plan, rollback)
    yield SCRIPT_NAME, script_bytes()


def _for_people(plan: Plan, rollback: pd.DataFrame | None = None,
                ) -> Iterator[tuple[str, bytes]]:
    """What an admin follows by hand: the admin-center batches and the checklist over the
    same rows, and the Graph ``$batch`` bodies of the plan and of its rollback (for Graph
    Explorer); ``rollback`` as in :func:`_for_tools`."""
    rows = admin_rows(plan)
    yield "admin-center-batches.csv", admin_center_csv(rows)
    md, page = render_checklists(plan, rows)
    del rows
    yield "checklist.md", md.encode("utf-8")
    del md
    yield "checklist.html", page.encode("utf-8")
    del page
    yield GRAPH_BATCHES, batch_lines(plan.table, plan.batches)
    yield from rollback_files(plan, rollback_actions(plan) if rollback is None else rollback)


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


def write_artifacts(plan: Plan, out_dir: str | Path, *, second_process: bool = False) -> Path:
    """Write every artifact into ``<out_dir>/plan/`` atomically and return that folder.

    ``second_process``: render the files an admin follows by hand (the admin-center
    batches, the checklist, the ``$batch`` bodies) in a second process on another core where
    the platform allows it (:func:`playbook.files.write_folder_atomic`), while this one writes
    the files the tools run (about half the work each). For the CLI's one tenant at a time;
    a fleet already keeps every core busy with tenants.

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
    keep = _journal_kept(out, plan)
    if not second_process:
        return write_folder_atomic(out / PLAN_FOLDER, iter_artifacts(plan), keep=keep)
    # each process derives what it needs itself: in parallel, not once before both
    return write_folder_atomic(out / PLAN_FOLDER, _for_tools(plan),
                               elsewhere=lambda: _for_people(plan), keep=keep)


def _journal_kept(out: Path, plan: Plan) -> tuple[str, ...]:
    """What of an earlier ``plan/`` an apply wrote survives the new plan: its journal.

    The same plan (same plan id) keeps it in place, so a later ``apply`` still knows what
    was done; a different plan sets the earlier folder aside whole, journal included
    (:func:`set_aside_plan`): the record of what was changed in the tenant is never deleted.
    """
    earlier = out / PLAN_FOLDER
    if not (earlier / JOURNAL_DIR).is_dir() or earlier.is_symlink():
        return ()
    if _plan_id_in(earlier) == plan.plan_id:
        return (JOURNAL_DIR,)
    set_aside_plan(out, datetime.now(UTC))
    return ()


def _plan_id_in(folder: Path) -> str | None:
    """The plan id an earlier plan folder's plan.json records (None when unreadable)."""
    try:
        return read_plan_header(folder / PLAN_JSON).get("plan_id")
    except (InputError, OSError):
        return None
