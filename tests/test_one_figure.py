"""Issue 17: one route and one "Buy N" figure, the same in every step, the CLI and the summary.

Each display reads counting's :class:`playbook.counting.BuyFigure`; these tests fail when one of
them computes or words its own figure.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from paths import TENANTS

from playbook import display as show
from playbook.cli import main
from playbook.counting import count_licenses
from playbook.eligibility import assess
from playbook.plan import build_plan
from playbook.runs.standing import merge_records, standing
from playbook.runs.summary_page import summary_row
from playbook.tenant import load_tenant

SAMPLES = sorted(p.name for p in TENANTS.iterdir() if (p / "tenant.yaml").is_file())


@pytest.mark.parametrize("name", SAMPLES)
def test_buy_line_is_the_same_in_steps_1_to_3_and_the_cli(name):
    tenant = load_tenant(TENANTS / name)
    a = assess(tenant)
    counts = count_licenses(tenant.config, tenant.licenses, tenant.subscriptions, tenant.catalog)
    plan = build_plan(tenant)
    line = a.counts.buy.to_text(tenant.config.language, a.target_name)
    assert line in a.to_text()                                     # step 1 and `assess`
    assert line in show.ShortVerdict(a).to_text()                  # step 1's picker
    assert line in show.counts_page(tenant, a, counts).text        # step 2
    assert plan.buy == a.counts.buy                                # step 3 carries the figure
    said = a.counts.buy.to_text(tenant.config.language, plan.target["display_name"])
    assert said in plan.to_text()                   # step 3 and `plan`, in the tenant's language
    cli = CliRunner().invoke(main, ["assess", str(TENANTS / name)])
    assert line in cli.output


def test_fabrikam_buy_figure_and_fleet_summary_agree():
    tenant = load_tenant(TENANTS / "fabrikam-invoice")
    a, plan = assess(tenant), build_plan(tenant)
    assert (a.counts.buy.total, a.counts.buy.now, a.counts.buy.once_usage_locations_set) == (
        4, 2, 2)
    record = {"status": "ok", "assessment": a.to_dict(), "plan": plan.to_dict()}
    where = standing(merge_records([record]))
    assert where.label == "buy licenses first"
    assert where.why.startswith("Buy 4 Microsoft 365 E5 licenses (2 now + 2 once usage "
                                "locations are set)")
    # the fleet page's "To buy" column is the same figure (no step-2 count in this record)
    row = summary_row("fabrikam-invoice", merge_records([record]), "")
    assert row["to_buy"] == a.counts.buy.total == 4


def test_route_is_manual_where_a_finding_says_manual():
    a = assess(load_tenant(TENANTS / "contoso-direct"))
    assert a.path == "manual" and a.upgrade_tab_possible
    for f in a.findings:  # no finding left that only applies to the Upgrade tab
        assert f.code not in ("ADMIN_DOWNTIME", "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE")
    assert "Upgrade tab (Billing" not in a.to_text()
