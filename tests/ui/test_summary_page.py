"""summary.html in a real browser: a hostile tenant folder name is text, and its record link
leads to its record, never to script (issue 15 item 3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playbook.files import folder_name
from playbook.runs.record import finish_record, record_meta
from playbook.runs.summary_page import summary_rows, write_summary

HOSTILE_FOLDER = "javascript:alert(1)<!--"
HOSTILE_NAME = '<img src=x onerror="alert(2)">'


def _fleet_with_a_hostile_tenant(root: Path) -> Path:
    """A fleet of one tenant folder named like a script URL, one run record, the summary."""
    tenant = root / "fleet" / HOSTILE_FOLDER
    tenant.mkdir(parents=True)
    (tenant / "tenant.yaml").write_text(json.dumps({"name": HOSTILE_NAME}), encoding="utf-8")
    runs = root / "runs"
    run_dir = runs / folder_name(tenant) / "20261201T000000Z"
    run_dir.mkdir(parents=True)
    meta = record_meta(tenant, run_dir, datetime(2026, 12, 1, tzinfo=UTC))
    meta.update(tenant=HOSTILE_NAME)
    finish_record(run_dir, meta)
    _, html = write_summary(summary_rows([tenant.resolve()], runs), runs)
    return html


def test_a_hostile_tenant_folder_is_text_and_its_link_opens_its_record(page: Any,
                                                                        tmp_path: Path):
    html = _fleet_with_a_hostile_tenant(tmp_path)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html.resolve().as_uri())
    cells = page.locator("td").all_inner_texts()
    # shown as the text it is, in the page's one tenant cell: "name (folder)"
    assert f"{HOSTILE_NAME} ({HOSTILE_FOLDER})" in cells
    assert page.locator("img").count() == 0
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
    assert len(hrefs) == 1 and all(h.startswith("file://") for h in hrefs), hrefs
    page.locator("a", has_text="record").click()
    page.wait_for_load_state()
    assert page.url.endswith("/20261201T000000Z/index.html")
    assert "E4 upgrade run" in page.locator("h1").inner_text()
    assert dialogs == [] and page.js_errors == []
