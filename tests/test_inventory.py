"""``inspect`` on the sample tenants equals the hand-checked data/expected/<tenant>/inspect.json."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from click.testing import CliRunner
from paths import EXPECTED, TENANTS

from playbook.cli import main
from playbook.inventory import count_skus, inspect_tenant, unknown_products
from playbook.table import normalize_license_table
from playbook.tenant import load_tenant

SAMPLES = ("contoso-direct", "fabrikam-invoice", "northwind-partner", "adatum-legacy")


@pytest.mark.parametrize("name", SAMPLES)
def test_inspect_matches_reviewed_expectation(name: str) -> None:
    expected = json.loads((EXPECTED / name / "inspect.json").read_text(encoding="utf-8"))
    got = inspect_tenant(load_tenant(TENANTS / name)).to_dict()
    assert json.loads(json.dumps(got)) == expected


@pytest.mark.parametrize("name", SAMPLES)
def test_cli_inspect_json_is_the_same(name: str) -> None:
    result = CliRunner().invoke(main, ["inspect", str(TENANTS / name), "--json"])
    assert result.exit_code == 0, result.output
    expected = json.loads((EXPECTED / name / "inspect.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


def test_text_output_names_formats_counts_and_unknowns() -> None:
    inventory = inspect_tenant(load_tenant(TENANTS / "adatum-legacy"))
    assert inventory.language == "da"  # the sample is a Danish tenant: its text is Danish
    text = replace(inventory, language="en").to_text()
    assert "users.csv (admin-center-legacy)" in text
    assert "subscriptions export: none" in text
    assert "users: 20 (19 licensed, 1 without a license)" in text
    e4_line = next(line for line in text.splitlines() if "ENTERPRISEWITHSCAL" in line)
    assert e4_line.split()[1:6] == ["18", "18", "0", "0", "0"]
    assert "- Office 365 ProPlus (1 user)" in text
    danish = inventory.to_text().splitlines()
    assert danish[:4] == ["Lejer adatum-legacy",
                          "  brugereksport:      users.csv (admin-center-legacy)",
                          "  abonnementseksport: ingen (antallet af licenser er ukendt)",
                          "  brugere: 20 (19 med licens, 1 uden licens)"]
    assert danish[5].split() == ["SKU", "brugere", "direkte", "gruppe", "begge", "fejl",
                                 "produkt"]
    assert "  - Office 365 ProPlus (1 bruger)" in danish


def test_sample_facts_the_other_steps_rely_on() -> None:
    """Facts promised to the assessment/plan/verify expectations, checked on the data."""
    fab = load_tenant(TENANTS / "fabrikam-invoice")
    t = fab.licenses
    e4 = t[t["sku_part_number"] == "ENTERPRISEWITHSCAL"]
    users = t.drop_duplicates("upn")
    assert fab.users_format == "graph-json" and fab.subscriptions_format == "graph-powershell"
    assert len(users) == 60
    assert e4["group_ids"].map(len).gt(0).sum() == 23
    assert {g for gs in e4["group_ids"] for g in gs} == {
        "fa0000a1-0000-4000-8000-000000000001", "fa0000a2-0000-4000-8000-000000000002"}
    assert "MCOVOICECONF" in {p for ps in e4["disabled_plans"] for p in ps}
    assert (e4["disabled_plans"].map(len) > 0).sum() == 14  # 6 direct + 8 via Engineering
    assert (e4["usage_location"] == "").sum() == 3
    assert (~e4["account_enabled"]).sum() == 2
    assert (t["sku_part_number"] == "SPE_E5").sum() == 2
    assert fab.config.exclude_users == ("pernille.christensen@fabrikam.example",)
    assert fab.config.exclude_users[0] in set(e4["upn"])
    err = t[t["state"] == "Error"]
    assert err[["sku_part_number", "error"]].values.tolist() == [["EMSPREMIUM",
                                                                   "CountViolation"]]
    subs = fab.subscriptions.set_index("sku_part_number")
    assert subs.loc["SPE_E5", "enabled"] - subs.loc["SPE_E5", "consumed"] == len(e4) - 4
    assert subs.loc["ENTERPRISEWITHSCAL", "enabled"] == len(e4)

    con = load_tenant(TENANTS / "contoso-direct")
    held = con.licenses[con.licenses["sku_part_number"] == "ENTERPRISEWITHSCAL"]
    assert len(held) == 25 and held["assigned_directly"].all()
    assert held["disabled_plans"].map(len).eq(0).all()
    csubs = con.subscriptions.set_index("sku_part_number")
    assert csubs.loc["ENTERPRISEWITHSCAL", ["enabled", "consumed"]].tolist() == [25, 25]
    assert csubs.loc["ENTERPRISEPREMIUM", "enabled"] >= 25
    assert con.users_file.read_bytes()[:3] == b"\xef\xbb\xbf"

    nw = load_tenant(TENANTS / "northwind-partner")
    assert nw.config.purchase_channel == "partner" and nw.users_format == "msonline"
    assert nw.users_file.read_text(encoding="ascii").startswith("#TYPE ")

    ad = load_tenant(TENANTS / "adatum-legacy")
    assert ad.config.language == "da" and ad.subscriptions is None
    raw = ad.users_file.read_bytes()
    assert b";" in raw.splitlines()[0] and b"FALSK" in raw
    raw.decode("cp1252")
    assert "Søren Vestergaard" in set(ad.licenses["display_name"])


def test_count_skus_splits_direct_group_both_and_errors() -> None:
    rows = [
        ("a", "ENTERPRISEWITHSCAL", True, (), "Active"),
        ("b", "ENTERPRISEWITHSCAL", False, ("g",), "Active"),
        ("c", "ENTERPRISEWITHSCAL", True, ("g",), "ActiveWithError"),
        ("d", "SPE_E5", True, (), "Active"),
        ("e", "SPE_E5", True, (), "Active"),
        ("e", "SPE_E5_NOPSTNCONF", False, ("g",), "Error"),
        ("f", "", True, (), ""),
    ]
    table = normalize_license_table(pd.DataFrame(
        [{"upn": u, "sku_part_number": p, "assigned_directly": d, "group_ids": g, "state": s,
          "product_name": p} for u, p, d, g, s in rows]))
    counts = {c.sku_part_number: (c.users, c.direct, c.group, c.both, c.errors)
              for c in count_skus(table)}
    assert counts == {"ENTERPRISEWITHSCAL": (3, 1, 1, 1, 1), "SPE_E5": (2, 2, 0, 0, 0),
                      "SPE_E5_NOPSTNCONF": (0, 0, 0, 0, 1)}
    assert [c.sku_part_number for c in count_skus(table)][0] == "ENTERPRISEWITHSCAL"
    assert unknown_products(table) == ()
