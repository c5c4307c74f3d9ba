"""Which Graph the tool talks to, and the two test hooks.

``E4_GRAPH_URL`` (or ``--graph-url``) points the tool at a Graph-shaped server and
``E4_GRAPH_TOKEN`` is a static bearer token used instead of signing in. Both exist so a local
server can stand in for a tenant in tests; both are refused unless the URL's host is a loopback
address, so a hook can never send a hand-made token to a real tenant or data elsewhere.
``E4_GRAPH_WRITE_QUOTA`` (``writes/seconds``) sets the write quota the pacing aims under, for a
local server that has none (tests of a 2,000-user apply in seconds); with Microsoft Graph it is
refused too: there the quota is Graph's.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from playbook.errors import InputError

GRAPH_URL = "https://graph.microsoft.com/v1.0"
URL_ENV = "E4_GRAPH_URL"
TOKEN_ENV = "E4_GRAPH_TOKEN"
QUOTA_ENV = "E4_GRAPH_WRITE_QUOTA"


@dataclass(frozen=True)
class Endpoint:
    """The Graph base URL and, for tests only, a static token (``repr`` never shows it)."""

    base_url: str = GRAPH_URL
    static_token: str = ""
    write_quota: tuple[int, float] | None = None
    """The test hook's quota (writes, seconds); None = Graph's."""

    def __repr__(self) -> str:
        token = ", static token set" if self.static_token else ""
        return f"Endpoint({self.base_url!r}{token})"


def is_loopback(url: str) -> bool:
    """True when the URL's host is 127.0.0.0/8, ::1 or ``localhost``."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_from(env: Mapping[str, str], graph_url: str | None = None) -> Endpoint:
    """The endpoint from the option (first) or ``E4_GRAPH_URL``, and ``E4_GRAPH_TOKEN``.

    A URL or token hook aimed anywhere but this machine is refused with one line.
    """
    url = (graph_url or env.get(URL_ENV) or "").strip().rstrip("/")
    token = env.get(TOKEN_ENV, "").strip()
    if url and not is_loopback(url):
        raise InputError(URL_ENV if not graph_url else "--graph-url",
                         "error.graph.url-not-loopback", value=url)
    if token and not url:
        raise InputError(TOKEN_ENV, "error.graph.token-without-url", url_env=URL_ENV,
                         token_env=TOKEN_ENV)
    return Endpoint(base_url=url or GRAPH_URL, static_token=token,
                    write_quota=_quota(env.get(QUOTA_ENV, "").strip(), bool(url)))


def _quota(text: str, local: bool) -> tuple[int, float] | None:
    """``writes/seconds`` of the quota hook, only with a loopback URL."""
    if not text:
        return None
    if not local:
        raise InputError(QUOTA_ENV, "error.graph.quota-without-url", url_env=URL_ENV,
                         quota_env=QUOTA_ENV)
    writes, _, seconds = text.partition("/")
    try:
        quota = (int(writes), float(seconds or 1))
    except ValueError:
        quota = (0, 0.0)
    if quota[0] < 1 or quota[1] <= 0:
        raise InputError(QUOTA_ENV, "error.graph.bad-quota", value=text, quota_env=QUOTA_ENV)
    return quota
