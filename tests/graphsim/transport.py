"""The local Graph in-process: an ``httpx.MockTransport`` over the same service code.

For fast unit tests of a client: no sockets, no threads. A request to any host works; its
scheme and host make the ``@odata.nextLink`` base, so a client built with
``base_url="http://graph.test/v1.0"`` follows links back to this transport.
"""

from __future__ import annotations

import time

import httpx

from graphsim.clock import VirtualClock
from graphsim.faults import Faults
from graphsim.model import GraphTenant
from graphsim.service import GraphService, SimRequest, SimResponse

PREFIX = "/v1.0"


def mock_transport(tenant: GraphTenant, faults: Faults | None = None,
                   clock: VirtualClock | None = None) -> httpx.MockTransport:
    """A transport answering Graph's routes for ``tenant``; ``transport.service`` is the
    :class:`GraphService` (faults, clock, counters)."""
    service = GraphService(tenant, faults, clock)

    def handler(request: httpx.Request) -> httpx.Response:
        body = request.read()
        path = request.url.path
        base = f"{request.url.scheme}://{request.url.netloc.decode()}{PREFIX}"
        sim = SimRequest(request.method, path[len(PREFIX):] if path.startswith(PREFIX)
                         else path, dict(request.url.params),
                         {k.lower(): v for k, v in request.headers.items()}, body, base)
        if service.faults.slow_seconds:
            time.sleep(service.faults.slow_seconds)
        return to_httpx(service.handle(sim))

    transport = httpx.MockTransport(handler)
    transport.service = service  # type: ignore[attr-defined]
    return transport


def to_httpx(resp: SimResponse) -> httpx.Response:
    if resp.body is None:
        return httpx.Response(resp.status, headers=resp.headers)
    return httpx.Response(resp.status, headers=resp.headers, json=resp.body)
