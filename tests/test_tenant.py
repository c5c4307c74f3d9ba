"""The tenant folder: tenant.yaml validation, export discovery and the layered catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from paths import TENANTS

from playbook.errors import InputError
from playbook.tenant import config_from_mapping, load_config, load_tenant
from playbook.testing.synth import synth_tenant, write_users

VISIO_ID = "c5928f49-12ba-48f7-ada3-0d743a3601d5"


def folder_with(tmp_path: Path, yaml_text: str = "name: t\ntarget: SPE_E3\n") -> Path:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "tenant.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def test_sample_tenants_load_with_their_config() -> None:
    fab = load_tenant(TENANTS / "fabrikam-invoice")
    assert (fab.name, fab.config.target, fab.config.payment_method) == (
        "fabrikam-invoice", "SPE_E5", "invoice")
    assert fab.config.addons == ("SHAREPOINTSTORAGE",)
    assert fab.users_file.name == "users.json" and fab.subscriptions_file.name == (
        "subscriptions.csv")
    assert fab.catalog.get("SPE_E5").source == "tenant"  # its subscriptions are the top layer
    ad = load_tenant(TENANTS / "adatum-legacy")
    assert (ad.config.language, ad.config.default_usage_location) == ("da", "DK")
    assert ad.subscriptions_file is None and tuple(map(str, ad.warnings)) == (
        "'Office 365 ProPlus' (1 user) is not a product the catalog knows; its rows are "
        "kept with an empty sku_part_number (fix: pass Microsoft's product reference CSV with "
        "--sku-reference or sku_reference in tenant.yaml, or add subscriptions.*)",)


def test_tenant_subscriptions_name_skus_the_builtin_catalog_lacks(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    (folder / "subscriptions.json").write_text(json.dumps({"value": [{
        "skuId": VISIO_ID, "skuPartNumber": "VISIOCLIENT", "appliesTo": "User",
        "capabilityStatus": "Enabled", "consumedUnits": 1,
        "prepaidUnits": {"enabled": 5, "lockedOut": 0, "suspended": 0, "warning": 0},
        "servicePlans": [{"servicePlanId": "663a804f-1c30-4ff0-9915-9db84f0d1cea",
                          "servicePlanName": "VISIO_CLIENT_SUBSCRIPTION",
                          "provisioningStatus": "Success"}]}]}))
    (folder / "users.json").write_text(json.dumps({"value": [{
        "userPrincipalName": "a@x.example",
        "assignedLicenses": [{"skuId": VISIO_ID,
                              "disabledPlans": ["663a804f-1c30-4ff0-9915-9db84f0d1cea"]}],
        "licenseAssignmentStates": []}]}))
    tenant = load_tenant(folder)
    row = tenant.licenses.iloc[0]
    assert row["sku_part_number"] == "VISIOCLIENT"
    assert row["disabled_plans"] == ("VISIO_CLIENT_SUBSCRIPTION",)


def test_sku_reference_in_tenant_yaml_names_more_products(tmp_path: Path,
                                                          reference_csv: Path) -> None:
    folder = folder_with(tmp_path, f"name: t\ntarget: SPE_E3\nsku_reference: {reference_csv}\n")
    (folder / "users.csv").write_text(
        "UserPrincipalName,AccountEnabled,SkuIds\n"
        f"a@x.example,True,{VISIO_ID};1392051d-0cb9-4b7a-88d5-621fee5e8711\n")
    tenant = load_tenant(folder)
    assert tenant.licenses["sku_part_number"].tolist() == ["VISIOCLIENT", "ENTERPRISEWITHSCAL"]
    assert tenant.warnings == ()


def test_overrides_are_validated_again() -> None:
    cfg = config_from_mapping({"name": "t", "exclude_users": ["Ada@X.example"], "addons":
                               "SHAREPOINTSTORAGE"})
    assert cfg.exclude_users == ("ada@x.example",) and cfg.addons == ("SHAREPOINTSTORAGE",)
    assert cfg.with_overrides(target="SPE_E5").target == "SPE_E5"
    with pytest.raises(InputError) as info:
        cfg.with_overrides(payment_method="bitcoin")
    assert info.value.column == "payment_method"


def test_missing_name_and_broken_yaml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing key 'name'"):
        config_from_mapping({"target": "SPE_E3"})
    path = tmp_path / "tenant.yaml"
    path.write_text("name: t\ntarget: [SPE_E3\n")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert "not valid YAML" in info.value.message and info.value.row is not None
    with pytest.raises(InputError, match="tenant.yaml not found"):
        load_config(tmp_path / "nope.yaml")


def test_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="tenant folder not found"):
        load_tenant(tmp_path / "missing")
    folder = folder_with(tmp_path)
    with pytest.raises(InputError) as info:
        load_tenant(folder)
    assert "no users.* export" in info.value.message and "Export users" in info.value.fix
    table = synth_tenant(10, seed=1).truth
    write_users(table, folder / "users.csv", "admin-center")
    write_users(table, folder / "users.json", "graph-json")
    with pytest.raises(InputError) as info:
        load_tenant(folder)
    assert "more than one users.* export: users.csv, users.json" in info.value.message


def test_users_override_and_folder_of_pages(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    table = synth_tenant(30, seed=2).truth
    write_users(table, folder / "users", "graph-json", pages=3)
    tenant = load_tenant(folder)
    assert tenant.users_format == "graph-json" and tenant.licenses["upn"].nunique() == 30
    other = write_users(table, tmp_path / "elsewhere.csv", "msonline")
    assert load_tenant(folder, users=other).users_format == "msonline"


def test_cli_sku_reference_is_relative_to_the_working_directory(
        tmp_path: Path, reference_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = folder_with(tmp_path)
    (folder / "users.csv").write_text(f"UserPrincipalName,AccountEnabled,SkuIds\n"
                                      f"a@x.example,True,{VISIO_ID}\n")
    monkeypatch.chdir(reference_csv.parent)
    tenant = load_tenant(folder, sku_reference=Path(reference_csv.name))
    assert tenant.licenses["sku_part_number"].tolist() == ["VISIOCLIENT"]


def test_loaded_tenant_says_what_its_users_export_carries() -> None:
    rich = load_tenant(TENANTS / "fabrikam-invoice")       # Graph JSON
    poor = load_tenant(TENANTS / "contoso-direct")         # admin center
    assert (rich.carries_disabled_plans, rich.carries_assignment_states,
            rich.carries_groups) == (True, True, True)
    assert (poor.carries_disabled_plans, poor.carries_assignment_states,
            poor.carries_groups) == (False, False, False)
