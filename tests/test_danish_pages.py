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

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from paths import REPO

from playbook import display as show
from playbook.counting import count_licenses
from playbook.eligibility import assess
from playbook.plan import build_plan
from playbook.runs.tenant_run import run_tenant
from playbook.tenant import Tenant, load_tenant
from playbook.verification import STATUSES, verify_plan

TENANTS = REPO / "data" / "tenants"

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
