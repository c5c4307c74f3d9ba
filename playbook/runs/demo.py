"""The demo: the sample tenants (data/tenants/, shipped in the package too) run as a fleet."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.runs.fleet import FleetSummary, run_fleet
from playbook.shipped import sample_tenants_dir


def bundled_tenants() -> Path:
    """The sample tenants: the checkout's data/tenants/, or the copy inside the installed
    package (:mod:`playbook.shipped`)."""
    path = sample_tenants_dir()
    if not path.is_dir() or not any(p.is_dir() for p in path.iterdir()):
        raise InputError(path, "error.run.no-sample-tenants")
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
