"""The two commands as functions the CLI, the notebook and the tests share: sign in, then
export a tenant, or apply a plan and end with an after export and ``verify``.

The HTTP client and the clock are parameters, so a test passes an in-process Graph and a
virtual clock; the CLI passes nothing and gets the network and the real clock.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from playbook.errors import InputError
from playbook.graph.apply import Applied, ApplyOptions, apply_plan, check_tenant
from playbook.graph.auth import (
    READ_SCOPES,
    USAGE_LOCATION_SCOPE,
    WRITE_SCOPES,
    SignIn,
    Token,
    acquire_token,
)
from playbook.graph.endpoint import Endpoint, endpoint_from
from playbook.graph.export import Exported, Progress, export_tenant
from playbook.graph.http import Clock, GraphHttp
from playbook.plan import Plan
from playbook.plan.store import load_plan
from playbook.tenant import load_config, load_tenant
from playbook.verification import Verification, verify_plan

Show = Callable[[str], None]


@dataclass(frozen=True)
class Connection:
    """Where Graph is and how to sign in; the client and clock only in tests."""

    endpoint: Endpoint
    sign_in: SignIn = SignIn()
    client: httpx.Client | None = None
    clock: Clock | None = None

    @classmethod
    def from_env(cls, graph_url: str | None = None, sign_in: SignIn | None = None,
                 env: Mapping[str, str] | None = None) -> Connection:
        """The endpoint from ``--graph-url`` / ``E4_GRAPH_URL`` / ``E4_GRAPH_TOKEN``."""
        return cls(endpoint_from(os.environ if env is None else env, graph_url),
                   sign_in or SignIn())

    def open(self, scopes: tuple[str, ...], show: Show) -> tuple[GraphHttp, Token]:
        """Sign in and the HTTP layer that carries the token."""
        token = acquire_token(self.endpoint, self.sign_in, scopes, show)
        return GraphHttp(self.endpoint.base_url, token, client=self.client,
                         clock=self.clock), token


def run_export(tenant_dir: Path, conn: Connection, *, after: bool = False,
               force: bool = False, show: Show = print,
               progress: Progress | None = None) -> Exported:
    """``e4-playbook export``: read-only scopes; into the tenant folder or ``after/``."""
    tenant_dir = Path(tenant_dir)
    config = load_config(tenant_dir / "tenant.yaml")
    if config.tenant_id and conn.sign_in.tenant == "organizations":
        conn = Connection(conn.endpoint, SignIn(conn.sign_in.client_id, config.tenant_id,
                                                conn.sign_in.certificate,
                                                conn.sign_in.thumbprint),
                          conn.client, conn.clock)
    http, _ = conn.open(READ_SCOPES, show)
    folder = tenant_dir / "after" if after else tenant_dir
    exported = export_tenant(http, folder, force=force, progress=progress)
    if config.tenant_id and exported.tenant_id != config.tenant_id:
        raise InputError(folder / "export.json", "exported another tenant than tenant.yaml "
                         "names", column="tenant_id", value=exported.tenant_id,
                         fix="sign in to the tenant of tenant.yaml")
    return exported


def confirmed_plan(plan_dir: Path, confirm: str) -> Plan:
    """The plan, loaded with its integrity check, and refused unless ``confirm`` is its id
    and it was not refused for seats."""
    plan = load_plan(plan_dir)
    if confirm != plan.plan_id:
        raise InputError("--confirm", "does not match the plan's id", value=confirm,
                         fix=f"read the plan, then pass --confirm {plan.plan_id}")
    if plan.refused:
        raise InputError(Path(plan_dir) / "plan.json", "the plan was refused for seats",
                         fix="buy the missing licences and plan again")
    return plan


@dataclass(frozen=True)
class ApplyRun:
    """What ``apply`` did, and the verification of the after export when a tenant folder
    was given."""

    applied: Applied
    exported: Exported | None = None
    verification: Verification | None = None


def _scopes(plan: Plan) -> tuple[str, ...]:
    needs_location = bool((plan.table["kind"] == "set-usage-location").any())
    return WRITE_SCOPES + ((USAGE_LOCATION_SCOPE,) if needs_location else ())


def run_apply(plan_dir: Path, confirm: str, conn: Connection, *,
              tenant_dir: Path | None = None, options: ApplyOptions | None = None,
              show: Show = print, progress: Callable[[int, int, str], None] | None = None
              ) -> ApplyRun:
    """``e4-playbook apply``: checks, the batches, then (with ``tenant_dir``) an after
    export into ``<tenant_dir>/after`` and ``verify`` of it against the plan."""
    plan_dir = Path(plan_dir)
    plan = confirmed_plan(plan_dir, confirm)
    tenant = load_tenant(tenant_dir) if tenant_dir is not None else None
    if conn.sign_in.tenant == "organizations" and plan.tenant_id:
        conn = Connection(conn.endpoint, SignIn(conn.sign_in.client_id, plan.tenant_id,
                                                conn.sign_in.certificate,
                                                conn.sign_in.thumbprint),
                          conn.client, conn.clock)
    http, token = conn.open(_scopes(plan), show)
    tid = check_tenant(plan, http, token)
    applied = apply_plan(plan, http, plan_dir, tenant_id=tid, app=token.app,
                         options=options, progress=progress)
    if tenant is None:
        return ApplyRun(applied)
    exported = export_tenant(http, Path(tenant_dir) / "after", force=True)
    return ApplyRun(applied, exported, verify_plan(tenant, plan))
