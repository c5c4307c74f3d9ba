"""Bad input in the tenant's language: tenant.yaml, the tenant folder, the reference table, the
plan's files and rules, counting, dates and a refused plan.

Each case drives one real bad input through the entry point an admin hits (the CLI, the
notebooks' ``load_tenant``, a widget's save button, ``load_plan``...) on a copy of a bundled
tenant whose tenant.yaml says ``language: da``, and checks the exact Danish line; the same
input under ``language: en`` must give the English line it always gave.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import REPO, TENANTS
from test_artifacts import tenant_dir as graph_tenant

from playbook.artifacts import write_artifacts
from playbook.catalog import REFERENCE_HEADER
from playbook.cli import main
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.messages import MESSAGES, errors_tenant, placeholders
from playbook.plan import build_plan, build_plan_from_tables
from playbook.plan.store import load_plan
from playbook.tenant import load_tenant
from playbook.widgets import TargetPicker

HEADER = ",".join(REFERENCE_HEADER)
PACKAGE = REPO / "playbook"


def tenant(tmp_path: Path, lang: str, *lines: str, drop: tuple[str, ...] = ()) -> Path:
    """contoso-direct copied with extra tenant.yaml ``lines`` before ``language: <lang>`` (so
    the language is read first even when it comes last) and the ``drop`` keys removed."""
    folder = tmp_path / f"contoso-{lang}"
    shutil.copytree(TENANTS / "contoso-direct", folder)
    yaml = folder / "tenant.yaml"
    kept = [ln for ln in yaml.read_text(encoding="utf-8").splitlines()
            if ln.split(":")[0] not in (*drop, "language")]
    yaml.write_text("\n".join([*kept, *lines, f"language: {lang}", ""]), encoding="utf-8")
    return folder


def cli(*args: object) -> tuple[int, str]:
    """The CLI's exit code and the last line it printed (the error line)."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output.strip().splitlines()[-1]


def line(call: Callable[[], object]) -> tuple[int, str]:
    """The exit code and the line (as the CLI prints it) of the bad input ``call`` raises."""
    with pytest.raises(InputError) as info:
        call()
    return info.value.exit_code, info.value.headline()


def both(case: Callable[[Path, str], tuple[int, str]], tmp_path: Path) -> dict[str, str]:
    """The case's line for a Danish and an English tenant, with the tmp folder cut out."""
    out = {}
    for lang in ("da", "en"):
        code, text = case(tmp_path / lang, lang)
        assert code == 2 or (code == EXIT_REFUSED_FOR_SEATS and "refus" in case.__name__)
        out[lang] = text.replace(str(tmp_path / lang), "T")
    return out


# -- playbook/tenant.py ------------------------------------------------------------------------
def test_a_bad_value_in_tenant_yaml_is_worded_in_the_language_it_names(tmp_path: Path):
    def bad_value(tmp: Path, lang: str) -> tuple[int, str]:
        return cli("assess", tenant(tmp, lang, "max_users: 0"))

    assert both(bad_value, tmp_path) == {
        "da": "fejl: T/contoso-da/tenant.yaml: kolonne 'max_users': værdi '0': 'max_users' "
              "skal være et helt tal på mindst 1 (løsning: angiv max_users: et helt tal på "
              "mindst 1)",
        "en": "error: T/contoso-en/tenant.yaml: column 'max_users': value '0': 'max_users' must "
              "be a whole number of at least 1 (fix: set max_users: a whole number of at least "
              "1)"}


def test_an_unknown_key_and_a_removed_one_suggest_the_fix_in_danish(tmp_path: Path):
    def unknown_key(tmp: Path, lang: str) -> tuple[int, str]:
        return line(lambda: load_tenant(tenant(tmp, lang, "targett: SPE_E5")))

    def removed_key(tmp: Path, lang: str) -> tuple[int, str]:
        return line(lambda: load_tenant(tenant(tmp, lang, "billing_frequency: monthly")))

    assert both(unknown_key, tmp_path / "1") == {
        "da": "fejl: T/contoso-da/tenant.yaml: kolonne 'targett': ukendt nøgle 'targett' "
              "(løsning: mente du 'target'?)",
        "en": "error: T/contoso-en/tenant.yaml: column 'targett': unknown key 'targett' "
              "(fix: did you mean 'target'?)"}
    assert both(removed_key, tmp_path / "2")["da"] == (
        "fejl: T/contoso-da/tenant.yaml: kolonne 'billing_frequency': nøglen "
        "'billing_frequency' er fjernet (løsning: slet linjen (intet brugte den: indkøbskurven "
        "i Administration spørger 'betal månedligt eller årligt', når du køber, så vælg der))")


def test_a_notebook_parameter_that_tenant_yaml_would_refuse_is_refused_in_danish(tmp_path: Path):
    """The notebooks pass their parameters as overrides: no file, so the line names them."""
    def bad_parameter(tmp: Path, lang: str) -> tuple[int, str]:
        return line(lambda: load_tenant(tenant(tmp, lang),
                                        overrides={"purchase_channel": "partnr"}))

    assert both(bad_parameter, tmp_path) == {
        "da": "fejl: tilsidesat værdi: kolonne 'purchase_channel': værdi 'partnr': "
              "'purchase_channel' skal være en af direct | partner | volume-licensing "
              "(løsning: mente du 'partner'?)",
        "en": "error: override: column 'purchase_channel': value 'partnr': 'purchase_channel' "
              "must be one of direct | partner | volume-licensing (fix: did you mean "
              "'partner'?)"}


def test_a_tenant_folder_without_users_export_says_so_in_danish(tmp_path: Path):
    def no_users(tmp: Path, lang: str) -> tuple[int, str]:
        folder = tenant(tmp, lang)
        (folder / "users.csv").unlink()
        return cli("inspect", folder)

    assert both(no_users, tmp_path) == {
        "da": "fejl: T/contoso-da: ingen users.*-eksport i lejerens mappe (løsning: eksportér "
              "brugerne fra Administration (Brugere > Aktive brugere > Eksportér brugere), "
              "eller kør scripts/Export-TenantLicenses.ps1)",
        "en": "error: T/contoso-en: no users.* export in the tenant folder (fix: export users "
              "from the admin center (Users > Active users > Export users) or run "
              "scripts/Export-TenantLicenses.ps1)"}


# -- playbook/tenant_file.py -------------------------------------------------------------------
def test_the_save_button_refuses_in_the_tenants_language(tmp_path: Path):
    def file_gone(tmp: Path, lang: str) -> tuple[int, str]:
        folder = tenant(tmp, lang)
        picker = TargetPicker.from_tenant(load_tenant(folder))
        (folder / "tenant.yaml").unlink()  # moved away while the notebook was open
        picker.saver._w_button.click()
        assert picker.saver.value is None
        return 2, picker.saver.status.strip()

    assert both(file_gone, tmp_path) == {
        "da": "fejl: T/contoso-da/tenant.yaml: tenant.yaml blev ikke fundet (løsning: åbn den "
              "lejermappe, der indeholder tenant.yaml)",
        "en": "error: T/contoso-en/tenant.yaml: tenant.yaml not found (fix: open the tenant "
              "folder that holds tenant.yaml)"}


# -- playbook/catalog.py -----------------------------------------------------------------------
def test_a_reference_table_that_is_not_microsofts_is_refused_in_danish(tmp_path: Path):
    def not_reference(tmp: Path, lang: str) -> tuple[int, str]:
        folder = tenant(tmp, lang, "sku_reference: reference.csv")
        (folder / "reference.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        return cli("assess", folder)

    assert both(not_reference, tmp_path) == {
        "da": "fejl: T/contoso-da/reference.csv:1: værdi 'a,b': ikke Microsofts "
              "produktreference-CSV (ingen kolonne Product_Display_Name) (løsning: forventet "
              f"overskriftslinje {HEADER})",
        "en": "error: T/contoso-en/reference.csv:1: value 'a,b': not Microsoft's product "
              "reference CSV (no Product_Display_Name column) (fix: expected header "
              f"{HEADER})"}


# -- playbook/counting.py and playbook/eligibility/dates.py ------------------------------------
def test_assess_refuses_an_unknown_source_and_a_mistyped_date_in_danish(tmp_path: Path):
    def unknown_source(tmp: Path, lang: str) -> tuple[int, str]:
        return cli("assess", tenant(tmp, lang, "source: NOPE"))

    def bad_date(tmp: Path, lang: str) -> tuple[int, str]:
        return cli("assess", tenant(tmp, lang), "--start-date", "2026-13-01")

    assert both(unknown_source, tmp_path / "1") == {
        "da": "fejl: tenant.yaml: kolonne 'source': værdi 'NOPE': source er ikke en kendt plan "
              "(løsning: brug et skuPartNumber som ENTERPRISEPREMIUM, eller tilføj planens "
              "abonnementseksport / sku_reference, så kataloget kender den)",
        "en": "error: tenant.yaml: column 'source': value 'NOPE': source is not a known plan "
              "(fix: use a skuPartNumber such as ENTERPRISEPREMIUM, or add the plan's "
              "subscription export / sku_reference so the catalog knows it)"}
    assert both(bad_date, tmp_path / "2") == {
        "da": "fejl: --start-date: værdi '2026-13-01': ikke en dato (løsning: brug formatet "
              "ÅÅÅÅ-MM-DD, f.eks. 2026-12-01)",
        "en": "error: --start-date: value '2026-13-01': not a date (fix: use YYYY-MM-DD, "
              "e.g. 2026-12-01)"}


# -- playbook/plan/rules.py, holders.py, batching.py -------------------------------------------
def test_plan_refuses_the_retired_plan_as_target_in_danish(tmp_path: Path):
    def target_is_e4(tmp: Path, lang: str) -> tuple[int, str]:
        folder = tenant(tmp, lang, "target: ENTERPRISEWITHSCAL", drop=("target",))
        return cli("plan", folder, "--out", tmp / "out")

    assert both(target_is_e4, tmp_path) == {
        "da": "fejl: tenant.yaml: kolonne 'target': værdi 'ENTERPRISEWITHSCAL': target er den "
              "plan, der udfases (løsning: vælg en af E3/E5-planerne)",
        "en": "error: tenant.yaml: column 'target': value 'ENTERPRISEWITHSCAL': target is the "
              "plan being retired (fix: choose one of the E3/E5 plans)"}


def test_planning_from_tables_refuses_in_the_configs_language(tmp_path: Path):
    """``build_plan_from_tables`` is the planning entry point for plain data: a license table
    without its columns (holders) and a batch size beyond Graph's limit (batching)."""
    def not_a_table(tmp: Path, lang: str) -> tuple[int, str]:
        t = load_tenant(tenant(tmp, lang))
        return line(lambda: build_plan_from_tables(
            t.config, t.licenses.drop(columns=["upn"]), t.subscriptions, t.catalog))

    def batch_too_big(tmp: Path, lang: str) -> tuple[int, str]:
        t = load_tenant(tenant(tmp, lang))
        return line(lambda: build_plan_from_tables(
            dataclasses.replace(t.config, batch_size=50), t.licenses, t.subscriptions,
            t.catalog))

    assert both(not_a_table, tmp_path / "1") == {
        "da": "fejl: licenstabellen: kolonne 'upn': ikke en licenstabel (løsning: læs "
              "eksporten med playbook.exports.read_users)",
        "en": "error: license table: column 'upn': not a license table (fix: read the export "
              "with playbook.exports.read_users)"}
    assert both(batch_too_big, tmp_path / "2") == {
        "da": "fejl: tenant.yaml: kolonne 'batch_size': værdi '50': batch_size skal være 1..20 "
              "(løsning: angiv 20 eller mindre)",
        "en": "error: tenant.yaml: column 'batch_size': value '50': batch_size must be 1..20 "
              "(fix: set 20 or less)"}


# -- playbook/plan/store.py --------------------------------------------------------------------
def test_a_plan_csv_cut_short_is_refused_in_the_plans_language(tmp_path: Path):
    def cut_short(tmp: Path, lang: str) -> tuple[int, str]:
        out = tmp / "out"
        assert cli("plan", tenant(tmp, lang), "--out", out)[0] == 0
        csv = out / "plan" / "plan.csv"
        rows = csv.read_text(encoding="utf-8").splitlines(keepends=True)
        csv.write_text("".join(rows[:2]), encoding="utf-8")  # the header and one action
        return line(lambda: load_plan(out / "plan"))

    lines = both(cut_short, tmp_path)
    assert lines == {
        "da": "fejl: T/out/plan/plan.csv: 1 handling, men plan.json siger 25 (løsning: skriv "
              "planen igen med e4-playbook plan)",
        "en": "error: T/out/plan/plan.csv: 1 action, but plan.json says 25 (fix: write the "
              "plan again with e4-playbook plan)"}


# -- playbook/artifacts/folder.py --------------------------------------------------------------
def test_a_refused_plan_says_what_is_missing_in_danish(tmp_path: Path):
    def refused(tmp: Path, lang: str) -> tuple[int, str]:
        tmp.mkdir(parents=True)
        folder = graph_tenant(tmp, seats=1)
        with (folder / "tenant.yaml").open("a", encoding="utf-8") as fh:
            fh.write(f"language: {lang}\n")
        plan = build_plan(load_tenant(folder))
        return line(lambda: write_artifacts(plan, tmp / "out"))

    assert both(refused, tmp_path) == {
        "da": "fejl: T/out: planen er afvist: 2 licenser til Office 365 E5 mangler (denne "
              "runde kræver 3, 1 ledig; skal købes til hele flytningen: 2) (løsning: køb de "
              "manglende licenser, eller begræns planen med max_users, only_departments eller "
              "only_users)",
        "en": "error: T/out: plan refused: 2 Office 365 E5 licenses missing (this round needs "
              "3, 1 available; to buy for the whole move: 2) (fix: buy the missing licenses, "
              "or limit the plan with max_users, only_departments or only_users)"}
    assert not (tmp_path / "da" / "out").exists()


# -- the catalog of this area ------------------------------------------------------------------
def test_every_tenant_error_text_is_in_both_languages_and_translated():
    """Every key of errors_tenant: English and Danish, the same placeholders, and a Danish
    text of its own (only a text with no words, such as a bare placeholder, may be the same);
    each key reaches the joined catalog and names the area it belongs to."""
    assert errors_tenant.CATALOG
    for key, entry in errors_tenant.CATALOG.items():
        assert key.startswith("error.") and MESSAGES[key] is entry, key
        assert set(entry) == {"en", "da"}, key
        assert entry["en"].strip() and entry["da"].strip(), key
        assert placeholders(entry["en"]) == placeholders(entry["da"]), key
        worded = "".join(c for c in entry["en"] if c.isalpha() and c not in "{}")
        assert entry["da"] != entry["en"] or not worded, key


AREA = ["tenant.py", "tenant_file.py", "catalog.py", "counting.py", "eligibility/dates.py",
        "artifacts/folder.py", *(f"plan/{m}.py" for m in ("store", "rules", "holders",
                                                          "batching", "model"))]
"""The modules of this area that raise bad input (model.py: the seats sentence it lends)."""


def _called(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")


def test_every_raise_site_of_the_area_names_a_key_of_its_catalog():
    """What this area's modules raise is worded from the catalog: each InputError's code is a
    literal key (or, re-raised, the caught error's code), and every ``error.*`` text they
    name (fixes, shared texts, the kinds of expected value) is a key; no English is left for
    the line to fall back on."""
    sites = 0
    for name in AREA:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.startswith("error.") and " " not in node.value \
                    and not node.value.endswith("."):  # not an f-string's head
                assert node.value in MESSAGES, (name, node.value)
            if not isinstance(node, ast.Call):
                continue
            if _called(node) in ("InputError", "NotAnAfterExport", "_YamlRefused"):
                code = node.args[1 if _called(node) != "_YamlRefused" else 0]
                assert (isinstance(code, ast.Constant) and code.value in MESSAGES) or (
                    isinstance(code, ast.Attribute) and code.attr == "code"), (name, node.lineno)
                sites += 1
            for kw in node.keywords:
                if kw.arg == "fix":
                    assert not isinstance(kw.value, ast.Constant | ast.JoinedStr | ast.BinOp) \
                        or getattr(kw.value, "value", "") in MESSAGES, (name, node.lineno)
            if _called(node) == "bad":
                assert f"error.tenant.expect.{node.args[0].value}" in MESSAGES, node.lineno
    assert sites >= 49
