"""Hand-built tables for rule tests: the license and subscription contracts of playbook.table.

Every license row is an enabled, direct, Active Office 365 E4 user in DK unless a test says
otherwise, so each test spells out only what its rule looks at.
"""

from __future__ import annotations

import pandas as pd

from playbook.catalog import Catalog
from playbook.table import normalize_license_table, normalize_subscription_table

E4 = "ENTERPRISEWITHSCAL"
CATALOG = Catalog.builtin()


def lic(*rows: dict) -> pd.DataFrame:
    """A license table from partial rows."""
    base = {"usage_location": "DK", "account_enabled": True, "sku_part_number": E4,
            "assigned_directly": True, "group_ids": (), "disabled_plans": (),
            "state": "Active", "error": "", "product_name": "Office 365 E4"}
    return normalize_license_table(pd.DataFrame([{**base, **r} for r in rows]))


def subs(*rows: dict) -> pd.DataFrame:
    """A subscription table from partial rows (Enabled, for users, one subscription id)."""
    base = {"capability_status": "Enabled", "applies_to": "User", "subscription_ids": ("s1",),
            "service_plans": ()}
    return normalize_subscription_table(pd.DataFrame([{**base, **r} for r in rows]))


def plan_row(upn: str, part: str = E4, **kw: object) -> dict:
    """One partial license row for a plan test: ``part`` with its built-in skuId, a user in DK
    whose display name is the UPN's local part, in Sales, no groups, nothing switched off."""
    return {"upn": upn, "sku_part_number": part, "sku_id": CATALOG.get(part).sku_id,
            "product_name": part, "usage_location": "DK", "display_name": upn.split("@")[0],
            "department": "Sales", "group_ids": (), "disabled_plans": (), **kw}


AC_HEADER = (  # the current 28-column admin-center Export users header, exactly
    "Display name,DirSyncEnabled,User principal name,Object Id,First name,Last name,When created,"
    "Soft deletion time stamp,Title,Department,Preferred data location,City,CountryOrRegion,"
    "Office,StateOrProvince,Usage location,Last dirsync time,Block credential,Licenses,"
    "Password never expires,Last password change time stamp,Mobile Phone,Phone number,"
    "Postal code,Preferred language,Street address,Fax,Proxy addresses"
)
"""The admin center's Export users header line (28 columns), as the tests' fixtures write it."""
