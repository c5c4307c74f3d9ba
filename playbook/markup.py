"""HTML building blocks shared by every page: tables, cards, pills and collapsible sections.

One look for JupyterLab, the Voila app, the HTML run records (nbconvert keeps the outputs as
they are) and the fleet's summary.html. Everything is inline-styled (no ``<style>`` block a
notebook front end might drop), and every value is escaped here with :func:`html.escape`, so a
UPN or a department holding ``<`` or ``&`` can never become markup. Callers pass plain text.

An :class:`Html` object shows as HTML in a notebook and as plain text everywhere else
(``repr``, nbval's checked outputs, logs), so a checked cell still compares readable text.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

TONES: dict[str, tuple[str, str]] = {
    "good": ("#1b5e20", "#e8f5e9"),
    "warn": ("#8a4b00", "#fff4e5"),
    "bad": ("#b71c1c", "#fdecea"),
    "info": ("#0d47a1", "#e8f0fe"),
    "plain": ("#333333", "#f3f3f3"),
}
"""Text and background colour per tone: green go, amber act, red stop, blue note."""

MAX_ROWS = 200
"""Rows a page table shows; tens of thousands of ``<tr>`` freeze a browser tab."""

_CELL = "border: 1px solid #d0d0d0; padding: 4px 8px; text-align: left; vertical-align: top"
_TABLE = "border-collapse: collapse; font-size: 0.92em; margin: 0.4em 0; max-width: 100%"


def esc(value: Any) -> str:
    """A value as escaped text (``None`` and NaN as empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


@dataclass(frozen=True)
class Html:
    """A piece of a page: ``markup`` for notebooks and browsers, ``text`` for everything else."""

    markup: str
    text: str = ""

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text or "(html)"

    def __str__(self) -> str:
        return self.markup

    def to_text(self) -> str:
        """The plain-text twin (what widgets' ``.text`` and logs read)."""
        return self.text


def join(parts: Iterable[Html | None]) -> Html:
    """Pieces one after another (``None`` skipped), their texts on separate lines."""
    kept = [p for p in parts if p is not None]
    return Html("".join(p.markup for p in kept), "\n".join(p.text for p in kept if p.text))


def heading(title: str, level: int = 3) -> Html:
    """A heading of ``level`` (plain text, escaped)."""
    return Html(f"<h{level} style='margin: 0.8em 0 0.3em'>{esc(title)}</h{level}>", title)


def paragraph(text: str, tone: str = "") -> Html:
    """A wrapped paragraph, coloured by ``tone`` when given."""
    color = f" style='color: {TONES[tone][0]}'" if tone else ""
    return Html(f"<p{color}>{esc(text)}</p>", text)


LINK_STYLE = "color: var(--jp-content-link-color, #1a73e8); text-decoration: underline"
"""How a link on a notebook page looks: JupyterLab's link colour (blue outside Lab), underlined,
so the "Next" link and the app's step links stand out as links in Lab, Voila and records."""


def link(label: str, href: str, style: str = "") -> str:
    """An ``<a>``: the one place a page builds a link, so every address and label is escaped
    the same way (label as text, address and ``style`` for an attribute)."""
    styled = f" style=\"{html.escape(style, quote=True)}\"" if style else ""
    return f"<a href=\"{html.escape(href, quote=True)}\"{styled}>{esc(label)}</a>"


def pill(label: str, tone: str = "plain") -> str:
    """A small rounded label coloured by ``tone`` (a status, a severity)."""
    fg, bg = TONES[tone]
    return (f"<span style='display: inline-block; padding: 1px 9px; border-radius: 10px; "
            f"color: {fg}; background: {bg}; border: 1px solid {fg}33; white-space: nowrap; "
            f"font-size: 0.9em'>{esc(label)}</span>")


def items(lines: Sequence[str], tone: str = "") -> Html:
    """A bulleted list of plain-text lines."""
    color = f" style='color: {TONES[tone][0]}'" if tone else ""
    body = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return Html(f"<ul{color}>{body}</ul>" if lines else "", "\n".join(lines))


def details(summary: str, body: Html, *, open_: bool = False) -> Html:
    """A collapsible section: ``summary`` always shown, ``body`` on a click."""
    state = " open" if open_ else ""
    return Html(f"<details{state} style='margin: 0.5em 0'><summary style='cursor: pointer; "
                f"font-weight: 600'>{esc(summary)}</summary>{body.markup}</details>",
                f"{summary}\n{body.text}".rstrip())


def side_by_side(left: Html, right: Html) -> Html:
    """Two pieces next to each other, wrapping under each other on a narrow page."""
    box = "flex: 1 1 320px; min-width: 0"
    return Html(f"<div style='display: flex; flex-wrap: wrap; gap: 1.5em; align-items: "
                f"flex-start'><div style='{box}'>{left.markup}</div><div style='{box}'>"
                f"{right.markup}</div></div>", f"{left.text}\n{right.text}".strip())


def image(png_base64: str, alt: str) -> Html:
    """An inline PNG (the chart travels inside the page and its HTML copy)."""
    return Html(f"<img alt=\"{html.escape(alt, quote=True)}\" style='max-width: 100%' "
                f"src=\"data:image/png;base64,{png_base64}\">", alt)


@dataclass(frozen=True)
class Fact:
    """One cell of a card: a big value and a small line under it."""

    value: str
    note: str = ""
    tone: str = "plain"
    key: str = ""
    """Names the cell for a browser test (``data-fact``): route, buy, cancel."""


def card(title: str, facts: Sequence[Fact], next_label: str, next_action: str,
         tone: str) -> Html:
    """The coloured card a step opens with: a few big facts, then the one next action."""
    fg, bg = TONES[tone]
    cells = []
    for f in facts:
        cfg = TONES[f.tone][0]
        cells.append(f"<div data-fact='{esc(f.key)}' style='min-width: 11em'><div "
                     f"style='font-size: 1.35em; "
                     f"font-weight: 700; color: {cfg}'>{esc(f.value)}</div><div "
                     f"style='font-size: 0.85em; color: #555'>{esc(f.note)}</div></div>")
    markup = (f"<div class='e4-card' style='border-left: 6px solid {fg}; background: {bg}; "
              f"padding: 0.7em "
              f"1em; margin: 0.6em 0; border-radius: 4px'><div style='font-size: 0.85em; "
              f"color: #555'>{esc(title)}</div><div style='display: flex; flex-wrap: wrap; "
              f"gap: 1.5em; margin: 0.3em 0'>{''.join(cells)}</div><div><b>"
              f"{esc(next_label)}:</b> {esc(next_action)}</div></div>")
    text = " | ".join(f"{f.value} ({f.note})" if f.note else f.value for f in facts)
    text += f"\n{next_label}: {next_action}"
    return Html(markup, f"{title}\n{text}")


def is_empty(value: Any) -> bool:
    """An empty cell: None, NaN, "" or an empty list/tuple."""
    if value is None:
        return True
    if isinstance(value, tuple | list | set | frozenset):
        return not value
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def drop_empty(frame: pd.DataFrame, zero_is_empty: Iterable[str] = ()) -> pd.DataFrame:
    """``frame`` without the columns that are empty on every row (0 counts as empty in the
    columns named in ``zero_is_empty``, e.g. a group's ``members`` on user rows)."""
    zeros = set(zero_is_empty)
    keep = []
    for col in frame.columns:
        values = frame[col]
        empty = values.map(is_empty)
        if col in zeros:
            empty = empty | values.map(
                lambda v: isinstance(v, numbers.Number) and not isinstance(v, bool) and v == 0)
        if not bool(empty.all()):
            keep.append(col)
    return frame[keep]


def table(frame: pd.DataFrame, headers: Mapping[str, str], *,
          tones: Mapping[str, Sequence[str]] | None = None, pills: Iterable[str] = (),
          more: str = "", empty: str = "", max_rows: int = MAX_ROWS) -> Html:
    """A table with human ``headers`` (columns not in ``headers`` are left out), text wrapped
    and left-aligned, numbers right-aligned, no index.

    ``tones`` maps a column to one tone per row: that cell is coloured (a severity). Columns in
    ``pills`` show as pills in their row's tone. ``more`` is said under the table when rows
    are cut at ``max_rows`` (it may hold ``{n}``, the rows not shown).
    """
    cols = [c for c in headers if c in frame.columns]
    if frame.empty or not cols:
        return paragraph(empty) if empty else Html("", "")
    shown = frame.head(max_rows)
    pill_cols = set(pills)
    head = "".join(f"<th style='{_CELL}; background: #f0f0f0'>{esc(headers[c])}</th>"
                   for c in cols)
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in cols}
    rows = []
    for i in range(len(shown)):  # at most max_rows: a page, not the data
        cells = []
        for c in cols:
            value = shown[c].iloc[i]
            tone = tones[c][i] if tones and c in tones else ""
            align = "; text-align: right" if numeric[c] else ""
            if c in pill_cols:
                body = pill(_cell_text(value), tone or "plain")
            else:
                body = esc(_cell_text(value))
            color = f"; color: {TONES[tone][0]}; font-weight: 600" if (
                tone and c not in pill_cols) else ""
            cells.append(f"<td style='{_CELL}{align}{color}'>{body}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    markup = f"<table style='{_TABLE}'><tr>{head}</tr>{''.join(rows)}</table>"
    text_lines = ["  ".join(headers[c] for c in cols)]
    text_lines += ["  ".join(_cell_text(shown[c].iloc[i]) for c in cols)
                   for i in range(len(shown))]
    if len(frame) > max_rows and more:
        note = more.format(n=len(frame) - max_rows)
        markup += f"<p><i>{esc(note)}</i></p>"
        text_lines.append(note)
    return Html(markup, "\n".join(text_lines))


def _cell_text(value: Any) -> str:
    """How a cell reads: lists joined with commas, empty as nothing."""
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return "" if is_empty(value) else str(value)
