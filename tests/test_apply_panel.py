"""Step 3b: the apply panel driven headless, and the notebook that never applies unless its
parameters name the plan, its id and a number of batches."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path

import papermill
from graphfake import E5, SWAY, VirtualClock, conn, make_fake, planned
from paths import REPO

from playbook.artifacts.folder import JOURNAL_DIR
from playbook.errors import InputError
from playbook.graph.apply import ApplyOptions
from playbook.graph.auth import device_code_text
from playbook.graph.session import ApplySession, run_apply
from playbook.widgets import ApplyPanel

NOTEBOOK = REPO / "notebooks" / "03b-apply.ipynb"


def test_panel_signs_in_runs_batches_in_order_and_verifies(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock)
    session = ApplySession(plan_dir, pid, conn(fake, clock), tenant_dir)
    panel = ApplyPanel.from_session(session)
    preview = panel._w_preview.value
    assert "U00001 POST /users/fa000000-0000-4000-8000-000000000001/assignLicense" in preview
    assert all(b.disabled for b in panel._w_buttons)  # nothing before signing in
    panel._w_sign_in.click()
    assert panel.value["signed_in"] and "00000000-0000-0000-0000-0000000000aa" in \
        panel.value["message"]
    assert [b.disabled for b in panel._w_buttons] == [False] + [True] * (len(panel.batches) - 1)
    assert fake.writes == []
    panel._w_buttons[0].click()  # the pilot
    assert panel.value["done"] == [panel.batches[0]] and panel._w_progress.value == 1
    assert 0 < len(fake.writes) < 7 and "done now" in panel.value["message"]
    for button in panel._w_buttons[1:]:
        button.click()
    assert panel._w_progress.value == len(panel.batches) and len(fake.writes) == 7
    assert fake.direct("fa000000-0000-4000-8000-000000000001") == {E5: []}
    panel._w_finish.click()
    # the check is step 4's gate and status counts (the page's words, the product's name)
    assert "moved 9, waiting 1" in panel.value["message"]  # user 7 is held back
    assert "NO: do not cancel Office 365 E4 yet" in panel.value["message"]
    assert "<table" in panel._w_out.value  # the users not moved as a table, not a text dump
    assert (tenant_dir / "after" / "users.json").is_file()


def test_panel_speaks_the_tenants_language(tmp_path: Path) -> None:
    """A Danish tenant's plan: the buttons, the sign-in line, each batch's result and the
    check at the end are Danish; the request lines stay as they are sent."""
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock, "language: da\n")
    session = ApplySession(plan_dir, pid, conn(fake, clock), tenant_dir)
    panel = ApplyPanel.from_session(session)
    assert panel._w_sign_in.description == "Log på"
    assert [b.description for b in panel._w_buttons] == ["Kør batch 1", "Kør batch 2",
                                                         "Kør batch 3"]
    assert panel._w_finish.description == "Eksportér after/, og kontrollér"
    assert "batch 1 (5 brugere):" in panel._w_preview.value
    assert "batch 2 (1 bruger):" in panel._w_preview.value
    assert "U00001 POST /users/fa000000-0000-4000-8000-000000000001/assignLicense" in \
        panel._w_preview.value
    panel._w_sign_in.click()
    assert panel.value["message"] == "Logget på lejer 00000000-0000-0000-0000-0000000000aa"
    panel._w_buttons[0].click()
    assert panel.value["message"].startswith(
        f"Plan {pid} udført: 5 handlinger udført nu, 0 udført før, i 1 batch")
    panel._w_buttons[1].click()
    assert "1 handling udført nu, 5 udført før" in panel.value["message"]
    panel._w_buttons[2].click()
    panel._w_finish.click()
    assert "NEJ: annuller ikke Office 365 E4 endnu" in panel.value["message"]
    assert "flyttet 9, afventer 1" in panel.value["message"]
    assert session.preview() == ["intet at sende: alle planens handlinger er udført"]


def test_a_runs_report_is_worded_in_the_tenants_language(tmp_path: Path) -> None:
    """Drift, failures and the stop read in Danish for a Danish tenant; the result's data
    (and so the journal and --json) keep the English words, Graph's codes as they are."""
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock, "language: da\n")
    fake.users["fa000000-0000-4000-8000-000000000004"]["licenseAssignmentStates"][0][
        "disabledPlans"] = [SWAY]  # user 4 drifted since the plan
    for n in (1, 3, 5):  # usage location cleared after the plan: Graph answers 400
        fake.users[f"fa000000-0000-4000-8000-{n:012d}"]["usageLocation"] = ""
    applied = run_apply(plan_dir, pid, conn(fake, clock),
                        options=ApplyOptions(max_failures=2)).applied
    assert applied.drifted[0]["why"] == "the apps turned off in E4 changed since the plan"
    assert "more than 2 failures" in applied.stopped
    text = applied.to_text()
    assert "  ændret siden planen U00003 user4@contoso.example: de apps, der er slået fra i " \
        "E4, er ændret siden planen" in text
    assert "  fejlet U00001 user1@contoso.example: Request_BadRequest" in text
    assert "STOPPET: mere end 2 fejl; ret dem (se journalen), og kør apply igen" in text
    assert "Ikke udført: ændret siden planen 1, fejlet 3" in text
    english = replace(applied, language="en").to_text()
    assert "  drifted U00003 user4@contoso.example: the apps turned off in E4 changed" in english
    assert "STOPPED: more than 2 failures" in english and "Not done: drifted 1, failed 3" in english


def test_the_device_code_is_worded_in_the_tenants_language() -> None:
    """Microsoft's message stays as it is in English; a Danish tenant gets the same page and
    code in Danish."""
    flow = {"user_code": "ABCD-1234", "verification_uri": "https://microsoft.com/devicelogin",
            "message": "To sign in, use a web browser to open the page "
                       "https://microsoft.com/devicelogin and enter the code ABCD-1234 to "
                       "authenticate."}
    assert device_code_text(flow, "en") == flow["message"]
    assert device_code_text(flow, "da") == (
        "Log på ved at åbne siden https://microsoft.com/devicelogin i en browser og indtaste "
        "koden ABCD-1234.")


def test_panel_shows_the_device_code_and_errors_in_the_page() -> None:
    shown = "To sign in, use a web browser to open https://microsoft.com/devicelogin " \
            "and enter the code ABCD-1234"

    def sign_in(show):
        show(shown)
        return "Signed in"

    def run_batch(n):
        raise InputError("subscribedSkus", "error.graph.too-few-seats", free=3, target="E5",
                         needed=9)

    panel = ApplyPanel(["batch 1:"], [1, 2], sign_in=sign_in, run_batch=run_batch)
    panel._w_sign_in.click()
    assert panel.code_message == shown
    panel._w_buttons[0].click()
    assert panel.value["done"] == [] and panel.value["message"].startswith("error: ")
    assert "\n" not in panel.value["message"].strip()


def test_notebook_parameters_are_literals_with_help() -> None:
    found = papermill.inspect_notebook(str(NOTEBOOK))
    assert {k: v["inferred_type_name"] for k, v in found.items()} == {
        "tenant_dir": "str", "plan_dir": "Optional[str]", "confirm_plan_id": "Optional[str]",
        "apply_batches": "Optional[int]", "graph_url": "Optional[str]",
        "run_dir": "Optional[str]"}
    assert all(v["help"].strip() for v in found.values())
    book = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    params = [c for c in book["cells"] if "parameters" in c["metadata"].get("tags", [])]
    for node in ast.parse("".join(params[0]["source"])).body:
        ast.literal_eval(node.value)
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    assert all(len("".join(c["source"]).splitlines()) <= 6 for c in code[1:] if c not in params)


def test_papermill_run_never_applies_without_being_asked(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    out = tmp_path / "03b.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(out), cwd=str(NOTEBOOK.parent),
                               parameters={"plan_dir": str(plan_dir), "confirm_plan_id": pid},
                               progress_bar=False)
    text = out.read_text(encoding="utf-8")
    assert "U00001 POST" in text and "Nothing applied by this run." in text
    assert not (plan_dir / JOURNAL_DIR).exists() and fake.writes == []
