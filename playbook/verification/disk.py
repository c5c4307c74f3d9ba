"""The I/O edge: find the plan, read the after export and the script's log, write what remains.

The one place that reads an after export, so the CLI and notebook 04 judge alike.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from playbook import exports
from playbook.artifacts import write_artifacts
from playbook.catalog import Catalog
from playbook.errors import InputError, NotAnAfterExport, speaking
from playbook.files import folder_name
from playbook.messages import Said
from playbook.plan import Plan, file_sha256
from playbook.plan.store import load_plan
from playbook.tenant import Tenant, find_export
from playbook.verification.compare import verify_tables
from playbook.verification.result import Verification
from playbook.verification.script_log import read_results_log

SCRIPT_LOG = "plan.results.csv"
"""The results log the reassignment script writes beside plan.csv by default."""


def find_plan(tenant_name: str, plan_dir: Path | None, runs_dir: Path) -> Path:
    """The plan.json to verify against.

    ``plan_dir`` may be the ``plan/`` folder, its parent run folder, or plan.json itself.
    Without it, the newest ``runs_dir/<tenant>/**/plan/plan.json`` by modification time wins,
    so a remaining plan written after a verification becomes the next round's plan.
    """
    if plan_dir is not None:
        p = Path(plan_dir)
        for cand in (p, p / "plan.json", p / "plan" / "plan.json"):
            if cand.is_file():
                return cand
        raise InputError(p, "error.verify.no-plan-json")
    root = Path(runs_dir) / tenant_name
    hits = sorted((q for q in root.glob("**/plan/plan.json")  # never a hidden leftover
                   if not any(p.startswith(".") for p in q.relative_to(root).parts)),
                  key=lambda q: (q.stat().st_mtime, str(q)))
    if not hits:
        raise InputError(root, "error.verify.no-plan-found")
    return hits[-1]


def find_after(tenant_path: Path, after: Path | None) -> tuple[Path, Path | None]:
    """The after users export and, when present beside it, a subscriptions export."""
    if after is None:
        folder = tenant_path / "after"
        if not folder.is_dir():
            raise InputError(folder, "error.verify.no-after-folder")
        users = find_export(folder, "users")
    else:
        after = Path(after)
        if after.is_dir() and find_export(after, "users") is not None:
            folder, users = after, find_export(after, "users")
        elif after.exists():
            folder, users = after.parent, after
        else:
            raise InputError(after, "error.verify.after-not-found")
    if users is None:
        raise InputError(folder, "error.verify.no-after-users-export")
    return users, find_export(folder, "subscriptions")


def verify(
    tenant: Tenant,
    *,
    after: Path | None = None,
    plan_dir: Path | None = None,
    runs_dir: Path = Path("runs"),
    results_log: Path | None = None,
) -> Verification:
    """Read the plan and the after export of a loaded tenant, then :func:`verify_tables`.

    Defaults: the after export is ``<tenant>/after/users.*`` (with ``after/subscriptions.*``
    when present); the plan is the newest ``runs_dir/<tenant>/**/plan/plan.json``
    (:func:`find_plan`); the results log is ``plan.results.csv`` beside it when the script wrote
    one. Raises :class:`NotAnAfterExport` (exit 4) when the after export is byte-identical to
    the export the plan was made from, or shares no user with the plan. Bad input is worded in
    the tenant's language.
    """
    with speaking(tenant.config.language):
        plan_json = find_plan(folder_name(tenant.path), plan_dir, runs_dir)
        plan = load_plan(plan_json)
        script_log = plan_json.parent / SCRIPT_LOG
        return verify_plan(tenant, plan, after=after, results_log=results_log,
                           script_log=script_log if script_log.is_file() else None)


def verify_plan(
    tenant: Tenant,
    plan: Plan,
    *,
    after: Path | str | None = None,
    results_log: Path | None = None,
    script_log: Path | None = None,
) -> Verification:
    """Verify a plan already in hand (loaded or rebuilt) against the tenant's after export.

    ``results_log`` is a log the admin named (bad = error); ``script_log`` one found beside the
    plan (bad = a warning only, since the log adds detail and never decides a status). A plan
    made for another tenant is refused here, so the CLI and notebook 04 refuse it alike.
    Bad input is worded in the tenant's language.
    """
    with speaking(tenant.config.language):
        return _verify_plan(tenant, plan, after=after, results_log=results_log,
                            script_log=script_log)


def _verify_plan(tenant: Tenant, plan: Plan, *, after: Path | str | None,
                 results_log: Path | None, script_log: Path | None) -> Verification:
    """:func:`verify_plan`'s work, inside the tenant's language."""
    if plan.tenant and plan.tenant != tenant.name:
        raise InputError("plan.json", "error.verify.plan-of-another-tenant", value=tenant.name,
                         plan_tenant=plan.tenant)
    users_path, subs_path = find_after(Path(tenant.path), Path(after) if after else None)
    before_sha = str(plan.users_file.get("sha256", "")).lower()
    if before_sha and file_sha256(users_path) == before_sha:
        raise NotAnAfterExport(users_path, "error.verify.after-is-before")
    subs = None
    catalog = tenant.catalog
    if subs_path is not None:
        subs, _fmt = exports.read_subscriptions(subs_path, catalog)
        catalog = Catalog.layered(Catalog.from_subscriptions(subs), catalog)
    read = exports.read_users(users_path, catalog)

    warnings = list(read.warnings)
    log = None
    if results_log is not None:
        log = read_results_log(results_log)
    elif script_log is not None:
        try:
            log = read_results_log(script_log)
        except InputError as exc:  # only detail: an unreadable log must not stop the verdict
            warnings.append(Said("verify.warning.log-skipped", {"error": exc}))
    result = verify_tables(plan, read.table, subs, catalog, results_log=log,
                           config=tenant.config, after_source=users_path,
                           after_format=read.format, after_carries=read.carries)
    if warnings:
        result = replace(result, warnings=result.warnings + tuple(warnings))
    return result


def write_remaining(verification: Verification, out_dir: str | Path) -> Path:
    """Write the remaining plan's artifacts (same formats as the plan) for the next round.

    Written again for the same remaining plan (the same plan id, so the same folder: see
    :func:`playbook.runs.folders.remaining_plan_dir`), the folder keeps the journal of any
    apply run from it (:func:`playbook.artifacts.write_artifacts`).
    """
    if verification.remaining is None:
        raise InputError(out_dir, "error.verify.nothing-remains")
    return write_artifacts(verification.remaining, Path(out_dir))
