"""Names as an admin knows them: products, apps (service plans) and groups.

The admin center shows "Office 365 E4", not ``ENTERPRISEWITHSCAL``, and an app by its name
in Manage product licenses, not ``FORMS_PLAN_E5``; the part number or id follows in brackets
where it helps to find the thing in PowerShell or Graph. The names come from the tenant's
catalog (the built-in one, layered with Microsoft's reference table when it is given).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from playbook.catalog import Catalog


def product(catalog: Catalog, token: object) -> str:
    """A product's display name ("Office 365 E4"); the token itself when unknown."""
    return catalog.display_name(token)


def product_with_part(catalog: Catalog, token: object) -> str:
    """``Office 365 E4 [ENTERPRISEWITHSCAL]``: the name, then the part number to search by."""
    return catalog.product_label(token)


def app(catalog: Catalog, plan_name: str) -> str:
    """An app (service plan) by its friendly name, the plan name in brackets."""
    return catalog.app_label(plan_name)


def apps(catalog: Catalog, plan_names: Iterable[str]) -> str:
    """Several apps, comma-separated, each as :func:`app` names it."""
    return ", ".join(app(catalog, p) for p in plan_names)


def group(group_id: str, names: Mapping[str, str] | None = None) -> str:
    """A group by its display name with the id in brackets, or the id when no export names it."""
    name = (names or {}).get(group_id, "")
    return f"{name} [{group_id}]" if name and group_id else group_id
