"""A Danish tenant reads Danish outside the step pages too: the CLI's "Where it stands" (``run``
and ``status``, and the run's index.html), the admin-center checklist (plan/checklist.md and
.html) and the app's step links. Each is checked with the English-sentence detector of
:mod:`test_danish_pages`, and each English twin is checked to be caught (the detector is not
blind to that text).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_danish_pages import TENANTS, danish_copy, english_sentences, names_of, visible_text

from playbook import app
from playbook.artifacts import render_artifacts
from playbook.plan import build_plan
from playbook.plan.store import plan_from_json
from playbook.runs.record import RunRecord, run_index_html
from playbook.runs.standing import merge_records, standing
from playbook.runs.status import FleetStatus, TenantStatus
from playbook.tenant import load_tenant

SAMPLES = ["adatum-legacy", "contoso-direct", "fabrikam-invoice", "northwind-partner"]

ASSESSED = {"path": "manual", "findings": [
    {"code": "GROUP_BASED_LICENSES", "severity": "warning"},
    {"code": "UNPAID_BALANCE", "severity": "blocker"}], "counts": {"source_users": 40}}
PLAN = {"refused": False, "summary": {"users_moved": 40, "batches": 2, "shortfall": 0}}
REFUSED = {"refused": True, "target": {"display_name": "Microsoft 365 E5"},
           "summary": {"shortfall": 1, "users_moved": 54,
                       "buy": {"total": 4, "now": 2, "once_usage_locations_set": 2}}}
SHORT = {"refused": True, "summary": {"shortfall": 1, "users_moved": 54}}


def _verification(safe: bool) -> dict:
    return {"safe_to_cancel": safe,
            "reasons": [] if safe else [{"code": "SOURCE_HELD_DIRECT", "users": ["a@x.dk"]}],
            "status_counts": {"moved": 30, "pending": 1 if not safe else 0, "partial": 0,
                              "failed": 0, "drifted": 0, "unexpected": 0},
            "remaining_actions": 0 if safe else 1}


def records(lang: str) -> list[dict]:
    """A run record at every stage (and every way a run ends), written for ``lang``."""
    base = {"run_id": "20261201T000000Z", "tenant": "T", "folder": "t", "status": "ok",
            "error": None, "failed_step": None, "failed_notebook": None, "failed_cell": None,
            "language": lang, "steps_requested": [1, 2, 3, 4], "seconds": 3.0,
            "plan_dir": "plan",
            "notebooks": [{"step": 4, "name": "04-verify-and-cancel.ipynb", "status": "skipped",
                           "note": ""}],
            **{k: None for k in ("assessment", "counts", "plan", "verification")}}
    return [
        base,
        {**base, "assessment": ASSESSED},
        {**base, "assessment": ASSESSED, "plan": PLAN},
        {**base, "assessment": {"path": "contact-partner", "findings": []}},
        {**base, "assessment": ASSESSED, "plan": REFUSED},
        {**base, "assessment": ASSESSED, "plan": SHORT},
        {**base, "plan": PLAN, "verification": _verification(False)},
        {**base, "plan": PLAN, "verification": _verification(True)},
        {**base, "status": "failed", "error": "RuntimeError: boom", "failed_step": 4,
         "failed_notebook": "04-verify-and-cancel.ipynb", "failed_cell": 7,
         "assessment": ASSESSED, "plan": PLAN},
        {**base, "status": "bad-input", "error": "tenant.yaml: target [XYZ]"},
    ]


def where_it_stands(lang: str, tmp_path: Path) -> str:
    """Everything ``run`` and ``status`` print about where a tenant stands, and index.html."""
    out = []
    for i, r in enumerate(records(lang)):
        st = standing(merge_records([r]))
        out += [st.label, st.why, st.next_action]
        out.append(RunRecord("t", tmp_path / str(i), r).to_text())
        out.append(visible_text(run_index_html(r)).split("Run 2026")[-1])  # the standing part
    statuses = tuple(TenantStatus("t", "T", standing(merge_records([r])), None, None, None, 1,
                                  None, language=lang) for r in records(lang))
    out.append(FleetStatus(tmp_path, tmp_path, statuses).to_text())
    out.append(standing({}, lang).why)
    return "\n".join(out)


def test_where_it_stands_is_danish(tmp_path: Path):
    text = where_it_stands("da", tmp_path)
    assert "Status:" in text and "Næste:" in text and "delvist flyttet" in text
    assert english_sentences(text, []) == []


def test_where_it_stands_in_english_is_caught_and_unchanged(tmp_path: Path):
    text = where_it_stands("en", tmp_path)
    assert english_sentences(text, [])
    assert "Where it stands: partly moved (30 of 31): shut: SOURCE_HELD_DIRECT; 1 action " \
           "remains" in text
    # a record from before the run wrote its language reads English
    old = {k: v for k, v in records("da")[2].items() if k != "language"}
    assert standing(merge_records([old])).label == "planned"


def checklists(folder: Path) -> tuple[str, str, list[str]]:
    """The plan's checklist.md and checklist.html (a refused plan's too: it is what the admin
    reads once the licences are bought) and the tenant's product names."""
    tenant = load_tenant(folder)
    plan = build_plan(tenant)
    files = render_artifacts(replace(plan, refused=False))
    return (files["checklist.md"].decode("utf-8"), files["checklist.html"].decode("utf-8"),
            names_of(tenant))


@pytest.mark.parametrize("name", SAMPLES)
def test_admin_center_checklist_is_danish(tmp_path: Path, name: str):
    md, page, names = checklists(danish_copy(tmp_path, name))
    assert "Før du begynder" in md and '<html lang="da">' in page
    # Markdown escapes (\.) are not prose: drop them before reading the sentences
    assert english_sentences(md.replace("\\", ""), names) == []
    assert english_sentences(visible_text(page), names) == []


def test_the_english_checklist_is_caught(tmp_path: Path):
    md, page, names = checklists(TENANTS / "fabrikam-invoice")
    assert english_sentences(visible_text(page), names)


def test_a_plan_read_back_keeps_its_language(tmp_path: Path):
    """The remaining plan is written from plan.json: it must still write a Danish checklist."""
    plan = build_plan(load_tenant(danish_copy(tmp_path, "contoso-direct")))
    assert plan.to_dict()["language"] == "da"
    again = plan_from_json(plan.to_dict(), plan.table)
    assert again.language == "da"
    english = build_plan(load_tenant(TENANTS / "contoso-direct"))
    assert "language" not in english.to_dict()  # English plan.json bytes unchanged


def test_app_step_links_are_danish(tmp_path: Path):
    folder = str(danish_copy(tmp_path, "contoso-direct"))
    lang = app.language_of(folder)
    assert lang == "da"
    for live in (True, False):
        links = visible_text(app.step_links(folder, live=live, lang=lang))
        assert "Trin" in links or "Åbn" in links
        assert english_sentences(links.replace(folder, " "), []) == []
    english = visible_text(app.step_links(folder, live=True))
    assert english_sentences(english, [])
