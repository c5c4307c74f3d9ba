"""Microsoft 365 admin center, Users > Active users > Export users (current and legacy layouts).

Licenses are product *display names* joined by ``+`` (``Unlicensed`` = none). The legacy
32-column layout may hold the readable name in ``License assignment details`` with ``Licenses``
empty, so both cells are read and merged per user.

What this format cannot carry: group-based assignment, disabled service plans, assignment state
and errors. Every license reads as direct and ``Active``.
"""

from __future__ import annotations

from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.exports.cells import License, TokenResolver, combine, dedupe, expand
from playbook.exports.csvio import CsvHead, first_junk, read_columns
from playbook.exports.model import UsersRead, ambiguous_warnings, carried, unknown_warnings
from playbook.exports.userframe import (
    assemble,
    clean_users,
    drop_duplicate_users,
    drop_soft_deleted,
)

NEEDED = ("upn", "user_id", "display_name", "department", "usage_location", "block_credential",
          "licenses", "license_details", "soft_deleted")


def read_admin_center(head: CsvHead, catalog: Catalog, fmt: str) -> UsersRead:
    """Read an admin-center users export into the license table."""
    raw = read_columns(head, NEEDED)
    users = clean_users(raw, head, blocked_field="block_credential")
    users, raw, deleted = drop_soft_deleted(users, raw, head)
    cols = [c for c in ("licenses", "license_details") if c in raw.columns]
    users, cells, warnings = drop_duplicate_users(users, combine([raw[c] for c in cols]), head)
    warnings = deleted + warnings
    resolver = TokenResolver(catalog)
    positions = users.index.to_numpy()

    def parse(values: tuple[str, ...], first: int) -> list[License]:
        junk = first_junk(values)
        if junk is not None:
            col = cols[values.index(junk)]
            raise InputError(head.path, "error.exports.not-a-license-list",
                             row=head.line_of(positions[first]), column=head.fields[col],
                             value=junk, fix="error.users-export.admin-center-type-name.fix")
        found: list[License] = []
        for cell in values:
            found.extend(resolver.split_names(cell))
        return dedupe(found)

    expanded = expand(cells, parse)
    table = assemble(users.reset_index(drop=True), expanded)
    warnings += ambiguous_warnings(resolver.ambiguous) + unknown_warnings(expanded.unknown)
    return UsersRead(table, fmt, tuple(warnings), tuple(sorted(expanded.unknown)),
                     **carried(fmt))
