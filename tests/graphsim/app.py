"""The local Graph as an ASGI app (Starlette), for end-to-end tests over real sockets.

Every path under ``/v1.0`` goes to :class:`graphsim.service.GraphService`, the same code the
in-process transport uses. ``Faults.slow_seconds`` delays each answer in real time, so a
client's timeout can be tested. The bearer token is checked for presence and never logged.
"""

from __future__ import annotations

import asyncio
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphsim.clock import VirtualClock
from graphsim.faults import Faults
from graphsim.model import GraphTenant
from graphsim.service import GraphService, SimRequest, SimResponse

PREFIX = "/v1.0"
METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"]


def make_app(tenant: GraphTenant, faults: Faults | None = None,
             clock: VirtualClock | None = None) -> Starlette:
    """A Starlette app serving ``tenant`` under ``/v1.0``; ``app.state.service`` holds the
    :class:`GraphService` (its faults and clock)."""
    service = GraphService(tenant, faults, clock)

    async def endpoint(request: Request) -> Response:
        body = await request.body()
        base = f"{request.url.scheme}://{request.url.netloc}{PREFIX}"
        sim = SimRequest(request.method, request.url.path[len(PREFIX):] or "/",
                         dict(request.query_params),
                         {k.lower(): v for k, v in request.headers.items()}, body, base)
        if service.faults.slow_seconds:
            await asyncio.sleep(service.faults.slow_seconds)
        return to_response(service.handle(sim))

    app = Starlette(routes=[Route(PREFIX + "/{rest:path}", endpoint, methods=METHODS)])
    app.state.service = service
    return app


def to_response(resp: SimResponse) -> Response:
    """A service answer as an HTTP response (JSON body, or none for 204)."""
    if resp.body is None:
        return Response(status_code=resp.status, headers=resp.headers)
    return Response(json.dumps(resp.body), status_code=resp.status, headers=resp.headers,
                    media_type="application/json")
