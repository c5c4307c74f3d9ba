"""Bad input in the exports is one line in the tenant's language (issue 17, "error lines ...
stay English").

Each case is a real bad export in a tenant folder read through ``load_tenant`` (what every
step and command calls), once with ``language: da`` and once with ``language: en``: the
Danish line is Danish, the English line is the one the readers have always written. One case
per module that raises (playbook/input_files.py and each reader of playbook/exports), the CLI
for a few, and a walk of the catalog part these modules use.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import AC_HEADER
from click.testing import CliRunner

from playbook.cli import main
from playbook.errors import EXIT_BAD_INPUT, InputError
from playbook.input_files import grouped
from playbook.messages import MESSAGES, errors_exports, message, placeholders
from playbook.tenant import load_tenant

PLAYBOOK = Path(__file__).resolve().parents[1] / "playbook"
SOURCES = sorted((PLAYBOOK / "exports").glob("*.py")) + [PLAYBOOK / "input_files.py"]
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"


def ac_row(upn: str, *, licenses: str = "Office 365 E4", loc: str = "DK",
           blocked: str = "False", cells: int = 28) -> str:
    """One row of the admin center's Export users (``cells`` < 28: a row cut short)."""
    row = ["A B", "False", upn, "", "A", "B", "", "", "", "Sales", "", "", "", "", "", loc, "",
           blocked, licenses, "False", "", "", "", "", "", "", "", ""]
    return ",".join(row[:cells])


def admin_center(*rows: str) -> str:
    return "\ufeff" + AC_HEADER + "\r\n" + "".join(r + "\r\n" for r in rows)


GOOD_USERS = admin_center(ac_row("ada@x.example"))


@dataclass(frozen=True)
class Case:
    """One bad input: the files of the tenant folder and the lines it must give."""

    module: str
    files: dict[str, str | bytes | Callable[[Path], None]]
    en: str
    da: str


CASES: dict[str, Case] = {c.module: c for c in [
    Case("input_files", {"users.csv": lambda p: p.symlink_to("/dev/null")},
         "{dir}/users.csv: is a device, not a regular file; nothing was read "
         "(fix: point at the exported file)",
         "{dir}/users.csv: er en enhed, ikke en almindelig fil; intet blev læst "
         "(løsning: angiv den eksporterede fil)"),
    Case("detect", {"users.csv": "userPrincipalName,displayName,surname,givenName,userType,"
                                 "accountEnabled\nada@x.example,Ada,X,Ada,Member,True\n"},
         "{dir}/users.csv: this is the Entra admin center 'Download users' file, which has no "
         "license column (fix: export from the Microsoft 365 admin center (Users > Active users "
         "> Export users) or run scripts/Export-TenantLicenses.ps1)",
         "{dir}/users.csv: dette er filen 'Download users' fra Microsoft Entra Administration, "
         "som ingen licenskolonne har (løsning: eksportér fra Microsoft 365 Administration "
         "(Brugere > Aktive brugere > Eksportér brugere), eller kør "
         "scripts/Export-TenantLicenses.ps1)"),
    Case("graph_json", {"users.json": '{"value": [{"userPrincipalName": "ada@x.example", '
                                      '"accountEnabled": "false", "assignedLicenses": []}]}'},
         "{dir}/users.json: column 'value[0].accountEnabled': value 'false': user ada@x.example: "
         "accountEnabled is not true or false (fix: save GET /users?$select=id,"
         "userPrincipalName,displayName,department,usageLocation,accountEnabled,"
         "assignedLicenses,licenseAssignmentStates, or run scripts/Export-TenantLicenses.ps1)",
         "{dir}/users.json: kolonne 'value[0].accountEnabled': værdi 'false': bruger "
         "ada@x.example: accountEnabled er hverken true eller false (løsning: gem GET "
         "/users?$select=id,userPrincipalName,displayName,department,usageLocation,"
         "accountEnabled,assignedLicenses,licenseAssignmentStates, eller kør "
         "scripts/Export-TenantLicenses.ps1)"),
    Case("subscriptions", {"users.csv": GOOD_USERS,
                           "subscriptions.csv": "SkuId,SkuPartNumber,ConsumedUnits\n"
                                                f"{E4_ID},ENTERPRISEWITHSCAL,1\n"},
         "{dir}/subscriptions.csv:1: no column with the purchased seats (PrepaidUnits.Enabled, "
         "ActiveUnits, Total or PurchasedUnits) (fix: export a file with the purchased seats "
         "(PrepaidUnits.Enabled, or ActiveUnits from Get-MsolAccountSku): Get-MgSubscribedSku | "
         "Select-Object SkuId,SkuPartNumber,ConsumedUnits,"
         "@{n='PrepaidUnitsEnabled';e={$_.PrepaidUnits.Enabled}},"
         "@{n='PrepaidUnitsWarning';e={$_.PrepaidUnits.Warning}},"
         "@{n='PrepaidUnitsSuspended';e={$_.PrepaidUnits.Suspended}} | Export-Csv, or run "
         "scripts/Export-TenantLicenses.ps1)",
         "{dir}/subscriptions.csv:1: ingen kolonne med de købte licenser (PrepaidUnits.Enabled, "
         "ActiveUnits, Total eller PurchasedUnits) (løsning: eksportér en fil med de købte "
         "licenser (PrepaidUnits.Enabled, eller ActiveUnits fra Get-MsolAccountSku): "
         "Get-MgSubscribedSku | Select-Object SkuId,SkuPartNumber,ConsumedUnits,"
         "@{n='PrepaidUnitsEnabled';e={$_.PrepaidUnits.Enabled}},"
         "@{n='PrepaidUnitsWarning';e={$_.PrepaidUnits.Warning}},"
         "@{n='PrepaidUnitsSuspended';e={$_.PrepaidUnits.Suspended}} | Export-Csv, eller kør "
         "scripts/Export-TenantLicenses.ps1)"),
    Case("subscription_checks", {"users.csv": GOOD_USERS, "subscriptions.json":
                                 '{"value": [{"skuId": "' + E4_ID + '", "skuPartNumber": '
                                 '"ENTERPRISEWITHSCAL", "prepaidUnits": {"enabled": -1}}]}'},
         "{dir}/subscriptions.json: column 'value[0].prepaidUnits.enabled': value '-1': not a seat "
         "count (a whole number from 0 to 2,147,483,647) (fix: export again without editing)",
         "{dir}/subscriptions.json: kolonne 'value[0].prepaidUnits.enabled': værdi '-1': ikke et "
         "antal licenser (et helt tal fra 0 til 2.147.483.647) (løsning: eksportér igen uden at "
         "redigere filen)"),
    Case("csvio", {"users.csv": admin_center(ac_row("ada@x.example", blocked="Maybe"))},
         "{dir}/users.csv:2: column 'Block credential': value 'Maybe': not a true/false value "
         "(fix: use True or False (Excel's localized SAND/FALSK, WAHR/FALSCH, VERDADEIRO/FALSO "
         "are accepted too); if the row's other cells look shifted, a value with an unquoted "
         "delimiter moved its columns: export again)",
         "{dir}/users.csv:2: kolonne 'Block credential': værdi 'Maybe': ikke en sand/falsk-værdi "
         "(løsning: brug True eller False (Excels oversatte SAND/FALSK, WAHR/FALSCH, "
         "VERDADEIRO/FALSO accepteres også); hvis rækkens andre celler ser forskudte ud, har en "
         "værdi med et skilletegn uden anførselstegn flyttet dens kolonner: eksportér igen)"),
    Case("records", {"users.csv": admin_center(ac_row("ada@x.example", cells=27),
                                               ac_row("bo@x.example"))},
         "{dir}/users.csv:2: the row has 27 fields but the header has 28 (fix: a value with an "
         "unquoted line break or a deleted cell: export again)",
         "{dir}/users.csv:2: rækken har 27 felter, men overskriftslinjen har 28 (løsning: en "
         "værdi med et linjeskift uden anførselstegn eller en slettet celle: eksportér igen)"),
    Case("userframe", {"users.csv": admin_center()},
         "{dir}/users.csv: the file has a header but no users (fix: export again; the export "
         "holds no rows)",
         "{dir}/users.csv: filen har en overskriftslinje, men ingen brugere (løsning: eksportér "
         "igen; eksporten indeholder ingen rækker)"),
    Case("user_checks", {"users.csv": admin_center(ac_row("ada@x.example", loc="Denmark"))},
         "{dir}/users.csv:2: column 'Usage location': value 'Denmark': user ada@x.example: usage "
         "location is not a two-letter country code (fix: use an ISO 3166 code such as DK or "
         "US; if the row's other cells look shifted, a value with an unquoted delimiter moved "
         "its columns: export again)",
         "{dir}/users.csv:2: kolonne 'Usage location': værdi 'Denmark': bruger ada@x.example: "
         "placering for anvendelse er ikke en landekode på to bogstaver (løsning: brug en ISO "
         "3166-kode som DK eller US; hvis rækkens andre celler ser forskudte ud, har en værdi "
         "med et skilletegn uden anførselstegn flyttet dens kolonner: eksportér igen)"),
    Case("groups", {"users.csv": GOOD_USERS, "groups.json": '{"value": [{"displayName": "x"}]}'},
         "{dir}/groups.json: column 'value[0].id': a group without an id (fix: export again "
         "with e4-playbook export, or delete groups.json (groups are then shown by id))",
         "{dir}/groups.json: kolonne 'value[0].id': en gruppe uden id (løsning: eksportér igen "
         "med e4-playbook export, eller slet groups.json (grupperne vises så med deres id))"),
    Case("license_status", {"users.csv": '"UserPrincipalName","DisplayName","Department",'
                                         '"UsageLocation","AccountSkuId","ServiceName",'
                                         '"ProvisioningStatus"\r\n"ada@x.example","Ada","",'
                                         '"DK","System.Object[]","EXCHANGE_S_ENTERPRISE",'
                                         '"Success"\r\n'},
         "{dir}/users.csv:2: column 'AccountSkuId': value 'System.Object[]': not a licence (fix: "
         "AccountSkuId was exported as a .NET type name: export again with "
         "$_.Licenses.AccountSkuId expanded one per row (the script's own loop), or use "
         "scripts/Export-TenantLicenses.ps1)",
         "{dir}/users.csv:2: kolonne 'AccountSkuId': værdi 'System.Object[]': ikke en licens "
         "(løsning: AccountSkuId blev eksporteret som et .NET-typenavn: eksportér igen med "
         "$_.Licenses.AccountSkuId udfoldet med én pr. række (scriptets egen løkke), eller brug "
         "scripts/Export-TenantLicenses.ps1)"),
    Case("msonline", {"users.csv": "#TYPE Microsoft.Online.Administration.User\r\n"
                                   '"UserPrincipalName","DisplayName","IsLicensed",'
                                   '"BlockCredential","UsageLocation","Licenses"\r\n'
                                   '"ada@x.example","Ada","True","False","DK",'
                                   '"System.Object[]"\r\n'},
         "{dir}/users.csv:3: column 'Licenses': value 'System.Object[]': not a license list "
         "(fix: Licenses was exported as a .NET type name: export again with "
         "@{n='Licenses';e={$_.Licenses.AccountSkuId -join ';'}} in Select-Object, or use "
         "scripts/Export-TenantLicenses.ps1)",
         "{dir}/users.csv:3: kolonne 'Licenses': værdi 'System.Object[]': ikke en liste over "
         "licenser (løsning: Licenses blev eksporteret som et .NET-typenavn: eksportér igen med "
         "@{n='Licenses';e={$_.Licenses.AccountSkuId -join ';'}} i Select-Object, eller brug "
         "scripts/Export-TenantLicenses.ps1)"),
    Case("graph_powershell", {"users.csv": "Id,UserPrincipalName,AccountEnabled,SkuIds\n"
                                           "1,ada@x.example,True,System.String[]\n"},
         "{dir}/users.csv:2: column 'SkuIds': value 'System.String[]': not a license list (fix: "
         "the cell holds a PowerShell type name, not licenses: flatten before Export-Csv, e.g. "
         "@{n='SkuIds';e={$_.AssignedLicenses.SkuId -join ';'}}, or run "
         "scripts/Export-TenantLicenses.ps1)",
         "{dir}/users.csv:2: kolonne 'SkuIds': værdi 'System.String[]': ikke en liste over "
         "licenser (løsning: cellen indeholder et PowerShell-typenavn, ikke licenser: fold dem "
         "ud før Export-Csv, f.eks. @{n='SkuIds';e={$_.AssignedLicenses.SkuId -join ';'}}, "
         "eller kør scripts/Export-TenantLicenses.ps1)"),
    Case("admin_center", {"users.csv": admin_center(ac_row("ada@x.example",
                                                           licenses="System.Object[]"))},
         "{dir}/users.csv:2: column 'Licenses': value 'System.Object[]': not a license list "
         "(fix: the cell holds a PowerShell type name, not licenses: use the admin center's "
         "Users > Active users > Export users, or flatten licenses to text before Export-Csv, "
         "e.g. @{n='Licenses';e={$_.AssignedLicenses.SkuId -join '+'}})",
         "{dir}/users.csv:2: kolonne 'Licenses': værdi 'System.Object[]': ikke en liste over "
         "licenser (løsning: cellen indeholder et PowerShell-typenavn, ikke licenser: brug "
         "Brugere > Aktive brugere > Eksportér brugere i Administration, eller gør licenserne "
         "til tekst før Export-Csv, f.eks. "
         "@{n='Licenses';e={$_.AssignedLicenses.SkuId -join '+'}})"),
]}


def make_tenant(root: Path, lang: str, files: dict[str, str | bytes | Callable[[Path], None]]
                ) -> Path:
    """A tenant folder in ``lang`` holding ``files`` (text, bytes, or a function that makes
    the path, for a link to a device)."""
    folder = root / f"tenant-{lang}"
    folder.mkdir()
    (folder / "tenant.yaml").write_text(f"name: t\ntarget: SPE_E3\nlanguage: {lang}\n",
                                        encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def refusal(folder: Path) -> str:
    """The one line ``load_tenant`` refuses the folder with, as a notebook shows it."""
    with pytest.raises(InputError) as info:
        load_tenant(folder)
    return str(info.value)


def cli_line(folder: Path) -> str:
    """The one stderr line of ``e4-playbook inspect`` (exit 2, no traceback)."""
    result = CliRunner().invoke(main, ["inspect", str(folder)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("module", sorted(CASES))
@pytest.mark.parametrize("lang", ["da", "en"])
def test_bad_export_is_one_line_in_the_tenants_language(tmp_path: Path, module: str,
                                                        lang: str) -> None:
    case = CASES[module]
    folder = make_tenant(tmp_path, lang, case.files)
    expected = (case.da if lang == "da" else case.en).replace("{dir}", str(folder))
    assert refusal(folder) == expected


@pytest.mark.parametrize(("module", "lang", "prefix"), [
    ("records", "da", "fejl: "), ("records", "en", "error: "),
    ("subscription_checks", "da", "fejl: "), ("input_files", "da", "fejl: "),
])
def test_cli_says_the_same_line(tmp_path: Path, module: str, lang: str, prefix: str) -> None:
    case = CASES[module]
    folder = make_tenant(tmp_path, lang, case.files)
    expected = (case.da if lang == "da" else case.en).replace("{dir}", str(folder))
    assert cli_line(folder) == prefix + expected


def test_a_shared_text_inside_a_fix_is_worded_in_the_line_language(tmp_path: Path) -> None:
    """The subscriptions export in the users slot: the fix names the file, then says how to
    export users, both in Danish (the how-to is one shared text, used by several fixes)."""
    subs = '{"value": [{"skuId": "' + E4_ID + '", "skuPartNumber": "ENTERPRISEWITHSCAL"}]}'
    folder = make_tenant(tmp_path, "da", {"users.json": subs})
    assert refusal(folder) == (
        f"{folder}/users.json: dette er en eksport af abonnementer (subscribedSkus), ikke af "
        "brugere (løsning: kald den subscriptions.json, og eksportér fra Microsoft 365 "
        "Administration (Brugere > Aktive brugere > Eksportér brugere), eller kør "
        "scripts/Export-TenantLicenses.ps1)")


def test_every_raising_module_has_a_case() -> None:
    """A module of the slice that raises InputError without a Danish case here fails."""
    raising = {p.stem for p in SOURCES if "InputError(" in p.read_text(encoding="utf-8")}
    assert raising == set(CASES)


# -- the catalog these modules use ---------------------------------------------------------------
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _keys_in_sources() -> set[str]:
    """Every ``error.*`` string literal in the slice's modules (codes, fixes, Said keys)."""
    keys = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(
                    r"error\.[a-z0-9.-]+", node.value):
                keys.add(node.value)
    return keys


def test_every_key_the_readers_name_is_in_the_catalog() -> None:
    """A key with a typo would be shown as the key itself: every one must exist."""
    keys = _keys_in_sources()
    assert len(keys) > 60
    assert sorted(k for k in keys if k not in MESSAGES) == []


def test_every_key_of_the_catalog_part_is_used() -> None:
    """No dead text: a key is named in the sources, or is the default fix of one that is."""
    used = _keys_in_sources()
    unused = [k for k in errors_exports.CATALOG
              if k not in used and not (k.endswith(".fix") and k.removesuffix(".fix") in used)]
    assert unused == []


@pytest.mark.parametrize("key", sorted(errors_exports.CATALOG))
def test_catalog_entry_is_danish_with_the_same_placeholders(key: str) -> None:
    entry = errors_exports.CATALOG[key]
    assert key.startswith("error.")
    assert set(entry) == {"en", "da"}
    assert placeholders(entry["en"]) == placeholders(entry["da"])
    words = _WORDS.findall(re.sub(r"\{[^{}]*\}", "", entry["en"]))
    assert entry["da"] != entry["en"] or not words, key


def test_counts_are_grouped_as_each_language_writes_them() -> None:
    line = {lang: message("error.input-file.too-big", lang, size=grouped(1234567),
                          max_bytes=grouped(262144)) for lang in ("en", "da")}
    assert line["en"] == "is 1,234,567 bytes, more than the 262,144 this file may hold"
    assert line["da"] == "fylder 1.234.567 byte, mere end de 262.144, denne fil må fylde"
    assert message("error.input-file.grew", "da", max_bytes=grouped(999)) == (
        "fylder mere end de 999 byte, denne fil må fylde")
