"""Real export layouts as admins have them (issue 14) and damaged CSVs (issue 15 items 6, 9, 11).

Header lines are the real ones quoted in the issues; every row is written here (contoso,
example.com, made-up object ids; public SKU GUIDs).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from builders import AC_HEADER
from click.testing import CliRunner
from paths import REFERENCE_CSV

from playbook.catalog import Catalog
from playbook.cli import main
from playbook.eligibility import assess_tables
from playbook.errors import InputError
from playbook.exports import read_subscriptions, read_users
from playbook.exports.cells import TokenResolver
from playbook.inventory import inspect_tenant
from playbook.tenant import TenantConfig, load_tenant
from playbook.testing.synth import (
    SUBSCRIPTIONS_SUFFIX,
    USERS_SUFFIX,
    synth_tenant,
    write_subscriptions,
    write_users,
)

E4 = "1392051d-0cb9-4b7a-88d5-621fee5e8711"

LICENSE_STATUS_HEADER = ('"UserPrincipalName","DisplayName","Department","UsageLocation",'
                         '"AccountSkuId","ServiceName","ProvisioningStatus"')


def ac_row(name: str, upn: str, lic: str, *, deleted: str = "", loc: str = "DK") -> str:
    cells = [name, "False", upn, "", "", "", "2023-02-01 08:15:00Z", deleted, "", "", "", "",
             "", "", "", loc, "", "False", lic, "False", "", "", "", "", "", "", "",
             f"SMTP:{upn}"]
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def refused(path: Path, reader=None) -> InputError:
    with pytest.raises(InputError) as info:
        (reader or (lambda p: read_users(p, Catalog.builtin())))(path)
    return info.value


def parts_of(table, upn: str) -> list[str]:
    return table.loc[table["upn"] == upn, "sku_part_number"].tolist()


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.builtin()


# -- issue 14 item 1: MSOnline licences joined by ", " ---------------------------------------
def test_msonline_comma_joined_account_skus_all_count(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "users.csv",
                 '"UserPrincipalName","DisplayName","UsageLocation","Licenses"\n'
                 '"ada@contoso.example","Ada","DK","contoso:ENTERPRISEWITHSCAL, contoso:EMS"\n'
                 '"bo@contoso.example","Bo","DK","contoso:EMS, contoso:ENTERPRISEWITHSCAL"\n'
                 '"cy@contoso.example","Cy","DK","contoso:NOT_A_SKU, contoso:ALSO_NEW"\n')
    read = read_users(path, catalog)
    assert read.format == "msonline"
    assert parts_of(read.table, "ada@contoso.example") == ["ENTERPRISEWITHSCAL", "EMS"]
    assert parts_of(read.table, "bo@contoso.example") == ["EMS", "ENTERPRISEWITHSCAL"]
    # unknown tokens stay one licence each, never glued together
    assert read.unknown_products == ("contoso:ALSO_NEW", "contoso:NOT_A_SKU")
    verdict = assess_tables(TenantConfig(name="t", target="SPE_E5"), read.table, None, catalog)
    assert verdict.counts.source_users == 2


def test_catalog_prefix_is_a_tenant_label_only(catalog: Catalog) -> None:
    assert catalog.resolve("contoso:EMS").part_number == "EMS"
    assert catalog.resolve("reseller-account:ENTERPRISEWITHSCAL").part_number == (
        "ENTERPRISEWITHSCAL")
    assert catalog.resolve("contoso:ENTERPRISEWITHSCAL, contoso:EMS") is None


# -- item 2: subscriptions whose seat column has another name --------------------------------
@pytest.mark.parametrize("text", [
    '"SkuPartNumber","ConsumedUnits","Total"\n"ENTERPRISEWITHSCAL","40","45"\n',
    '"ObjectId","SkuPartNumber","SkuId","ConsumedUnits","PurchasedUnits"\n'
    f'"00000000-0000-4000-8000-0000000000cc_{E4}","ENTERPRISEWITHSCAL","{E4}","40","45"\n',
])
def test_subscription_seat_columns_of_real_scripts(tmp_path: Path, text: str) -> None:
    subs, fmt = read_subscriptions(write(tmp_path / "subscriptions.csv", text))
    assert fmt == "graph-powershell"
    row = subs.iloc[0]
    assert (row["sku_part_number"], row["enabled"], row["consumed"]) == (
        "ENTERPRISEWITHSCAL", 45, 40)


def test_unflattened_subscribed_sku_export_is_refused_with_the_flatten_fix(
        tmp_path: Path) -> None:
    path = write(tmp_path / "subscriptions.csv",
                 '"AccountId","AppliesTo","CapabilityStatus","ConsumedUnits","PrepaidUnits",'
                 '"SkuId","SkuPartNumber"\n'
                 '"00000000-0000-4000-8000-0000000000bb","User","Enabled","40",'
                 '"Microsoft.Graph.PowerShell.Models.MicrosoftGraphLicenseUnitsDetail",'
                 f'"{E4}","ENTERPRISEWITHSCAL"\n')
    err = refused(path, read_subscriptions)
    assert (err.row, err.column) == (2, "PrepaidUnits")
    assert "type name" in err.message and "PrepaidUnits.Enabled" in err.fix


def test_subscriptions_without_any_seat_column_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "subscriptions.csv",
                 '"SkuPartNumber","SkuId","ConsumedUnits"\n'
                 f'"ENTERPRISEWITHSCAL","{E4}","40"\n')
    err = refused(path, read_subscriptions)
    assert "no column with the purchased seats" in err.message and err.row == 1


# -- item 4: soft-deleted users ---------------------------------------------------------------
def test_soft_deleted_users_hold_no_licences(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "users.csv", "\ufeff" + "\r\n".join([
        AC_HEADER,
        ac_row("Ada", "ada@contoso.example", "Office 365 E4"),
        ac_row("Gone", "gone@contoso.example", "Office 365 E4", deleted="2026-05-01 10:00:00Z"),
        ac_row("Cy", "cy@contoso.example", "Unlicensed"),
    ]) + "\r\n")
    read = read_users(path, catalog)
    assert sorted(read.table["upn"].unique()) == ["ada@contoso.example", "cy@contoso.example"]
    assert any("1 soft-deleted user left out" in str(w) for w in read.warnings)


# -- item 5: Microsoft's reference CSV of January 2022 (String_ Id) ---------------------------
def test_reference_header_matched_ignoring_spacing_and_case(tmp_path: Path) -> None:
    path = write(tmp_path / "ref.csv", "\ufeffProduct_Display_Name,String_ Id,GUID,"
                 "Service_Plan_Name,Service_Plan_Id,Service_Plans_Included_Friendly_Names\r\n"
                 f"Office 365 E4,ENTERPRISEWITHSCAL,{E4},SWAY,"
                 "a23b959c-7ce8-4e57-9140-b90eb88a9e97,Sway\r\n")
    cat = Catalog.from_reference_csv(path)
    sku = cat.resolve("Office 365 E4")
    assert (sku.part_number, sku.plan_names) == ("ENTERPRISEWITHSCAL", ("SWAY",))


def test_reference_without_a_key_column_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "ref.csv", "Product_Display_Name,GUID\nOffice 365 E4,x\n")
    with pytest.raises(InputError, match="no String_Id column"):
        Catalog.from_reference_csv(path)


# -- item 6: Export-Office365LicenseStatus layout -----------------------------------------------
def test_license_status_layout_is_a_users_export_with_disabled_plans(
        tmp_path: Path, catalog: Catalog) -> None:
    rows = [
        ("ada@contoso.example", "Ada", "Finance", "DK", "contoso:ENTERPRISEWITHSCAL",
         "EXCHANGE_S_ENTERPRISE", "Success"),
        ("ada@contoso.example", "Ada", "Finance", "DK", "contoso:ENTERPRISEWITHSCAL", "SWAY",
         "Disabled"),
        ("ada@contoso.example", "Ada", "Finance", "DK", "contoso:FLOW_FREE", "FLOW_P2_VIRAL",
         "Success"),
        ("bo@contoso.example", "Bo", "IT", "US", "contoso:ENTERPRISEWITHSCAL", "SWAY",
         "Success"),
    ]
    body = "\n".join(",".join(f'"{c}"' for c in r) for r in rows)
    path = write(tmp_path / "users.csv", LICENSE_STATUS_HEADER + "\n" + body + "\n")
    read = read_users(path, catalog)
    assert read.format == "msonline-license-status" and read.carries_disabled_plans
    t = read.table
    assert t["upn"].tolist() == ["ada@contoso.example", "ada@contoso.example",
                                 "bo@contoso.example"]
    assert t["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL", "FLOW_FREE",
                                             "ENTERPRISEWITHSCAL"]
    assert t["disabled_plans"].tolist() == [("SWAY",), (), ()]
    with pytest.raises(InputError, match="users export"):
        read_subscriptions(path)


def test_license_status_rows_that_disagree_about_a_user_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "users.csv", LICENSE_STATUS_HEADER + "\n"
                 '"ada@contoso.example","Ada","Finance","DK","contoso:FLOW_FREE","X","Success"\n'
                 '"ada@contoso.example","Ada","Finance","US","contoso:FLOW_FREE","Y","Success"\n')
    err = refused(path)
    assert "lines 2 and 3" in err.message and err.row == 3


# -- item 7: a column named by a script block ---------------------------------------------------
def test_script_block_column_is_recognised_and_its_object_cells_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "users.csv",
                 '"DisplayName","UserPrincipalName","$_.Licenses.AccountSkuId"\n'
                 '"Ada","ada@contoso.example","contoso:ENTERPRISEWITHSCAL"\n'
                 '"Bo","bo@contoso.example","System.Object[]"\n')
    err = refused(path)
    assert (err.row, err.column, err.value) == (3, "$_.Licenses.AccountSkuId", "System.Object[]")
    assert "-join" in err.fix


def test_graph_script_block_column_gets_the_graph_flatten_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "users.csv",
                 '"Id","UserPrincipalName","AccountEnabled","$_.AssignedLicenses.SkuId"\n'
                 f'"00000000-0000-4000-8000-000000000001","ada@contoso.example","True","{E4}"\n'
                 '"00000000-0000-4000-8000-000000000002","bo@contoso.example","True",'
                 '"System.Object[]"\n')
    err = refused(path)
    assert (err.row, err.column, err.value) == (3, "$_.AssignedLicenses.SkuId",
                                                "System.Object[]")
    assert "AssignedLicenses.SkuId -join" in err.fix


# -- item 8: another UI language ----------------------------------------------------------------
def test_translated_headers_are_refused_with_the_way_to_an_english_export(tmp_path: Path) -> None:
    header = AC_HEADER.replace("User principal name", "Nombre principal de usuario").replace(
        "Licenses", "Licencias").replace("Usage location", "Ubicación de uso")
    path = write(tmp_path / "users.csv", header + "\n" + ac_row("Ada", "ada@contoso.example",
                                                                "Office 365 E4") + "\n")
    err = refused(path)
    assert "another UI language" in err.message and "English" in err.fix and err.row == 1


def test_translated_licence_names_stay_visible_as_unknown(tmp_path: Path,
                                                          catalog: Catalog) -> None:
    path = write(tmp_path / "users.csv", AC_HEADER + "\n" + ac_row(
        "Ada", "ada@contoso.example", "Microsoft 365 Empresa Básico+Office 365 E4") + "\n")
    read = read_users(path, catalog)
    assert parts_of(read.table, "ada@contoso.example") == ["", "ENTERPRISEWITHSCAL"]
    assert read.unknown_products == ("Microsoft 365 Empresa Básico",)


# -- item 9: a display name that names two SKUs -------------------------------------------------
def test_ambiguous_display_name_is_a_warning_listing_the_candidates(tmp_path: Path) -> None:
    ref = write(tmp_path / "ref.csv", "Product_Display_Name,String_Id,GUID,Service_Plan_Name,"
                "Service_Plan_Id,Service_Plans_Included_Friendly_Names\n"
                "Microsoft 365 Business Basic,O365_BUSINESS_ESSENTIALS,"
                "3b555118-da6a-4418-894f-7df1e2096870,,,\n"
                "Microsoft 365 Business Basic,SMB_BUSINESS_ESSENTIALS,"
                "dab7782a-93b1-4074-8bb1-0e61318bea0b,,,\n")
    cat = Catalog.layered(Catalog.from_reference_csv(ref), Catalog.builtin())
    assert [s.part_number for s in cat.candidates("microsoft 365  business basic")] == [
        "O365_BUSINESS_ESSENTIALS", "SMB_BUSINESS_ESSENTIALS"]
    path = write(tmp_path / "users.csv", AC_HEADER + "\n" + ac_row(
        "Ada", "ada@contoso.example", "Microsoft 365 Business Basic") + "\n")
    read = read_users(path, cat)
    warning = next(str(w) for w in read.warnings if "Microsoft 365 Business Basic" in str(w))
    assert "O365_BUSINESS_ESSENTIALS" in warning and "SMB_BUSINESS_ESSENTIALS" in warning


@pytest.mark.skipif(not REFERENCE_CSV.exists(),
                    reason=f"Microsoft's reference CSV not at {REFERENCE_CSV}")
def test_microsofts_table_has_the_two_ambiguous_names() -> None:
    cat = Catalog.from_reference_csv(REFERENCE_CSV)
    for name in ("Microsoft 365 Business Basic", "Microsoft 365 Apps for Business"):
        assert len(cat.candidates(name)) == 2, name


# -- item 10: a tenant without E4 -----------------------------------------------------------------
def test_tenant_without_e4_has_nothing_to_move(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "users.csv", AC_HEADER + "\n" + "\n".join(
        ac_row(n, f"{n}@contoso.example", "Office 365 E3") for n in ("ada", "bo")) + "\n")
    verdict = assess_tables(TenantConfig(name="t"), read_users(path, catalog).table, None,
                            catalog)
    assert verdict.upgrade_tab_possible is False
    assert verdict.codes("blocker") == ("NOTHING_TO_MOVE",)
    assert "nothing to move" in verdict.finding("NOTHING_TO_MOVE").message


def test_inspect_with_only_unknown_products_does_not_say_no_licenses(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    write(folder / "tenant.yaml", "name: t\n")
    write(folder / "users.csv", AC_HEADER + "\n" + "\n".join(
        ac_row(n, f"{n}@contoso.example", "Produkt X") for n in ("ada", "bo", "cy")) + "\n")
    text = inspect_tenant(load_tenant(folder)).to_text()
    assert "3 licensed" in text and "No licenses found." not in text
    assert "No license the catalog can name: 1 product it cannot name is listed below." in text


# -- issue 15 item 6: damaged rows and columns, in every CSV layout -------------------------------
CSV_USERS = [f for f, suffix in USERS_SUFFIX.items() if suffix == ".csv"]
CSV_SUBS = [f for f, suffix in SUBSCRIPTIONS_SUFFIX.items() if suffix == ".csv"]


def layouts(tmp_path: Path) -> list[tuple[str, Path, object]]:
    """A small intact file in every CSV layout, with its reader."""
    t = synth_tenant(12, seed=3)
    out = []
    for fmt in CSV_USERS:
        out.append((fmt, write_users(t.truth, tmp_path / f"{fmt}.csv", fmt),
                    lambda p: read_users(p, Catalog.builtin())))
    for fmt in CSV_SUBS:
        out.append((f"subs-{fmt}", write_subscriptions(t.subscriptions,
                                                        tmp_path / f"subs-{fmt}.csv", fmt),
                    read_subscriptions))
    return out


def lines_of(path: Path) -> tuple[bytes, list[bytes], int]:
    """BOM, lines, and the index of the header line (after a #TYPE line)."""
    raw = path.read_bytes()
    bom = raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b""
    lines = raw[len(bom):].splitlines(keepends=True)
    return bom, lines, 1 if lines[0].startswith(b"#TYPE") else 0


def test_every_intact_layout_reads(tmp_path: Path) -> None:
    for fmt, path, reader in layouts(tmp_path):
        assert len(reader(path)[0] if fmt.startswith("subs") else reader(path).table), fmt


def test_truncated_file_is_refused_with_the_line(tmp_path: Path) -> None:
    for fmt, path, reader in layouts(tmp_path):
        bom, lines, h = lines_of(path)
        last = lines[-1].rstrip(b"\r\n")
        cut = last[:len(last) // 2]  # mid-row: mid-field, inside quotes when quoted
        write(path, bom + b"".join(lines[:-1]) + cut)
        err = refused(path, reader)
        assert err.row == len(lines), (fmt, err)
        assert "cut off" in err.message, (fmt, err)


@pytest.mark.parametrize("change", ["fewer", "more"])
def test_row_with_a_wrong_number_of_fields_is_refused(tmp_path: Path, change: str) -> None:
    for fmt, path, reader in layouts(tmp_path):
        bom, lines, h = lines_of(path)
        i = h + 2  # the second data row
        delim = b";" if fmt == "never" else b","
        row = lines[i].rstrip(b"\r\n")
        end = lines[i][len(row):]
        if change == "fewer":
            head, _, _ = row.rpartition(delim)
            row = head
        else:
            row = row + delim + b'"x"'
        lines[i] = row + end
        write(path, bom + b"".join(lines))
        err = refused(path, reader)
        assert err.row == i + 1, (fmt, err)
        assert "fields but the header has" in err.message or "field(s)" in err.message, fmt


@pytest.mark.parametrize("kind", ["duplicate", "conflicting"])
def test_two_columns_for_one_field_are_refused(tmp_path: Path, kind: str) -> None:
    """Two Licenses columns (or UserPrincipalName and User principal name): which holds the
    truth would be a guess."""
    second = {"duplicate": "Licenses", "conflicting": "User principal name"}[kind]
    path = write(tmp_path / "users.csv",
                 f"UserPrincipalName,Licenses,{second}\n"
                 "ada@contoso.example,contoso:ENTERPRISEWITHSCAL,x\n")
    err = refused(path)
    assert err.row == 1 and err.column == second
    assert ("twice" if kind == "duplicate" else "mean the same") in err.message


# -- issue 15 item 9: encodings ----------------------------------------------------------------
def big_admin_center(rows: int, name: str) -> str:
    body = [ac_row(f"User {i}", f"u{i}@contoso.example", "Office 365 E4") for i in range(rows)]
    body.append(ac_row(name, "last@contoso.example", "Office 365 E4"))
    return AC_HEADER + "\r\n" + "\r\n".join(body) + "\r\n"


def test_utf8_export_with_a_stray_byte_past_64k_is_refused_not_reread(tmp_path: Path) -> None:
    text = big_admin_center(700, "Søren")
    raw = b"\xef\xbb\xbf" + text.encode("utf-8")
    assert len(raw) > 64 * 1024
    raw = raw.replace("Søren".encode(), "S\xf8ren".encode("cp1252"))  # one ANSI byte at the end
    err = refused(write(tmp_path / "users.csv", raw))
    assert err.row == 702 and "mixes encodings" in err.message and "0xf8" in err.message


def test_ansi_export_with_its_first_accent_past_64k_is_read_whole(tmp_path: Path,
                                                                  catalog: Catalog) -> None:
    raw = big_admin_center(700, "Søren").encode("cp1252")
    read = read_users(write(tmp_path / "users.csv", raw), catalog)
    names = read.table.set_index("upn")["display_name"]
    assert names["last@contoso.example"] == "Søren" and names["u0@contoso.example"] == "User 0"


def test_bom_never_becomes_part_of_the_first_header(tmp_path: Path, catalog: Catalog) -> None:
    raw = b"\xef\xbb\xbf" + big_admin_center(3, "Åse").encode("utf-8")
    read = read_users(write(tmp_path / "users.csv", raw), catalog)
    assert read.table["display_name"].tolist() == ["User 0", "User 1", "User 2", "Åse"]


def test_nul_byte_in_a_csv_is_refused_with_the_line(tmp_path: Path) -> None:
    text = big_admin_center(3, "A\x00B")
    err = refused(write(tmp_path / "users.csv", text))
    assert err.row == 5 and "NUL" in err.message


# -- issue 15 item 11: linear parsing of pathological cells -------------------------------------
class CountingCatalog:
    """A catalog that records every token it is asked to resolve (the parser's work)."""

    def __init__(self, inner: Catalog) -> None:
        self.inner = inner
        self.asked: list[str] = []

    def resolve(self, token: object):
        self.asked.append(str(token))
        return self.inner.resolve(token)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


@pytest.mark.parametrize("joiner", [" + ", ", "])
def test_a_cell_of_1600_parts_is_parsed_in_linear_work(joiner: str) -> None:
    counting = CountingCatalog(Catalog.builtin())
    resolver = TokenResolver(counting)  # type: ignore[arg-type]
    cell = joiner.join(f"Unknown Product {i:04d}" for i in range(1600))
    found = (resolver.split_names if joiner == " + " else resolver.split_list)(cell)
    assert len(found) == 1  # unknown pieces stay one visible name
    # every piece is looked up a bounded number of times, not once per longer run
    assert len(counting.asked) <= 3 * 1600
    assert sum(map(len, counting.asked)) <= 4 * len(cell)


def test_known_names_with_plus_still_rejoin(catalog: Catalog) -> None:
    cell = " + ".join(["Enterprise Mobility + Security E5", "Unknown"] * 800)
    found = TokenResolver(catalog).split_names(cell)
    assert sum(lic.sku_part_number == "EMSPREMIUM" for lic in found) == 800


# -- the CLI keeps the one-line promise for the new refusals -----------------------------------
def test_cli_prints_one_line_for_a_truncated_export(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    write(folder / "tenant.yaml", "name: t\n")
    write(folder / "users.csv", AC_HEADER + "\n" + ac_row("Ada", "a@contoso.example",
                                                          "Office 365 E4") + '\n"Bo,Fal')
    result = CliRunner().invoke(main, ["inspect", str(folder)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "users.csv:3" in lines[0] and "cut off" in lines[0]
    assert "Traceback" not in result.output
    json.dumps(lines)  # plain text
