"""A Danish tenant reads Danish: every step's page and the HTML run record hold no English
sentence.

The detector (:func:`english_sentences`) is deliberately simple, so a failure is easy to read:

* what is not prose is removed first: text in ``[brackets]`` (part numbers, ids), e-mail
  addresses, tokens holding a digit, ``_``, ``/``, ``.`` or ``@`` (codes, files, tenant.yaml
  keys), product and app names from the tenant's catalog ("Microsoft 365 E5 without Audio
  Conferencing" is a name, not a sentence), and Microsoft's product words (Graph, Entra...);
* the rest is cut into segments at sentence and cell ends (``. : ; ( )`` and line breaks);
* a segment is English when it holds two of :data:`ENGLISH_WORDS` (words Danish never uses,
  so "for", "at", "have", "by", "plan" and "status" are not in the list), or one of
  :data:`ENGLISH_UI_WORDS` (labels that would leak on their own: "users", "Blocker").

Its limits: an English word outside both lists, alone in a segment ("Fix"), is not caught;
and English inside a name or an id (a department called "Sales") is allowed. Both lists are
small on purpose; add a word when a leak shows one is missing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import papermill
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from graphfake import VirtualClock, conn, make_fake, planned
from paths import REPO

from playbook import display as show
from playbook.cli import main
from playbook.counting import count_licenses
from playbook.eligibility import assess
from playbook.graph.session import ApplySession, run_apply
from playbook.plan import build_plan
from playbook.runs.tenant_run import run_tenant
from playbook.tenant import Tenant, load_tenant
from playbook.verification import STATUSES, verify_plan
from playbook.widgets import ApplyPanel

TENANTS = REPO / "data" / "tenants"
NOTEBOOKS = REPO / "notebooks"

ENGLISH_WORDS = frozenset([
    "the", "and", "of", "is", "are", "with", "from", "this", "that", "which", "not", "will",
    "has", "its", "or", "you", "your", "their", "only", "each", "than", "then", "when", "before",
    "after", "still", "who", "what", "been", "would", "should", "into", "there", "these", "those",
    "nothing", "none", "yet", "any", "was", "were", "does", "don't", "can't", "isn't", "no", "it",
    "they", "them", "our", "we",
])
"""English function words Danish does not use (see the module docstring)."""

ENGLISH_UI_WORDS = frozenset([
    "users", "user", "licenses", "license", "blocker", "blockers", "warning", "warnings",
    "unknown", "moved", "failed", "pending", "waiting", "remaining", "needed", "purchased",
    "assigned", "decisions", "decision", "fix", "findings", "cancel",
])
"""English labels that must not appear even alone."""

PRODUCT_WORDS = ("Microsoft Graph", "Microsoft 365", "Office 365", "PowerShell", "Entra",
                 "Exchange", "SharePoint", "OneDrive", "Teams", "Volume Licensing", "CSP",
                 "MOSA", "MCA", "Voila", "E4", "E5", "E3")

_NOT_PROSE = re.compile(r"\[[^\]]*\]|\S*[\d_/@.]\S*")
_SEGMENTS = re.compile(r"[.!?](?:\s|$)|[:;()\n|]+")


def names_of(tenant: Tenant) -> list[str]:
    """Product and app names of the tenant's catalog, longest first (removed before scanning)."""
    out = set()
    for sku in tenant.catalog.skus:
        out.update(n for n in (sku.display_name, *sku.aliases) if n)
        out.update(p.friendly for p in sku.service_plans if p.friendly)
    return sorted(out, key=len, reverse=True)


def english_sentences(text: str, names: list[str]) -> list[str]:
    """The segments of ``text`` that read as English (see the module docstring)."""
    for name in (*names, *PRODUCT_WORDS):
        text = text.replace(name, " ")
    found = []
    for segment in _SEGMENTS.split(text):
        words = [w.strip(",!?'\"«»-").lower() for w in _NOT_PROSE.sub(" ", segment).split()]
        hits = {w for w in words if w in ENGLISH_WORDS}
        if len(hits) >= 2 or any(w in ENGLISH_UI_WORDS for w in words):
            found.append(" ".join(segment.split()))
    return found


def visible_text(markup: str) -> str:
    """What a browser shows of some HTML, one element per line."""
    return BeautifulSoup(markup, "html.parser").get_text("\n")


def danish_copy(tmp_path: Path, name: str, as_name: str = "") -> Path:
    """A bundled tenant folder copied (as ``as_name``) with ``language: da``."""
    folder = tmp_path / (as_name or name)
    shutil.copytree(TENANTS / name, folder)
    yaml = folder / "tenant.yaml"
    lines = [ln for ln in yaml.read_text(encoding="utf-8").splitlines()
             if not ln.startswith("language:")]
    yaml.write_text("\n".join([*lines, "language: da", ""]), encoding="utf-8")
    return folder


def test_the_detector_finds_english_and_passes_danish():
    names = ["Microsoft 365 E5 without Audio Conferencing"]
    assert english_sentences("Køb 4 licenser til Microsoft 365 E5 without Audio "
                             "Conferencing, før nogen flyttes.", names) == []
    assert english_sentences("Ret det blokerende fund (exclude_users) [SPE_E5]. "
                             "Nothing is written until it fits.", names) == [
        "Nothing is written until it fits"]
    assert english_sentences("Status: Blocker", names) == ["Blocker"]
    assert english_sentences("afventer: kør batch 2 for a@x.dk", names) == []


@pytest.mark.parametrize("name", ["adatum-legacy", "contoso-direct", "fabrikam-invoice",
                                  "northwind-partner"])
def test_every_step_page_is_danish(tmp_path: Path, name: str):
    tenant = load_tenant(danish_copy(tmp_path, name))
    assessment = assess(tenant)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions,
                            tenant.catalog)
    plan = build_plan(tenant)
    pages = [show.assessment_page(tenant, assessment), show.comparison_html(tenant),
             show.counts_page(tenant, assessment, counts), show.plan_page(tenant, assessment, plan),
             show.plan_summary(tenant, plan), show.section("narrow", tenant),
             show.section("write", tenant)]
    if (tenant.path / "after").is_dir():
        verification = verify_plan(tenant, plan)
        pages.append(show.verification_page(tenant, assessment, plan, verification))
        pages += [show.status_users_html(t, s, "da")
                  for s, t in show.status_tables(verification).items() if s in STATUSES]
    markup = "".join(p.markup for p in pages) + show.ShortVerdict(assessment)._repr_html_()
    assert "Trin 1" in markup and "Køb" in markup  # the pages did render, in Danish
    assert english_sentences(visible_text(markup), names_of(tenant)) == []


def test_the_same_pages_in_english_are_caught():
    """The detector is not blind: the English pages of the same tenant are flagged."""
    tenant = load_tenant(TENANTS / "contoso-direct")
    page = show.plan_page(tenant, assess(tenant), build_plan(tenant))
    assert english_sentences(visible_text(page.markup), names_of(tenant))


@pytest.mark.notebook
def test_the_html_run_record_is_danish(tmp_path: Path):
    """All four notebooks run for a Danish tenant; their HTML copies (the run record) hold no
    English sentence, the tenant banner and the "Next" links (rendered from the package in the
    tenant's language) included."""
    folder = danish_copy(tmp_path, "contoso-direct")
    tenant = load_tenant(folder)
    record = run_tenant(folder, tmp_path / "runs", progress=False)
    assert record.status == "ok", record.result.get("error")
    pages = [nb["html"] for nb in record.result["notebooks"] if nb.get("html")]
    assert len(pages) == 4
    for page in pages:
        soup = BeautifulSoup((record.run_dir / page).read_text(encoding="utf-8"), "html.parser")
        cells = soup.select(".jp-Cell")
        assert cells, page
        text = "\n".join(c.get_text("\n") for c in cells)
        assert "Trin" in text, page
        assert english_sentences(text, names_of(tenant)) == [], page


def test_step_3b_is_danish(tmp_path: Path):
    """Step 3b for a Danish tenant with a plan: the page before and after every batch, a
    run's report with its check, and the panel's labels and lines hold no English sentence
    (the request lines of the dry run are ids, methods and addresses, not sentences)."""
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock, "language: da\n")
    tenant = load_tenant(tenant_dir)
    session = ApplySession(plan_dir, pid, conn(fake, clock), tenant_dir)
    panel = ApplyPanel.from_session(session, tenant)
    pages = [show.apply_page(tenant, None), show.apply_page(tenant, session),
             show.apply_ran(tenant, None), show.section("apply_panel", tenant)]
    shown = [panel._w_preview.value, panel._w_sign_in.description, panel._w_finish.description,
             *(b.description for b in panel._w_buttons)]
    panel._w_sign_in.click()
    for button in [*panel._w_buttons, panel._w_finish]:
        shown.append(panel.value["message"])
        button.click()
    shown += [panel.value["message"], panel._w_out.value]
    pages.append(show.apply_page(tenant, session))  # everything sent: "all sent"
    ran = run_apply(plan_dir, pid, conn(fake, clock), tenant_dir=tenant_dir)
    pages.append(show.apply_ran(tenant, ran))
    markup = "".join(p.markup for p in pages)
    assert "Trin 3b" in markup and "Ingen plan angivet" in markup and "Alt er sendt" in markup
    assert "NEJ: annuller ikke" in markup and "Kør batch 1" in shown  # all parts rendered
    text = visible_text(markup) + "\n" + "\n".join(visible_text(s) for s in shown)
    assert english_sentences(text, names_of(tenant)) == []


def test_step_3b_in_english_is_caught(tmp_path: Path):
    """The detector is not blind to step 3b: the same page for an English tenant is flagged."""
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock)
    tenant = load_tenant(tenant_dir)
    page = show.apply_page(tenant, ApplySession(plan_dir, pid, conn(fake, clock), tenant_dir))
    assert english_sentences(visible_text(page.markup), names_of(tenant))


@pytest.mark.notebook
def test_the_step_3b_notebook_is_danish(tmp_path: Path):
    """Notebook 3b executed (papermill) for a Danish tenant with a plan: its outputs, the
    tenant banner and the "Next" link included, hold no English sentence."""
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock, "language: da\n")
    out = tmp_path / "03b.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "03b-apply.ipynb"), str(out), cwd=str(NOTEBOOKS), progress_bar=False,
        parameters={"tenant_dir": str(tenant_dir), "plan_dir": str(plan_dir),
                    "confirm_plan_id": pid})
    outputs = [o for c in json.loads(out.read_text(encoding="utf-8"))["cells"]
               for o in c.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    text = "\n".join(visible_text("".join(h) if isinstance(h, list) else h) for h in html)
    assert "Trin 3b" in text and "Denne kørsel har ikke udført noget" in text
    assert "Næste" in text and "Lejer contoso" in text  # the Next link and the banner
    assert english_sentences(text, names_of(load_tenant(tenant_dir))) == []


@pytest.mark.parametrize("name", ["adatum-legacy", "contoso-direct", "fabrikam-invoice",
                                  "northwind-partner"])
def test_the_terminal_text_is_danish(tmp_path: Path, name: str):
    """The CLI's plain text for a Danish tenant: inspect, assess, plan and verify."""
    folder = danish_copy(tmp_path, name)
    tenant = load_tenant(folder)
    commands = [["inspect"], ["assess"], ["plan", "--out", str(tmp_path / "out")],
                ["verify", "--plan", str(tmp_path / "out" / "plan")]]
    for command in commands:
        if command[0] == "verify" and not (
                (folder / "after").is_dir() and (tmp_path / "out" / "plan").is_dir()):
            continue  # nothing to verify: no after export, or the plan was refused
        result = CliRunner().invoke(main, [command[0], str(folder), *command[1:]])
        assert result.exit_code in (0, 3), (command, result.output)
        text = result.output
        assert text.strip(), command
        assert english_sentences(text, names_of(tenant)) == [], (command, text)


def test_the_same_terminal_text_in_english_is_caught():
    out = CliRunner().invoke(main, ["inspect", str(TENANTS / "contoso-direct")]).output
    assert english_sentences(out, names_of(load_tenant(TENANTS / "contoso-direct")))
