"""MSOnline ``Get-MsolUser | Export-Csv`` (retired module, but its exports are everywhere).

Windows PowerShell 5.1 writes a ``#TYPE Microsoft.Online.Administration.User`` line, quotes
every field and encodes ASCII. ``Licenses`` is only useful once flattened to ``AccountSkuId``
tokens (``contoso:ENTERPRISEWITHSCAL``, ``reseller-account:SPE_E3``) joined by ``;`` or ``, ``;
the raw property becomes a .NET type name, which is refused with the command that fixes it.

What this format cannot carry: group-based assignment, disabled service plans, state, errors.
"""

from __future__ import annotations

import numpy as np

from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.exports.cells import License, TokenResolver, combine, dedupe, expand
from playbook.exports.csvio import CsvHead, first_junk, parse_bool, read_columns
from playbook.exports.model import UsersRead, ambiguous_warnings, carried, unknown_warnings
from playbook.exports.userframe import (
    assemble,
    clean_users,
    drop_duplicate_users,
    drop_soft_deleted,
)
from playbook.messages import Said

NEEDED = ("upn", "user_id", "display_name", "department", "usage_location", "block_credential",
          "licenses", "is_licensed", "soft_deleted")

JUNK_FIX = "error.users-export.msonline-type-name.fix"
"""The fix for Licenses exported as a type name (a catalog key; a warning says it too)."""


def read_msonline(head: CsvHead, catalog: Catalog, fmt: str = "msonline") -> UsersRead:
    """Read a flattened ``Get-MsolUser`` CSV into the license table."""
    raw = read_columns(head, NEEDED)
    users = clean_users(raw, head, blocked_field="block_credential")
    users, raw, deleted = drop_soft_deleted(users, raw, head)
    users, cells, warnings = drop_duplicate_users(users, combine([raw["licenses"]]), head)
    warnings = deleted + warnings
    resolver = TokenResolver(catalog)
    positions = users.index.to_numpy()

    def parse(values: tuple[str, ...], first: int) -> list[License]:
        (cell,) = values
        if first_junk([cell]) is not None:
            raise InputError(head.path, "error.exports.not-a-license-list",
                             row=head.line_of(positions[first]), column=head.fields["licenses"],
                             value=cell, fix=JUNK_FIX)
        return dedupe(resolver.split_account_skus(cell))

    expanded = expand(cells, parse)
    table = assemble(users.reset_index(drop=True), expanded)
    if "is_licensed" in raw.columns:
        flagged = parse_bool(raw.loc[users.index, "is_licensed"], head, "is_licensed", False)
        empty = np.asarray([not v[0].strip() for v in cells.values])[cells.codes]
        n = int(np.sum(flagged.to_numpy() & empty))
        if n:
            warnings.append(Said("warning.users.licensed-without-licenses",
                                 {"n": n, "fix": Said(JUNK_FIX)}))
    warnings += ambiguous_warnings(resolver.ambiguous) + unknown_warnings(expanded.unknown)
    return UsersRead(table, fmt, tuple(warnings), tuple(sorted(expanded.unknown)),
                     **carried(fmt))
