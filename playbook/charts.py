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

SEAT_COLUMNS = ("assigned", "available", "buy_now", "buy_later")
"""Columns of the seat table, stacked into one bar per SKU: licences assigned, free now, and
the "Buy N" figure's two parts (now, once usage locations are set) on top, so the bar's gap is
exactly the figure every card shows and no second "needed" figure can disagree with it."""

PROGRESS_COLUMNS = ("moved", "remaining")
"""Columns of the progress table, drawn as stacked bars for each batch."""

_COLORS = {"assigned": "#4c72b0", "available": "#55a868", "buy_now": "#c44e52",
           "buy_later": "#e8a3a5",
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


def seats_chart(table: pd.DataFrame, title: str = "Licenses per plan",
                labels: Mapping[str, str] | None = None) -> Figure:
    """One stacked bar per SKU: assigned, free now, then the licences to buy on top.

    The buy segments are the card's "Buy N" split (now + once usage locations are set), so the
    chart tells the story of the one figure instead of drawing its own. ``labels`` words the
    legend (by column), the axis (``y``), the figure above the buy segments (``buy``, with
    ``{n}``), the line under the chart (``note``: the "Buy N" sentence with its breakdown) and
    the unknown line (``unknown``, with ``{items}``), in the tenant's language; English when
    not given.

    ``table`` has a ``sku`` column (the label) and the :data:`SEAT_COLUMNS`; a missing value
    (``None``/NaN) is unknown and is listed under the chart rather than drawn.
    """
    words = {"y": "licenses", "unknown": "Unknown (no subscriptions export): {items}",
             "buy": "Buy {n}", **(labels or {})}
    fig = Figure(figsize=(7, 3.2), dpi=100)
    ax = fig.add_subplot()
    x = list(range(len(table)))
    bottom = [0.0] * len(table)
    for col in SEAT_COLUMNS:
        values = pd.to_numeric(table[col], errors="coerce")
        heights = [0.0 if pd.isna(v) else float(v) for v in values]
        if not any(heights):
            continue  # nothing to stack (no split of "Buy N"): no empty legend entry
        bars = ax.bar(x, heights, 0.5, bottom=bottom, label=words.get(col, col),
                      color=_COLORS[col])
        ax.bar_label(bars, labels=[f"{v:.0f}" if h else "" for v, h in zip(values, heights,
                                                                          strict=True)],
                     label_type="center", fontsize=8, color="white")
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    buy = [sum(0 if pd.isna(v) else v for v in (row["buy_now"], row["buy_later"]))
           for _, row in table.iterrows()]  # a handful of SKUs, not users
    for pos, top, n in zip(x, bottom, buy, strict=True):
        if n:  # the gap, named with the card's figure
            ax.annotate(words["buy"].format(n=int(n)), (pos, top), xytext=(0, 3),
                        textcoords="offset points", ha="center", fontsize=9,
                        fontweight="bold", color=_COLORS["buy_now"])
    ax.set_xticks(x, list(table["sku"]))
    ax.set_ylabel(words["y"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.margins(y=0.15)
    lines = [words["note"]] if words.get("note") else []
    unknown = unknown_figures(table, words=words)
    if unknown:
        lines.append(words["unknown"].format(items=", ".join(unknown)))
    if lines:
        fig.text(0.01, 0.01, "\n".join(lines), fontsize=8, color="#555555")
        fig.subplots_adjust(bottom=0.12 + 0.08 * len(lines))
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
