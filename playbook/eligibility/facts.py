"""What a rule reads (:class:`Facts`, computed once per tenant) and what it returns (:class:`Hit`).

A rule is a pure function ``Facts -> list[Hit]``; :mod:`.verdict` turns hits into localized
findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from playbook.catalog import Catalog, Sku
from playbook.counting import LicenseCount
from playbook.seats import Seats, seats_of, sku_rows
from playbook.tenant import TenantConfig


@dataclass(frozen=True)
class Facts:
    """Everything a rule may read, computed once."""

    config: TenantConfig
    licenses: pd.DataFrame
    subscriptions: pd.DataFrame | None
    catalog: Catalog
    source: Sku
    target: Sku
    flags: pd.DataFrame
    counts: LicenseCount
    source_rows: pd.DataFrame
    start_date: date | None
    carries_disabled_plans: bool = True

    @property
    def source_subs(self) -> pd.DataFrame | None:
        subs = self.subscriptions
        return None if subs is None else subs[sku_rows(subs, self.source)]

    @property
    def target_subs(self) -> pd.DataFrame | None:
        subs = self.subscriptions
        return None if subs is None else subs[sku_rows(subs, self.target)]

    @property
    def source_seats(self) -> Seats | None:
        subs = self.subscriptions
        return None if subs is None else seats_of(subs, self.source)


@dataclass(frozen=True)
class Hit:
    """A rule's raw result: the code, its evidence and the message keys to use."""

    code: str
    evidence: dict[str, Any]
    message_key: str = ""
    remedy_key: str = ""


Rule = Callable[[Facts], list[Hit]]


def sku_name(sku: Sku) -> str:
    """A plan's readable name for a finding's evidence (its part number when it has none)."""
    return sku.display_name or sku.part_number
