"""Readers for every real export format an admin may hold, detected by content.

Public API (everything else in this subpackage is internal):

- :func:`read_users` -> :class:`UsersRead` (the license table of :mod:`playbook.table`)
- :func:`read_subscriptions` -> ``(subscription table, format name)``
- :func:`detect_users_format` / :func:`detect_subscriptions_format` -> format name

Format names: ``admin-center`` (28-column Export users), ``admin-center-legacy`` (32-column),
``graph-json``, ``graph-powershell``, ``msonline``, ``msonline-license-status`` (the
``Export-Office365LicenseStatus`` script: a row per user, SKU and service plan);
subscriptions: ``graph-json``, ``graph-powershell``, ``msonline``.

What each users format can carry is one table, :data:`USERS_FORMAT_CARRIES` (the rest of the
license table takes its documented empty value), and each read says it for its own file on
:class:`UsersRead` (``carries_disabled_plans``, ``carries_assignment_states``,
``carries_groups``): ``graph-json`` everything; ``graph-powershell`` no group/state/error,
disabled plans only when a DisabledPlans column is present; ``admin-center``,
``admin-center-legacy`` and ``msonline`` no group/state/error/disabled plans;
``msonline-license-status`` disabled plans only.
``product_name`` is the license as the file names it: the display name (admin center), the
``tenant:PART`` token (MSOnline), the skuId or part number (Graph).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from playbook.catalog import Catalog
from playbook.exports.admin_center import read_admin_center
from playbook.exports.detect import (
    SUBSCRIPTION_FORMATS,
    USERS_FORMATS,
    classify_subscriptions,
    classify_users,
    detect_subscriptions_format,
    detect_users_format,
)
from playbook.exports.graph_json import read_graph_json
from playbook.exports.graph_powershell import read_graph_powershell
from playbook.exports.license_status import read_license_status
from playbook.exports.model import (
    FORMATS_WITH_DISABLED_PLANS,
    FORMATS_WITH_GROUPS,
    FORMATS_WITH_STATES,
    FORMATS_WITHOUT_DISABLED_PLANS,
    USERS_FORMAT_CARRIES,
    Carries,
    UsersRead,
)
from playbook.exports.msonline import read_msonline
from playbook.exports.subscriptions import read_subscriptions_csv, read_subscriptions_json

__all__ = [
    "FORMATS_WITHOUT_DISABLED_PLANS",
    "FORMATS_WITH_DISABLED_PLANS",
    "FORMATS_WITH_GROUPS",
    "FORMATS_WITH_STATES",
    "SUBSCRIPTION_FORMATS",
    "USERS_FORMATS",
    "USERS_FORMAT_CARRIES",
    "Carries",
    "UsersRead",
    "detect_subscriptions_format",
    "detect_users_format",
    "read_subscriptions",
    "read_users",
]


def read_users(path: str | Path, catalog: Catalog) -> UsersRead:
    """Read any supported users export (file, or folder of Graph JSON pages).

    Bad input raises :class:`playbook.errors.InputError` naming file, row, column, value, fix.
    """
    fmt, head = classify_users(path)
    if fmt == "graph-json":
        return read_graph_json(path, catalog)
    assert head is not None
    if fmt in ("admin-center", "admin-center-legacy"):
        return read_admin_center(head, catalog, fmt)
    if fmt == "msonline":
        return read_msonline(head, catalog)
    if fmt == "msonline-license-status":
        return read_license_status(head, catalog)
    return read_graph_powershell(head, catalog)


def read_subscriptions(path: str | Path, catalog: Catalog | None = None
                       ) -> tuple[pd.DataFrame, str]:
    """Read any supported subscriptions export into the subscription table.

    Each skuId/part-number pair is checked against ``catalog`` (the built-in catalog when
    None; pass one layered over Microsoft's table to check against that too).
    """
    fmt, head = classify_subscriptions(path)
    if head is None:
        return read_subscriptions_json(path, catalog), fmt
    return read_subscriptions_csv(head, fmt, catalog), fmt
