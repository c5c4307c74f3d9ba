"""synth -> write -> read returns exactly what synth intended, for every format.

What a format cannot carry is spelled out by :func:`playbook.testing.synth.as_read` (admin
center and MSOnline: no groups, states, errors or disabled plans; Graph PowerShell CSV: no
groups, states or errors); the comparison is exact on everything else.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from playbook.catalog import Catalog
from playbook.exports import read_subscriptions, read_users
from playbook.testing.synth import (
    SUBSCRIPTION_FORMATS,
    SUBSCRIPTIONS_SUFFIX,
    USERS_FORMATS,
    USERS_SUFFIX,
    subscriptions_as_read,
    synth_tenant,
    write_subscriptions,
    write_users,
)


def by_key(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(["upn", "sku_id", "product_name"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def tenant():
    return synth_tenant(400, seed=7)


@pytest.mark.parametrize("fmt", USERS_FORMATS)
def test_users_round_trip(tmp_path: Path, tenant, fmt: str) -> None:
    path = write_users(tenant.truth, tmp_path / f"users{USERS_SUFFIX[fmt]}", fmt)
    got = read_users(path, Catalog.builtin())
    expected = synth_tenant(400, seed=7, fmt=fmt).table
    assert got.format == fmt
    assert got.unknown_products == () and got.warnings == ()
    pd.testing.assert_frame_equal(by_key(got.table), by_key(expected))


@pytest.mark.parametrize("fmt", USERS_FORMATS)
def test_round_trip_keeps_what_the_format_carries(tenant, fmt: str) -> None:
    """The projection is not a no-op: each lossy format really loses what it cannot hold."""
    expected = synth_tenant(400, seed=7, fmt=fmt).table
    truth = tenant.truth
    assert expected["upn"].nunique() == truth["upn"].nunique() == 400
    has_groups = expected["group_ids"].map(len).gt(0).any()
    has_disabled = expected["disabled_plans"].map(len).gt(0).any()
    has_errors = expected["state"].eq("Error").any()
    carries = {"graph-json": (True, True, True), "graph-powershell": (False, True, False),
               "msonline-license-status": (False, True, False)}
    assert (has_groups, has_disabled, has_errors) == carries.get(fmt, (False, False, False))


def test_excel_danish_resave_round_trip(tmp_path: Path, tenant) -> None:
    path = write_users(tenant.truth, tmp_path / "users.csv", "admin-center-legacy",
                       delimiter=";", encoding="cp1252", booleans=("SAND", "FALSK"))
    assert b"FALSK" in path.read_bytes()[:4000]
    got = read_users(path, Catalog.builtin())
    expected = synth_tenant(400, seed=7, fmt="admin-center-legacy").table
    pd.testing.assert_frame_equal(by_key(got.table), by_key(expected))


def test_graph_json_pages_round_trip(tmp_path: Path, tenant) -> None:
    as_list = write_users(tenant.truth, tmp_path / "users.json", "graph-json", pages=3)
    folder = write_users(tenant.truth, tmp_path / "users", "graph-json", pages=3)
    assert sorted(p.name for p in folder.iterdir()) == ["page1.json", "page2.json",
                                                        "page3.json"]
    for path in (as_list, folder):
        got = read_users(path, Catalog.builtin())
        pd.testing.assert_frame_equal(by_key(got.table), by_key(tenant.truth))


@pytest.mark.parametrize("fmt", SUBSCRIPTION_FORMATS)
def test_subscriptions_round_trip(tmp_path: Path, tenant, fmt: str) -> None:
    path = write_subscriptions(tenant.subscriptions,
                               tmp_path / f"subscriptions{SUBSCRIPTIONS_SUFFIX[fmt]}", fmt)
    subs, got_fmt = read_subscriptions(path)
    assert got_fmt == fmt
    pd.testing.assert_frame_equal(subs, subscriptions_as_read(tenant.subscriptions, fmt))
