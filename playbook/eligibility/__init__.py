"""Eligibility: which upgrade path a tenant can take off Office 365 E4, and what stands in the way.

Microsoft offers two ways off E4 [S1]: the admin center's *Upgrade tab* (buys the new plan,
moves every user, cancels E4) and a *manual* change (buy, verify, reassign, cancel). E4 bought
through a partner or Volume Licensing follows neither: the admin must *contact the partner*.
This package reads the tenant's facts and tables and says which path applies and why, as
findings with a stable code, a severity, evidence (numbers) and a remedy in the tenant's
language. One concern per module, each read in one sitting:

- :mod:`.findings`: every finding code, its severity (and why), order and sources; the
  :class:`Finding` and :class:`Assessment` result objects and their text.
- :mod:`.rules`: one function per finding rule and the :data:`RULES` table.
- :mod:`.facts`: what a rule reads (:class:`.facts.Facts`) and returns (:class:`.facts.Hit`).
- :mod:`.comparison`: each target plan against E4 (services lacked, data-service tiers).
- :mod:`.dates`: the start date and business days.
- :mod:`.verdict`: the path, and the entry points :func:`assess_tables` and :func:`assess`.

This module only re-exports; other code imports from ``playbook.eligibility``.
"""

from __future__ import annotations

from playbook.eligibility.comparison import (
    COMPARISON_COLUMNS,
    EXCHANGE_LEVELS,
    PLAN_SUCCESSORS,
    SHAREPOINT_LEVELS,
    compare_plans,
    compare_targets,
)
from playbook.eligibility.dates import add_business_days, parse_start_date
from playbook.eligibility.facts import Rule
from playbook.eligibility.findings import (
    CODE_ORDER,
    PATHS,
    SEVERITIES,
    SEVERITY,
    SOURCES,
    Assessment,
    Finding,
)
from playbook.eligibility.rules import CREDIT_CHECK_BUSINESS_DAYS, NOT_PROVISIONED, RULES
from playbook.eligibility.verdict import assess, assess_tables

__all__ = [
    "CODE_ORDER",
    "COMPARISON_COLUMNS",
    "CREDIT_CHECK_BUSINESS_DAYS",
    "EXCHANGE_LEVELS",
    "NOT_PROVISIONED",
    "PATHS",
    "PLAN_SUCCESSORS",
    "RULES",
    "SEVERITIES",
    "SEVERITY",
    "SHAREPOINT_LEVELS",
    "SOURCES",
    "Assessment",
    "Finding",
    "Rule",
    "add_business_days",
    "assess",
    "assess_tables",
    "compare_plans",
    "compare_targets",
    "parse_start_date",
]
