"""A working copy of the notebooks, already pointed at one tenant, for JupyterLab and the app.

The shipped notebooks (:mod:`playbook.shipped`) default to a sample tenant. ``e4-playbook lab
<tenant-dir>`` must open the admin's own tenant instead, without anyone editing ``tenant_dir``
in four parameters cells: the copy gets the same cell papermill injects in a run
(``injected-parameters``, right after the ``parameters`` cell), but is not executed. Its
outputs are cleared, so no figure of the sample tenant can be read as the admin's.

Every step sits in one folder, so a step's "Next" link opens the next step of the same copy,
on the same tenant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playbook.deferred import DeferredModule
from playbook.errors import InputError
from playbook.files import write_text_atomic
from playbook.runs.language import speaking_for
from playbook.shipped import notebooks_dir
from playbook.steps import STEPS

nbformat = DeferredModule("nbformat")
papermill_iorw = DeferredModule("papermill.iorw")
papermill_parameterize = DeferredModule("papermill.parameterize")

APP_NOTEBOOK = "00-app.ipynb"
"""The app's first screen (the tenant chooser), served beside the steps."""


@dataclass(frozen=True)
class WorkingCopy:
    """Where a working copy went: ``written`` new notebooks, ``kept`` ones already there."""

    folder: Path
    written: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def first_step(self) -> Path:
        return self.folder / STEPS[0].notebook


def _clean(notebook: Any) -> Any:
    """Drop every output and execution count: the copy shows nothing until it runs."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def parameterized(source: Path, parameters: dict[str, Any]) -> Any:
    """``source`` with ``parameters`` injected as papermill would, outputs cleared."""
    # papermill's reader, as a run reads it (it gives every cell the tags list papermill needs)
    notebook = _clean(papermill_iorw.load_notebook_node(str(source)))
    if not parameters:
        return notebook
    return papermill_parameterize.parameterize_notebook(
        notebook, parameters, comment="Parameters of this working copy (set by e4-playbook)")


def tenant_folder(tenant_dir: str | Path) -> Path:
    """The tenant folder, resolved; bad input when it holds no ``tenant.yaml``."""
    tenant = Path(tenant_dir).expanduser().resolve()
    if not (tenant / "tenant.yaml").is_file():
        raise InputError(tenant, "error.run.not-a-tenant-folder")
    return tenant


def write_working_copy(tenant_dir: str | Path, dest: str | Path, *,
                       source_dir: Path | None = None, refresh: bool = False,
                       runs_dir: str | Path | None = None,
                       extra: dict[str, dict[str, Any]] | None = None) -> WorkingCopy:
    """Write the step notebooks (and the app's first screen) into ``dest``, each with
    ``tenant_dir`` set to this tenant's absolute path, and ``runs_dir`` (where step 3 writes
    a plan and step 4 finds the newest) when given.

    A notebook already in ``dest`` is the admin's (its cells may hold their work) and is kept
    unless ``refresh``. ``extra`` adds parameters per notebook file name (the app's list of
    tenants).
    """
    tenant = tenant_folder(tenant_dir)
    source = source_dir or notebooks_dir()
    folder = Path(dest).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    kept: list[str] = []
    with speaking_for([tenant]):  # a missing notebook, said in the tenant's language
        for name in [APP_NOTEBOOK, *(s.notebook for s in STEPS)]:
            src = source / name
            if not src.is_file():
                raise InputError(src, "error.run.notebook-not-found", fix="error.run.reinstall")
            target = folder / name
            if target.exists() and not refresh:
                kept.append(name)
                continue
            params: dict[str, Any] = {"tenant_dir": str(tenant)}
            if runs_dir is not None and name != APP_NOTEBOOK:
                params["runs_dir"] = str(Path(runs_dir).expanduser().resolve())
            params.update((extra or {}).get(name, {}))
            write_text_atomic(target, nbformat.writes(parameterized(src, params)))
            written.append(name)
    return WorkingCopy(folder, tuple(written), tuple(kept))
