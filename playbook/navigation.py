"""Where the admin is and where each step leads: the tenant banner, the "Next" links, and
the folders a plan is written to and found in.

Issue 17: an admin on their own tenant was led onto the bundled sample by a "Next: step 2"
link, and step 4 rebuilt a plan instead of reading the one step 3 wrote. Each step now shows
whose tenant it is (:func:`tenant_banner`), and its link to the next step keeps that tenant
wherever the notebook runs (:func:`next_step_link`):

- served by the app (Voila): ``02-license-count.ipynb?tenant_dir=...``, which the app's
  prelaunch hook turns into the notebook's parameter;
- in a run record (papermill, ``run_dir`` set): the record's HTML copy, ``02-license-count.html``;
- in JupyterLab: the notebook beside this one. In a working copy made by ``e4-playbook lab``
  every notebook is set to the same tenant; where the next notebook is set to another one, the
  link says so and how to open the steps for this tenant.

Step 3's **Write** button and ``e4-playbook plan`` write to :func:`manual_plan_dir`; step 4
and ``e4-playbook verify`` read the newest plan under the runs folder
(:func:`newest_plan_dir`), and write what remains to :func:`remaining_plan_dir`.
"""

from __future__ import annotations

import ast
import html
import json
import os
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets
from IPython.display import HTML, display

from playbook.errors import InputError
from playbook.files import folder_name
from playbook.markup import LINK_STYLE, link
from playbook.messages import message
from playbook.runs.folders import manual_plan_dir
from playbook.runs.folders import remaining_plan_dir as folder_for_remaining
from playbook.shipped import sample_tenants_dir
from playbook.steps import step
from playbook.tenant import Tenant
from playbook.verification import Verification, find_plan

DEFAULT_RUNS_DIR = "runs"
"""The runs folder when a notebook's ``runs_dir`` is None: ``runs`` in the current folder,
as the CLI's ``--out`` default (``e4-playbook lab`` sets the folder it was started in)."""


def served_by_voila() -> bool:
    """Whether this kernel was started by Voila (it sets ``VOILA_BASE_URL`` for its kernels)."""
    return "VOILA_BASE_URL" in os.environ


# -- the tenant banner -----------------------------------------------------------------------
def _file_date(path: Path | None) -> str:
    """The day a file was last written (UTC), the export's date as the folder shows it."""
    if path is None or not path.exists():
        return ""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def is_sample(tenant_dir: str | Path) -> bool:
    """Whether a tenant folder is one of the bundled sample tenants (not the admin's)."""
    try:
        return Path(tenant_dir).resolve().parent == sample_tenants_dir().resolve()
    except OSError:
        return False


def banner_text(tenant: Tenant) -> str:
    """One line: tenant name and folder, the users export and its date, the subscriptions
    export and its date (or that there is none), and whether this is a sample tenant."""
    lang = tenant.config.language
    line = message("nav.banner", lang, name=tenant.name, folder=Path(tenant.path).name,
                   users=tenant.users_file.name, users_date=_file_date(tenant.users_file))
    subs = tenant.subscriptions_file
    line += " · " + (message("nav.banner.subscriptions", lang, subscriptions=subs.name,
                             subscriptions_date=_file_date(subs)) if subs is not None
                     else message("nav.banner.no_subscriptions", lang))
    if is_sample(tenant.path):
        line += " · " + message("nav.banner.sample", lang)
    return line


def tenant_banner(tenant: Tenant) -> None:
    """Show :func:`banner_text` as a band at the top of the step."""
    color = "#b26a00" if is_sample(tenant.path) else "#1a73e8"
    display(HTML(f"<div class='e4-tenant-banner' style='border-left: 6px solid {color}; "
                 "padding: 6px 10px; margin: 4px 0; background: rgba(127,127,127,0.08)'>"
                 f"{html.escape(banner_text(tenant))}</div>"))


# -- "Next: step N" ----------------------------------------------------------------------------
def _tenant_dir_of(notebook: Path) -> str | None:
    """The ``tenant_dir`` a notebook file is set to: its injected cell, else its parameters."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return None
    value = None
    for tag in ("parameters", "injected-parameters"):  # the injected cell wins: read it last
        for cell in cells:
            if tag in cell.get("metadata", {}).get("tags", []):
                source = "".join(cell.get("source", ""))
                value = _assigned(source, "tenant_dir") or value
    return value


def _assigned(source: str, name: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if (isinstance(target, ast.Name) and target.id == name
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    return None


def next_step_href(number: int, tenant_dir: str, run_dir: str | None, *,
                   live: bool | None = None) -> str:
    """Where the link to step ``number`` points (see the module docstring)."""
    notebook = step(number).notebook
    if run_dir:
        return notebook.removesuffix(".ipynb") + ".html"
    if served_by_voila() if live is None else live:
        return f"{notebook}?{urllib.parse.urlencode({'tenant_dir': tenant_dir})}"
    return notebook


def step_title(number: int, lang: str) -> str:
    """A step's title as its own page heads it, in ``lang``: what every link to a step says
    (the "Next" links, the app's step links), so a link reads like the page it opens.
    (:attr:`playbook.steps.Step.title` is the English one the run index uses.)"""
    return message(f"page.title.{step(number).result_key}", lang)


def next_step_html(number: int, tenant_dir: str, run_dir: str | None = None, *,
                   lang: str = "en", live: bool | None = None, here: Path | None = None) -> str:
    """The "Next: step N" link as HTML, with a note when it would open another tenant."""
    target = step(number)
    href = next_step_href(number, tenant_dir, run_dir, live=live)
    title = step_title(number, lang)
    shown = link(message("nav.next", lang, title=title), href, LINK_STYLE)
    note = ""
    in_lab = not run_dir and not (served_by_voila() if live is None else live)
    if in_lab:
        folder = here or Path.cwd()
        theirs = _tenant_dir_of(folder / target.notebook)
        if theirs is not None and _resolved(folder / theirs) != _resolved(tenant_dir):
            note = "<br>" + html.escape(message("nav.next.other_tenant", lang, number=number,
                                                other=theirs, tenant_dir=tenant_dir))
    return f"<p class='e4-next-step'>{shown}{note}</p>"


def _resolved(folder: str | Path) -> Path:
    return Path(folder).expanduser().resolve()


def next_step(number: int, tenant_dir: str, run_dir: str | None = None,
              lang: str = "en") -> None:
    """Show the link to step ``number`` for this tenant (the notebooks' last cell).

    In the app the link is an HTML *widget*: an HTML output's relative link is turned into a
    file download by Voila's renderer, a widget's is followed like the first screen's links.
    """
    shown = next_step_html(number, tenant_dir, run_dir, lang=lang)
    live = not run_dir and served_by_voila()
    display(widgets.HTML(shown) if live else HTML(shown))


# -- where plans are written and found -------------------------------------------------------
def runs_folder(runs_dir: str | None) -> Path:
    """A notebook's runs folder: its ``runs_dir`` parameter, else :data:`DEFAULT_RUNS_DIR`."""
    return Path(runs_dir or DEFAULT_RUNS_DIR)


def plan_folder(tenant: Tenant, runs_dir: str | None) -> str:
    """Step 3's default folder for **Write artifacts**, the one ``e4-playbook plan`` uses."""
    return manual_plan_dir(runs_folder(runs_dir), folder_name(tenant.path)).as_posix()


def newest_plan_dir(tenant: Tenant, runs_dir: str | None) -> str | None:
    """The newest plan written for this tenant under the runs folder (step 3's button, a
    run, ``e4-playbook plan``, a remaining plan), or None when there is none yet."""
    try:
        return find_plan(folder_name(tenant.path), None, runs_folder(runs_dir)).parent.as_posix()
    except InputError:
        return None


def remaining_plan_dir(tenant: Tenant, runs_dir: str | None, run_dir: str | None,
                       verification: Verification) -> str:
    """Where step 4 writes what ``verification`` left to do
    (:func:`playbook.runs.folders.remaining_plan_dir`: ``<run_dir>/remaining`` in a run, else
    ``remaining-<plan id>`` beside the tenant's plans)."""
    remaining = verification.remaining
    return folder_for_remaining(runs_folder(runs_dir), folder_name(tenant.path),
                                remaining.plan_id if remaining is not None else "",
                                run_dir).as_posix()
