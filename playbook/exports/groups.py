"""groups.json: the licensing groups' display names, so pages can name a group as the admin
knows it (Entra admin center > Groups) rather than by its id.

``e4-playbook export`` writes it (``GET /groups/{id}?$select=id,displayName,...`` for each group
a user inherits a licence from), in Graph's shape ``{"value": [{"id": ..., "displayName":
...}, ...]}``. It is optional: without it a group is shown by its id. Only names are read
here; what a group assigns comes from the users export's licenseAssignmentStates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playbook.errors import InputError
from playbook.exports.graph_json import load_json

_FIX = "error.groups-json.fix"
"""One fix for every problem in groups.json (a catalog key)."""


def read_group_names(path: str | Path) -> dict[str, str]:
    """Group id (lower case) -> display name, from a Graph groups response."""
    path = Path(path)
    doc = load_json(path)
    groups = doc.get("value") if isinstance(doc, dict) else None
    if not isinstance(groups, list):
        raise InputError(path, "error.groups-json.no-value-list", fix=_FIX)
    return dict(_name(path, i, g) for i, g in enumerate(groups))


def _name(path: Path, i: int, group: Any) -> tuple[str, str]:
    """One group's (id, display name); a group without an id, or a name that is not text, is
    refused naming its place in the file."""
    where = f"value[{i}]"
    if not isinstance(group, dict) or not isinstance(group.get("id"), str) or not group["id"]:
        raise InputError(path, "error.groups-json.no-id", column=f"{where}.id", fix=_FIX)
    name = group.get("displayName")
    if name is not None and not isinstance(name, str):
        raise InputError(path, "error.groups-json.name-not-text", column=f"{where}.displayName",
                         value=name, fix=_FIX)
    return group["id"].strip().lower(), (name or "").strip()
