"""``e4-playbook``: the command-line face of the playbook (the notebooks are the other face).

Every command is a thin wrapper: load, call one package function, print text or JSON. The
runs bind papermill and nbconvert so that they load when a notebook runs
(:mod:`playbook.deferred`): ``assess`` and ``plan`` never pay for them.

Exit codes: 0 done (whatever the verdict), 2 bad input, 3 plan refused for seats,
4 an after export that cannot be one.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any

import click

from playbook.artifacts import set_aside_plan, write_artifacts
from playbook.artifacts.folder import JOURNAL_DIR
from playbook.eligibility import assess as run_assessment
from playbook.eligibility import parse_start_date
from playbook.errors import EXIT_OK, EXIT_REFUSED_FOR_SEATS, InputError, speaking
from playbook.files import folder_name
from playbook.graph.apply import ApplyOptions, dry_run_lines
from playbook.graph.auth import PUBLIC_CLIENT_ID, SignIn
from playbook.graph.http import GraphError
from playbook.graph.journal import past_runs
from playbook.graph.session import Connection, confirmed_plan, run_apply, run_export
from playbook.inventory import inspect_tenant
from playbook.messages import text
from playbook.plan import build_plan
from playbook.runs.demo import bundled_tenants, run_demo
from playbook.runs.fleet import run_fleet
from playbook.runs.folders import manual_plan_dir, remaining_plan_dir
from playbook.runs.language import tenant_language
from playbook.runs.status import fleet_status
from playbook.runs.stopping import call_until_stopped, temporary_folder
from playbook.runs.tenant_run import run_tenant
from playbook.runs.working_copy import APP_NOTEBOOK, tenant_folder, write_working_copy
from playbook.shipped import sample_tenants_dir
from playbook.tenant import load_tenant
from playbook.verification import verify as run_verification
from playbook.verification import write_remaining

UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What the CLI never prints: control characters but line break and tab (ESC starts terminal
sequences, BEL rings, CR overwrites a line), and text-direction overrides. The reassignment
script's ``Format-Printable`` removes the same (a test compares them)."""


def printable(text: str) -> str:
    """``text`` without :data:`UNPRINTABLE` characters: a UPN or display name holding
    ``ESC]0;...`` or ``ESC[2J`` cannot retitle or clear the admin's terminal."""
    return UNPRINTABLE.sub("", text)


def _echo(text: str, *, err: bool = False) -> None:
    """Print through :func:`printable`: everything the CLI shows goes through here."""
    click.echo(printable(text), err=err)


def _friendly_errors(func: Callable[..., int | None]) -> Callable[..., None]:
    """Turn bad input into one line on stderr and its exit code; never a traceback. The line
    is in the tenant's language when the command names a tenant folder (Graph's own message
    and the system's stay as they were said)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs)
        except InputError as exc:
            if exc.lang is None:
                exc.lang = tenant_language(kwargs.get("tenant_dir"))
            _echo(exc.headline(), err=True)
            sys.exit(exc.exit_code)
        except (GraphError, OSError, UnicodeError) as exc:
            error = text("error.error", tenant_language(kwargs.get("tenant_dir")))
            _echo(f"{error}: {exc}", err=True)
            sys.exit(2)
        sys.exit(code or EXIT_OK)

    return wrapper


def _echo_json(data: dict) -> None:
    """One JSON object. ``json.dumps`` escapes control characters below 0x20 itself; the rest
    of :data:`UNPRINTABLE` is written as ``\\uXXXX`` escapes, so the JSON reads back the same."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


tenant_arg = click.argument("tenant_dir", type=click.Path(path_type=Path))
sku_reference_opt = click.option(
    "--sku-reference", type=click.Path(path_type=Path), default=None,
    help="Microsoft's 'Product names and service plan identifiers' CSV (names every product).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="e4-playbook")
def main() -> None:
    """Move every user off Office 365 E4 onto a current plan, without losing anything."""


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def inspect(tenant_dir: Path, sku_reference: Path | None, as_json: bool) -> int:
    """Show detected export formats, users and licenses per SKU, unknown products, warnings."""
    inv = inspect_tenant(load_tenant(tenant_dir, sku_reference=sku_reference))
    _echo_json(inv.to_dict()) if as_json else _echo(inv.to_text())
    return EXIT_OK


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--start-date", default=None, help="Day the upgrade starts (YYYY-MM-DD).")
@click.option("--target", default=None, help="Plan to move to (overrides tenant.yaml).")
@_friendly_errors
def assess(tenant_dir: Path, sku_reference: Path | None, as_json: bool,
           start_date: str | None, target: str | None) -> int:
    """Which upgrade path, what blocks it, how many licenses to buy."""
    tenant = load_tenant(tenant_dir, sku_reference=sku_reference,
                         overrides={"target": target} if target else None)
    result = run_assessment(tenant, start_date=parse_start_date(start_date, "--start-date"))
    _echo_json(result.to_dict()) if as_json else _echo(result.to_text())
    return EXIT_OK


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the plan/ artifacts (default: runs/<tenant folder>/manual).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def plan(tenant_dir: Path, sku_reference: Path | None, out_dir: Path | None,
         as_json: bool) -> int:
    """Build the reassignment plan and write its artifacts (exit 3 when seats are short).

    A refused plan writes nothing, and an earlier plan in the same folder is set aside (it
    is no longer the plan, and verify or its script would otherwise use it).
    """
    tenant = load_tenant(tenant_dir, sku_reference=sku_reference)
    the_plan = build_plan(tenant)
    out = out_dir or manual_plan_dir(Path("runs"), folder_name(tenant_dir))
    written = aside = None
    if the_plan.refused:
        aside = set_aside_plan(out, datetime.now(UTC))
    else:
        written = write_artifacts(the_plan, out, second_process=True)
    if as_json:
        # plan.json's content: the verdict and the counts (the actions are in plan.csv)
        data = the_plan.to_dict()
        data["artifacts"] = str(written) if written else None
        if aside:
            data["earlier_plan_set_aside"] = str(aside)
        _echo_json(data)
    else:
        _echo(the_plan.to_text())
        if written:
            _echo(f"\nArtifacts written to {written}")
        if aside:
            _echo(f"\nThe earlier plan in {out / 'plan'} was moved to {aside}: it is not the "
                  "plan any more, so verify and its script no longer use it.")
    return EXIT_REFUSED_FOR_SEATS if the_plan.refused else EXIT_OK


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--after", type=click.Path(path_type=Path), default=None,
              help="Users export taken after reassignment (default: <tenant>/after/users.*).")
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path), default=None,
              help="Folder holding plan.json (default: the newest plan in runs/<tenant folder>/).")
@click.option("--runs", "runs_dir", type=click.Path(path_type=Path), default=Path("runs"),
              help="Run folder searched for the newest plan.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Write the remaining plan's artifacts into OUT/plan/ (the next round; "
              "default: RUNS/<tenant>/remaining-<its plan id>/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def verify(tenant_dir: Path, sku_reference: Path | None, after: Path | None,
           plan_dir: Path | None, runs_dir: Path, out_dir: Path | None, as_json: bool) -> int:
    """Check the move against the plan and say whether E4 is safe to cancel."""
    tenant = load_tenant(tenant_dir, sku_reference=sku_reference)
    result = run_verification(tenant, after=after, plan_dir=plan_dir, runs_dir=runs_dir)
    # what remains is written (the text says to run it): into --out, else, for a plan found
    # under --runs, a remaining-<plan id> folder beside it, which verify finds next as the
    # newest plan; a plan named with --plan may live anywhere, so only --out writes then
    remaining_id = result.remaining.plan_id if result.remaining is not None else ""
    out = out_dir or (None if plan_dir else remaining_plan_dir(runs_dir, folder_name(tenant_dir),
                                                               remaining_id))
    written = write_remaining(result, out) if out and result.remaining else None
    if as_json:
        data = result.to_dict()
        if out:
            data["artifacts"] = str(written) if written else None
        _echo_json(data)
    else:
        _echo(result.to_text())
        if written:
            _echo(f"\nRemaining plan written to {written}")
    return EXIT_OK


@main.command()
@tenant_arg
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs"))
@click.option("--steps", default="1-4", help="Notebook steps to run, e.g. 1-3.")
@_friendly_errors
def run(tenant_dir: Path, out_dir: Path, steps: str) -> int:
    """Run the notebooks for one tenant with papermill into runs/<tenant>/<timestamp>/."""
    record = run_tenant(tenant_dir, out_dir, steps=steps)
    _echo(record.to_text())
    return record.exit_code


@main.command()
@click.argument("fleet_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs"))
@click.option("--workers", type=int, default=None, help="Parallel tenants (default: CPUs).")
@click.option("--only-failed", is_flag=True, help="Re-run only tenants whose last run failed.")
@click.option("--changed-since", default=None,
              help="Re-run only tenants whose files changed since this date or the last run.")
@click.option("--dask-scheduler", default=None, help="Send runs to a Dask cluster.")
@_friendly_errors
def batch(fleet_dir: Path, out_dir: Path, workers: int | None, only_failed: bool,
          changed_since: str | None, dask_scheduler: str | None) -> int:
    """Run every tenant folder under FLEET_DIR and write runs/summary.csv and .html."""
    summary = run_fleet(fleet_dir, out_dir, workers=workers, only_failed=only_failed,
                        changed_since=changed_since, dask_scheduler=dask_scheduler)
    _echo(summary.to_text())
    return EXIT_OK


@main.command()
@click.argument("fleet_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Runs folder (default: the --out of the fleet's last batch, else runs).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def status(fleet_dir: Path, out_dir: Path | None, as_json: bool) -> int:
    """Where each tenant stands, read from its run records."""
    st = fleet_status(fleet_dir, out_dir)
    _echo_json(st.to_dict()) if as_json else _echo(st.to_text())
    return EXIT_OK


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Scratch folder (default: a new temporary folder).")
@click.option("--workers", type=int, default=None)
@_friendly_errors
def demo(out_dir: Path | None, workers: int | None) -> int:
    """Copy the bundled sample tenants to a scratch folder and run the whole batch on them."""
    summary = run_demo(out_dir, workers=workers)
    _echo(summary.to_text())
    return EXIT_OK


def _graph_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Where Graph is and how to sign in (shared by export and apply)."""
    options = [
        click.option("--graph-url", default=None, help="Test hook: a Graph-shaped server on "
                     "this machine (loopback only; also E4_GRAPH_URL)."),
        click.option("--client-id", default=PUBLIC_CLIENT_ID, show_default=True,
                     help="App registration to sign in with."),
        click.option("--tenant-id", default=None, help="Tenant to sign in to (default: "
                     "tenant.yaml's or the plan's tenant_id)."),
        click.option("--certificate", type=click.Path(path_type=Path), default=None,
                     help="Unattended: PEM file with the app's private key."),
        click.option("--thumbprint", default="", help="Unattended: the certificate's "
                     "thumbprint."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _connection(graph_url: str | None, client_id: str, tenant_id: str | None,
                certificate: Path | None, thumbprint: str) -> Connection:
    return Connection.from_env(graph_url, SignIn(client_id, tenant_id or "organizations",
                                                 certificate, thumbprint))


def _say(text: str) -> None:
    _echo(text, err=True)


@main.command()
@tenant_arg
@click.option("--after", is_flag=True, help="Write into <tenant>/after (after the move).")
@click.option("--force", is_flag=True, help="Replace an export already there.")
@_graph_options
@_friendly_errors
def export(tenant_dir: Path, after: bool, force: bool, graph_url: str | None, client_id: str,
           tenant_id: str | None, certificate: Path | None, thumbprint: str) -> int:
    """Read users, subscriptions and licensing groups from Graph (read-only scopes)."""
    conn = _connection(graph_url, client_id, tenant_id, certificate, thumbprint)
    done = run_export(tenant_dir, conn, after=after, force=force, show=_say,
                      progress=lambda pages, _: _say(f"page {pages}"))
    _echo(done.to_text())
    return EXIT_OK


@main.command()
@click.argument("plan_dir", type=click.Path(path_type=Path))
@click.option("--confirm", required=True, help="The plan id (plan.json's plan_id): you "
              "read this plan and mean to carry it out.")
@click.option("--batches", type=int, default=None, help="Run only this many batches "
              "(1 = a pilot).")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.option("--tenant", "tenant_dir", type=click.Path(path_type=Path), default=None,
              help="Tenant folder: at the end export after/ and verify against the plan.")
@click.option("--max-failures", type=int, default=10, show_default=True,
              help="Stop once more users or groups than this failed.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_graph_options
@_friendly_errors
def apply(plan_dir: Path, confirm: str, batches: int | None, dry_run: bool,
          tenant_dir: Path | None, max_failures: int, as_json: bool, graph_url: str | None,
          client_id: str, tenant_id: str | None, certificate: Path | None,
          thumbprint: str) -> int:
    """Carry out a reviewed plan through Graph: paced, journalled, resumable."""
    if dry_run:
        the_plan = confirmed_plan(plan_dir, confirm)
        with speaking(the_plan.language):
            done = past_runs(Path(plan_dir) / JOURNAL_DIR, the_plan.plan_id).done
        _echo("\n".join(dry_run_lines(the_plan, done)))
        return EXIT_OK
    conn = _connection(graph_url, client_id, tenant_id, certificate, thumbprint)
    result = run_apply(plan_dir, confirm, conn, tenant_dir=tenant_dir,
                       options=ApplyOptions(batches=batches, max_failures=max_failures),
                       show=_say, progress=lambda i, n, what: _say(f"[{i}/{n}] {what}"))
    if as_json:
        data = {"apply": result.applied.to_dict()}
        if result.verification is not None:
            data["verify"] = result.verification.to_dict()
        _echo_json(data)
    else:
        _echo(result.applied.to_text())
        if result.verification is not None:
            _echo("\n" + result.verification.to_text())
    return EXIT_OK


@main.command(context_settings={"ignore_unknown_options": True})
@tenant_arg
@click.option("--dir", "work_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the working copy (default: ./e4-playbook-<tenant folder>).")
@click.option("--refresh", is_flag=True, help="Replace notebooks already in the working copy.")
@click.option("--no-start", is_flag=True, help="Write the working copy, do not start JupyterLab.")
@click.argument("lab_args", nargs=-1, type=click.UNPROCESSED)
@_friendly_errors
def lab(tenant_dir: Path, work_dir: Path | None, refresh: bool, no_start: bool,
        lab_args: tuple[str, ...]) -> int:
    """Open JupyterLab on a working copy of the notebooks pointed at TENANT_DIR.

    Options after the tenant that this command does not know go to JupyterLab
    (e.g. --no-browser, --port=8890).
    """
    tenant = tenant_folder(tenant_dir)
    # runs/ where the command starts, as `plan`, `run` and `verify` use by default, so a plan
    # written in Lab is the one `verify` finds, and the other way round
    copy = write_working_copy(tenant, work_dir or Path(f"e4-playbook-{tenant.name}"),
                              refresh=refresh, runs_dir=Path("runs"))
    click.echo(f"Notebooks for {tenant.name} in {copy.folder}"
               + (f" (kept as they were: {', '.join(copy.kept)}; --refresh replaces them)"
                  if copy.kept else ""))
    if no_start:
        return EXIT_OK
    # its own process: JupyterLab runs until Ctrl+C or SIGTERM (both passed on to it, so no
    # server outlives the command), and Lab's imports stay out of the CLI
    return call_until_stopped([sys.executable, "-m", "jupyterlab", copy.first_step.name,
                               "--ServerApp.ip=127.0.0.1", *lab_args], cwd=copy.folder)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("tenant_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--voila", "voila_opts", multiple=True,
              help="An option for Voila, e.g. --voila=--port=9000 --voila=--no-browser.")
@_friendly_errors
def app(tenant_dirs: tuple[Path, ...], voila_opts: tuple[str, ...]) -> int:
    """Start the web app (Voila, localhost) listing TENANT_DIRS, or the sample tenants."""
    command = [sys.executable, "-m", "playbook.app", *voila_opts]
    samples = sample_tenants_dir()
    tenants = [tenant_folder(t) for t in tenant_dirs]
    listed = ({"tenant_dirs": [str(t) for t in tenants], "tenants_root": ""} if tenants
              else {"tenants_root": str(samples)})
    first = tenants[0] if tenants else next(
        p for p in sorted(bundled_tenants().iterdir()) if p.is_dir())
    # a working copy: the app's steps write plans to runs/ here, never into the package; it
    # and the server go on Ctrl+C and on SIGTERM too
    with temporary_folder("e4-playbook-app-") as work:
        copy = write_working_copy(first, work, runs_dir=Path("runs"),
                                  extra={APP_NOTEBOOK: listed})
        names = ", ".join(t.name for t in tenants) or f"the sample tenants in {samples}"
        click.echo(f"App for {names} (notebooks in {copy.folder})")
        return call_until_stopped([*command, str(copy.folder)])


if __name__ == "__main__":  # pragma: no cover
    main()
