"""Where a tenant stands, decided from its run records alone (no I/O here).

A run record is the ``result.json`` of one run folder (see :mod:`playbook.report`). A tenant may
have many: day 1 assesses and plans, day 5 verifies a half-done move, day 9 verifies again. The
fleet summary and ``e4-playbook status`` both read the same records through
:func:`merge_records` and :func:`standing`, so the two can never disagree and no tenant's state
lives anywhere but its run folders.

Step results are read by the keys of the step contracts (``assess --json``, ``plan.json``'s
``summary``, ``verify --json``). Where a key is missing the figure is ``None`` ("unknown"),
never a guess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

STEP_KEYS: tuple[str, ...] = ("assessment", "counts", "plan", "verification")

# Sort ranks: the lower, the sooner a human must look. Ready to cancel comes last.
RANK_FAILED = 0
RANK_BAD_INPUT = 1
RANK_CONTACT_PARTNER = 2
RANK_REFUSED_FOR_SEATS = 3
RANK_BLOCKERS = 4
RANK_GATE_SHUT = 5
RANK_PLANNED = 6
RANK_ASSESSED = 7
RANK_NOT_RUN = 8
RANK_READY_TO_CANCEL = 9
NEEDS_HUMAN_BELOW = RANK_PLANNED  # ranks under this are problems, not routine next steps


@dataclass(frozen=True)
class Standing:
    """One tenant's position: a stage an admin recognizes, why, and what to do next.

    ``stage`` is one of ``failed`` | ``blocked`` | ``partly-moved`` | ``planned`` |
    ``assessed`` | ``ready-to-cancel`` | ``not-run``; ``label`` is the same in words
    (``partly moved (12 of 40)``, ``blocked (contact partner)``).
    """

    stage: str
    label: str
    why: str
    next_action: str
    rank: int
    moved: int | None = None
    total: int | None = None

    @property
    def needs_human(self) -> bool:
        return self.rank < NEEDS_HUMAN_BELOW

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["needs_human"] = self.needs_human
        return data


# ---------------------------------------------------------------------------------------------
# reading step results by their contract keys


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _first_int(*candidates: tuple[dict[str, Any], str]) -> int | None:
    for source, key in candidates:
        value = _int(source.get(key))
        if value is not None:
            return value
    return None


def counts_of(view: dict[str, Any]) -> dict[str, Any]:
    """The license counts: the counts step, else the counts inside the assessment."""
    counts = _as_dict(view.get("counts"))
    if isinstance(counts.get("counts"), dict):  # a step saved as {"counts": {...}}
        counts = counts["counts"]
    return counts or _as_dict(_as_dict(view.get("assessment")).get("counts"))


def plan_summary_of(view: dict[str, Any]) -> dict[str, Any]:
    plan = _as_dict(view.get("plan"))
    return _as_dict(plan.get("summary")) or plan


def blockers_of(view: dict[str, Any]) -> list[str]:
    """Codes of the assessment's blocker findings, in the assessment's order."""
    findings = _as_dict(view.get("assessment")).get("findings") or []
    return [str(f.get("code", "")) for f in findings
            if isinstance(f, dict) and f.get("severity") == "blocker"]


def plan_refused(view: dict[str, Any]) -> bool:
    """True when the plan step refused to produce artifacts for lack of seats."""
    plan = _as_dict(view.get("plan"))
    if not plan:
        return False
    for source in (plan, plan_summary_of(view)):
        if isinstance(source.get("refused"), bool):
            return source["refused"]
    return (shortfall_of(view) or 0) > 0


def shortfall_of(view: dict[str, Any]) -> int | None:
    plan, summary, counts = _as_dict(view.get("plan")), plan_summary_of(view), counts_of(view)
    return _first_int((summary, "shortfall"), (plan, "shortfall"), (counts, "shortfall"))


def to_buy_of(view: dict[str, Any]) -> int | None:
    counts = counts_of(view)
    value = _int(counts.get("to_buy"))
    return value if value is not None else shortfall_of(view)


def batches_of(view: dict[str, Any]) -> int | None:
    plan, summary = _as_dict(view.get("plan")), plan_summary_of(view)
    return _first_int((summary, "batches"), (plan, "batches"))


def users_to_move_of(view: dict[str, Any]) -> int | None:
    """Users the plan moves off E4, else the E4 users it found, else the assessment's count."""
    plan, summary, counts = _as_dict(view.get("plan")), plan_summary_of(view), counts_of(view)
    return _first_int((summary, "users_moved"), (summary, "e4_users"),
                      (summary, "seats_needed"), (plan, "seats_needed"),
                      (counts, "source_users"))


def gate_of(view: dict[str, Any]) -> str:
    """``open``, ``shut: <reason codes>`` or ``not verified``."""
    verification = _as_dict(view.get("verification"))
    if not verification:
        return "not verified"
    if verification.get("safe_to_cancel") is True:
        return "open"
    codes = [str(r.get("code")) for r in verification.get("reasons") or [] if isinstance(r, dict)]
    return "shut: " + ", ".join(codes) if codes else "shut"


def progress_of(view: dict[str, Any]) -> tuple[int | None, int | None]:
    """(users off E4, users in the plan) from the verification.

    Per-user figures (``users_moved`` / ``users_planned``) win when the verification gives
    them; otherwise the status counts (one per planned action and user) are used: ``drifted``
    rows hold the target without E4 (only their disabled plans differ), so they count as moved;
    ``unexpected`` rows were never in the plan, so they are not in ``m``.
    """
    verification = _as_dict(view.get("verification"))
    n, m = _int(verification.get("users_moved")), _int(verification.get("users_planned"))
    if n is not None and m is not None:
        return n, m
    counts = _as_dict(verification.get("status_counts"))
    if not counts:
        return None, None
    get = {k: _int(counts.get(k)) or 0 for k in
           ("moved", "drifted", "pending", "partial", "failed")}
    return get["moved"] + get["drifted"], sum(get.values())


# ---------------------------------------------------------------------------------------------
# many records -> one view -> one standing


def merge_records(records: list[dict[str, Any]]) -> dict[str, Any]:
    """One view of a tenant from its records, newest first.

    Each step's result comes from the newest record that has it, except that a verification
    older than the plan in use is dropped (it checked a plan that no longer applies). Run
    metadata (status, error, times) comes from the newest record. ``last_good`` keeps the
    newest record that completed, for "failed (last good: planned)".
    """
    if not records:
        return {}
    newest = records[0]
    view: dict[str, Any] = {k: v for k, v in newest.items() if k not in STEP_KEYS}
    origin: dict[str, int] = {}
    for key in STEP_KEYS:
        for index, record in enumerate(records):
            if record.get(key):
                view[key], origin[key] = record[key], index
                break
        else:
            view[key] = None
    if "plan" in origin and "verification" in origin and origin["verification"] > origin["plan"]:
        view["verification"] = None
    view["runs"] = len(records)
    return view


def standing(view: dict[str, Any]) -> Standing:
    """Where the tenant stands and what the admin must do next."""
    if not view:
        return Standing("not-run", "not run", "no run record yet",
                        "run: e4-playbook batch (or run) on this tenant", RANK_NOT_RUN)
    status = view.get("status")
    if status == "bad-input":
        error = view.get("error") or "bad input"
        return Standing("blocked", "blocked (bad input)", error,
                        "fix the input named in the error, then re-run", RANK_BAD_INPUT)
    if status == "failed":
        where = view.get("failed_notebook") or f"step {view.get('failed_step')}"
        cell = view.get("failed_cell")
        where += f", cell {cell}" if cell is not None else ""
        last_good = _earlier_stage(view)
        why = f"failed in {where}: {view.get('error') or 'unknown error'}"
        if last_good:
            why += f" (last good: {last_good})"
        return Standing("failed", "failed", why,
                        "open the executed notebook in the run folder at the failing cell; "
                        "report it if it is a bug", RANK_FAILED)
    return _standing_from_steps(view)


def _earlier_stage(view: dict[str, Any]) -> str:
    """The stage the older records support, ignoring the newest run's failure."""
    if not any(view.get(k) for k in STEP_KEYS):
        return ""
    return _standing_from_steps(view).label


def _standing_from_steps(view: dict[str, Any]) -> Standing:
    assessment = _as_dict(view.get("assessment"))
    blockers = blockers_of(view)
    if assessment.get("path") == "contact-partner":
        return Standing("blocked", "blocked (contact partner)",
                        "E4 was bought through a partner or volume licensing: the upgrade is "
                        "done by them", "contact the partner or Microsoft account rep who sold "
                        "E4", RANK_CONTACT_PARTNER)
    if plan_refused(view):
        short = shortfall_of(view)
        n = f"{short} " if short is not None else ""
        noun = "license" if short == 1 else "licenses"
        return Standing("blocked", "blocked (seats)",
                        f"plan refused: {n}target {noun} missing",
                        f"buy {n}more target {noun} (or limit the plan with max_users / "
                        "only_departments), then re-run", RANK_REFUSED_FOR_SEATS)
    moved, total = progress_of(view)
    if view.get("verification"):
        if _as_dict(view.get("verification")).get("safe_to_cancel") is True:
            return Standing("ready-to-cancel", "ready to cancel",
                            "nobody holds E4 any more; the cancellation gate is open",
                            "follow the cancellation checklist in 04-verify-and-cancel, "
                            "then cancel E4", RANK_READY_TO_CANCEL, moved, total)
        remaining = _int(_as_dict(view.get("verification")).get("remaining_actions"))
        rest = f"{remaining} actions remain" if remaining is not None else "actions remain"
        return Standing("partly-moved", f"partly moved ({moved} of {total})",
                        f"{gate_of(view)}; {rest}",
                        "run the remaining plan in the run folder, export users again into "
                        "after/, re-run", RANK_GATE_SHUT if not blockers else RANK_BLOCKERS,
                        moved, total)
    review = f"; review blockers: {', '.join(blockers)}" if blockers else ""
    rank_if = RANK_BLOCKERS if blockers else None
    if view.get("plan"):
        users, batches = users_to_move_of(view), batches_of(view)
        what = (f"{users if users is not None else '?'} users in "
                f"{batches if batches is not None else '?'} batches")
        return Standing("planned", "planned", what + review,
                        "run the plan batches (plan/ in the run folder), then export users "
                        "into after/ and re-run", rank_if or RANK_PLANNED)
    if assessment or view.get("counts"):
        path = assessment.get("path") or "unknown path"
        return Standing("assessed", "assessed", f"path {path}{review}",
                        "run step 3 to build the plan", rank_if or RANK_ASSESSED)
    return Standing("not-run", "not run", "the record holds no step results",
                    "run the notebooks for this tenant", RANK_NOT_RUN)


# ---------------------------------------------------------------------------------------------
# summary rows

SUMMARY_COLUMNS: tuple[str, ...] = (
    "tenant", "folder", "stage", "needs_human", "upgrade_path", "blockers", "users_to_move",
    "shortfall", "to_buy", "plan_batches", "gate", "run_status", "failed_step", "why",
    "next_action", "last_run", "runs", "record",
)


def summary_row(folder: str, view: dict[str, Any], record_link: str) -> dict[str, Any]:
    """One summary row (keys = :data:`SUMMARY_COLUMNS`); ``None`` means unknown."""
    st = standing(view)
    assessment = _as_dict(view.get("assessment"))
    return {
        "tenant": view.get("tenant") or folder,
        "folder": folder,
        "stage": st.label,
        "needs_human": st.needs_human,
        "upgrade_path": assessment.get("path"),
        "blockers": "; ".join(blockers_of(view)),
        "users_to_move": users_to_move_of(view),
        "shortfall": shortfall_of(view),
        "to_buy": to_buy_of(view),
        "plan_batches": batches_of(view),
        "gate": gate_of(view) if view else "not verified",
        "run_status": view.get("status") or "not-run",
        "failed_step": view.get("failed_step"),
        "why": st.why,
        "next_action": st.next_action,
        "last_run": view.get("run_id"),
        "runs": view.get("runs", 0),
        "record": record_link,
        "_rank": st.rank,
    }


def sort_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tenants needing a human first (failed, bad input, partner, seats, blockers, gate shut),
    ready to cancel last; ties by tenant name so the order is stable."""
    return sorted(rows, key=lambda r: (r.get("_rank", RANK_NOT_RUN), str(r.get("folder"))))
