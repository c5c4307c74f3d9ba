"""Warnings read in the tenant's language (issue 17, "In the tenant's language").

A reader's or verification's warning is data (a catalog key and its evidence) worded where the
admin reads it: ``e4-playbook inspect`` and step 1's page for the export readers' warnings,
``e4-playbook verify`` and step 4's page for the verification's. Each case is a real export in
a tenant folder that triggers the warning, read once with ``language: da`` (the Danish text,
no English sentence left) and once with ``language: en`` (the English text). JSON outputs
keep the English text whatever the tenant's language, so a script reads one language.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import test_danish_pages as danish
from builders import AC_HEADER
from click.testing import CliRunner
from simulator import apply_plan

from playbook.artifacts import write_artifacts
from playbook.cli import main
from playbook.display.pages import assessment_page, verification_page
from playbook.eligibility import assess
from playbook.messages import MESSAGES, Said, message, placeholders
from playbook.messages import warnings as warnings_catalog
from playbook.plan import build_plan
from playbook.tenant import load_tenant
from playbook.testing.synth import synth_tenant, write_tenant_folder, write_users
from playbook.verification import verify_plan

PLAYBOOK = Path(__file__).resolve().parents[1] / "playbook"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
FLOW_ID = "f30db892-07e9-47e9-837c-80727f46fd3d"
SWAY_ID = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"


def ac_row(upn: str, licenses: str = "Office 365 E4", *, deleted: str = "") -> str:
    """One row of the admin center's Export users (28 columns, see builders.AC_HEADER)."""
    row = ["A B", "False", upn, "", "A", "B", "", deleted, "", "Sales", "", "", "", "", "",
           "DK", "", "False", licenses, "False", "", "", "", "", "", "", "", ""]
    return ",".join(row)


def admin_center(*rows: str) -> str:
    return "\ufeff" + AC_HEADER + "\r\n" + "".join(r + "\r\n" for r in rows)


def graph_user(upn: str, uid: str, sku: str) -> dict:
    """A Graph users record without licenseAssignmentStates (not exported)."""
    return {"id": uid, "userPrincipalName": upn, "usageLocation": "DK", "accountEnabled": True,
            "assignedLicenses": [{"skuId": sku, "disabledPlans": []}]}


ADA = graph_user("ada@x.example", "00000000-0000-4000-8000-000000000001", E4_ID)
REF_CSV = ("Product_Display_Name,String_Id,GUID,Service_Plan_Name,Service_Plan_Id,"
           "Service_Plans_Included_Friendly_Names\n"
           "Microsoft 365 Business Basic,O365_BUSINESS_ESSENTIALS,"
           "3b555118-da6a-4418-894f-7df1e2096870,,,\n"
           "Microsoft 365 Business Basic,SMB_BUSINESS_ESSENTIALS,"
           "dab7782a-93b1-4074-8bb1-0e61318bea0b,,,\n")
"""Two made-up rows in the layout of Microsoft's table, naming one product twice."""


@dataclass(frozen=True)
class Case:
    """A tenant folder's files and the warnings reading them gives, in both languages."""

    files: dict[str, str]
    en: tuple[str, ...]
    da: tuple[str, ...]
    yaml: str = ""


CASES: dict[str, Case] = {
    "admin-center": Case(
        {"users.csv": admin_center(ac_row("ada@x.example"), ac_row("ada@x.example"),
                                   ac_row("gone@x.example", deleted="2026-05-01 10:00:00Z"),
                                   ac_row("bo@x.example", "Made Up Product"))},
        ("1 soft-deleted user left out (Soft deletion time stamp set): deleted users hold no "
         "licences",
         "1 repeated user row ignored (identical duplicates)",
         "'Made Up Product' (1 user) is not a product the catalog knows; its rows are kept with "
         "an empty sku_part_number (fix: pass Microsoft's product reference CSV with "
         "--sku-reference or sku_reference in tenant.yaml, or add subscriptions.*)"),
        ("1 midlertidigt slettet bruger udeladt (Soft deletion time stamp er udfyldt): "
         "slettede brugere har ingen licenser",
         "1 gentaget brugerrække ignoreret (identiske dubletter)",
         "'Made Up Product' (1 bruger) er ikke et produkt, som kataloget kender; rækkerne "
         "beholdes med en tom sku_part_number (løsning: angiv Microsofts CSV-fil med "
         "produktnavne og tjenesteplan-id'er med --sku-reference eller sku_reference i "
         "tenant.yaml, eller tilføj subscriptions.*)")),
    "ambiguous": Case(
        {"users.csv": admin_center(ac_row("ada@x.example"),
                                   ac_row("bo@x.example", "Microsoft 365 Business Basic")),
         "ref.csv": REF_CSV},
        ("'Microsoft 365 Business Basic' names 2 products in Microsoft's table "
         "(O365_BUSINESS_ESSENTIALS 3b555118-da6a-4418-894f-7df1e2096870, "
         "SMB_BUSINESS_ESSENTIALS dab7782a-93b1-4074-8bb1-0e61318bea0b); read as "
         "O365_BUSINESS_ESSENTIALS (fix: add subscriptions.* so the tenant's own SKU is known, "
         "or use the Graph export, which names SKUs by id)",),
        ("'Microsoft 365 Business Basic' betegner 2 produkter i Microsofts tabel "
         "(O365_BUSINESS_ESSENTIALS 3b555118-da6a-4418-894f-7df1e2096870, "
         "SMB_BUSINESS_ESSENTIALS dab7782a-93b1-4074-8bb1-0e61318bea0b); læst som "
         "O365_BUSINESS_ESSENTIALS (løsning: tilføj subscriptions.*, så lejerens egen SKU er "
         "kendt, eller brug eksporten fra Graph, som angiver SKU'er med id)",),
        yaml="sku_reference: ref.csv\n"),
    "msonline": Case(
        {"users.csv": '"UserPrincipalName","DisplayName","IsLicensed","BlockCredential",'
                      '"UsageLocation","Licenses"\r\n'
                      '"ada@x.example","Ada","True","False","DK","contoso:ENTERPRISEWITHSCAL"\r\n'
                      '"bo@x.example","Bo","True","False","DK",""\r\n'
                      '"cy@x.example","Cy","True","False","DK",""\r\n'},
        ("2 users have IsLicensed=True but an empty Licenses cell: the export may not have "
         "flattened Licenses (fix: Licenses was exported as a .NET type name: export again "
         "with @{n='Licenses';e={$_.Licenses.AccountSkuId -join ';'}} in Select-Object, or use "
         "scripts/Export-TenantLicenses.ps1)",),
        ("2 brugere har IsLicensed=True, men en tom Licenses-celle: eksporten har måske ikke "
         "udfoldet Licenses (løsning: {fix})",)),
    "graph-powershell": Case(
        {"users.csv": "UserPrincipalName,AccountEnabled,SkuIds,DisabledPlans\n"
                      f"ada@x.example,True,{E4_ID},\n"
                      f"bo@x.example,True,{FLOW_ID},{SWAY_ID}\n"},
        ("disabled plan 'SWAY' (first on line 3) is not part of any of the user's licenses "
         "the catalog knows; it was not attached to a license (fix: add subscriptions.* or "
         "--sku-reference so service plans are known)",),
        ("den deaktiverede tjenesteplan 'SWAY' (første gang på linje 3) indgår ikke i nogen "
         "af brugerens licenser, som kataloget kender; den blev ikke knyttet til en licens "
         "(løsning: tilføj subscriptions.* eller --sku-reference, så tjenesteplanerne er "
         "kendt)",)),
    "graph-json": Case(
        {"users.json": json.dumps({"value": [ADA, ADA]})},
        ("1 repeated user record ignored (identical duplicates)",
         "licenseAssignmentStates was not exported: group-based assignments cannot be told "
         "apart and read as direct (fix: {fix})"),
        ("1 gentaget brugerpost ignoreret (identiske dubletter)",
         "licenseAssignmentStates blev ikke eksporteret: gruppebaserede tildelinger kan ikke "
         "skelnes fra direkte og læses som direkte (løsning: {fix})")),
}
"""Each reader's warnings; ``{fix}`` stands for the shared how-to, worded in the same
language (its own texts are pinned by tests/test_errors_da_exports.py)."""

SHARED_FIX = {"msonline": "error.users-export.msonline-type-name.fix",
              "graph-json": "error.exports.how-to-export-graph-users"}


def expected(name: str, lang: str) -> list[str]:
    case = CASES[name]
    fix = message(SHARED_FIX[name], lang) if name in SHARED_FIX else ""
    return [w.replace("{fix}", fix) for w in (case.da if lang == "da" else case.en)]


def tenant_folder(tmp_path: Path, name: str, lang: str) -> Path:
    folder = tmp_path / f"{name}-{lang}"
    folder.mkdir()
    (folder / "tenant.yaml").write_text(
        f"name: t\ntarget: SPE_E3\nlanguage: {lang}\n{CASES[name].yaml}", encoding="utf-8")
    for file, content in CASES[name].files.items():
        (folder / file).write_text(content, encoding="utf-8")
    return folder


EXPORT_WORDS = ["Licenses", "Soft deletion time stamp"]
"""Column names the Danish texts keep as the export spells them (not English prose)."""


def english_left(lines: list[str], tenant) -> list[str]:
    """The English sentences in Danish lines (the Danish pages' detector; names of products
    and the export's columns are not sentences)."""
    names = [*danish.names_of(tenant), *EXPORT_WORDS]
    return [s for line in lines for s in danish.english_sentences(line, names)]


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_reader_warnings_in_the_tenants_language(tmp_path: Path, name: str, lang: str) -> None:
    folder = tenant_folder(tmp_path, name, lang)
    tenant = load_tenant(folder)
    want = expected(name, lang)
    assert [w.words(lang) for w in tenant.warnings] == want
    # inspect, as the admin reads it
    out = CliRunner().invoke(main, ["inspect", str(folder)])
    assert out.exit_code == 0, out.output
    heading = {"da": "Advarsler:", "en": "Warnings:"}[lang]
    assert out.output.rstrip("\n").endswith("\n".join([heading, *(f"  - {w}" for w in want)]))
    # step 1's page: the warnings under their own section, in the tenant's language
    page = assessment_page(tenant, assess(tenant)).text
    section = {"da": "Advarsler fra indlæsningen af eksporterne", "en": "Warnings from reading "
               "the exports"}[lang]
    assert f"{section} ({len(want)})\n" + "\n".join(want) in page
    if lang == "da":
        assert english_left(want, tenant) == []
    # JSON keeps the English text for scripts
    data = json.loads(CliRunner().invoke(main, ["inspect", str(folder), "--json"]).output)
    assert data["warnings"] == expected(name, "en")


@pytest.fixture
def moved_tenant(tmp_path: Path, request: pytest.FixtureRequest):
    """A made-up tenant (in ``request.param``'s language) whose plan was run, with an
    admin-center after export (no disabled plans, states or groups), no subscriptions after
    the move, and an unreadable results log beside the plan."""
    lang = request.param
    folder = write_tenant_folder(tmp_path / "t1", synth_tenant(40, seed=5, name="t1"),
                                 config={"default_usage_location": "DK", "language": lang})
    tenant = load_tenant(folder)
    plan = build_plan(tenant)
    runs = tmp_path / "runs"
    write_artifacts(plan, runs / "t1" / "manual")
    write_users(apply_plan(tenant.licenses, plan), folder / "after" / "users.csv",
                "admin-center")
    (runs / "t1" / "manual" / "plan" / "plan.results.csv").write_bytes(b"\xff\xfe\x00bad")
    return lang, folder, tenant, plan, runs


VERIFY = {
    "en": ["the admin-center export does not show disabled plans: drift was not checked "
           "(export Graph users JSON to check it)",
           "the admin-center export shows neither license errors nor groups: a failed "
           "assignment looks pending, and E4 from a group looks direct (export Graph users "
           "JSON with licenseAssignmentStates to see both)",
           "no subscriptions export after the move: Office 365 E4's consumed units were not "
           "checked (add after/subscriptions.* to confirm)",
           "results log skipped: {log}"],
    "da": [MESSAGES["verify.warning.no-disabled-plans"]["da"].format(format="admin-center"),
           MESSAGES["verify.warning.no-assignment-states"]["da"].format(format="admin-center"),
           MESSAGES["verify.warning.no-subscriptions"]["da"].format(source="Office 365 E4"),
           MESSAGES["verify.warning.log-skipped"]["da"].replace("{error}", "{log}")],
}
"""The verification's warnings (worded by messages/verification.py, pinned in Danish by
tests/test_tenant_language_texts.py), with the results log's own line as ``{log}``."""


@pytest.mark.parametrize("moved_tenant", ["da", "en"], indirect=True)
def test_verification_warnings_in_the_tenants_language(moved_tenant) -> None:
    lang, folder, tenant, plan, runs = moved_tenant
    v = verify_plan(tenant, plan, after=folder / "after",
                    script_log=runs / "t1" / "manual" / "plan" / "plan.results.csv")
    log = v.warnings[-1].evidence["error"]  # the log's own bad-input line, in each language
    assert log.one_line("da") != log.one_line("en")
    want = [w.replace("{log}", log.one_line(lang)) for w in VERIFY[lang]]
    assert [w.words(lang) for w in v.warnings] == want
    # step 4's page
    page = verification_page(tenant, assess(tenant), plan, v).text
    section = {"da": "Advarsler", "en": "Warnings"}[lang]
    assert f"{section} ({len(want)})\n" + "\n".join(want) in page
    # verify, as the admin reads it; --json keeps English
    runner = CliRunner()
    out = runner.invoke(main, ["verify", str(folder), "--runs", str(runs), "--out",
                               str(runs / "next")])
    assert out.exit_code == 0, out.output
    prefix = {"da": "advarsel", "en": "warning"}[lang]
    assert all(f"\n{prefix}: {w}\n" in out.output for w in want)
    data = json.loads(runner.invoke(main, ["verify", str(folder), "--runs", str(runs),
                                           "--out", str(runs / "next2"), "--json"]).output)
    english = [w.replace("{log}", log.one_line("en")) for w in VERIFY["en"]]
    assert data["warnings"] == english
    if lang == "da":  # the log's own line is worded by its reader (its bad-input codes)
        assert english_left([*want[:3], VERIFY["da"][3]], tenant) == []


@pytest.mark.parametrize(("lang", "n", "text"), [
    ("en", 1, "1 remaining user swap would remove Office 365 E4 from a user who no longer "
     "holds it (a@x.example): Graph rejects such a call, so assign the target to the user by "
     "hand (Users > Active users > Licenses) instead of running these rows"),
    ("en", 2, "2 remaining user swaps would remove Office 365 E4 from users who no longer hold "
     "it (a@x.example, b@x.example): Graph rejects such a call, so assign the target to them "
     "by hand (Users > Active users > Licenses) instead of running these rows"),
    ("da", 1, "1 resterende licensskift ville fjerne Office 365 E4 fra en bruger, der ikke "
     "længere har den (a@x.example): Graph afviser et sådant kald, så tildel målplanen "
     "manuelt (Brugere > Aktive brugere > Licenser) i stedet for at køre disse rækker"),
    ("da", 2, "2 resterende licensskift ville fjerne Office 365 E4 fra brugere, der ikke "
     "længere har den (a@x.example, b@x.example): Graph afviser et sådant kald, så tildel "
     "målplanen manuelt (Brugere > Aktive brugere > Licenser) i stedet for at køre disse "
     "rækker"),
])
def test_a_swap_that_would_remove_an_unheld_license_is_worded_per_count(
        lang: str, n: int, text: str) -> None:
    """The guard of verification.compare (a remaining swap of a user who lost E4), which the
    remaining plan's add-only rows keep from firing on real data: kept as data, its words
    per count and language, English for JSON."""
    users = ["a@x.example", "b@x.example"][:n]
    warning = Said("verify.warning.would-remove",
                   {"n": n, "source": "Office 365 E4", "users": users})
    assert warning.words(lang) == text
    assert str(warning) == warning.words("en")


def test_the_warnings_catalog_is_whole_and_used() -> None:
    """Every key has English and Danish with the same fields, Danish differs from English,
    and every key is named by a module of the playbook (the section headings by their
    prefix)."""
    literals = {node.value for p in PLAYBOOK.rglob("*.py") if "messages" not in p.parts
                for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for key, entry in warnings_catalog.CATALOG.items():
        assert key.startswith("warning.") and set(entry) == {"en", "da"}, key
        assert placeholders(entry["en"]) == placeholders(entry["da"]), key
        assert entry["en"] != entry["da"], key
        assert key in literals or key.startswith("warning.section."), key
