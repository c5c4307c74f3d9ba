"""``e4-playbook status``: where each tenant of a fleet stands, read from its run records.

Nothing but the run folders holds a tenant's state, so status can be asked any day, while a
batch runs or long after.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.files import folder_name
from playbook.messages import message
from playbook.runs.folders import runs_folder_of
from playbook.runs.language import tenant_language
from playbook.runs.record import tenant_records
from playbook.runs.selection import discover_tenants
from playbook.runs.standing import (
    Standing,
    language_of,
    merge_records,
    standing,
    unreadable_record,
)


@dataclass(frozen=True)
class TenantStatus:
    """One tenant's standing and where its newest record is."""

    folder: str
    tenant: str
    standing: Standing
    safe_to_cancel: bool | None
    last_run: str | None
    last_status: str | None
    runs: int
    record: str | None
    language: str = "en"
    """The record's language: the standing's words are in it (see :func:`language_of`)."""

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

    @property
    def language(self) -> str:
        """The table's own words follow the tenants' language when they all share one (a
        Danish fleet reads Danish), else English, the one language every admin was offered."""
        langs = {t.language for t in self.tenants}
        return langs.pop() if len(langs) == 1 else "en"

    def to_text(self) -> str:
        lang = self.language
        head = {k: message(f"run.fleet.{k}", lang)
                for k in ("tenant", "stage", "last_run", "why")}
        width = max([len(t.folder) for t in self.tenants] + [6])
        label_w = max([len(t.standing.label) for t in self.tenants] + [15])
        lines = [message("run.fleet.lead", lang, n=len(self.tenants), fleet=str(self.fleet_dir),
                         runs=str(self.out_dir)),
                 f"  {head['tenant']:<{width}}  {head['stage']:<{label_w}}  "
                 f"{head['last_run']:<19} {head['why']}"]
        for t in self.tenants:
            st = t.standing
            flag = "!" if st.needs_human else " "
            lines.append(f"{flag} {t.folder:<{width}}  {st.label:<{label_w}}  "
                         f"{t.last_run or '-':<19} {st.why}")
            lines.append(f"  {'':<{width}}  {'':<{label_w}}  {'':<19} "
                         + message("run.fleet.next", t.language, action=st.next_action))
        return "\n".join(lines)


def tenant_status(tenant: Path, out_dir: Path) -> TenantStatus:
    """One tenant's status from its records under ``out_dir``."""
    try:
        records = tenant_records(out_dir, folder_name(tenant))
    except InputError as exc:  # worded in tenant.yaml's language: the record cannot say it
        lang = tenant_language(tenant)
        st = replace(unreadable_record(lang), why=exc.one_line(lang))
        return TenantStatus(tenant.name, tenant.name, st, None, None, None, 0, None, lang)
    view = merge_records([r for _, r in records])
    verification = view.get("verification") or {}
    return TenantStatus(
        folder=tenant.name, tenant=str(view.get("tenant") or tenant.name),
        standing=standing(view),
        safe_to_cancel=verification.get("safe_to_cancel") if verification else None,
        last_run=records[0][0].name if records else None,
        last_status=view.get("status"), runs=len(records),
        record=str(records[0][0]) if records else None, language=language_of(view))


def fleet_status(fleet_dir: str | Path, out_dir: str | Path | None = None) -> FleetStatus:
    """Each tenant's standing from its newest run records, tenants needing a human first.

    ``out_dir`` None: the runs folder the fleet's last batch wrote to (its ``--out``), else
    ``runs``.
    """
    out = Path(out_dir if out_dir is not None else runs_folder_of(fleet_dir)).resolve()
    found = [tenant_status(tenant, out) for tenant in discover_tenants(fleet_dir, out)]
    found.sort(key=lambda t: (t.standing.rank, t.folder))
    return FleetStatus(Path(fleet_dir).resolve(), out, tuple(found))
