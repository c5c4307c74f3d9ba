"""Running one notebook: papermill with a private kernel, and its HTML export without code.

The only module that starts kernels. papermill, nbformat and nbconvert are bound here at module
level but load on first use (:mod:`playbook.deferred`), so the commands that never run a
notebook (``assess``, ``plan``) do not pay for them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from playbook.deferred import DeferredModule
from playbook.files import write_text_atomic
from playbook.messages import message

papermill = DeferredModule("papermill")
nbformat = DeferredModule("nbformat")
nbconvert = DeferredModule("nbconvert")
traitlets_config = DeferredModule("traitlets.config")

KERNEL_NAME = "python3"


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The parameters a notebook declares in its ``parameters`` cell (name -> description)."""
    return papermill.inspect_notebook(str(notebook))


def execute_notebook(src: Path, dst: Path, params: dict[str, Any], cwd: Path,
                     timeout: int) -> None:
    """Execute ``src`` into ``dst`` with ``params`` injected, code hidden (report mode).

    The kernel talks over private IPC sockets instead of localhost TCP: that keeps another
    local user from reaching it (and silences ipykernel's warning about unencrypted TCP on
    every notebook); the sockets live in a temporary folder. A failing cell raises
    papermill's ``PapermillExecutionError`` with the executed notebook kept up to that cell.
    """
    with tempfile.TemporaryDirectory(prefix="e4k-") as sockets:
        # nbclient builds (and so also shuts down) the kernel manager from this config
        config = traitlets_config.Config({"KernelManager": {
            "transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        papermill.execute_notebook(
            str(src), str(dst), parameters=params, kernel_name=KERNEL_NAME, report_mode=True,
            cwd=str(cwd), progress_bar=False, log_output=False, execution_timeout=timeout,
            config=config,
            # the kernel's own log (shutdown chatter on the terminal) says nothing an admin
            # can act on; errors in cells are kept in the executed notebook instead
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
        )


RECORD_TEMPLATE = Path(__file__).resolve().parents[1] / "resources" / "record-template"
"""The record page's template: nbconvert's lab page without any script fetched from the
network (see the template's own comment)."""


class HtmlExport:
    """nbconvert's HTML exporter without code cells, built once per run (it loads templates).

    Records are self-contained: images embedded, nothing fetched when the page is opened
    (no require.js, MathJax, mermaid or widget manager from a CDN), so an audit record shows
    the same offline and years later, and runs no script someone else serves.
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._exporter = nbconvert.HTMLExporter(
            exclude_input=True, embed_images=True, template_file="record.html.j2",
            extra_template_paths=[str(RECORD_TEMPLATE)])

    def __call__(self, notebook: Path) -> Path:
        """Write ``<notebook>.html`` beside the executed notebook; returns its path."""
        # the note standing in for an interactive control, in the tenant's language
        note = {"widget_note": message("widget.record_note", self.lang)}
        body, _ = self._exporter.from_notebook_node(nbformat.read(notebook, as_version=4),
                                                    resources=note)
        return write_text_atomic(notebook.with_suffix(".html"), body)
