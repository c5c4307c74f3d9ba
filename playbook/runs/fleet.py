"""Many tenants: each run in its own worker process (or on a Dask cluster), then the summary.

A fleet folder holds one folder per tenant (:mod:`playbook.runs.selection`). papermill starts
a kernel per notebook, so each tenant runs in a process of its own and one tenant's failure
never stops the others. A process that dies (killed by the out-of-memory killer, say) fails only
its own tenant: its run folder gets a ``failed`` record saying so, and the other tenants run on
(a process pool would be broken by that one death, and fail every tenant still waiting). The
summary covers every tenant, from the run records only (:mod:`playbook.runs.summary_page`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from playbook.deferred import DeferredModule
from playbook.errors import InputError
from playbook.runs.folders import remember_runs_folder
from playbook.runs.language import speaking_for
from playbook.runs.record import RunRecord, crash_record
from playbook.runs.selection import discover_tenants, select_tenants
from playbook.runs.summary_page import summary_rows, write_summary
from playbook.runs.tenant_run import DEFAULT_CELL_TIMEOUT, run_tenant

tqdm_auto = DeferredModule("tqdm.auto")
distributed = DeferredModule("distributed")  # installed with the [dask] extra

PRELOAD: tuple[str, ...] = ("playbook.runs.tenant_run", "papermill", "nbformat", "nbconvert",
                             "traitlets.config", "tqdm.auto")
"""What the fork server imports once for every tenant's process: the runner, and the modules
the runner binds with :class:`~playbook.deferred.DeferredModule` (importing them starts no
thread, so forking after is safe)."""

Outcome = dict[str, Any]
"""What a worker sends back for one tenant: folder, status, run_dir, error."""


def _outcome(record: RunRecord) -> Outcome:
    return {"folder": record.folder, "status": record.status, "run_dir": str(record.run_dir),
            "error": record.result.get("error")}


def _run_one(job: dict[str, Any]) -> Outcome:
    """Run one tenant in a worker; never raises, so one tenant cannot stop the fleet."""
    tenant = job["tenant_dir"]
    try:
        record = run_tenant(tenant, job["out_dir"], steps=job.get("steps", "1-4"),
                            notebooks_dir=job.get("notebooks_dir"),
                            preload=job.get("preload", True),
                            cell_timeout=job.get("cell_timeout", DEFAULT_CELL_TIMEOUT),
                            progress=False)
    except Exception as exc:  # recorded as this tenant's failure
        message = exc.one_line() if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
        record = crash_record(tenant, job["out_dir"], f"runner error: {message}")
    return _outcome(record)


def _crashed(job: dict[str, Any], why: str, since: datetime | None = None) -> Outcome:
    """The failed record of a tenant whose worker died, in the run folder it left."""
    return _outcome(crash_record(job["tenant_dir"], job["out_dir"], f"worker died: {why}",
                                 since=since))


def _died(exitcode: int | None) -> str:
    """Why a worker process ended without a result, from its exit code."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (the out-of-memory killer does this)" if name == "SIGKILL" else ""
        return f"the worker process was killed by {name}{hint}"
    return f"the worker process ended with exit code {exitcode} before the run was recorded"


def _pool_context() -> Any:
    """A start method that never forks a parent holding threads (tqdm, zmq).

    With forkserver, the server imports the runner and the notebook libraries it binds on
    first use (:data:`PRELOAD`) once, so each tenant's process starts with them in place
    instead of importing them again (over a second per tenant).
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _worker(job: dict[str, Any], results: Connection) -> None:
    """A tenant's process: run it and send the outcome back."""
    try:
        results.send(_run_one(job))
    finally:
        results.close()


def _run_local(jobs: list[dict[str, Any]], workers: int, done: Callable[[Outcome], None]) -> None:
    """Run each job in a process of its own, at most ``workers`` at a time.

    A process that ends without sending its outcome (killed, out of memory) fails its own
    tenant only (:func:`_crashed`); the next tenant starts in its place.
    """
    if workers <= 1:
        for job in jobs:
            done(_run_one(job))
        return
    context = _pool_context()
    waiting = list(reversed(jobs))
    running: dict[Any, tuple[Any, Connection, dict[str, Any], datetime]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                job = waiting.pop()
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_worker, args=(job, send),
                                          name=f"e4-tenant:{Path(job['tenant_dir']).name}")
                started = datetime.now(UTC)
                process.start()
                send.close()
                running[process.sentinel] = (process, receive, job, started)
            # an outcome is a few hundred bytes, far below a pipe's buffer: the worker sends
            # it and exits without waiting for this side to read
            for sentinel in wait(list(running)):
                process, receive, job, started = running.pop(sentinel)
                outcome = _received(receive)
                process.join()
                done(outcome or _crashed(job, _died(process.exitcode), since=started))
    finally:
        for process, receive, _, _ in running.values():  # interrupted: stop the rest
            process.kill()
            process.join()
            receive.close()


def _received(receive: Connection) -> Outcome | None:
    """The outcome a finished worker sent, or None when it died first."""
    try:
        return receive.recv() if receive.poll() else None
    except (EOFError, OSError):  # it died while sending
        return None
    finally:
        receive.close()


def _run_dask(jobs: list[dict[str, Any]], address: str, workers: int,
              done: Callable[[Outcome], None]) -> None:
    """Send the same jobs to a Dask cluster (paths must be visible to every worker).

    ``address="local"`` starts a throw-away ``LocalCluster`` with one thread per worker process.
    """
    if not distributed.installed:
        raise InputError("--dask-scheduler", "error.fleet.no-dask")
    cluster = None
    if address == "local":
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None)
    try:
        try:
            client = distributed.Client(cluster if cluster is not None else address,
                                        timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError("--dask-scheduler", "error.fleet.dask-unreachable", value=address,
                             problem=str(exc)) from None
        with client:
            futures = {client.submit(_run_one, job, pure=False): job for job in jobs}
            for future in distributed.as_completed(list(futures)):
                try:
                    done(future.result())
                except Exception as exc:  # a worker died or the task was lost
                    done(_crashed(futures[future], f"{type(exc).__name__}: {exc}"))
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
    out = Path(out_dir).resolve()
    tenants = discover_tenants(fleet_dir, out)
    with speaking_for(tenants):  # the batch's own bad input, in its tenants' language
        chosen = select_tenants(tenants, out, only_failed=only_failed,
                                changed_since=changed_since)
        if workers is not None and workers < 1:
            raise InputError("--workers", "error.fleet.bad-workers", value=workers)
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(chosen) or 1))
    out.mkdir(parents=True, exist_ok=True)
    remember_runs_folder(fleet_dir, out)
    jobs = [{"tenant_dir": str(t), "out_dir": str(out), "steps": steps,
             "notebooks_dir": str(notebooks_dir) if notebooks_dir else None,
             "preload": preload, "cell_timeout": cell_timeout} for t in chosen]

    clock = time.monotonic()
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm_auto.tqdm(total=len(jobs), desc="tenants", unit="tenant", disable=not show)
    ran: list[str] = []

    def done(outcome: Outcome) -> None:
        ran.append(outcome["folder"])
        bar.set_postfix_str(f"{outcome['folder']}: {outcome['status']}")
        bar.update()

    try:
        with speaking_for(tenants):
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
