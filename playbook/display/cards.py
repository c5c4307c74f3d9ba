"""The card each step opens with: route, "Buy N", "Cancel E4: YES/NO" and the one next action.

Every figure on a card comes from a domain result (the assessment, the count, the plan, the
verification); the card only words and colours it, in the tenant's language. "Buy N" is read
through :func:`buy_figure` alone, which is counting's :class:`~playbook.counting.BuyFigure`
(the one the CLI, the plan and the fleet summary show too), so no two pages show two numbers
to buy.
"""

from __future__ import annotations

from playbook.counting import BuyFigure, LicenseCount
from playbook.display import names
from playbook.eligibility import Assessment
from playbook.markup import Fact, Html, card
from playbook.messages import message
from playbook.plan import Plan
from playbook.tenant import Tenant
from playbook.verification import Verification

DONE_STATUSES = ("moved", "drifted")
"""Statuses whose user is off E4 and on the target (drifted: settings differ from the plan)."""

ROUTE_TONES = {"upgrade-tab": "good", "manual": "warn", "contact-partner": "bad"}


def buy_figure(counts: LicenseCount) -> BuyFigure:
    """"Buy N": licences of the target to buy for the whole move, with its breakdown (now +
    once usage locations are set); ``total`` is ``None`` when no subscriptions export tells.
    The one place a page reads the figure to buy from: counting's, so it cannot drift."""
    return counts.buy


def not_moved(verification: Verification) -> int:
    """Users the verification found not (yet) on the target: every status but moved/drifted."""
    return int((~verification.status["status"].isin(DONE_STATUSES)).sum())


def _route(assessment: Assessment, lang: str) -> Fact:
    return Fact(message(f"card.route.{assessment.path}", lang), message("card.route", lang),
                ROUTE_TONES.get(assessment.path, "plain"), "route")


def _buy(tenant: Tenant, counts: LicenseCount, lang: str) -> Fact:
    buy = buy_figure(counts)
    if buy.total is None:
        return Fact(message("card.buy.unknown", lang), message("card.buy.help.unknown", lang),
                    "warn", "buy")
    target = names.product(tenant.catalog, tenant.config.target)
    note = (message("card.buy.help.split", lang, target=target, now=buy.now,
                    later=buy.once_usage_locations_set)
            if buy.once_usage_locations_set else message("card.buy.help", lang, target=target))
    return Fact(message("card.buy", lang, n=buy.total), note, "warn" if buy.total else "good",
                "buy")


def _cancel(holders: int, safe: bool, lang: str) -> Fact:
    if safe:
        return Fact(message("card.cancel.yes", lang), message("card.cancel.help.yes", lang),
                    "good", "cancel")
    return Fact(message("card.cancel.no", lang), message("card.cancel.help.no", lang,
                                                         n=holders), "bad", "cancel")


def _title(tenant: Tenant, counts: LicenseCount) -> str:
    return message("page.tenant", tenant.config.language, tenant=tenant.name,
                   users=counts.source_users,
                   target=names.product(tenant.catalog, tenant.config.target))


def step_card(tenant: Tenant, assessment: Assessment, step: str, *,
              counts: LicenseCount | None = None, plan: Plan | None = None,
              verification: Verification | None = None) -> Html:
    """The card of ``step`` (a result key: assessment, counts, plan or verification).

    The route comes from ``assessment``, "Buy N" from ``counts`` (default: the assessment's
    own count, which is counting's, so steps 1-3 say the same number); "Cancel E4" is NO while
    anyone holds E4, and in step 4 it is the verification's gate.
    """
    lang = tenant.config.language
    counts = counts or assessment.counts
    holders = counts.source_users
    safe = holders == 0
    if verification is not None:
        holders, safe = not_moved(verification), verification.safe_to_cancel
    facts = [_route(assessment, lang), _buy(tenant, counts, lang), _cancel(holders, safe, lang)]
    if step == "verification" and verification is not None:
        action, tone = _next_verification(verification, holders, lang)
    elif step == "plan" and plan is not None:
        action, tone = _next_plan(plan, names.product(tenant.catalog, tenant.config.target),
                                  lang)
    elif step == "counts" and assessment.path != "contact-partner":
        action, tone = _next_counts(tenant, counts, lang)
    else:
        action, tone = _next_assessment(tenant, assessment, lang)
    return card(_title(tenant, counts), facts, message("card.next", lang), action, tone)


def _next_assessment(tenant: Tenant, assessment: Assessment, lang: str) -> tuple[str, str]:
    """Step 1: what the route calls for, and the card's colour."""
    if assessment.path == "upgrade-tab":
        target = names.product(tenant.catalog, tenant.config.target)
        return message("next.assessment.upgrade-tab", lang, target=target), "good"
    if assessment.path == "contact-partner":
        return message("next.assessment.contact-partner", lang), "bad"
    return message("next.assessment.manual", lang, n=len(assessment.blockers)), "warn"


def _next_counts(tenant: Tenant, counts: LicenseCount, lang: str) -> tuple[str, str]:
    """Step 2: buy, or enough licences already."""
    buy = buy_figure(counts)
    if buy.total is None:
        return message("next.counts.unknown", lang), "warn"
    if buy.total:
        target = names.product(tenant.catalog, tenant.config.target)
        return message("next.counts.buy", lang, buy=buy.to_text(lang, target)), "warn"
    return message("next.counts.enough", lang), "good"


def _next_plan(plan: Plan, target: str, lang: str) -> tuple[str, str]:
    """Step 3: refused, decisions first, or run batch 1."""
    batches = int(plan.summary.get("batches", 0))
    if plan.refused:
        return message("next.plan.refused", lang,
                       buy=plan.buy.to_text(lang, target)), "bad"
    if not batches:
        return message("next.plan.nothing", lang), "good"
    if plan.decisions:
        return message("next.plan.decide", lang, n=len(plan.decisions), batches=batches), "warn"
    return message("next.plan.run", lang, batches=batches), "good"


def _next_verification(verification: Verification, holders: int,
                       lang: str) -> tuple[str, str]:
    """Step 4: cancel after the checklist, or run what is left."""
    if verification.safe_to_cancel:
        return message("next.verification.cancel", lang), "good"
    return message("next.verification.remaining", lang, n=holders), "bad"
