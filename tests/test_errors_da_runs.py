"""Bad input in verification, runs and the fleet, Graph and the widgets reads in the tenant's
language (issue 17): each module's error line for a tenant whose tenant.yaml says
``language: da`` is the Danish one, and the same input under ``language: en`` gives the
English line it always gave. Plus the walk of this area's catalog (playbook.messages.errors_runs).

Every bad input goes through the entry point an admin hits (the CLI, a run, verify, the
widgets); Graph is a local server on 127.0.0.1 or is never reached.
"""

from __future__ import annotations

import json
import shutil
import string
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from graphsim.server import serve
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from test_danish_pages import TENANTS, danish_copy, english_sentences

from playbook.cli import main
from playbook.errors import InputError
from playbook.messages import errors_runs, message, placeholders
from playbook.plan.store import load_plan
from playbook.runs.tenant_run import run_tenant
from playbook.runs.working_copy import write_working_copy
from playbook.tenant import CHANNELS, load_tenant
from playbook.verification import verify, verify_plan
from playbook.widgets import TargetPicker

SAMPLE = "contoso-direct"
TOKEN = "hook-token-5d1a-never-shown"


def tenant_in(lang: str, tmp_path: Path, name: str = SAMPLE) -> Path:
    """A copy of a sample tenant whose tenant.yaml says ``language: <lang>``."""
    if lang == "da":
        return danish_copy(tmp_path, name)
    folder = tmp_path / name
    shutil.copytree(TENANTS / name, folder)
    return folder


def cli(args: list[str], url: str | None = None):
    """The CLI as an admin runs it (a Graph URL hook only ever on 127.0.0.1)."""
    env = {"E4_GRAPH_URL": url, "E4_GRAPH_TOKEN": TOKEN} if url else {
        "E4_GRAPH_URL": "", "E4_GRAPH_TOKEN": ""}
    return CliRunner().invoke(main, args, env=env)


def planned(tenant: Path, tmp_path: Path) -> Path:
    """``e4-playbook plan`` of the tenant; its plan/ folder."""
    out = cli(["plan", str(tenant), "--out", str(tmp_path / "run")])
    assert out.exit_code == 0, out.output
    return tmp_path / "run" / "plan"


@pytest.fixture
def graph_403():
    """A Graph on 127.0.0.1 that refuses every call: Graph's own (English) error message."""
    def refuse(_request: Request) -> JSONResponse:
        return JSONResponse({"error": {"code": "Authorization_RequestDenied",
                                       "message": "Insufficient privileges"}}, status_code=403)
    app = Starlette(routes=[Route("/{path:path}", refuse, methods=["GET", "POST", "PATCH"])])
    with serve(app) as url:
        yield url


# --- playbook.verification.disk and .after: through `e4-playbook verify` --------------------


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: {root}: der er ingen plan til denne lejer (løsning: kør e4-playbook plan "
           "først, eller angiv --plan)\n"),
    ("en", "error: {root}: no plan found for this tenant (fix: run e4-playbook plan first, or "
           "pass --plan)\n"),
])
def test_verify_without_a_plan(tmp_path: Path, lang: str, line: str) -> None:
    tenant = tenant_in(lang, tmp_path)
    runs = tmp_path / "runs"
    out = cli(["verify", str(tenant), "--runs", str(runs)])
    assert out.exit_code == 2
    assert out.stderr == line.format(root=runs / SAMPLE)


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: {after}: har ingen brugere til fælles med planen ({n} planlagte brugere, "
           "ingen i denne eksport): det er en anden lejers eksport (løsning: eksportér "
           "brugerne fra den lejer, planen blev lavet til)\n"),
    ("en", "error: {after}: shares no user with the plan ({n} planned users, none in this "
           "export): it is another tenant's export (fix: export users from the tenant the plan "
           "was made for)\n"),
])
def test_verify_against_another_tenants_export(tmp_path: Path, lang: str, line: str) -> None:
    tenant = tenant_in(lang, tmp_path)
    plan_dir = planned(tenant, tmp_path)
    upns = load_plan(plan_dir).table["upn"].str.strip().str.lower()
    n = upns[upns != ""].nunique()
    assert n > 1
    other = tmp_path / "other" / "users.csv"  # northwind's users: not one of contoso's
    other.parent.mkdir()
    shutil.copy(TENANTS / "northwind-partner" / "users.csv", other)
    out = cli(["verify", str(tenant), "--plan", str(plan_dir), "--after", str(other)])
    assert out.exit_code == 4
    assert out.stderr == line.format(after=other, n=n)


# --- playbook.verification.script_log and .plan_view: through verify / verify_plan ----------


@pytest.mark.parametrize("lang, line", [
    ("da", "{log}: resultatloggen blev ikke fundet (løsning: kontrollér stien)"),
    ("en", "{log}: results log not found (fix: check the path)"),
])
def test_a_results_log_that_is_not_there(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    plan_dir = planned(folder, tmp_path)
    log = tmp_path / "missing.results.csv"
    with pytest.raises(InputError) as info:
        verify(load_tenant(folder), plan_dir=plan_dir, results_log=log)
    assert str(info.value) == line.format(log=log)


@pytest.mark.parametrize("lang, line", [
    ("da", "planen: ikke en plan (ingen handlingstabel med action_id, kind, upn) (løsning: "
           "indlæs den med playbook.plan.store.load_plan)"),
    ("en", "plan: not a plan (no action table with action_id, kind, upn) (fix: load it with "
           "playbook.plan.store.load_plan)"),
])
def test_a_plan_without_actions_table(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    plan = load_plan(planned(folder, tmp_path))
    with pytest.raises(InputError) as info:
        verify_plan(load_tenant(folder), replace(plan, table=pd.DataFrame()))
    assert str(info.value) == line


# --- playbook.runs.tenant_run, .step_range: a tenant's run -----------------------------------


@pytest.mark.parametrize("lang, error, shown", [
    ("da", "{folder}: ingen users.*-eksport i lejerens mappe (løsning: eksportér brugerne fra "
           "Administration (Brugere > Aktive brugere > Eksportér brugere), eller kør "
           "scripts/Export-TenantLicenses.ps1)", "fejl: "),
    ("en", "{folder}: no users.* export in the tenant folder (fix: export users from the admin "
           "center (Users > Active users > Export users) or run "
           "scripts/Export-TenantLicenses.ps1)", "error: "),
])
def test_the_run_records_bad_input_in_the_tenants_language(tmp_path: Path, lang: str,
                                                            error: str, shown: str) -> None:
    folder = tenant_in(lang, tmp_path)
    (folder / "users.csv").unlink()
    record = run_tenant(folder, tmp_path / "runs", preload=False, progress=False)
    assert record.status == "bad-input" and record.exit_code == 2
    expected = error.format(folder=folder.resolve())
    assert record.result["error"] == expected
    assert shown + expected in record.to_text()
    saved = json.loads((record.run_dir / "result.json").read_text(encoding="utf-8"))
    assert saved["error"] == expected


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: --steps: værdi '9': ikke et interval af trin (løsning: brug trin 1 til 4, "
           "f.eks. 1-4, 1-3 eller 4)\n"),
    ("en", "error: --steps: value '9': not a step range (fix: use steps 1 to 4, e.g. 1-4, 1-3 "
           "or 4)\n"),
])
def test_run_with_a_bad_step_range(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    out = cli(["run", str(folder), "--out", str(tmp_path / "runs"), "--steps", "9"])
    assert out.exit_code == 2 and out.stderr == line
    assert not (tmp_path / "runs").exists()


# --- playbook.runs.working_copy: the lab's working copy --------------------------------------


@pytest.mark.parametrize("lang, line", [
    ("da", "{src}: notesbogen blev ikke fundet (løsning: geninstallér e4-playbook; "
           "notesbøgerne følger med i pakken)"),
    ("en", "{src}: notebook not found (fix: reinstall e4-playbook; its notebooks ship inside "
           "the package)"),
])
def test_working_copy_without_the_notebooks(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    empty = tmp_path / "no-notebooks"
    empty.mkdir()
    with pytest.raises(InputError) as info:
        write_working_copy(folder, tmp_path / "copy", source_dir=empty)
    assert str(info.value) == line.format(src=empty / "00-app.ipynb")


# --- playbook.runs.selection, .fleet, .record: `batch` and `status` on a fleet ----------------


def fleet_of(lang: str, tmp_path: Path) -> Path:
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    tenant_in(lang, fleet)
    return fleet


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: --changed-since: værdi 'yesterday': hverken en dato eller 'last' (løsning: "
           "brug ÅÅÅÅ-MM-DD (filer ændret siden den dag, UTC) eller 'last' (filer ændret siden "
           "lejerens seneste kørsel))\n"),
    ("en", "error: --changed-since: value 'yesterday': not a date or 'last' (fix: use "
           "YYYY-MM-DD (files changed since that day, UTC) or 'last' (files changed since the "
           "tenant's last run))\n"),
])
def test_batch_with_a_bad_changed_since(tmp_path: Path, lang: str, line: str) -> None:
    fleet = fleet_of(lang, tmp_path)
    out = cli(["batch", str(fleet), "--out", str(tmp_path / "runs"),
               "--changed-since", "yesterday"])
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: --workers: værdi '0': skal være mindst 1 (løsning: brug 1 eller flere)\n"),
    ("en", "error: --workers: value '0': must be at least 1 (fix: use 1 or more)\n"),
])
def test_batch_with_no_workers(tmp_path: Path, lang: str, line: str) -> None:
    fleet = fleet_of(lang, tmp_path)
    out = cli(["batch", str(fleet), "--out", str(tmp_path / "runs"), "--workers", "0"])
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, label, why", [
    ("da", "ulæselig rapport", "{path}: kørselsrapporten er ikke gyldig JSON ({problem}) "
                               "(løsning: slet denne kørselsmappe, eller kør lejeren igen)"),
    ("en", "unreadable record", "{path}: run record is not valid JSON ({problem}) (fix: delete "
                                "this run folder or re-run the tenant)"),
])
def test_status_of_an_unreadable_record(tmp_path: Path, lang: str, label: str,
                                        why: str) -> None:
    fleet = fleet_of(lang, tmp_path)
    record = tmp_path / "runs" / SAMPLE / "20261201T000000Z" / "result.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json", encoding="utf-8")
    try:
        json.loads("{not json")
    except ValueError as exc:  # the JSON reader's own words stay as it said them
        problem = str(exc)
    out = cli(["status", str(fleet), "--out", str(tmp_path / "runs"), "--json"])
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)["tenants"]
    assert row["label"] == label
    assert row["why"] == why.format(path=record.resolve(), problem=problem)


# --- playbook.graph.*: `export` and `apply` ---------------------------------------------------


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: E4_GRAPH_URL: værdi 'https://graph.microsoft.com/v1.0': Graph-URL'en til "
           "test er kun til en testserver på denne maskine (løsning: fjern den for at bruge "
           "Microsoft Graph, eller brug http://127.0.0.1:<port>)\n"),
    ("en", "error: E4_GRAPH_URL: value 'https://graph.microsoft.com/v1.0': the Graph URL hook "
           "is for a local test server only (fix: unset it to use Microsoft Graph, or use "
           "http://127.0.0.1:<port>)\n"),
])
def test_export_with_a_hook_off_this_machine(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    out = CliRunner().invoke(main, ["export", str(folder)],
                             env={"E4_GRAPH_URL": "https://graph.microsoft.com/v1.0"})
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: {users}: der ligger allerede en eksport (løsning: angiv --force for at "
           "erstatte den (de gamle filer flyttes til replaced/))\n"),
    ("en", "error: {users}: an export is already there (fix: pass --force to replace it (the "
           "old files move to replaced/))\n"),
])
def test_export_over_an_export(graph_403: str, tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    out = cli(["export", str(folder)], graph_403)
    assert out.exit_code == 2 and out.stderr == line.format(users=folder / "users.csv")


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: --certificate: et logon uden brugerinteraktion kræver lejerens id og "
           "certifikatets aftryk (løsning: angiv --tenant-id og --thumbprint)\n"),
    ("en", "error: --certificate: an unattended sign-in needs the tenant id and the "
           "certificate's thumbprint (fix: pass --tenant-id and --thumbprint)\n"),
])
def test_export_with_a_certificate_but_no_tenant(tmp_path: Path, lang: str, line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    out = cli(["export", str(folder), "--after", "--certificate", str(tmp_path / "app.pem")])
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: GET /organization: Graph answered 403 (Authorization_RequestDenied: "
           "Insufficient privileges)\n"),
    ("en", "error: GET /organization: Graph answered 403 (Authorization_RequestDenied: "
           "Insufficient privileges)\n"),
])
def test_graphs_own_error_keeps_its_words(graph_403: str, tmp_path: Path, lang: str,
                                          line: str) -> None:
    folder = tenant_in(lang, tmp_path)
    shutil.rmtree(folder / "after")
    out = cli(["export", str(folder), "--after"], graph_403)
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: --confirm: værdi '0000000000000000': svarer ikke til planens id (løsning: "
           "læs planen, og angiv derefter --confirm {plan_id})\n"),
    ("en", "error: --confirm: value '0000000000000000': does not match the plan's id (fix: "
           "read the plan, then pass --confirm {plan_id})\n"),
])
def test_apply_with_the_wrong_confirmation(tmp_path: Path, lang: str, line: str) -> None:
    plan_dir = planned(tenant_in(lang, tmp_path), tmp_path)
    plan_id = load_plan(plan_dir).plan_id
    out = cli(["apply", str(plan_dir), "--confirm", "0000000000000000"])
    assert out.exit_code == 2 and out.stderr == line.format(plan_id=plan_id)


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: plan.json: kolonne 'tenant_id': planen angiver intet lejer-id, så logonet "
           "kan ikke kontrolleres mod den (løsning: tilføj tenant_id i tenant.yaml (eller "
           "eksportér med e4-playbook export), og planlæg igen)\n"),
    ("en", "error: plan.json: column 'tenant_id': the plan names no tenant id, so the sign-in "
           "cannot be checked against it (fix: add tenant_id to tenant.yaml (or export with "
           "e4-playbook export) and plan again)\n"),
])
def test_apply_a_plan_without_tenant_id(graph_403: str, tmp_path: Path, lang: str,
                                        line: str) -> None:
    plan_dir = planned(tenant_in(lang, tmp_path), tmp_path)
    out = cli(["apply", str(plan_dir), "--confirm", load_plan(plan_dir).plan_id], graph_403)
    assert out.exit_code == 2 and out.stderr == line


@pytest.mark.parametrize("lang, line", [
    ("da", "fejl: {journal}: værdi '{plan_id}': en journal fra en anden plan (ffffffffffffffff) "
           "ligger i denne planmappe (løsning: kør apply for hver plan fra dens egen mappe)\n"),
    ("en", "error: {journal}: value '{plan_id}': a journal of another plan (ffffffffffffffff) "
           "is in this plan folder (fix: apply each plan from its own folder)\n"),
])
def test_apply_beside_another_plans_journal(tmp_path: Path, lang: str, line: str) -> None:
    plan_dir = planned(tenant_in(lang, tmp_path), tmp_path)
    plan_id = load_plan(plan_dir).plan_id
    journal = plan_dir / "journal" / "run-20261201T000000Z.jsonl"
    journal.parent.mkdir()
    journal.write_text(json.dumps({"type": "header", "plan_id": "ffffffffffffffff"}) + "\n",
                       encoding="utf-8")
    out = cli(["apply", str(plan_dir), "--confirm", plan_id, "--dry-run"])
    assert out.exit_code == 2
    assert out.stderr == line.format(journal=journal, plan_id=plan_id)


# --- playbook.widgets: a parameter outside the choices ----------------------------------------


@pytest.mark.parametrize("lang, line", [
    ("da", "parameteren purchase_channel: kolonne 'purchase_channel': værdi 'reseller': ikke "
           "et af valgene (løsning: brug et af disse: {choices})"),
    ("en", "parameter purchase_channel: column 'purchase_channel': value 'reseller': not one of "
           "the choices (fix: use one of {choices})"),
])
def test_a_widget_seeded_outside_its_choices(lang: str, line: str) -> None:
    with pytest.raises(InputError) as info:
        TargetPicker([("Office 365 E5", "ENTERPRISEPREMIUM")], target="ENTERPRISEPREMIUM",
                     purchase_channel="reseller", lang=lang)
    assert str(info.value) == line.format(choices=", ".join(CHANNELS))


# --- the catalog ------------------------------------------------------------------------------


def test_every_key_of_this_area_is_worded_in_both_languages() -> None:
    assert errors_runs.CATALOG, "the area's catalog is empty"
    for key, entry in errors_runs.CATALOG.items():
        assert key.startswith("error."), key
        assert set(entry) == {"en", "da"}, key
        assert placeholders(entry["en"]) == placeholders(entry["da"]), key
        plurals_en = {f for _, f, _, _ in string.Formatter().parse(entry["en"]) if f and "|" in f}
        plurals_da = {f for _, f, _, _ in string.Formatter().parse(entry["da"]) if f and "|" in f}
        assert {p.split("|")[0] for p in plurals_en} == {p.split("|")[0] for p in plurals_da}, key
        assert entry["da"] != entry["en"], f"{key}: the Danish text is the English one"
        assert not english_sentences(entry["da"], []), (key, entry["da"])


@pytest.mark.parametrize("lang, one, many", [
    ("en", ["(1 planned user,", "1 free ENTERPRISEPREMIUM seat,"],
     ["(2 planned users,", "0 free ENTERPRISEPREMIUM seats,"]),
    ("da", ["(1 planlagt bruger,", "1 ledig ENTERPRISEPREMIUM-licens,"],
     ["(2 planlagte brugere,", "0 ledige ENTERPRISEPREMIUM-licenser,"]),
])
def test_counts_pick_their_plural(lang: str, one: list[str], many: list[str]) -> None:
    for (users, seats), n, free in ((one, 1, 1), (many, 2, 0)):
        assert users in message("error.verify.after-of-another-tenant", lang, n=n)
        assert seats in message("error.graph.too-few-seats", lang, free=free,
                                target="ENTERPRISEPREMIUM", needed=5)
