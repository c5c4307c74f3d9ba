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


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--fuzz``: run the fuzz suite (tests/test_fuzz.py) at ten times its default size;
    ``--fuzz-seed N``: another seed, for new cases."""
    parser.addoption("--fuzz", action="store_true", default=False,
                     help="run many more fuzz cases (tests/test_fuzz.py)")
    parser.addoption("--fuzz-seed", action="store", type=int, default=0,
                     help="seed of the fuzz cases (default 0)")
