"""The local Graph's routes, free of any web framework: one request in, one answer out.

Both faces call :meth:`GraphService.handle`: the Starlette app over real sockets
(:mod:`graphsim.app`) and ``httpx.MockTransport`` in-process (:mod:`graphsim.transport`), so
they cannot disagree. Routes, under ``/v1.0``:

``GET /organization``, ``GET /subscribedSkus``, ``GET /users`` (paged, ``$select``, ``$top``,
``$filter=assignedLicenses/any(x:x/skuId eq {id})``), ``GET /users/{id|upn}``,
``PATCH /users/{id}`` (``usageLocation``), ``POST /users/{id}/assignLicense``, ``GET /groups``
(same paging and filter), ``GET /groups/{id}`` (each read moves licence processing on),
``GET /groups/{id}/members``, ``GET /groups/{id}/membersWithLicenseErrors``,
``POST /groups/{id}/assignLicense`` (202), ``POST /$batch``.

Shapes follow learn.microsoft.com/graph/api/user-list, user-assignlicense,
group-assignlicense, subscribedsku-list, resources/licenseprocessingstate,
learn.microsoft.com/graph/json-batching (at most 20 requests, unique ids, ``dependsOn`` and 424,
a body needs ``Content-Type``, answers in any order), learn.microsoft.com/graph/throttling
(429 with ``Retry-After``, per item in a batch) and learn.microsoft.com/graph/errors.
Every request needs ``Authorization: Bearer <token>``; only the token's presence is kept.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from graphsim.clock import VirtualClock
from graphsim.errors import GraphError, bad_request
from graphsim.faults import Faults
from graphsim.model import GraphTenant
from graphsim.records import (
    GraphGroup,
    GraphSku,
    GraphUser,
    RequestRecord,
    WriteDetail,
    WriteRecord,
)

BATCH_LIMIT = 20
PAGE_DEFAULT, PAGE_MAX = 100, 999
USER_DEFAULT = ("businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
                "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                "userPrincipalName")
USER_PROPERTIES = frozenset((*USER_DEFAULT, "accountEnabled", "department", "usageLocation",
                             "assignedLicenses", "licenseAssignmentStates"))
GROUP_DEFAULT = ("id", "displayName", "description", "groupTypes", "mailEnabled",
                 "securityEnabled")
GROUP_PROPERTIES = frozenset((*GROUP_DEFAULT, "assignedLicenses", "licenseProcessingState"))
SKU_FILTER = re.compile(
    r"^assignedLicenses/any\((\w+):\s*\1/skuId\s+eq\s+'?([0-9a-fA-F-]{36})'?\)$")


@dataclass(frozen=True)
class SimRequest:
    """A request as both faces hand it over; ``path`` is below ``/v1.0``."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-case names."""
    body: Any
    """The raw bytes as received (``handle`` parses them); parsed JSON (or None) below it."""
    base_url: str
    """``http://host:port/v1.0``, for ``@odata.nextLink``."""


@dataclass
class SimResponse:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class WriteBucket:
    """Graph's write quota as a token bucket on the virtual clock."""

    def __init__(self, capacity: int, window: float, clock: VirtualClock) -> None:
        self.capacity, self.rate, self.clock = capacity, capacity / window, clock
        self.tokens, self.last = float(capacity), clock.now()

    def _refill(self) -> None:
        now = self.clock.now()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def take(self) -> float | None:
        """Spend one write; None when allowed, else the seconds until one is available."""
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return None
        return (1 - self.tokens) / self.rate

    def used_share(self) -> float:
        self._refill()
        return (self.capacity - self.tokens) / self.capacity


class GraphService:
    """One tenant behind Graph's routes, with its faults and clock."""

    def __init__(self, tenant: GraphTenant, faults: Faults | None = None,
                 clock: VirtualClock | None = None) -> None:
        self.tenant = tenant
        self.faults = faults if faults is not None else Faults()
        self.clock = clock if clock is not None else VirtualClock()
        quota = self.faults.write_quota
        self.bucket = WriteBucket(*quota, self.clock) if quota else None
        self.http_requests = 0
        self.batches = 0
        self.request_ids = 0
        self.throttled: dict[str, int] = {}

    # -- entry -----------------------------------------------------------------------------
    def handle(self, req: SimRequest) -> SimResponse:
        """Answer one HTTP request (a ``$batch`` envelope counts once)."""
        with self.tenant.lock:
            self.http_requests += 1
            request_id = self._request_id()
            auth = req.headers.get("authorization", "")
            had_token = auth.startswith("Bearer ") and bool(auth[7:].strip())
            if not had_token:
                resp = self._error(GraphError(401, "InvalidAuthenticationToken",
                                              "Access token is empty."), request_id)
            elif (parsed := _parsed(req)) is None:
                resp = self._error(GraphError(400, "BadRequest", "Unable to read JSON request "
                                              "payload. Please ensure Content-Type header is set "
                                              "and payload is of valid JSON format."), request_id)
            elif self.faults.fail_503_every and \
                    self.http_requests % self.faults.fail_503_every == 0:
                resp = self._error(GraphError(503, "serviceNotAvailable",
                                              "Service is temporarily unavailable.",
                                              {"Retry-After": "1"}), request_id)
            elif req.method == "POST" and req.path.rstrip("/") == "/$batch":
                resp = self._batch(parsed, request_id)
            else:
                resp = self._dispatch(parsed, request_id, item_id=None)
            self.tenant.requests.append(RequestRecord(self.clock.now(), req.method, req.path,
                                                      had_token, resp.status, False))
            resp.headers.setdefault("request-id", request_id)
            if "client-request-id" in req.headers:
                resp.headers["client-request-id"] = req.headers["client-request-id"]
            return resp

    def _request_id(self) -> str:
        self.request_ids += 1
        return f"00000000-0000-4000-8000-{self.request_ids:012x}"

    def _error(self, err: GraphError, request_id: str) -> SimResponse:
        body = {"error": {"code": err.code, "message": err.message,
                          "innerError": {"request-id": request_id, "date": self.clock.iso()}}}
        return SimResponse(err.status, body, dict(err.headers))

    # -- routing ---------------------------------------------------------------------------
    def _dispatch(self, req: SimRequest, request_id: str, item_id: str | None) -> SimResponse:
        try:
            return self._route(req, request_id, item_id)
        except GraphError as err:
            return self._error(err, request_id)

    def _route(self, req: SimRequest, request_id: str, item_id: str | None) -> SimResponse:
        parts = [unquote(p) for p in req.path.strip("/").split("/") if p]
        m = req.method
        match parts:
            case ["organization"] if m == "GET":
                return SimResponse(200, {"value": [{"id": self.tenant.tenant_id,
                                                    "displayName": self.tenant.display_name}]})
            case ["subscribedSkus"] if m == "GET":
                return SimResponse(200, {"@odata.context": f"{req.base_url}/$metadata#"
                                         "subscribedSkus",
                                         "value": [self._sku(s)
                                                   for s in self.tenant.skus.values()]})
            case ["users"] if m == "GET":
                users = self._filtered(list(self.tenant.users.values()), req)
                return self._page(req, users, lambda u, sel: self._user(u, sel),
                                  USER_DEFAULT, USER_PROPERTIES, "users")
            case ["users", ref] if m == "GET":
                sel = _select(req.query, USER_DEFAULT, USER_PROPERTIES, "user")
                return SimResponse(200, self._user(self.tenant.user(ref), sel))
            case ["users", ref] if m == "PATCH":
                return self._write(req, request_id, item_id, "user", ref)
            case ["users", ref, "assignLicense"] if m == "POST":
                return self._write(req, request_id, item_id, "user", ref)
            case ["groups"] if m == "GET":
                groups = self._filtered(list(self.tenant.groups.values()), req)
                return self._page(req, groups, self._group, GROUP_DEFAULT, GROUP_PROPERTIES,
                                  "groups")
            case ["groups", gid] if m == "GET":
                sel = _select(req.query, GROUP_DEFAULT, GROUP_PROPERTIES, "group")
                errors = self.faults.group_member_errors.get(gid.lower(), {})
                return SimResponse(200, self._group(self.tenant.read_group(gid, errors), sel))
            case ["groups", gid, "members" | "membersWithLicenseErrors" as which] if m == "GET":
                group = self.tenant.group(gid)
                users = [self.tenant.users[u] for u in group.members]
                if which == "membersWithLicenseErrors":
                    users = [u for u in users if any(g == group.id for g, _ in u.group_errors)]
                return self._page(req, users, self._member, USER_DEFAULT, USER_PROPERTIES,
                                  "directoryObjects")
            case ["groups", gid, "assignLicense"] if m == "POST":
                return self._write(req, request_id, item_id, "group", gid)
        raise GraphError(400, "BadRequest",
                         f"Resource not found for the segment '{parts[-1] if parts else ''}'.")

    # -- writes ----------------------------------------------------------------------------
    def _write(self, req: SimRequest, request_id: str, item_id: str | None, kind: str,
               ref: str) -> SimResponse:
        """A licence or usage-location write: fault throttling, the quota, then the model."""
        target = self._target_id(kind, ref)
        body_key = _body_key(req.body)
        if self._fault_throttled(item_id, ref, target):
            applied = False
            if self.faults.apply_despite_429:
                try:
                    applied = self._perform(req, kind, ref).status < 300
                except GraphError:
                    applied = False
            self._log(req, target, request_id, applied, 429, body_key)
            return self._throttled(self.faults.retry_after, request_id)
        if self.bucket is not None:
            wait = self.bucket.take()
            if wait is not None:
                self._log(req, target, request_id, False, 429, body_key)
                return self._throttled(f"{wait:.3f}", request_id)
        try:
            resp = self._perform(req, kind, ref)
        except GraphError as err:
            self._log(req, target, request_id, False, err.status, body_key)
            raise
        self._log(req, target, request_id, True, resp.status, body_key)
        self._usage_headers(resp)
        return resp

    def _perform(self, req: SimRequest, kind: str, ref: str) -> SimResponse:
        if kind == "group":
            group = self.tenant.assign_group_license(
                ref, req.body, self.faults.group_processing_polls,
                self.faults.group_member_errors.get(ref.lower(), {}))
            return SimResponse(202, self._group(group, GROUP_DEFAULT))
        if req.method == "PATCH":
            body = req.body if isinstance(req.body, dict) else {}
            unknown = sorted(set(body) - {"usageLocation"})
            if unknown or "usageLocation" not in body:
                raise bad_request("The local Graph only updates usageLocation "
                                  f"(got {sorted(body)}).")
            self.tenant.set_usage_location(ref, body["usageLocation"])
            return SimResponse(204)
        user = self.tenant.assign_user_license(ref, req.body)
        return SimResponse(200, self._user(user, USER_DEFAULT))

    def _target_id(self, kind: str, ref: str) -> str:
        try:
            return self.tenant.user(ref).id if kind == "user" else self.tenant.group(ref).id
        except GraphError:
            return ref.lower()

    def _fault_throttled(self, item_id: str | None, ref: str, target: str) -> bool:
        keys = {k for k in (item_id, ref.lower(), target) if k}
        if kind_user := self.tenant.users.get(target):
            keys.add(kind_user.upn)
        hit = next((k for k in self.faults.throttle_items if k.lower() in keys), None)
        if hit is None or self.throttled.get(hit, 0) >= self.faults.throttle_item_times:
            return False
        self.throttled[hit] = self.throttled.get(hit, 0) + 1
        return True

    def _throttled(self, retry_after: str, request_id: str) -> SimResponse:
        resp = self._error(GraphError(429, "TooManyRequests", "Please retry again later.",
                                      {"Retry-After": retry_after}), request_id)
        self._usage_headers(resp)
        return resp

    def _usage_headers(self, resp: SimResponse) -> None:
        if self.bucket is None:
            return
        used = self.bucket.used_share()
        if used >= self.faults.throttle_limit_percentage_header_from:
            resp.headers["x-ms-throttle-limit-percentage"] = f"{used:.1f}"
            resp.headers["x-ms-throttle-scope"] = "ApplicationAndTenant/Write"

    def _log(self, req: SimRequest, target: str, request_id: str, applied: bool, status: int,
             body_key: str) -> None:
        self.tenant.write_log.append(WriteRecord(self.clock.now(), req.method, req.path, target,
                                                 request_id, applied))
        self.tenant.write_details.append(WriteDetail(status, body_key))

    # -- $batch ----------------------------------------------------------------------------
    def _batch(self, req: SimRequest, request_id: str) -> SimResponse:
        self.batches += 1
        try:
            items = _batch_items(req.body)
        except GraphError as err:
            return self._error(err, request_id)
        every = self.faults.throttle_envelope_every
        if every and self.batches % every == 0:
            if self.faults.apply_despite_429:
                self._run_items(req, items)
            return self._throttled(self.faults.retry_after, request_id)
        answers = self._run_items(req, items)
        order = self.faults.batch_response_order
        if order == "reversed":
            answers.reverse()
        elif order == "shuffled":
            random.Random(self.faults.seed * 100003 + self.batches).shuffle(answers)
        return SimResponse(200, {"responses": answers})

    def _run_items(self, req: SimRequest, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each item in dependency order; a dependant of a failed item answers 424."""
        status: dict[str, int] = {}
        answers: list[dict[str, Any]] = []
        pending = list(items)
        while pending:
            ready = [i for i in pending if all(d in status for d in i.get("dependsOn") or [])]
            for item in ready:
                answer = self._item(req, item, status)
                status[item["id"]] = answer["status"]
                answers.append(answer)
            pending = [i for i in pending if i["id"] not in status]
        return answers

    def _item(self, req: SimRequest, item: dict[str, Any], status: dict[str, int]) -> dict:
        request_id = self._request_id()
        method = str(item.get("method", "")).upper()
        split = urlsplit(str(item.get("url", "")))
        headers = {k.lower(): str(v) for k, v in (item.get("headers") or {}).items()}
        path = "/" + split.path.lstrip("/")
        if path.startswith("/v1.0/"):
            path = path[len("/v1.0"):]
        failed = [d for d in item.get("dependsOn") or [] if status[d] >= 400]
        if failed:
            resp = self._error(GraphError(424, "FailedDependency",
                                          f"Request {failed[0]} this one depends on failed."),
                               request_id)
        elif "body" in item and "content-type" not in headers:
            resp = self._error(bad_request("Content-Type header is required for a request "
                                           "with a body."), request_id)
        elif path.rstrip("/") == "/$batch":
            resp = self._error(bad_request("A batch cannot contain a batch."), request_id)
        else:
            sub = SimRequest(method, path, dict(parse_qsl(split.query)),
                             {**req.headers, **headers}, item.get("body"), req.base_url)
            resp = self._dispatch(sub, request_id, item_id=str(item["id"]))
        self.tenant.requests.append(RequestRecord(self.clock.now(), method, path, True,
                                                  resp.status, True))
        out: dict[str, Any] = {"id": item["id"], "status": resp.status,
                               "headers": {**resp.headers, "request-id": request_id}}
        if resp.body is not None:
            out["headers"].setdefault("Content-Type", "application/json")
            out["body"] = resp.body
        return out

    # -- shapes ----------------------------------------------------------------------------
    def _page(self, req: SimRequest, items: list[Any], shape: Any, default: tuple[str, ...],
              allowed: frozenset[str], what: str) -> SimResponse:
        sel = _select(req.query, default, allowed, what)
        top = _int(req.query, "$top", PAGE_DEFAULT)
        if not 1 <= top <= PAGE_MAX:
            raise bad_request(f"Invalid page size specified: '{top}'. Must be between 1 and "
                              f"{PAGE_MAX} inclusive.")
        start = _int(req.query, "$skiptoken", 0)
        body: dict[str, Any] = {"@odata.context": f"{req.base_url}/$metadata#{what}",
                                "value": [shape(x, sel) for x in items[start:start + top]]}
        if start + top < len(items):
            query = {k: v for k, v in req.query.items() if k != "$skiptoken"}
            query["$skiptoken"] = str(start + top)
            body["@odata.nextLink"] = f"{req.base_url}{req.path}?{urlencode(query)}"
        return SimResponse(200, body)

    def _filtered(self, items: list[Any], req: SimRequest) -> list[Any]:
        text = (req.query.get("$filter") or req.query.get("filter") or "").strip()
        if not text:
            return items
        m = SKU_FILTER.match(text)
        if m is None:
            raise GraphError(400, "Request_UnsupportedQuery",
                             f"Unsupported or invalid query filter clause: {text}")
        sku = m.group(2).lower()
        if items and isinstance(items[0], GraphGroup):
            return [g for g in items if sku in g.assigned]
        return [u for u in items if sku in self.tenant.effective(u)]

    def _user(self, user: GraphUser, sel: tuple[str, ...]) -> dict[str, Any]:
        values = {
            "id": user.id, "userPrincipalName": user.upn, "displayName": user.display_name,
            "mail": user.upn, "department": user.department or None,
            "accountEnabled": user.account_enabled, "usageLocation": user.usage_location,
            "businessPhones": [], "givenName": None, "surname": None, "jobTitle": None,
            "mobilePhone": None, "officeLocation": None, "preferredLanguage": None,
        }
        if "assignedLicenses" in sel:
            values["assignedLicenses"] = [{"skuId": s, "disabledPlans": sorted(d)}
                                          for s, d in self.tenant.effective(user).items()]
        if "licenseAssignmentStates" in sel:
            values["licenseAssignmentStates"] = [
                {**p, "lastUpdatedDateTime": self.clock.iso()} for p in self.tenant.paths(user)]
        return {k: values[k] for k in sel}

    def _member(self, user: GraphUser, sel: tuple[str, ...]) -> dict[str, Any]:
        return {"@odata.type": "#microsoft.graph.user", **self._user(user, sel)}

    def _group(self, group: GraphGroup, sel: tuple[str, ...]) -> dict[str, Any]:
        values = {"id": group.id, "displayName": group.display_name, "description": None,
                  "groupTypes": [], "mailEnabled": False, "securityEnabled": True,
                  "assignedLicenses": [{"skuId": s, "disabledPlans": sorted(d)}
                                       for s, d in group.assigned.items()],
                  "licenseProcessingState": {"state": group.processing_state}}
        return {k: values[k] for k in sel}

    def _sku(self, sku: GraphSku) -> dict[str, Any]:
        return {
            "accountId": self.tenant.tenant_id, "accountName": self.tenant.display_name,
            "appliesTo": sku.applies_to, "capabilityStatus": sku.capability_status,
            "consumedUnits": self.tenant.consumed(sku.sku_id),
            "id": f"{self.tenant.tenant_id}_{sku.sku_id}",
            "prepaidUnits": {"enabled": sku.enabled, "lockedOut": sku.locked_out,
                             "suspended": sku.suspended, "warning": sku.warning},
            "servicePlans": [{"servicePlanId": i, "servicePlanName": n,
                              "provisioningStatus": s, "appliesTo": "User"}
                             for n, i, s in sku.service_plans],
            "skuId": sku.sku_id, "skuPartNumber": sku.part_number,
            "subscriptionIds": list(sku.subscription_ids),
        }


def _parsed(req: SimRequest) -> SimRequest | None:
    """``req`` with its body parsed from JSON; None when it is not JSON."""
    raw = req.body
    if not isinstance(raw, bytes | bytearray):
        return req
    try:
        return replace(req, body=json.loads(raw) if raw.strip() else None)
    except ValueError:
        return None


def _select(query: dict[str, str], default: tuple[str, ...], allowed: frozenset[str],
            what: str) -> tuple[str, ...]:
    text = query.get("$select") or query.get("select") or ""
    if not text:
        return default
    fields = tuple(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        raise GraphError(400, "BadRequest", f"Could not find a property named '{unknown[0]}' "
                         f"on type 'microsoft.graph.{what.rstrip('s')}'.")
    return ("id", *[f for f in fields if f != "id"]) if "id" not in fields else fields


def _int(query: dict[str, str], key: str, default: int) -> int:
    raw = query.get(key) or query.get(key.lstrip("$"))
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"Invalid value '{raw}' for {key}.") from None


def _batch_items(body: Any) -> list[dict[str, Any]]:
    """The envelope's requests, or the 400 Graph gives a malformed batch."""
    items = body.get("requests") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise GraphError(400, "BadRequest", "Invalid batch payload: 'requests' is required.")
    if len(items) > BATCH_LIMIT:
        raise GraphError(400, "BadRequest",
                         f"Number of requests in the batch exceeds the limit of {BATCH_LIMIT}.")
    ids = [str(i.get("id", "")) if isinstance(i, dict) else "" for i in items]
    if "" in ids or any(not i.get("method") or not i.get("url") for i in items):
        raise GraphError(400, "BadRequest", "Every batch request needs id, method and url.")
    if len(set(ids)) != len(ids):
        raise GraphError(400, "BadRequest", "Batch request ids must be unique.")
    known = set(ids)
    for item in items:
        item["id"] = str(item["id"])
        deps = item.get("dependsOn") or []
        if not isinstance(deps, list) or any(str(d) not in known or str(d) == item["id"]
                                             for d in deps):
            raise GraphError(400, "BadRequest",
                             f"Request {item['id']} depends on an id not in the batch.")
        item["dependsOn"] = [str(d) for d in deps]
    if _cyclic(items):
        raise GraphError(400, "BadRequest", "dependsOn forms a cycle.")
    return items


def _cyclic(items: list[dict[str, Any]]) -> bool:
    done: set[str] = set()
    pending = list(items)
    while pending:
        ready = [i for i in pending if all(d in done for d in i["dependsOn"])]
        if not ready:
            return True
        done |= {i["id"] for i in ready}
        pending = [i for i in pending if i["id"] not in done]
    return False


def _body_key(body: Any) -> str:
    """A canonical text of a write's body: the same change gives the same key."""
    if isinstance(body, dict) and isinstance(body.get("addLicenses"), list):
        add = sorted((str((a or {}).get("skuId", "")).lower(),
                      sorted(str(p).lower() for p in (a or {}).get("disabledPlans") or []))
                     for a in body["addLicenses"])
        remove = sorted(str(r).lower() for r in body.get("removeLicenses") or [])
        return json.dumps({"add": add, "remove": remove})
    return json.dumps(body, sort_keys=True, default=str)
