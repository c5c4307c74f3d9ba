"""Where the repo, the sample tenants and Microsoft's reference table are.

A plain module rather than conftest.py: tests/ui has a conftest of its own, and
``from paths import ...`` would pick whichever was imported last.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
TENANTS = DATA / "tenants"
EXPECTED = DATA / "expected"
SHARED = REPO.parent / "shared"
REFERENCE_CSV = SHARED / "data" / "ms-licensing-service-plan-reference.csv"
