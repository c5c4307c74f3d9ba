"""The pages an admin reads, in a real browser (the Voila app): cards and the tenant's language.

Both tests open a tenant other than the notebooks' default, through the app's URL parameter,
so a page that fell back to the default tenant would show the wrong figure or language.
"""

from __future__ import annotations

import shutil
import urllib.parse

import pytest
import ui_harness as h
from test_danish_pages import danish_copy, english_sentences, names_of
from test_ui_voila import READY, RENDER_TIMEOUT_MS, default_tenant_dir

from playbook import display as show
from playbook.counting import count_licenses
from playbook.messages import message
from playbook.steps import STEPS
from playbook.tenant import load_tenant

pytestmark = pytest.mark.ui

CELL_TEXT = """() => Array.from(document.querySelectorAll('.jp-Cell'))
    .map(c => c.innerText).join('\\n')"""
"""What the page shows: every cell, the tenant banner and the "Next" link included."""


READY_DA = {
    "01-eligibility.ipynb": "label:text-is('Flyt til')",
    "03-reassign.ipynb": "label:text-is('Bruger')",
}
"""What a Danish page is drawn by, where its label differs from the English one."""


def open_step(page, base_url: str, notebook: str, tenant_dir: str, lang: str = "en") -> None:
    query = urllib.parse.urlencode({"tenant_dir": tenant_dir})
    page.goto(f"{base_url}/voila/render/{notebook}?{query}", wait_until="load",
              timeout=RENDER_TIMEOUT_MS)
    ready = READY_DA.get(notebook, READY[notebook]) if lang == "da" else READY[notebook]
    h.wait_voila_drawn(page, ready, RENDER_TIMEOUT_MS)
    assert h.error_outputs(page) == [], notebook


def test_cards_show_the_same_buy_figure_in_steps_1_to_3(page, voila, scratch_repo,
                                                        screenshots):
    default = default_tenant_dir(scratch_repo)
    tenant_dir = "../data/tenants/contoso-direct"
    assert tenant_dir != default
    tenant = load_tenant(scratch_repo / "notebooks" / tenant_dir)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    expected = message("card.buy", "en", n=show.buy_figure(counts).total)
    shown = []
    for s in STEPS[:3]:
        open_step(page, voila.base_url, s.notebook, tenant_dir)
        buy = page.locator(".e4-card [data-fact='buy'] > div").first
        shown.append(buy.inner_text().strip())
        assert tenant.name in page.locator(".e4-card").first.inner_text()
    assert shown == [expected] * 3


def test_danish_tenant_pages_hold_no_english_sentence(page, voila, scratch_repo, screenshots):
    folder = danish_copy(scratch_repo / "data" / "tenants", "contoso-direct", "contoso-da")
    try:
        tenant = load_tenant(folder)
        names = names_of(tenant)
        for s in STEPS:
            open_step(page, voila.base_url, s.notebook, "../data/tenants/contoso-da", "da")
            text = page.evaluate(CELL_TEXT)
            assert f"Trin {s.number}" in text, s.notebook
            assert english_sentences(text, names) == [], s.notebook
            if s.number == 1:
                h.save_screenshot(page, screenshots / "01-eligibility-da.png")
    finally:
        shutil.rmtree(folder, ignore_errors=True)

