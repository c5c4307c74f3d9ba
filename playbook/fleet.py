"""Many tenants: the batch run, the fleet summary, status across days, and the demo.

A fleet folder holds one folder per tenant (a folder with ``tenant.yaml`` or a ``users.*``
export). Each tenant runs in its own worker process (papermill starts a kernel per notebook), so
one tenant's failure never stops the others; a worker that dies still leaves a ``failed``
record. The summary and ``status`` are computed from the run records only
(:mod:`playbook.summary`), so re-running the summary never needs the tenants again.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.report import write_summary
from playbook.runner import (
    DEFAULT_CELL_TIMEOUT,
    crash_record,
    repo_root,
    run_tenant,
    tenant_records,
)
from playbook.summary import (
    RANK_FAILED,
    Standing,
    merge_records,
    sort_rows,
    standing,
    summary_row,
)

# ---------------------------------------------------------------------------------------------
# which tenants


def discover_tenants(fleet_dir: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Tenant folders directly under ``fleet_dir``, by name; the runs folder is never one."""
    fleet = Path(fleet_dir)
    if not fleet.is_dir():
        raise InputError(fleet, "fleet folder not found",
                         fix="pass a folder holding one folder per tenant")
    skip = Path(out_dir).resolve() if out_dir is not None else None
    tenants = []
    for sub in sorted(fleet.iterdir()):
        if not sub.is_dir() or sub.name.startswith((".", "_")) or sub.resolve() == skip:
            continue
        if (sub / "tenant.yaml").is_file() or any(sub.glob("users*")):
            tenants.append(sub.resolve())
    if not tenants:
        raise InputError(fleet, "no tenant folders found",
                         fix="each tenant needs its own folder with tenant.yaml and users.*")
    return tenants


def _parse_changed_since(value: str | date | None) -> date | str | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip().lower()
    if text == "last":
        return "last"
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--changed-since", "not a date or 'last'", value=value,
                         fix="use YYYY-MM-DD (files changed since that day, UTC) or 'last' "
                         "(files changed since the tenant's last run)") from None


def _parse_iso(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _newest_file_time(folder: Path) -> float:
    times = [p.stat().st_mtime for p in folder.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(
                 folder).parts)]
    return max(times, default=0.0)


def select_tenants(
    tenants: list[Path],
    out_dir: str | Path,
    *,
    only_failed: bool = False,
    changed_since: str | date | None = None,
) -> list[Path]:
    """The tenants to run now. No flag: all. With flags, a tenant runs when either says so.

    ``only_failed``: the newest record is ``failed`` or ``bad-input``, or there is none yet.
    ``changed_since``: a date (a file in the tenant folder modified on or after that day, UTC)
    or ``"last"`` (a file modified after the tenant's last run started; never run = changed).
    """
    since = _parse_changed_since(changed_since)
    if not only_failed and since is None:
        return list(tenants)
    chosen = []
    for tenant in tenants:
        records = tenant_records(out_dir, tenant.name)
        newest = records[0][1] if records else None
        failed = newest is None or newest.get("status") in ("failed", "bad-input")
        changed = False
        if since == "last":
            started = _parse_iso(newest.get("started")) if newest else None
            changed = started is None or _newest_file_time(tenant) > started.timestamp()
        elif isinstance(since, date):
            cutoff = datetime(since.year, since.month, since.day, tzinfo=UTC).timestamp()
            changed = _newest_file_time(tenant) >= cutoff
        if (only_failed and failed) or changed:
            chosen.append(tenant)
    return chosen


# ---------------------------------------------------------------------------------------------
# running


def _run_one(job: dict[str, Any]) -> dict[str, Any]:
    """Run one tenant in a worker; never raises, so one tenant cannot stop the fleet."""
    tenant = job["tenant_dir"]
    try:
        record = run_tenant(tenant, job["out_dir"], steps=job.get("steps", "1-4"),
                            notebooks_dir=job.get("notebooks_dir"),
                            preload=job.get("preload", True),
                            cell_timeout=job.get("cell_timeout", DEFAULT_CELL_TIMEOUT),
                            progress=False)
    except Exception as exc:  # noqa: BLE001 - recorded as this tenant's failure
        message = exc.one_line() if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        record = crash_record(tenant, job["out_dir"], f"runner error: {message}")
    return {"folder": record.folder, "status": record.status, "run_dir": str(record.run_dir),
            "error": record.result.get("error")}


def _crashed(job: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    record = crash_record(job["tenant_dir"], job["out_dir"],
                          f"worker died: {type(exc).__name__}: {exc}")
    return {"folder": record.folder, "status": record.status, "run_dir": str(record.run_dir),
            "error": record.result.get("error")}


def _pool_context() -> Any:
    """A start method that never forks a parent holding threads (tqdm, zmq)."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_local(jobs: list[dict[str, Any]], workers: int, done: Any) -> None:
    if workers <= 1:
        for job in jobs:
            done(_run_one(job))
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        futures = {pool.submit(_run_one, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                done(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker process died (OOM, signal)
                done(_crashed(futures[future], exc))


def _run_dask(jobs: list[dict[str, Any]], address: str, workers: int, done: Any) -> None:
    """Send the same jobs to a Dask cluster (paths must be visible to every worker).

    ``address="local"`` starts a throw-away ``LocalCluster`` with one thread per worker process.
    """
    try:
        from distributed import Client, LocalCluster
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError("--dask-scheduler", "Dask distributed is not installed",
                         fix="pip install 'e4-playbook[dask]'") from None
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    try:
        try:
            client = Client(cluster if cluster is not None else address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError("--dask-scheduler", f"cannot reach the Dask scheduler ({exc})",
                             value=address, fix="pass the scheduler address, e.g. "
                             "tcp://10.0.0.5:8786, or 'local'") from None
        with client:
            futures = {client.submit(_run_one, job, pure=False): job for job in jobs}
            for future in dask_completed(list(futures)):
                try:
                    done(future.result())
                except Exception as exc:  # noqa: BLE001 - a worker died or the task was lost
                    done(_crashed(futures[future], exc))
    finally:
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class FleetSummary:
    """A batch run: which tenants ran and one summary row per tenant (needing a human first)."""

    fleet_dir: Path
    out_dir: Path
    rows: tuple[dict[str, Any], ...]
    ran: tuple[str, ...]
    csv_path: Path
    html_path: Path
    seconds: float = 0.0
    workers: int = 1
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "fleet": str(self.fleet_dir), "runs": str(self.out_dir), "ran": list(self.ran),
            "summary_csv": str(self.csv_path), "summary_html": str(self.html_path),
            "seconds": self.seconds, "workers": self.workers,
            "tenants": [{k: v for k, v in r.items() if not k.startswith("_")}
                        for r in self.rows],
        }

    def to_text(self) -> str:
        failed = sum(1 for r in self.rows if r["folder"] in self.ran
                     and r["run_status"] != "ok")
        human = sum(1 for r in self.rows if r["needs_human"])
        lines = list(self.notes)
        lines.append(f"Ran {len(self.ran)} of {len(self.rows)} tenants in {self.seconds:.0f} s "
                     f"({self.workers} worker{'s' if self.workers != 1 else ''}); "
                     f"{failed} did not complete; {human} need a human.")
        width = max([len(str(r["folder"])) for r in self.rows] + [6])
        stage_w = max([len(str(r["stage"])) for r in self.rows] + [5])
        lines.append(f"  {'tenant':<{width}}  {'stage':<{stage_w}}  {'run':<9} why")
        for r in self.rows:
            flag = "!" if r["needs_human"] else " "
            lines.append(f"{flag} {r['folder']:<{width}}  {r['stage']:<{stage_w}}  "
                         f"{r['run_status']:<9} {r['why']}")
        lines.append(f"Summary: {self.csv_path}")
        lines.append(f"         {self.html_path}")
        lines.append(f"Records: {self.out_dir}/<tenant>/<run>/ (index.html, result.json, "
                     "notebooks)")
        return "\n".join(lines)


def summary_rows(tenants: list[Path], out_dir: str | Path) -> list[dict[str, Any]]:
    """One row per tenant from its run records, sorted so tenants needing a human come first."""
    rows = []
    for tenant in tenants:
        folder = tenant.name
        try:
            records = tenant_records(out_dir, folder)
        except InputError as exc:
            rows.append(_unreadable_row(folder, exc))
            continue
        view = merge_records([r for _, r in records])
        link = f"{folder}/{records[0][0].name}/index.html" if records else ""
        rows.append(summary_row(folder, view, link))
    return sort_rows(rows)


def _unreadable_row(folder: str, exc: InputError) -> dict[str, Any]:
    row = summary_row(folder, {}, "")
    row.update(stage="unreadable record", needs_human=True, run_status="failed",
               why=exc.one_line(), next_action="delete or fix that run folder, then re-run",
               _rank=RANK_FAILED)
    return row


def run_fleet(
    fleet_dir: str | Path,
    out_dir: str | Path,
    *,
    workers: int | None = None,
    only_failed: bool = False,
    changed_since: str | date | None = None,
    dask_scheduler: str | None = None,
    steps: str = "1-4",
    notebooks_dir: str | Path | None = None,
    preload: bool = True,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    progress: bool | None = None,
) -> FleetSummary:
    """Run every (selected) tenant in parallel and write ``<out>/summary.csv`` and ``.html``.

    ``workers`` defaults to the CPU count (each worker runs one tenant's kernels at a time);
    ``workers=1`` runs in this process. With ``dask_scheduler`` the runs go to that Dask
    cluster instead. The summary covers every tenant in the fleet, including those not re-run
    this time (their newest records).
    """
    from tqdm.auto import tqdm

    out = Path(out_dir).resolve()
    tenants = discover_tenants(fleet_dir, out)
    chosen = select_tenants(tenants, out, only_failed=only_failed, changed_since=changed_since)
    if workers is not None and workers < 1:
        raise InputError("--workers", "must be at least 1", value=workers, fix="use 1 or more")
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(chosen) or 1))
    out.mkdir(parents=True, exist_ok=True)
    jobs = [{"tenant_dir": str(t), "out_dir": str(out), "steps": steps,
             "notebooks_dir": str(notebooks_dir) if notebooks_dir else None,
             "preload": preload, "cell_timeout": cell_timeout} for t in chosen]

    clock = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(jobs), desc="tenants", unit="tenant", disable=not show)
    ran: list[str] = []

    def done(outcome: dict[str, Any]) -> None:
        ran.append(outcome["folder"])
        bar.set_postfix_str(f"{outcome['folder']}: {outcome['status']}")
        bar.update()

    try:
        if jobs and dask_scheduler:
            _run_dask(jobs, dask_scheduler, n_workers, done)
        elif jobs:
            _run_local(jobs, n_workers, done)
    finally:
        bar.close()

    rows = summary_rows(tenants, out)
    csv_path, html_path = write_summary(rows, out)
    return FleetSummary(Path(fleet_dir).resolve(), out, tuple(rows), tuple(sorted(ran)),
                        csv_path, html_path, round(time.monotonic() - clock, 2), n_workers)


# ---------------------------------------------------------------------------------------------
# status across days


@dataclass(frozen=True)
class TenantStatus:
    folder: str
    tenant: str
    standing: Standing
    safe_to_cancel: bool | None
    last_run: str | None
    last_status: str | None
    runs: int
    record: str | None

    def to_dict(self) -> dict[str, Any]:
        st = self.standing
        return {"folder": self.folder, "tenant": self.tenant, "stage": st.stage,
                "label": st.label, "why": st.why, "next_action": st.next_action,
                "needs_human": st.needs_human, "moved": st.moved, "total": st.total,
                "safe_to_cancel": self.safe_to_cancel, "last_run": self.last_run,
                "last_status": self.last_status, "runs": self.runs, "record": self.record}


@dataclass(frozen=True)
class FleetStatus:
    """Where each tenant stands, read from its run records (nothing else holds state)."""

    fleet_dir: Path
    out_dir: Path
    tenants: tuple[TenantStatus, ...]

    def to_dict(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for t in self.tenants:
            counts[t.standing.stage] = counts.get(t.standing.stage, 0) + 1
        return {"fleet": str(self.fleet_dir), "runs": str(self.out_dir),
                "stage_counts": counts, "tenants": [t.to_dict() for t in self.tenants]}

    def to_text(self) -> str:
        width = max([len(t.folder) for t in self.tenants] + [6])
        label_w = max([len(t.standing.label) for t in self.tenants] + [15])
        lines = [f"{len(self.tenants)} tenants in {self.fleet_dir} (records in {self.out_dir})",
                 f"  {'tenant':<{width}}  {'where it stands':<{label_w}}  {'last run':<19} "
                 "why / next"]
        for t in self.tenants:
            st = t.standing
            flag = "!" if st.needs_human else " "
            lines.append(f"{flag} {t.folder:<{width}}  {st.label:<{label_w}}  "
                         f"{t.last_run or '-':<19} {st.why}")
            lines.append(f"  {'':<{width}}  {'':<{label_w}}  {'':<19} next: {st.next_action}")
        return "\n".join(lines)


def fleet_status(fleet_dir: str | Path, out_dir: str | Path) -> FleetStatus:
    """Each tenant's standing from its newest run records, tenants needing a human first."""
    out = Path(out_dir).resolve()
    found = []
    for tenant in discover_tenants(fleet_dir, out):
        try:
            records = tenant_records(out, tenant.name)
        except InputError as exc:
            st = Standing("failed", "unreadable record", exc.one_line(),
                          "delete or fix that run folder, then re-run", RANK_FAILED)
            found.append(TenantStatus(tenant.name, tenant.name, st, None, None, None, 0, None))
            continue
        view = merge_records([r for _, r in records])
        verification = view.get("verification") or {}
        found.append(TenantStatus(
            folder=tenant.name, tenant=str(view.get("tenant") or tenant.name),
            standing=standing(view),
            safe_to_cancel=verification.get("safe_to_cancel") if verification else None,
            last_run=records[0][0].name if records else None,
            last_status=view.get("status"), runs=len(records),
            record=str(records[0][0]) if records else None))
    found.sort(key=lambda t: (t.standing.rank, t.folder))
    return FleetStatus(Path(fleet_dir).resolve(), out, tuple(found))


# ---------------------------------------------------------------------------------------------
# demo


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
    return FleetSummary(summary.fleet_dir, summary.out_dir, summary.rows, summary.ran,
                        summary.csv_path, summary.html_path, summary.seconds, summary.workers,
                        (note,))
