"""The display layer: what the notebooks, the web app and the HTML run records show.

Domain modules return data; this package words, names and colours it in the tenant's
language (``pages``: a card and sections per step; ``apply``: step 3b's page; ``cards``: the
card and the one "Buy N"; ``names``: products, apps and groups as the admin center shows them;
``tables``: the results as plain tables; ``notebook``: the kernel side). Plain text stays in
the CLI. Notebooks import the package as ``show`` and make two- or three-line calls into it.
"""

from playbook.display.apply import apply_card, apply_checked, apply_page, apply_ran
from playbook.display.cards import DONE_STATUSES, buy_figure, not_moved, step_card
from playbook.display.notebook import figure, init, record
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
    comparison_view,
    mapping_table,
    plan_source,
    progress_table,
    seat_table,
    status_tables,
)

__all__ = [
    "DONE_STATUSES", "ShortVerdict", "apply_card", "apply_checked", "apply_page", "apply_ran",
    "assessment_page", "buy_figure", "comparison_html",
    "comparison_view", "counts_page", "figure", "findings_html", "heading_for", "init",
    "mapping_table", "not_moved", "plan_page", "plan_source", "plan_summary", "progress_table",
    "record", "seat_table", "section", "status_tables", "status_users_html", "step_card",
    "verification_page",
]
