"""Faults on demand: how the local Graph misbehaves the way the real one does.

Every knob defaults to "off" except what Graph always does (group processing takes a couple of
reads; ``$batch`` answers come back out of order). Sources for each behaviour:

- 429 on the envelope or on single ``$batch`` items, each item with its own ``Retry-After``
  (seconds, fractions such as ``2.128``, or an HTTP date): learn.microsoft.com/graph/throttling
  and learn.microsoft.com/graph/json-batching.
- A 429'd write that was applied anyway (re-read before re-sending): Microsoft Q&A 5529013,
  summarized in ``shared/docs/graph-apply.md``.
- 503/504 are transient: learn.microsoft.com/graph/errors.
- Graph's write quota, about 3,000 writes per 150 s per app and tenant, a token bucket:
  learn.microsoft.com/graph/throttling-limits (identity and access service);
  ``x-ms-throttle-limit-percentage`` appears from 80% use.
- Group licensing is asynchronous (202, ``licenseProcessingState``) and its errors land on the
  members (``CountViolation``...): learn.microsoft.com/graph/api/group-assignlicense,
  learn.microsoft.com/entra/identity/users/licensing-groups-resolve-problems.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import format_datetime

from graphsim.clock import VirtualClock

GRAPH_WRITE_QUOTA: tuple[int, float] = (3000, 150.0)
"""Writes per window (seconds) per app and tenant, Graph's identity-service write quota."""

BATCH_ORDERS = ("shuffled", "reversed", "request")


@dataclass
class Faults:
    """What the local Graph does wrong, and when. Mutable: a test may change knobs mid-run."""

    throttle_items: set[str] = field(default_factory=set)
    """Writes to throttle with 429: a ``$batch`` item id, or a user id / UPN / group id named in
    the request URL (direct calls too). Each entry fires ``throttle_item_times`` times."""
    throttle_item_times: int = 1
    throttle_envelope_every: int = 0
    """Every Nth ``POST /$batch`` envelope answers 429 as a whole (0 = never)."""
    retry_after: str = "2"
    """The ``Retry-After`` value sent with a fault 429: "2", "0.5", or an HTTP date
    (:func:`http_date_after`)."""
    apply_despite_429: bool = False
    """A throttled write (item, envelope or direct; not the quota) is applied, then 429'd."""
    fail_503_every: int = 0
    """Every Nth HTTP request (any route, envelopes count once) answers 503 (0 = never)."""
    slow_seconds: float = 0.0
    """Real seconds to wait before each answer (for client timeouts)."""
    group_processing_polls: int = 2
    """Reads of a group after its assignLicense that still show it processing
    ("QueuedForProcessing", then "ProcessingInProgress"); the next read completes it."""
    group_member_errors: dict[str, dict[str, str]] = field(default_factory=dict)
    """group id -> {user id: error code}: members whose processing ends in that error."""
    write_quota: tuple[int, float] | None = None
    """A token bucket of (writes, window seconds) on the virtual clock, e.g.
    :data:`GRAPH_WRITE_QUOTA`; None = unlimited."""
    throttle_limit_percentage_header_from: float = 0.8
    """Share of the write quota used from which ``x-ms-throttle-limit-percentage`` is sent."""
    batch_response_order: str = "shuffled"
    """``$batch`` answer order: "shuffled" (seeded), "reversed" or "request"."""
    seed: int = 0

    def __post_init__(self) -> None:
        if self.batch_response_order not in BATCH_ORDERS:
            raise ValueError(f"batch_response_order must be one of {BATCH_ORDERS}")


def http_date_after(clock: VirtualClock, seconds: float) -> str:
    """An HTTP date ``seconds`` after the clock's now, for ``Faults.retry_after``."""
    return format_datetime(clock.datetime() + timedelta(seconds=seconds), usegmt=True)
