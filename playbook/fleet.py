"""Moved to :mod:`playbook.runs` (:mod:`~playbook.runs.fleet`, ``status``, ``demo``)."""

from playbook.runs.demo import bundled_tenants, run_demo  # moved; shim removed at integration
from playbook.runs.fleet import FleetSummary, run_fleet  # moved; shim removed at integration
from playbook.runs.selection import (  # moved; shim removed at integration
    discover_tenants,
    select_tenants,
)
from playbook.runs.status import (  # moved; shim removed at integration
    FleetStatus,
    TenantStatus,
    fleet_status,
)
from playbook.runs.summary_page import summary_rows  # moved; shim removed at integration

__all__ = ["FleetStatus", "FleetSummary", "TenantStatus", "bundled_tenants", "discover_tenants",
           "fleet_status", "run_demo", "run_fleet", "select_tenants", "summary_rows"]
