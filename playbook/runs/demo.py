"""The demo: the sample tenants shipped in data/tenants/ run as a fleet in a scratch folder."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.runs.fleet import FleetSummary, run_fleet
from playbook.runs.folders import repo_root


def bundled_tenants() -> Path:
    """The sample tenants shipped in the repository's data/tenants/."""
    path = repo_root() / "data" / "tenants"
    if not path.is_dir() or not any(p.is_dir() for p in path.iterdir()):
        raise InputError(path, "bundled sample tenants not found",
                         fix="run the demo from a clone of the repository (make demo)")
    return path


def run_demo(out_dir: str | Path | None = None, *, workers: int | None = None,
             **fleet_options: Any) -> FleetSummary:
    """Copy the sample tenants to a scratch folder, run the batch there, say where things are.

    The repository's own data/ is never written to: runs go to ``<scratch>/runs``.
    """
    source = bundled_tenants()
    scratch = (Path(out_dir) if out_dir is not None
               else Path(tempfile.mkdtemp(prefix="e4-playbook-demo-"))).resolve()
    tenants = scratch / "tenants"
    tenants.mkdir(parents=True, exist_ok=True)
    copied = []
    for sample in sorted(p for p in source.iterdir() if p.is_dir()):
        shutil.copytree(sample, tenants / sample.name, dirs_exist_ok=True)
        copied.append(sample.name)
    summary = run_fleet(tenants, scratch / "runs", workers=workers, **fleet_options)
    note = (f"Demo: copied {len(copied)} sample tenants ({', '.join(copied)}) to {tenants}\n"
            f"Open {summary.html_path} in a browser; each tenant's record is linked from it.")
    return replace(summary, notes=(note,))
