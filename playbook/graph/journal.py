"""The apply journal: one JSON Lines file per run, each line flushed as it is written.

Lines (``type``): ``header`` (plan id, tenant id, app, tool version, when), then per operation
``intent`` (what is about to be sent), ``outcome`` (Graph's status, error code and message,
request id) and ``check`` (what a read afterwards showed: done, drifted, failed, ...), and
``end`` with the run's counts. Tokens never appear in it.

A later ``apply`` of the same plan reads every journal of the plan folder: an action whose last
check is ``done`` is not touched again; any other (an intent without outcome included) is read
from Graph again before anything is sent. A journal of another plan is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from playbook.errors import InputError


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def read_journals(folder: Path) -> list[dict[str, Any]]:
    """Every line of every run journal in ``folder`` (oldest run first); a last line cut
    off by a kill is ignored."""
    records: list[dict[str, Any]] = []
    for path in sorted(folder.glob("run-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                rec["_file"] = path.name
                records.append(rec)
    return records


@dataclass
class Past:
    """What earlier runs of this plan established, per action id."""

    last_check: dict[str, str] = field(default_factory=dict)
    runs: int = 0

    @property
    def done(self) -> set[str]:
        return {a for a, c in self.last_check.items() if c == "done"}


def past_runs(folder: Path, plan_id: str) -> Past:
    """The journals' verdicts; refuses journals of another plan in the same folder."""
    past = Past()
    for rec in read_journals(folder):
        if rec.get("type") == "header":
            if rec.get("plan_id") != plan_id:
                raise InputError(folder / rec["_file"], "error.graph.journal-of-another-plan",
                                 value=plan_id, other=str(rec.get("plan_id")))
            past.runs += 1
        elif rec.get("type") == "check":
            past.last_check[str(rec.get("action_id"))] = str(rec.get("result"))
    return past


class Journal:
    """An open run journal; every line is flushed before the call it describes is made."""

    def __init__(self, folder: Path, header: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        number = len(list(folder.glob("run-*.jsonl"))) + 1
        self.path = folder / f"run-{number:03d}.jsonl"
        self._fh: IO[str] = self.path.open("a", encoding="utf-8")
        self.write("header", **header)

    def write(self, kind: str, **fields: Any) -> None:
        self._fh.write(json.dumps({"type": kind, "at": _now(), **fields},
                                  ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()
