"""Glue for the four notebooks: one ``init()`` call and the small helpers their cells call.

The notebooks are a second face over the same functions the CLI calls. Each helper here turns
notebook parameters (papermill literals, where ``""``, ``0`` and ``[]`` mean "use tenant.yaml")
into a call into the package, and turns results into something a cell can show. Nothing here
decides a rule; a helper that would need one calls the module that owns it.
"""

from __future__ import annotations

import dataclasses
import html
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from playbook.errors import InputError
from playbook.tenant import Tenant, load_tenant

STEPS = {"assessment": "01", "counts": "02", "plan": "03", "verification": "04"}
"""Run-record step names (``<run_dir>/steps/<step>.json``) and the notebook writing each."""


# -- setup -----------------------------------------------------------------------------------
def init() -> None:
    """Prepare a notebook kernel: tables wide enough to read plan rows.

    Bad input needs no hook here: :class:`InputError` renders itself in IPython as its one
    line (``_render_traceback_``), and the cell still fails, so papermill and nbval stop there.
    """
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)


# -- parameters ------------------------------------------------------------------------------
def overrides(**params: Any) -> dict[str, Any]:
    """The parameters that override tenant.yaml: drop ``""``, ``0``, ``[]``, ``None``, False.

    ``False`` is dropped too, so ``reclaim_blocked: bool = False`` means "as tenant.yaml says"
    and only ``True`` switches it on from the notebook.
    """
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None or value is False or value == "" or value == 0:
            continue
        if isinstance(value, list | tuple):
            if not value:
                continue
            value = tuple(value)
        out[key] = value
    return out


def load(tenant_dir: str | Path, *, sku_reference: str = "", **params: Any) -> Tenant:
    """Load the tenant folder with the notebook's parameters laid over tenant.yaml."""
    if not str(tenant_dir).strip():
        raise InputError("parameter tenant_dir", "is empty", column="tenant_dir",
                         fix="set tenant_dir to a folder holding tenant.yaml and users.*")
    return load_tenant(tenant_dir, sku_reference=sku_reference or None,
                       overrides=overrides(**params) or None)


def with_choices(tenant: Tenant, **params: Any) -> Tenant:
    """The same loaded tenant with other tenant.yaml values (a widget's choices), re-validated.

    Reusing the loaded tables keeps a widget change to the cost of the rules, not of reading
    the export again.
    """
    return dataclasses.replace(tenant, config=tenant.config.with_overrides(**overrides(**params)))


def parse_date(text: str, name: str = "start_date") -> date | None:
    """``YYYY-MM-DD`` to a date; ``""`` is no date (deadlines read "from the day you start")."""
    if not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"parameter {name}", "not a date", column=name, value=text,
                         fix="use YYYY-MM-DD, e.g. 2026-12-01, or leave it empty") from None


def shown_path(path: str | Path, start: str | Path | None = None) -> str:
    """A path as the notebook should print it: relative to the notebook when it can be.

    Committed outputs must not carry machine paths (``/home/...``); a path outside the
    notebook's tree is shown by name only.
    """
    p = Path(path)
    base = Path(start) if start is not None else Path.cwd()
    if not p.is_absolute():
        return p.as_posix()
    try:
        return Path(os.path.relpath(p, base)).as_posix()
    except ValueError:  # another drive on Windows
        return p.name


def record(run_dir: str, step: str, result: Any) -> Path | None:
    """Save a step's result for the run record (no-op outside a papermill run)."""
    from playbook.report import save_step

    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; steps are {', '.join(STEPS)}")
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return save_step(run_dir or None, step, data)


# -- step 1: eligibility ---------------------------------------------------------------------
def assess(tenant: Tenant, start_date: date | None = None) -> Any:
    """The eligibility verdict (``playbook.eligibility.assess``)."""
    from playbook.eligibility import assess as run_assessment

    return run_assessment(tenant, start_date=start_date)


def findings_table(assessment: Any) -> pd.DataFrame:
    """The findings as a table (severity, code, message, remedy, Microsoft source), in order."""
    cols = ["severity", "code", "message", "remedy", "source"]
    rows = [{c: getattr(f, c, "") for c in cols} for f in assessment.findings]
    return pd.DataFrame(rows, columns=cols)


def comparison_view(tenant: Tenant) -> pd.DataFrame:
    """The five-option comparison with yes/no and joined lists, as an admin reads it."""
    from playbook.eligibility import compare_targets
    from playbook.messages import text

    lang = tenant.config.language
    table = compare_targets(tenant.catalog, tenant.config.source).copy()
    for col in table.columns:
        if table[col].dtype == bool:
            table[col] = table[col].map(lambda v: text("ui.yes" if v else "ui.no", lang))
    if "lacks" in table.columns:
        table["lacks"] = table["lacks"].map(lambda t: ", ".join(t) or "-")
    return table


def target_options(tenant: Tenant) -> list[tuple[str, str]]:
    """The plans E4 customers may move to, as (label, part number) for a picker."""
    return [(f"{s.display_name or s.part_number} ({s.part_number})", s.part_number)
            for s in tenant.catalog.targets]


@dataclasses.dataclass(frozen=True)
class ShortVerdict:
    """The picker's view of an assessment: route, then one line per finding (no tables)."""

    assessment: Any

    def to_text(self) -> str:
        from playbook.messages import message, text

        a = self.assessment
        lang = a.language
        lines = [f"{a.target_name or a.target} ({a.target})", message(f"ui.path.{a.path}", lang)]
        if not a.findings:
            lines.append(text("ui.no_findings", lang))
        for f in a.findings:
            lines.append(f"  {text(f'ui.severity.{f.severity}', lang)}: [{f.code}] {f.message}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return self.assessment.to_dict()


def target_picker(tenant: Tenant, start_date: date | None = None) -> Any:
    """The step-1 picker, seeded from the loaded tenant; a change re-runs the assessment.

    It opens showing the verdict for the tenant's own choices, so a change is visible.
    """
    from playbook.widgets import TargetPicker

    def on_change(choice: Mapping[str, str]) -> ShortVerdict:
        return ShortVerdict(assess(with_choices(tenant, **choice), start_date))

    cfg = tenant.config
    target = tenant.catalog.get(cfg.target).part_number
    picker = TargetPicker(target_options(tenant), target=target,
                          purchase_channel=cfg.purchase_channel,
                          payment_method=cfg.payment_method,
                          comparison=comparison_view(tenant), on_change=on_change)
    picker.refresh()
    return picker


# -- step 2: license count -------------------------------------------------------------------
def count(tenant: Tenant) -> Any:
    """The seat count (``playbook.counting.count_licenses``) for the loaded tenant."""
    from playbook.counting import count_licenses

    return count_licenses(tenant.config, tenant.licenses, tenant.subscriptions, tenant.catalog)


def count_text(tenant: Tenant, counts: Any, start_date: date | None = None) -> str:
    """The count as plain text in the tenant's language; unknown figures named, never zero."""
    from playbook.counting import COUNT_KEYS
    from playbook.messages import text

    lang = tenant.config.language
    target = tenant.catalog.display_name(tenant.config.target)
    lines = [f"{text('ui.counts', lang)}: {tenant.name} ({target})"]
    labels = {k: text(f"ui.count.{k}", lang) for k in COUNT_KEYS}
    width = max(len(v) for v in labels.values())
    unknown = text("ui.unknown", lang)
    for key in COUNT_KEYS:
        value = getattr(counts, key)
        lines.append(f"  {labels[key]:<{width}}  {unknown if value is None else value}")
    need = getattr(counts, "need_target", None)
    if need is not None:
        when = f"before {start_date.isoformat()}" if start_date else "before the first batch"
        lines.append(f"Users who need a target license: {need} (free licenses needed {when}).")
    if counts.unknown:
        lines.append(f"{unknown.capitalize()}: " + ", ".join(counts.unknown)
                     + " (add a subscriptions export to the tenant folder to know them).")
    return "\n".join(lines)


def seat_table(tenant: Tenant, counts: Any) -> pd.DataFrame:
    """Seats of E4 and of the target: purchased, assigned and needed (None = unknown).

    E4 "assigned" is its holders in the users export; the target's "needed" is what it must
    hold once everyone has moved (assigned now + users still to move). E4 needs none after.
    """
    source = tenant.catalog.get(tenant.config.source)
    target = tenant.catalog.get(tenant.config.target)
    needed = (None if counts.target_consumed is None
              else counts.target_consumed + counts.need_target)
    return pd.DataFrame({
        "sku": [source.display_name or source.part_number,
                target.display_name or target.part_number],
        "purchased": [counts.source_purchased, counts.target_purchased],
        "assigned": [counts.source_users, counts.target_consumed],
        "needed": [0, needed],
    }, dtype=object)


def show_figure(fig: Any) -> None:
    """Show a chart as a PNG image (no pyplot state, same bytes for the same data)."""
    from IPython.display import Image, display

    from playbook.charts import png

    display(Image(data=png(fig)))


def text_table(frame: pd.DataFrame) -> str:
    """A small table as plain text for checked cells: text left, numbers right, no index."""
    if frame.empty:
        return "(none)"
    cells = {c: [str(v) for v in frame[c]] for c in frame.columns}
    widths = {c: max(len(str(c)), *(len(v) for v in vals)) for c, vals in cells.items()}
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns}

    def fmt(c: str, v: str) -> str:
        return v.rjust(widths[c]) if numeric[c] else v.ljust(widths[c])

    lines = ["  ".join(fmt(c, str(c)) for c in frame.columns)]
    for i in range(len(frame)):  # a summary table: a handful of rows
        lines.append("  ".join(fmt(c, cells[c][i]) for c in frame.columns))
    return "\n".join(line.rstrip() for line in lines)


# -- step 3: reassignment plan ---------------------------------------------------------------
PLAN_VIEW_COLUMNS = (
    "action_id", "kind", "batch", "upn", "group_id", "members", "department", "usage_location",
    "new_usage_location", "add_sku_part_number", "remove_sku_part_number",
    "disabled_plans_after", "unmapped_plans", "reason",
)


def build_plan(tenant: Tenant) -> Any:
    """The reassignment plan for the loaded tenant (parameters already laid over tenant.yaml)."""
    from playbook.planning import build_plan as make_plan

    return make_plan(tenant)


def plan_view(plan: Any, kind: str | None = None) -> pd.DataFrame:
    """The plan table with the columns an admin reads (tuples shown as ``a, b``)."""
    table = plan.table
    if kind is not None:
        table = table[table["kind"] == kind]
    view = table[[c for c in PLAN_VIEW_COLUMNS if c in table.columns]].copy()
    for col in ("disabled_plans_after", "unmapped_plans"):
        if col in view.columns:
            view[col] = view[col].map(lambda t: ", ".join(t))
    return view.reset_index(drop=True)


def mapping_table(plan: Any, catalog: Any) -> pd.DataFrame:
    """Disabled plans side by side: each E4 plan someone had turned off and its target twin.

    One row per E4 plan with the number of plan rows (users or groups) that had it off, mapped
    by the planning module's own rule; an empty ``target_plan`` is a decision for the admin.
    """
    from playbook.planning import map_disabled_plans

    cols = ["e4_plan", "target_plan", "users", "decision"]
    table = plan.table
    before = table.loc[table["disabled_plans_before"].map(len) > 0, "disabled_plans_before"]
    if before.empty:
        return pd.DataFrame(columns=cols)
    source = catalog.get(plan.source["sku_part_number"])
    target = catalog.get(plan.target["sku_part_number"])
    users = before.explode().value_counts()
    rows = []
    for name, n in sorted(users.items()):  # a few dozen service plans at most, not users
        twin = map_disabled_plans([name], source, target, catalog).names
        rows.append({"e4_plan": name, "target_plan": twin[0] if twin else "", "users": int(n),
                     "decision": "" if twin else
                     "no twin in the target: decide to drop it or buy an add-on"})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["decision", "e4_plan"], ascending=[False, True]).reset_index(
        drop=True)


def plan_filter(tenant: Tenant) -> Any:
    """The step-3 filter, seeded from the loaded tenant; a change rebuilds the plan.

    The widget's lists replace tenant.yaml's outright (an empty list included), so putting
    every excluded user back really plans for everyone.
    """
    from playbook.widgets import PlanFilter

    def on_change(choice: Mapping[str, list[str]]) -> Any:
        config = tenant.config.with_overrides(exclude_users=tuple(choice["exclude_users"]),
                                              only_departments=tuple(choice["only_departments"]))
        return build_plan(dataclasses.replace(tenant, config=config))

    table = tenant.licenses
    return PlanFilter(table["upn"].unique(), table["department"].unique(),
                      exclude_users=tenant.config.exclude_users,
                      only_departments=tenant.config.only_departments, on_change=on_change)


def artifact_folder(out_dir: str, run_dir: str) -> Path | None:
    """Where a papermill run writes the plan without a click: ``out_dir`` else ``run_dir``."""
    folder = out_dir or run_dir
    return Path(folder) if folder else None


def write_plan(plan: Any, folder: str | Path) -> Path:
    """Write the plan's artifacts to ``<folder>/plan/``; a refused plan writes nothing."""
    if plan.refused:
        raise InputError(folder, "the plan is refused, so no artifacts were written",
                         fix="buy the missing seats (see the summary) and build the plan again")
    from playbook.artifacts import write_artifacts

    return Path(write_artifacts(plan, Path(folder)))


def write_plan_if_asked(plan: Any, *, out_dir: str = "", run_dir: str = "") -> Path | None:
    """The no-click path of a papermill run: write to ``out_dir`` or ``run_dir`` when set.

    Returns where the files went, or None when nothing was asked or the plan is refused (a
    refused plan is in the run record with its reason; no half-usable files are written).
    """
    folder = artifact_folder(out_dir, run_dir)
    if folder is None or plan.refused:
        return None
    return write_plan(plan, folder)


def artifact_button(plan: Any, plan_filter: Any = None, out_dir: str = "",
                    written: Path | None = None) -> Any:
    """The "Write artifacts" button: writes the plan as narrowed by ``plan_filter``, if any.

    The button is disabled while the plan shown is refused for seats, and follows the filter:
    narrowing a refused plan until it fits the free seats enables it again. ``written`` is
    where a papermill run already wrote the plan (shown under the button).
    """
    from playbook.widgets import ArtifactButton

    current = {"plan": plan}
    button = ArtifactButton(lambda folder: write_plan(current["plan"], folder), out_dir,
                            blocked=_refusal(plan))
    if written is not None:
        button.mark_written(written)
    if plan_filter is not None:
        rebuild = plan_filter.on_change

        def follow(choice: Mapping[str, list[str]]) -> Any:
            result = rebuild(choice)
            if result is not None:
                current["plan"] = result
                button.block(_refusal(result))
            return result

        plan_filter.on_change = follow
    return button


def _refusal(plan: Any) -> str:
    return "Refused for seats: nothing can be written." if plan.refused else ""


# -- step 4: verification --------------------------------------------------------------------
def after_export(tenant: Tenant, after: str = "") -> Path:
    """The 'after' users export: the parameter, else ``<tenant>/after/users.*``."""
    from playbook.tenant import find_export

    if after:
        return Path(after)
    found = find_export(tenant.path / "after", "users") if (tenant.path / "after").is_dir() \
        else None
    if found is None:
        raise InputError(tenant.path / "after", "no users.* export taken after the move",
                         fix="export users again after reassigning and save it as "
                         "<tenant>/after/users.csv, or set after_export")
    return found


def plan_dir_for(plan_dir: str, run_dir: str) -> Path | None:
    """The plan to verify against: the parameter, else ``<run_dir>/plan`` when it exists."""
    if plan_dir:
        return Path(plan_dir)
    if run_dir and (Path(run_dir) / "plan" / "plan.json").is_file():
        return Path(run_dir) / "plan"
    return None


def plan_for_verification(tenant: Tenant, *, plan_dir: str = "",
                          run_dir: str = "") -> tuple[Any, str]:
    """The plan to verify against and a line saying where it came from.

    A written plan (``plan_dir``, else ``<run_dir>/plan``) wins; without one the plan is
    rebuilt from the tenant's before export with tenant.yaml's settings, which gives the same
    plan every time, and the line says so.
    """
    from playbook.plan.store import load_plan
    from playbook.verification import find_plan

    folder = plan_dir_for(plan_dir, run_dir)
    if folder is None:
        plan = build_plan(tenant)
        return plan, (f"Plan: rebuilt from {tenant.users_file.name} with tenant.yaml's settings "
                      "(no plan_dir given and no plan in run_dir).")
    plan_json = find_plan(tenant.name, folder, Path(run_dir or "."))
    plan = load_plan(plan_json.parent)
    planned_for = str(getattr(plan, "tenant", "") or "")
    if planned_for and planned_for != tenant.name:
        raise InputError(plan_json, f"the plan was made for tenant '{planned_for}'",
                         value=tenant.name, fix="set plan_dir to this tenant's plan folder")
    return plan, f"Plan: {plan_json.parent.as_posix()} (written by step 3)"


def verify(tenant: Tenant, plan: Any, after: str | Path) -> Any:
    """Verify the plan against the after export (a file, or a folder holding users.*).

    Same reading and checks as ``e4-playbook verify``: an after export byte-identical to the
    before export cannot show a move and is refused (exit 4 in a run), not reported as
    "nothing moved".
    """
    from playbook.verification import verify_plan

    return verify_plan(tenant, plan, after=Path(after))


DONE_STATUSES = ("moved", "drifted")
"""Statuses whose user is off E4 and on the target (drifted: settings differ from the plan)."""


def progress_table(verification: Any, plan: Any = None) -> pd.DataFrame:
    """Per batch of the plan: users moved (off E4, on the target) and users still to move.

    With the ``plan``, a user who inherits E4 from a group counts in the batch of the group's
    swap. Batch 0 (last) holds the planned users no batch runs: held back, skipped or
    decisions; they keep E4 until the admin acts, so they count as remaining.
    """
    status = verification.status
    planned = status[status["action_id"] != ""]
    batch = planned["batch"].astype(int)
    if plan is not None:
        table = plan.table
        swaps = table[table["kind"] == "group-swap"].set_index("group_id")["batch"]
        members = table[table["kind"] == "group-member"].set_index("action_id")["group_id"]
        by_group = planned["action_id"].map(members).map(swaps)
        batch = by_group.fillna(batch).astype(int)
    done = planned["status"].isin(DONE_STATUSES)
    out = pd.DataFrame({"batch": batch, "moved": done, "remaining": ~done})
    out = out.groupby("batch", sort=True)[["moved", "remaining"]].sum().astype(int)
    out = out.reset_index()
    return pd.concat([out[out["batch"] > 0], out[out["batch"] == 0]], ignore_index=True)


def status_summary(verification: Any) -> pd.DataFrame:
    """Users per status, in the verification's order, with the most common fix for each."""
    from playbook.verification import STATUSES

    status = verification.status
    fixes = status[status["fix"] != ""].groupby("status")["fix"].agg(
        lambda s: s.value_counts().index[0])
    counts = verification.status_counts
    return pd.DataFrame({
        "status": list(STATUSES),
        "users": [int(counts.get(s, 0)) for s in STATUSES],
        "fix": [fixes.get(s, "") for s in STATUSES],
    })


def status_tables(verification: Any) -> dict[str, pd.DataFrame]:
    """Users per status, each row with its fix (what the status browser shows)."""
    from playbook.verification import STATUSES

    status = verification.status
    cols = [c for c in ("upn", "action_id", "batch", "kind", "detail", "fix", "error")
            if c in status.columns]
    return {s: status.loc[status["status"] == s, cols].reset_index(drop=True)
            for s in STATUSES}


def status_browser(verification: Any) -> Any:
    """The step-4 browser, opened on the first status that still needs work."""
    from playbook.widgets import StatusBrowser

    tables = status_tables(verification)
    first = next((s for s in tables if s not in DONE_STATUSES and len(tables[s])), "")
    return StatusBrowser(tables, status=first)


def checklist_table(verification: Any) -> pd.DataFrame:
    """The cancellation checklist as a table: what to do, and the Microsoft source tag."""
    return pd.DataFrame([item.to_dict() for item in verification.checklist],
                        columns=["code", "text", "source"])


def gate_banner(verification: Any) -> None:
    """Show the cancellation gate as a large yes or no, with its reasons under it."""
    from IPython.display import HTML, display

    from playbook.verification import REASON_TEXT

    part = verification.source_part
    if verification.safe_to_cancel:
        head = f"YES: {part} can be cancelled"
        color = "#2e7d32"
    else:
        head = f"NO: do not cancel {part} yet"
        color = "#c62828"
    items = "".join(
        f"<li>{len(users)} {html.escape(REASON_TEXT.get(code, code))} ({html.escape(code)})</li>"
        for code, users in verification.reasons)
    display(HTML(f"<h3 style='color:{color}'>{html.escape(head)}</h3>"
                 + (f"<ul>{items}</ul>" if items else "")))
