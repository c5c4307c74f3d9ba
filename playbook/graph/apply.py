"""``e4-playbook apply``: carry out exactly the reviewed plan through Graph, resumably.

Per batch of users (at most 20 requests): read them all in one ``$batch`` of GETs; each is
done (skip), unchanged since the plan (send) or drifted (stop that user, report it); send the
unchanged ones' calls as one ``$batch`` (add the target and remove E4 in the SAME call); read
them again to confirm. A throttled, timed-out or 5xx item is never re-sent blindly: after the
largest ``Retry-After`` (or a back-off) it is read again and sent only if still unchanged. A
write Graph accepted is never sent again in the run, even when the read after it disagrees
(it is reported ``unconfirmed``). 400/403/404 are recorded for that user; past
``max_failures`` the run stops.

Groups last, one call each, then ``licenseProcessingState`` is polled until Graph says the
processing is complete, and the members' errors (CountViolation, ...) are read. Every step goes
to the journal (:mod:`playbook.graph.journal`) before and after it happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

import playbook
from playbook.artifacts.folder import JOURNAL_DIR
from playbook.artifacts.graph import iter_batches
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.graph.auth import Token
from playbook.graph.export import tenant_id_of
from playbook.graph.http import TRANSIENT, GraphHttp, Reply
from playbook.graph.journal import Journal, Past, past_runs
from playbook.graph.state import (
    DONE,
    DRIFTED,
    GROUP_SELECT,
    PROCESSING_BUSY,
    PROCESSING_DONE,
    SEND,
    USER_SELECT,
    Why,
    classify_group,
    classify_user,
    member_errors,
    processing_state,
)
from playbook.messages import Said, has_message, message
from playbook.plan import EXECUTED_KINDS, Plan

PERMANENT = frozenset({400, 401, 403, 404})
MAX_ROUNDS = 30
"""Read-send rounds for one batch before its throttled users are left for the next run
(each round waits the largest Retry-After, or backs off, first)."""
Progress = Callable[[int, int, str], None]
"""Called after each batch and group: (units done, units in all, what was done)."""


@dataclass(frozen=True)
class ApplyOptions:
    """How far and how carefully to go."""

    batches: int | None = None
    """Run at most this many batches that still have work (``--batches 1``: a pilot)."""
    max_failures: int = 10
    """Stop the run once more users or groups than this failed for good."""
    poll_reads: int = 40
    """Reads of a group's processing state before leaving it for the next run."""
    poll_wait: float = 5.0
    """First wait between two reads of a group's state (doubling, at most 5 min)."""
    only: frozenset[int] = frozenset()
    """Run only these batch numbers (the notebook's button per batch); empty = all."""


@dataclass
class Applied:
    """What a run did: each action's final check, failures, drift, member errors."""

    plan_id: str
    journal: Path
    checks: dict[str, str] = field(default_factory=dict)
    already_done: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    drifted: list[dict[str, Any]] = field(default_factory=list)
    member_errors: list[dict[str, str]] = field(default_factory=list)
    batches_run: int = 0
    stopped: str = ""
    language: str = "en"
    """The plan's language (the tenant's): what :meth:`to_text` is worded in."""
    failure_limit: int | None = None
    """Set when the run stopped at ``max_failures``, so the stop is worded in any language."""

    def count(self, result: str) -> int:
        return sum(1 for c in self.checks.values() if c == result)

    def to_dict(self) -> dict[str, Any]:
        results = sorted(set(self.checks.values()))
        return {"plan_id": self.plan_id, "journal": str(self.journal),
                "already_done": self.already_done, "batches_run": self.batches_run,
                "checks": {r: self.count(r) for r in results}, "failures": self.failures,
                "drifted": self.drifted, "member_errors": self.member_errors,
                "stopped": self.stopped}

    def to_text(self) -> str:
        """The run in the plan's language; ids, Graph's error codes and its messages as
        they are."""
        lang = self.language
        lines = [message("apply.applied", lang, plan_id=self.plan_id, done=self.count(DONE),
                         before=self.already_done, batches=self.batches_run)]
        other = {r: self.count(r) for r in sorted(set(self.checks.values())) if r != DONE}
        if other:
            lines.append(message("apply.not_done", lang, items=", ".join(
                f"{_check_word(k, lang)} {v}" for k, v in other.items())))
        lines += [message("apply.line.failed", lang, action=f["action_id"], who=f["who"],
                          graph_code=f["code"], error=_said(f, "message", lang))
                  for f in self.failures[:10]]
        lines += [message("apply.line.drifted", lang, action=d["action_id"], who=d["who"],
                          why=_said(d, "why", lang)) for d in self.drifted[:10]]
        lines += [message("apply.line.member", lang, who=m["upn"] or m["user_id"],
                          error=m["error"]) for m in self.member_errors[:10]]
        if self.stopped:
            why = (self.stopped if self.failure_limit is None else
                   message("apply.stopped.failures", lang, n=self.failure_limit))
            lines.append(message("apply.stopped", lang, why=why))
        lines.append(message("apply.journal", lang, path=self.journal))
        return "\n".join(lines)


def worded(why: Why, lang: str) -> str:
    """A why as text in ``lang`` (catalog words), or as it is (Graph's own message)."""
    return message(why.key, lang, **why.evidence) if isinstance(why, Said) else why


def _reason(why: Why) -> dict[str, Any]:
    """The catalog key and evidence of a why, kept beside its English text in the result,
    so :meth:`Applied.to_text` can word it in the tenant's language."""
    return {"reason": why.key, "evidence": dict(why.evidence)} if isinstance(why, Said) else {}


def _said(entry: dict[str, Any], key: str, lang: str) -> str:
    """A failure's or drift's why in ``lang`` when it is catalog words, else as recorded."""
    if entry.get("reason"):
        return message(entry["reason"], lang, **entry.get("evidence", {}))
    return str(entry[key])


def _check_word(result: str, lang: str) -> str:
    """A check's result as the page words it (the result code itself when it has no words)."""
    key = f"apply.check.{result}"
    return message(key, lang) if has_message(key) else result


def check_tenant(plan: Plan, http: GraphHttp, token: Token) -> str:
    """The tenant the token is for, refused unless it is the plan's."""
    if not plan.tenant_id:
        raise InputError("plan.json", "error.graph.plan-without-tenant-id", column="tenant_id")
    tid = token.tid or tenant_id_of(http)
    if tid != plan.tenant_id.lower():
        raise InputError(Said("error.where.sign-in"), "error.graph.token-of-another-tenant",
                         token_tenant=tid, plan_tenant=plan.tenant_id)
    return tid


def executed(plan: Plan) -> pd.DataFrame:
    """The rows that make a call, in batch order (groups are in the last batches)."""
    t = plan.table
    return t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)].sort_values(
        "batch", kind="stable")


def seats_still_needed(plan: Plan, done: set[str]) -> int:
    """Target seats the actions not yet done will take."""
    ex = executed(plan)
    return int(ex.loc[~ex["action_id"].isin(done), "new_seats"].sum())


def preflight_seats(plan: Plan, http: GraphHttp, done: set[str]) -> tuple[int, int]:
    """(free target seats, seats needed); refused with exit 3 when too few are free."""
    target = plan.target["sku_id"].lower()
    skus = http.read("/subscribedSkus").get("value") or []
    free = sum(int((s.get("prepaidUnits") or {}).get("enabled", 0))
               - int(s.get("consumedUnits", 0))
               for s in skus if str(s.get("skuId", "")).lower() == target)
    needed = seats_still_needed(plan, done)
    if free < needed:
        raise InputError("subscribedSkus", "error.graph.too-few-seats",
                         exit_code=EXIT_REFUSED_FOR_SEATS, free=free,
                         target=plan.target["sku_part_number"], needed=needed)
    return free, needed


def requests_for(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The plan's calls for these rows of one batch (the one rule that builds them lives in
    :mod:`playbook.artifacts.graph`)."""
    return [r for _, body in iter_batches(rows) for r in body["requests"]]


def _who(row: Any) -> str:
    return str(row["upn"] or row["group_id"])


def _check_source_plans(plan: Plan) -> bool:
    """Compare E4's turned-off apps with the plan's only when the export showed them."""
    return not any(d.get("code") == "disabled-plans-unknown" for d in plan.decisions)


class Run:
    """One apply run over one plan: the journal, the HTTP layer and what it found."""

    def __init__(self, plan: Plan, http: GraphHttp, journal: Journal, past: Past,
                 options: ApplyOptions) -> None:
        self.plan, self.http, self.journal, self.options = plan, http, journal, options
        self.result = Applied(plan.plan_id, journal.path, already_done=len(past.done),
                              language=plan.language)
        self.check_plans = _check_source_plans(plan)

    def _check(self, row: Any, result: str, why: Why = "", **extra: Any) -> None:
        aid = str(row["action_id"])
        self.result.checks[aid] = result
        self.journal.write("check", action_id=aid, result=result, why=worded(why, "en"),
                           **extra)
        if result == DRIFTED:
            self.result.drifted.append({"action_id": aid, "who": _who(row),
                                        "why": worded(why, "en"), **_reason(why)})

    def _fail(self, row: Any, reply: Reply, why: Why = "") -> None:
        self.result.failures.append({"action_id": str(row["action_id"]), "who": _who(row),
                                     "code": reply.code,
                                     "message": worded(why, "en") or reply.message,
                                     **_reason(why)})
        self._check(row, "failed", why or f"{reply.code}: {reply.message}")
        if len(self.result.failures) > self.options.max_failures and not self.result.stopped:
            self.result.failure_limit = self.options.max_failures
            self.result.stopped = message("apply.stopped.failures", "en",
                                          n=self.options.max_failures)

    def _outcome(self, aid: str, reply: Reply) -> None:
        self.journal.write("outcome", action_id=aid, status=reply.status, code=reply.code,
                           message=reply.message, request_id=reply.request_id)

    # -- users ---------------------------------------------------------------------------

    def _read_users(self, rows: dict[str, Any]) -> dict[str, Reply]:
        paths = {aid: f"/users/{row['user_id'] or row['upn']}?$select={USER_SELECT}"
                 for aid, row in rows.items()}
        return self.http.batch_get(paths)

    def _sort_reads(self, rows: dict[str, Any], accepted: set[str]) -> list[str]:
        """Read the rows' users, record what is settled; the ids still to send."""
        to_send: list[str] = []
        for aid, reply in self._read_users(rows).items():
            row = rows[aid]
            if not reply.ok:
                if reply.status in TRANSIENT:
                    self._check(row, "unread", f"could not be read: {reply.code}")
                else:
                    self._fail(row, reply,
                               Said("apply.why.not-found") if reply.status == 404 else "")
                continue
            verdict, why = classify_user(row, reply.body, self.check_plans)
            if verdict == SEND and aid in accepted:
                self._check(row, "unconfirmed", "Graph accepted the call, but a read after "
                            "it does not show the change yet; run apply again to check")
            elif verdict == SEND:
                to_send.append(aid)  # in reply order; _send puts them back in plan order
            else:
                self._check(row, verdict, why)
        return to_send

    def _send(self, rows: dict[str, Any], to_send: list[str]) -> tuple[set[str], list[Reply]]:
        """One ``$batch`` of writes; (accepted ids, transient replies) and the rest recorded."""
        chosen = set(to_send)  # in plan order: a usage location goes before its swap
        frame = pd.DataFrame([row for aid, row in rows.items() if aid in chosen])
        requests = requests_for(frame)
        for req in requests:
            self.journal.write("intent", action_id=req["id"], method=req["method"],
                               url=req["url"], body=req["body"])
        replies = self.http.write_batch(requests)
        accepted: set[str] = set()
        transient: list[Reply] = []
        permanent = {a for a, r in replies.items() if r.status in PERMANENT}
        for aid, reply in replies.items():
            self._outcome(aid, reply)
            if reply.ok:
                accepted.add(aid)
            elif reply.status in PERMANENT or (reply.status == 424 and permanent):
                self._fail(rows[aid], reply, Said("apply.why.earlier-call-failed")
                           if reply.status == 424 else "")
            else:
                transient.append(reply)
        return accepted, transient

    def user_batch(self, rows: dict[str, Any]) -> None:
        """Read, send the unchanged, read again; throttled ones again after their wait."""
        pending, accepted = dict(rows), set()
        for attempt in range(MAX_ROUNDS + 1):
            to_send = self._sort_reads(pending, accepted)
            if not to_send or self.result.stopped:
                return
            if attempt == MAX_ROUNDS:
                break
            ok, transient = self._send(pending, to_send)
            accepted |= ok
            keep = {a for a in to_send if a not in self.result.checks} | ok
            pending = {a: row for a, row in rows.items() if a in keep}
            if transient:
                self.http.backoff(attempt, transient)
        for aid in to_send:
            self._check(rows[aid], "gave-up", "still throttled after several rounds; run "
                        "apply again")

    # -- groups --------------------------------------------------------------------------

    def _read_group(self, gid: str) -> Reply:
        return self.http.get(f"/groups/{gid}", {"$select": GROUP_SELECT})

    def _poll(self, row: Any) -> None:
        """Wait for Graph to finish the group's members, then read their errors."""
        gid = str(row["group_id"])
        wait = self.options.poll_wait
        for _ in range(self.options.poll_reads):
            reply = self._read_group(gid)
            state = processing_state(reply.body) if reply.ok else ""
            if reply.ok and (state == PROCESSING_DONE or not state):
                members = self._members(gid)
                errors = member_errors(members, gid)
                self.result.member_errors.extend(errors)
                # members in error are not moved: the group stays open for the next run
                self._check(row, "member-errors" if errors else DONE,
                            f"{len(errors)} members in error" if errors else "",
                            members=len(members), member_errors=errors)
                return
            if reply.ok and state not in PROCESSING_BUSY:
                self._check(row, "processing-failed", f"licenseProcessingState is {state}")
                return
            self.http.clock.sleep(wait)
            wait = min(300.0, wait * 2)
        self._check(row, "processing", "Graph is still processing the group's members; "
                    "run apply again later to check")

    def _members(self, gid: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        path = (f"/groups/{gid}/members?$select=id,userPrincipalName,"
                "licenseAssignmentStates&$top=999")
        for page, _ in self.http.pages(path):
            out.extend(page.get("value") or [])
        return out

    def group(self, row: Any) -> None:
        """One group: read, send if unchanged, poll until processed."""
        gid = str(row["group_id"])
        sent = False
        for attempt in range(MAX_ROUNDS):
            reply = self._read_group(gid)
            if not reply.ok:
                self._fail(row, reply, Said("apply.why.group-not-found")
                           if reply.status == 404 else "")
                return
            verdict, why = classify_group(row, reply.body, self.check_plans)
            if verdict == DONE:
                self._poll(row)
                return
            if verdict == DRIFTED or sent:
                self._check(row, DRIFTED if verdict == DRIFTED else "unconfirmed", why)
                return
            req = requests_for(pd.DataFrame([row]))[0]
            self.journal.write("intent", action_id=req["id"], method=req["method"],
                               url=req["url"], body=req["body"])
            out = self.http.write(req["method"], req["url"], req["body"])
            self._outcome(req["id"], out)
            if out.ok:
                sent = True
                self._poll(row)
                return
            if out.status in PERMANENT:
                self._fail(row, out)
                return
            self.http.backoff(attempt, [out])
        self._check(row, "gave-up", "still throttled after several rounds; run apply again")


def batches_to_run(plan: Plan, done: set[str],
                   only: frozenset[int] = frozenset()) -> list[pd.DataFrame]:
    """Each batch's rows that are not done yet (users), then one unit per group; ``only``
    keeps those batch numbers."""
    ex = executed(plan)
    ex = ex[~ex["action_id"].isin(done)]
    if only:
        ex = ex[ex["batch"].isin(only)]
    users = ex[ex["kind"] != "group-swap"]
    units = [g for _, g in users.groupby("batch", sort=True)]
    units += [ex.loc[[i]] for i in ex.index[ex["kind"] == "group-swap"]]
    return units


def apply_plan(plan: Plan, http: GraphHttp, plan_dir: Path, *, tenant_id: str,
               app: str = "", options: ApplyOptions | None = None,
               progress: Progress | None = None) -> Applied:
    """Carry out ``plan`` (already confirmed and checked against the token's tenant).

    Reads the plan folder's journals first: what is done is not touched, what is not is read
    again. Preflight: free target seats must cover what is left. Returns what happened; the
    journal has every step.
    """
    options = options or ApplyOptions()
    folder = plan_dir / JOURNAL_DIR
    past = past_runs(folder, plan.plan_id)
    preflight_seats(plan, http, past.done)
    journal = Journal(folder, {"plan_id": plan.plan_id, "tenant_id": tenant_id, "app": app,
                               "version": playbook.__version__, "resumed_runs": past.runs})
    run = Run(plan, http, journal, past, options)
    units = batches_to_run(plan, past.done, options.only)
    if options.batches is not None:
        units = units[:options.batches]
    try:
        for i, unit in enumerate(units, 1):
            if run.result.stopped:
                break
            if unit["kind"].iloc[0] == "group-swap":
                run.group(unit.iloc[0])
            else:
                run.user_batch({str(r["action_id"]): r for _, r in unit.iterrows()})
            run.result.batches_run += 1
            if progress:
                progress(i, len(units), _unit_label(unit, plan.language))
        journal.write("end", **{k: v for k, v in run.result.to_dict().items()
                                if k in ("checks", "batches_run", "stopped")},
                      writes=http.stats.writes, throttled=http.stats.throttled)
    finally:
        journal.close()
    return run.result


def _unit_label(unit: pd.DataFrame, lang: str) -> str:
    if unit["kind"].iloc[0] == "group-swap":
        return message("apply.unit.group", lang, group=unit["group_id"].iloc[0])
    return message("apply.unit.batch", lang, n=int(unit["batch"].iloc[0]),
                   users=unit["upn"].nunique())


def dry_run_lines(plan: Plan, done: Iterable[str] = (), lang: str | None = None) -> list[str]:
    """What apply would send, batch by batch, without sending anything. The batch headings
    and the "nothing to send" line are worded in ``lang`` (default: the plan's, the
    tenant's); the request lines are technical (ids, methods, addresses, skuIds) and stay
    as they are."""
    lang = lang or plan.language
    lines: list[str] = []
    for unit in batches_to_run(plan, set(done)):
        lines.append(_unit_label(unit, lang) + ":")
        for req in requests_for(unit):
            body = req["body"]
            if "usageLocation" in body:
                what = f"usageLocation={body['usageLocation']}"
            else:
                add = ",".join(f"{a['skuId']} (off: {len(a['disabledPlans'])})"
                               for a in body["addLicenses"]) or "-"
                what = f"add {add}; remove {','.join(body['removeLicenses']) or '-'}"
            lines.append(f"  {req['id']} {req['method']} {req['url']}  {what}")
    return lines or [message("apply.nothing_to_send", lang)]
