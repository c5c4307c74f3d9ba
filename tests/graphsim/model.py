"""A tenant as Microsoft Graph holds it: users, groups, SKUs, and the rules of licence writes.

Built from the same tenant folders the playbook reads (:meth:`GraphTenant.from_tenant_dir`, via
the playbook's own readers and catalog; :mod:`graphsim.build`), or made up at any size
(:meth:`GraphTenant.synthetic`). The rules it enforces, each with its source:

- ``assignLicense`` needs both ``addLicenses`` and ``removeLicenses``, and at least one change
  (learn.microsoft.com/graph/api/user-assignlicense; msgraph-sdk-powershell #3229, #3286, #3361).
- ``disabledPlans`` replaces what the SKU had; a plan id not in the SKU fails the call
  (OfficeDocs-SkypeForBusiness #4477, azure-docs #81269).
- A SKU the tenant has not bought fails; a SKU with no free seat
  (``prepaidUnits.enabled - consumedUnits``) fails for a user who does not hold it yet; a user
  holding a SKU both directly and through a group uses one seat
  (learn.microsoft.com/graph/api/resources/subscribedsku;
  learn.microsoft.com/entra/identity/users/licensing-group-advanced).
- A direct assignment needs a usage location; group licensing uses the directory's
  (CIPP #783; learn.microsoft.com/entra/identity/users/licensing-groups-assign).
- A licence inherited from a group cannot be removed from the user (CIPP #4090).
- ``POST /groups/{id}/assignLicense`` answers 202 and is processed later for every member; a
  member who cannot get one of the group's products gets none of them, and the error shows on
  the member's ``licenseAssignmentStates`` (learn.microsoft.com/graph/api/group-assignlicense;
  learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems).

Effective licences: one entry per SKU the user holds by any active path; a service plan is off
only when every path turns it off (what Graph's ``assignedLicenses`` shows).
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphsim import afterstate, build
from graphsim.errors import (
    INHERITED,
    INVALID_USAGE_LOCATION,
    MISSING_PARAMETERS,
    NO_CHANGES,
    NO_SEATS,
    NOT_HELD,
    PLAN_NOT_IN_SKU,
    UNKNOWN_SKU,
    bad_request,
    not_found,
)
from graphsim.records import (
    COMPLETE,
    DEFAULT_TENANT_ID,
    PROCESSING_STEPS,
    GraphGroup,
    GraphSku,
    GraphUser,
    Licenses,
    RequestRecord,
    WriteDetail,
    WriteRecord,
)

__all__ = ["GraphGroup", "GraphSku", "GraphTenant", "GraphUser", "RequestRecord",
           "WriteDetail", "WriteRecord"]


@dataclass
class GraphTenant:
    """One tenant as Graph holds it, with the state readers tests assert on."""

    tenant_id: str = DEFAULT_TENANT_ID
    display_name: str = "Contoso"
    target: str = ""
    users: dict[str, GraphUser] = field(default_factory=dict)
    groups: dict[str, GraphGroup] = field(default_factory=dict)
    skus: dict[str, GraphSku] = field(default_factory=dict)
    write_log: list[WriteRecord] = field(default_factory=list)
    write_details: list[WriteDetail] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    _by_upn: dict[str, str] = field(default_factory=dict, repr=False)
    _held: Counter[str] = field(default_factory=Counter, repr=False)
    initial: dict[str, Any] = field(default_factory=dict, repr=False)
    """The state at construction (:meth:`snapshot`), for :meth:`after_state_matches`."""

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_tenant_dir(cls, path: Path, tenant_id: str = DEFAULT_TENANT_ID) -> GraphTenant:
        """The tenant a sample folder describes (``tenant.yaml``, ``users.*``,
        ``subscriptions.*``), read with the playbook's own readers (:mod:`graphsim.build`)."""
        return build.tenant_from_dir(cls(tenant_id=tenant_id), Path(path))

    @classmethod
    def synthetic(cls, n_users: int, seed: int = 0, group_share: float = 0.2) -> GraphTenant:
        """A made-up tenant of ``n_users`` (``playbook.testing.synth``): about 70% hold E4,
        ``group_share`` of all users through one of two groups; enough target seats."""
        return build.tenant_from_synth(cls(), n_users, seed, group_share)

    def finish(self) -> GraphTenant:
        """Index users by UPN, count held seats and remember the initial state."""
        self._by_upn = {u.upn.lower(): u.id for u in self.users.values()}
        self._held = Counter()
        for user in self.users.values():
            self._held.update(self._held_skus(user))
        self.initial = self.snapshot()
        return self

    # -- readers -------------------------------------------------------------------------------
    def user(self, ref: str) -> GraphUser:
        """A user by object id or UPN (case-insensitive), else Graph's 404."""
        key = ref.strip().lower()
        user = self.users.get(key) or self.users.get(self._by_upn.get(key, ""))
        if user is None:
            raise not_found(ref)
        return user

    def group(self, group_id: str) -> GraphGroup:
        group = self.groups.get(group_id.strip().lower())
        if group is None:
            raise not_found(group_id)
        return group

    def paths(self, user: GraphUser) -> list[dict[str, Any]]:
        """The user's ``licenseAssignmentStates``: one per (path, SKU), errors included."""
        out = [{"skuId": s, "disabledPlans": sorted(d), "assignedByGroup": None, "state": "Active",
                "error": "None"} for s, d in user.direct.items()]
        out += [{"skuId": s, "disabledPlans": [], "assignedByGroup": None, "state": "Error",
                 "error": e} for s, e in user.direct_errors.items()]
        for gid in user.groups:
            for sku, disabled in self.groups[gid].applied.items():
                error = user.group_errors.get((gid, sku))
                out.append({"skuId": sku, "disabledPlans": sorted(disabled),
                            "assignedByGroup": gid, "state": "Error" if error else "Active",
                            "error": error or "None"})
        return out

    def effective(self, user: GraphUser) -> Licenses:
        """``assignedLicenses``: per SKU held by an active path, plans off on every path."""
        out: dict[str, frozenset[str]] = dict(user.direct)
        for gid in user.groups:
            for sku, disabled in self.groups[gid].applied.items():
                if (gid, sku) in user.group_errors:
                    continue
                out[sku] = out[sku] & disabled if sku in out else disabled
        return out

    def _held_skus(self, user: GraphUser) -> set[str]:
        return set(self.effective(user))

    def user_licenses(self, upn: str) -> Licenses:
        """skuId -> disabled plan ids, direct and inherited, as Graph's assignedLicenses."""
        with self.lock:
            return self.effective(self.user(upn))

    def direct_licenses(self, upn: str) -> Licenses:
        """Only the user's direct assignments."""
        with self.lock:
            return dict(self.user(upn).direct)

    def group_licenses(self, group_id: str) -> Licenses:
        """What the group assigns (its ``assignedLicenses``)."""
        with self.lock:
            return dict(self.group(group_id).assigned)

    def consumed(self, sku_id: str) -> int:
        """Live ``consumedUnits``."""
        return self._held[sku_id] + self.skus[sku_id].offset

    def free_seats(self, sku_id: str) -> int:
        return self.skus[sku_id].enabled - self.consumed(sku_id)

    def sku_by_part(self, part: str) -> GraphSku | None:
        return next((s for s in self.skus.values() if s.part_number.lower() == part.lower()),
                    None)

    def snapshot(self) -> dict[str, Any]:
        """Every user's effective licences, errors and usage location; every group's licences."""
        with self.lock:
            return {
                "users": {u.id: (self.effective(u), self.errors_of(u), u.usage_location)
                          for u in self.users.values()},
                "groups": {g.id: dict(g.assigned) for g in self.groups.values()},
            }

    def errors_of(self, user: GraphUser) -> frozenset[tuple[str, str]]:
        """(skuId, error code) of every path in Error."""
        return frozenset({(s, e) for (_, s), e in user.group_errors.items()}
                         | set(user.direct_errors.items()))

    def writes_applied_after_success(self) -> list[WriteRecord]:
        """Writes that repeated the last applied write to the same user or group, unchanged:
        "a write sent twice after it had succeeded" (a 429'd write that was applied counts as
        succeeded: the client should have re-read before re-sending)."""
        last: dict[str, str] = {}
        repeats: list[WriteRecord] = []
        with self.lock:
            for record, detail in zip(self.write_log, self.write_details, strict=True):
                target = record.user_or_group_id
                if last.get(target) == detail.body_key:
                    repeats.append(record)
                if record.applied:
                    last[target] = detail.body_key
        return repeats

    def after_state_matches(self, plan_dir: Path, batches: set[int] | None = None) -> list[str]:
        """Every user/group whose final licences differ from the plan's after-state
        (:mod:`graphsim.afterstate`); empty when the tenant ended as planned."""
        with self.lock:
            return afterstate.differences(self, Path(plan_dir), batches)

    # -- writes ---------------------------------------------------------------------------------
    def assign_user_license(self, ref: str, body: Any) -> GraphUser:
        """``POST /users/{id}/assignLicense``: validate everything, then change the user."""
        with self.lock:
            user = self.user(ref)
            add, remove = self._license_changes(body)
            for sku in remove:
                if sku not in user.direct:
                    inherited = any(sku in self.groups[g].applied for g in user.groups)
                    raise bad_request(INHERITED if inherited else NOT_HELD)
            if add and not user.usage_location:
                raise bad_request(INVALID_USAGE_LOCATION)
            held = self._held_skus(user)
            for sku in add:
                if sku not in held and sku not in remove and self.free_seats(sku) < 1:
                    raise bad_request(NO_SEATS.format(sku=sku))
            self._change(user, lambda: _apply(user.direct, add, remove))
            return user

    def assign_group_license(self, group_id: str, body: Any, polls: int,
                             member_errors: dict[str, str] | None = None) -> GraphGroup:
        """``POST /groups/{id}/assignLicense``: the group changes now; members when processing
        completes, after ``polls`` reads (0 = at once, with ``member_errors``)."""
        with self.lock:
            group = self.group(group_id)
            add, remove = self._license_changes(body)
            missing = [s for s in remove if s not in group.assigned]
            if missing:
                raise bad_request(f"License {missing[0]} is not assigned to the group.")
            _apply(group.assigned, add, remove)
            group.polls, group.reads = max(0, polls), 0
            group.processing_state = PROCESSING_STEPS[0]
            if group.polls == 0:
                self.complete_group(group, member_errors or {})
            return group

    def set_usage_location(self, ref: str, location: Any) -> GraphUser:
        """``PATCH /users/{id}`` with ``usageLocation`` (two-letter ISO 3166 code)."""
        with self.lock:
            user = self.user(ref)
            if not (isinstance(location, str) and len(location) == 2 and location.isalpha()):
                raise bad_request(f"Invalid value specified for property 'usageLocation' of "
                                  f"resource 'User': {location!r}.")
            user.usage_location = location.upper()
            return user

    def read_group(self, group_id: str, member_errors: dict[str, str]) -> GraphGroup:
        """A read of the group: moves its processing one step; the read after the last
        step completes it for every member (``member_errors``: forced errors per user id)."""
        with self.lock:
            group = self.group(group_id)
            if group.processing_state == COMPLETE:
                return group
            group.reads += 1
            if group.reads <= group.polls:
                # Queued on the first read (when there are several), then in progress
                first = group.reads == 1 and group.polls > 1
                group.processing_state = PROCESSING_STEPS[0 if first else 1]
                return group
            self.complete_group(group, member_errors)
            return group

    def complete_group(self, group: GraphGroup, member_errors: dict[str, str]) -> None:
        """Apply the group's licences to every member, in member order; a member who cannot
        get one of them (no seat, or a forced error) gets none of them."""
        old = group.applied
        members = [self.users[uid] for uid in group.members]
        before = {user.id: self._held_skus(user) for user in members}
        group.applied = dict(group.assigned)
        for user in members:  # seats are counted member by member, as they run out
            self._inherit(user, group, old, member_errors)
            self._recount(before[user.id], self._held_skus(user))
        group.processing_state = COMPLETE

    def settle(self, member_errors: dict[str, dict[str, str]] | None = None) -> None:
        """Complete every group still processing (as if someone waited long enough)."""
        with self.lock:
            for group in self.groups.values():
                if group.processing_state != COMPLETE:
                    self.complete_group(group, (member_errors or {}).get(group.id, {}))

    # -- internals ------------------------------------------------------------------------------
    def _inherit(self, user: GraphUser, group: GraphGroup, old: Licenses,
                 member_errors: dict[str, str]) -> None:
        for key in [k for k in user.group_errors if k[0] == group.id]:
            del user.group_errors[key]
        error = member_errors.get(user.id)
        if error is None:
            # seats: this member's held set without this group's old paths, then the new ones
            others = self._held_without(user, group.id)
            needs = [s for s in group.applied if s not in others and s not in old]
            if any(self.free_seats(s) < 1 for s in needs):
                error = "CountViolation"
        if error:
            user.group_errors.update({(group.id, s): error for s in group.applied})

    def _held_without(self, user: GraphUser, group_id: str) -> set[str]:
        held = set(user.direct)
        for gid in user.groups:
            if gid != group_id:
                held |= {s for s in self.groups[gid].applied
                         if (gid, s) not in user.group_errors}
        return held

    def _change(self, user: GraphUser, mutate: Any) -> None:
        """Run ``mutate`` and keep the seat counts in step with what the user holds."""
        before = self._held_skus(user)
        mutate()
        self._recount(before, self._held_skus(user))

    def _recount(self, before: set[str], after: set[str]) -> None:
        self._held.subtract(before - after)
        self._held.update(after - before)

    def _license_changes(self, body: Any) -> tuple[Licenses, list[str]]:
        """The body's (adds, removes), checked as Graph checks them."""
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.")
        missing = [k for k in ("addLicenses", "removeLicenses") if body.get(k) is None]
        if missing:
            raise bad_request(MISSING_PARAMETERS.format(names=", ".join(missing)))
        add_list, remove_list = body["addLicenses"], body["removeLicenses"]
        if not isinstance(add_list, list) or not isinstance(remove_list, list):
            raise bad_request("addLicenses and removeLicenses must be arrays.")
        if not add_list and not remove_list:
            raise bad_request(NO_CHANGES)
        add: dict[str, frozenset[str]] = {}
        for item in add_list:
            sku_id = str((item or {}).get("skuId") or "").strip().lower()
            sku = self.skus.get(sku_id)
            if sku is None:
                raise bad_request(UNKNOWN_SKU.format(sku=sku_id or "(empty)"))
            disabled = frozenset(str(p).strip().lower() for p in item.get("disabledPlans") or [])
            stray = sorted(disabled - sku.plan_ids) if sku.service_plans else []
            if stray:
                raise bad_request(PLAN_NOT_IN_SKU.format(plan=stray[0], sku=sku_id))
            add[sku_id] = disabled
        remove = [str(s).strip().lower() for s in remove_list]
        for sku_id in remove:
            if sku_id not in self.skus:
                raise bad_request(UNKNOWN_SKU.format(sku=sku_id))
        if set(add) & set(remove):
            raise bad_request("The same license cannot be both added and removed.")
        return add, remove


def _apply(licenses: Licenses, add: Licenses, remove: list[str]) -> None:
    """``disabledPlans`` replaces: an added SKU's whole set of plans off is what was sent."""
    for sku in remove:
        licenses.pop(sku, None)
    licenses.update(add)


