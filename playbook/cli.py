"""``e4-playbook``: the command-line face of the playbook (the notebooks are the other face).

Every command is a thin wrapper: load, call one package function, print text or JSON. The
runs bind papermill and nbconvert so that they load when a notebook runs
(:mod:`playbook.runs.deferred`): ``assess`` and ``plan`` never pay for them.

Exit codes: 0 done (whatever the verdict), 2 bad input, 3 plan refused for seats,
4 an after export that cannot be one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any

import click

from playbook.artifacts import write_artifacts
from playbook.eligibility import assess as run_assessment
from playbook.eligibility import parse_start_date
from playbook.errors import EXIT_OK, EXIT_REFUSED_FOR_SEATS, InputError
from playbook.inventory import inspect_tenant
from playbook.plan import build_plan
from playbook.runs.demo import bundled_tenants, run_demo
from playbook.runs.fleet import run_fleet
from playbook.runs.folders import manual_plan_dir, remaining_plan_dir
from playbook.runs.status import fleet_status
from playbook.runs.tenant_run import run_tenant
from playbook.runs.working_copy import APP_NOTEBOOK, tenant_folder, write_working_copy
from playbook.shipped import sample_tenants_dir
from playbook.tenant import load_tenant
from playbook.verification import verify as run_verification
from playbook.verification import write_remaining


def _friendly_errors(func: Callable[..., int | None]) -> Callable[..., None]:
    """Turn bad input into one line on stderr and its exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = func(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc.one_line()}", err=True)
            sys.exit(exc.exit_code)
        except (OSError, UnicodeError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        sys.exit(code or EXIT_OK)

    return wrapper


def _echo_json(data: dict) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


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
    _echo_json(inv.to_dict()) if as_json else click.echo(inv.to_text())
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
    _echo_json(result.to_dict()) if as_json else click.echo(result.to_text())
    return EXIT_OK


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the plan/ artifacts (default: runs/<tenant>/manual).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def plan(tenant_dir: Path, sku_reference: Path | None, out_dir: Path | None,
         as_json: bool) -> int:
    """Build the reassignment plan and write its artifacts (exit 3 when seats are short)."""
    tenant = load_tenant(tenant_dir, sku_reference=sku_reference)
    the_plan = build_plan(tenant)
    written = None
    if not the_plan.refused:
        out = out_dir or manual_plan_dir(Path("runs"), tenant.name)
        written = write_artifacts(the_plan, out)
    if as_json:
        # plan.json's content: the verdict and the counts (the actions are in plan.csv)
        data = the_plan.to_dict()
        data["artifacts"] = str(written) if written else None
        _echo_json(data)
    else:
        click.echo(the_plan.to_text())
        if written:
            click.echo(f"\nArtifacts written to {written}")
    return EXIT_REFUSED_FOR_SEATS if the_plan.refused else EXIT_OK


@main.command()
@tenant_arg
@sku_reference_opt
@click.option("--after", type=click.Path(path_type=Path), default=None,
              help="Users export taken after reassignment (default: <tenant>/after/users.*).")
@click.option("--plan", "plan_dir", type=click.Path(path_type=Path), default=None,
              help="Folder holding plan.json (default: the newest plan in runs/<tenant>/).")
@click.option("--runs", "runs_dir", type=click.Path(path_type=Path), default=Path("runs"),
              help="Run folder searched for the newest plan.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Write the remaining plan's artifacts into OUT/plan/ (the next round; "
              "default: RUNS/<tenant>/remaining-<time>/).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def verify(tenant_dir: Path, sku_reference: Path | None, after: Path | None,
           plan_dir: Path | None, runs_dir: Path, out_dir: Path | None, as_json: bool) -> int:
    """Check the move against the plan and say whether E4 is safe to cancel."""
    tenant = load_tenant(tenant_dir, sku_reference=sku_reference)
    result = run_verification(tenant, after=after, plan_dir=plan_dir, runs_dir=runs_dir)
    # what remains is written (the text says to run it): into --out, else, for a plan found
    # under --runs, a new remaining-<time> folder beside it, which verify finds next as the
    # newest plan; a plan named with --plan may live anywhere, so only --out writes then
    out = out_dir or (None if plan_dir else remaining_plan_dir(runs_dir, tenant.name,
                                                               datetime.now(UTC)))
    written = write_remaining(result, out) if out and result.remaining else None
    if as_json:
        data = result.to_dict()
        if out:
            data["artifacts"] = str(written) if written else None
        _echo_json(data)
    else:
        click.echo(result.to_text())
        if written:
            click.echo(f"\nRemaining plan written to {written}")
    return EXIT_OK


@main.command()
@tenant_arg
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs"))
@click.option("--steps", default="1-4", help="Notebook steps to run, e.g. 1-3.")
@_friendly_errors
def run(tenant_dir: Path, out_dir: Path, steps: str) -> int:
    """Run the notebooks for one tenant with papermill into runs/<tenant>/<timestamp>/."""
    record = run_tenant(tenant_dir, out_dir, steps=steps)
    click.echo(record.to_text())
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
    click.echo(summary.to_text())
    return EXIT_OK


@main.command()
@click.argument("fleet_dir", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("runs"))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_friendly_errors
def status(fleet_dir: Path, out_dir: Path, as_json: bool) -> int:
    """Where each tenant stands, read from its run records."""
    st = fleet_status(fleet_dir, out_dir)
    _echo_json(st.to_dict()) if as_json else click.echo(st.to_text())
    return EXIT_OK


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Scratch folder (default: a new temporary folder).")
@click.option("--workers", type=int, default=None)
@_friendly_errors
def demo(out_dir: Path | None, workers: int | None) -> int:
    """Copy the bundled sample tenants to a scratch folder and run the whole batch on them."""
    summary = run_demo(out_dir, workers=workers)
    click.echo(summary.to_text())
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
    # its own process: JupyterLab runs until Ctrl+C, and Lab's imports stay out of the CLI
    return subprocess.call([sys.executable, "-m", "jupyterlab", copy.first_step.name,
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
    # a working copy: the app's steps write plans to runs/ here, never into the package
    with tempfile.TemporaryDirectory(prefix="e4-playbook-app-") as work:
        copy = write_working_copy(first, work, runs_dir=Path("runs"),
                                  extra={APP_NOTEBOOK: listed})
        names = ", ".join(t.name for t in tenants) or f"the sample tenants in {samples}"
        click.echo(f"App for {names} (notebooks in {copy.folder})")
        return subprocess.call([*command, str(copy.folder)])


if __name__ == "__main__":  # pragma: no cover
    main()
