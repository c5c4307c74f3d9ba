"""The plain records of the local Graph: users, groups, SKUs, and what it was sent.

Kept apart from :mod:`graphsim.model` so the builders and the after-state check can make and
read them without importing the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

DEFAULT_TENANT_ID = "00000000-0000-0000-0000-0000000000aa"
PROCESSING_STEPS = ("QueuedForProcessing", "ProcessingInProgress")
COMPLETE = "ProcessingComplete"

Licenses = dict[str, frozenset[str]]
"""skuId -> disabled service-plan ids (lower-case)."""


class WriteRecord(NamedTuple):
    """One write the local Graph received, whether or not it changed anything."""

    virtual_time: float
    method: str
    path: str
    user_or_group_id: str
    request_id: str
    applied: bool


@dataclass(frozen=True)
class WriteDetail:
    """What :class:`WriteRecord` leaves out: the answer and what was asked (same index)."""

    status: int
    body_key: str
    """A canonical form of the request body, to tell a repeated write."""


@dataclass(frozen=True)
class RequestRecord:
    """One request (an HTTP request or one ``$batch`` item): token present, answer status."""

    virtual_time: float
    method: str
    path: str
    had_token: bool
    status: int
    in_batch: bool


@dataclass
class GraphSku:
    """One ``subscribedSku``. ``consumedUnits`` is live: users holding it plus ``offset``."""

    sku_id: str
    part_number: str
    enabled: int
    service_plans: tuple[tuple[str, str, str], ...] = ()
    """(servicePlanName, servicePlanId, provisioningStatus)."""
    warning: int = 0
    suspended: int = 0
    locked_out: int = 0
    applies_to: str = "User"
    capability_status: str = "Enabled"
    subscription_ids: tuple[str, ...] = ()
    offset: int = 0
    """consumedUnits the export showed beyond the users modelled (may be negative)."""

    @property
    def plan_ids(self) -> frozenset[str]:
        return frozenset(pid.lower() for _, pid, _ in self.service_plans)


@dataclass
class GraphUser:
    """A user: direct licences, group memberships and per-path errors."""

    id: str
    upn: str
    display_name: str = ""
    department: str = ""
    account_enabled: bool = True
    usage_location: str | None = None
    direct: Licenses = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    group_errors: dict[tuple[str, str], str] = field(default_factory=dict)
    """(group id, skuId) -> error code of an inherited path in ``Error`` (not held)."""
    direct_errors: dict[str, str] = field(default_factory=dict)
    """skuId -> error code of a direct path in ``Error`` (from an export; not held)."""


@dataclass
class GraphGroup:
    """A licensing group. ``assigned`` is what it assigns; ``applied`` what members inherit
    now (it catches up with ``assigned`` when processing completes)."""

    id: str
    display_name: str
    members: list[str] = field(default_factory=list)
    assigned: Licenses = field(default_factory=dict)
    applied: Licenses = field(default_factory=dict)
    processing_state: str = COMPLETE
    polls: int = 0
    """Reads that show the last assignLicense still processing."""
    reads: int = 0
