"""Bad input ends in one line naming file, row, column, value and the fix, and exit code 2.

Each case is checked twice: the InputError's fields (what the notebooks show) and the CLI's
``inspect`` (one ``error:`` line on stderr, exit 2, no traceback).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import AC_HEADER
from click.testing import CliRunner

from playbook.catalog import Catalog
from playbook.cli import main
from playbook.errors import EXIT_BAD_INPUT, InputError
from playbook.exports import read_subscriptions, read_users
from playbook.tenant import config_from_mapping, load_config


def ac_row(upn: str, lic: str, *, loc: str = "DK", blocked: str = "False",
           dept: str = "") -> str:
    cells = ["A B", "False", upn, "", "A", "B", "", "", "", dept, "", "", "", "", "", loc, "",
             blocked, lic, "False", "", "", "", "", "", "", "", ""]
    return ",".join(cells)


def tenant_dir(tmp_path: Path, users_name: str, content: str | bytes) -> Path:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "tenant.yaml").write_text("name: t\ntarget: SPE_E3\n", encoding="utf-8")
    target = folder / users_name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return folder


def read_error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_users(path, Catalog.builtin())
    return info.value


def cli_error(folder: Path) -> str:
    result = CliRunner().invoke(main, ["inspect", str(folder)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert result.stdout == ""
    return lines[0]


def check(folder: Path, users_name: str, *, message: str, row: int | None = None,
          column: str | None = None, value: object = None, fix: str = "") -> InputError:
    path = folder / users_name
    err = read_error(path)
    assert Path(err.file) == path
    assert message in err.message
    assert err.row == row
    assert err.column == column
    if value is not None:
        assert err.value == value
    assert fix in err.fix and err.fix
    line = cli_error(folder)
    assert str(path) in line and message in line and err.fix in line
    return err


def test_empty_file(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", "")
    check(folder, "users.csv", message="the file is empty", fix="export again")


def test_header_only(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", "\ufeff" + AC_HEADER + "\r\n")
    check(folder, "users.csv", message="the file has a header but no users",
          fix="export again")


def test_unrelated_csv(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", "Invoice,Amount,Currency\n1,20,DKK\n")
    err = check(folder, "users.csv", message="not a users export this playbook knows", row=1,
                fix="Export users")
    assert "Invoice, Amount, Currency" in err.message


def test_entra_download_users_has_no_license_column(tmp_path: Path) -> None:
    header = ("userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,"
              "department,accountEnabled,usageLocation")
    folder = tenant_dir(tmp_path, "users.csv",
                        header + "\nada@x.example,Ada,X,,Ada,1,Member,,,True,DK\n")
    check(folder, "users.csv", message="Entra admin center 'Download users' file, which has "
          "no license column", fix="Users > Active users > Export users")


def test_json_that_is_not_a_users_export(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.json", json.dumps({"value": [{"name": "x"}]}))
    check(folder, "users.json", message="JSON file that is not a Graph users export",
          fix="assignedLicenses")


def test_subscriptions_json_in_the_users_slot(tmp_path: Path) -> None:
    subs = {"value": [{"skuId": "1392051d-0cb9-4b7a-88d5-621fee5e8711",
                       "skuPartNumber": "ENTERPRISEWITHSCAL", "prepaidUnits": {}}]}
    folder = tenant_dir(tmp_path, "users.json", json.dumps(subs))
    check(folder, "users.json", message="this is a subscriptions export", fix="subscriptions")


def test_users_json_without_selected_licenses(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.json", json.dumps(
        {"value": [{"id": "1", "userPrincipalName": "a@x.example"}]}))
    check(folder, "users.json", message="no user has assignedLicenses",
          column="assignedLicenses", fix="licenseAssignmentStates")


def test_broken_json_names_the_line(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.json",
                        '{"value": [\n{"userPrincipalName": "a@x.example",\n"id": }\n]}')
    check(folder, "users.json", message="not valid JSON", row=3, fix="cut off")


def test_json_cut_off_by_convertto_json_depth(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.json", json.dumps({"value": [{
        "userPrincipalName": "a@x.example",
        "assignedLicenses": ["Microsoft.Graph.PowerShell.Models.MicrosoftGraphAssignedLicense"]
    }]}))
    check(folder, "users.json", message="a license entry is not an object",
          column="value[0].assignedLicenses",
          value="Microsoft.Graph.PowerShell.Models.MicrosoftGraphAssignedLicense",
          fix="ConvertTo-Json -Depth 10")


MSOL_HEADER = ('"UserPrincipalName","DisplayName","IsLicensed","BlockCredential",'
               '"UsageLocation","Licenses"')


@pytest.mark.parametrize("junk", [
    "System.Collections.Generic.List`1[Microsoft.Online.Administration.UserLicense]",
    "System.Object[]",
    "Microsoft.Online.Administration.UserLicense;Microsoft.Online.Administration.UserLicense",
])
def test_msonline_type_name_junk(tmp_path: Path, junk: str) -> None:
    body = ("#TYPE Microsoft.Online.Administration.User\r\n" + MSOL_HEADER + "\r\n"
            '"a@x.example","A","True","False","DK","contoso:ENTERPRISEWITHSCAL"\r\n'
            f'"b@x.example","B","True","False","DK","{junk}"\r\n')
    folder = tenant_dir(tmp_path, "users.csv", body.encode("ascii"))
    check(folder, "users.csv", message="not a license list", row=4, column="Licenses",
          value=junk, fix="$_.Licenses.AccountSkuId -join ';'")


def test_graph_powershell_type_name_junk(tmp_path: Path) -> None:
    junk = "Microsoft.Graph.PowerShell.Models.IMicrosoftGraphAssignedLicense[]"
    body = ("Id,UserPrincipalName,AccountEnabled,AssignedLicenses\n"
            f"1,a@x.example,True,{junk}\n")
    folder = tenant_dir(tmp_path, "users.csv", body)
    check(folder, "users.csv", message="not a license list", row=2,
          column="AssignedLicenses", value=junk, fix="$_.AssignedLicenses.SkuId -join ';'")


def test_admin_center_object_junk(tmp_path: Path) -> None:
    body = AC_HEADER + "\n" + ac_row("a@x.example", "Office 365 E4") + "\n" + ac_row(
        "b@x.example", "Office 365 E4") + "\n" + ac_row("c@x.example", "[object Object]") + "\n"
    folder = tenant_dir(tmp_path, "users.csv", body)
    check(folder, "users.csv", message="not a license list", row=4, column="Licenses",
          value="[object Object]", fix="Export users")


def test_duplicate_upn_with_conflicting_rows_names_both_lines(tmp_path: Path) -> None:
    body = "\n".join([AC_HEADER, ac_row("a@x.example", "Office 365 E4"),
                      ac_row("b@x.example", "Office 365 E4"),
                      ac_row("A@x.example", "Office 365 E3")]) + "\n"
    folder = tenant_dir(tmp_path, "users.csv", body)
    err = check(folder, "users.csv", message="user a@x.example appears on lines 2 and 4 with "
                "different data", row=4, column="User principal name", value="a@x.example",
                fix="delete the other")
    assert "lines 2 and 4" in err.one_line()


def test_duplicate_user_in_graph_pages_with_conflicting_data(tmp_path: Path) -> None:
    user = {"userPrincipalName": "a@x.example", "assignedLicenses": [],
            "licenseAssignmentStates": []}
    other = dict(user, usageLocation="DK")
    folder = tenant_dir(tmp_path, "users.json", json.dumps([{"value": [user]},
                                                            {"value": [other]}]))
    check(folder, "users.json", message="user a@x.example appears twice with different data "
          "(value[0] and value[1])", column="userPrincipalName", fix="export again")


def test_missing_required_column(tmp_path: Path) -> None:
    header = AC_HEADER.replace("User principal name,", "")
    row = ",".join(c for i, c in enumerate(ac_row("a@x.example", "Office 365 E4").split(","))
                   if i != 2)
    folder = tenant_dir(tmp_path, "users.csv", header + "\n" + row + "\n")
    check(folder, "users.csv", message="required column 'User principal name' is missing",
          row=1, column="User principal name", fix="add the column back")


def test_bad_usage_location_and_bad_boolean(tmp_path: Path) -> None:
    body = "\n".join([AC_HEADER, ac_row("a@x.example", "Office 365 E4"),
                      ac_row("b@x.example", "Office 365 E4", loc="Viet Nam")]) + "\n"
    folder = tenant_dir(tmp_path, "users.csv", body)
    check(folder, "users.csv", message="usage location is not a two-letter country code",
          row=3, column="Usage location", value="Viet Nam", fix="ISO 3166")
    body = "\n".join([AC_HEADER, ac_row("a@x.example", "Office 365 E4", blocked="maybe")])
    (folder / "users.csv").write_text(body + "\n", encoding="utf-8")
    check(folder, "users.csv", message="not a true/false value", row=2,
          column="Block credential", value="maybe", fix="SAND/FALSK")


def test_bad_subscriptions_number(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.csv"
    path.write_text("SkuId,SkuPartNumber,ConsumedUnits,PrepaidUnitsEnabled\n"
                    "1392051d-0cb9-4b7a-88d5-621fee5e8711,ENTERPRISEWITHSCAL,3,lots\n")
    with pytest.raises(InputError) as info:
        read_subscriptions(path)
    err = info.value
    assert (err.row, err.column, err.value) == (2, "PrepaidUnitsEnabled", "lots")


def test_users_export_in_the_subscriptions_slot(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", AC_HEADER + "\n" + ac_row("a@x.example",
                                                                         "Office 365 E4") + "\n")
    (folder / "subscriptions.csv").write_text(AC_HEADER + "\n", encoding="utf-8")
    line = cli_error(folder)
    assert "subscriptions.csv" in line and "this is a users export, not subscriptions" in line


# -- tenant.yaml (rules in playbook.tenant) ----------------------------------------------
def test_misspelt_tenant_yaml_key_suggests_the_closest(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", AC_HEADER + "\n" + ac_row(
        "a@x.example", "Office 365 E4") + "\n")
    (folder / "tenant.yaml").write_text("name: t\ntarget: SPE_E3\npurchase_chanel: direct\n")
    with pytest.raises(InputError) as info:
        load_config(folder / "tenant.yaml")
    err = info.value
    assert (err.column, err.fix) == ("purchase_chanel", "did you mean 'purchase_channel'?")
    line = cli_error(folder)
    assert "unknown key 'purchase_chanel'" in line and "did you mean 'purchase_channel'?" in line


@pytest.mark.parametrize(("key", "value", "fix"), [
    ("payment_method", "cheque", "one of credit-card | invoice"),
    ("payment_method", "invoices", "did you mean 'invoice'?"),
    ("batch_size", 50, "set 20 or less"),
    ("default_usage_location", "Denmark", "two-letter ISO 3166"),
    ("trial", "yes", "true or false"),
])
def test_bad_tenant_yaml_values(key: str, value: object, fix: str) -> None:
    with pytest.raises(InputError) as info:
        config_from_mapping({"name": "t", key: value})
    assert info.value.column == key and info.value.value == value
    assert fix in info.value.fix


def test_removed_tenant_yaml_key_says_it_was_removed_and_why() -> None:
    """Item 12: every tenant.yaml key changes something, or goes. ``billing_frequency`` changed
    nothing (the admin center's cart asks "pay monthly or yearly", "Upgrade from an Office 365
    E4 subscription" [S1], section 1 step 5), so an old file that has it gets one clear line."""
    with pytest.raises(InputError) as info:
        config_from_mapping({"name": "t", "billing_frequency": "annual"})
    err = info.value
    assert "key 'billing_frequency' was removed" in str(err)
    assert err.column == "billing_frequency" and "delete the line" in err.fix
    assert "monthly or yearly" in err.fix and "did you mean" not in err.fix


def test_unknown_target_plan(tmp_path: Path) -> None:
    folder = tenant_dir(tmp_path, "users.csv", AC_HEADER + "\n" + ac_row(
        "a@x.example", "Office 365 E4") + "\n")
    (folder / "tenant.yaml").write_text("name: t\ntarget: SPE_E9\n")
    line = cli_error(folder)
    assert "target is not a known plan" in line and "SPE_E9" in line and "SPE_E5" in line


def test_unquoted_comma_shifts_the_row_and_is_caught(tmp_path: Path) -> None:
    good = ac_row("a@x.example", "Office 365 E4")
    shifted = "Doe, John," + ",".join(ac_row("b@x.example", "Office 365 E4").split(",")[1:])
    folder = tenant_dir(tmp_path, "users.csv", "\n".join([AC_HEADER, good, shifted]) + "\n")
    check(folder, "users.csv", message="the row has 29 fields but the header has 28", row=3,
          fix="unquoted delimiter")


def test_trailing_delimiter_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("UserPrincipalName,AccountEnabled,SkuIds\n"
                    "a@x.example,False,1392051d-0cb9-4b7a-88d5-621fee5e8711,\n")
    t = read_users(path, Catalog.builtin()).table
    assert t[["upn", "sku_part_number"]].values.tolist() == [["a@x.example",
                                                              "ENTERPRISEWITHSCAL"]]
    assert not t["account_enabled"].iloc[0]
