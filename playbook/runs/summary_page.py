"""The fleet summary: one row per tenant in ``<out>/summary.csv`` and ``<out>/summary.html``.

Rows come from the run records alone (:func:`summary_rows`), so the summary can be rebuilt at
any time without the tenants. Tenants needing a human come first, ready to cancel last.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.errors import InputError
from playbook.files import csv_bytes, folder_name, write_bytes_atomic, write_text_atomic
from playbook.markup import link, pill
from playbook.messages import message
from playbook.runs.page_style import local_href, page_start
from playbook.runs.record import tenant_records
from playbook.runs.standing import (
    RANK_NOT_RUN,
    Standing,
    batches_of,
    blockers_of,
    gate_of,
    merge_records,
    shortfall_of,
    standing,
    to_buy_of,
    unreadable_record,
    users_to_move_of,
)

SUMMARY_COLUMNS: tuple[str, ...] = (
    "tenant", "folder", "stage", "needs_human", "upgrade_path", "blockers", "users_to_move",
    "shortfall", "to_buy", "plan_batches", "gate", "run_status", "failed_step", "why",
    "next_action", "last_run", "runs", "record",
)


def summary_row(folder: str, view: dict[str, Any], record_link: str,
                st: Standing | None = None) -> dict[str, Any]:
    """One summary row (keys = :data:`SUMMARY_COLUMNS` plus the sort rank ``_rank``).

    ``None`` means unknown. ``st`` replaces the standing decided from ``view``. The words are
    English whatever the tenant's language: the CSV is for scripts and the page is written
    in one language for the whole fleet (:func:`summary_html`'s ``lang``).
    """
    st = st or standing(view, "en")
    assessment = view.get("assessment") if isinstance(view.get("assessment"), dict) else {}
    return {
        "tenant": view.get("tenant") or folder,
        "folder": folder,
        "stage": st.label,
        "needs_human": st.needs_human,
        "upgrade_path": assessment.get("path"),
        "blockers": "; ".join(blockers_of(view)),
        "users_to_move": users_to_move_of(view),
        "shortfall": shortfall_of(view),
        "to_buy": to_buy_of(view),
        "plan_batches": batches_of(view),
        "gate": gate_of(view),
        "run_status": view.get("status") or "not-run",
        "failed_step": view.get("failed_step"),
        "why": st.why,
        "next_action": st.next_action,
        "last_run": view.get("run_id"),
        "runs": view.get("runs", 0),
        "record": record_link,
        "_rank": st.rank,
    }


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tenants needing a human first (failed, bad input, partner, seats, blockers, gate shut),
    ready to cancel last; ties by tenant name so the order is stable."""
    return sorted(rows, key=lambda r: (r.get("_rank", RANK_NOT_RUN), str(r.get("folder"))))


def summary_rows(tenants: list[Path], out_dir: str | Path) -> list[dict[str, Any]]:
    """One row per tenant from its run records, sorted so tenants needing a human come first."""
    rows = []
    for tenant in tenants:
        folder = tenant.name
        try:
            records = tenant_records(out_dir, folder_name(tenant))
        except InputError as exc:
            st = replace(unreadable_record("en"), why=exc.one_line("en"))  # rows: English
            rows.append({**summary_row(folder, {}, "", st), "run_status": "failed"})
            continue
        view = merge_records([r for _, r in records])
        link = f"{folder_name(tenant)}/{records[0][0].name}/index.html" if records else ""
        rows.append(summary_row(folder, view, link))
    return sort_rows(rows)


def summary_csv(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    """The CSV file: unknown figures are empty cells (not zeros), formulas neutralized by the
    project's one CSV writer (:func:`playbook.files.csv_bytes`)."""
    # object cells: a column of counts with unknowns stays "3" and "", never "3.0" and "nan"
    frame = pd.DataFrame([[row.get(c) for c in columns] for row in rows],
                         columns=list(columns), dtype=object)
    return csv_bytes(frame, bom=False, lineterminator="\n")


PAGE_COLUMNS: tuple[str, ...] = ("tenant", "stage", "route", "to_buy", "next", "record")
"""The page's columns (the CSV keeps all of :data:`SUMMARY_COLUMNS` for scripts)."""

ROUTES = ("upgrade-tab", "manual", "contact-partner")
"""The routes an assessment can give (its ``path``), worded by ``card.route.<path>``."""


def _tone(row: dict[str, Any]) -> str:
    """The stage pill's colour: red when a human must look, green when ready to cancel."""
    if row.get("needs_human"):
        return "bad"
    return "good" if row.get("stage") == "ready to cancel" else "info"


def _page_row(row: dict[str, Any], lang: str) -> dict[str, str]:
    """One tenant as the page shows it: name (folder), stage pill text, route, to buy, next
    action with why, and the record link. Unknown figures stay empty, never 0."""
    path = row.get("upgrade_path")
    to_buy = row.get("to_buy")
    tenant, folder = str(row.get("tenant") or ""), str(row.get("folder") or "")
    return {
        "tenant": tenant if tenant == folder or not folder else f"{tenant} ({folder})",
        "stage": str(row.get("stage") or ""),
        "route": message(f"card.route.{path}", lang) if path in ROUTES else "",
        "to_buy": "" if to_buy is None else str(to_buy),
        "next": str(row.get("next_action") or ""),
        "why": str(row.get("why") or ""),
        "record": str(row.get("record") or ""),
    }


def summary_html(rows: list[dict[str, Any]], columns: tuple[str, ...] = SUMMARY_COLUMNS,
                 lang: str = "en") -> str:
    """The HTML page: about six columns (tenant, a coloured stage pill, route, to buy, next
    action with why, record link), tenants needing a human first. ``columns`` is the CSV's and
    only kept for the caller's signature.

    Every value is text escaped for HTML; a link is a relative URL, percent-encoded
    (:func:`~playbook.runs.page_style.local_href`), then escaped (:func:`~playbook.markup.link`),
    so a tenant folder named ``javascript:alert(1)<!--`` is shown as that text and links
    nowhere but its record.
    """
    human = sum(1 for r in rows if r.get("needs_human"))
    title = message("fleet.title", lang)
    heads = "".join(f"<th>{escape(message(f'fleet.col.{c}', lang))}</th>"
                    for c in PAGE_COLUMNS)
    out = [page_start(title, lang), f"<h1>{escape(title)}</h1>",
           f"<p>{escape(message('fleet.lead', lang, n=len(rows), human=human))}</p>",
           f"<table><tr>{heads}</tr>"]
    for row in rows:
        v = _page_row(row, lang)
        record = (f"{link(message('fleet.record', lang), local_href(v['record']))} "
                  f"<span class=muted>{escape(str(row.get('last_run') or ''))}</span>"
                  if v["record"] else f"<span class=muted>"
                  f"{escape(message('fleet.never', lang))}</span>")
        nxt = escape(v["next"]) + (f"<br><span class=muted>{escape(v['why'])}</span>"
                                   if v["why"] else "")
        cells = [escape(v["tenant"]), pill(v["stage"], _tone(row)), escape(v["route"]),
                 escape(v["to_buy"]), nxt, record]
        css = "human" if row.get("needs_human") else ""
        out.append(f'<tr class="{css}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table></body></html>\n")
    return "\n".join(out)


def write_summary(rows: list[dict[str, Any]], out_dir: str | Path,
                  columns: tuple[str, ...] = SUMMARY_COLUMNS) -> tuple[Path, Path]:
    """Write ``<out>/summary.csv`` and ``<out>/summary.html`` (rows already sorted)."""
    out = Path(out_dir)
    csv_path = write_bytes_atomic(out / "summary.csv", summary_csv(rows, columns))
    html_path = write_text_atomic(out / "summary.html", summary_html(rows))
    return csv_path, html_path
