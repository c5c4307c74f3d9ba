"""What the after export shows for each user decision of the plan: one row of facts per user.

The status rules (:mod:`playbook.verification.user_rules`) only read these columns, so every
fact is computed once, vectorized, for the whole tenant:

==============  ===============================================================================
in_export       the user is in the after export
has_err         E4 or the target is in an error state (``error_code`` names the Graph code)
has_src         still holds E4 (any state)
has_tgt         holds the planned target (skip rows: the plan's target)
skus_ok         holds exactly the plan's ``after_skus`` (no list = not checked)
plans_ok        the target's disabled plans are what the plan set (or the export can't show)
reclaim, member, skip, fix_location: the decision's kind; ``unplanned``: skip or
                fix-usage-location rows, which this plan does not run
on_target       a skip row of a user the plan found already on the target
unlicensed      a user the plan moves (user-swap, group-member, fix-usage-location) who is in
                the export and holds neither E4 (any state) nor the target (held: not in
                ``Error``): lost E4 without getting the target
==============  ===============================================================================
"""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

from playbook.catalog import Catalog
from playbook.plan import USER_DECISION_KINDS
from playbook.table import tuple_column
from playbook.verification.cells import plans_key
from playbook.verification.plan_view import GROUP_KIND, MEMBER_KIND, PlanView

ON_TARGET = "already-on-target"

FACT_COLUMNS: tuple[str, ...] = (
    "upn", "action_id", "batch", "kind", "group_id", "reason", "after_skus", "source", "target",
    "in_export", "has_err", "error_code", "has_src", "has_tgt", "skus_ok", "plans_ok",
    "reclaim", "member", "skip", "fix_location", "unplanned", "on_target", "unlicensed",
    "location", "has_location", "got", "want", "licenses_now",
)

MOVED_KINDS: tuple[str, ...] = ("user-swap", MEMBER_KIND, "fix-usage-location")
"""Decisions whose user the plan moves to the target (now or once the location is set)."""


def decision_facts(view: PlanView, after: pd.DataFrame, users: pd.DataFrame,
                   catalog: Catalog, *, check_plans: bool = True
                   ) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """One row of facts per user decision, and the planned E4 users missing from the export.

    ``users`` is :func:`playbook.verification.after.user_facts`. Users the plan lists only
    because they were already on the target drop out unless they hold E4 again.
    """
    acts = view.actions[
        view.actions["kind"].isin(USER_DECISION_KINDS) & (view.actions["upn"] != "")
    ].reset_index(drop=True)
    f = users.reindex(acts["upn"])
    in_export = f["src"].notna().to_numpy()
    has_src = f["src"].fillna(False).astype(bool).to_numpy()
    on_target = ((acts["kind"] == "skip")
                 & acts["reason_code"].str.contains(ON_TARGET, regex=False)).to_numpy()
    keep = ~on_target | has_src
    acts, f = acts[keep].reset_index(drop=True), f[keep].reset_index(drop=True)
    missing = tuple(sorted(set(acts.loc[~in_export[keep], "upn"])))
    if acts.empty:
        return pd.DataFrame(columns=list(FACT_COLUMNS)), missing
    kind = acts["kind"]
    out = acts[["upn", "action_id", "batch", "kind", "group_id", "reason", "after_skus"]].copy()
    out["source"] = view.source_part
    # skip rows name no target: look for the plan's (moved by hand?)
    out["target"] = acts["add_sku_part_number"].where(acts["add_sku_part_number"] != "",
                                                      view.target_part)
    out["in_export"] = in_export[keep]
    out["error_code"] = f["error_code"].fillna("").astype(str)
    out["has_err"] = out["error_code"] != ""
    out["has_src"] = has_src[keep]
    out["reclaim"] = kind == "reclaim"
    out["member"] = kind == MEMBER_KIND
    out["skip"] = kind == "skip"
    out["fix_location"] = kind == "fix-usage-location"
    # skip and fix-usage-location rows are not run by this plan: their after_skus say "no
    # change", so a user moved since (by hand or a later plan) is checked only for E4
    out["unplanned"] = out["skip"] | out["fix_location"]
    out["on_target"] = on_target[keep]
    out["location"] = f["usage_location"].fillna("").astype(str)
    out["has_location"] = out["location"] != ""
    _target_facts(out, acts["disabled_plans_after"], view, after, catalog, check_plans)
    # lost E4 without getting the target: Microsoft cancels E4 only "after all users have
    # been reassigned" (S1, manual upgrade step 4), so these users keep the gate shut
    out["unlicensed"] = (out["in_export"] & ~out["has_src"] & ~out["has_tgt"]
                         & kind.isin(MOVED_KINDS))
    return out[list(FACT_COLUMNS)], missing


def _target_facts(out: pd.DataFrame, planned_off: pd.Series, view: PlanView,
                  after: pd.DataFrame, catalog: Catalog, check_plans: bool) -> None:
    """Add has_tgt, got/want (disabled plans), plans_ok, skus_ok and licenses_now to ``out``."""
    held = after[after["held"]][["upn", "part", "disabled_plans", "group_ids"]].drop_duplicates(
        ["upn", "part"])
    trow = pd.DataFrame({"upn": out["upn"], "want": out["target"]}).merge(
        held, how="left", left_on=["upn", "want"], right_on=["upn", "part"])
    out["has_tgt"] = (trow["part"].notna() & (out["target"] != "")).to_numpy()
    got = plans_key(trow["disabled_plans"], catalog)
    want = _effective_plans(view, plans_key(planned_off, catalog), tuple_column(trow["group_ids"]),
                            catalog)
    out["got"], out["want"] = got.to_numpy(), want.to_numpy()
    out["plans_ok"] = np.fromiter(map(operator.eq, got, want), bool, len(out)) | (
        not check_plans)
    labels = after[after["label"] != ""][["upn", "label"]].drop_duplicates()
    out["skus_ok"] = _skus_match(out, labels)
    # only users on the target without E4 whose licenses differ are explained license by
    # license; the others get no list (rare rows, so a per-user set is fine here)
    differ = out["has_tgt"] & ~out["has_src"] & ~out["skus_ok"]
    now = pd.Series(dtype=object)
    if differ.any():
        now = labels[labels["upn"].isin(out.loc[differ, "upn"])].groupby("upn")["label"].agg(
            lambda s: tuple(sorted(set(s))))
    out["licenses_now"] = tuple_column(out["upn"].map(now).where(differ))



def _effective_plans(view: PlanView, want: pd.Series, target_groups: pd.Series,
                     catalog: Catalog) -> pd.Series:
    """What the plan makes a user's target look like when it arrives by several paths.

    Entra turns a plan off only when every path turns it off, so a user swapped directly who
    also inherits the target from a planned group ends with the plans both disable.
    """
    gacts = view.actions[view.actions["kind"] == GROUP_KIND].drop_duplicates("group_key")
    has_groups = target_groups.map(len).to_numpy() > 0
    if gacts.empty or not has_groups.any():
        return want
    gplans = dict(zip(gacts["group_key"],
                      plans_key(gacts["disabled_plans_after"], catalog), strict=True))
    rows = np.flatnonzero(has_groups)
    pairs = pd.Series(list(zip(want.to_numpy()[rows], target_groups.to_numpy()[rows],
                               strict=True)), dtype=object)

    def combine(pair: tuple) -> tuple[str, ...]:
        if not pair:  # the tuple_column() slot for missing values
            return ()
        plans, groups = pair
        keep = set(plans)
        for g in groups:
            if g in gplans:
                keep &= set(gplans[g])
        return tuple(sorted(keep))

    out = want.to_numpy(dtype=object).copy()
    out[rows] = tuple_column(pairs, combine).to_numpy(dtype=object)
    return pd.Series(out, index=want.index, dtype=object)


def _skus_match(acts: pd.DataFrame, labels: pd.DataFrame) -> np.ndarray:
    """True where the user has exactly the plan's ``after_skus`` (no list = not checked).

    Counted with merges instead of per-user sets: equal sets have equal sizes and every
    expected SKU present.
    """
    exp = pd.DataFrame({"row": acts.index, "upn": acts["upn"], "label": acts["after_skus"]})
    exp = exp.explode("label").dropna(subset=["label"])
    exp["label"] = exp["label"].astype(str).str.strip().str.upper()
    exp = exp.drop_duplicates(["row", "label"])
    n_exp = exp.groupby("row").size().reindex(acts.index, fill_value=0)
    n_match = exp.merge(labels, on=["upn", "label"]).groupby("row").size()
    n_match = n_match.reindex(acts.index, fill_value=0)
    n_have = labels.groupby("upn").size().reindex(acts["upn"], fill_value=0).to_numpy()
    return ((n_exp == 0) | ((n_match == n_exp) & (n_have == n_exp))).to_numpy()
