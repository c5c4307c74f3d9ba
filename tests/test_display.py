"""What the notebooks show (playbook.display) and the charts, on hand-built tenants."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from paths import REPO

from playbook import charts, markup
from playbook import display as show
from playbook.artifacts import write_artifacts
from playbook.catalog import SOURCE_PART, Catalog
from playbook.counting import count_licenses
from playbook.display import pages
from playbook.eligibility import assess
from playbook.errors import InputError, NotAnAfterExport
from playbook.messages import message
from playbook.plan import build_plan
from playbook.plan.store import load_plan
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import Tenant, TenantConfig, load_tenant
from playbook.verification import verify_plan

TENANTS = REPO / "data" / "tenants"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5_ID = "c7df2760-2c81-4ef7-b578-5b5392b571df"


def make_tenant(*, subscriptions: bool = True, target: str = "ENTERPRISEPREMIUM",
                users: int = 3, **config) -> Tenant:
    rows = [
        {"upn": f"u{i}@contoso.example", "display_name": f"User {i}",
         "department": "Sales" if i % 2 else "Finance",
         "usage_location": "" if i == 0 else "DK", "sku_part_number": SOURCE_PART,
         "sku_id": E4_ID, "state": "Active"}
        for i in range(users)
    ]
    subs = None
    if subscriptions:
        subs = normalize_subscription_table(pd.DataFrame([
            {"sku_id": E4_ID, "sku_part_number": SOURCE_PART, "enabled": users, "consumed": users},
            {"sku_id": E5_ID, "sku_part_number": "ENTERPRISEPREMIUM", "enabled": 2,
             "consumed": 1},
        ]))
    return Tenant(
        path=Path("contoso"), config=TenantConfig(name="contoso", target=target, **config),
        licenses=normalize_license_table(pd.DataFrame(rows)), subscriptions=subs,
        catalog=Catalog.builtin(), users_file=Path("contoso/users.csv"),
        users_format="admin-center",
    )


# -- setup and the run record ----------------------------------------------------------------
def test_record_writes_only_in_a_run(tmp_path: Path):
    result = SimpleNamespace(to_dict=lambda: {"tenant": "contoso", "path": "manual"})
    assert show.record("", "assessment", result) is None
    written = show.record(str(tmp_path), "assessment", result)
    assert written == tmp_path / "steps" / "assessment.json"
    assert json.loads(written.read_text()) == {"tenant": "contoso", "path": "manual"}
    assert show.record(None, "counts", result) is None
    with pytest.raises(KeyError, match="eligibility"):
        show.record(str(tmp_path), "eligibility", result)


def test_bad_input_renders_as_one_line_in_ipython():
    err = InputError("users.csv", "error.tenant.unknown-target", row=3, column="Licenses",
                     value="x", targets="E5")
    assert err._render_traceback_() == [f"InputError: {err.one_line()}"]
    show.init()
    assert pd.get_option("display.max_columns") >= 20


# -- step 1 ----------------------------------------------------------------------------------
def test_findings_follow_the_assessment_with_the_fix_beside_each():
    assessment = assess(make_tenant())
    page = show.findings_html(assessment).markup
    at = [page.index(html.escape(f.message)) for f in assessment.findings]
    assert at == sorted(at) and all(html.escape(f.remedy) in page for f in assessment.findings)
    assert "border-radius" in page  # severity as a coloured pill
    short = show.ShortVerdict(assessment)
    assert short.to_text().splitlines()[0].endswith("(ENTERPRISEPREMIUM)")
    assert short.to_dict() == assessment.to_dict()


def test_comparison_view_reads_yes_no():
    view = show.comparison_view(make_tenant())
    assert set(view["keeps_all_e4_features"]) <= {"yes", "no"}
    assert len(view) == 6


# -- step 2 ----------------------------------------------------------------------------------
def test_count_names_unknown_figures_instead_of_zero():
    tenant = make_tenant(subscriptions=False)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    table = pages.count_table(tenant, counts).set_index("figure")["value"]
    assert table["E4 licenses purchased"] == "unknown" and table["E4 users"] == "3"
    seats = show.seat_table(tenant, counts)
    assert seats.loc[1, "available"] is None and seats.loc[1, "buy_now"] is None
    assert charts.unknown_figures(seats) == [
        "available (Office 365 E4)", "assigned (Office 365 E5)", "available (Office 365 E5)",
        "buy_now (Office 365 E5)", "buy_later (Office 365 E5)"]
    fig = charts.seats_chart(seats)
    assert "available (Office 365 E4)" in fig.texts[0].get_text()


def test_count_and_seats_with_subscriptions():
    tenant = make_tenant(users=5)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    assert "unknown" not in set(pages.count_table(tenant, counts)["value"])
    seats = show.seat_table(tenant, counts)
    assert list(seats["assigned"]) == [5, 1]
    assert list(seats["available"]) == [0, counts.target_available]
    assert seats.loc[1, "buy_now"] + seats.loc[1, "buy_later"] == counts.buy.total
    fig = charts.seats_chart(seats)
    assert charts.png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def _bars(fig) -> dict[str, list[float]]:
    """The chart's stacked segments by legend label: label -> heights, one per SKU."""
    return {c.get_label(): [p.get_height() for p in c.patches] for c in fig.axes[0].containers}


@pytest.mark.parametrize("name", ["adatum-legacy", "contoso-direct", "fabrikam-invoice",
                                  "northwind-partner"])
@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_seats_chart_tells_buy_n(tmp_path: Path, name: str, lang: str):
    """The chart's gap is the cards' "Buy N": its buy segments add up to ``counts.buy``, the
    gap is labelled with the card's figure, the line under it is the "Buy N" sentence with its
    breakdown, and no other "needed" figure is drawn (issue 17: "needed 47" over a line of 40)."""
    folder = tmp_path / name
    shutil.copytree(TENANTS / name, folder)
    yaml = folder / "tenant.yaml"
    lines = [ln for ln in yaml.read_text(encoding="utf-8").splitlines()
             if not ln.startswith("language:")]
    yaml.write_text("\n".join([*lines, f"language: {lang}", ""]), encoding="utf-8")
    tenant = load_tenant(folder)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    buy = counts.buy
    fig = pages.seats_chart(tenant, counts)
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in fig.axes[0].texts]
    target = show.names.product(tenant.catalog, tenant.config.target)
    assert buy.to_text(lang, target) in "\n".join(texts)
    bars = _bars(fig)
    now = bars.get(message("chart.seats.buy_now", lang), [0, 0])[1]
    later = bars.get(message("chart.seats.buy_later", lang), [0, 0])[1]
    if buy.total is None:
        assert not (now or later)
        return
    assert (now, later) == (buy.now, buy.once_usage_locations_set)
    assert now + later == buy.total
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith(
        message("card.buy", lang, n=""))]
    assert labels == ([message("card.buy", lang, n=buy.total)] if buy.total else [])
    assert bars[message("chart.seats.available", lang)][1] == counts.target_available
    if name == "fabrikam-invoice":  # the sample with a shortfall
        assert buy.total > 0 and labels


# -- step 3 ----------------------------------------------------------------------------------
def test_mapping_table_pairs_plans_and_flags_decisions():
    table = pd.DataFrame({
        "action_id": ["U00001", "U00002", "U00003"],
        "disabled_plans_before": [("FORMS_PLAN_E3", "MCOVOICECONF"), ("FORMS_PLAN_E3",), ()],
    })
    plan = SimpleNamespace(table=table, source={"sku_part_number": SOURCE_PART},
                           target={"sku_part_number": "ENTERPRISEPREMIUM"})
    out = show.mapping_table(plan, Catalog.builtin())
    assert out.to_dict("records") == [
        {"e4_plan": "MCOVOICECONF", "target_plan": "MCOEV", "users": 1,
         "decision": "successor-off"},
        {"e4_plan": "FORMS_PLAN_E3", "target_plan": "FORMS_PLAN_E5", "users": 2,
         "decision": ""},
    ]
    plan.table = table.iloc[2:]
    assert show.mapping_table(plan, Catalog.builtin()).empty
    e3 = SimpleNamespace(table=table, source=plan.source,
                         target={"sku_part_number": "ENTERPRISEPACK"})
    assert show.mapping_table(e3, Catalog.builtin()).to_dict("records")[0] == {
        "e4_plan": "MCOVOICECONF", "target_plan": "", "users": 1,
        "decision": "no-twin"}


# -- step 4 ----------------------------------------------------------------------------------
def fake_verification() -> SimpleNamespace:
    status = pd.DataFrame({
        "upn": ["a@x", "b@x", "c@x", "d@x", "e@x", "f@x"],
        "action_id": ["U00001", "U00002", "U00003", "U00004", "U00005", ""],
        "batch": [1, 1, 2, 2, 2, 0],
        "kind": ["user-swap"] * 5 + [""],
        "status": ["moved", "drifted", "pending", "failed", "moved", "unexpected"],
        "detail": ["", "plans differ", "still E4", "CountViolation", "", "holds E4"],
        "fix": ["", "re-apply plans", "run batch 2", "buy licenses", "", "add to plan"],
        "error": ["", "", "", "CountViolation", "", ""],
    })
    counts = status["status"].value_counts().to_dict()
    return SimpleNamespace(status=status, status_counts=counts, safe_to_cancel=False,
                           source_part=SOURCE_PART, reasons=(("USERS_FAILED", ("d@x",)),),
                           checklist=(), language="en")  # its rows are English


def test_progress_per_batch_counts_moved_and_remaining():
    out = show.progress_table(fake_verification())
    v = fake_verification()
    v.status.loc[5, "action_id"] = "S00001"  # a planned skip: batch 0, still holds E4
    out = show.progress_table(v)
    assert out.to_dict("records") == [{"batch": 1, "moved": 2, "remaining": 0},
                                      {"batch": 2, "moved": 1, "remaining": 2},
                                      {"batch": 0, "moved": 0, "remaining": 1}]
    fig = charts.progress_chart(out)
    assert [int(p.get_height()) for p in fig.axes[0].patches] == [2, 1, 0, 0, 2, 1]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1", "2", "held back"]
    unplanned = show.progress_table(fake_verification())  # not in the plan: not a batch's user
    assert list(unplanned["batch"]) == [1, 2]


def test_progress_counts_group_members_in_their_group_swap_batch():
    v = fake_verification()
    v.status.loc[5, ["action_id", "kind", "status"]] = ["M00001", "group-member", "moved"]
    plan = SimpleNamespace(table=pd.DataFrame({
        "action_id": ["G00001", "M00001"], "kind": ["group-swap", "group-member"],
        "batch": [3, 0], "group_id": ["g-1", "g-1"]}))
    out = show.progress_table(v, plan)
    assert out.to_dict("records")[-1] == {"batch": 3, "moved": 1, "remaining": 0}
    assert 0 not in set(out["batch"])


def test_status_counts_and_tables():
    v = fake_verification()
    counts = pages.status_counts_html(v, "en").text
    assert counts == ("moved 2, waiting 1, partly moved 0, failed 1, moved, settings differ 1, "
                      "unexpected 1")
    tables = show.status_tables(v)
    assert list(tables["pending"]["upn"]) == ["c@x"]
    assert "status" not in tables["pending"].columns
    assert pages.checklist_html(make_tenant(), v).markup == ""


def test_plan_source_says_which_plan_step_4_verifies():
    tenant = make_tenant()
    assert show.plan_source(tenant, None) == (
        "Plan checked: rebuilt from users.csv with tenant.yaml's settings")
    assert show.plan_source(tenant, "runs/x/plan") == (
        "Plan checked: runs/x/plan (written by step 3)")


# -- on the bundled sample tenant ------------------------------------------------------------
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "tenants" / "contoso-direct"


def test_step_4_verifies_a_rebuilt_plan_as_the_written_one(tmp_path: Path):
    """Notebook 04 rebuilds the plan when no plan_dir is given: the same plan step 3 writes."""
    tenant = load_tenant(SAMPLE)
    plan = build_plan(tenant)
    rebuilt = verify_plan(tenant, plan)
    assert sum(rebuilt.status_counts.values()) == len(rebuilt.status)
    written = write_artifacts(plan, tmp_path)
    again = verify_plan(tenant, load_plan(written))
    assert again.to_dict() == rebuilt.to_dict()
    assert show.progress_table(again, load_plan(written)).equals(show.progress_table(rebuilt, plan))
    with pytest.raises(NotAnAfterExport):
        verify_plan(tenant, plan, after=tenant.users_file)
    with pytest.raises(InputError, match="after export not found"):
        verify_plan(tenant, plan, after=tmp_path / "missing.csv")


# -- the pages: cards, tables, names ---------------------------------------------------------
def card_facts(markup: str) -> dict[str, str]:
    """The big value of each card cell (``data-fact``) as the page shows it."""
    found = re.findall(r"data-fact='(\w+)'[^>]*><div[^>]*>([^<]*)</div>", markup)
    return {k: html.unescape(v) for k, v in found}


def test_steps_1_to_3_show_one_buy_figure_from_the_count():
    """The card's "Buy N" is counting's BuyFigure (show.buy_figure), in every step, with its
    breakdown (now + once usage locations are set) under it."""
    tenant = load_tenant(SAMPLE.parent / "fabrikam-invoice")
    assessment = assess(tenant)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    plan = build_plan(tenant)
    cards = [show.assessment_page(tenant, assessment), show.counts_page(tenant, assessment, counts),
             show.plan_page(tenant, assessment, plan)]
    buys = {card_facts(c.markup)["buy"] for c in cards}
    buy = show.buy_figure(counts)
    assert buy is counts.buy and buy.total == counts.to_buy
    assert buys == {f"Buy {buy.total}"} and buy.total == 4
    if buy.once_usage_locations_set:
        assert all(f"{buy.now} now + {buy.once_usage_locations_set} once usage locations"
                   in c.text for c in cards)
    facts = card_facts(cards[0].markup)
    assert facts["route"] == "Manual move" and facts["cancel"] == "Cancel E4: NO"
    assert "Next:" in cards[0].text


def test_unknown_buy_figure_is_said_not_zero():
    tenant = make_tenant(subscriptions=False)
    card = show.step_card(tenant, assess(tenant), "counts")
    assert card_facts(card.markup)["buy"] == "Buy: unknown"
    assert "subscriptions export" in card.text


def test_step_4_card_follows_the_gate():
    tenant = load_tenant(SAMPLE)
    assessment, plan = assess(tenant), build_plan(tenant)
    verification = verify_plan(tenant, plan)
    page = show.verification_page(tenant, assessment, plan, verification)
    expected = "Cancel E4: YES" if verification.safe_to_cancel else "Cancel E4: NO"
    assert card_facts(page.markup)["cancel"] == expected
    assert page.markup.index("e4-card") < page.markup.index("Can E4 be cancelled?")


def test_tables_use_names_human_headers_and_cut_nothing():
    tenant = load_tenant(SAMPLE.parent / "fabrikam-invoice")
    plan = build_plan(tenant)
    page = show.plan_page(tenant, assess(tenant), plan).markup
    assert ">Why<" in page and ">reason_code<" not in page and "…" not in page
    assert "Microsoft 365 Phone System [MCOEV]" in page  # apps by name, the plan in brackets
    verification = verify_plan(tenant, plan)
    checklist = show.verification_page(tenant, assess(tenant), plan, verification).markup
    deletion = next(i.text for i in verification.checklist if i.code == "DATA_AFTER_CANCEL")
    assert html.escape(deletion) in checklist  # the data-deletion warning whole


def test_markup_escapes_values_and_drops_empty_columns():
    frame = pd.DataFrame({"a": ["<b>x</b>", "y"], "b": ["", None], "n": [0, 0]})
    out = markup.table(markup.drop_empty(frame, zero_is_empty=["n"]), {"a": "A", "b": "B",
                                                                       "n": "N"})
    assert "&lt;b&gt;x&lt;/b&gt;" in out.markup and "<b>x" not in out.markup
    assert ">B<" not in out.markup and ">N<" not in out.markup


def test_danish_card_and_plural():
    tenant = make_tenant(language="da", users=1)
    card = show.step_card(tenant, assess(tenant), "assessment")
    assert card_facts(card.markup)["cancel"] == "Annuller E4: NEJ"
    assert "1 bruger har den stadig" in card.text
