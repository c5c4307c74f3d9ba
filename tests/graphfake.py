"""A tiny Graph of our own behind ``httpx.MockTransport`` for the client's unit tests: a few
users and a group, the routes apply and export use, and the faults each test needs (item and
envelope 429s, applied or not, 400s, slow group processing, member errors).

The full local Graph is ``tests/graphsim`` (end-to-end tests); this one is small on purpose, so
each unit test states its fault in one line and counts exactly what reached the server.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from playbook.artifacts import write_artifacts
from playbook.graph.session import Connection, run_export
from playbook.plan import build_plan
from playbook.tenant import load_tenant

E4 = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06"
SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
TENANT = "00000000-0000-0000-0000-0000000000aa"
BASE = "http://127.0.0.1:9/v1.0"

_PLANS = {"EXCHANGE_S_ENTERPRISE": "efb87545-963c-4e0d-99df-69c6916d9eb0", "SWAY": SWAY,
          "TEAMS1": "57ff2da0-773e-42df-b2af-ffb7a2317929"}


def sku(sku_id: str, part: str, enabled: int, consumed: int) -> dict[str, Any]:
    return {"skuId": sku_id, "skuPartNumber": part, "appliesTo": "User",
            "capabilityStatus": "Enabled", "consumedUnits": consumed,
            "prepaidUnits": {"enabled": enabled, "suspended": 0, "warning": 0},
            "servicePlans": [{"servicePlanId": i, "servicePlanName": n, "appliesTo": "User",
                              "provisioningStatus": "Success"} for n, i in _PLANS.items()]}


def user(n: int, *, off: tuple[str, ...] = (), location: str = "DK",
         group: str = "") -> dict[str, Any]:
    uid = f"fa000000-0000-4000-8000-{n:012d}"
    states = [{"skuId": E4, "assignedByGroup": group or None, "disabledPlans": list(off),
               "state": "Active", "error": "None"}]
    return {"id": uid, "userPrincipalName": f"user{n}@contoso.example",
            "displayName": f"User {n}", "department": "Sales", "usageLocation": location,
            "accountEnabled": True, "licenseAssignmentStates": states}


@dataclass
class FakeGraph:
    """The tenant and its faults; ``writes`` lists (path, applied) of every write received."""

    users: dict[str, dict[str, Any]]
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    skus: list[dict[str, Any]] = field(default_factory=list)
    tenant_id: str = TENANT
    page_size: int = 2
    writes: list[tuple[str, bool]] = field(default_factory=list)
    throttle_items: dict[str, bool] = field(default_factory=dict)
    """user id -> applied anyway? Its next write answers 429 (once)."""
    envelope_429: int = 0
    """The next N ``$batch`` envelopes holding writes answer 429 and apply nothing."""
    retry_after: str = "1.5"
    group_polls: int = 2
    member_errors: dict[str, str] = field(default_factory=dict)
    """user id -> error their group assignment ends in."""
    _polls: dict[str, int] = field(default_factory=dict)

    # -- the model ------------------------------------------------------------------------

    def view(self, u: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(u)
        out["assignedLicenses"] = [{"skuId": s["skuId"], "disabledPlans": s["disabledPlans"]}
                                   for s in u["licenseAssignmentStates"] if s["error"] == "None"]
        return out

    def direct(self, uid: str) -> dict[str, list[str]]:
        return {s["skuId"]: s["disabledPlans"] for s in self.users[uid]["licenseAssignmentStates"]
                if not s["assignedByGroup"]}

    def assign_user(self, uid: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        u = self.users.get(uid)
        if u is None:
            return 404, _error("Request_ResourceNotFound", "no such user")
        if body["addLicenses"] and not u["usageLocation"]:
            return 400, _error("Request_BadRequest", "invalid usage location")
        direct = self.direct(uid)
        if any(r not in direct for r in body["removeLicenses"]):
            return 400, _error("Request_BadRequest", "license is inherited or not assigned")
        keep = [s for s in u["licenseAssignmentStates"]
                if s["assignedByGroup"] or (s["skuId"] not in body["removeLicenses"]
                                            and s["skuId"] not in
                                            {a["skuId"] for a in body["addLicenses"]})]
        keep += [{"skuId": a["skuId"], "assignedByGroup": None, "state": "Active",
                  "disabledPlans": list(a["disabledPlans"]), "error": "None"}
                 for a in body["addLicenses"]]
        u["licenseAssignmentStates"] = keep
        return 200, self.view(u)

    def assign_group(self, gid: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        g = self.groups[gid]
        lic = [a for a in g["assignedLicenses"] if a["skuId"] not in body["removeLicenses"]]
        g["assignedLicenses"] = lic + body["addLicenses"]
        g["licenseProcessingState"] = {"state": "QueuedForProcessing"}
        self._polls[gid] = self.group_polls
        for uid in g["members"]:
            u = self.users[uid]
            u["licenseAssignmentStates"] = [
                s for s in u["licenseAssignmentStates"] if s["assignedByGroup"] != gid] + [
                {"skuId": a["skuId"], "assignedByGroup": gid, "state": "Active",
                 "disabledPlans": a["disabledPlans"],
                 "error": self.member_errors.get(uid, "None")} for a in g["assignedLicenses"]]
        return 202, {}

    def read_group(self, gid: str) -> dict[str, Any]:
        g = self.groups[gid]
        if self._polls.get(gid, 0) > 0:
            self._polls[gid] -= 1
            if not self._polls[gid]:
                g["licenseProcessingState"] = {"state": "ProcessingComplete"}
        return {k: v for k, v in g.items() if k != "members"}

    # -- the routes -----------------------------------------------------------------------

    def route(self, method: str, url: str, body: Any) -> tuple[int, Any, dict[str, str]]:
        path = re.sub(r"^.*?/v1\.0", "", url)
        path, _, query = path.partition("?")
        if method == "GET" and path == "/organization":
            return 200, {"value": [{"id": self.tenant_id}]}, {}
        if method == "GET" and path == "/subscribedSkus":
            return 200, {"value": self.skus}, {}
        if method == "GET" and path == "/users":
            skip = int(re.search(r"skip=(\d+)", query).group(1)) if "skip=" in query else 0
            ids = sorted(self.users)
            page = {"value": [self.view(self.users[i]) for i in ids[skip:skip + self.page_size]]}
            if skip + self.page_size < len(ids):
                page["@odata.nextLink"] = f"{BASE}/users?skip={skip + self.page_size}"
            return 200, page, {}
        m = re.fullmatch(r"/users/([^/]+)(/assignLicense)?", path)
        if m:
            uid = m.group(1)
            if method == "PATCH":
                self.writes.append((path, True))
                self.users[uid].update(body)
                return 204, None, {}
            if method == "GET":
                found = self.users.get(uid)
                return (200, self.view(found), {}) if found else (
                    404, _error("Request_ResourceNotFound", "no user"), {})
            if uid in self.throttle_items:
                applied = self.throttle_items.pop(uid)
                if applied:
                    self.assign_user(uid, body)
                self.writes.append((path, applied))
                return 429, _error("TooManyRequests", "throttled"), {
                    "Retry-After": self.retry_after}
            status, out = self.assign_user(uid, body)
            self.writes.append((path, status == 200))
            return status, out, {}
        m = re.fullmatch(r"/groups/([^/]+)(/assignLicense|/members)?", path)
        if m:
            gid, tail = m.group(1), m.group(2)
            if tail == "/assignLicense":
                status, out = self.assign_group(gid, body)
                self.writes.append((path, True))
                return status, out, {}
            if tail == "/members":
                return 200, {"value": [self.view(self.users[u])
                                       for u in self.groups[gid]["members"]]}, {}
            return 200, self.read_group(gid), {}
        return 404, _error("Request_ResourceNotFound", f"no route {method} {path}"), {}

    def batch(self, requests: list[dict[str, Any]]) -> tuple[int, Any, dict[str, str]]:
        if any(r["method"] != "GET" for r in requests) and self.envelope_429:
            self.envelope_429 -= 1
            return 429, _error("TooManyRequests", "throttled"), {"Retry-After": self.retry_after}
        out: list[dict[str, Any]] = []
        failed: set[str] = set()
        for r in requests:  # in order (dependsOn), answered out of order as Graph may
            if set(r.get("dependsOn") or ()) & failed:
                status, body, headers = 424, _error("FailedDependency", "dependency"), {}
            else:
                status, body, headers = self.route(r["method"], r["url"], r.get("body"))
            if status >= 400:
                failed.add(r["id"])
            out.append({"id": r["id"], "status": status, "headers": headers, "body": body})
        return 200, {"responses": out[::-1]}, {}

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert request.url.host == "127.0.0.1"
        assert request.headers.get("authorization", "").startswith("Bearer ")
        body = json.loads(request.content) if request.content else None
        if request.url.path.endswith("/$batch"):
            status, data, headers = self.batch(body["requests"])
        else:
            status, data, headers = self.route(request.method, str(request.url), body)
        return httpx.Response(status, json=data, headers=headers)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def writes_to(self, uid: str) -> list[bool]:
        return [applied for path, applied in self.writes if uid in path]


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message,
                      "innerError": {"request-id": "req-1", "date": "2026-12-06T09:00:00"}}}


class VirtualClock:
    """Time that moves only when slept."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


GROUP = "9a000000-0000-4000-8000-000000000001"
HOOKS = {"E4_GRAPH_URL": BASE, "E4_GRAPH_TOKEN": "not-a-real-token"}


def make_fake(**faults: Any) -> FakeGraph:
    """Six direct E4 users (user 2 with Sway off), user 7 without usage location, users 8-10
    inheriting E4 from GROUP; seats for everyone."""
    users = {u["id"]: u for u in (
        [user(n) for n in (1, 3, 4, 5, 6)] + [user(2, off=(SWAY,)), user(7, location="")]
        + [user(n, group=GROUP) for n in (8, 9, 10)])}
    group = {"id": GROUP, "displayName": "E4 users",
             "assignedLicenses": [{"skuId": E4, "disabledPlans": []}],
             "licenseProcessingState": {"state": "ProcessingComplete"},
             "members": [u for u in users if users[u]["licenseAssignmentStates"][0][
                 "assignedByGroup"]]}
    return FakeGraph(users=users, groups={GROUP: group},
                     skus=[sku(E4, "ENTERPRISEWITHSCAL", 20, 10), sku(E5, "SPE_E5", 50, 0)],
                     **faults)


def conn(fake: FakeGraph, clock: VirtualClock) -> Connection:
    return replace(Connection.from_env(env=HOOKS), client=fake.client(), clock=clock)


def planned(tmp_path: Path, fake: FakeGraph, clock: VirtualClock,
            yaml: str = "") -> tuple[Path, Path, str]:
    """Export the fake tenant, plan it, write the plan: (tenant dir, plan dir, plan id)."""
    tenant_dir = tmp_path / "contoso"
    tenant_dir.mkdir()
    (tenant_dir / "tenant.yaml").write_text("name: contoso\ntarget: SPE_E5\n" + yaml)
    run_export(tenant_dir, conn(fake, clock), show=lambda _: None)
    plan = build_plan(load_tenant(tenant_dir))
    return tenant_dir, write_artifacts(plan, tmp_path / "run"), plan.plan_id


