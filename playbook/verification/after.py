"""The after export as the rules read it: part numbers, held or in error, per-user facts.

The export is the truth about who holds what; these helpers only derive comparable columns from
it and refuse exports that cannot be an after export of this plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from playbook.catalog import Catalog
from playbook.errors import InputError, NotAnAfterExport
from playbook.messages import Said
from playbook.table import ERROR_STATES, LICENSE_COLUMNS, not_held, tuple_column
from playbook.verification.plan_view import PlanView

AFTER_EXPORT = Said("error.where.after-export")
"""Where the line says the problem is when the after export came without a file name."""


def check_license_table(after: pd.DataFrame, source: str | Path | None) -> None:
    """Bad input is one line naming what is missing, never a KeyError."""
    missing = [c for c in LICENSE_COLUMNS if c not in after.columns]
    if missing:
        raise InputError(source or AFTER_EXPORT, "error.verify.not-a-license-table",
                         column=missing[0])


def prepare_after(after: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Derived columns the rules use: part number, label, held, error code, tuples."""
    out = after.copy()
    part = out["sku_part_number"].fillna("").astype(str).str.strip().str.upper()
    missing = (part == "") & (out["sku_id"].fillna("") != "")
    if missing.any():  # resolve GUID-only rows once per distinct GUID
        names = {}
        for i in out.loc[missing, "sku_id"].unique():
            sku = catalog.resolve(i)
            names[i] = sku.part_number.upper() if sku else ""
        part = part.mask(missing, out["sku_id"].map(names).fillna(""))
    out["part"] = part
    # what planning lists in before/after_skus: the part number, else the export's own name
    label = part.where(part != "", out["product_name"].fillna("").astype(str).str.strip())
    out["label"] = label.str.upper()
    out["upn"] = out["upn"].astype(str).str.strip().str.lower()
    state = out["state"].fillna("").astype(str)
    code = out["error"].fillna("").astype(str).str.strip()
    code = code.mask(code.str.lower().isin(["none", "null"]), "")
    in_error = (part != "") & (state.isin(ERROR_STATES) | (code != ""))
    # an error state without a code is still an error: Graph's catch-all is "Other"
    out["error_code"] = code.mask(in_error & (code == ""), "Other").where(in_error, "")
    out["in_error"] = in_error
    # other ActiveWithError rows are still assigned
    out["held"] = (part != "") & ~not_held(out)
    out["group_ids"] = tuple_column(out["group_ids"], lambda g: tuple(str(x).lower() for x in g))
    out["disabled_plans"] = tuple_column(out["disabled_plans"])
    return out


def check_is_after_export(view: PlanView, after: pd.DataFrame,
                          source: str | Path | None) -> None:
    """Refuse an export that shares no user with the plan (another tenant's: exit 4), and one
    that shows no license at all (it cannot say who holds E4)."""
    planned = view.actions.loc[view.actions["upn"] != "", "upn"].unique()
    if len(planned) and not after["upn"].isin(planned).any():
        raise NotAnAfterExport(source or AFTER_EXPORT, "error.verify.after-of-another-tenant",
                               n=len(planned))
    if view.target_part and not (after["label"] != "").any():
        raise InputError(source or AFTER_EXPORT, "error.verify.after-without-licenses")


def user_facts(after: pd.DataFrame, src: str, targets: Iterable[str]) -> pd.DataFrame:
    """Per user: holds E4, first relevant error, usage location (index = every upn).

    Only errors on E4 or a target count: an unrelated product in error says nothing about the
    move (and must not keep E4 alive).
    """
    users = after.drop_duplicates("upn").set_index("upn")[["usage_location"]].copy()
    users["usage_location"] = users["usage_location"].fillna("").astype(str)
    srows = after[after["part"] == src]
    users["src"] = users.index.isin(srows["upn"])
    relevant = after["part"].isin({src, *targets})
    errs = after[after["in_error"] & relevant].sort_values(
        "part", key=lambda p: p == src, kind="stable").drop_duplicates("upn").set_index("upn")
    users["error_code"] = errs["error_code"].reindex(users.index).fillna("")
    return users
