"""What a users reader returns (kept apart so every reader module can import it)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class UsersRead:
    """What reading a users export gives: the license table and what the admin should know."""

    table: pd.DataFrame
    format: str
    warnings: tuple[str, ...] = ()
    unknown_products: tuple[str, ...] = ()


def unknown_warnings(unknown: dict[str, int]) -> list[str]:
    """One warning per product the catalog cannot name (kept in the table, never dropped)."""
    return [
        f"'{name}' ({n} user(s)) is not a product the catalog knows; its rows are kept with an "
        "empty sku_part_number (fix: pass Microsoft's product reference CSV with "
        "--sku-reference or sku_reference in tenant.yaml, or add subscriptions.*)"
        for name, n in sorted(unknown.items())
    ]
