"""Notebook parameters left at None mean "as tenant.yaml says"; any other value wins.

These execute the real notebook 03 with papermill on a copy of a sample tenant, once the way
JupyterLab or the web app runs it (nothing injected but ``tenant_dir``) and once the way a
papermill user overrides a value, and read what the plan came out as.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import papermill
import yaml
from paths import REPO

NOTEBOOKS = REPO / "notebooks"
REASSIGN = NOTEBOOKS / "03-reassign.ipynb"


def _sample_copy(tmp_path: Path, name: str, **settings: object) -> Path:
    """A copy of ``data/tenants/<name>`` whose tenant.yaml also sets ``settings``."""
    folder = tmp_path / name
    shutil.copytree(REPO / "data" / "tenants" / name, folder)
    config = yaml.safe_load((folder / "tenant.yaml").read_text(encoding="utf-8"))
    config.update(settings)
    (folder / "tenant.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def _execute(tmp_path: Path, **parameters: object) -> dict:
    out = tmp_path / "executed.ipynb"
    papermill.execute_notebook(str(REASSIGN), str(out), parameters=parameters,
                               cwd=str(NOTEBOOKS), progress_bar=False, kernel_name="python3")
    return json.loads(out.read_text(encoding="utf-8"))


def _printed(book: dict) -> str:
    """What the cells showed as text: printed lines and the pages' plain-text twins."""
    outputs = [o for c in book["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    return "".join("".join(o.get("text") or o.get("data", {}).get("text/plain", ""))
                   for o in outputs)


def test_tenant_yaml_batch_size_reaches_the_plan_as_jupyterlab_runs_it(tmp_path: Path):
    tenant = _sample_copy(tmp_path, "contoso-direct", batch_size=7)
    book = _execute(tmp_path, tenant_dir=str(tenant))  # nothing else set, as in Lab or Voila
    text = _printed(book)
    assert "Batches (at most 7 users each)  5" in text  # 25 users
    assert "at most 20 users each" not in text


def test_a_notebook_can_switch_reclaim_blocked_off(tmp_path: Path):
    tenant = _sample_copy(tmp_path, "fabrikam-invoice", reclaim_blocked=True)
    run_dir = tmp_path / "run"
    _execute(tmp_path, tenant_dir=str(tenant), run_dir=str(run_dir))
    on = json.loads((run_dir / "steps" / "plan.json").read_text(encoding="utf-8"))
    assert on["summary"]["actions"]["reclaim"] == 2  # tenant.yaml's true, parameter unset

    _execute(tmp_path, tenant_dir=str(tenant), run_dir=str(run_dir), reclaim_blocked=False)
    off = json.loads((run_dir / "steps" / "plan.json").read_text(encoding="utf-8"))
    assert off["summary"]["actions"]["reclaim"] == 0
    assert off["batch_size"] == on["batch_size"] == 20
