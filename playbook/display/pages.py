"""The pages an admin reads: each step as a card, then its details, in the tenant's language.

One function per step (:func:`assessment_page`, :func:`counts_page`, :func:`plan_page`,
:func:`verification_page`) takes the domain results the notebook already has and returns an
:class:`~playbook.markup.Html` piece: the same markup in JupyterLab, the Voila app and the
HTML run record, with a plain-text twin for checked outputs. Every word comes from
:mod:`playbook.messages` in the tenant's language; every name from :mod:`.names`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from playbook import charts
from playbook.counting import COUNT_KEYS, LicenseCount
from playbook.display import names
from playbook.display.cards import DONE_STATUSES, ROUTE_TONES, buy_figure, step_card
from playbook.display.notebook import figure
from playbook.display.tables import (
    comparison_view,
    mapping_table,
    plan_source,
    progress_table,
    seat_table,
)
from playbook.eligibility import Assessment, compare_targets
from playbook.markup import (
    MAX_ROWS,
    Html,
    details,
    drop_empty,
    esc,
    heading,
    items,
    join,
    link,
    paragraph,
    pill,
    side_by_side,
    table,
)
from playbook.messages import Said, has_message, message, text
from playbook.plan import Plan
from playbook.tenant import Tenant
from playbook.verification import STATUSES, Verification, reason_text

_LEARN = "https://learn.microsoft.com/microsoft-365/commerce/subscriptions/"
E4_GUIDE = _LEARN + "upgrade-office-365-e4"
GUIDES: dict[str, tuple[str, ...]] = {
    "assessment": (E4_GUIDE, _LEARN + "upgrade-to-different-plan"),
    "counts": (E4_GUIDE,),
    "plan": (E4_GUIDE, _LEARN + "move-users-different-subscription"),
    "apply": (E4_GUIDE, _LEARN + "move-users-different-subscription"),
    "verification": (E4_GUIDE, _LEARN + "cancel-your-subscription"),
}
"""Microsoft's pages behind each step (the E4 upgrade guide first), linked under its heading."""

SEVERITY_TONES = {"blocker": "bad", "warning": "warn", "info": "info"}
STATUS_TONES = {"moved": "good", "drifted": "warn", "pending": "warn", "partial": "warn",
                "failed": "bad", "unexpected": "bad"}
DECISIONS_SHOWN = 3
"""Users or groups named per decision; the rest are counted."""


def _headers(lang: str, columns: Sequence[str]) -> dict[str, str]:
    same = {"batch": "ui.h.batch", "status": "ui.h.status", "plan": "ui.h.plan"}
    return {c: message(same.get(c, f"col.{c}"), lang) for c in columns}


# -- headings ---------------------------------------------------------------------------------
def heading_for(step: str, lang: str) -> Html:
    """A step's title, what it does, and Microsoft's page it follows (``step``: result key)."""
    label = message("page.source", lang)
    guides = ", ".join(link(f"{label} {i}", url) for i, url in enumerate(GUIDES[step], 1))
    intro = message(f"page.intro.{step}", lang)
    return join([heading(message(f"page.title.{step}", lang), 2),
                 Html(f"<p>{esc(intro)} ({guides})</p>", intro)])


def section(key: str, tenant: Tenant) -> Html:
    """A section heading with its help line when there is one (``section.<key>.help``)."""
    lang = tenant.config.language
    parts = [heading(message(f"section.{key}", lang))]
    if has_message(f"section.{key}.help"):
        parts.append(paragraph(message(f"section.{key}.help", lang)))
    return join(parts)


# -- step 1 -----------------------------------------------------------------------------------
def findings_html(assessment: Assessment) -> Html:
    """The findings as a table: severity in its colour, the finding, and its fix beside it."""
    lang = assessment.language
    if not assessment.findings:
        return paragraph(message("section.findings.none", lang), "good")
    frame = pd.DataFrame({
        "severity": [message(f"severity.{f.severity}", lang) for f in assessment.findings],
        "finding": [f.message for f in assessment.findings],
        "fix": [f.remedy for f in assessment.findings],
    })
    tones = [SEVERITY_TONES.get(f.severity, "plain") for f in assessment.findings]
    return table(frame, _headers(lang, ["severity", "finding", "fix"]),
                 tones={"severity": tones}, pills=["severity"])


@dataclass(frozen=True)
class ShortVerdict:
    """The picker's view of an assessment: the route, "Buy N" with its breakdown (the card's
    figure, so the picker never shows another), then the findings with their fixes."""

    assessment: Assessment

    def to_text(self) -> str:
        a = self.assessment
        lang = a.language
        lines = [f"{a.target_name or a.target} ({a.target})", a.route_text(),
                 buy_figure(a.counts).to_text(lang, a.target_name or a.target)]
        if not a.findings:
            lines.append(text("ui.no_findings", lang))
        for f in a.findings:
            lines.append(f"  {text(f'ui.severity.{f.severity}', lang)}: [{f.code}] {f.message}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return self.assessment.to_dict()

    def _repr_html_(self) -> str:
        a = self.assessment
        route = pill(message(f"card.route.{a.path}", a.language),
                     ROUTE_TONES.get(a.path, "plain"))
        head = f"<p><b>{esc(a.target_name or a.target)}</b> [{esc(a.target)}] {route}</p>"
        buy = buy_figure(a.counts).to_text(a.language, a.target_name or a.target)
        return head + f"<p>{esc(buy)}</p>" + findings_html(a).markup


def warnings_html(key: str, warnings: Sequence[Said], lang: str) -> Html | None:
    """The warnings as an open list in ``lang`` under ``warning.section.<key>`` (None when
    there is none): what a reader left out or could not tell is read before the figures."""
    if not warnings:
        return None
    return details(message(f"warning.section.{key}", lang, n=len(warnings)),
                   items([w.words(lang) for w in warnings], "warn"), open_=True)


def assessment_page(tenant: Tenant, assessment: Assessment) -> Html:
    """Step 1: heading, card, the findings with their fixes, then what reading the exports
    warned about."""
    lang = tenant.config.language
    return join([
        heading_for("assessment", lang),
        step_card(tenant, assessment, "assessment"),
        details(message("section.findings", lang), findings_html(assessment), open_=True),
        warnings_html("read", tenant.warnings, lang),
    ])


def comparison_html(tenant: Tenant) -> Html:
    """The target plans against E4 (static, so the HTML record shows it without widgets)."""
    lang = tenant.config.language
    view = comparison_view(tenant)
    view.insert(0, "plan", [names.product_with_part(tenant.catalog, p)
                            for p in view["part_number"]])
    if "lacks" in view.columns:  # apps by name, from the compared tuple of plan names
        lacks = compare_targets(tenant.catalog, tenant.config.source)["lacks"]
        view["lacks"] = [names.apps(tenant.catalog, t) or "-" for t in lacks]
    if "data_services" in view.columns:
        view["data_services"] = view["data_services"].map(
            lambda v: message(f"ui.data.{v}", lang))
    cols = ["plan", "keeps_all_e4_features", "phone_system", "audio_conferencing",
            "data_services", "lacks"]
    return join([section("compare", tenant), table(view, _headers(lang, cols))])


# -- step 2 -----------------------------------------------------------------------------------
def count_table(tenant: Tenant, counts: LicenseCount) -> pd.DataFrame:
    """The count as ``figure`` / ``value`` rows in the tenant's language (unknown, never 0)."""
    lang = tenant.config.language
    unknown = message("ui.unknown", lang)
    values = [getattr(counts, k) for k in COUNT_KEYS]
    return pd.DataFrame({
        "figure": [message(f"ui.count.{k}", lang).strip() for k in COUNT_KEYS],
        "value": [unknown if v is None else str(v) for v in values],
    })


def seats_chart(tenant: Tenant, counts: LicenseCount) -> Figure:
    """The seats chart in the tenant's language: the gap above the target's bar is labelled
    with the card's "Buy N" and the line under it is the same "Buy N" sentence with its
    breakdown, so the chart can never show a figure the cards do not."""
    lang = tenant.config.language
    target = names.product(tenant.catalog, tenant.config.target)
    words = {c: message(f"chart.seats.{c}", lang) for c in charts.SEAT_COLUMNS}
    words |= {"y": message("chart.seats.y", lang),
              "buy": message("card.buy", lang, n="{n}"),
              "note": buy_figure(counts).to_text(lang, target),
              "unknown": message("chart.unknown", lang, items="{items}")}
    title = message("chart.seats.title", lang)
    return charts.seats_chart(seat_table(tenant, counts), title=title, labels=words)


def seats_figure(tenant: Tenant, counts: LicenseCount) -> Html:
    """The seats chart (:func:`seats_chart`) as a page piece."""
    return figure(seats_chart(tenant, counts), message("chart.seats.title",
                                                       tenant.config.language))


def counts_page(tenant: Tenant, assessment: Assessment, counts: LicenseCount) -> Html:
    """Step 2: heading, card, "Buy N" with its breakdown in one line (the line step 1, the
    plan and the CLI show), then the count as a table beside the seats chart."""
    lang = tenant.config.language
    counted = table(count_table(tenant, counts), _headers(lang, ["figure", "value"]))
    target = names.product(tenant.catalog, tenant.config.target)
    return join([
        heading_for("counts", lang),
        step_card(tenant, assessment, "counts", counts=counts),
        heading(message("section.counts", lang)),
        paragraph(buy_figure(counts).to_text(lang, target)),
        side_by_side(counted, seats_figure(tenant, counts)),
    ])


# -- step 3 -----------------------------------------------------------------------------------
def plan_figures(tenant: Tenant, plan: Plan) -> Html:
    """The plan in figures: users, batches, seats, held back, skipped, decisions."""
    lang = tenant.config.language
    s = plan.summary
    unknown = message("ui.unknown", lang)
    rows = [
        ("plan.fig.e4_users", s.get("e4_users")),
        ("plan.fig.users_moved", s.get("users_moved")),
        ("plan.fig.batches", s.get("batches")),
        ("plan.fig.seats_needed", plan.seats_needed),
        ("plan.fig.seats_available", plan.seats_available),
        ("plan.fig.held_back", s.get("held_back")),
        ("plan.fig.skipped", sum(s.get("skips", {}).values())),
        ("plan.fig.decisions", len(plan.decisions)),
    ]
    frame = pd.DataFrame({
        "figure": [message(k, lang, size=plan.batch_size) for k, _ in rows],
        "value": [unknown if v is None else str(v) for _, v in rows],
    })
    out = [table(frame, _headers(lang, ["figure", "value"]))]
    if plan.refused:
        out.append(paragraph(message("plan.refused", lang, n=plan.shortfall), "bad"))
    elif plan.seats_available is None:
        out.append(paragraph(message("plan.unverified", lang), "warn"))
    return join(out)


def _who(decision: Mapping[str, Any], tenant: Tenant, lang: str) -> str:
    """Who a decision is about: the user, the group (by name when groups.json names it), the
    apps, else the whole plan."""
    catalog = tenant.catalog
    if decision.get("upn"):
        return str(decision["upn"])
    if decision.get("group_id"):
        return names.group(str(decision["group_id"]), tenant.group_names)
    if decision.get("addon"):
        return str(decision["addon"])
    if decision.get("plans"):
        return names.apps(catalog, decision["plans"])
    return message("plan.whole_plan", lang)


def decisions_html(tenant: Tenant, plan: Plan) -> Html:
    """The decisions left to the admin, one line per kind of question with who it concerns."""
    lang = tenant.config.language
    if not plan.decisions:
        return paragraph(message("plan.no_decisions", lang), "good")
    target = names.product(tenant.catalog, plan.target.get("sku_part_number", ""))
    by_code: dict[str, list[Mapping[str, Any]]] = {}
    for d in plan.decisions:
        by_code.setdefault(str(d["code"]), []).append(d)
    lines = []
    for code, group in by_code.items():
        who = [_who(d, tenant, lang) for d in group[:DECISIONS_SHOWN]]
        if len(group) > DECISIONS_SHOWN:
            who.append(message("plan.more", lang, n=len(group) - DECISIONS_SHOWN))
        ask = message(f"plan.ask.{code}", lang, target=target)
        lines.append(f"{ask} ({len(group)}): {', '.join(who)}")
    return items(lines, "")


def reason_words(row: Mapping[str, Any], lang: str) -> str:
    """A plan row's why, from its reason codes (``;``-joined) in the tenant's language."""
    out = []
    for code in str(row.get("reason_code", "")).split(";"):
        if not code:
            continue
        if code == "no-usage-location" and row.get("new_usage_location"):
            out.append(message("plan.reason.no-usage-location.set", lang,
                               location=row["new_usage_location"]))
        else:
            out.append(message(f"plan.reason.{code}", lang))
    return "; ".join(out)


def _reasons(t: pd.DataFrame, plan_lang: str, lang: str) -> list[str]:
    """The rows' reasons: as the plan wrote them (with each row's evidence: the group that
    blocks, the error, the apps) when it is in the page's language, else worded from the
    codes (a plan written before the tenant's language changed)."""
    if plan_lang == lang:
        return t["reason"].tolist()
    return [reason_words(r, lang) for r in
            t[["reason_code", "new_usage_location"]].to_dict("records")]


def plan_rows(tenant: Tenant, plan: Plan) -> Html:
    """The plan's rows with human headers, kinds and reasons worded, app names, empty columns
    dropped; a long plan shows its first rows and says where the rest are (plan.csv)."""
    lang = tenant.config.language
    t = plan.table.head(MAX_ROWS)
    catalog = tenant.catalog
    view = pd.DataFrame({
        "action": t["action_id"],
        "kind": t["kind"].map(lambda k: message(f"kind.{k}", lang)),
        "batch": t["batch"].map(lambda b: str(b) if b else ""),
        "user": t["upn"],
        "group": t["group_id"].map(lambda g: names.group(g, tenant.group_names) if g else ""),
        "members": t["members"].map(lambda n: str(n) if n else ""),
        "department": t["department"],
        "new_usage_location": t["new_usage_location"],
        "disabled_after": t["disabled_plans_after"].map(lambda p: names.apps(catalog, p)),
        "unmapped": t["unmapped_plans"].map(lambda p: names.apps(catalog, p)),
        "reason": _reasons(t, plan.language, lang),
    })
    view = drop_empty(view, zero_is_empty=["members"])
    out = [table(view, _headers(lang, list(view.columns)))]
    if len(plan.table) > MAX_ROWS:
        out.append(paragraph(message("section.rows.more", lang,
                                     n=len(plan.table) - MAX_ROWS)))
    return join(out)


def mapping_html(tenant: Tenant, plan: Plan) -> Html:
    """Each E4 app someone had turned off beside the app turned off in its place."""
    lang = tenant.config.language
    m = mapping_table(plan, tenant.catalog)
    if m.empty:
        return paragraph(message("section.mapping.none", lang))
    view = pd.DataFrame({
        "e4_app": [names.app(tenant.catalog, p) for p in m["e4_plan"]],
        "target_app": [names.app(tenant.catalog, p) if p else "" for p in m["target_plan"]],
        "users": m["users"],
        "decision": [message(f"section.mapping.{d}", lang) if d else "" for d in m["decision"]],
    })
    tones = ["warn" if d else "" for d in m["decision"]]
    return table(view, _headers(lang, ["e4_app", "target_app", "users", "decision"]),
                 tones={"decision": tones})


def plan_summary(tenant: Tenant, plan: Plan) -> Html:
    """The plan in figures and its decisions (what the plan filter shows after each change)."""
    lang = tenant.config.language
    return join([plan_figures(tenant, plan), heading(message("section.decisions", lang), 4),
                 decisions_html(tenant, plan)])


def plan_page(tenant: Tenant, assessment: Assessment, plan: Plan) -> Html:
    """Step 3: heading, card, the plan in figures, decisions; rows and apps collapsible."""
    lang = tenant.config.language
    return join([
        heading_for("plan", lang),
        step_card(tenant, assessment, "plan", plan=plan),
        heading(message("section.plan", lang)),
        plan_figures(tenant, plan),
        heading(message("section.decisions", lang)),
        decisions_html(tenant, plan),
        details(message("section.rows", lang),
                join([paragraph(message("section.rows.help", lang)), plan_rows(tenant, plan)])),
        details(message("section.mapping", lang), mapping_html(tenant, plan)),
    ])


# -- step 4 -----------------------------------------------------------------------------------
def gate_html(tenant: Tenant, verification: Verification) -> Html:
    """The cancellation gate: a coloured yes or no with its reasons under it."""
    lang = tenant.config.language
    source = names.product(tenant.catalog, verification.source_part)
    if verification.safe_to_cancel:
        return paragraph(message("gate.head.yes", lang, source=source), "good")
    head = message("gate.head.no", lang, source=source)
    reasons = [reason_text(code, len(users), lang) for code, users in verification.reasons]
    return join([Html(f"<p style='color: #b71c1c; font-weight: 700; font-size: 1.15em'>"
                      f"{esc(head)}</p>", head), items(reasons, "bad")])


def status_counts_html(verification: Verification, lang: str) -> Html:
    """Users per status as coloured pills: "moved 30", "failed 2", ..."""
    counts = verification.status_counts
    parts = [(message(f"status.{s}", lang), int(counts.get(s, 0)), STATUS_TONES[s])
             for s in STATUSES]
    markup = " ".join(pill(f"{label} {n}", tone if n else "plain") for label, n, tone in parts)
    return Html(f"<p>{markup}</p>", ", ".join(f"{label} {n}" for label, n, _ in parts))


def not_moved_html(tenant: Tenant, verification: Verification) -> Html:
    """The users not moved: status pill, what to do, urgent ones (no licence at all) first.

    Each row's own detail and fix (the verification's words, in the tenant's language) are
    shown; a verification worded in another language (made without the tenant's config)
    shows the status's fix from the message catalog instead.
    """
    lang = tenant.config.language
    status = verification.status
    rows = status[~status["status"].isin(DONE_STATUSES)]
    urgent = rows.get("substatus", pd.Series("", index=rows.index)) != ""
    rows = rows.assign(_u=~urgent).sort_values("_u", kind="stable")
    total = len(rows)
    rows = rows.head(MAX_ROWS)  # a page, not the data: 100k pending users are normal
    urgent = urgent[rows.index]
    if rows.empty:
        return paragraph(message("section.not_moved.none", lang), "good")
    if verification.language == lang:
        todo = [f"{d}: {f}" if f else d for d, f in zip(rows["detail"], rows["fix"],
                                                         strict=True)]
    else:
        todo = [message(f"status.todo.{s}", lang) for s in rows["status"]]
    todo = [f"{message('status.urgent', lang)}. {t}" if u else t
            for t, u in zip(todo, urgent, strict=True)]
    view = pd.DataFrame({
        "user": rows["upn"].to_numpy(),
        "action": rows["action_id"].to_numpy(),
        "batch": [str(b) if b else "" for b in rows["batch"]],
        "status": [message(f"status.{s}", lang) for s in rows["status"]],
        "todo": todo,
        "error": rows["error"].to_numpy(),
    })
    tones = [STATUS_TONES.get(s, "plain") for s in rows["status"]]
    view = drop_empty(view)
    shown = table(view, _headers(lang, list(view.columns)), tones={"status": tones},
                  pills=["status"])
    return join([shown, _more(total, lang)])


def _more(total: int, lang: str) -> Html | None:
    """The line under a table cut at :data:`MAX_ROWS` (None when nothing was cut)."""
    if total <= MAX_ROWS:
        return None
    return paragraph(message("section.users.more", lang, n=total - MAX_ROWS))


def progress_html(tenant: Tenant, verification: Verification, plan: Plan | None) -> Html:
    """Moved and still to move per batch: the table beside the chart."""
    lang = tenant.config.language
    progress = progress_table(verification, plan)
    words = {"moved": message("col.moved", lang), "remaining": message("col.remaining", lang),
             "x": message("ui.h.batch", lang), "y": message("chart.progress.y", lang),
             "held_back": message("chart.held_back", lang)}
    title = message("chart.progress.title", lang)
    fig = charts.progress_chart(progress, title=title, labels=words)
    view = progress.assign(batch=[words["held_back"] if int(b) == 0 else str(b)
                                  for b in progress["batch"]])
    return side_by_side(table(view, _headers(lang, ["batch", "moved", "remaining"])),
                        figure(fig, title))


def checklist_html(tenant: Tenant, verification: Verification) -> Html:
    """The cancellation checklist, each item in full (nothing cut) with its source tag."""
    lang = tenant.config.language
    frame = pd.DataFrame({"todo": [i.text for i in verification.checklist],
                          "source": [i.source for i in verification.checklist]})
    return table(frame, _headers(lang, ["todo", "source"]))


def verification_page(tenant: Tenant, assessment: Assessment, plan: Plan | None,
                      verification: Verification, plan_dir: str | None = None) -> Html:
    """Step 4: heading, card with the gate, reasons, status counts, users not moved, what
    could not be checked, then progress and the checklist."""
    lang = tenant.config.language
    n = int((~verification.status["status"].isin(DONE_STATUSES)).sum())
    return join([
        heading_for("verification", lang),
        step_card(tenant, assessment, "verification", verification=verification),
        paragraph(plan_source(tenant, plan_dir)),
        heading(message("section.gate", lang)),
        gate_html(tenant, verification),
        heading(message("section.statuses", lang)),
        status_counts_html(verification, lang),
        details(message("section.not_moved", lang, n=n), not_moved_html(tenant, verification),
                open_=bool(n)),
        warnings_html("verify", verification.warnings, lang),
        details(message("section.progress", lang), progress_html(tenant, verification, plan)),
        details(message("section.checklist", lang), checklist_html(tenant, verification),
                open_=verification.safe_to_cancel),
    ])


def status_users_html(frame: pd.DataFrame, status: str, lang: str,
                      words_lang: str | None = None) -> Html:
    """One status's users for the status browser, with human headers: each row's detail and
    fix as the verification worded them (``words_lang``, by default ``lang``); rows worded in
    another language show the status's fix from the catalog instead."""
    if frame.empty:
        return paragraph(message("status.none", lang))
    total = len(frame)
    frame = frame.head(MAX_ROWS)
    todo = frame.get("fix", pd.Series("", index=frame.index))
    own = (words_lang or lang) == lang
    if not own:
        todo = pd.Series(message(f"status.todo.{status}", lang), index=frame.index)
    view = pd.DataFrame({
        "user": frame.get("upn", ""), "action": frame.get("action_id", ""),
        "batch": [str(b) if b else "" for b in frame.get("batch", pd.Series(0, index=frame.index))],
        "detail": frame.get("detail", "") if own else "",
        "todo": todo, "error": frame.get("error", ""),
    })
    view = drop_empty(view)
    return join([table(view, _headers(lang, list(view.columns))), _more(total, lang)])
