"""Seats: which rows of a table are one SKU, and what the subscription table says it holds.

One rule for every step that reads ``subscribedSkus`` (counting, eligibility, the cancellation
checklist, the plan), from Microsoft's ``licenseUnitsDetail`` [S14] (docs/microsoft-facts.md):

- ``enabled`` units belong to the active subscription: they are the only ones that can be
  assigned, so **assignable** = ``enabled - consumed``, never below 0.
- ``warning`` units belong to an expired subscription in its grace period: still licences the
  tenant holds (users keep working), but none can be assigned.
- ``suspended`` (subscription cancelled, reactivatable until deleted) and ``lockedOut`` units
  are not seats at all.

So the tenant **holds** ``enabled + warning`` licences, and more consumed than held is the
"more users than licenses" conflict that empties the admin center's Upgrade tab [S5a].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from playbook.catalog import Sku, normalize_key


def sku_rows(table: pd.DataFrame, sku: Sku) -> pd.Series:
    """True on the rows of a license or subscription table that are ``sku``.

    A row matches by part number or by skuId, each compared as :func:`normalize_key` reads it
    (case, Unicode forms and white space folded), because poor exports carry only one of the
    two. Counting, eligibility, cancellation and the plan all find a SKU's rows here. Only the
    distinct cells are cleaned (a 300k-user table holds a few dozen SKUs); ``isin`` then marks
    every row at hash speed.
    """
    return rows_of_skus(table, (sku,))[0]


def rows_of_skus(table: pd.DataFrame, skus: Sequence[Sku]) -> list[pd.Series]:
    """:func:`sku_rows` for each of ``skus``, each column's distinct cells read once for all
    (the plan and the count look for E4 and the target together)."""
    columns = ("sku_part_number", "sku_id")
    distinct = {c: [v for v in table[c].unique() if isinstance(v, str)]  # missing is no str
                for c in columns}

    def rows(sku: Sku) -> pd.Series:
        match = pd.Series(False, index=table.index)
        for column, key in zip(columns, (sku.part_number, sku.sku_id), strict=True):
            key = normalize_key(key)
            if key:
                match |= table[column].isin(
                    [v for v in distinct[column] if normalize_key(v) == key])
        return match

    return [rows(sku) for sku in skus]


@dataclass(frozen=True)
class Seats:
    """A SKU's units summed over its rows of the subscription table (all 0 when not bought).

    ``subscription_ids`` are the subscriptions those units are pooled from (``subscribedSkus``
    sums every subscription of a SKU [S13]): the units cannot be split per subscription.
    """

    rows: int = 0
    enabled: int = 0
    warning: int = 0
    suspended: int = 0
    locked_out: int = 0
    consumed: int = 0
    subscription_ids: tuple[str, ...] = field(default=(), compare=False)

    @property
    def held(self) -> int:
        """Licences the tenant holds: enabled + warning (suspended and locked-out are not)."""
        return self.enabled + self.warning

    @property
    def assignable(self) -> int:
        """Units free to assign now: only enabled units can be, so enabled - consumed (>= 0)."""
        return max(0, self.enabled - self.consumed)

    @property
    def over_assigned(self) -> int:
        """Licences assigned beyond those held (0 when none): Microsoft's licensing conflict."""
        return max(0, self.consumed - self.held)


def seats_of(subscriptions: pd.DataFrame, sku: Sku) -> Seats:
    """The seats of ``sku`` in a subscription table (:mod:`playbook.table` contract)."""
    rows = subscriptions[sku_rows(subscriptions, sku)]
    return Seats(
        rows=len(rows),
        enabled=int(rows["enabled"].sum()),
        warning=int(rows["warning"].sum()),
        suspended=int(rows["suspended"].sum()),
        locked_out=int(rows["locked_out"].sum()),
        consumed=int(rows["consumed"].sum()),
        subscription_ids=tuple(sorted({str(i).strip() for ids in rows["subscription_ids"]
                                       for i in ids if str(i).strip()})),
    )
