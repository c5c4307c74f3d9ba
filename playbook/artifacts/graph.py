"""Graph ``$batch`` bodies as JSON Lines: graph-batches.jsonl and rollback-batches.jsonl.

Line N is the body of batch N (at most 20 requests), ``{"requests": [...]}`` on one line, so
a batch is found by its number (``sed -n 7p``) and a whole plan is one file. A batch number
with no executed rows gets :data:`EMPTY_BATCH`, so the lines after it keep their numbers.

Graph rejects a batch that mixes dependent and independent requests, so a batch holding a
usage-location PATCH is made fully sequential (each request depends on the one before): the
PATCH runs before its user's assignLicense, and a failure stops the rest with 424.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pandas as pd

from playbook.planning import EXECUTED_KINDS

GRAPH_BATCHES = "graph-batches.jsonl"
ROLLBACK_BATCHES = "rollback-batches.jsonl"
EMPTY_BATCH = '{"requests":[]}'
"""The line of a batch number that has no executed rows (never written by ``build_plan``,
whose batches are 1..N without gaps): the lines after it keep their numbers."""

_GUID = r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_REQUEST_COLUMNS = ("action_id", "kind", "batch", "new_usage_location", "add_sku_id",
                    "remove_sku_id", "disabled_plan_ids_after")


def _user_url(upn: str) -> str:
    """``/users/{upn}`` (URL-encoded); a UPN starting with ``$`` in the key syntax, since
    Graph reads ``/users/$x`` as a system segment."""
    if upn.startswith("$"):
        return "/users('" + quote(upn.replace("'", "''"), safe="@$'") + "')"
    return "/users/" + quote(upn, safe="@")


def _request_paths(ex: pd.DataFrame) -> pd.Series:
    """Per executed row: ``/users/{id}`` (lower case) when the user id is a GUID, else the
    user by UPN; ``/groups/{id}`` for a group."""
    uid = ex["user_id"].astype(str)
    by_id = uid.str.fullmatch(_GUID).fillna(False).astype(bool)
    by_upn = ex.loc[~by_id, "upn"].astype(str).map(_user_url)
    path = ("/users/" + uid.str.lower()).where(by_id, by_upn)
    groups = ex["kind"] == "group-swap"
    return path.where(~groups, "/groups/" + ex["group_id"].map(lambda g: quote(g, safe="")))


def _request_body(kind: str, new_usage_location: str, add_sku_id: str,
                  disabled_plan_ids_after: Sequence[str], remove_sku_id: str) -> dict[str, Any]:
    """The body of one request: the usage location to set, or the licenses to add/remove."""
    if kind == "set-usage-location":
        return {"usageLocation": new_usage_location or None}
    add = []
    if add_sku_id:
        add = [{"skuId": add_sku_id, "disabledPlans": list(disabled_plan_ids_after)}]
    return {"addLicenses": add, "removeLicenses": [remove_sku_id] if remove_sku_id else []}


def graph_request(row: dict[str, Any]) -> dict[str, Any]:
    """One ``$batch`` request for one executed plan row (plan columns plus ``path``)."""
    patch = row["kind"] == "set-usage-location"
    return {"id": row["action_id"], "method": "PATCH" if patch else "POST",
            "url": row["path"] + ("" if patch else "/assignLicense"),
            "headers": {"Content-Type": "application/json"},
            "body": _request_body(row["kind"], row["new_usage_location"], row["add_sku_id"],
                                  row["disabled_plan_ids_after"], row["remove_sku_id"])}


def graph_batches(table: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """Batch number -> ``$batch`` body of ``table``'s executed rows, requests in table order,
    batches in number order."""
    ex = table[table["kind"].isin(EXECUTED_KINDS) & (table["batch"] > 0)]
    names = (*_REQUEST_COLUMNS, "path")
    columns = [ex[c].tolist() for c in _REQUEST_COLUMNS] + [_request_paths(ex).tolist()]
    by_batch: dict[int, list[dict[str, Any]]] = {}
    for values in zip(*columns, strict=True):
        row = dict(zip(names, values, strict=True))
        by_batch.setdefault(int(row["batch"]), []).append(graph_request(row))
    for requests in by_batch.values():
        if any(r["method"] == "PATCH" for r in requests):  # sequential: see the docstring
            for prev, request in zip(requests, requests[1:], strict=False):
                request["dependsOn"] = [prev["id"]]
    return {b: {"requests": by_batch[b]} for b in sorted(by_batch)}


def batch_lines(table: pd.DataFrame, lines: int = 0) -> bytes:
    """:func:`graph_batches` as JSON lines: line N is batch N in compact JSON (names kept
    as they are, UTF-8); a batch number without executed rows gets :data:`EMPTY_BATCH`, and
    there are at least ``lines`` lines."""
    bodies = graph_batches(table)
    last = max([lines, *bodies])
    return "".join((json.dumps(bodies[b], ensure_ascii=False, separators=(",", ":"))
                    if b in bodies else EMPTY_BATCH) + "\n"
                   for b in range(1, last + 1)).encode("utf-8")
