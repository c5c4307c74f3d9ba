"""The plan's and the verification's per-user words come from the catalog in the tenant's
language, with products named as the admin center names them (issue 17, "Names as an admin
knows them" and "In the tenant's language").

For a ``language: da`` tenant: plan.csv's reasons, plan.json's decisions and notes, the
terminal summary, the rollback and the remaining plan, and step 4's not-moved details are
Danish (exact texts for a few; no English sentence left, by the detector of
:mod:`test_danish_pages`). For an English tenant the plan's texts stay as they were (the stored
after-scenario plans are rebuilt byte for byte by ``tests/after_scenarios.py``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import after_scenarios as scen
import pandas as pd
import pytest
from test_danish_pages import (
    TENANTS,
    danish_copy,
    english_sentences,
    names_of,
    visible_text,
)
from test_planning import E4, E5, plan_of, row, table

from playbook import exports
from playbook.artifacts import render_artifacts
from playbook.catalog import Catalog
from playbook.display.cards import DONE_STATUSES
from playbook.display.pages import not_moved_html
from playbook.markup import esc
from playbook.plan import build_plan, remaining_plan, rollback_actions
from playbook.plan.store import load_plan, plan_csv_bytes, save_plan
from playbook.tenant import Tenant, load_tenant
from playbook.verification import Verification, verify_tables


def _danish(tmp_path: Path, name: str) -> Tenant:
    return load_tenant(danish_copy(tmp_path, name))


def _plan_texts(plan) -> list[str]:
    return ([r for r in plan.table["reason"] if r] + [d["why"] for d in plan.decisions]
            + list(plan.notes) + [plan.to_text()])


def _first_group_member(tenant: Tenant) -> str:
    t = build_plan(tenant).table
    return str(t.loc[t["kind"] == "group-member", "upn"].iloc[0])


# --- the plan --------------------------------------------------------------------------------
def test_a_danish_plan_writes_its_reasons_decisions_and_notes_in_danish(tmp_path: Path):
    tenant = _danish(tmp_path, "fabrikam-invoice")
    member = _first_group_member(tenant)
    plan = build_plan(tenant, exclude_users=[member], max_users=30)
    t = plan.table
    reasons = dict(zip(t["reason_code"], t["reason"], strict=True))
    assert reasons["excluded"] == "står i exclude_users"
    assert reasons["already-on-target"] == "har allerede målplanen og ingen E4"
    held = t[(t["kind"] == "skip") & (t["upn"] == "") & (t["reason_code"] == "group-held-back")]
    assert held["reason"].iloc[0] == f"gruppen holdes tilbage: medlemmet {member}: står i " \
                                     "exclude_users"
    asks = {d["code"]: d["why"] for d in plan.decisions}
    assert asks["usage-location"].startswith("ingen placering for anvendelse: angiv den")
    assert asks["group-held-back"].endswith("tag de blokerende brugere ud af gruppen (eller "
                                            "tildel dem E4 direkte), så gruppen kan skiftes")
    text = plan.to_text()
    assert text.startswith("Flytteplan for fabrikam-invoice: Office 365 E4 (ENTERPRISEWITHSCAL)")
    assert "Beslutninger, du skal træffe: " in text
    assert plan.language == "da" and plan.to_dict()["language"] == "da"
    assert english_sentences("\n".join(_plan_texts(plan)), names_of(tenant)) == []


def test_the_same_plan_in_english_reads_english_and_is_caught(tmp_path: Path):
    """The English twin of the test above: the texts the detector must flag."""
    tenant = load_tenant(TENANTS / "fabrikam-invoice")
    member = _first_group_member(tenant)
    plan = build_plan(tenant, exclude_users=[member], max_users=30)
    t = plan.table
    held = t[(t["kind"] == "skip") & (t["upn"] == "") & (t["reason_code"] == "group-held-back")]
    assert held["reason"].iloc[0] == f"group held back: member {member} is listed in " \
                                     "exclude_users"
    assert plan.to_text().startswith("Reassignment plan for fabrikam-invoice: Office 365 E4")
    assert english_sentences("\n".join(_plan_texts(plan)), names_of(tenant))


def test_plan_csv_columns_and_codes_do_not_depend_on_the_language(tmp_path: Path):
    """Only the words differ: the kinds, codes, batches and every other cell are the same, so
    ``apply`` and the script (which read codes, never ``reason``) run the same plan."""
    en = build_plan(load_tenant(TENANTS / "fabrikam-invoice"))
    da = build_plan(_danish(tmp_path, "fabrikam-invoice"))
    assert en.table.drop(columns="reason").equals(da.table.drop(columns="reason"))
    assert (en.table["reason"] != da.table["reason"]).any()
    assert plan_csv_bytes(en.table) != plan_csv_bytes(da.table)


def test_reasons_that_carry_evidence_are_worded_in_danish():
    """E4 in error, a target in error, apps the existing target turns off: each has its own
    message with the row's evidence put in."""
    lic = table(row("a@x.dk", state="Error", error="CountViolation"),
                row("b@x.dk"), row("b@x.dk", E5, state="Error", error="CountViolation"))
    da = plan_of(lic, language="da")
    t = da.table.set_index("upn")
    assert t.loc["a@x.dk", "reason"] == ("E4 har tilstanden Error (CountViolation): "
                                         "fjernelsen rydder den")
    assert t.loc["b@x.dk", "reason"].startswith("målplanen er allerede tildelt, men med fejl "
                                                "(CountViolation)")
    en = plan_of(lic).table.set_index("upn")
    assert en.loc["a@x.dk", "reason"] == ("E4 is in state Error (CountViolation): the remove "
                                          "clears it")


def test_rollback_and_remaining_plan_speak_the_plans_language():
    lic = table(row("a@x.dk", usage_location=""), row("b@x.dk"))
    plan = plan_of(lic, language="da", default_usage_location="DK")
    rb = rollback_actions(plan)
    undo = rb[rb["reason_code"] == "rollback"]["reason"].tolist()
    assert undo and all(r.startswith("fortryder U") for r in undo)
    kept = rb[rb["reason_code"] == "rollback-keeps-usage-location"]["reason"].iloc[0]
    assert "placeringen for anvendelse forbliver DK" in kept
    swap = plan.table.loc[plan.table["kind"] == "user-swap", "action_id"].iloc[0]
    rest = remaining_plan(plan, [swap], add_only_action_ids=[swap])
    assert rest.notes == ("resterende plan: antallet af ledige licenser er ikke kontrolleret",)
    assert rest.table["reason"].iloc[-1].endswith(
        "E4 er allerede væk (kontrollen fandt brugeren uden E4 eller målplanen): denne række "
        "tildeler kun målplanen")
    # English: the rollback's words as they were
    en = rollback_actions(plan_of(lic, default_usage_location="DK"))
    assert en.loc[en["reason_code"] == "rollback", "reason"].iloc[0].startswith("undoes U")
    assert english_sentences("\n".join(rb["reason"].tolist() + list(rest.notes)), []) == []


# --- step 4 ----------------------------------------------------------------------------------
def _verified(tenant: Tenant, scenario: str) -> Verification:
    users = scen.users_path("fabrikam-invoice", scenario)
    subs, _fmt = exports.read_subscriptions(users.with_name("subscriptions.json"))
    catalog = Catalog.layered(Catalog.from_subscriptions(subs), tenant.catalog)
    read = exports.read_users(users, catalog)
    return verify_tables(scen.scenario_plan(tenant), read.table, subs, catalog,
                         config=tenant.config, after_format=read.format)


@pytest.mark.parametrize("scenario", ["failed-each-code", "some-pending", "drift",
                                      "group-processing"])
def test_step_4_not_moved_reads_danish(tmp_path: Path, scenario: str):
    tenant = _danish(tmp_path, "fabrikam-invoice")
    v = _verified(tenant, scenario)
    assert v.language == "da"
    todo = v.status[v.status["status"] != "moved"]
    assert not todo.empty
    texts = todo["detail"].tolist() + todo["fix"].tolist()
    assert english_sentences("\n".join(texts), names_of(tenant)) == []
    page = not_moved_html(tenant, v)
    assert english_sentences(visible_text(page.markup), names_of(tenant)) == []
    shown = todo[~todo["status"].isin(DONE_STATUSES)]
    if not shown.empty:  # the page shows each row's own Danish detail
        assert esc(shown["detail"].iloc[0]) in page.markup


def test_step_4_details_exact_in_danish_and_english(tmp_path: Path):
    da = _verified(_danish(tmp_path, "fabrikam-invoice"), "failed-each-code")
    en = _verified(load_tenant(TENANTS / "fabrikam-invoice"), "failed-each-code")
    for v in (da, en):
        assert (v.status["status"] == "failed").sum() == len(scen.ERROR_CODES)

    def first(v: Verification, error: str) -> pd.Series:
        return v.status[v.status["error"] == error].iloc[0]

    count_da, count_en = first(da, "CountViolation"), first(en, "CountViolation")
    assert count_da["detail"].startswith("CountViolation")
    assert "der er ikke nok ledige licenser til produktet" in count_da["detail"]
    assert "not enough available licenses of the product" in count_en["detail"]
    assert count_en["fix"].startswith("buy more licenses of the target or free unused ones")
    assert count_da["fix"].startswith("køb flere licenser til målplanen, eller frigør ubrugte")


def test_english_details_name_e4_as_the_admin_center_does():
    """"still holds Office 365 E4", not the part number ENTERPRISEWITHSCAL."""
    plan = plan_of(table(row("a@x.dk"), row("b@x.dk")))
    after = table(row("a@x.dk"), row("b@x.dk", E5))
    cat = Catalog.builtin()
    v = verify_tables(plan, after, None, cat)
    pending = v.status.set_index("upn").loc["a@x.dk"]
    target = cat.display_name(plan.target["sku_part_number"])
    assert pending["detail"] == f"still holds Office 365 E4, not {target} yet"
    assert E4 not in pending["detail"] and pending["fix"] == "run the remaining plan"
    assert v.status.set_index("upn").loc["b@x.dk", "detail"] == f"holds {target} as planned"


@pytest.mark.parametrize("scenario", ["some-pending", "group-processing"])
def test_the_verdict_in_the_terminal_reads_danish(tmp_path: Path, scenario: str):
    """``verify``'s text for a Danish tenant: verdict, users not moved, groups, remaining plan,
    warnings and checklist; its English twin is caught by the detector."""
    tenant = _danish(tmp_path, "fabrikam-invoice")
    text = _verified(tenant, scenario).to_text()
    assert "kan opsiges: NEJ" in text and "Ikke flyttet (de første rækker):" in text
    assert english_sentences(text, names_of(tenant)) == []
    english = _verified(load_tenant(TENANTS / "fabrikam-invoice"), scenario).to_text()
    assert "Safe to cancel Office 365 E4: NO" in english
    assert english_sentences(english, names_of(tenant))


def test_warnings_follow_the_tenants_language(tmp_path: Path):
    tenant = _danish(tmp_path, "fabrikam-invoice")
    users = scen.users_path("fabrikam-invoice", "some-pending")
    read = exports.read_users(users, tenant.catalog)
    v = verify_tables(scen.scenario_plan(tenant), read.table, None, tenant.catalog,
                      config=tenant.config, after_format=read.format)
    assert v.warnings[-1].words(v.language) == (
        "ingen abonnementseksport efter flytningen: de brugte licenser af Office 365 E4 er ikke "
        "kontrolleret (tilføj after/subscriptions.* for at bekræfte)")
    # kept as data: JSON reads the English text
    assert v.to_dict()["warnings"][-1] == ("no subscriptions export after the move: Office 365 "
                                           "E4's consumed units were not checked (add "
                                           "after/subscriptions.* to confirm)")


def test_the_danish_checklist_carries_each_rows_own_words(tmp_path: Path):
    """The admin-center checklist shows the plan's Danish sentences with their evidence (the
    app kept off, the held-back group's blocker), not only the question of the code."""
    tenant = _danish(tmp_path, "fabrikam-invoice")
    plan = build_plan(tenant)
    files = render_artifacts(replace(plan, refused=False))
    page = " ".join(visible_text(files["checklist.html"].decode("utf-8")).split())
    successor = next(d["why"] for d in plan.decisions if d["code"] == "successor-kept-off")
    assert "[MCOVOICECONF] var slået fra på E4: efterfølgeren" in successor
    assert successor in page
    assert english_sentences(page, names_of(tenant)) == []


def test_a_danish_plan_is_written_and_read_back_unchanged(tmp_path: Path):
    """plan.csv with Danish reasons (æ, ø, å) loads back to the same plan and id."""
    plan = build_plan(_danish(tmp_path, "fabrikam-invoice"), max_users=30)
    assert plan.table["reason"].str.contains("å|ø|æ").any()
    loaded = load_plan(save_plan(replace(plan, refused=False), tmp_path / "plan"))
    assert loaded.plan_id == plan.plan_id and loaded.language == "da"
    pd.testing.assert_frame_equal(loaded.table, plan.table)
    assert loaded.to_text() == replace(plan, refused=False).to_text()
