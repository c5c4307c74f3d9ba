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


def write_json_atomic(path: str | Path, data: Any) -> Path:
    """Write JSON so that readers see either the old file or the whole new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False, default=str)
            fh.write("\n")
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
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
