"""One tenant, one run: the four notebooks executed with papermill into a run folder.

Run folder layout (never overwritten; a second run in the same second gets ``-2``)::

    <out>/<tenant folder name>/<UTC timestamp, e.g. 20261128T031500Z>/
        result.json              the run record (playbook/resources/result.schema.json)
        index.html               one page linking everything below
        01-eligibility.ipynb     each executed notebook (code hidden: papermill report mode) ...
        01-eligibility.html      ... and its HTML export without code cells
        steps/<step>.json        what each notebook saved (playbook.report.save_step)
        plan/                    the plan artifacts written by 03-reassign

The tenant's *folder* name (not ``name:`` in tenant.yaml) names its runs: it is a valid path,
unique within a fleet folder, and known even when tenant.yaml cannot be read.

A verdict is a result, not a failure: a refused plan, a contact-partner path or a shut gate
complete their notebooks and the run is ``ok`` (exit 0). ``bad-input`` (exit 2) is input the
admin must fix; ``failed`` (exit 1) is a cell that raised anything else (a bug), with the
executed notebook kept up to that cell.

Fleet runs, status and the demo live in :mod:`playbook.fleet`; the names below are re-exported
for the CLI.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import playbook
from playbook.errors import EXIT_BAD_INPUT, EXIT_OK, InputError
from playbook.report import RESULT_FILE, assemble_result, load_result, write_result
from playbook.tenant import TenantConfig, find_export, load_config, load_tenant

EXIT_FAILED = 1
KERNEL_NAME = "python3"
DEFAULT_CELL_TIMEOUT = 3600  # seconds per cell: a 500k-user export takes minutes, not hours
STEP_NOTEBOOKS: dict[int, str] = {
    1: "01-eligibility.ipynb",
    2: "02-license-count.ipynb",
    3: "03-reassign.ipynb",
    4: "04-verify-and-cancel.ipynb",
}
STEP_RESULT: dict[int, str] = {1: "assessment", 2: "counts", 3: "plan", 4: "verification"}
_BAD_INPUT_ERRORS = frozenset({"InputError", "NotAnAfterExport"})
_TIMESTAMP = "%Y%m%dT%H%M%SZ"


def repo_root() -> Path:
    """The checkout the package runs from (notebooks/ and data/ sit next to playbook/).

    Located from this module's own file, which works even when ``playbook`` is imported as a
    namespace package (a stale editable install) and ``playbook.__file__`` is None.
    """
    return Path(__file__).resolve().parents[1]


def playbook_version() -> str:
    version = getattr(playbook, "__version__", None)
    if version:
        return str(version)
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("e4-playbook")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def default_notebooks_dir() -> Path:
    return repo_root() / "notebooks"


# ---------------------------------------------------------------------------------------------
# small pure helpers


def parse_steps(text: str | int | None) -> tuple[int, ...]:
    """``"1-4"``, ``"1-3"``, ``"4"``, ``"1,3"`` -> sorted step numbers in 1..4."""
    raw = "1-4" if text is None else str(text).strip()
    steps: set[int] = set()
    try:
        for part in raw.replace(" ", "").split(","):
            first, dash, last = part.partition("-")
            lo, hi = int(first), int(last if dash else first)
            if not 1 <= lo <= hi <= 4:
                raise ValueError
            steps.update(range(lo, hi + 1))
    except ValueError:
        raise InputError("--steps", "not a step range", value=text,
                         fix="use steps 1 to 4, e.g. 1-4, 1-3 or 4") from None
    return tuple(sorted(steps))


def format_steps(steps: list[int] | tuple[int, ...]) -> str:
    """(1, 2, 3) -> "1-3"; (1, 3) -> "1,3" (the inverse of :func:`parse_steps`)."""
    steps = sorted(steps)
    if steps and steps == list(range(steps[0], steps[-1] + 1)) and len(steps) > 1:
        return f"{steps[0]}-{steps[-1]}"
    return ",".join(str(s) for s in steps) or "none"


def format_timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime(_TIMESTAMP)


def iso_utc(when: datetime) -> str:
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


def run_folders(out_dir: str | Path, folder: str) -> list[Path]:
    """A tenant's run folders, newest first (by their timestamp names, not by mtime)."""
    base = Path(out_dir) / folder
    if not base.is_dir():
        return []
    runs = [p for p in base.iterdir() if p.is_dir() and p.name[:1].isdigit()]
    return sorted(runs, key=_run_sort_key, reverse=True)


def tenant_records(out_dir: str | Path, folder: str) -> list[tuple[Path, dict[str, Any]]]:
    """(run folder, record) for each completed run of a tenant, newest first.

    Folders without ``result.json`` (a run still going, or killed) are left out.
    """
    found = []
    for run_dir in run_folders(out_dir, folder):
        record = load_result(run_dir)
        if record is not None:
            found.append((run_dir, record))
    return found


def _one_line(text: object, limit: int = 400) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# parameters


def check_tenant(tenant_dir: Path, *, preload: bool = True) -> TenantConfig:
    """Classify bad input before any kernel starts.

    ``preload=True`` reads the exports once (the notebooks will read them again); ``False``
    checks only tenant.yaml and that a users export exists, for fleets of huge tenants where a
    bad export may surface from the first notebook cell instead (still recorded as bad input).
    """
    if preload:
        return load_tenant(tenant_dir).config
    config = load_config(tenant_dir / "tenant.yaml")
    if find_export(tenant_dir, "users") is None:
        raise InputError(tenant_dir, "no users.* export in the tenant folder",
                         fix="export users from the admin center (Users > Active users > "
                         "Export users) or run scripts/Export-TenantLicenses.ps1")
    return config


def notebook_parameters(
    declared: set[str] | dict[str, Any],
    *,
    tenant_dir: Path,
    run_dir: Path,
    config: TenantConfig,
    after_export: Path | None = None,
    plan_dir: Path | None = None,
) -> dict[str, Any]:
    """The values to inject, limited to the parameters this notebook declares.

    Values come from tenant.yaml so the executed notebook shows, in its injected-parameters
    cell, exactly what the run used. Unset values keep the notebook's "use tenant.yaml" default
    ("" / 0 / []), and lists are plain lists so papermill writes them as literals.
    """
    ref = ""
    if config.sku_reference:
        ref_path = Path(config.sku_reference)
        ref = str(ref_path if ref_path.is_absolute() else tenant_dir / ref_path)
    values: dict[str, Any] = {
        "tenant_dir": str(tenant_dir),
        "run_dir": str(run_dir),
        "sku_reference": ref,
        "target": config.target,
        "language": config.language,
        "purchase_channel": config.purchase_channel,
        "payment_method": config.payment_method,
        "batch_size": config.batch_size,
        "exclude_users": list(config.exclude_users),
        "only_departments": list(config.only_departments),
        "max_users": config.max_users or 0,
        "default_usage_location": config.default_usage_location or "",
        "reclaim_blocked": config.reclaim_blocked,
        "after_export": str(after_export) if after_export else "",
        "plan_dir": str(plan_dir) if plan_dir else "",
    }
    return {k: v for k, v in values.items() if k in declared}


def _declared_parameters(notebook: Path) -> dict[str, Any]:
    import papermill

    return papermill.inspect_notebook(str(notebook))


# ---------------------------------------------------------------------------------------------
# the record


@dataclass(frozen=True)
class NotebookRun:
    """What happened to one step's notebook: ``ok`` | ``failed`` | ``skipped`` | ``not-run``."""

    step: int
    name: str
    status: str
    notebook: str | None = None  # executed .ipynb, relative to the run folder
    html: str | None = None
    note: str = ""
    seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "name": self.name, "status": self.status,
                "notebook": self.notebook, "html": self.html, "note": self.note,
                "seconds": self.seconds}


@dataclass(frozen=True)
class RunRecord:
    """One tenant run: where its folder is and its ``result.json`` content."""

    folder: str
    run_dir: Path
    result: dict[str, Any] = field(repr=False)

    @property
    def status(self) -> str:
        return str(self.result.get("status"))

    @property
    def exit_code(self) -> int:
        """0 when the run completed (whatever the verdict), 2 bad input, 1 a failing cell."""
        return {"ok": EXIT_OK, "bad-input": EXIT_BAD_INPUT}.get(self.status, EXIT_FAILED)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.result)

    def to_text(self) -> str:
        from playbook.summary import merge_records, standing

        r = self.result
        steps = format_steps(r.get("steps_requested") or [])
        lines = [f"Tenant {r.get('tenant')} ({self.folder}): run {self.status} "
                 f"(steps {steps}) in {r.get('seconds', 0):.0f} s",
                 f"Record: {self.run_dir}"]
        for nb in r.get("notebooks") or []:
            shown = nb.get("html") or nb.get("notebook") or ""
            note = f"  {nb['note']}" if nb.get("note") else ""
            lines.append(f"  {nb['step']} {nb['name']:<28} {nb['status']:<8} {shown}{note}")
        if r.get("plan_dir"):
            lines.append(f"Plan artifacts: {self.run_dir / r['plan_dir']}")
        if self.status == "failed":
            lines.append(f"FAILED in {r.get('failed_notebook')} cell {r.get('failed_cell')}: "
                         f"{r.get('error')}")
            lines.append("The executed notebook is kept up to the failing cell.")
        elif self.status == "bad-input":
            lines.append(f"error: {r.get('error')}")
        st = standing(merge_records([r]))
        lines.append(f"Where it stands: {st.label}: {st.why}")
        lines.append(f"Next: {st.next_action}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# running


def _notebook_paths(notebooks_dir: Path, steps: tuple[int, ...]) -> dict[int, Path]:
    paths = {}
    for step in steps:
        path = notebooks_dir / STEP_NOTEBOOKS[step]
        if not path.is_file():
            raise InputError(path, "notebook not found",
                             fix="run from a clone of the repository (notebooks/ sits next to "
                             "playbook/) or pass the notebooks folder")
        paths[step] = path
    return paths


def _newest_earlier_plan(out_dir: Path, folder: str, this_run: Path) -> Path | None:
    for run_dir in run_folders(out_dir, folder):
        if run_dir != this_run and (run_dir / "plan" / "plan.json").is_file():
            return run_dir / "plan"
    return None


def _execute(src: Path, dst: Path, params: dict[str, Any], cwd: Path, timeout: int) -> None:
    """papermill with a kernel that talks over private IPC sockets instead of localhost TCP.

    IPC keeps another local user from reaching the kernel (and silences ipykernel's warning
    about unencrypted TCP on every notebook); the sockets live in a temporary folder.
    """
    import papermill
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="e4k-") as sockets:
        # nbclient builds (and so also shuts down) the kernel manager from this config
        config = Config({"KernelManager": {"transport": "ipc",
                                           "ip": str(Path(sockets) / "kernel")}})
        papermill.execute_notebook(
            str(src), str(dst), parameters=params, kernel_name=KERNEL_NAME, report_mode=True,
            cwd=str(cwd), progress_bar=False, log_output=False, execution_timeout=timeout,
            config=config,
            # the kernel's own log (shutdown chatter on the terminal) says nothing an admin
            # can act on; errors in cells are kept in the executed notebook instead
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )


class _HtmlExport:
    """nbconvert's HTML exporter without code cells, built once per run (it loads templates)."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter

        self._exporter = HTMLExporter(exclude_input=True)

    def __call__(self, notebook: Path) -> Path:
        import nbformat

        from playbook.report import write_text_atomic

        body, _ = self._exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
        return write_text_atomic(notebook.with_suffix(".html"), body)


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
    from tqdm.auto import tqdm

    tenant = Path(tenant_dir).resolve()
    if not tenant.is_dir():
        raise InputError(tenant, "tenant folder not found",
                         fix="pass a folder holding tenant.yaml and users.*")
    wanted = parse_steps(steps)
    nb_dir = Path(notebooks_dir).resolve() if notebooks_dir else default_notebooks_dir()
    sources = _notebook_paths(nb_dir, wanted)
    out = Path(out_dir).resolve()
    folder = tenant.name
    started = datetime.now(UTC)
    clock = time.monotonic()
    run_dir = new_run_dir(out / folder, started)

    meta: dict[str, Any] = {
        "tenant": folder, "folder": folder, "tenant_dir": str(tenant),
        "run_id": run_dir.name, "started": iso_utc(started), "finished": None, "seconds": 0.0,
        "playbook_version": playbook_version(), "steps_requested": list(wanted),
        "steps_run": [], "status": "ok", "failed_step": None, "failed_notebook": None,
        "failed_cell": None, "error": None, "inputs": {}, "plan_dir": None, "notebooks": [],
    }
    runs: dict[int, NotebookRun] = {}
    try:
        config = check_tenant(tenant, preload=preload)
        meta["tenant"] = config.name
        users = find_export(tenant, "users")
        after = find_export(tenant / "after", "users") if (tenant / "after").is_dir() else None
        meta["inputs"] = {"users_export": users.name if users else None,
                          "after_export": f"after/{after.name}" if after else None}
    except InputError as exc:
        meta.update(status="bad-input", error=exc.one_line())
        config = after = None
    except (OSError, UnicodeError) as exc:  # an unreadable file is input to fix, too
        meta.update(status="bad-input", error=_one_line(exc))
        config = after = None
    except Exception as exc:  # noqa: BLE001 - a reader bug: recorded, never a lost run
        meta.update(status="failed", error=_one_line(f"reading the tenant failed: "
                                                     f"{type(exc).__name__}: {exc}"))
        config = after = None

    export_html = None
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=len(wanted), desc=folder, unit="step", disable=not show, leave=False)
    for step in wanted:
        name = STEP_NOTEBOOKS[step]
        if meta["status"] != "ok" or config is None:
            runs[step] = NotebookRun(step, name, "not-run")
            continue
        plan_dir: Path | None = None
        if step == 4:
            skip = _why_skip_verification(run_dir, wanted, after)
            if skip:
                runs[step] = NotebookRun(step, name, "skipped", note=skip)
                bar.update()
                continue
            plan_dir = (run_dir / "plan" if (run_dir / "plan" / "plan.json").is_file()
                        else _newest_earlier_plan(out, folder, run_dir))
            meta["inputs"]["plan_from"] = (
                None if plan_dir is None
                else "this run" if plan_dir.parent == run_dir else plan_dir.parent.name)
        dst = run_dir / name
        t0 = time.monotonic()
        status, note = "ok", ""
        try:
            params = notebook_parameters(_declared_parameters(sources[step]), tenant_dir=tenant,
                                         run_dir=run_dir, config=config, after_export=after,
                                         plan_dir=plan_dir)
            _execute(sources[step], dst, params, nb_dir, cell_timeout)
        except Exception as exc:  # noqa: BLE001 - any cell error becomes the record's verdict
            status = "failed"
            _record_failure(meta, step, name, exc)
            if meta["failed_cell"] is not None:
                note = f"stopped at cell {meta['failed_cell']}"
        meta["steps_run"].append(step)
        html = None
        if dst.is_file():
            try:
                export_html = export_html or _HtmlExport()
                html = export_html(dst).name
            except Exception as exc:  # noqa: BLE001 - the .ipynb is the record; HTML is a view
                note = (note + "; " if note else "") + f"no HTML: {_one_line(exc, 120)}"
        runs[step] = NotebookRun(step, name, status, dst.name if dst.is_file() else None, html,
                                 note, round(time.monotonic() - t0, 2))
        bar.update()
    bar.close()

    if (run_dir / "plan" / "plan.json").is_file():
        meta["plan_dir"] = "plan"
    finished = datetime.now(UTC)
    meta.update(finished=iso_utc(finished), seconds=round(time.monotonic() - clock, 2),
                notebooks=[runs[s].to_dict() for s in wanted])
    result = assemble_result(run_dir, meta)
    write_result(run_dir, result)
    return RunRecord(folder, run_dir, result)


def _why_skip_verification(run_dir: Path, wanted: tuple[int, ...], after: Path | None) -> str:
    """Why step 4 must not run, or "" when it should."""
    from playbook.report import load_steps
    from playbook.summary import plan_refused

    if after is None:
        return "no after export (after/users.*) in the tenant folder"
    if 3 in wanted and not (run_dir / "plan" / "plan.json").is_file():
        steps = load_steps(run_dir)
        if steps.get("plan") and plan_refused(steps):
            return "plan refused for seats: nothing to verify yet"
    return ""


def _record_failure(meta: dict[str, Any], step: int, name: str, exc: Exception) -> None:
    """Fill the record's failure fields from a papermill error (or any other exception)."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename is not None:
        meta["status"] = "bad-input" if ename in _BAD_INPUT_ERRORS else "failed"
        if ename in _BAD_INPUT_ERRORS:
            meta["error"] = _one_line(evalue)
        elif evalue:
            meta["error"] = _one_line(f"{ename}: {evalue}")
        else:  # the cell failed without an error output (e.g. a custom exception hook)
            code = _one_line(getattr(exc, "source", "") or "", 120)
            meta["error"] = f"{ename}: the cell raised without showing an error; it runs: {code}"
        meta["failed_cell"] = getattr(exc, "exec_count", None)
    else:  # timeout, dead kernel, unreadable notebook
        meta["status"] = "failed"
        meta["error"] = _one_line(f"{type(exc).__name__}: {exc}")
    meta["failed_step"], meta["failed_notebook"] = step, name


def crash_record(tenant_dir: str | Path, out_dir: str | Path, error: str) -> RunRecord:
    """Record a run that died outside any notebook (a runner bug, a killed worker process).

    The fleet writes it so that the tenant's newest record tells the truth instead of an older
    run's verdict showing through.
    """
    tenant = Path(tenant_dir).resolve()
    now = datetime.now(UTC)
    run_dir = new_run_dir(Path(out_dir).resolve() / tenant.name, now)
    meta = {
        "tenant": tenant.name, "folder": tenant.name, "tenant_dir": str(tenant),
        "run_id": run_dir.name, "started": iso_utc(now), "finished": iso_utc(now),
        "seconds": 0.0, "playbook_version": playbook_version(), "steps_requested": [],
        "steps_run": [], "status": "failed", "failed_step": None, "failed_notebook": None,
        "failed_cell": None, "error": _one_line(error), "inputs": {}, "plan_dir": None,
        "notebooks": [],
    }
    result = assemble_result(run_dir, meta)
    write_result(run_dir, result)
    return RunRecord(tenant.name, run_dir, result)


# ---------------------------------------------------------------------------------------------
# the fleet side, re-exported for the CLI (imported lazily: fleet imports this module)


def run_fleet(fleet_dir: str | Path, out_dir: str | Path, **kwargs: Any):  # noqa: ANN201
    """See :func:`playbook.fleet.run_fleet`."""
    from playbook.fleet import run_fleet as _run_fleet

    return _run_fleet(fleet_dir, out_dir, **kwargs)


def fleet_status(fleet_dir: str | Path, out_dir: str | Path):  # noqa: ANN201
    """See :func:`playbook.fleet.fleet_status`."""
    from playbook.fleet import fleet_status as _fleet_status

    return _fleet_status(fleet_dir, out_dir)


def run_demo(out_dir: str | Path | None = None, **kwargs: Any):  # noqa: ANN201
    """See :func:`playbook.fleet.run_demo`."""
    from playbook.fleet import run_demo as _run_demo

    return _run_demo(out_dir, **kwargs)


__all__ = ["RESULT_FILE", "RunRecord", "NotebookRun", "run_tenant", "run_fleet", "fleet_status",
           "run_demo", "parse_steps", "notebook_parameters", "check_tenant", "tenant_records",
           "run_folders", "new_run_dir", "crash_record"]
