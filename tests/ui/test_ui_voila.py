"""The web app (``make app``: Voila over the notebooks) in a real browser.

The first screen must show the chosen tenant's verdict, its step links must open each step for
that tenant (not the notebooks' default one), and bad input must show its one line, never a
traceback and never a blank page. Verdicts are compared with what the package computes.
"""

from __future__ import annotations

import ast
import contextlib
import re
import urllib.parse
from pathlib import Path

import nbformat
import pytest
import ui_harness as h

from playbook import app
from playbook.steps import STEPS

pytestmark = pytest.mark.ui

RENDER_TIMEOUT_MS = 120_000


def normalized(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def tokens(text: str) -> list[str]:
    """The words of a text in order, whatever the layout (cells, lines, ``|`` or brackets)."""
    return re.findall(r"[^\s|()]+", text)


def wait_for_start(page, locator, text: str, timeout_ms: int = 30_000) -> None:
    """Wait (bounded) until an element shows ``text``'s first line (widgets redraw later)."""
    with contextlib.suppress(Exception):  # playwright's TimeoutError; the assertion reports
        page.wait_for_function("([el, want]) => el.innerText.includes(want)",
                               arg=[locator.element_handle(timeout=timeout_ms),
                                    text.strip().splitlines()[0]], timeout=timeout_ms)


READY = {
    app.FIRST_SCREEN: "label:text-is('Tenant')",
    "01-eligibility.ipynb": "label:text-is('Move to')",
    "02-license-count.ipynb": "img[src^='data:image/png']",
    "03-reassign.ipynb": "label:text-is('User')",
    "04-verify-and-cancel.ipynb": "label:text-is('Status')",
}
"""What each page is for: Voila's page is drawn once this is visible and the page stops growing."""


def open_in_voila(page, base_url: str, path: str, ready: str | None = None) -> None:
    """Open a notebook (``name?query``) in Voila and wait until it is drawn."""
    page.goto(f"{base_url}/voila/render/{path}", wait_until="load", timeout=RENDER_TIMEOUT_MS)
    h.wait_voila_drawn(page, ready or READY[path.split("?")[0]], RENDER_TIMEOUT_MS)


@pytest.fixture(scope="module")
def tenants(scratch_repo: Path) -> list[tuple[str, str]]:
    """The tenant folders the first screen offers, as paths relative to notebooks/."""
    found = app.find_tenants(scratch_repo / "data" / "tenants")
    assert found, "no sample tenant under data/tenants"
    return [(label, f"../data/tenants/{label}") for label, _ in found]


def verdict_text(scratch_repo: Path, tenant_dir: str) -> str:
    """The step-1 verdict the package gives for a tenant folder (relative to notebooks/)."""
    return app.assess_folder(str(scratch_repo / "notebooks" / tenant_dir)).to_text()


def default_tenant_dir(scratch_repo: Path) -> str:
    """The tenant the step notebooks show when no URL says otherwise."""
    nb = nbformat.read(scratch_repo / "notebooks" / STEPS[0].notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    return next(ast.literal_eval(n.value) for n in tree.body
                if isinstance(n, ast.AnnAssign) and n.target.id == "tenant_dir")


def test_first_screen_shows_the_chosen_tenants_verdict(page, voila, scratch_repo, tenants,
                                                       screenshots):
    open_in_voila(page, voila.base_url, app.FIRST_SCREEN)
    assert h.error_outputs(page) == []
    select = page.get_by_label("Tenant")
    chooser = page.locator(".widget-vbox", has=select).last
    verdict = chooser.locator(".widget-html").last
    assert select.locator("option").all_inner_texts() == [label for label, _ in tenants]
    assert "tenants_root" not in page.inner_text("body")  # code is hidden

    first = tenants[0][1]
    wait_for_start(page, verdict, verdict_text(scratch_repo, first))
    assert tokens(verdict.inner_text()) == tokens(verdict_text(scratch_repo, first))

    # the tenant the step screenshots show, so the README tells one story
    chosen = default_tenant_dir(scratch_repo)
    assert chosen != first, "choose a tenant other than the first to see the page follow"
    select.select_option(label=Path(chosen).name)
    wait_for_start(page, verdict, verdict_text(scratch_repo, chosen))
    assert tokens(verdict.inner_text()) == tokens(verdict_text(scratch_repo, chosen))
    h.wait_for_link_query(page, chooser, "tenant_dir", chosen)
    hrefs = chooser.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert [urllib.parse.parse_qs(urllib.parse.urlsplit(x).query)["tenant_dir"]
            for x in hrefs] == [[chosen]] * len(STEPS)
    assert h.error_outputs(page) == []
    h.save_screenshot(page, screenshots / "app.png")


def one_line_errors(page) -> list[str]:
    """Lines where the page shows bad input (``InputError: ...`` or a widget's ``error: ...``)."""
    return [line for line in page.inner_text("body").splitlines()
            if line.startswith(("InputError:", "error:"))]


def test_step_links_open_every_step_for_that_tenant(page, voila, scratch_repo, tenants):
    # not the notebooks' default tenant: a link that lost ?tenant_dir= would show that one;
    # preferably one with an after export, so that step 4 has something to verify
    others = [path for _label, path in tenants if path != default_tenant_dir(scratch_repo)]
    assert others, "the first screen needs a second sample tenant"
    with_after = [p for p in others if (scratch_repo / "notebooks" / p / "after").is_dir()]
    tenant_dir = (with_after or others)[0]
    open_in_voila(page, voila.base_url,
                  f"{app.FIRST_SCREEN}?{urllib.parse.urlencode({'tenant_dir': tenant_dir})}")
    links = page.locator(".widget-html a")
    assert links.count() == len(STEPS)
    hrefs = [urllib.parse.urljoin(page.url, x) for x in
             links.evaluate_all("els => els.map(a => a.getAttribute('href'))")]
    expected = verdict_text(scratch_repo, tenant_dir).splitlines()[0]  # the card's tenant line

    with page.expect_navigation(wait_until="load", timeout=RENDER_TIMEOUT_MS):
        links.first.click()  # a real click on the first link; the others are followed by URL
    for i, (name, href) in enumerate(zip((s.notebook for s in STEPS), hrefs, strict=True)):
        if i:
            page.goto(href, wait_until="load", timeout=RENDER_TIMEOUT_MS)
        assert page.url == href
        has_after = (scratch_repo / "notebooks" / tenant_dir / "after").is_dir()
        if name == "04-verify-and-cancel.ipynb" and not has_after:
            # no export taken after the move yet: step 4 says so in one line, nothing else
            h.wait_voila_drawn(page, "text=/^InputError:/", RENDER_TIMEOUT_MS)
            errors = one_line_errors(page)
            assert len(errors) == 1 and "after" in errors[0] and "(fix:" in errors[0], errors
            assert "Traceback" not in page.inner_text("body")
            continue
        h.wait_voila_drawn(page, READY[name], RENDER_TIMEOUT_MS)
        assert h.error_outputs(page) == [], name
        body = normalized(page.inner_text("body"))
        assert "from playbook" not in body, name  # code hidden
        if name == "01-eligibility.ipynb":
            assert expected in body  # this tenant's verdict, not the default tenant's
        if name != "02-license-count.ipynb":
            assert h.visible_widget_count(page) > 0, name


def test_a_wrong_tenant_folder_shows_one_line_not_a_traceback(page, voila):
    query = urllib.parse.urlencode({"tenant_dir": "../data/tenants/no-such-tenant"})
    open_in_voila(page, voila.base_url, f"01-eligibility.ipynb?{query}",
                  ready="text=no-such-tenant")

    errors = one_line_errors(page)
    assert len(errors) == 1, page.inner_text("body")[-2000:]
    assert "no-such-tenant" in errors[0] and "(fix:" in errors[0]
    assert "Traceback" not in page.inner_text("body")
    assert h.error_outputs(page)  # and the harness counts it as an error
