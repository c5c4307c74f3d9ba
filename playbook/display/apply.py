"""Step 3b's page: carrying out the plan through Graph, in the tenant's language.

The words come from :mod:`playbook.messages.apply`; the figures from the apply session (what
is still to send) and the run (:class:`~playbook.graph.apply.Applied`). The dry run's request
lines (ids, methods, addresses, skuIds) are shown as they are: they are what is sent, not
prose. Like the other steps, the page opens with a card; "Cancel E4" is always NO here, since
only step 4's check of the export taken after the move can say yes.
"""

from __future__ import annotations

from playbook.display import names
from playbook.display.cards import not_moved
from playbook.display.pages import (
    gate_html,
    heading_for,
    not_moved_html,
    section,
    status_counts_html,
)
from playbook.graph.session import ApplyRun, ApplySession
from playbook.markup import Fact, Html, card, details, esc, items, join, paragraph
from playbook.messages import message
from playbook.tenant import Tenant
from playbook.verification import Verification

HOW = ("sign_in", "preview", "order", "journal", "confirm")
"""The lines under the card that say how the page works (``apply.how.<key>``)."""


def lines_html(lines: list[str]) -> Html:
    """Lines as they are (request lines, a run's report), wrapped, in a fixed-width font."""
    text = "\n".join(lines)
    return Html("<pre style='white-space: pre-wrap; margin: 0.3em 0; line-height: normal'>"
                f"{esc(text)}</pre>", text)


def apply_card(tenant: Tenant, session: ApplySession | None) -> Html:
    """The card: batches still to run (or no plan, or all sent), "Cancel E4: NO", and the
    one next action."""
    lang = tenant.config.language
    cancel = Fact(message("card.cancel.no", lang), message("apply.card.cancel.help", lang),
                  "bad", "cancel")
    if session is None:
        title = message("apply.card.title.no_plan", lang, tenant=tenant.name)
        facts = [Fact(message("apply.card.no_plan", lang),
                      message("apply.card.no_plan.help", lang), "warn", "batches"), cancel]
        return card(title, facts, message("card.next", lang),
                    message("apply.next.no_plan", lang), "warn")
    plan = session.plan
    target = names.product(tenant.catalog, str(plan.target.get("sku_part_number", "")))
    title = message("apply.card.title", lang, tenant=tenant.name, plan_id=plan.plan_id,
                    target=target)
    units = session.to_send()
    batches = sorted({int(u["batch"].iloc[0]) for u in units})
    if not batches:
        facts = [Fact(message("apply.card.done", lang), message("apply.card.done.help", lang),
                      "good", "batches"), cancel]
        return card(title, facts, message("card.next", lang),
                    message("apply.next.done", lang), "good")
    calls = sum(len(u) for u in units)
    facts = [Fact(message("apply.card.batches", lang, n=len(batches)),
                  message("apply.card.batches.help", lang, calls=calls), "warn", "batches"),
             cancel]
    return card(title, facts, message("card.next", lang),
                message("apply.next.run", lang, first=batches[0]), "warn")


def apply_page(tenant: Tenant, session: ApplySession | None) -> Html:
    """Step 3b: heading, card, how the page works, then what would be sent (the dry run),
    or that no plan is given."""
    lang = tenant.config.language
    preview = (lines_html(session.preview()) if session is not None
               else paragraph(message("apply.no_plan", lang), "warn"))
    return join([
        heading_for("apply", lang),
        apply_card(tenant, session),
        items([message(f"apply.how.{key}", lang) for key in HOW]),
        section("apply_preview", tenant),
        preview,
    ])


def apply_checked(tenant: Tenant, verification: Verification) -> Html:
    """The check after the last batch (the panel's "Export after/ and verify"): step 4's
    gate, the users per status and who is not moved yet."""
    lang = tenant.config.language
    return join([
        gate_html(tenant, verification),
        status_counts_html(verification, lang),
        details(message("section.not_moved", lang, n=not_moved(verification)),
                not_moved_html(tenant, verification)),
    ])


def apply_ran(tenant: Tenant, ran: ApplyRun | None) -> Html:
    """What a papermill run applied (only when ``apply_batches`` asked), with the check of
    its after export; else that nothing was applied."""
    lang = tenant.config.language
    if ran is None:
        done = paragraph(message("apply.nothing_applied", lang))
    else:
        done = join([lines_html(ran.applied.to_text().splitlines()),
                     apply_checked(tenant, ran.verification) if ran.verification else None])
    return join([section("apply_ran", tenant), done])
