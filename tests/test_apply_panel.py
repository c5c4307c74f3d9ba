"""Step 3b: the apply panel driven headless, and the notebook that never applies unless its
parameters name the plan, its id and a number of batches."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import papermill
from graphfake import E5, VirtualClock, conn, make_fake, planned
from paths import REPO

from playbook.artifacts.folder import JOURNAL_DIR
from playbook.errors import InputError
from playbook.graph.session import ApplySession
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
    assert "moved 9, pending 1" in panel.value["message"]  # user 7 is held back
    assert "Safe to cancel ENTERPRISEWITHSCAL: NO" in panel.value["message"]
    assert (tenant_dir / "after" / "users.json").is_file()


def test_panel_shows_the_device_code_and_errors_in_the_page() -> None:
    shown = "To sign in, use a web browser to open https://microsoft.com/devicelogin " \
            "and enter the code ABCD-1234"

    def sign_in(show):
        show(shown)
        return "Signed in"

    def run_batch(n):
        raise InputError("subscribedSkus", "3 free seats, the plan still needs 9")

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
