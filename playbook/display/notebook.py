"""The notebook kernel's side of the pages: table options, saving a step's result, figures."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.charts import png
from playbook.markup import Html, image
from playbook.runs.record import save_step
from playbook.steps import step_for_result


def init() -> None:
    """Prepare a notebook kernel: tables wide enough to read plan rows.

    Bad input needs no hook here: :class:`~playbook.errors.InputError` renders itself in
    IPython as its one line (``_render_traceback_``), and the cell still fails, so papermill
    and nbval stop there.
    """
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)


def record(run_dir: str | None, result_key: str, result: Any) -> Path | None:
    """Save a step's result as ``<run_dir>/steps/<result_key>.json`` (no-op outside a run).

    ``result_key`` must be one of :data:`playbook.steps.STEPS`' keys, so a typo in a notebook
    fails the run instead of writing a file no summary reads.
    """
    step_for_result(result_key)
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return save_step(run_dir or None, result_key, data)


def figure(fig: Any, alt: str) -> Html:
    """A chart as an inline image inside a page (so it can sit beside its table)."""
    return image(base64.b64encode(png(fig)).decode("ascii"), alt)
