"""A virtual clock: the local Graph's throttling and a client's pacing share one timeline.

``sleep`` advances the clock instead of waiting, so a test that applies 10,000 writes at
Graph's quota of 3,000 per 150 s (several minutes of real pacing) runs in seconds, and the
write rate the client reached can still be measured on the clock.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
"""Virtual time 0 as a date (for ``innerError.date`` and ``lastUpdatedDateTime``)."""


class VirtualClock:
    """Seconds since :data:`EPOCH`; ``sleep`` moves time forward at once.

    Thread-safe: the uvicorn thread reads it while the test's client sleeps on it.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """Virtual seconds since :data:`EPOCH`."""
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        """Advance the clock by ``seconds`` (negative values are ignored) without waiting."""
        with self._lock:
            self._now += max(0.0, float(seconds))

    def datetime(self) -> datetime:
        """The virtual now as an aware UTC datetime."""
        return EPOCH + timedelta(seconds=self.now())

    def iso(self) -> str:
        """The virtual now as Graph writes dates: ``2026-01-05T09:00:00Z``."""
        return self.datetime().strftime("%Y-%m-%dT%H:%M:%SZ")
