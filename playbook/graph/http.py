"""Talking to Graph: pacing under the write quota, retries of reads, ``$batch``.

Writes are paced by a token bucket below Graph's quota for one app in one tenant (3,000 writes
per 150 s): the tool sends at :data:`WRITE_BUDGET_SHARE` of it, with a burst of one batch, so
Graph's own bucket never empties and no 429 is needed to find the limit. When Graph says
``x-ms-throttle-limit-percentage`` (from 80 % use) the pace drops until the header goes away.

Reads are retried here (they change nothing): 429 after its ``Retry-After``; 409, 503, 504 and
timeouts with exponential back-off. Writes are sent ONCE by this module and their replies handed
back, throttled or not: whether a 429'd or timed-out write was applied anyway can only be told
by reading the user again, which is :mod:`playbook.graph.apply`'s job.

The clock (``now``/``sleep``) and the HTTP client are injected, so tests drive the pacing on a
virtual clock against an in-process Graph without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from playbook.deferred import DeferredModule
from playbook.graph.auth import Token

httpx = DeferredModule("httpx")
"""The HTTP client, imported on the first call to Graph (every command would pay about
0.04 s to import it)."""

WRITE_QUOTA: tuple[int, float] = (3000, 150.0)
"""Graph's writes per app and tenant: 3,000 per 150 s (identity and access service)."""
WRITE_BUDGET_SHARE = 0.95
"""The share of the quota the tool uses: close to it, never over it."""
BATCH_LIMIT = 20
TRANSIENT = frozenset({0, 409, 429, 500, 502, 503, 504})
"""Statuses worth trying again (0 = timeout or connection error: no answer)."""
MAX_WAIT = 300.0
"""The longest pause one Retry-After may impose (a date far ahead is a server's mistake)."""


class Clock(Protocol):
    """Time as the pacing sees it: the wall clock, or a test's virtual clock."""

    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: monotonic seconds and a real sleep."""

    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def retry_after_seconds(value: str | None, now_utc: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: whole or fractional seconds, or an HTTP
    date (counted from ``now_utc``); ``None`` when absent or unreadable. Capped at
    :data:`MAX_WAIT`, never negative."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now_utc or datetime.now(UTC))).total_seconds()
    return min(MAX_WAIT, max(0.0, seconds))


@dataclass(frozen=True)
class Reply:
    """One Graph answer (of a request or of one ``$batch`` item); status 0 = no answer."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> dict[str, Any]:
        body = self.body if isinstance(self.body, dict) else {}
        err = body.get("error")
        return err if isinstance(err, dict) else {}

    @property
    def code(self) -> str:
        return str(self.error.get("code") or ("" if self.ok else f"HTTP {self.status}"))

    @property
    def message(self) -> str:
        return str(self.error.get("message") or "")

    @property
    def request_id(self) -> str:
        inner = self.error.get("innerError") or self.error.get("innererror") or {}
        return str(self.headers.get("request-id") or inner.get("request-id") or "")

    @property
    def retry_after(self) -> float | None:
        """``Retry-After`` in seconds; an HTTP date counts from the answer's own ``Date``
        (the server's clock), else from this machine's."""
        try:
            now = parsedate_to_datetime(self.headers["date"]) if "date" in self.headers \
                else None
        except (TypeError, ValueError):
            now = None
        return retry_after_seconds(self.headers.get("retry-after"), now)


class GraphError(Exception):
    """A read that ended in a permanent error (or kept failing): the admin must look."""

    def __init__(self, what: str, reply: Reply) -> None:
        self.reply = reply
        detail = f"{reply.code}: {reply.message}" if reply.message else reply.code
        super().__init__(f"{what}: Graph answered {reply.status} ({detail})")


@dataclass
class Stats:
    """What the HTTP layer did, for the summary and the benchmark."""

    reads: int = 0
    writes: int = 0
    throttled: int = 0
    retries: int = 0
    waited: float = 0.0


class Pacer:
    """A token bucket for writes at ``share`` of the quota, with a burst of one batch."""

    def __init__(self, clock: Clock, quota: tuple[int, float] = WRITE_QUOTA,
                 share: float = WRITE_BUDGET_SHARE, burst: int = BATCH_LIMIT) -> None:
        self.clock = clock
        self.rate = quota[0] / quota[1] * share
        self.burst = float(burst)
        self.tokens = float(burst)
        self.last = clock.now()
        self.slow = 1.0

    def _refill(self) -> None:
        now = self.clock.now()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate * self.slow)
        self.last = now

    def take(self, n: int) -> float:
        """Wait until ``n`` writes may go; returns the seconds waited."""
        self._refill()
        waited = 0.0
        if self.tokens < n:
            waited = (n - self.tokens) / (self.rate * self.slow)
            self.clock.sleep(waited)
            self._refill()
        self.tokens -= n
        return waited

    def observe(self, headers: dict[str, str], status: int = 200) -> None:
        """Halve the pace at each 429 (another app may share the tenant's quota), hold it at
        half or a quarter while Graph reports the quota nearly used (>= 80 %, >= 95 %), and
        win it back a little with each answer that says neither."""
        raw = headers.get("x-ms-throttle-limit-percentage")
        try:
            used = float(raw) if raw is not None else 0.0
        except ValueError:
            used = 0.0
        used = used * 100 if 0 < used <= 1 else used
        if status == 429:
            self.slow = max(0.05, self.slow * 0.5)
        elif used >= 95:
            self.slow = min(self.slow, 0.25)
        elif used >= 80:
            self.slow = min(self.slow, 0.5)
        else:
            self.slow = min(1.0, self.slow + 0.02)


class GraphHttp:
    """Graph calls with the token, pacing and read retries; one per run."""

    def __init__(self, base_url: str, token: Token, *, client: httpx.Client | None = None,
                 clock: Clock | None = None, quota: tuple[int, float] = WRITE_QUOTA,
                 share: float = WRITE_BUDGET_SHARE, timeout: float = 60.0,
                 max_attempts: int = 8) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.client = client or httpx.Client(timeout=timeout)
        self.clock = clock or SystemClock()
        self.pacer = Pacer(self.clock, quota, share)
        self.max_attempts = max_attempts
        self.stats = Stats()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token.value}", "Accept": "application/json"}

    def url(self, path: str) -> str:
        """An absolute URL for a path under the base URL (a nextLink is kept as it is, but
        only on the same server: the token goes nowhere else)."""
        if path.startswith(("http://", "https://")):
            if not path.startswith(self.base_url + "/"):
                raise GraphError("nextLink", Reply(0, {"error": {
                    "code": "ForeignLink", "message": f"link leaves {self.base_url}"}}))
            return path
        return self.base_url + path

    def send(self, method: str, path: str, body: Any = None,
             params: dict[str, str] | None = None) -> Reply:
        """One attempt; a timeout or a lost connection is a :class:`Reply` with status 0."""
        try:
            resp = self.client.request(method, self.url(path), json=body, params=params,
                                       headers=self._headers())
        except httpx.TransportError as exc:
            return Reply(0, {"error": {"code": "timeout" if isinstance(
                exc, httpx.TimeoutException) else "connection", "message": type(exc).__name__}})
        try:
            data = resp.json() if resp.content else None
        except ValueError:
            data = None
        headers = {k.lower(): v for k, v in resp.headers.items()}
        self.pacer.observe(headers, resp.status_code)
        if resp.status_code == 429:
            self.stats.throttled += 1
        return Reply(resp.status_code, data, headers)

    def backoff(self, attempt: int, replies: list[Reply]) -> None:
        """Pause before another attempt: the largest Retry-After of ``replies``, else
        exponential (0.5 s, 1 s, 2 s ... up to 60 s)."""
        waits = [r.retry_after for r in replies if r.retry_after is not None]
        wait = max(waits) if waits else min(60.0, 0.5 * 2 ** attempt)
        self.stats.retries += 1
        self.stats.waited += wait
        self.clock.sleep(wait)

    def get(self, path: str, params: dict[str, str] | None = None) -> Reply:
        """A read, tried again while the answer is transient; the last reply otherwise."""
        for attempt in range(self.max_attempts):
            self.stats.reads += 1
            reply = self.send("GET", path, params=params)
            if reply.status not in TRANSIENT:
                return reply
            self.backoff(attempt, [reply])
        return reply

    def read(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """A read that must succeed: its JSON body, or :class:`GraphError`."""
        reply = self.get(path, params)
        if not reply.ok or not isinstance(reply.body, dict):
            raise GraphError(f"GET {path}", reply)
        return reply.body

    def pages(self, path: str, params: dict[str, str] | None = None
              ) -> Iterator[tuple[dict[str, Any], str]]:
        """Each page of a collection and the link to the next one ("" after the last),
        relative to the base URL so a resumed export can follow it."""
        body = self.read(path, params)
        while True:
            link = str(body.get("@odata.nextLink") or "")
            rel = link[len(self.base_url):] if link.startswith(self.base_url) else link
            yield body, rel
            if not link:
                return
            body = self.read(self.url(link))

    def batch_get(self, paths: dict[str, str]) -> dict[str, Reply]:
        """GETs in ``$batch`` envelopes of 20, items retried while transient (throttled
        items wait for the largest Retry-After); id -> final reply."""
        out: dict[str, Reply] = {}
        todo = dict(paths)
        for attempt in range(self.max_attempts):
            replies: dict[str, Reply] = {}
            ids = list(todo)
            for i in range(0, len(ids), BATCH_LIMIT):
                chunk = ids[i:i + BATCH_LIMIT]
                self.stats.reads += len(chunk)
                replies.update(self.batch([{"id": k, "method": "GET", "url": todo[k]}
                                           for k in chunk]))
            again = [k for k, r in replies.items() if r.status in TRANSIENT]
            out.update({k: r for k, r in replies.items() if r.status not in TRANSIENT})
            if not again:
                return out
            if attempt == self.max_attempts - 1:
                out.update({k: replies[k] for k in again})
                return out
            self.backoff(attempt, [replies[k] for k in again])
            todo = {k: todo[k] for k in again}
        return out

    def write_batch(self, requests: list[dict[str, Any]]) -> dict[str, Reply]:
        """Up to 20 writes in one ``$batch``, paced, sent once: id -> reply."""
        self.stats.waited += self.pacer.take(len(requests))
        self.stats.writes += len(requests)
        return self.batch(requests)

    def write(self, method: str, path: str, body: dict[str, Any]) -> Reply:
        """One write, paced, sent once."""
        self.stats.waited += self.pacer.take(1)
        self.stats.writes += 1
        return self.send(method, path, body)

    def batch(self, requests: list[dict[str, Any]]) -> dict[str, Reply]:
        """One ``$batch`` envelope, sent once: id -> reply. When the envelope itself fails
        (429, 503, timeout, ...) every item gets that reply: none is known to have run."""
        envelope = self.send("POST", "/$batch", {"requests": requests})
        items = envelope.body.get("responses") if isinstance(envelope.body, dict) else None
        if not envelope.ok or not isinstance(items, list):
            return {r["id"]: envelope for r in requests}
        out: dict[str, Reply] = {}
        for item in items:
            headers = {str(k).lower(): str(v) for k, v in (item.get("headers") or {}).items()}
            reply = Reply(int(item.get("status", 0)), item.get("body"), headers)
            if reply.status == 429:
                self.stats.throttled += 1
            self.pacer.observe(headers, reply.status)
            out[str(item.get("id"))] = reply
        for r in requests:  # an item Graph did not answer: no answer
            out.setdefault(r["id"], Reply(0, {"error": {"code": "missing",
                                                        "message": "no answer in $batch"}}))
        return out
