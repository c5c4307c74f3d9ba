"""The reassignment script's results log: read it, and add what it says to the status details.

The export decides every status; the log only adds detail ("script: Done after 3 attempts").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.catalog import normalize_key
from playbook.errors import InputError
from playbook.files import restore_cell
from playbook.input_files import check_input_file
from playbook.messages import message
from playbook.table import per_distinct


def read_results_log(path: Path) -> pd.DataFrame:
    """The PowerShell results CSV, read as text (details only)."""
    if not Path(path).exists():
        raise InputError(path, "error.verify.log-not-found")
    check_input_file(path, fix="error.verify.log-not-csv.fix")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, "error.verify.log-not-csv", problem=str(exc)) from None


def add_script_detail(status: pd.DataFrame, log: pd.DataFrame,
                      actions: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Append what the script logged for each action to its detail; the export still decides.

    Reads the results CSV of ``Invoke-E4Reassignment.ps1`` (``action_id, kind, batch, target,
    outcome, attempts, message, ...``). A line counts only when its ``target`` is the action's
    user or group, so a log from another plan with the same ids adds nothing. Previews
    (``WhatIf``) are ignored.
    """
    lines = _log_lines(log)
    if lines is None:
        return status
    if "target" in lines.columns:
        subjects = pd.concat([
            actions[["action_id", c]].rename(columns={c: "target"})
            for c in ("upn", "user_id", "group_key")
        ])
        subjects["target"] = subjects["target"].str.lower()
        subjects = subjects[subjects["target"] != ""].drop_duplicates()
        lines = lines.merge(subjects, on=["action_id", "target"])
    if lines.empty:
        return status
    # worded once per distinct (outcome, attempts): a 100k-line log has a handful
    key = pd.Series(list(zip(lines["outcome"], lines["attempts"].astype(int), strict=True)),
                    index=lines.index, dtype=object)
    note = per_distinct(key, lambda k: message(
        "verify.script.retried" if k[1] > 1 else "verify.script", lang, outcome=k[0],
        attempts=k[1]))
    has_msg = lines["message"] != ""
    note = note.where(~has_msg, note + " (" + lines["message"] + ")")
    notes = note.groupby(lines["action_id"]).agg("; ".join)
    out = status.copy()
    add = out["action_id"].map(notes)
    has = add.notna() & (out["action_id"] != "")
    out.loc[has, "detail"] = out.loc[has, "detail"] + "; " + add[has]
    return out


def _log_lines(log: pd.DataFrame) -> pd.DataFrame | None:
    """The log's lines as ``action_id, outcome, attempts, message[, target]`` (previews
    dropped), or None when it has no action id or outcome column."""
    cols = {normalize_key(c).replace(" ", "").replace("_", ""): c for c in log.columns}
    if not all(n in cols for n in ("actionid", "outcome")):
        return None
    text = log.fillna("").astype(str).apply(lambda c: c.map(restore_cell))
    lines = pd.DataFrame({
        "action_id": text[cols["actionid"]].str.strip(),
        "outcome": text[cols["outcome"]].str.strip(),
        "attempts": pd.to_numeric(text[cols["attempts"]], errors="coerce").fillna(0)
        if "attempts" in cols else 0,
        "message": text[cols["message"]].str.strip() if "message" in cols else "",
    })
    if "target" in cols:
        lines["target"] = text[cols["target"]].str.strip().str.lower()
    return lines[lines["outcome"].str.lower() != "whatif"]
