"""``e4-playbook export``: read a tenant from Graph into the files the readers already accept.

Writes, into the tenant folder (or its ``after/``): ``users.json`` (the pages of
``GET /users?$select=...,assignedLicenses,licenseAssignmentStates``, a list of pages),
``subscriptions.json`` (``GET /subscribedSkus``), ``groups.json`` (each group a user inherits a
licence from: its ``assignedLicenses`` and ``licenseProcessingState``) and ``export.json``
(where and when, the tenant id, the counts).

Pages are kept in ``.export-partial/`` as they arrive, with the link to the next page, so an
export cut off (a closed laptop, an expired token) goes on from the last page written. The
finished files are written whole at the end; an export already there is replaced only with
``force`` (the old files move to ``replaced/``, never deleted).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import playbook
from playbook.errors import InputError
from playbook.files import json_text, write_bytes_atomic
from playbook.graph.http import GraphError, GraphHttp
from playbook.graph.state import GROUP_SELECT
from playbook.tenant import EXPORT_INFO, find_export

USERS_SELECT = ("id,userPrincipalName,displayName,department,usageLocation,accountEnabled,"
                "assignedLicenses,licenseAssignmentStates")
PAGE_SIZE = 999
PARTIAL = ".export-partial"
STATE = "state.json"
Progress = Callable[[int, int], None]
"""Called after each page: (pages written, users so far)."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    folder: Path
    tenant_id: str
    users: int
    pages: int
    groups: int
    resumed: bool

    def to_text(self) -> str:
        again = " (resumed)" if self.resumed else ""
        return (f"Exported {self.users} users in {self.pages} pages, {self.groups} licensing "
                f"groups and the subscriptions of tenant {self.tenant_id} into "
                f"{self.folder}{again}")


def tenant_id_of(http: GraphHttp) -> str:
    """The directory id of the tenant the token reads (``GET /organization``)."""
    orgs = http.read("/organization", {"$select": "id"}).get("value") or []
    if not orgs or not orgs[0].get("id"):
        raise GraphError("GET /organization", http.get("/organization"))
    return str(orgs[0]["id"]).lower()


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _refuse_existing(folder: Path, force: bool) -> list[Path]:
    """The exports a new one would replace; refused unless ``force``."""
    found = [p for stem in ("users", "subscriptions", "groups")
             if (p := find_export(folder, stem)) is not None]
    if found and not force:
        raise InputError(found[0], "error.graph.export-exists")
    return found


def _start(partial: Path, tenant_id: str, page_size: int) -> tuple[str, int, bool]:
    """(next link, pages already written, resumed?) of a partial export, or a fresh start."""
    state_path = partial / STATE
    if state_path.is_file():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state.get("tenant_id") != tenant_id:
            raise InputError(state_path, "error.graph.partial-of-another-tenant",
                             value=state.get("tenant_id"), partial=str(partial))
        return str(state.get("next") or ""), int(state.get("pages", 0)), True
    partial.mkdir(parents=True, exist_ok=True)
    first = f"/users?$select={USERS_SELECT}&$top={page_size}"
    write_bytes_atomic(state_path, _dump({"tenant_id": tenant_id, "next": first, "pages": 0}))
    return first, 0, False


def _read_pages(http: GraphHttp, partial: Path, tenant_id: str, page_size: int,
                progress: Progress | None) -> tuple[list[dict[str, Any]], bool]:
    """Every page of users, going on from the last page written."""
    link, written, resumed = _start(partial, tenant_id, page_size)
    while link:
        body = http.read(link)
        page = {"value": body.get("value") or []}
        written += 1
        write_bytes_atomic(partial / f"page-{written:06d}.json", _dump(page))
        nxt = str(body.get("@odata.nextLink") or "")
        link = nxt[len(http.base_url):] if nxt.startswith(http.base_url) else nxt
        write_bytes_atomic(partial / STATE, _dump(
            {"tenant_id": tenant_id, "next": link, "pages": written}))
        if progress:
            progress(written, -1)
    pages = [json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(partial.glob("page-*.json"))]
    return pages, resumed


def licensing_groups(pages: list[dict[str, Any]]) -> list[str]:
    """Ids of the groups any user inherits a licence from, sorted."""
    return sorted({str(s["assignedByGroup"]).lower() for page in pages for u in page["value"]
                   for s in u.get("licenseAssignmentStates") or ()
                   if s.get("assignedByGroup")})


def export_tenant(http: GraphHttp, folder: Path, *, force: bool = False,
                  progress: Progress | None = None, page_size: int = PAGE_SIZE) -> Exported:
    """Read users, subscriptions and licensing groups into ``folder`` (see the module)."""
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / PARTIAL
    old = _refuse_existing(folder, force or partial.is_dir())
    tenant_id = tenant_id_of(http)
    pages, resumed = _read_pages(http, partial, tenant_id, page_size, progress)
    skus = http.read("/subscribedSkus")
    group_ids = licensing_groups(pages)
    replies = http.batch_get({str(i): f"/groups/{g}?$select={GROUP_SELECT}"
                              for i, g in enumerate(group_ids)})
    for i, gid in enumerate(group_ids):  # a licensing group that cannot be read: say so
        if not replies[str(i)].ok:
            raise GraphError(f"GET /groups/{gid}", replies[str(i)])
    groups = [replies[str(i)].body for i in range(len(group_ids))]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in old:  # kept, not deleted: the admin may still want the earlier export
        target = folder / "replaced" / f"{stamp}-{path.name}"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
    users = sum(len(p["value"]) for p in pages)
    write_bytes_atomic(folder / "users.json", _dump(pages))
    write_bytes_atomic(folder / "subscriptions.json", _dump({"value": skus.get("value", [])}))
    write_bytes_atomic(folder / "groups.json", _dump({"value": groups}))
    info = {"tenant_id": tenant_id, "graph_url": http.base_url,
            "taken": datetime.now(UTC).isoformat(timespec="seconds"),
            "users": users, "pages": len(pages), "groups": len(groups),
            "tool": f"e4-playbook {playbook.__version__}"}
    write_bytes_atomic(folder / EXPORT_INFO, json_text(info).encode("utf-8"))
    shutil.rmtree(partial, ignore_errors=True)
    return Exported(folder, tenant_id, users, len(pages), len(groups), resumed)
