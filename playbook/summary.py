"""Moved to :mod:`playbook.runs` (:mod:`~playbook.runs.standing`, the summary page)."""

from playbook.runs.standing import (  # moved; shim removed at integration
    NEEDS_HUMAN_BELOW,
    RANK_ASSESSED,
    RANK_BAD_INPUT,
    RANK_BLOCKERS,
    RANK_CONTACT_PARTNER,
    RANK_FAILED,
    RANK_GATE_SHUT,
    RANK_NOT_RUN,
    RANK_PLANNED,
    RANK_READY_TO_CANCEL,
    RANK_REFUSED_FOR_SEATS,
    Standing,
    batches_of,
    blockers_of,
    counts_of,
    gate_of,
    merge_records,
    plan_refused,
    plan_summary_of,
    progress_of,
    shortfall_of,
    standing,
    to_buy_of,
    users_to_move_of,
)
from playbook.runs.summary_page import (  # moved; shim removed at integration
    SUMMARY_COLUMNS,
    sort_rows,
    summary_row,
)

__all__ = ["NEEDS_HUMAN_BELOW", "RANK_ASSESSED", "RANK_BAD_INPUT", "RANK_BLOCKERS",
           "RANK_CONTACT_PARTNER", "RANK_FAILED", "RANK_GATE_SHUT", "RANK_NOT_RUN",
           "RANK_PLANNED", "RANK_READY_TO_CANCEL", "RANK_REFUSED_FOR_SEATS", "SUMMARY_COLUMNS",
           "Standing", "batches_of", "blockers_of", "counts_of", "gate_of", "merge_records",
           "plan_refused", "plan_summary_of", "progress_of", "shortfall_of", "sort_rows",
           "standing", "summary_row", "to_buy_of", "users_to_move_of"]
