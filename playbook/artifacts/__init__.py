"""The plan's artifacts, written atomically into ``<out>/plan/``; one module per kind.

==============================  ===================================================================
plan.csv, plan.json             the plan itself (:mod:`playbook.plan.store`): every action, and
                                the header that names plan.csv and its row count
admin-center-batches.csv        one row per user/group call, by batch, in admin-center words
                                (:mod:`.admin_center`)
checklist.md / checklist.html   the same batches as a tick-list, from one template
                                (:mod:`.checklist`)
Invoke-E4Reassignment.ps1       the same file for every tenant (:mod:`.script`): it reads plan.csv
                                (or rollback.csv)
graph-batches.jsonl             Graph ``$batch`` bodies, one per line: line N is batch N
                                (:mod:`.graph`)
rollback.csv                    the exact inverse, last batch first (:mod:`.rollback`)
rollback-batches.jsonl          line N undoes batch N
==============================  ===================================================================

Every CSV goes through :func:`playbook.files.csv_bytes`: UTF-8 with BOM, CRLF, and spreadsheet
formulas neutralized (:func:`playbook.files.neutralize_cell`). :mod:`.folder` renders them in a
fixed order and writes the folder whole.
"""

from playbook.artifacts.admin_center import ADMIN_CENTER_COLUMNS, admin_rows
from playbook.artifacts.folder import (
    iter_artifacts,
    render_artifacts,
    set_aside_plan,
    write_artifacts,
)
from playbook.artifacts.graph import (
    EMPTY_BATCH,
    GRAPH_BATCHES,
    ROLLBACK_BATCHES,
    batch_lines,
    graph_batches,
)
from playbook.artifacts.script import SCRIPT_COLUMNS, SCRIPT_NAME, script_bytes

__all__ = [
    "ADMIN_CENTER_COLUMNS", "EMPTY_BATCH", "GRAPH_BATCHES", "ROLLBACK_BATCHES", "SCRIPT_COLUMNS",
    "SCRIPT_NAME", "admin_rows", "batch_lines", "graph_batches", "iter_artifacts",
    "render_artifacts", "script_bytes", "set_aside_plan", "write_artifacts",
]
