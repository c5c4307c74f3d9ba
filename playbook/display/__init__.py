"""The display layer: what the notebooks, the web app and the HTML run records show.

Domain modules return data; this package words, names and colours it in the tenant's
language (``pages``: a card and sections per step; ``cards``: the card and the one "Buy N";
``names``: products, apps and groups as the admin center shows them; ``tables``: the results
as plain tables; ``notebook``: the kernel side). Plain text stays in the CLI. Notebooks import
the package as ``show`` and make two- or three-line calls into it.
"""

from playbook.display.cards import DONE_STATUSES, buy_figure, not_moved, step_card
from playbook.display.notebook import figure, init, record, show_figure
from playbook.display.pages import (
    ShortVerdict,
    assessment_page,
    comparison_html,
    counts_page,
    findings_html,
    heading_for,
    plan_page,
    plan_summary,
    section,
    status_users_html,
    verification_page,
)
from playbook.display.tables import (
    PLAN_VIEW_COLUMNS,
    checklist_table,
    comparison_view,
    count_text,
    findings_table,
    gate_banner,
    mapping_table,
    plan_source,
    plan_view,
    progress_table,
    seat_table,
    status_summary,
    status_tables,
    text_table,
)

__all__ = [
    "DONE_STATUSES", "PLAN_VIEW_COLUMNS", "ShortVerdict", "assessment_page", "buy_figure",
    "checklist_table", "comparison_html", "comparison_view", "count_text", "counts_page",
    "figure", "findings_html", "findings_table", "gate_banner", "heading_for", "init",
    "mapping_table", "not_moved", "plan_page", "plan_source", "plan_summary", "plan_view",
    "progress_table", "record", "seat_table", "section", "show_figure", "status_summary",
    "status_tables", "status_users_html", "step_card", "text_table", "verification_page",
]
