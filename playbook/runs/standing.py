"""Where a tenant stands, decided from its run records alone (no I/O here).

A run record is the ``result.json`` of one run folder (:mod:`playbook.runs.record`). A tenant
may have many: day 1 assesses and plans, day 5 verifies a half-done move, day 9 verifies again.
The fleet summary, ``e4-playbook status`` and each run's index page read the same records
through :func:`merge_records` and :func:`standing`, so they can never disagree and no tenant's
state lives anywhere but its run folders.

Step results are read by the keys their producers write: the assessment
(``Assessment.to_dict``: ``path``, ``findings``, ``counts``), the counts
(``LicenseCount.to_dict``), the plan (``Plan.to_dict``: ``refused``, ``summary`` with
``users_moved``, ``batches``, ``shortfall``) and the verification (``Verification.to_dict``:
``safe_to_cancel``, ``reasons``, ``status_counts``, ``remaining_actions``). Where a key is
missing the figure is ``None`` ("unknown"), never a guess.

The words (label, why, next action) are the ``stand.*`` messages in the record's language
(``language``, written by the run from tenant.yaml; English for older records), so a Danish
tenant's ``run``/``status`` lines read Danish while the ``stage`` codes stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbook.counting import UNKNOWN_BUY, BuyFigure
from playbook.messages import LANGUAGES, message
from playbook.steps import RESULT_KEYS, step_for_result

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

_CANCEL_NOTEBOOK = step_for_result("verification").notebook.removesuffix(".ipynb")


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


def unreadable_record(lang: str) -> Standing:
    """A tenant whose run record cannot be read (``why`` is filled with the error), in
    ``lang``: tenant.yaml's, since the record that would name it is the one that cannot be
    read."""
    return Standing("failed", message("stand.unreadable", lang), "",
                    message("stand.unreadable.next", lang), RANK_FAILED)


def language_of(view: dict[str, Any]) -> str:
    """The language the record was written for (tenant.yaml's ``language``), English for
    records from before the run wrote it or with a language the catalog does not have."""
    lang = view.get("language")
    return lang if lang in LANGUAGES else "en"


# ---------------------------------------------------------------------------------------------
# reading step results by their producers' keys


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
    return (_as_dict(view.get("counts"))
            or _as_dict(_as_dict(view.get("assessment")).get("counts")))


def plan_summary_of(view: dict[str, Any]) -> dict[str, Any]:
    """The plan's ``summary`` (its counts), ``{}`` without a plan."""
    return _as_dict(_as_dict(view.get("plan")).get("summary"))


def blockers_of(view: dict[str, Any]) -> list[str]:
    """Codes of the assessment's blocker findings, in the assessment's order."""
    findings = _as_dict(view.get("assessment")).get("findings") or []
    return [str(f.get("code", "")) for f in findings
            if isinstance(f, dict) and f.get("severity") == "blocker"]


def plan_refused(view: dict[str, Any]) -> bool:
    """True when the plan step refused to produce artifacts for lack of seats."""
    return _as_dict(view.get("plan")).get("refused") is True


def shortfall_of(view: dict[str, Any]) -> int | None:
    """Target licenses missing: the plan's figure, else the count's."""
    return _first_int((plan_summary_of(view), "shortfall"), (counts_of(view), "shortfall"))


def to_buy_of(view: dict[str, Any]) -> int | None:
    """The fleet summary's "to buy": step 2's count, else "Buy N" as the plan or assessment
    carries it (:func:`buy_of`, the same figure), else the plan's shortfall (older records)."""
    value = _int(counts_of(view).get("to_buy"))
    if value is None:
        value = buy_of(view).total
    return value if value is not None else shortfall_of(view)


def batches_of(view: dict[str, Any]) -> int | None:
    return _int(plan_summary_of(view).get("batches"))


def users_to_move_of(view: dict[str, Any]) -> int | None:
    """Users the plan moves off E4, else the E4 users the count found."""
    return _first_int((plan_summary_of(view), "users_moved"), (counts_of(view), "source_users"))


def gate_of(view: dict[str, Any], lang: str = "en") -> str:
    """``open``, ``shut: <reason codes>`` or ``not verified`` (in ``lang``; English for the
    fleet summary's CSV, which scripts read)."""
    verification = _as_dict(view.get("verification"))
    if not verification:
        return message("stand.gate.unverified", lang)
    if verification.get("safe_to_cancel") is True:
        return message("stand.gate.open", lang)
    codes = [str(r.get("code")) for r in verification.get("reasons") or [] if isinstance(r, dict)]
    return (message("stand.gate.shut.codes", lang, codes=", ".join(codes)) if codes
            else message("stand.gate.shut", lang))


def progress_of(view: dict[str, Any]) -> tuple[int | None, int | None]:
    """(users off E4, users in the plan) from the verification's status counts.

    One count per planned action and user: ``drifted`` rows hold the target without E4 (only
    their disabled plans differ), so they count as moved; ``unexpected`` rows were never in
    the plan, so they are not in the total.
    """
    counts = _as_dict(_as_dict(view.get("verification")).get("status_counts"))
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
    metadata (status, error, times) comes from the newest record.
    """
    if not records:
        return {}
    newest = records[0]
    view: dict[str, Any] = {k: v for k, v in newest.items() if k not in RESULT_KEYS}
    origin: dict[str, int] = {}
    for key in RESULT_KEYS:
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


def standing(view: dict[str, Any], lang: str | None = None) -> Standing:
    """Where the tenant stands and what the admin must do next, worded in ``lang`` (the
    record's language when not given: :func:`language_of`)."""
    lang = lang or language_of(view)
    if not view:
        return Standing("not-run", message("stand.not-run", lang),
                        message("stand.not-run.why", lang), message("stand.not-run.next", lang),
                        RANK_NOT_RUN)
    status = view.get("status")
    if status == "bad-input":
        error = view.get("error") or message("stand.bad-input.why", lang)
        return Standing("blocked", message("stand.bad-input", lang), error,
                        message("stand.bad-input.next", lang), RANK_BAD_INPUT)
    if status == "failed":
        where = (view.get("failed_notebook")
                 or message("stand.failed.step", lang, step=str(view.get("failed_step"))))
        cell = view.get("failed_cell")
        if cell is not None:
            where = message("stand.failed.cell", lang, where=where, cell=str(cell))
        last_good = _earlier_stage(view, lang)
        why = message("stand.failed.why", lang, where=where,
                      error=view.get("error") or message("stand.failed.unknown", lang))
        if last_good:
            why = message("stand.failed.last_good", lang, why=why, stage=last_good)
        return Standing("failed", message("stand.failed", lang), why,
                        message("stand.failed.next", lang), RANK_FAILED)
    return _standing_from_steps(view, lang)


def _earlier_stage(view: dict[str, Any], lang: str) -> str:
    """The stage the older records support, ignoring the newest run's failure."""
    if not any(view.get(k) for k in RESULT_KEYS):
        return ""
    return _standing_from_steps(view, lang).label


def _standing_from_steps(view: dict[str, Any], lang: str) -> Standing:
    assessment = _as_dict(view.get("assessment"))
    if assessment.get("path") == "contact-partner":
        return Standing("blocked", message("stand.partner", lang),
                        message("stand.partner.why", lang), message("stand.partner.next", lang),
                        RANK_CONTACT_PARTNER)
    if plan_refused(view):
        return _refused_for_seats(view, lang)
    if view.get("verification"):
        return _verified(view, lang)
    blockers = blockers_of(view)

    def reviewed(what: str) -> str:
        return (message("stand.review", lang, what=what, codes=", ".join(blockers))
                if blockers else what)

    rank_if = RANK_BLOCKERS if blockers else None
    if view.get("plan"):
        users, batches = users_to_move_of(view), batches_of(view)
        what = message("stand.planned.why", lang, users=users if users is not None else "?",
                       batches=batches if batches is not None else "?")
        return Standing("planned", message("stand.planned", lang), reviewed(what),
                        message("stand.planned.next", lang), rank_if or RANK_PLANNED)
    if assessment or view.get("counts"):
        path = assessment.get("path") or message("stand.assessed.unknown_path", lang)
        return Standing("assessed", message("stand.assessed", lang),
                        reviewed(message("stand.assessed.why", lang, path=path)),
                        message("stand.assessed.next", lang), rank_if or RANK_ASSESSED)
    return Standing("not-run", message("stand.not-run", lang), message("stand.empty.why", lang),
                    message("stand.empty.next", lang), RANK_NOT_RUN)


def buy_of(view: dict[str, Any]) -> BuyFigure:
    """"Buy N" (:class:`playbook.counting.BuyFigure`): the plan's copy of counting's figure,
    else the assessment's; unknown when neither record has it."""
    for holder in (plan_summary_of(view), _as_dict(view.get("assessment"))):
        b = _as_dict(holder.get("buy"))
        if _int(b.get("total")) is not None:
            return BuyFigure(_int(b.get("total")), _int(b.get("now")),
                             _int(b.get("once_usage_locations_set")))
    return UNKNOWN_BUY


def _refused_for_seats(view: dict[str, Any], lang: str) -> Standing:
    """The manual route waits for licences: say how many to buy (the one "Buy N" figure), not
    "blocked": buying them is the routine next step of the manual path."""
    buy = buy_of(view)
    target = _as_dict(_as_dict(view.get("plan")).get("target")).get("display_name") or "target"
    if buy.known and buy.total:
        what = buy.to_text(lang, str(target))
    else:
        short = shortfall_of(view)
        what = message("stand.seats.missing", lang, target=str(target),
                       n=short if short is not None else message("stand.seats.more", lang))
    return Standing("blocked", message("stand.seats", lang),
                    message("stand.seats.why", lang, what=what),
                    message("stand.seats.next", lang), RANK_REFUSED_FOR_SEATS)


def _verified(view: dict[str, Any], lang: str) -> Standing:
    verification = _as_dict(view.get("verification"))
    moved, total = progress_of(view)
    if verification.get("safe_to_cancel") is True:
        return Standing("ready-to-cancel", message("stand.ready", lang),
                        message("stand.ready.why", lang),
                        message("stand.ready.next", lang, notebook=_CANCEL_NOTEBOOK),
                        RANK_READY_TO_CANCEL, moved, total)
    remaining = _int(verification.get("remaining_actions"))
    rest = (message("stand.partly.rest", lang, n=remaining) if remaining is not None
            else message("stand.partly.rest.unknown", lang))
    return Standing("partly-moved", message("stand.partly", lang, moved=moved, total=total),
                    f"{gate_of(view, lang)}; {rest}",
                    message("stand.partly.next", lang),
                    RANK_BLOCKERS if blockers_of(view) else RANK_GATE_SHUT,
                    moved, total)
