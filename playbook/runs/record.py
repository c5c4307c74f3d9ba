"""The run record: what one run leaves in its folder, written last and read by everything else.

Each notebook saves its step's result with :func:`save_step` as ``steps/<result key>.json``;
when the run ends the runner merges them with the run's metadata into ``result.json`` (written
atomically, so a folder holds either a complete record or none: a run still going, or killed)
and writes ``index.html`` beside it. ``result.json``'s contract is the JSON Schema in
``playbook/resources/result.schema.json``: the run metadata plus one key per step result
(:data:`playbook.steps.RESULT_KEYS`, null when that step did not run or saved nothing).

A verdict is a result, not a failure: a refused plan, a contact-partner path or a shut gate
complete their notebooks and the run is ``ok`` (exit 0). ``bad-input`` (exit 2) is input the
admin must fix; ``failed`` (exit 1) is a cell that raised anything else (a bug).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import playbook
from playbook.errors import EXIT_BAD_INPUT, EXIT_OK, InputError
from playbook.files import folder_name, write_json_atomic, write_text_atomic
from playbook.markup import link
from playbook.messages import has_message, message
from playbook.runs.folders import format_timestamp, iso_utc, new_run_dir, run_folders
from playbook.runs.page_style import local_href, page_start
from playbook.runs.standing import language_of, merge_records, standing
from playbook.runs.step_range import format_steps
from playbook.steps import RESULT_KEYS

RESULT_FILE = "result.json"
RESULT_SCHEMA_VERSION = 1
EXIT_FAILED = 1
RESULT_USERS_KEPT = 50
"""Users kept per verification reason in ``result.json`` (all of them stay in ``steps/``)."""


def result_schema_path() -> Path:
    """Where the JSON Schema of ``result.json`` ships (package data)."""
    return Path(__file__).resolve().parents[1] / "resources" / "result.schema.json"


def playbook_version() -> str:
    """The version recorded in each run (the package's, else the installed distribution's)."""
    version = getattr(playbook, "__version__", None)
    if version:
        return str(version)
    try:
        return dist_version("e4-playbook")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def first_line(text: object, limit: int = 400) -> str:
    """The first non-blank line of ``text``, cut to ``limit`` characters: a record's error."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    line = lines[0] if lines else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# steps/<key>.json: what each notebook saved


def save_step(run_dir: str | Path | None, step: str, data: dict[str, Any]) -> Path | None:
    """Record one step's result as ``<run_dir>/steps/<step>.json`` (no-op without a run).

    Outside a papermill run (``run_dir`` empty) nothing is written, so an admin clicking
    through JupyterLab leaves no files.
    """
    if not run_dir:
        return None
    return write_json_atomic(Path(run_dir) / "steps" / f"{step}.json", data, default=str)


def load_steps(run_dir: str | Path) -> dict[str, Any]:
    """All step results of a run, keyed by result key."""
    folder = Path(run_dir) / "steps"
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.json"))}


# ---------------------------------------------------------------------------------------------
# result.json


def record_meta(tenant_dir: Path, run_dir: Path, started: datetime) -> dict[str, Any]:
    """The run metadata of a run starting now, before anything happened (status ``ok``)."""
    return {
        "tenant": tenant_dir.name, "folder": tenant_dir.name, "tenant_dir": str(tenant_dir),
        "language": "en",
        "run_id": run_dir.name, "started": iso_utc(started), "finished": None, "seconds": 0.0,
        "playbook_version": playbook_version(), "steps_requested": [], "steps_run": [],
        "status": "ok", "failed_step": None, "failed_notebook": None, "failed_cell": None,
        "error": None, "inputs": {}, "plan_dir": None, "notebooks": [],
    }


def assemble_result(run_dir: str | Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Merge the run metadata with the step results the notebooks saved.

    Per-user lists are cut so a record stays small enough to read thousands of them for a
    fleet summary: the plan drops its ``decisions`` (they stay in ``plan/plan.json``), and
    each verification reason keeps its first :data:`RESULT_USERS_KEPT` users plus
    ``users_count``. The full step results stay in ``steps/<key>.json``.
    """
    steps = load_steps(run_dir)
    result: dict[str, Any] = {"schema_version": RESULT_SCHEMA_VERSION, **meta}
    for key in RESULT_KEYS:
        value = steps.get(key)
        if key == "plan" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "decisions"}
        if key == "verification" and isinstance(value, dict):
            value = {**value, "reasons": [_short_reason(r) for r in value.get("reasons") or []]}
        result[key] = value
    return result


def _short_reason(reason: Any) -> Any:
    if not isinstance(reason, dict) or not isinstance(reason.get("users"), list):
        return reason
    users = reason["users"]
    return {**reason, "users": users[:RESULT_USERS_KEPT], "users_count": len(users)}


def write_result(run_dir: str | Path, result: dict[str, Any]) -> Path:
    """Write ``result.json`` (atomically) and the run's ``index.html`` beside it."""
    path = write_json_atomic(Path(run_dir) / RESULT_FILE, result, default=str)
    write_text_atomic(Path(run_dir) / "index.html", run_index_html(result))
    return path


def load_result(run_dir: str | Path) -> dict[str, Any] | None:
    """A run folder's record, or ``None`` when the folder has none (a run still going/killed).

    A record that is not valid JSON is reported as bad input naming the file, because status
    must never guess what an unreadable record said.
    """
    path = Path(run_dir) / RESULT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeError) as exc:
        raise InputError(path, "error.run.record-not-json", problem=str(exc)) from None
    if not isinstance(data, dict):
        raise InputError(path, "error.run.record-not-object",
                         fix="error.run.record-not-json.fix")
    return data


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


# ---------------------------------------------------------------------------------------------
# index.html


def _html_line(key: str, lang: str, bold: tuple[str, ...] = (), **values: Any) -> str:
    """Message ``key`` as HTML: the sentence and every value escaped, the fields named in
    ``bold`` in bold (a message holds no markup, so stand-ins mark where values go)."""
    marks = {k: f"\x00{k}\x00" for k in values}
    line = escape(message(key, lang, **marks))
    for k, v in values.items():
        shown = escape(str(v))
        line = line.replace(marks[k], f"<b>{shown}</b>" if k in bold else shown)
    return line


_LINK = "\x00link\x00"
"""Where the plan folder's link goes in the index's "Plan artifacts" line."""


def run_index_html(result: dict[str, Any]) -> str:
    """A one-page index of a run folder: outcome, steps and links to each notebook's HTML."""
    st = standing(merge_records([result]))
    lang = language_of(result)
    title = message("run.index.title", lang, tenant=str(result.get("tenant", "")))
    meta = {k: str(result.get(k, "")) for k in ("run_id", "started", "finished")}
    heads = "".join(f"<th>{escape(message(f'run.index.h.{c}', lang))}</th>"
                    for c in ("step", "notebook", "status", "record"))
    lines = [page_start(title, lang), f"<h1>{escape(title)}</h1>",
             "<p>" + _html_line("run.index.meta", lang, ("run_id", "status"), **meta,
                                status=_state(result.get("status", ""), lang),
                                version=str(result.get("playbook_version", ""))) + "</p>",
             f"<p>{_html_line('run.where', lang, ('label',), label=st.label, why=st.why)}"
             f"<br>{escape(message('run.next', lang, action=st.next_action))}</p>"]
    if result.get("error"):
        lines.append(f"<p><b>{escape(message('run.index.error', lang))}</b> "
                     f"{escape(str(result['error']))}</p>")
    lines.append(f"<table><tr>{heads}</tr>")
    for nb in result.get("notebooks") or []:
        links = [link(nb[key], local_href(nb[key])) for key in ("html", "notebook")
                 if nb.get(key)]
        note = escape(str(nb.get("note") or ""))
        lines.append(f"<tr><td>{nb.get('step')}</td><td>{escape(str(nb.get('name')))}</td>"
                     f"<td>{escape(_state(nb.get('status'), lang))} "
                     f"<span class=muted>{note}</span></td>"
                     f"<td>{' '.join(links)}</td></tr>")
    lines.append("</table>")
    if result.get("plan_dir"):
        plan = link(result["plan_dir"] + "/", local_href(result["plan_dir"] + "/"))
        lines.append(f"<p>{escape(message('run.plan_dir', lang, path=_LINK))}</p>"
                     .replace(_LINK, plan))
    lines.append(f"<p>{link('result.json', 'result.json')} "
                 f"({escape(message('run.index.record', lang))})</p></body></html>\n")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# the record in Python


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

    def to_text(self) -> str:
        r = self.result
        steps = format_steps(r.get("steps_requested") or [])
        lang = language_of(r)
        lines = [message("run.head", lang, tenant=str(r.get("tenant")), folder=self.folder,
                         status=_state(self.status, lang), steps=steps,
                         seconds=f"{r.get('seconds', 0):.0f}"),
                 message("run.record", lang, path=str(self.run_dir))]
        for nb in r.get("notebooks") or []:
            shown = nb.get("html") or nb.get("notebook") or ""
            note = f"  {nb['note']}" if nb.get("note") else ""
            lines.append(f"  {nb['step']} {nb['name']:<28} {_state(nb['status'], lang):<8} "
                         f"{shown}{note}")
        if r.get("plan_dir"):
            lines.append(message("run.plan_dir", lang, path=str(self.run_dir / r["plan_dir"])))
        if self.status == "failed":
            lines.append(message("run.failed", lang, notebook=str(r.get("failed_notebook")),
                                 cell=str(r.get("failed_cell")), error=str(r.get("error"))))
            lines.append(message("run.failed.kept", lang))
        elif self.status == "bad-input":
            lines.append(message("run.error", lang, error=str(r.get("error"))))
        st = standing(merge_records([r]))
        lines.append(message("run.where", lang, label=st.label, why=st.why))
        lines.append(message("run.next", lang, action=st.next_action))
        return "\n".join(lines)


def _state(code: Any, lang: str) -> str:
    """A run's or a notebook's status (``ok``, ``failed``, ``skipped``...) in ``lang``; the
    code itself when the catalog does not word it."""
    key = f"run.state.{code}"
    return message(key, lang) if has_message(key) else str(code)


def finish_record(run_dir: Path, meta: dict[str, Any]) -> RunRecord:
    """Assemble and write the record of a finished run (``meta`` complete) and return it."""
    result = assemble_result(run_dir, meta)
    write_result(run_dir, result)
    return RunRecord(str(meta["folder"]), run_dir, result)


def unfinished_run(out_dir: str | Path, folder: str, since: datetime) -> Path | None:
    """The newest run folder of a tenant started at or after ``since`` that has no record
    yet: the one a killed worker left behind."""
    first = format_timestamp(since - timedelta(seconds=1))
    for run_dir in run_folders(out_dir, folder):
        if run_dir.name < first:
            break
        if not (run_dir / RESULT_FILE).exists():
            return run_dir
    return None


def crash_record(tenant_dir: str | Path, out_dir: str | Path, error: str,
                 since: datetime | None = None) -> RunRecord:
    """Record a run that died outside any notebook (a runner bug, a killed worker process).

    The fleet writes it so that the tenant's newest record tells the truth instead of an older
    run's verdict showing through. With ``since`` (when the dead run started), the run folder
    that run left without a record gets this one, with the steps it saved; else a new run
    folder does.
    """
    tenant = Path(tenant_dir).resolve()
    out = Path(out_dir).resolve()
    now = datetime.now(UTC)
    run_dir = unfinished_run(out, folder_name(tenant), since) if since else None
    started = since if run_dir is not None and since is not None else now
    run_dir = run_dir or new_run_dir(out / folder_name(tenant), now)
    meta = record_meta(tenant, run_dir, started)
    meta.update(finished=iso_utc(now), status="failed", error=first_line(error))
    return finish_record(run_dir, meta)
