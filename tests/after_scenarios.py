"""The bundled after-export scenarios: how they are made and what verification must say.

Each scenario starts from a sample tenant's plan run on :mod:`simulator` (what Entra would do),
then changes what a real tenant shows days later: a batch not run yet, assignments in error with
each Graph error code, a group still processing, disabled plans changed by hand. The expected
verdict of each is derived here from that change alone (who was held back, who failed), never
from :mod:`playbook.verification`, so the tests comparing the two can fail.

Files (run ``python tests/after_scenarios.py`` to write them again)::

    data/tenants/<t>/after/users.json, subscriptions.json     the main case: the plan fully run
    data/after-scenarios/<t>/plan/plan.json                   the plan every scenario ran
    data/after-scenarios/<t>/<scenario>/users.json, subscriptions.json
    data/expected/<t>/verify.json, verify-<scenario>.json     what verify must report

Exports are Graph users JSON (the one format that shows groups, disabled plans and errors) and
Graph subscribedSkus JSON whose consumed units are counted from the after state.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # for simulator when run as a script

from simulator import apply_plan  # noqa: E402

from playbook.artifacts import render_artifacts  # noqa: E402
from playbook.plan import Plan, build_plan, build_plan_from_tables, file_sha256  # noqa: E402
from playbook.table import normalize_license_table, normalize_subscription_table  # noqa: E402
from playbook.tenant import Tenant, load_tenant  # noqa: E402
from playbook.testing.synth import write_subscriptions, write_users  # noqa: E402

TENANTS_DIR = REPO / "data" / "tenants"
SCENARIOS_DIR = REPO / "data" / "after-scenarios"
EXPECTED_DIR = REPO / "data" / "expected"
STATUSES = ("moved", "pending", "partial", "failed", "drifted", "unexpected")

ERROR_CODES = ("CountViolation", "MutuallyExclusiveViolation", "DependencyViolation",
               "ProhibitedInUsageLocationViolation", "UniquenessViolation", "Other")

MAIN = "main"
"""The scenario written to ``data/tenants/<t>/after/`` (the plan fully run)."""

SCENARIOS: dict[str, tuple[str, ...]] = {
    "contoso-direct": (MAIN, "some-pending"),
    "fabrikam-invoice": (MAIN, "some-pending", "failed-each-code", "group-processing",
                         "drift"),
}


@dataclass
class Scenario:
    """One after state and the verdict it must get."""

    tenant: str
    name: str
    description: str
    after: pd.DataFrame
    subscriptions: pd.DataFrame
    held_back: set[str] = field(default_factory=set)  # users of actions not run (still E4)
    failed: dict[str, str] = field(default_factory=dict)  # upn -> error code
    by_group: set[str] = field(default_factory=set)  # users still on E4 through a group
    drifted: set[str] = field(default_factory=set)
    remaining: set[str] = field(default_factory=set)  # action ids the next round runs

    def expected(self, plan: Plan) -> dict[str, Any]:
        """The verdict, worked out from what the scenario changed."""
        t = plan.table
        by_design = _by_design(t, self.after, plan.source["sku_part_number"])
        decisions = t[t["kind"].isin(["user-swap", "group-member", "reclaim"])]
        counts = dict.fromkeys(STATUSES, 0)
        counts["failed"] = len(self.failed)
        counts["drifted"] = len(self.drifted)
        counts["pending"] = len(self.held_back | self.by_group) + len(by_design)
        counts["moved"] = len(decisions) - counts["failed"] - counts["drifted"] - len(
            self.held_back | self.by_group)
        direct = sorted(self.held_back | set(self.failed) - self.by_group_failed(t)
                        | by_design)
        group = sorted(self.by_group | self.by_group_failed(t))
        holders = sorted(set(direct) | set(group))
        reasons: list[dict[str, Any]] = []
        if direct:
            reasons.append({"code": "SOURCE_HELD_DIRECT", "users": direct})
        if group:
            reasons.append({"code": "SOURCE_HELD_BY_GROUP", "users": group})
        if holders:
            reasons.append({"code": "SOURCE_CONSUMED_UNITS", "users": holders})
        if self.failed:
            reasons.append({"code": "USERS_FAILED", "users": sorted(self.failed)})
        remaining = self.remaining | _by_design_actions(t, by_design)
        return {
            "tenant": self.tenant,
            "scenario": self.name,
            "description": self.description,
            "safe_to_cancel": not reasons,
            "reasons": reasons,
            "status_counts": counts,
            "errors": {code: sum(1 for c in self.failed.values() if c == code)
                       for code in sorted(set(self.failed.values()))},
            "remaining_actions": len(remaining),
            "remaining_action_ids": sorted(remaining),
        }

    def by_group_failed(self, table: pd.DataFrame) -> set[str]:
        members = set(table.loc[table["kind"] == "group-member", "upn"])
        return set(self.failed) & members


def _by_design(table: pd.DataFrame, after: pd.DataFrame, source: str) -> set[str]:
    """Users the plan itself leaves on E4 (excluded, no usage location) who still hold it."""
    rows = table[table["kind"].isin(["skip", "fix-usage-location"]) & (table["upn"] != "")]
    holders = set(after.loc[after["sku_part_number"] == source, "upn"])
    return set(rows["upn"]) & holders


def _by_design_actions(table: pd.DataFrame, users: set[str]) -> set[str]:
    rows = table[table["kind"].isin(["skip", "fix-usage-location"]) & table["upn"].isin(users)]
    return set(rows["action_id"])


# ---------------------------------------------------------------------------------------------
# the plan the scenarios ran


def scenario_plan(tenant: Tenant) -> Plan:
    """tenant.yaml's plan; when seats are short, the plan after buying the missing licenses
    (the plan table does not depend on seats, only whether it may be written)."""
    plan = build_plan(tenant)
    if not plan.refused:
        return plan
    subs = bought_subscriptions(tenant, plan)
    return build_plan_from_tables(
        tenant.config, tenant.licenses, subs, tenant.catalog,
        users_file_name=tenant.users_file.name, users_sha256=file_sha256(tenant.users_file))


def bought_subscriptions(tenant: Tenant, plan: Plan) -> pd.DataFrame:
    """The tenant's subscriptions with the plan's shortfall of target licenses bought."""
    subs = normalize_subscription_table(tenant.subscriptions)
    target = subs["sku_part_number"] == plan.target["sku_part_number"]
    subs.loc[target, "enabled"] += int(plan.shortfall or 0)
    return subs


def after_subscriptions(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Subscriptions as the admin center shows them after: consumed = users holding each SKU."""
    subs = normalize_subscription_table(before).copy()
    held = after[(after["sku_part_number"] != "") & (after["state"] != "Error")]
    consumed = held.drop_duplicates(["upn", "sku_part_number"]).groupby("sku_part_number").size()
    subs["consumed"] = subs["sku_part_number"].map(consumed).fillna(0).astype("int64")
    return subs


# ---------------------------------------------------------------------------------------------
# the scenarios


def _run(before: pd.DataFrame, plan: Plan, skip: Callable[[pd.DataFrame], pd.Series] | None
         = None) -> pd.DataFrame:
    table = plan.table if skip is None else plan.table[~skip(plan.table)]
    return apply_plan(before, table)


def _restore(after: pd.DataFrame, before: pd.DataFrame, upns: set[str]) -> pd.DataFrame:
    """These users' rows as they were before the plan (their actions did not happen)."""
    kept = after[~after["upn"].isin(upns)]
    return normalize_license_table(pd.concat([kept, before[before["upn"].isin(upns)]],
                                             ignore_index=True))


def _members(plan: Plan) -> pd.DataFrame:
    t = plan.table
    return t[t["kind"] == "group-member"].sort_values("upn")


def build_scenarios(tenant: Tenant, plan: Plan) -> dict[str, Scenario]:
    """Every scenario of this tenant (the names in :data:`SCENARIOS`)."""
    before = normalize_license_table(tenant.licenses)
    as_configured = build_plan(tenant)
    subs0 = (bought_subscriptions(tenant, as_configured) if as_configured.refused
             else tenant.subscriptions)
    t = plan.table
    done = _run(before, plan)
    out: dict[str, Scenario] = {}

    def add(name: str, description: str, after: pd.DataFrame, **kw: Any) -> None:
        after = normalize_license_table(after).sort_values(
            ["upn", "sku_part_number"], kind="stable").reset_index(drop=True)
        out[name] = Scenario(tenant.name, name, description, after,
                             after_subscriptions(subs0, after), **kw)

    left = t[t["kind"].isin(["skip", "fix-usage-location"])
             & (t["reason_code"] != "already-on-target")]
    why = ", ".join(sorted(set(left["reason_code"])))
    add(MAIN, "every batch of the plan run" + (
        f"; {len(left)} user(s) the plan leaves on E4 ({why}) still hold it" if len(left)
        else ""), done)

    # batch 2 not run yet: its users (or groups) still hold E4
    held = t[(t["batch"] == 2)]
    held_users = set(held.loc[held["upn"] != "", "upn"])
    add("some-pending", "batch 2 not run yet", _run(before, plan, lambda x: x["batch"] == 2),
        held_back=held_users, remaining=set(held["action_id"]))

    # the first batch of swaps that add the target (a remove-only row has nothing to fail on)
    swaps = t[(t["kind"] == "user-swap") & (t["add_sku_id"] != "")]
    swaps = swaps[swaps["batch"] == swaps["batch"].min()].sort_values("upn")
    members = _members(plan)
    if len(members) >= 2 and len(swaps) >= 4:
        # four direct swaps and two group members end in an error state, one code each
        direct_users = list(swaps["upn"].iloc[:4])
        member_rows = members.iloc[:2]
        failed = dict(zip(direct_users + list(member_rows["upn"]), ERROR_CODES, strict=True))
        after = _restore(done, before, set(failed))
        errors = []
        for upn, code in failed.items():
            row = t[(t["upn"] == upn)].iloc[0]
            groups = ()
            if row["kind"] == "group-member":
                groups = (row["group_id"],)
            errors.append({
                **after[after["upn"] == upn].iloc[0][["upn", "user_id", "display_name",
                                                      "department", "usage_location",
                                                      "account_enabled"]].to_dict(),
                "sku_part_number": plan.target["sku_part_number"],
                "sku_id": plan.target["sku_id"], "product_name": plan.target["sku_id"],
                "assigned_directly": not groups, "group_ids": groups, "disabled_plans": (),
                "state": "Error", "error": code,
            })
        after = pd.concat([after, pd.DataFrame(errors)], ignore_index=True)
        group_ids = set(t.loc[t["upn"].isin(member_rows["upn"]), "group_id"])
        add("failed-each-code", "four direct swaps and two group members failed, one per Graph "
            "error code; E4 still assigned", after, failed=failed,
            remaining=set(t.loc[t["upn"].isin(failed) & (t["kind"] != "set-usage-location"),
                                "action_id"])
            | set(t.loc[(t["kind"] == "group-swap") & t["group_id"].isin(group_ids),
                        "action_id"]))

        # the first group swap ran, but Entra has processed only half of its members
        gid = members["group_id"].iloc[0]
        group_members = members[members["group_id"] == gid]
        waiting = group_members.iloc[::2]
        after = _restore(done, before, set(waiting["upn"]))
        add("group-processing", f"group {gid} swapped; Entra has not processed every other "
            "member yet (they still hold E4 through the group)", after,
            by_group=set(waiting["upn"]),
            remaining=set(waiting["action_id"])
            | set(t.loc[(t["kind"] == "group-swap") & (t["group_id"] == gid), "action_id"]))

        # someone changed apps on three moved users by hand
        planned_off = t[(t["kind"] == "user-swap")
                        & (t["disabled_plans_after"].map(len) > 0)]
        plain = t[(t["kind"] == "user-swap") & (t["disabled_plans_after"].map(len) == 0)
                  & ~t["upn"].isin(planned_off["upn"])]
        changes: dict[str, tuple[str, ...]] = {}
        if len(planned_off):
            first = planned_off.iloc[0]
            changes[first["upn"]] = tuple(first["disabled_plans_after"][1:])  # one turned on
        if len(planned_off) > 1:
            changes[planned_off.iloc[1]["upn"]] = ()  # all turned on again
        changes[plain.iloc[0]["upn"]] = ("TEAMS1",)  # an app turned off
        after = done.copy()
        target = plan.target["sku_part_number"]
        for upn, plans in changes.items():
            at = (after["upn"] == upn) & (after["sku_part_number"] == target)
            after.loc[at, "disabled_plans"] = pd.Series([plans] * int(at.sum()),
                                                        index=after.index[at], dtype=object)
        add("drift", "apps changed by hand on three moved users", after,
            drifted=set(changes))
    return {k: v for k, v in out.items() if k in SCENARIOS.get(tenant.name, ())}


# ---------------------------------------------------------------------------------------------
# files


def users_path(tenant: str, scenario: str) -> Path:
    if scenario == MAIN:
        return TENANTS_DIR / tenant / "after" / "users.json"
    return SCENARIOS_DIR / tenant / scenario / "users.json"


def expected_path(tenant: str, scenario: str) -> Path:
    name = "verify.json" if scenario == MAIN else f"verify-{scenario}.json"
    return EXPECTED_DIR / tenant / name


def plan_path(tenant: str) -> Path:
    return SCENARIOS_DIR / tenant / "plan" / "plan.json"


PLAN_FILES = ("plan.json", "plan.csv")
"""What is stored of each scenario plan (the rest of the artifacts is made from these)."""


def cases() -> list[tuple[str, str]]:
    return [(t, s) for t, names in SCENARIOS.items() for s in names]


def write_all() -> list[Path]:
    """Write every scenario's exports, plan and expected verdict (deterministic bytes)."""
    written = []
    for name in SCENARIOS:
        tenant = load_tenant(TENANTS_DIR / name)
        plan = scenario_plan(tenant)
        path = plan_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        files = render_artifacts(plan)
        for stored in PLAN_FILES:  # the plan as load_plan reads it: header and actions
            path.with_name(stored).write_bytes(files[stored])
            written.append(path.with_name(stored))
        for scenario in build_scenarios(tenant, plan).values():
            users = users_path(name, scenario.name)
            write_users(scenario.after, users, "graph-json", catalog=tenant.catalog)
            subs = write_subscriptions(scenario.subscriptions,
                                       users.with_name("subscriptions.json"), "graph-json")
            exp = expected_path(name, scenario.name)
            exp.parent.mkdir(parents=True, exist_ok=True)
            exp.write_text(json.dumps(scenario.expected(plan), indent=2) + "\n",
                           encoding="utf-8")
            written += [users, subs, exp]
    return written


if __name__ == "__main__":
    for p in write_all():
        print(p.relative_to(REPO))
