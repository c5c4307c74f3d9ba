"""Run records: what each executed notebook step leaves behind for result.json and summaries.

A notebook run by papermill gets ``run_dir``; each step calls :func:`save_step` with the plain
dict of its result, and the runner merges the steps into ``result.json``. Outside a run
(``run_dir`` empty) nothing is written, so an admin clicking through JupyterLab leaves no files.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

_FILE_MODE = 0o644


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write JSON so that readers see either the old file or the whole new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False, default=str)
            fh.write("\n")
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; a record is meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_step(run_dir: str | Path | None, step: str, data: dict[str, Any]) -> Path | None:
    """Record one step's result as ``<run_dir>/steps/<step>.json`` (no-op without a run)."""
    if not run_dir:
        return None
    return write_json_atomic(Path(run_dir) / "steps" / f"{step}.json", data)


def load_steps(run_dir: str | Path) -> dict[str, Any]:
    """All step results of a run, keyed by step name."""
    folder = Path(run_dir) / "steps"
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.json"))}


# ---------------------------------------------------------------------------------------------
# result.json: the run record
#
# One per run folder, written last and atomically, so a folder either holds a complete record or
# none (a run that was killed). Keys: the run metadata below plus one key per step result
# ("assessment", "counts", "plan", "verification"; null when that step did not run or saved
# nothing). The contract is the JSON Schema in playbook/resources/result.schema.json.

RESULT_FILE = "result.json"
RESULT_SCHEMA_VERSION = 1
STEP_RESULT_KEYS: tuple[str, ...] = ("assessment", "counts", "plan", "verification")
RUN_STATUSES: tuple[str, ...] = ("ok", "failed", "bad-input")


def result_schema_path() -> Path:
    """Where the JSON Schema of ``result.json`` ships (package data)."""
    return Path(__file__).parent / "resources" / "result.schema.json"


def assemble_result(run_dir: str | Path, meta: dict[str, Any]) -> dict[str, Any]:
    """Merge the run metadata with the step results the notebooks saved.

    Per-user lists are cut so a record stays small enough to read thousands of them for a
    fleet summary: the plan keeps its summary (``actions`` and ``decisions`` live in
    ``plan/plan.json``), and each verification reason keeps its first
    :data:`RESULT_USERS_KEPT` users plus ``users_count``. The full step results stay in
    ``steps/<step>.json``.
    """
    steps = load_steps(run_dir)
    result: dict[str, Any] = {"schema_version": RESULT_SCHEMA_VERSION, **meta}
    for key in STEP_RESULT_KEYS:
        value = steps.get(key)
        if key == "plan" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in ("actions", "decisions")}
        if key == "verification" and isinstance(value, dict):
            value = {**value, "reasons": [_short_reason(r) for r in value.get("reasons") or []]}
        result[key] = value
    return result


RESULT_USERS_KEPT = 50


def _short_reason(reason: Any) -> Any:
    if not isinstance(reason, dict) or not isinstance(reason.get("users"), list):
        return reason
    users = reason["users"]
    return {**reason, "users": users[:RESULT_USERS_KEPT], "users_count": len(users)}


def write_result(run_dir: str | Path, result: dict[str, Any]) -> Path:
    """Write ``result.json`` (atomically) and the run's ``index.html`` beside it."""
    path = write_json_atomic(Path(run_dir) / RESULT_FILE, result)
    write_text_atomic(Path(run_dir) / "index.html", run_index_html(result))
    return path


def load_result(run_dir: str | Path) -> dict[str, Any] | None:
    """A run folder's record, or ``None`` when the folder has none (a run still going/killed).

    A record that is not valid JSON is reported as bad input naming the file, because status
    must never guess what an unreadable record said.
    """
    from playbook.errors import InputError

    path = Path(run_dir) / RESULT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeError) as exc:
        raise InputError(path, f"run record is not valid JSON ({exc})",
                         fix="delete this run folder or re-run the tenant") from None
    if not isinstance(data, dict):
        raise InputError(path, "run record is not a JSON object",
                         fix="delete this run folder or re-run the tenant")
    return data


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write text so readers never see half a file (same idea as :func:`write_json_atomic`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_HTML_HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
tr.human td {{ background: #fff4e5; }}
tr.ok td {{ background: #eef8ee; }}
.muted {{ color: #777; }}
</style></head><body>
"""


def run_index_html(result: dict[str, Any]) -> str:
    """A one-page index of a run folder: outcome, steps and links to each notebook's HTML."""
    from html import escape

    from playbook.summary import merge_records, standing

    st = standing(merge_records([result]))
    lines = [_HTML_HEAD.format(title=escape(f"E4 upgrade run: {result.get('tenant', '')}")),
             f"<h1>E4 upgrade run: {escape(str(result.get('tenant', '')))}</h1>",
             "<p>Run <b>{}</b>, status <b>{}</b>, started {} finished {} (UTC), playbook {}</p>"
             .format(*(escape(str(result.get(k, ""))) for k in
                       ("run_id", "status", "started", "finished", "playbook_version"))),
             f"<p>Where it stands: <b>{escape(st.label)}</b>: {escape(st.why)}<br>"
             f"Next: {escape(st.next_action)}</p>"]
    if result.get("error"):
        lines.append(f"<p><b>Error:</b> {escape(str(result['error']))}</p>")
    lines.append("<table><tr><th>step</th><th>notebook</th><th>status</th><th>record</th></tr>")
    for nb in result.get("notebooks") or []:
        links = []
        for key in ("html", "notebook"):
            if nb.get(key):
                links.append(f'<a href="{escape(nb[key])}">{escape(nb[key])}</a>')
        note = escape(str(nb.get("note") or ""))
        lines.append(f"<tr><td>{nb.get('step')}</td><td>{escape(str(nb.get('name')))}</td>"
                     f"<td>{escape(str(nb.get('status')))} <span class=muted>{note}</span></td>"
                     f"<td>{' '.join(links)}</td></tr>")
    lines.append("</table>")
    if result.get("plan_dir"):
        lines.append(f'<p>Plan artifacts: <a href="{escape(result["plan_dir"])}/">'
                     f"{escape(result['plan_dir'])}/</a></p>")
    lines.append('<p><a href="result.json">result.json</a> (the run record)</p></body></html>\n')
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# fleet summary: runs/summary.csv and runs/summary.html

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: Any) -> Any:
    """Prefix ``'`` to text Excel would read as a formula (tenant names come from tenant.yaml)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_summary(rows: list[dict[str, Any]], out_dir: str | Path,
                  columns: tuple[str, ...] | None = None) -> tuple[Path, Path]:
    """Write ``<out>/summary.csv`` and ``<out>/summary.html`` (rows already sorted).

    Unknown figures are empty cells, not zeros. Keys starting with ``_`` are internal.
    """
    import csv
    import io
    from html import escape

    from playbook.summary import SUMMARY_COLUMNS

    cols = columns or SUMMARY_COLUMNS
    out = Path(out_dir)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(cols)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralize_cell(row.get(c)) for c in cols])
    csv_path = write_text_atomic(out / "summary.csv", buf.getvalue())

    human = sum(1 for r in rows if r.get("needs_human"))
    html = [_HTML_HEAD.format(title="E4 upgrade: fleet summary"),
            "<h1>E4 upgrade: fleet summary</h1>",
            f"<p>{len(rows)} tenants, {human} need a human (listed first).</p>",
            "<table><tr>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr>"]
    for row in rows:
        cells = []
        for c in cols:
            value = row.get(c)
            text = "" if value is None else str(value)
            if c == "record" and text:
                cells.append(f'<td><a href="{escape(text)}">record</a></td>')
            else:
                cells.append(f"<td>{escape(text)}</td>")
        css = "human" if row.get("needs_human") else ("ok" if row.get("stage") ==
                                                      "ready to cancel" else "")
        html.append(f'<tr class="{css}">' + "".join(cells) + "</tr>")
    html.append("</table></body></html>\n")
    html_path = write_text_atomic(out / "summary.html", "\n".join(html))
    return csv_path, html_path
