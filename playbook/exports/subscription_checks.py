"""The checks every subscriptions reader applies, whatever the layout: seat counts and the
skuId/part-number pairs.

Seat counts decide how many licences to buy and whether the plan may run, so a count must be
what Graph can send: a whole number from 0 to 2,147,483,647 (Graph's ``Int32``). ``1e3`` or
``25.0`` is an edited cell, a negative count or one past 64 bits a damaged one; reading them as
numbers anyway would be a guess. A skuId paired with another product's part number (an edited
or spliced export) would put one product's seats on another, and the plan would move the wrong
users; the catalog (built-in, and Microsoft's table when given) knows which id is which.

The JSON and CSV readers both call :func:`check_subscriptions` with their raw cells, so the
rules and their wording have one home.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from playbook.catalog import Catalog, normalize_key
from playbook.errors import InputError
from playbook.input_files import grouped
from playbook.messages import Said

SEAT_FIELDS = ("enabled", "warning", "suspended", "locked_out", "consumed")
SEAT_MAX = 2**31 - 1
"""Graph's seat counts are Int32."""
_DIGITS = re.compile(r"\d{1,10}")

Locate = Callable[[int, str], tuple[int | None, str]]
"""(row position, field) -> (line number or None, column or JSON path) for an error."""


def seat_count(value: object) -> int | None:
    """A seat cell as a count, or ``None`` when it is not one.

    Empty or missing is 0 (Graph leaves out units a SKU has none of); a whole number, as a
    JSON integer or as digits in a CSV cell, counts when it is in Int32's range; anything
    else (``1e3``, ``25.0``, ``-1``, ``true``, an object) is not a count.
    """
    if value is None:
        return 0
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0
        value = int(text) if _DIGITS.fullmatch(text) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= SEAT_MAX else None


def seat_counts(cells: Sequence[object], bad: Callable[[int, object], InputError]
                ) -> list[int]:
    """:func:`seat_count` of each cell; the first that is not a count raises ``bad(i, cell)``
    (subscriptions are tens of rows, so a plain loop)."""
    out = []
    for i, cell in enumerate(cells):
        n = seat_count(cell)
        if n is None:
            raise bad(i, cell)
        out.append(n)
    return out


def check_subscriptions(keys: pd.DataFrame, cells: Mapping[str, Sequence[object]], path: Path,
                        locate: Locate, catalog: Catalog | None) -> dict[str, list[int]]:
    """Check the seat cells and the id/part-number pairs of one subscriptions export.

    ``keys`` holds the cleaned ``sku_id`` and ``sku_part_number`` per row, in file order;
    ``cells`` the raw seat cells of the :data:`SEAT_FIELDS` the file has. Returns the counts
    of each of those fields; raises :class:`InputError` naming row and column otherwise.
    """
    counts: dict[str, list[int]] = {}
    for field in SEAT_FIELDS:
        if field not in cells:
            continue

        def bad(i: int, cell: object, field: str = field) -> InputError:
            row, column = locate(i, field)
            return InputError(path, "error.subscriptions-export.not-a-seat-count", row=row,
                              column=column, value=cell, max=grouped(SEAT_MAX),
                              fix="error.exports.export-again-unedited")

        counts[field] = seat_counts(list(cells[field]), bad)
    if catalog is not None:
        _check_pairs(keys, path, locate, catalog)
    return counts


def _check_pairs(keys: pd.DataFrame, path: Path, locate: Locate, catalog: Catalog) -> None:
    """Refuse a row whose skuId the catalog knows as another product than its part number."""
    for i, (sku_id, part) in enumerate(zip(keys["sku_id"], keys["sku_part_number"],
                                           strict=True)):
        if not sku_id or not part:
            continue
        known = catalog.resolve(sku_id)
        if known is None or normalize_key(known.part_number) == normalize_key(part):
            continue
        if catalog.resolve(part) is known:  # an older name of the same product
            continue
        row, column = locate(i, "sku_part_number")
        where = Said("error.subscriptions-export.where.reference" if known.source == "reference"
                     else "error.subscriptions-export.where.built-in"
                     if known.source == "built-in" else "error.subscriptions-export.where.catalog")
        raise InputError(path, "error.subscriptions-export.id-part-mismatch", row=row,
                         column=column, value=part, sku_id=sku_id, known=known.part_number,
                         where=where, part=part)
