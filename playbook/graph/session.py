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

import pandas as pd

from playbook.artifacts.folder import JOURNAL_DIR
from playbook.errors import InputError, speaking
from playbook.graph.apply import (
    Applied,
    ApplyOptions,
    apply_plan,
    batches_to_run,
    check_tenant,
    dry_run_lines,
)
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
from playbook.graph.http import WRITE_QUOTA, Clock, GraphHttp, httpx
from playbook.graph.journal import past_runs
from playbook.messages import message
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

    def open(self, scopes: tuple[str, ...], show: Show,
             lang: str = "en") -> tuple[GraphHttp, Token]:
        """Sign in (its instructions in ``lang``) and the HTTP layer that carries the token."""
        token = acquire_token(self.endpoint, self.sign_in, scopes, show, lang)
        quota = self.endpoint.write_quota or WRITE_QUOTA
        return GraphHttp(self.endpoint.base_url, token, client=self.client,
                         clock=self.clock, quota=quota), token


def run_export(tenant_dir: Path, conn: Connection, *, after: bool = False,
               force: bool = False, show: Show = print,
               progress: Progress | None = None) -> Exported:
    """``e4-playbook export``: read-only scopes; into the tenant folder or ``after/``. Bad
    input is worded in the tenant's language once tenant.yaml is read."""
    tenant_dir = Path(tenant_dir)
    config = load_config(tenant_dir / "tenant.yaml")
    if config.tenant_id and conn.sign_in.tenant == "organizations":
        conn = Connection(conn.endpoint, SignIn(conn.sign_in.client_id, config.tenant_id,
                                                conn.sign_in.certificate,
                                                conn.sign_in.thumbprint),
                          conn.client, conn.clock)
    with speaking(config.language):
        http, _ = conn.open(READ_SCOPES, show, config.language)
        folder = tenant_dir / "after" if after else tenant_dir
        exported = export_tenant(http, folder, force=force, progress=progress)
        if config.tenant_id and exported.tenant_id != config.tenant_id:
            raise InputError(folder / "export.json", "error.graph.export-of-another-tenant",
                             column="tenant_id", value=exported.tenant_id)
    return exported


def confirmed_plan(plan_dir: Path, confirm: str) -> Plan:
    """The plan, loaded with its integrity check, and refused unless ``confirm`` is its id
    and it was not refused for seats (worded in the plan's language, the tenant's)."""
    plan = load_plan(plan_dir)
    with speaking(plan.language):
        if confirm != plan.plan_id:
            raise InputError("--confirm", "error.graph.confirm-mismatch", value=confirm,
                             plan_id=plan.plan_id)
        if plan.refused:
            raise InputError(Path(plan_dir) / "plan.json", "error.graph.plan-refused")
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
    export into ``<tenant_dir>/after`` and ``verify`` of it against the plan. Bad input is
    worded in the plan's language (the tenant's)."""
    plan_dir = Path(plan_dir)
    plan = confirmed_plan(plan_dir, confirm)
    with speaking(plan.language):
        return _apply(plan, plan_dir, conn, tenant_dir, options, show, progress)


def _apply(plan: Plan, plan_dir: Path, conn: Connection, tenant_dir: Path | None,
           options: ApplyOptions | None, show: Show,
           progress: Callable[[int, int, str], None] | None) -> ApplyRun:
    """:func:`run_apply` once the plan is confirmed."""
    tenant = load_tenant(tenant_dir) if tenant_dir is not None else None
    if conn.sign_in.tenant == "organizations" and plan.tenant_id:
        conn = Connection(conn.endpoint, SignIn(conn.sign_in.client_id, plan.tenant_id,
                                                conn.sign_in.certificate,
                                                conn.sign_in.thumbprint),
                          conn.client, conn.clock)
    http, token = conn.open(_scopes(plan), show, plan.language)
    tid = check_tenant(plan, http, token)
    applied = apply_plan(plan, http, plan_dir, tenant_id=tid, app=token.app,
                         options=options, progress=progress)
    if tenant is None:
        return ApplyRun(applied)
    exported = export_tenant(http, Path(tenant_dir) / "after", force=True)
    return ApplyRun(applied, exported, verify_plan(tenant, plan))


class ApplySession:
    """Apply from a notebook: the plan confirmed at once, sign-in on demand, one batch per
    call (the page has a button per batch), then the after export and ``verify``."""

    def __init__(self, plan_dir: Path, confirm: str, conn: Connection,
                 tenant_dir: Path | None = None) -> None:
        self.plan_dir = Path(plan_dir)
        self.plan = confirmed_plan(self.plan_dir, confirm)
        self.conn = conn
        self.tenant_dir = Path(tenant_dir) if tenant_dir is not None else None
        self.http: GraphHttp | None = None
        self.tenant_id = ""
        self.app = ""

    def _done(self) -> set[str]:
        with speaking(self.plan.language):
            return past_runs(self.plan_dir / JOURNAL_DIR, self.plan.plan_id).done

    def preview(self) -> list[str]:
        """What would be sent (the dry run), batches already done left out."""
        return dry_run_lines(self.plan, self._done())

    def to_send(self) -> list[pd.DataFrame]:
        """The plan's rows still to send, one frame per batch (groups one each)."""
        return batches_to_run(self.plan, self._done())

    def batch_numbers(self) -> list[int]:
        """The batch numbers that still have work, in order."""
        return sorted({int(u["batch"].iloc[0]) for u in self.to_send()})

    def sign_in(self, show: Show) -> str:
        """Sign in (the device code goes to ``show``) and check the token's tenant."""
        with speaking(self.plan.language):
            http, token = self.conn.open(_scopes(self.plan), show, self.plan.language)
            self.tenant_id = check_tenant(self.plan, http, token)
        self.http, self.app = http, token.app
        return message("apply.signed_in", self.plan.language, tenant=self.tenant_id)

    def run_batch(self, number: int) -> Applied:
        """Apply one batch (after :meth:`sign_in`)."""
        with speaking(self.plan.language):
            if self.http is None:
                raise InputError("apply", "error.graph.not-signed-in")
            return apply_plan(self.plan, self.http, self.plan_dir, tenant_id=self.tenant_id,
                              app=self.app, options=ApplyOptions(only=frozenset({number})))

    def finish(self) -> Verification:
        """Export ``after/`` and verify it against the plan."""
        with speaking(self.plan.language):
            if self.http is None or self.tenant_dir is None:
                raise InputError("apply", "error.graph.finish-needs-sign-in")
            export_tenant(self.http, self.tenant_dir / "after", force=True)
            return verify_plan(load_tenant(self.tenant_dir), self.plan)


def apply_if_asked(plan_dir: str | None, confirm: str | None, batches: int,
                   tenant_dir: str | None, graph_url: str | None = None) -> ApplyRun | None:
    """A papermill run's apply: only when the parameters name the plan folder, its id and a
    number of batches; otherwise nothing is sent (None)."""
    if not plan_dir or not confirm or batches < 1:
        return None
    return run_apply(Path(plan_dir), confirm, Connection.from_env(graph_url),
                     tenant_dir=Path(tenant_dir) if tenant_dir else None,
                     options=ApplyOptions(batches=batches))


def open_session(plan_dir: str | None, confirm: str | None, tenant_dir: str | None,
                 graph_url: str | None = None) -> ApplySession | None:
    """The notebook's session, or None when no plan folder and id are given (nothing can
    be sent then)."""
    if not plan_dir or not confirm:
        return None
    return ApplySession(Path(plan_dir), confirm, Connection.from_env(graph_url),
                        Path(tenant_dir) if tenant_dir else None)
