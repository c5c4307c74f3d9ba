"""Which tenant folders a fleet folder holds, and which of them to run now."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.files import folder_name
from playbook.runs.record import tenant_records


def discover_tenants(fleet_dir: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Tenant folders directly under ``fleet_dir``, by name; the runs folder is never one.

    A tenant folder holds ``tenant.yaml`` or a ``users.*`` export; folders starting with
    ``.`` or ``_`` are left out.
    """
    fleet = Path(fleet_dir)
    if not fleet.is_dir():
        raise InputError(fleet, "error.fleet.folder-not-found")
    skip = Path(out_dir).resolve() if out_dir is not None else None
    tenants = []
    for sub in sorted(fleet.iterdir()):
        if not sub.is_dir() or sub.name.startswith((".", "_")) or sub.resolve() == skip:
            continue
        if (sub / "tenant.yaml").is_file() or any(sub.glob("users*")):
            tenants.append(sub.resolve())
    if not tenants:
        raise InputError(fleet, "error.fleet.no-tenant-folders")
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
        raise InputError("--changed-since", "error.fleet.bad-changed-since",
                         value=value) from None


def _parse_iso(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _newest_file_time(folder: Path) -> float:
    """The newest modification time of a file in ``folder`` (hidden files and folders aside)."""
    times = [p.stat().st_mtime for p in folder.rglob("*")
             if p.is_file() and not any(part.startswith(".")
                                        for part in p.relative_to(folder).parts)]
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
        records = tenant_records(out_dir, folder_name(tenant))
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
