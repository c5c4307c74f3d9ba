"""Shared fixtures: where the repo, the sample tenants and Microsoft's reference table are."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import REFERENCE_CSV


@pytest.fixture
def reference_csv() -> Path:
    """Microsoft's product reference table, read from ../shared (never copied into the repo)."""
    if not REFERENCE_CSV.is_file():
        pytest.skip(f"Microsoft's reference CSV is not at {REFERENCE_CSV}: download 'Product names "
                    "and service plan identifiers for licensing' there to run this test")
    return REFERENCE_CSV


@pytest.fixture
def builtin_catalog():
    from playbook.catalog import Catalog

    return Catalog.builtin()
