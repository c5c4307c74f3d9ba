"""Write the tiny fixture notebooks the runner tests execute (same parameters as the real ones).

Run ``python tests/notebooks/make_fixtures.py`` after changing a parameter here. Each notebook
reads ``tenant.yaml`` and ``fixture.json`` from the tenant folder (see tests/test_runner.py's
``make_tenant``), saves a step result shaped like the real step's, and can be told to raise a
bug or an InputError in a chosen step. As in the real notebooks, a tenant.yaml-backed
parameter defaults to ``None``: "as tenant.yaml says".
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

COMMON = '''tenant_dir: str = ""  # tenant folder
run_dir: str = ""  # run folder (papermill runs)
sku_reference: str = ""  # Microsoft's product CSV'''

SETUP = '''import json
from pathlib import Path

from playbook.errors import InputError
from playbook.runs.record import save_step
from playbook.tenant import load_config

config = load_config(Path(tenant_dir) / "tenant.yaml")
scenario = json.loads((Path(tenant_dir) / "fixture.json").read_text())


def maybe_fail(step):
    """The fixture tenant decides where a cell raises: a bug, or bad input."""
    if scenario.get("crash_in_step") == step:
        raise RuntimeError(f"fixture bug in step {step}")
    if scenario.get("hang_in_step") == step:
        import time

        time.sleep(60)
    if scenario.get("silent_crash_in_step") == step:  # a custom hook that shows nothing
        get_ipython().set_custom_exc((ValueError,), lambda *args, **kwargs: [])  # noqa: F821
        raise ValueError("never shown")
    if scenario.get("bad_input_in_step") == step:
        raise InputError(Path(tenant_dir) / "users.csv", "error.tenant.no-users-export", row=3,
                         column="Licenses", value="???")


users = scenario.get("users", 10)
available = scenario.get("available", users)
counts = {"source_users": users, "target_available": available,
          "shortfall": max(0, users - available), "to_buy": max(0, users - available)}'''

def nb(title: str, params: str, body: list[str]) -> nbformat.NotebookNode:
    cells = [new_markdown_cell(f"# Fixture: {title}"),
             new_code_cell(COMMON + ("\n" + params if params else ""),
                           metadata={"tags": ["parameters"]}),
             new_code_cell(SETUP)]
    cells += [new_code_cell(b) for b in body]
    n = new_notebook(cells=cells)
    n.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                "language": "python"}
    return n

P12 = '''target: str | None = None  # plan to move to (None: tenant.yaml)
start_date: str = ""  # YYYY-MM-DD
language: str | None = None  # en | da'''

one = nb("eligibility", P12 + '''
purchase_channel: str | None = None  # direct | partner | volume-licensing
payment_method: str | None = None  # credit-card | invoice''', [
'''maybe_fail(1)
channel = purchase_channel or config.purchase_channel
target = target or config.target
blockers = scenario.get("blockers", [])
path = "contact-partner" if channel != "direct" else ("manual" if blockers else "upgrade-tab")
findings = [{"code": c, "severity": "blocker", "message": c, "evidence": {}} for c in blockers]
print(f"target: {target}")
print(f"verdict: {path}")''',
'''save_step(run_dir, "assessment", {"tenant": config.name, "path": path,
                                   "upgrade_tab_possible": path == "upgrade-tab",
                                   "findings": findings, "counts": counts})'''])

two = nb("license count", P12, [
'''maybe_fail(2)
print(f"shortfall: {counts['shortfall']}")''',
'''save_step(run_dir, "counts", counts)'''])

three = nb("reassign", '''target: str | None = None  # plan to move to
batch_size: int | None = None  # users per batch
exclude_users: list | None = None  # UPNs to leave alone
only_departments: list | None = None  # limit the plan
max_users: int | None = None  # None: as tenant.yaml says (there, none: everyone)
default_usage_location: str | None = None  # e.g. DK
reclaim_blocked: bool | None = None  # remove E4 from blocked accounts
out_dir: str = ""  # where plan/ goes''', [
'''maybe_fail(3)
batch_size = batch_size or config.batch_size
exclude_users = list(config.exclude_users) if exclude_users is None else exclude_users
refused = counts["shortfall"] > 0
summary = {"users_moved": users, "e4_users": users, "seats_needed": users,
           "seats_available": available, "shortfall": counts["shortfall"],
           "batches": -(-users // batch_size)}
actions = [{"action_id": f"U{i:05d}", "upn": f"user{i}@example.com"} for i in range(users)]
decisions = [{"code": "E4_TO_TARGET", "upn": a["upn"]} for a in actions]
plan = {"tenant": config.name, "refused": refused, "shortfall": counts["shortfall"],
        "seats_needed": users, "batch_size": batch_size, "summary": summary,
        "decisions": decisions, "action_count": users}
print(f"batch_size: {batch_size}; exclude_users: {exclude_users}")
print("refused for seats" if refused else f"{users} users in {summary['batches']} batches")''',
'''where = out_dir or run_dir
if where and not refused:  # the fixture's plan.json carries its actions (the real: plan.csv)
    (Path(where) / "plan").mkdir(parents=True, exist_ok=True)
    (Path(where) / "plan" / "plan.json").write_text(json.dumps({**plan, "actions": actions}))
save_step(run_dir, "plan", plan)'''])

four = nb("verify and cancel", '''after_export: str = ""  # after/users.*
plan_dir: str = ""  # the plan to verify against''', [
'''maybe_fail(4)
print(f"plan_dir parameter: {plan_dir}")
the_plan = json.loads((Path(plan_dir) / "plan.json").read_text())
total = len(the_plan["actions"])
moved = json.loads(Path(after_export).read_text())["moved"]
pending = total - moved
held = [f"user{i}@example.com" for i in range(moved, total)]
reasons = [{"code": "SOURCE_HELD_DIRECT", "users": held}] if pending else []
verification = {"tenant": config.name, "safe_to_cancel": pending == 0, "reasons": reasons,
                "status_counts": {"moved": moved, "pending": pending, "partial": 0, "failed": 0,
                                  "drifted": 0, "unexpected": 0},
                "remaining_actions": pending}
print("safe to cancel" if pending == 0 else f"{pending} users still hold E4")''',
'''save_step(run_dir, "verification", verification)'''])

for name, n in [("01-eligibility", one), ("02-license-count", two), ("03-reassign", three),
                ("04-verify-and-cancel", four)]:
    nbformat.write(n, Path(__file__).parent / f"{name}.ipynb")
