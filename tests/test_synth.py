"""Synthetic tenants: deterministic, realistic, consistent with their subscriptions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from playbook.catalog import SOURCE_PART
from playbook.inventory import inspect_tenant
from playbook.table import LICENSE_COLUMNS, normalize_license_table
from playbook.tenant import load_tenant
from playbook.testing.synth import (
    USERS_FORMATS,
    USERS_SUFFIX,
    guids,
    synth_tenant,
    write_tenant_folder,
    write_users,
)


@pytest.fixture(scope="module")
def big():
    return synth_tenant(1000, seed=11)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_bytes_other_seed_other_tenant(tmp_path: Path) -> None:
    a, b, c = (synth_tenant(150, seed=s) for s in (3, 3, 4))
    pd.testing.assert_frame_equal(a.truth, b.truth)
    pd.testing.assert_frame_equal(a.subscriptions, b.subscriptions)
    assert not a.truth["upn"].equals(c.truth["upn"])
    for fmt in USERS_FORMATS:
        pa = write_users(a.truth, tmp_path / f"a-{fmt}{USERS_SUFFIX[fmt]}", fmt)
        pb = write_users(b.truth, tmp_path / f"b-{fmt}{USERS_SUFFIX[fmt]}", fmt)
        assert sha(pa) == sha(pb), fmt


def test_table_follows_the_contract(big) -> None:
    t = big.truth
    assert list(t.columns) == list(LICENSE_COLUMNS)
    pd.testing.assert_frame_equal(normalize_license_table(t), t)
    assert t["upn"].nunique() == 1000
    licensed = t[t["sku_part_number"] != ""]
    assert not licensed.duplicated(["upn", "sku_id"]).any()
    assert t["upn"].str.fullmatch(r"[a-z.0-9]+@contoso\.example").all()
    assert t["user_id"].str.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
                                      r"-[0-9a-f]{12}").all()
    assert t.drop_duplicates("upn")["user_id"].is_unique


def test_mix_has_every_kind_in_exact_shares(big) -> None:
    t = big.truth
    e4 = t[t["sku_part_number"] == SOURCE_PART]
    grouped = e4["group_ids"].map(len) > 0
    assert int((e4["assigned_directly"] & ~grouped).sum()) == 500
    assert int((~e4["assigned_directly"] & grouped).sum()) == 200
    assert int((e4["assigned_directly"] & grouped).sum()) == 60
    assert (t["sku_part_number"] == "ENTERPRISEPREMIUM").sum() == 80
    assert (t["sku_part_number"] == "STANDARDPACK").sum() == 60
    assert (t.groupby("upn")["sku_part_number"].apply(lambda s: (s == "").all())).sum() == 100
    assert (t["sku_part_number"] == "FLOW_FREE").sum() == round(900 * 0.20)
    ems = t[t["sku_part_number"] == "EMSPREMIUM"]
    assert len(ems) == round(760 * 0.10)
    errors = ems[ems["state"] == "Error"]
    assert len(errors) == round(len(ems) * 0.10) and (errors["error"] == "CountViolation").all()
    users = t.drop_duplicates("upn")
    assert (~users["account_enabled"]).sum() == 30
    assert (users["usage_location"] == "").sum() == 20
    disabled = set(p for plans in e4["disabled_plans"] for p in plans)
    assert {"SWAY", "MCOVOICECONF", "FORMS_PLAN_E3", "YAMMER_ENTERPRISE"} <= disabled
    assert (e4["disabled_plans"].map(len) > 0).sum() == round(760 * 0.15)


def test_mix_override() -> None:
    t = synth_tenant(200, seed=1, mix={"unlicensed": 0.0, "on_target": 0.0}).truth
    per_user = t.groupby("upn")["sku_part_number"].apply(lambda s: (s != "").any())
    assert per_user.all()
    assert not (t["sku_part_number"] == "ENTERPRISEPREMIUM").any()


def test_subscriptions_match_the_table(big) -> None:
    held = big.truth[(big.truth["sku_part_number"] != "") & (big.truth["state"] != "Error")]
    consumed = held.groupby("sku_part_number").size()
    subs = big.subscriptions.set_index("sku_part_number")
    for part, n in consumed.items():
        assert subs.loc[part, "consumed"] == n, part
    assert subs.loc[SOURCE_PART, "enabled"] == consumed[SOURCE_PART]
    assert subs.loc["ENTERPRISEPREMIUM", "enabled"] == (
        consumed["ENTERPRISEPREMIUM"] + consumed[SOURCE_PART])
    assert subs.loc["EMSPREMIUM", "enabled"] == consumed["EMSPREMIUM"]  # why CountViolation
    e4_plans = {name for name, _id, _status in subs.loc[SOURCE_PART, "service_plans"]}
    assert "MCOVOICECONF" in e4_plans and len(e4_plans) == 17
    short = synth_tenant(100, seed=2, target="SPE_E3", target_seats=5).subscriptions
    assert short.set_index("sku_part_number").loc["SPE_E3", "enabled"] == 5


def test_guids_are_valid_and_distinct() -> None:
    import numpy as np

    ids = guids(np.random.default_rng(0), 5000)
    assert len(set(ids)) == 5000
    assert all(len(g) == 36 and g[14] == "4" and g[19] in "89ab" for g in ids)


def test_write_tenant_folder_loads_and_inspects(tmp_path: Path) -> None:
    t = synth_tenant(120, seed=5, fmt="admin-center", name="synth-a")
    folder = write_tenant_folder(tmp_path / "synth-a", t, subs_fmt="msonline",
                                 config={"payment_method": "invoice"})
    assert sorted(p.name for p in folder.iterdir()) == ["subscriptions.csv", "tenant.yaml",
                                                        "users.csv"]
    assert yaml.safe_load((folder / "tenant.yaml").read_text())["payment_method"] == "invoice"
    tenant = load_tenant(folder)
    assert (tenant.users_format, tenant.subscriptions_format) == ("admin-center", "msonline")
    inv = inspect_tenant(tenant)
    e4 = next(s for s in inv.skus if s.sku_part_number == SOURCE_PART)
    expected_e4 = t.table[t.table["sku_part_number"] == SOURCE_PART]
    assert e4.users == e4.direct == len(expected_e4)  # admin center: everything reads direct
    assert inv.users == 120
    assert inv.unknown_products == () and inv.warnings == ()
