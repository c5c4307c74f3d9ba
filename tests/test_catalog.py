"""The SKU catalog: every way an export names a product resolves, and layers merge by field."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from playbook.catalog import (
    BUILTIN_ALIASES,
    BUILTIN_CATALOG,
    REFERENCE_HEADER,
    SOURCE_PART,
    TARGET_PARTS,
    Catalog,
    ServicePlan,
    Sku,
    is_guid,
    normalize_key,
    plan_family,
)
from playbook.errors import InputError
from playbook.table import normalize_subscription_table

E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"


@pytest.mark.parametrize("token", [
    E4_ID, E4_ID.upper(), "{" + E4_ID + "}", f"  {E4_ID}\t", "ENTERPRISEWITHSCAL",
    "enterprisewithscal", "ENTERPRISEWITHSCAL\u00a0", "Office 365 E4", "office 365 e4",
    "Office\u00a0365\tE4", "Office 365  E4", "Office 365 Enterprise E4",
    "contoso:ENTERPRISEWITHSCAL", "reseller-account:ENTERPRISEWITHSCAL",
])
def test_builtin_resolves_e4_however_it_is_written(builtin_catalog: Catalog, token: str) -> None:
    sku = builtin_catalog.resolve(token)
    assert sku is not None and (sku.part_number, sku.sku_id) == (SOURCE_PART, E4_ID)


def test_unknown_tokens(builtin_catalog: Catalog) -> None:
    for token in ("", None, "Office 365 E9", "contoso:NOPE", "11111111-2222-4333-8444-5555"):
        assert builtin_catalog.resolve(token) is None
    with pytest.raises(KeyError, match="Office 365 E9"):
        builtin_catalog.get("Office 365 E9")
    assert builtin_catalog.display_name("NOPE") == "NOPE"
    assert "SPE_E5" in builtin_catalog and "NOPE" not in builtin_catalog


def test_builtin_targets_plans_and_neighbours(builtin_catalog: Catalog) -> None:
    assert tuple(s.part_number for s in builtin_catalog.targets) == TARGET_PARTS
    e4 = builtin_catalog.get(SOURCE_PART)
    assert len(e4.service_plans) == 17 and "MCOVOICECONF" in e4.plan_names
    assert e4.plan_id("sway") == "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
    assert builtin_catalog.plan_by_id("A23B959C-7CE8-4E57-9140-B90EB88A9E97").name == "SWAY"
    assert builtin_catalog.plan_by_name("yammer_enterprise").id == (
        "7547a3fe-08ee-4ccb-b430-5077c5041653")
    # the " + " names the admin-center parser re-joins against
    assert builtin_catalog.get("Enterprise Mobility + Security E5").part_number == "EMSPREMIUM"
    assert builtin_catalog.get("Microsoft Flow Free").part_number == "FLOW_FREE"
    assert "Enterprise Mobility + Security E5" in builtin_catalog.names()


def test_guid_and_key_helpers() -> None:
    assert is_guid(" {1392051D-0CB9-4B7A-88D5-621FEE5E8711} ")
    assert not is_guid("ENTERPRISEWITHSCAL")
    assert normalize_key("\u00a0Office\t365  E4 ") == "office 365 e4"
    assert plan_family("FORMS_PLAN_E3") == plan_family("FORMS_PLAN_E5") == "FORMS_PLAN"
    assert plan_family("EXCHANGE_S_ENTERPRISE") == "EXCHANGE_S_ENTERPRISE"


def test_reference_csv_resolves_e4_targets_and_renames(reference_csv: Path) -> None:
    ref = Catalog.from_reference_csv(reference_csv)
    builtin = Catalog.builtin()
    for part in (SOURCE_PART, *TARGET_PARTS):
        mine, theirs = builtin.get(part), ref.get(part)
        assert theirs.sku_id == mine.sku_id
        assert ref.get(mine.sku_id).part_number == part
        assert ref.get(mine.display_name).part_number == part
    assert set(ref.get(SOURCE_PART).plan_names) == set(builtin.get(SOURCE_PART).plan_names)
    # a renamed product: one GUID, two display names, both resolve
    for name in ("Power Virtual Agent User License", "Microsoft Copilot Studio User License"):
        assert ref.get(name).sku_id == "4b74a65c-8b4a-4fc8-9f6b-5177ed11ddfa"
    # keys carrying NBSP or TAB in Microsoft's table
    assert ref.get("MCOCAP_FACULTY").sku_id == "420c7602-7f70-4895-9394-d3d679ea36fb"
    assert ref.get("420c7602-7f70-4895-9394-d3d679ea36fb").part_number == "MCOCAP_FACULTY"
    assert ref.get("RIGHTSMANAGEMENT_CE_GOV").sku_id == "78362de1-6942-4bb8-83a1-a32aa67e6e2c"
    # one String_Id with two GUIDs: each GUID resolves to its own SKU of that part number
    for guid in ("d43177b5-475b-4880-92d4-d54c27b5efbd", "54a152dc-90de-4996-93d2-bc47e670fc06"):
        sku = ref.get(guid)
        assert (sku.part_number, sku.sku_id) == ("MCOPSTN5", guid)
    assert ref.get("Enterprise Mobility + Security E5").part_number == "EMSPREMIUM"


def test_reference_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="was not found"):
        Catalog.from_reference_csv(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Id\nx,y\n")
    with pytest.raises(InputError) as info:
        Catalog.from_reference_csv(bad)
    assert info.value.row == 1 and "Product_Display_Name" in info.value.fix


def test_layered_precedence_field_by_field(builtin_catalog: Catalog) -> None:
    """The tenant's subscribedSkus (service plans) > reference > built-in; missing fields fall
    through to the next layer, names of later layers stay as aliases."""
    subs = normalize_subscription_table(pd.DataFrame([{
        "sku_id": E4_ID, "sku_part_number": SOURCE_PART,
        "service_plans": (("EXCHANGE_S_ENTERPRISE", "efb87545-963c-4e0d-99df-69c6916d9eb0",
                           "Success"),),
    }, {
        "sku_id": "c5928f49-12ba-48f7-ada3-0d743a3601d5", "sku_part_number": "VISIOCLIENT",
        "service_plans": (),
    }]))
    tenant = Catalog.from_subscriptions(subs)
    reference = Catalog((Sku(SOURCE_PART, E4_ID, "Office 365 E4 (renamed)",
                             (ServicePlan("SWAY", "a23b959c-7ce8-4e57-9140-b90eb88a9e97"),),
                             source="reference"),))
    merged = Catalog.layered(tenant, reference, builtin_catalog)
    e4 = merged.get(SOURCE_PART)
    assert e4.plan_names == ("EXCHANGE_S_ENTERPRISE",)  # the tenant's own plans win
    assert e4.display_name == "Office 365 E4 (renamed)"  # first layer that has a name
    for name in ("Office 365 E4 (renamed)", "Office 365 E4", "Office 365 Enterprise E4"):
        assert merged.get(name) is e4
    visio = merged.get("c5928f49-12ba-48f7-ada3-0d743a3601d5")
    assert visio.part_number == "VISIOCLIENT" and visio.source == "tenant"
    assert merged.get("SPE_E5").source == "built-in"
    # order of layers decides
    flipped = Catalog.layered(builtin_catalog, tenant)
    assert len(flipped.get(SOURCE_PART).service_plans) == 17


def test_builtin_catalog_is_a_reference_layout_resource() -> None:
    """The built-in catalog is data in Microsoft's layout, read by the reference reader."""
    resource = resources.files("playbook.resources").joinpath(BUILTIN_CATALOG)
    rows = list(csv.reader(resource.read_text(encoding="utf-8").splitlines()))
    assert tuple(rows[0]) == REFERENCE_HEADER
    builtin = Catalog.builtin()
    assert len(builtin.skus) == 17 and len(rows) - 1 == 495
    assert {s.source for s in builtin.skus} == {"built-in"}
    assert builtin.get("SHAREPOINTSTORAGE").service_plans == ()  # a row with no plan
    assert builtin.get("MCOEV").aliases == BUILTIN_ALIASES["MCOEV"]
    assert builtin.get("Skype for Business Cloud PBX").part_number == "MCOEV"


def test_builtin_facts_match_microsofts_table(reference_csv: Path) -> None:
    """Every built-in SKU and service plan is what Microsoft's table says (ids typed in)."""
    ref = Catalog.from_reference_csv(reference_csv)
    for mine in Catalog.builtin().skus:
        theirs = ref.get(mine.sku_id)
        assert theirs.part_number == mine.part_number
        assert {(p.name, p.id) for p in mine.service_plans} <= {
            (p.name, p.id) for p in theirs.service_plans}, mine.part_number
