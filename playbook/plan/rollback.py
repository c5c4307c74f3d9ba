"""What undoes a plan, and what is left of it: :func:`rollback_actions` and
:func:`remaining_plan`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from playbook.messages import message
from playbook.plan.batching import assign_batches
from playbook.plan.decisions import finished_plan
from playbook.plan.model import (
    EXECUTED_KINDS,
    PLAN_COLUMNS,
    Plan,
    normalized_table,
    plan_table,
    reason_text,
)
from playbook.table import per_distinct


def rollback_actions(plan: Plan | pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The exact inverse of the executed rows, from the before-state, last batch first;
    reasons in ``lang`` (by default the plan's language; English for a bare table).

    Same columns as the plan table; ``action_id`` is ``R`` + the undone row's id and ``batch``
    the undone row's batch, so line 7 of ``rollback-batches.jsonl`` undoes line 7 of
    ``graph-batches.jsonl``. Inside a batch the last row is undone first.
    """
    t = plan.table if isinstance(plan, Plan) else normalized_table(plan)
    lang = lang or (plan.language if isinstance(plan, Plan) else "en")
    ex = t[t["kind"].isin(EXECUTED_KINDS) & (t["batch"] > 0)]
    ex = ex.iloc[::-1].sort_values("batch", ascending=False, kind="stable")
    licence = (ex["kind"] != "set-usage-location").to_numpy()
    # the plan added a new target assignment unless the user/group already held it there
    group = ex["kind"] == "group-swap"
    new_target = ~((group & (ex["target_before"] == "group"))
                   | (~group & ex["target_before"].isin(["direct", "direct+group"])))
    undo_add = licence & (ex["add_sku_id"] != "").to_numpy() & new_target.to_numpy()
    # the rows are the plan's own (no missing cells): a plan table straight from them
    r = plan_table(len(ex), {
        **{col: ex[col] for col in PLAN_COLUMNS},
        "action_id": "R" + ex["action_id"],
        "add_sku_id": np.where(licence, ex["remove_sku_id"], ""),
        "add_sku_part_number": np.where(licence, ex["remove_sku_part_number"], ""),
        "remove_sku_id": np.where(undo_add, ex["add_sku_id"], ""),
        "remove_sku_part_number": np.where(undo_add, ex["add_sku_part_number"], ""),
        "disabled_plans_before": ex["disabled_plans_after"],
        "disabled_plan_ids_before": ex["disabled_plan_ids_after"],
        "disabled_plans_after": ex["disabled_plans_before"],
        "disabled_plan_ids_after": ex["disabled_plan_ids_before"],
        "unmapped_plans": (),
        "before_skus": ex["after_skus"],
        "after_skus": ex["before_skus"],
        "usage_location": np.where(licence, ex["usage_location"], ex["new_usage_location"]),
        "new_usage_location": "",
        "new_seats": 0,
        "reason_code": "rollback",
        "reason": _filled("rollback.of", lang, ex["action_id"]),
    })
    return _location_kept(r, ~licence, pd.Series(ex["action_id"].to_numpy(), index=r.index), lang)


def _filled(code: str, lang: str, action: pd.Series,
            location: pd.Series | None = None) -> pd.Series:
    """A reason naming each row's undone action (and the location it keeps): the message
    worded once, the row's values put in (a rollback of 100k rows formats one sentence, not
    100k)."""
    words = reason_text(code, lang, action="\x00", location="\x01")
    head, rest = words.split("\x00")
    out = head + action.astype(str)
    if location is None:
        return out + rest
    middle, tail = rest.split("\x01")
    return out + middle + location.astype(str) + tail


def _location_kept(r: pd.DataFrame, location: np.ndarray, undone: pd.Series,
                   lang: str) -> pd.DataFrame:
    """The undo rows of set-usage-location rows (``location``) leave the location set: they
    are listed, not run (batch 0), and say why.

    A licensed user must have a usage location (user.usageLocation: "required for users
    assigned licenses", "not nullable", microsoft-facts.md S26); after the rollback the user
    holds E4 again, so clearing it may be refused (inference) and gains nothing.
    """
    if not location.any():
        return r
    r = r.copy()
    r.loc[location, "batch"] = 0
    r.loc[location, "reason_code"] = "rollback-keeps-usage-location"
    r.loc[location, "reason"] = _filled("rollback-keeps-usage-location.of", lang,
                                        undone[location], r.loc[location, "usage_location"])
    return r




def remaining_plan(plan: Plan, keep_action_ids: Iterable[str], *,
                   add_only_action_ids: Iterable[str] = (),
                   seats_available: int | None = None) -> Plan:
    """The plan restricted to ``keep_action_ids``, batched again by the same rule.

    A kept user-swap keeps its set-usage-location row when that row is kept too. Seat
    availability is unknown after a partial run unless the caller passes it. The user swaps in
    ``add_only_action_ids`` (users verification found without E4) only add the target: see
    :func:`add_only_rows`.
    """
    t = plan.table[plan.table["action_id"].isin(set(keep_action_ids))]
    t = add_only_rows(t, set(add_only_action_ids), plan.source.get("sku_part_number", ""),
                      plan.language)
    t = assign_batches(t, plan.batch_size)
    lang = plan.language
    # the plan's "unverified" notes are replaced by the remaining plan's own
    unverified = {message(f"plan.note.{k}", lang)
                  for k in ("no-subscriptions", "remaining-unverified")}
    notes = tuple(n for n in plan.notes if n not in unverified)
    if seats_available is None:
        notes += (message("plan.note.remaining-unverified", lang),)
    return finished_plan(
        tenant=plan.tenant, source=plan.source, target=plan.target, table=t,
        batch_size=plan.batch_size, seats_available=seats_available, limits=plan.limits,
        users_file=plan.users_file, notes=notes,
        seats_later=int(((t["kind"] == "fix-usage-location")
                         & (t["target_before"] == "")).sum()),
        plan_level=tuple(d for d in plan.decisions if not d.get("action_id")),
        tenant_id=plan.tenant_id, language=plan.language,
    )


def add_only_rows(table: pd.DataFrame, action_ids: set[str], source_part: str,
                  lang: str = "en") -> pd.DataFrame:
    """``table`` with the user swaps in ``action_ids`` turned into add-only rows: no E4 to
    remove (``remove_sku_*`` blank, E4 gone from ``before_skus``), reason code ``source-lost``.

    Graph's assignLicense rejects a removeLicenses entry for a license the user does not hold
    ("User does not have a corresponding license", MicrosoftDocs/OfficeDocs-Enterprise#873;
    assignLicense, microsoft-facts.md S11/S12), so such a row must only add the target. The
    rollback of the row then only removes the target (it has no E4 to give back).
    """
    rows = (table["kind"] == "user-swap") & table["action_id"].isin(action_ids)
    if not rows.any():
        return table
    t = table.copy()
    code, reason = t.loc[rows, "reason_code"], t.loc[rows, "reason"]
    t.loc[rows, "remove_sku_id"] = ""
    t.loc[rows, "remove_sku_part_number"] = ""
    t.loc[rows, "before_skus"] = per_distinct(
        t.loc[rows, "before_skus"], lambda skus: tuple(s for s in skus if s != source_part))
    t.loc[rows, "reason_code"] = (code + ";").where(code != "", "") + "source-lost"
    t.loc[rows, "reason"] = ((reason + "; ").where(reason != "", "")
                             + reason_text("source-lost", lang))
    return t
