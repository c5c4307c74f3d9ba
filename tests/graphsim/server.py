"""Serve the local Graph over real sockets: uvicorn on 127.0.0.1, a free port, in a thread.

Binds the loopback address only, so nothing outside this machine can reach it and no test
can mistake it for a real tenant.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette

HOST = "127.0.0.1"
START_TIMEOUT = 10.0


@contextmanager
def serve(app: Starlette) -> Iterator[str]:
    """Run ``app`` until the block ends; yields ``http://127.0.0.1:<port>/v1.0``."""
    config = uvicorn.Config(app, host=HOST, port=0, log_level="warning", access_log=False,
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="graphsim", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the local Graph did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{port}/v1.0"
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)
