"""Readers on small hand-written files: every quirk of docs/formats.md, checked by value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import AC_HEADER

from playbook.catalog import Catalog
from playbook.exports import (
    FORMATS_WITH_DISABLED_PLANS,
    FORMATS_WITH_GROUPS,
    FORMATS_WITH_STATES,
    FORMATS_WITHOUT_DISABLED_PLANS,
    USERS_FORMAT_CARRIES,
    USERS_FORMATS,
    detect_subscriptions_format,
    detect_users_format,
    read_subscriptions,
    read_users,
)
from playbook.table import LICENSE_COLUMNS, SUBSCRIPTION_COLUMNS
from playbook.testing.synth import USERS_SUFFIX, synth_tenant, write_users

E4 = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
FLOW = "f30db892-07e9-47e9-837c-80727f46fd3d"
EMS5 = "b05e124f-c7cc-45a0-a6aa-8cf78c946968"
SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
YAMMER = "7547a3fe-08ee-4ccb-b430-5077c5041653"
GROUP = "00000000-0000-4000-8000-0000000000aa"



def ac_row(name: str, upn: str, oid: str, dept: str, loc: str, blocked: str, lic: str) -> str:
    cells = [name, "False", upn, oid, "", "", "2023-02-01 08:15:00Z", "", "", dept, "", "", "",
             "", "", loc, "", blocked, lic, "False", "", "", "", "", "", "", "",
             f"SMTP:{upn}"]
    return ",".join(f'"{c}"' if "," in c else c for c in cells)


@pytest.fixture
def catalog() -> Catalog:
    return Catalog.builtin()


def licenses_of(table, upn: str) -> list[tuple[str, str]]:
    rows = table[table["upn"] == upn]
    return list(zip(rows["sku_part_number"], rows["product_name"], strict=True))


# -- admin center ------------------------------------------------------------------------
def test_admin_center_current_layout_with_bom(tmp_path: Path, catalog: Catalog) -> None:
    rows = [
        ac_row("Ada Example", "Ada@Contoso.example", "00000000-0000-4000-8000-000000000001",
               "Finance", "dk", "False",
               "Office 365 E4+Microsoft Power Automate Free+Enterprise Mobility + Security E5"),
        ac_row("Room Bot", "room@contoso.example", "00000000-0000-4000-8000-000000000002",
               "", "", "True", "Unlicensed"),
        ac_row("Empty Cell", "empty@contoso.example", "00000000-0000-4000-8000-000000000003",
               "", "US", "False", ""),
    ]
    path = tmp_path / "users.csv"
    path.write_bytes(("\ufeff" + AC_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode())
    assert detect_users_format(path) == "admin-center"
    got = read_users(path, catalog)
    t = got.table
    assert list(t.columns) == list(LICENSE_COLUMNS)
    assert got.format == "admin-center"
    assert licenses_of(t, "ada@contoso.example") == [
        ("ENTERPRISEWITHSCAL", "Office 365 E4"),
        ("FLOW_FREE", "Microsoft Power Automate Free"),
        ("EMSPREMIUM", "Enterprise Mobility + Security E5"),
    ]
    ada = t[t["upn"] == "ada@contoso.example"].iloc[0]
    assert (ada["usage_location"], ada["department"], ada["sku_id"]) == ("DK", "Finance", E4)
    assert bool(ada["account_enabled"]) is True and ada["state"] == "Active"
    # Unlicensed and empty cells: one row each, no SKU, empty state
    for upn in ("room@contoso.example", "empty@contoso.example"):
        rows_ = t[t["upn"] == upn]
        assert len(rows_) == 1
        assert rows_.iloc[0]["sku_part_number"] == "" and rows_.iloc[0]["state"] == ""
    assert bool(t[t["upn"] == "room@contoso.example"].iloc[0]["account_enabled"]) is False
    assert got.unknown_products == () and got.warnings == ()


def test_unknown_name_with_plus_stays_one_product(tmp_path: Path) -> None:
    """Without EMS in the catalog, ' + ' still belongs to the name: one unknown product."""
    small = Catalog(tuple(s for s in Catalog.builtin().skus if s.part_number != "EMSPREMIUM"))
    path = tmp_path / "users.csv"
    path.write_text(AC_HEADER + "\n" + ac_row(
        "A", "a@x.example", "", "", "DK", "False",
        "Office 365 E4+Enterprise Mobility + Security E5+Made Up Product") + "\n",
        encoding="utf-8")
    got = read_users(path, small)
    assert licenses_of(got.table, "a@x.example") == [
        ("ENTERPRISEWITHSCAL", "Office 365 E4"),
        ("", "Enterprise Mobility + Security E5"),
        ("", "Made Up Product"),
    ]
    assert got.unknown_products == ("Enterprise Mobility + Security E5", "Made Up Product")
    assert len(got.warnings) == 2 and "Made Up Product" in str(got.warnings[1])


def test_prefix_tokens_and_part_numbers_in_licenses_cell(tmp_path: Path,
                                                         catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    path.write_text(AC_HEADER + "\n" + ac_row(
        "A", "a@x.example", "", "", "DK", "False", "contoso:ENTERPRISEWITHSCAL+SPE_E5") + "\n",
        encoding="utf-8")
    t = read_users(path, catalog).table
    assert licenses_of(t, "a@x.example") == [("ENTERPRISEWITHSCAL", "contoso:ENTERPRISEWITHSCAL"),
                                             ("SPE_E5", "SPE_E5")]


LEGACY_HEADER = (
    "Block credential;City;Country/Region;Department;DirSyncEnabled;Display name;Fax;First name;"
    "Last dirsync time;Last name;Last password change time stamp;License assignment details;"
    "Licenses;Mobile Phone;Oath token meta data;Object Id;Office;Password never expires;"
    "Phone number;Postal code;Preferred data location;Preferred language;Proxy addresses;"
    "Release track;Soft deletion time stamp;State;Street address;Strong password required;Title;"
    "Usage location;User principal name;When created"
)


def legacy_row(blocked: str, dept: str, name: str, details: str, lic: str, upn: str) -> str:
    cells = [blocked, "", "", dept, "FALSK", name, "", "", "", "", "", details, lic, "", "",
             "", "", "FALSK", "", "", "", "", "", "", "", "", "", "SAND", "", "DK", upn, ""]
    return ";".join(cells)


def test_legacy_layout_excel_danish_cp1252(tmp_path: Path, catalog: Catalog) -> None:
    rows = [
        legacy_row("FALSK", "Økonomi", "Søren Ærø", "Office 365 E4", "Office 365 E4",
                   "soren@adatum.example"),
        legacy_row("SAND", "Salg", "Åse Bæk", "Office 365 E4+Microsoft Flow Free", "",
                   "ase@adatum.example"),
        legacy_row("FALSK", "", "Nobody", "", "", "nobody@adatum.example"),
    ]
    path = tmp_path / "users.csv"
    path.write_bytes((LEGACY_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode("cp1252"))
    assert detect_users_format(path) == "admin-center-legacy"
    t = read_users(path, catalog).table
    soren = t[t["upn"] == "soren@adatum.example"]
    # the same product in both cells is one license
    assert soren["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL"]
    assert soren.iloc[0]["display_name"] == "Søren Ærø"
    assert soren.iloc[0]["department"] == "Økonomi"
    # Licenses empty: the names come from License assignment details; SAND = blocked
    ase = t[t["upn"] == "ase@adatum.example"]
    assert ase["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL", "FLOW_FREE"]
    assert not ase["account_enabled"].any()
    assert t[t["upn"] == "nobody@adatum.example"]["sku_part_number"].tolist() == [""]


@pytest.mark.parametrize(("word", "enabled"), [("TRUE", False), ("false", True), ("1", False),
                                                ("WAHR", False), ("FALSCH", True),
                                                ("VERDADEIRO", False), ("FALSO", True)])
def test_boolean_spellings(tmp_path: Path, catalog: Catalog, word: str, enabled: bool) -> None:
    path = tmp_path / "users.csv"
    path.write_text(AC_HEADER + "\n" + ac_row("A", "a@x.example", "", "", "", word,
                                              "Office 365 E4") + "\n", encoding="utf-8")
    assert bool(read_users(path, catalog).table["account_enabled"].iloc[0]) is enabled


def test_tab_delimited_and_guid_case(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    header = AC_HEADER.replace(",", "\t")
    row = ac_row("A", "a@x.example", " {00000000-0000-4000-8000-0000000000AB} ", "", "SE",
                 "False", "Office 365 E4").replace(",", "\t")
    path.write_text(header + "\n" + row + "\n", encoding="utf-8")
    t = read_users(path, catalog).table
    assert t["user_id"].tolist() == ["00000000-0000-4000-8000-0000000000ab"]
    assert t["usage_location"].tolist() == ["SE"]


def test_identical_duplicate_rows_are_dropped_with_a_warning(tmp_path: Path,
                                                             catalog: Catalog) -> None:
    row = ac_row("A", "a@x.example", "", "", "DK", "False", "Office 365 E4")
    path = tmp_path / "users.csv"
    path.write_text(AC_HEADER + "\n" + row + "\n" + row.replace("a@x", "A@X") + "\n",
                    encoding="utf-8")
    got = read_users(path, catalog)
    assert len(got.table) == 1
    assert [str(w) for w in got.warnings] == [
        "1 repeated user row ignored (identical duplicates)"]


# -- MSOnline ----------------------------------------------------------------------------
def test_msonline_type_line_prefixes_and_reseller(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        "#TYPE Microsoft.Online.Administration.User\r\n"
        '"UserPrincipalName","DisplayName","IsLicensed","BlockCredential","UsageLocation",'
        '"Licenses","ObjectId"\r\n'
        '"ada@contoso.example","Ada","True","False","DK",'
        '"contoso:ENTERPRISEWITHSCAL;contoso:FLOW_FREE","00000000-0000-4000-8000-000000000001"\r\n'
        '"bo@contoso.example","Bo","True","True","","reseller-account:SPE_E3, contoso:WEIRD",'
        '""\r\n'
        '"cy@contoso.example","Cy","False","False","US","",""\r\n',
        encoding="ascii")
    assert detect_users_format(path) == "msonline"
    got = read_users(path, catalog)
    t = got.table
    assert licenses_of(t, "ada@contoso.example") == [
        ("ENTERPRISEWITHSCAL", "contoso:ENTERPRISEWITHSCAL"), ("FLOW_FREE", "contoso:FLOW_FREE")]
    assert licenses_of(t, "bo@contoso.example") == [("SPE_E3", "reseller-account:SPE_E3"),
                                                    ("", "contoso:WEIRD")]
    assert got.unknown_products == ("contoso:WEIRD",)
    assert t[t["upn"] == "bo@contoso.example"]["account_enabled"].tolist() == [False, False]
    assert licenses_of(t, "cy@contoso.example") == [("", "")]


# -- Graph PowerShell CSV ----------------------------------------------------------------
def test_graph_powershell_guids_parts_and_disabled_plans(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        "Id,UserPrincipalName,DisplayName,Department,UsageLocation,AccountEnabled,SkuIds,"
        "SkuPartNumbers,DisabledPlans\n"
        f"00000000-0000-4000-8000-000000000001,ada@x.example,Ada,Fin,DK,True,"
        f"{E4.upper()};{FLOW},,{SWAY};YAMMER_ENTERPRISE\n"
        "00000000-0000-4000-8000-000000000002,bo@x.example,Bo,Fin,,False,,SPE_E5,\n",
        encoding="utf-8")
    assert detect_users_format(path) == "graph-powershell"
    got = read_users(path, catalog)
    t = got.table
    ada = t[t["upn"] == "ada@x.example"]
    assert ada["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL", "FLOW_FREE"]
    assert ada["sku_id"].tolist() == [E4, FLOW]
    # the flat DisabledPlans list is attached to the SKU that includes those plans
    assert ada["disabled_plans"].tolist() == [("SWAY", "YAMMER_ENTERPRISE"), ()]
    bo = t[t["upn"] == "bo@x.example"]
    assert bo["sku_part_number"].tolist() == ["SPE_E5"]
    assert not bo["account_enabled"].iloc[0]
    assert got.warnings == ()


def test_graph_powershell_unattributed_plan_is_reported(tmp_path: Path,
                                                       catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    path.write_text("UserPrincipalName,AccountEnabled,SkuIds,DisabledPlans\n"
                    f"ada@x.example,True,{FLOW},{SWAY}\n", encoding="utf-8")
    got = read_users(path, catalog)
    assert got.table["disabled_plans"].tolist() == [()]
    assert len(got.warnings) == 1 and "'SWAY' (first on line 2)" in str(got.warnings[0])


# -- Graph JSON --------------------------------------------------------------------------
def graph_user(upn: str, assigned: list, states: list | None, **extra) -> dict:
    user = {"id": extra.pop("id", "00000000-0000-4000-8000-000000000001"),
            "userPrincipalName": upn, "usageLocation": extra.pop("usageLocation", "DK"),
            "accountEnabled": extra.pop("accountEnabled", True), "assignedLicenses": assigned}
    if states is not None:
        user["licenseAssignmentStates"] = states
    user.update(extra)
    return user


def state(sku: str, group: str | None = None, st: str = "Active", error: object = "None",
          disabled: list | None = None) -> dict:
    s = {"assignedByGroup": group, "disabledPlans": disabled or [], "skuId": sku, "state": st}
    if error != "missing":
        s["error"] = error
    return s


def test_graph_json_direct_group_both_error_and_disabled(tmp_path: Path,
                                                        catalog: Catalog) -> None:
    users = [
        graph_user("ada@x.example",
                   [{"skuId": E4.upper(), "disabledPlans": [SWAY, YAMMER]},
                    {"skuId": FLOW, "disabledPlans": []}],
                   [state(E4, disabled=[SWAY, YAMMER]),
                    state(E4, GROUP.upper(), disabled=[SWAY, YAMMER]),
                    state(FLOW, error=None),
                    state(EMS5, GROUP, st="Error", error="CountViolation")]),
        graph_user("bo@x.example", [{"skuId": E4, "disabledPlans": []}],
                   [state(E4, GROUP, error="missing")], usageLocation=None,
                   accountEnabled=False, displayName="Bo", department="Sales"),
        graph_user("cy@x.example", [], []),
    ]
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"value": users}), encoding="utf-8")
    got = read_users(path, catalog)
    assert got.format == "graph-json" and got.warnings == ()
    t = got.table.set_index(["upn", "sku_part_number"])
    e4 = t.loc[("ada@x.example", "ENTERPRISEWITHSCAL")]
    assert bool(e4["assigned_directly"]) and e4["group_ids"] == (GROUP,)
    assert e4["disabled_plans"] == ("SWAY", "YAMMER_ENTERPRISE")
    assert e4["product_name"] == E4 and e4["sku_id"] == E4
    assert (e4["state"], e4["error"]) == ("Active", "")
    ems = t.loc[("ada@x.example", "EMSPREMIUM")]
    assert not ems["assigned_directly"] and ems["group_ids"] == (GROUP,)
    assert (ems["state"], ems["error"]) == ("Error", "CountViolation")
    assert t.loc[("ada@x.example", "FLOW_FREE")]["error"] == ""
    bo = t.loc[("bo@x.example", "ENTERPRISEWITHSCAL")]
    assert not bo["assigned_directly"] and bo["group_ids"] == (GROUP,)
    assert (bo["usage_location"], bool(bo["account_enabled"])) == ("", False)
    assert (bo["display_name"], bo["department"]) == ("Bo", "Sales")
    cy = got.table[got.table["upn"] == "cy@x.example"]
    assert cy["sku_part_number"].tolist() == [""] and cy["state"].tolist() == [""]
    assert len(got.table) == 5


def test_graph_json_pages_folder_and_pascal_case(tmp_path: Path, catalog: Catalog) -> None:
    a = graph_user("ada@x.example", [{"skuId": E4, "disabledPlans": []}], None)
    b = graph_user("bo@x.example", [{"skuId": FLOW, "disabledPlans": []}], None)
    as_list = tmp_path / "pages.json"
    as_list.write_text(json.dumps([{"value": [a], "@odata.nextLink": "x"}, {"value": [b]}]))
    folder = tmp_path / "users"
    folder.mkdir()
    (folder / "page10.json").write_text(json.dumps({"value": [b]}))
    (folder / "page2.json").write_text(json.dumps({"value": [a]}))
    pascal = tmp_path / "pascal.json"
    pascal.write_text(json.dumps([{
        "UserPrincipalName": "ada@x.example", "Id": "ID1", "UsageLocation": "DK",
        "AccountEnabled": True,
        "AssignedLicenses": [{"SkuId": E4, "DisabledPlans": [SWAY]}],
        "LicenseAssignmentStates": [{"AssignedByGroup": None, "DisabledPlans": [SWAY],
                                     "Error": "None", "SkuId": E4, "State": "Active"}]}]))
    for path in (as_list, folder):
        assert detect_users_format(path) == "graph-json"
        t = read_users(path, catalog).table
        assert t["upn"].tolist() == ["ada@x.example", "bo@x.example"]
        assert t["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL", "FLOW_FREE"]
    got = read_users(pascal, catalog)
    assert got.table["disabled_plans"].tolist() == [("SWAY",)]
    assert got.table["user_id"].tolist() == ["id1"]
    # without licenseAssignmentStates everything reads as direct, and the admin is told
    warn = read_users(as_list, catalog).warnings
    assert len(warn) == 1 and "licenseAssignmentStates was not exported" in str(warn[0])


def test_graph_json_unknown_sku_keeps_its_guid(tmp_path: Path, catalog: Catalog) -> None:
    unknown = "11111111-2222-4333-8444-555555555555"
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"value": [graph_user(
        "ada@x.example", [{"skuId": unknown, "disabledPlans": ["99999999-0000-4000-8000-0"
                                                              "00000000001"]}], [])]}))
    got = read_users(path, catalog)
    row = got.table.iloc[0]
    assert (row["sku_part_number"], row["sku_id"], row["product_name"]) == ("", unknown, unknown)
    assert row["disabled_plans"] == ("99999999-0000-4000-8000-000000000001",)
    assert got.unknown_products == (unknown,)


# -- subscriptions -----------------------------------------------------------------------
def test_subscriptions_graph_json(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.json"
    path.write_text(json.dumps({"value": [{
        "appliesTo": "User", "capabilityStatus": "Enabled", "consumedUnits": 23,
        "prepaidUnits": {"enabled": 25, "suspended": 1, "warning": 2},
        "servicePlans": [{"servicePlanId": SWAY.upper(), "servicePlanName": "SWAY",
                          "provisioningStatus": "Success"}],
        "skuId": E4.upper(), "skuPartNumber": "ENTERPRISEWITHSCAL",
        "subscriptionIds": ["AA"]}]}))
    assert detect_subscriptions_format(path) == "graph-json"
    subs, fmt = read_subscriptions(path)
    assert fmt == "graph-json" and list(subs.columns) == list(SUBSCRIPTION_COLUMNS)
    r = subs.iloc[0]
    assert (r["sku_id"], r["enabled"], r["consumed"], r["warning"], r["suspended"],
            r["locked_out"]) == (E4, 25, 23, 2, 1, 0)
    assert r["service_plans"] == (("SWAY", SWAY, "Success"),)
    assert r["subscription_ids"] == ("aa",)


def test_subscriptions_msolaccountsku(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.csv"
    path.write_text(
        '"AccountName","AccountSkuId","ActiveUnits","ConsumedUnits","LockedOutUnits","SkuId",'
        '"SkuPartNumber","TargetClass","SuspendedUnits","WarningUnits"\n'
        '"contoso","contoso:SPE_E3","25","23","0","05e9a617-0261-4cee-bb44-138d3ef5d965",'
        '"SPE_E3","User","0","0"\n'
        '"contoso","contoso:ENTERPRISEWITHSCAL","0","4","10","","","User","0","0"\n')
    subs, fmt = read_subscriptions(path)
    assert fmt == "msonline"
    assert subs["sku_part_number"].tolist() == ["SPE_E3", "ENTERPRISEWITHSCAL"]
    assert subs["enabled"].tolist() == [25, 0] and subs["locked_out"].tolist() == [0, 10]
    assert subs["capability_status"].tolist() == ["Enabled", "LockedOut"]
    assert subs["applies_to"].tolist() == ["User", "User"]


def test_subscriptions_mgsubscribedsku_csv(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.csv"
    path.write_text(
        "SkuId,SkuPartNumber,AppliesTo,CapabilityStatus,ConsumedUnits,PrepaidUnits.Enabled,"
        "PrepaidUnits.Warning,SubscriptionIds,ServicePlans\n"
        f"{E4},ENTERPRISEWITHSCAL,User,Warning,7,0,8,a;b,SWAY:{SWAY}:Success;TEAMS1:x\n")
    assert detect_subscriptions_format(path) == "graph-powershell"
    subs, _ = read_subscriptions(path)
    r = subs.iloc[0]
    assert (r["capability_status"], r["consumed"], r["enabled"], r["warning"]) == (
        "Warning", 7, 0, 8)
    assert r["subscription_ids"] == ("a", "b")
    assert r["service_plans"] == (("SWAY", SWAY, "Success"), ("TEAMS1", "x", ""))


def test_utf16_from_windows_powershell_redirect(tmp_path: Path, catalog: Catalog) -> None:
    """``Get-MsolUser | ConvertTo-Csv > users.csv`` in PowerShell 5.1 writes UTF-16 LE."""
    csv_path = tmp_path / "users.csv"
    csv_path.write_bytes((
        '"UserPrincipalName","DisplayName","BlockCredential","UsageLocation","Licenses"\r\n'
        '"søren@x.example","Søren","False","DK","x:ENTERPRISEWITHSCAL"\r\n').encode("utf-16"))
    t = read_users(csv_path, catalog).table
    assert (t["upn"].iloc[0], t["display_name"].iloc[0]) == ("søren@x.example", "Søren")
    assert t["sku_part_number"].tolist() == ["ENTERPRISEWITHSCAL"]
    json_path = tmp_path / "users.json"
    json_path.write_bytes(json.dumps({"value": [graph_user(
        "ada@x.example", [{"skuId": E4, "disabledPlans": []}], [])]}).encode("utf-16"))
    assert read_users(json_path, catalog).table["sku_id"].tolist() == [E4]


# -- what a format carries ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", USERS_FORMATS)
def test_each_read_says_what_its_format_carries(tmp_path: Path, fmt: str) -> None:
    truth = synth_tenant(30, seed=4, fmt=fmt).truth
    got = read_users(write_users(truth, tmp_path / f"users{USERS_SUFFIX[fmt]}", fmt),
                     Catalog.builtin())
    carries = USERS_FORMAT_CARRIES[fmt]
    assert got.format == fmt
    assert (got.carries_disabled_plans, got.carries_assignment_states, got.carries_groups) == (
        carries.disabled_plans, carries.assignment_states, carries.groups)


def test_graph_powershell_without_disabled_plans_column_says_so(tmp_path: Path,
                                                               catalog: Catalog) -> None:
    path = tmp_path / "users.csv"
    path.write_text("Id,UserPrincipalName,DisplayName,Department,UsageLocation,AccountEnabled,"
                    f"SkuIds\n00000000-0000-4000-8000-000000000001,ada@x.example,Ada,,DK,True,{E4}\n",
                    encoding="utf-8")
    got = read_users(path, catalog)
    assert got.format == "graph-powershell" and not got.carries_disabled_plans


def test_format_sets_derive_from_the_one_table() -> None:
    assert {"admin-center", "admin-center-legacy", "msonline"} == FORMATS_WITHOUT_DISABLED_PLANS
    assert {"graph-json", "graph-powershell", "msonline-license-status"} == (
        FORMATS_WITH_DISABLED_PLANS)
    assert FORMATS_WITH_STATES == FORMATS_WITH_GROUPS == {"graph-json"}
    assert set(USERS_FORMAT_CARRIES) == set(USERS_FORMATS)
