"""One tenant, one run: the notebooks executed with papermill into a new run folder.

The run folder layout is in :mod:`playbook.runs.folders`, the record it ends with in
:mod:`playbook.runs.record`. A verdict is a result, not a failure: a refused plan, a
contact-partner path or a shut gate complete their notebooks and the run is ``ok`` (exit 0).
``bad-input`` (exit 2) is input the admin must fix; ``failed`` (exit 1) is a cell that raised
anything else (a bug), with the executed notebook kept up to that cell.

The notebooks read tenant.yaml themselves: their tenant.yaml-backed parameters default to
``None`` ("as tenant.yaml says"), so the run injects only what it decides: ``tenant_dir``,
``run_dir``, and for verification ``after_export`` and ``plan_dir``.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playbook.deferred import DeferredModule
from playbook.errors import InputError, speaking
from playbook.files import folder_name
from playbook.messages import message
from playbook.runs.execute import HtmlExport, declared_parameters, execute_notebook
from playbook.runs.folders import default_notebooks_dir, iso_utc, new_run_dir
from playbook.runs.language import speaking_for
from playbook.runs.record import (
    NotebookRun,
    RunRecord,
    finish_record,
    first_line,
    load_steps,
    record_meta,
)
from playbook.runs.standing import plan_refused
from playbook.runs.step_range import parse_steps
from playbook.steps import step, step_for_result
from playbook.tenant import TenantConfig, find_export, load_config, load_tenant
from playbook.verification.disk import find_plan

tqdm_auto = DeferredModule("tqdm.auto")

DEFAULT_CELL_TIMEOUT = 3600  # seconds per cell: a 500k-user export takes minutes, not hours
_BAD_INPUT_ERRORS = frozenset({"InputError", "NotAnAfterExport"})
_PLAN_STEP = step_for_result("plan").number
_VERIFY_STEP = step_for_result("verification").number


def check_tenant(tenant_dir: Path, *, preload: bool = True) -> TenantConfig:
    """Classify bad input before any kernel starts.

    ``preload=True`` reads the exports once (the notebooks will read them again); ``False``
    checks only tenant.yaml and that a users export exists, for fleets of huge tenants where a
    bad export may surface from the first notebook cell instead (still recorded as bad input).
    Once tenant.yaml is read, bad input is worded in the tenant's language (the record's
    ``error`` line is the admin's to read).
    """
    config = load_config(tenant_dir / "tenant.yaml")
    with speaking(config.language):
        if preload:
            return load_tenant(tenant_dir).config
        if find_export(tenant_dir, "users") is None:
            raise InputError(tenant_dir, "error.tenant.no-users-export")
    return config


def notebook_parameters(
    declared: set[str] | dict[str, Any],
    *,
    tenant_dir: Path,
    run_dir: Path,
    after_export: Path | None = None,
    plan_dir: Path | None = None,
) -> dict[str, Any]:
    """The values to inject, limited to the parameters this notebook declares.

    Only what the run decides; every tenant.yaml setting keeps the notebook's default
    (``None``: as tenant.yaml says), so tenant.yaml is read in one place, by the notebook.
    An unknown after export or plan is left out, so the notebook's own default applies.
    """
    values: dict[str, Any] = {"tenant_dir": str(tenant_dir), "run_dir": str(run_dir)}
    if after_export is not None:
        values["after_export"] = str(after_export)
    if plan_dir is not None:
        values["plan_dir"] = str(plan_dir)
    return {k: v for k, v in values.items() if k in declared}


def _notebook_paths(notebooks_dir: Path, steps: tuple[int, ...]) -> dict[int, Path]:
    paths = {}
    for number in steps:
        path = notebooks_dir / step(number).notebook
        if not path.is_file():
            raise InputError(path, "error.run.notebook-not-found")
        paths[number] = path
    return paths


def _read_inputs(tenant: Path, preload: bool,
                 meta: dict[str, Any]) -> tuple[Path | None, str]:
    """Check the tenant before any kernel; fill ``meta``'s inputs, or its failure.

    Returns the after export (``<tenant>/after/users.*``) when there is one, and the tenant's
    language (the HTML records speak it; English when the tenant cannot be read).
    """
    try:
        config = check_tenant(tenant, preload=preload)
        meta["tenant"] = config.name
        meta["language"] = config.language  # the record's words (run, status) speak it
        users = find_export(tenant, "users")
        after = find_export(tenant / "after", "users") if (tenant / "after").is_dir() else None
        meta["inputs"] = {"users_export": users.name if users else None,
                          "after_export": f"after/{after.name}" if after else None}
        return after, config.language
    except InputError as exc:  # worded in the tenant's language once tenant.yaml was read
        meta.update(status="bad-input", error=exc.one_line(), language=exc.lang or "en")
        return None, exc.lang or "en"
    except (OSError, UnicodeError) as exc:  # an unreadable file is input to fix, too
        meta.update(status="bad-input", error=first_line(exc))
    except Exception as exc:  # a reader bug: recorded, never a lost run
        meta.update(status="failed", error=first_line(f"reading the tenant failed: "
                                                      f"{type(exc).__name__}: {exc}"))
    return None, "en"


def _newest_earlier_plan(out_dir: Path, folder: str) -> Path | None:
    """The plan ``verify`` would take: the newest ``plan/`` under the tenant's runs folder,
    whether a run or ``e4-playbook plan`` wrote it."""
    try:
        return find_plan(folder, None, out_dir).parent
    except InputError:
        return None


def _why_skip_verification(run_dir: Path, wanted: tuple[int, ...], after: Path | None,
                           lang: str) -> str:
    """Why the verification step must not run (in the tenant's language: the run prints it),
    or "" when it should."""
    if after is None:
        return message("run.skip.no_after", lang)
    if _PLAN_STEP in wanted and not (run_dir / "plan" / "plan.json").is_file():
        steps = load_steps(run_dir)
        if plan_refused(steps):
            return message("run.skip.refused", lang)
    return ""


def _record_failure(meta: dict[str, Any], number: int, name: str, exc: Exception) -> None:
    """Fill the record's failure fields from a papermill error (or any other exception)."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename is not None:
        meta["status"] = "bad-input" if ename in _BAD_INPUT_ERRORS else "failed"
        if ename in _BAD_INPUT_ERRORS:
            meta["error"] = first_line(evalue)
        elif evalue:
            meta["error"] = first_line(f"{ename}: {evalue}")
        else:  # the cell failed without an error output (e.g. a custom exception hook)
            code = first_line(getattr(exc, "source", "") or "", 120)
            meta["error"] = f"{ename}: the cell raised without showing an error; it runs: {code}"
        meta["failed_cell"] = getattr(exc, "exec_count", None)
    else:  # timeout, dead kernel, unreadable notebook
        meta["status"] = "failed"
        meta["error"] = first_line(f"{type(exc).__name__}: {exc}")
    meta["failed_step"], meta["failed_notebook"] = number, name


class _StepRunner:
    """Runs the steps of one tenant run in order, filling the run's metadata as they go."""

    def __init__(self, tenant: Path, run_dir: Path, out: Path, nb_dir: Path,
                 cell_timeout: int, meta: dict[str, Any], lang: str = "en") -> None:
        self.tenant, self.run_dir, self.out, self.nb_dir = tenant, run_dir, out, nb_dir
        self.cell_timeout, self.meta, self.lang = cell_timeout, meta, lang
        self._export_html: HtmlExport | None = None

    def plan_for_verification(self) -> Path | None:
        """This run's plan, else the newest plan of an earlier run (recorded in ``inputs``)."""
        own = self.run_dir / "plan"
        plan_dir = (own if (own / "plan.json").is_file()
                    else _newest_earlier_plan(self.out, folder_name(self.tenant)))
        self.meta["inputs"]["plan_from"] = (
            None if plan_dir is None
            else "this run" if plan_dir.parent == self.run_dir else plan_dir.parent.name)
        return plan_dir

    def run(self, number: int, source: Path, after: Path | None,
            plan_dir: Path | None) -> NotebookRun:
        """Execute one step's notebook and export its HTML; a failure fills ``meta``."""
        name = step(number).notebook
        dst = self.run_dir / name
        t0 = time.monotonic()
        status, note = "ok", ""
        try:
            params = notebook_parameters(declared_parameters(source), tenant_dir=self.tenant,
                                         run_dir=self.run_dir, after_export=after,
                                         plan_dir=plan_dir)
            execute_notebook(source, dst, params, self.nb_dir, self.cell_timeout)
        except Exception as exc:  # any cell error becomes the record's verdict
            status = "failed"
            _record_failure(self.meta, number, name, exc)
            if self.meta["failed_cell"] is not None:
                note = message("run.note.stopped", self.lang, cell=str(self.meta["failed_cell"]))
        self.meta["steps_run"].append(number)
        html = None
        if dst.is_file():
            try:
                self._export_html = self._export_html or HtmlExport(self.lang)
                html = self._export_html(dst).name
            except Exception as exc:  # the .ipynb is the record; HTML is a view
                note = (note + "; " if note else "") + message(
                    "run.note.no_html", self.lang, error=first_line(exc, 120))
        return NotebookRun(number, name, status, dst.name if dst.is_file() else None, html,
                           note, round(time.monotonic() - t0, 2))


def run_tenant(
    tenant_dir: str | Path,
    out_dir: str | Path,
    *,
    steps: str = "1-4",
    notebooks_dir: str | Path | None = None,
    preload: bool = True,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    progress: bool | None = None,
) -> RunRecord:
    """Execute the notebooks for one tenant into a new run folder and write its record.

    Raises :class:`InputError` only when there is nothing to record a run for (no tenant
    folder, a bad ``steps`` value, missing notebooks); every other outcome is a record.
    Step 4 runs only when ``<tenant>/after/users.*`` exists, against this run's plan, else the
    newest plan of an earlier run, else the notebook's own rebuilt plan; it is skipped when
    this run's plan was refused for seats.
    """
    tenant = Path(tenant_dir).resolve()
    if not tenant.is_dir():
        raise InputError(tenant, "error.tenant.folder-not-found")
    with speaking_for([tenant]):  # raised before the tenant is read, in its language all the same
        wanted = parse_steps(steps)
        nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else default_notebooks_dir()
        sources = _notebook_paths(nb_dir, wanted)
    out = Path(out_dir).resolve()
    started = datetime.now(UTC)
    clock = time.monotonic()
    run_dir = new_run_dir(out / folder_name(tenant), started)
    meta = record_meta(tenant, run_dir, started)
    meta["steps_requested"] = list(wanted)
    after, lang = _read_inputs(tenant, preload, meta)

    runner = _StepRunner(tenant, run_dir, out, nb_dir, cell_timeout, meta, lang)
    runs: dict[int, NotebookRun] = {}
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm_auto.tqdm(total=len(wanted), desc=folder_name(tenant), unit="step", disable=not show,
                         leave=False)
    for number in wanted:
        name = step(number).notebook
        if meta["status"] != "ok":
            runs[number] = NotebookRun(number, name, "not-run")
            continue
        plan_dir: Path | None = None
        if number == _VERIFY_STEP:
            skip = _why_skip_verification(run_dir, wanted, after, lang)
            if skip:
                runs[number] = NotebookRun(number, name, "skipped", note=skip)
                bar.update()
                continue
            plan_dir = runner.plan_for_verification()
        runs[number] = runner.run(number, sources[number], after, plan_dir)
        bar.update()
    bar.close()

    if (run_dir / "plan" / "plan.json").is_file():
        meta["plan_dir"] = "plan"
    meta.update(finished=iso_utc(datetime.now(UTC)), seconds=round(time.monotonic() - clock, 2),
                notebooks=[runs[s].to_dict() for s in wanted])
    return finish_record(run_dir, meta)
