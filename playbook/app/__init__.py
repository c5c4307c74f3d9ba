"""The playbook as a web app for admins who do not use Jupyter: Voila over the four notebooks.

``python -m playbook.app [voila options] [notebooks-folder]`` (what ``make app`` runs) serves the
notebooks folder with Voila on localhost: code hidden, widgets live. The first screen,
``00-app.ipynb``, lists the tenant folders, shows the chosen tenant's verdict and links to the
four steps *for that tenant*: each link carries ``?tenant_dir=...``, and :func:`prelaunch_hook`
sets that notebook parameter before Voila runs the notebook, the way papermill would. The step
notebooks need no change to be served this way: they are the same files Lab and papermill run.

Why a hook and not papermill's own parameter injection: a step link is a URL anyone's browser
can be sent to, so the value is written as a Python ``repr`` (never spliced into code) and only
declared parameters are accepted.
"""

from __future__ import annotations

import ast
import html
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from playbook.display import findings_html, step_card
from playbook.eligibility import assess
from playbook.markup import LINK_STYLE, Html, join, link
from playbook.messages import message
from playbook.navigation import served_by_voila, step_title
from playbook.shipped import notebooks_dir
from playbook.steps import STEPS
from playbook.tenant import load_config, load_tenant
from playbook.widgets import TenantChooser

URL_PARAMETERS = ("tenant_dir",)
"""Notebook parameters a URL may set. Only the tenant: every other choice is a widget."""

FIRST_SCREEN = "00-app.ipynb"
DEFAULT_PORT = 8866


# -- the first screen ------------------------------------------------------------------------
def find_tenants(root: str | Path) -> list[tuple[str, str]]:
    """Tenant folders under ``root`` (those holding ``tenant.yaml``) as ``(label, path)``.

    The path keeps the form ``root`` was given in (relative to the notebook), so links and
    outputs never carry a machine path.
    """
    if not str(root):
        return []  # the app was given tenant folders instead
    base = Path(root)
    if not base.is_dir():
        return []
    return [(p.name, (base / p.name).as_posix()) for p in sorted(base.iterdir())
            if p.is_dir() and (p / "tenant.yaml").is_file()]


def assess_folder(tenant_dir: str) -> Html:
    """Load a tenant folder and show its verdict as step 1's card and findings, in the
    tenant's language (what the first screen shows)."""
    tenant = load_tenant(tenant_dir)
    assessment = assess(tenant)
    return join([step_card(tenant, assessment, "assessment"), findings_html(assessment)])


def step_links(tenant_dir: str, *, live: bool, lang: str = "en") -> str:
    """HTML links to the four steps for one tenant, in its language ``lang``.

    ``live`` (served by Voila) links to each step with ``?tenant_dir=``, each named as the
    page it opens (:func:`~playbook.navigation.step_title`); elsewhere (Lab) a URL cannot set
    a parameter, so the text says how to open the steps for this tenant instead.
    """
    if not live:
        return ("<p>" + html.escape(message("nav.open_steps", lang, tenant_dir=tenant_dir))
                + "</p>")
    query = urllib.parse.urlencode({"tenant_dir": tenant_dir})
    items = "".join(
        f"<li>{link(step_title(s.number, lang), f'{s.notebook}?{query}', LINK_STYLE)}</li>"
        for s in STEPS)
    return f"<ol style='margin: 0.5em 0'>{items}</ol>"


def language_of(tenant_dir: str) -> str:
    """The tenant's language from its tenant.yaml (the links are shown only once the folder
    loaded, so the file is there and valid)."""
    return load_config(Path(tenant_dir) / "tenant.yaml").language


def tenant_chooser(tenants_root: str, tenant_dir: str = "",
                   tenant_dirs: Sequence[str] = ()) -> TenantChooser:
    """The first screen, seeded from the notebook's parameters, showing the first verdict.

    ``tenant_dirs`` are folders named on ``e4-playbook app``'s command line, listed after
    those found under ``tenants_root``, each by its folder name.
    """
    live = served_by_voila()
    listed = find_tenants(tenants_root) + [(Path(d).name, str(d)) for d in tenant_dirs]
    chooser = TenantChooser(listed, tenant_dir=tenant_dir,
                            on_change=assess_folder,
                            links=lambda folder: step_links(folder, live=live,
                                                            lang=language_of(folder)))
    chooser.refresh()
    return chooser


# -- Voila: parameters from the URL ----------------------------------------------------------
def declared_parameters(notebook: Any) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell (papermill's convention)."""
    names: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def inject_parameters(notebook: Any, values: dict[str, str]) -> Any:
    """Add a cell after the ``parameters`` cell setting ``values``; returns the notebook.

    Only names the notebook declares and :data:`URL_PARAMETERS` allows are set, each as a
    Python ``repr`` (a URL can then never become code). Nothing to set leaves it untouched.
    """
    allowed = declared_parameters(notebook) & set(URL_PARAMETERS)
    chosen = {k: str(v) for k, v in values.items() if k in allowed}
    if not chosen:
        return notebook
    index = next(i for i, c in enumerate(notebook.cells)
                 if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))
    source = "# Parameters from the app's URL\n" + "\n".join(
        f"{k} = {v!r}" for k, v in sorted(chosen.items()))
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    notebook.cells.insert(index + 1, cell)
    return notebook


def prelaunch_hook(req: Any, notebook: Any, cwd: str) -> Any:
    """Voila's prelaunch hook: lay ``?tenant_dir=`` over the notebook's parameters."""
    values = {name: req.get_query_argument(name) for name in URL_PARAMETERS
              if req.get_query_argument(name, None) is not None}
    return inject_parameters(notebook, values)


def default_notebooks_dir() -> Path:
    """The notebooks the app serves unless told otherwise: the checkout's or the package's."""
    return notebooks_dir()


def first_screen_url(server_url: str) -> str:
    """Where an admin starts: the tenant chooser, not Voila's list of files."""
    return f"{server_url.rstrip('/')}/voila/render/{FIRST_SCREEN}"


def voila_args(argv: Sequence[str]) -> list[str]:
    """Voila's command line: ours (localhost, port 8866, errors shown) unless the caller's.

    Errors are shown because a tenant folder with bad input fails a cell, and the admin needs
    that cell's one-line message (file, row, fix), which Voila hides by default.
    """
    args = list(argv)
    if not any(not a.startswith("-") for a in args):
        args.append(str(default_notebooks_dir()))

    def key(arg: str) -> str:
        return arg.split("=")[0].lstrip("-").split(".")[-1]

    given = {key(a) for a in args if a.startswith("-")}
    defaults = [f"--port={DEFAULT_PORT}", "--Voila.ip=127.0.0.1", "--show_tracebacks=True"]
    return [d for d in defaults if key(d) not in given] + args
