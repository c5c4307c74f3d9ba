"""The ``Export-Office365LicenseStatus`` layout: one row per user, SKU and service plan.

Header as the script writes it (MSOnline era, quoted)::

    "UserPrincipalName","DisplayName","Department","UsageLocation","AccountSkuId",
    "ServiceName","ProvisioningStatus"

It is a *users* export, not subscriptions: rows are grouped by UPN, each distinct
``AccountSkuId`` (``tenant:PART``) of a user is one licence, and the service plans whose
``ProvisioningStatus`` is ``Disabled`` are that licence's disabled plans. It is the one CSV layout
that carries disabled plans per licence, which is why it is read rather than refused.

What this format cannot carry: group-based assignment, assignment state and errors, and sign-in
state (there is no BlockCredential column: users read as enabled, like any export without one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from playbook.catalog import Catalog, normalize_key
from playbook.errors import InputError
from playbook.exports.cells import Expanded, TokenResolver
from playbook.exports.csvio import CsvHead, first_junk, read_columns
from playbook.exports.model import UsersRead, ambiguous_warnings, carried, unknown_warnings
from playbook.exports.userframe import USER_FIELDS, assemble, clean_users, drop_soft_deleted

FORMAT = "msonline-license-status"
NEEDED = ("upn", "user_id", "display_name", "department", "usage_location", "block_credential",
          "account_sku_id", "service_name", "provisioning_status", "soft_deleted")


def read_license_status(head: CsvHead, catalog: Catalog) -> UsersRead:
    """Read an ``Export-Office365LicenseStatus`` CSV into the license table."""
    raw = read_columns(head, NEEDED)
    rows = clean_users(raw, head, blocked_field="block_credential")
    rows, raw, warnings = drop_soft_deleted(rows, raw, head)
    users = _one_row_per_user(rows, head)
    token = raw["account_sku_id"].str.strip()
    junk = first_junk(token.drop_duplicates())
    if junk is not None:
        line = head.line_of(token.index[token.eq(junk).to_numpy()][0])
        raise InputError(head.path, "error.users-export.not-a-licence", row=line,
                         column=head.fields["account_sku_id"], value=junk)
    resolver = TokenResolver(catalog)
    expanded = _licences(rows["upn"], token, raw, users, resolver)
    table = assemble(users.reset_index(drop=True), expanded)
    warnings += ambiguous_warnings(resolver.ambiguous) + unknown_warnings(expanded.unknown)
    return UsersRead(table, FORMAT, tuple(warnings), tuple(sorted(expanded.unknown)),
                     **carried(FORMAT))


def _one_row_per_user(rows: pd.DataFrame, head: CsvHead) -> pd.DataFrame:
    """The user columns once per UPN; rows of one UPN that disagree on them are refused (which
    is right would be a guess), naming both lines."""
    cols = [*USER_FIELDS, "account_enabled"]
    distinct = rows.drop_duplicates(subset=cols)
    clash = distinct["upn"].duplicated(keep=False)
    if clash.any():
        upn = distinct.loc[clash, "upn"].iloc[0]
        lines = [head.line_of(i) for i in distinct.index[(distinct["upn"] == upn).to_numpy()]]
        raise InputError(head.path, "error.users-export.user-data-differs", row=lines[1],
                         column=head.fields.get("upn"), value=upn, upn=upn, first=lines[0],
                         second=lines[1], fix="error.exports.export-again-unedited")
    return rows[~rows["upn"].duplicated()]


def _licences(upn: pd.Series, token: pd.Series, raw: pd.DataFrame, users: pd.DataFrame,
              resolver: TokenResolver) -> Expanded:
    """One licence per user and distinct SKU, in order of first appearance, with the plans
    whose status is ``Disabled``; a user with no SKU keeps one empty row."""
    plan = raw["service_name"].str.strip()
    status = raw["provisioning_status"].str.strip().str.casefold()
    frame = pd.DataFrame({"upn": upn, "token": token, "plan": plan})
    held = frame[frame["token"].ne("")]
    tokens = held["token"].unique()
    lic = {t: resolver.license(t) for t in tokens}
    held = held.assign(key=held["token"].map(
        {t: lic[t].sku_id or lic[t].sku_part_number or normalize_key(t) for t in tokens}))
    off = held[status[held.index].eq("disabled") & held["plan"].ne("")]
    names = {p: resolver.plan_name(p) for p in off["plan"].unique()}
    disabled = (off.assign(plan=off["plan"].map(names)).groupby(["upn", "key"])["plan"]
                .agg(lambda s: tuple(sorted(set(s)))))
    pairs = held.drop_duplicates(["upn", "key"])
    position = pd.Series(np.arange(len(users)), index=users["upn"].to_numpy())
    bare = users.loc[~users["upn"].isin(pairs["upn"]), "upn"]
    user_index = np.concatenate((position[pairs["upn"]].to_numpy(),
                                 position[bare].to_numpy())).astype(np.int64)
    order = np.argsort(user_index, kind="stable")
    found = [lic[t] for t in pairs["token"]]
    plans = [disabled.get((u, k), ()) for u, k in zip(pairs["upn"], pairs["key"], strict=True)]
    n_bare = len(bare)

    def column(values: list[str]) -> np.ndarray:
        return np.array([*values, *([""] * n_bare)], dtype=object)[order]

    per_user = pairs.groupby("token")["upn"].nunique()
    unknown = {lic[t].product_name: int(n) for t, n in per_user.items() if not lic[t].known}
    disabled_arr = np.empty(len(plans) + n_bare, dtype=object)
    for i, p in enumerate([*plans, *([()] * n_bare)]):
        disabled_arr[i] = p
    return Expanded(
        user_index=user_index[order],
        product_name=column([x.product_name for x in found]),
        sku_part_number=column([x.sku_part_number for x in found]),
        sku_id=column([x.sku_id for x in found]),
        disabled_plans=disabled_arr[order],
        unknown=unknown,
    )
