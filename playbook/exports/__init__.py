"""Readers for every real export format an admin may hold, detected by content.

Public API (everything else in this subpackage is internal):

- :func:`read_users` -> :class:`UsersRead` (the license table of :mod:`playbook.table`)
- :func:`read_subscriptions` -> ``(subscription table, format name)``
- :func:`detect_users_format` / :func:`detect_subscriptions_format` -> format name

Format names: ``admin-center`` (28-column Export users), ``admin-center-legacy`` (32-column),
``graph-json``, ``graph-powershell``, ``msonline``; subscriptions: ``graph-json``,
``graph-powershell``, ``msonline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class UsersRead:
    """What reading a users export gives: the license table and what the admin should know."""

    table: pd.DataFrame
    format: str
    warnings: tuple[str, ...] = ()
    unknown_products: tuple[str, ...] = ()


def read_users(path: str | Path, catalog) -> UsersRead:  # noqa: ANN001 - Catalog
    raise NotImplementedError


def read_subscriptions(path: str | Path) -> tuple[pd.DataFrame, str]:
    raise NotImplementedError
