"""Re-execute the committed step notebooks in place, on their default tenant, as JupyterLab would.

``make notebooks-refresh`` runs it after a change alters what a step shows, so the committed
outputs (which nbval checks, and which a reader sees on the code host) match the code again.
nbclient with the notebooks folder as working directory, no parameters injected, widget state
stored (the widgets render in a viewer), no per-cell timing metadata. ``00-app.ipynb`` stays
unexecuted: it is the web app's first screen.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from playbook.steps import STEPS

EXTRA_NOTEBOOKS = ("03b-apply.ipynb",)
"""Notebooks between the steps (not steps of the runner) whose outputs are committed too."""
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def refresh(notebooks: Path) -> None:
    """Clear and re-run every step notebook in ``notebooks``."""
    for name in [step.notebook for step in STEPS] + list(EXTRA_NOTEBOOKS):
        path = notebooks / name
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
                cell.metadata.pop("execution", None)
        NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                       store_widget_state=True,
                       resources={"metadata": {"path": str(notebooks)}}).execute()
        nb.metadata["kernelspec"] = KERNEL
        nbformat.write(nb, path)
        print(f"executed {path}")


if __name__ == "__main__":
    refresh(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "notebooks")
