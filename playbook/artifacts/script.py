"""Invoke-E4Reassignment.ps1: the same script for every tenant, copied byte for byte.

It reads plan.csv (or rollback.csv); :data:`SCRIPT_COLUMNS` are the columns it reads (its
``$Columns``), a subset of the plan columns (a test checks both ends). It strips one leading
``'`` from each cell, which undoes :func:`playbook.files.neutralize_cell`.
"""

from __future__ import annotations

from importlib import resources

SCRIPT_NAME = "Invoke-E4Reassignment.ps1"
SCRIPT_COLUMNS: tuple[str, ...] = (
    "action_id", "kind", "batch", "user_id", "upn", "group_id", "new_usage_location",
    "add_sku_id", "remove_sku_id", "disabled_plan_ids_after", "target_before",
)
"""The plan.csv columns the PowerShell script reads (its ``$Columns``)."""


def script_bytes() -> bytes:
    """The reassignment script, exactly as shipped in the package."""
    return resources.files("playbook.resources").joinpath(SCRIPT_NAME).read_bytes()
