"""Where runs live: ``<out>/<tenant folder name>/<UTC timestamp>/``, never overwritten.

Run folder layout (a second run in the same second gets ``-2``, then ``-3`` ...)::

    <out>/<tenant folder name>/<UTC timestamp, e.g. 20261128T031500Z>/
        result.json              the run record (playbook/resources/result.schema.json)
        index.html               one page linking everything below
        01-eligibility.ipynb     each executed notebook (code hidden: papermill report mode) ...
        01-eligibility.html      ... and its HTML export without code cells
        steps/<step>.json        what each notebook saved (:func:`playbook.runs.record.save_step`)
        plan/                    the plan artifacts written by 03-reassign

The tenant's *folder* name (not ``name:`` in tenant.yaml) names its runs, made safe by
:func:`playbook.files.folder_name`: a valid path, unique within a fleet folder, and known even
when tenant.yaml cannot be read.

A batch remembers its runs folder in the fleet folder (``.e4-playbook-runs``, hidden so no
tenant is made of it), so ``status`` finds the records of a batch run with ``--out``.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

from playbook.files import write_text_atomic
from playbook.shipped import notebooks_dir

_TIMESTAMP = "%Y%m%dT%H%M%SZ"
RUNS_POINTER = ".e4-playbook-runs"
"""The file in a fleet folder naming the runs folder of its last batch."""
DEFAULT_RUNS = Path("runs")


def default_notebooks_dir() -> Path:
    """The notebooks the runs execute by default: the checkout's, or the installed package's."""
    return notebooks_dir()


def manual_plan_dir(out_dir: str | Path, folder: str) -> Path:
    """Where a plan made outside a run is written (``e4-playbook plan``, step 3's button):
    ``<out>/<folder>/manual`` (``folder``: :func:`playbook.files.folder_name` of the tenant
    folder); its ``plan/`` is found by step 4 and ``verify`` as the newest."""
    return Path(out_dir) / folder / "manual"


def remaining_plan_dir(out_dir: str | Path, folder: str, plan_id: str,
                       run_dir: str | Path | None = None) -> Path:
    """Where a remaining plan is written: ``<run_dir>/remaining`` in a run, else
    ``<out>/<folder>/remaining-<its plan id>`` beside the tenant's plans, so the next
    verification finds it as the newest plan (``remaining`` when nothing remains).

    Named for the plan it holds, not the clock: a plan id is a hash of the plan's content, so
    verifying again against the same after export gives the same folder (no pile of copies,
    and the page a re-run shows stays the same), while a new after export or plan that
    leaves other work gives a new one. The folder's name is the id ``apply --confirm`` asks for.
    """
    if run_dir:
        return Path(run_dir) / "remaining"
    return Path(out_dir) / folder / (f"remaining-{plan_id}" if plan_id else "remaining")


def format_timestamp(when: datetime) -> str:
    """A run folder's name for a start time: ``20261128T031500Z`` (UTC, sorts as text)."""
    return when.astimezone(UTC).strftime(_TIMESTAMP)


def iso_utc(when: datetime) -> str:
    """A record's time: ISO 8601 in UTC to the second, ``2026-11-28T03:15:00Z``."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _run_sort_key(path: Path) -> tuple[str, int]:
    base, _, n = path.name.partition("-")
    return base, int(n) if n.isdigit() else 1


def new_run_dir(tenant_runs: Path, when: datetime) -> Path:
    """Create and return a fresh run folder; an existing one is never reused."""
    tenant_runs.mkdir(parents=True, exist_ok=True)
    stamp = format_timestamp(when)
    for n in range(1, 10_000):
        candidate = tenant_runs / (stamp if n == 1 else f"{stamp}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise RuntimeError(f"no free run folder name under {tenant_runs}")  # pragma: no cover


def remember_runs_folder(fleet_dir: str | Path, out_dir: Path) -> None:
    """Note in the fleet folder where its batch wrote the records (a read-only fleet folder
    is left as it is: ``status`` then needs ``--out``)."""
    with contextlib.suppress(OSError):
        write_text_atomic(Path(fleet_dir) / RUNS_POINTER, f"{Path(out_dir).resolve()}\n")


def runs_folder_of(fleet_dir: str | Path) -> Path:
    """The runs folder the fleet's last batch wrote to, else ``runs``."""
    try:
        text = (Path(fleet_dir) / RUNS_POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeError):
        return DEFAULT_RUNS
    return Path(text) if text else DEFAULT_RUNS


def run_folders(out_dir: str | Path, folder: str) -> list[Path]:
    """A tenant's run folders, newest first (by their timestamp names, not by mtime)."""
    base = Path(out_dir) / folder
    if not base.is_dir():
        return []
    runs = [p for p in base.iterdir() if p.is_dir() and p.name[:1].isdigit()]
    return sorted(runs, key=_run_sort_key, reverse=True)
