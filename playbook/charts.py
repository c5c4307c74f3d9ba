"""Figures for the notebooks: seats per SKU (step 2) and progress per batch (step 4).

Each function takes a plain table and returns a :class:`matplotlib.figure.Figure` built without
pyplot, so making a chart changes no global state and leaks no open figures in a long kernel.
Only the notebooks' display layer imports this module, so the CLI never pays for matplotlib.
Unknown figures are never drawn as zero; the chart names them underneath instead.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SEAT_COLUMNS = ("purchased", "assigned", "needed")
"""Columns of the seat table, drawn as bars side by side for each SKU."""

PROGRESS_COLUMNS = ("moved", "remaining")
"""Columns of the progress table, drawn as stacked bars for each batch."""

_COLORS = {"purchased": "#4c72b0", "assigned": "#dd8452", "needed": "#55a868",
           "moved": "#55a868", "remaining": "#c44e52"}


def unknown_figures(table: pd.DataFrame, columns: tuple[str, ...] = SEAT_COLUMNS,
                    words: Mapping[str, str] | None = None) -> list[str]:
    """``"<column> (<sku>)"`` for each missing value, in table order (what the chart omits);
    ``words`` names the columns in the tenant's language."""
    words = words or {}
    out = []
    for _, row in table.iterrows():  # a handful of SKUs, not users
        for col in columns:
            if col in row and pd.isna(row[col]):
                out.append(f"{words.get(col, col)} ({row['sku']})")
    return out


def seats_chart(table: pd.DataFrame, title: str = "Seats per plan",
                labels: Mapping[str, str] | None = None) -> Figure:
    """Grouped bars of purchased, assigned and needed seats for each SKU in ``table``.

    ``labels`` words the legend (by column), the axis (``y``) and the line under the chart
    (``unknown``, with ``{items}``) in the tenant's language; English when not given.

    ``table`` has a ``sku`` column (the label) and the :data:`SEAT_COLUMNS`; a missing value
    (``None``/NaN) is unknown and is listed under the chart rather than drawn.
    """
    words = {"y": "licenses", "unknown": "Unknown (no subscription export): {items}",
             **(labels or {})}
    fig = Figure(figsize=(7, 3.2), dpi=100)
    ax = fig.add_subplot()
    width = 0.8 / len(SEAT_COLUMNS)
    x = range(len(table))
    for i, col in enumerate(SEAT_COLUMNS):
        values = pd.to_numeric(table[col], errors="coerce")
        xs = [p + (i - 1) * width for p, v in zip(x, values, strict=True) if pd.notna(v)]
        ys = [v for v in values if pd.notna(v)]
        bars = ax.bar(xs, ys, width, label=words.get(col, col), color=_COLORS[col])
        ax.bar_label(bars, fmt="%d", fontsize=8)
    ax.set_xticks(list(x), list(table["sku"]))
    ax.set_ylabel(words["y"])
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.margins(y=0.15)
    unknown = unknown_figures(table, words=words)
    if unknown:
        fig.text(0.01, 0.01, words["unknown"].format(items=", ".join(unknown)),
                 fontsize=8, color="#555555")
        fig.subplots_adjust(bottom=0.2)
    return fig


def progress_chart(table: pd.DataFrame, title: str = "Users moved per batch",
                   labels: Mapping[str, str] | None = None) -> Figure:
    """Stacked bars per batch: users moved (green) under users still to move (red).

    ``table`` has a ``batch`` column and ``moved`` / ``remaining`` counts; batch 0 is drawn as
    "held back" (planned users no batch runs). ``labels`` words the legend, axes (``x``,
    ``y``) and ``held_back`` in the tenant's language; English when not given.
    """
    words = {"x": "batch", "y": "users", "held_back": "held back", **(labels or {})}
    fig = Figure(figsize=(7, 3.2), dpi=100)
    ax = fig.add_subplot()
    labels = [words["held_back"] if int(b) == 0 else str(b) for b in table["batch"]]
    moved = table["moved"].astype(int).tolist()
    remaining = table["remaining"].astype(int).tolist()
    ax.bar(labels, moved, label=words.get("moved", "moved"), color=_COLORS["moved"])
    ax.bar(labels, remaining, bottom=moved, label=words.get("remaining", "remaining"),
           color=_COLORS["remaining"])
    ax.set_xlabel(words["x"])
    ax.set_ylabel(words["y"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    if len(labels) > 30:  # long plans: label every fifth batch
        for i, tick in enumerate(ax.get_xticklabels()):
            tick.set_visible(i % 5 == 0)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes, without the software tag (so re-runs don't differ by version)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()
