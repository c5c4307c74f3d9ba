"""Seats: the one rule for what a subscription table says a SKU holds, and the SKU row matcher."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType

import pandas as pd
from builders import lic, subs

from playbook import cancellation, counting, eligibility
from playbook.cancellation import SourceSeats, source_seats
from playbook.catalog import Catalog, Sku
from playbook.counting import count_licenses
from playbook.eligibility import assess_tables
from playbook.seats import Seats, seats_of, sku_rows
from playbook.tenant import TenantConfig

E4 = "ENTERPRISEWITHSCAL"
E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5 = "ENTERPRISEPREMIUM"
CATALOG = Catalog.builtin()


def test_rows_of_a_sku_by_part_number_or_id_case_insensitive():
    table = pd.DataFrame({
        "sku_part_number": ["ENTERPRISEWITHSCAL", " enterprisewithscal\t", "", "SPE_E5", None],
        "sku_id": ["", "", E4_ID.upper(), "06ebc4ee-1bb5-47dd-8120-11324bc54e06", E4_ID],
    })
    assert sku_rows(table, CATALOG.get(E4)).tolist() == [True, True, True, False, True]
    assert sku_rows(table, Sku("SPE_E5", "")).tolist() == [False, False, False, True, False]
    assert not sku_rows(table, Sku("", "")).any()


def test_seats_follow_license_units_detail():
    s = subs({"sku_part_number": E4, "enabled": 8, "warning": 2, "suspended": 5,
              "locked_out": 4, "consumed": 9},
             {"sku_part_number": E4, "enabled": 1, "consumed": 0, "sku_id": "x"})
    seats = seats_of(s, CATALOG.get(E4))
    assert seats == Seats(rows=2, enabled=9, warning=2, suspended=5, locked_out=4, consumed=9)
    assert seats.held == 11                  # enabled + warning; suspended, lockedOut are not
    assert seats.assignable == 0             # only enabled units can be assigned
    assert seats.over_assigned == 0


def test_more_consumed_than_held_is_over_assigned():
    seats = seats_of(subs({"sku_part_number": E4, "enabled": 3, "warning": 1, "suspended": 9,
                           "consumed": 6}), CATALOG.get(E4))
    assert (seats.held, seats.assignable, seats.over_assigned) == (4, 0, 2)


def test_sku_not_bought_has_no_seats():
    assert seats_of(subs({"sku_part_number": E5, "enabled": 3}), CATALOG.get(E4)) == Seats()


def test_counting_eligibility_and_cancellation_agree():
    t = lic(*({"upn": f"u{i}@x"} for i in range(6)))
    s = subs({"sku_part_number": E4, "enabled": 3, "warning": 2, "suspended": 4, "consumed": 6})
    config = TenantConfig(name="t")
    c = count_licenses(config, t, s, CATALOG)
    assert c.source_purchased == 5
    assert source_seats(s) == SourceSeats(enabled=5, consumed=6)
    f = assess_tables(config, t, s, CATALOG).finding("MORE_USERS_THAN_LICENSES")
    assert (f.evidence["assigned"], f.evidence["purchased"], f.evidence["over"]) == (6, 5, 1)


def test_ten_users_on_four_live_licences_raise_the_conflict():
    """Item 4. Source: Graph "licenseUnitsDetail resource type" [S14]: suspended units belong to
    a cancelled subscription and can't be assigned, so they are no seats; "Upgrade to a
    different plan" [S5a]: more users than licenses empties the Upgrade tab. Counting,
    eligibility and the cancellation checklist all read :func:`seats_of`."""
    t = lic(*({"upn": f"u{i}@x"} for i in range(10)))
    s = subs({"sku_part_number": E4, "enabled": 4, "suspended": 6, "consumed": 10})
    config = TenantConfig(name="t")
    assert count_licenses(config, t, s, CATALOG).source_purchased == 4
    assert source_seats(s) == SourceSeats(enabled=4, consumed=10)
    a = assess_tables(config, t, s, CATALOG)
    f = a.finding("MORE_USERS_THAN_LICENSES")
    assert (f.evidence["assigned"], f.evidence["purchased"], f.evidence["over"]) == (10, 4, 6)
    assert f.evidence["suspended"] == 6 and a.path == "manual"


def _source(module: ModuleType) -> str:
    """A module's source; a package's is every module in it (``eligibility`` is one)."""
    if not hasattr(module, "__path__"):
        return inspect.getsource(module)
    files = sorted(Path(module.__path__[0]).rglob("*.py"))
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_only_seats_reads_the_unit_columns():
    """Item 4: one home for seats. Counting, eligibility and cancellation never read the unit
    columns themselves; they go through :func:`seats_of` (source: [S14], as above)."""
    for module in (counting, eligibility, cancellation):
        source = _source(module)
        for column in ("enabled", "warning", "suspended", "locked_out", "consumed"):
            assert f'["{column}"]' not in source, (module.__name__, column)
        assert "seats_of(" in source, module.__name__


def test_seats_know_the_subscriptions_they_pool():
    """Item 13: subscribedSkus sums every subscription of a SKU; ``subscriptionIds`` lists them
    (Graph "subscribedSku resource type" [S13], SDK models)."""
    s = subs({"sku_part_number": E4, "enabled": 40, "subscription_ids": ("b", "a")})
    assert seats_of(s, CATALOG.get(E4)).subscription_ids == ("a", "b")
    assert source_seats(s).subscription_ids == ("a", "b")
