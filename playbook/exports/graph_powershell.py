"""Microsoft Graph PowerShell ``Get-MgUser | Export-Csv`` with licenses flattened.

Expected shape (what a sensible script writes; column names matched case-insensitively)::

    Id,UserPrincipalName,DisplayName,Department,UsageLocation,AccountEnabled,SkuIds,DisabledPlans

``SkuIds`` holds ``;``-joined SKU GUIDs (``SkuPartNumbers`` part numbers instead, or as well).
``DisabledPlans`` (optional) is the flat ``;``-joined list of disabled service-plan GUIDs or
names, i.e. ``$_.AssignedLicenses.DisabledPlans -join ';'``: it does not say which SKU a plan
was disabled on, so each plan is attributed to the user's SKUs whose catalog entry includes it.
A plan that none of them (as far as the catalog knows) includes is reported, not guessed.

What this format cannot carry: group-based assignment, assignment state and errors.
"""

from __future__ import annotations

from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.exports.cells import License, TokenResolver, combine, dedupe, expand
from playbook.exports.csvio import CsvHead, first_junk, read_columns
from playbook.exports.model import UsersRead, ambiguous_warnings, carried, unknown_warnings
from playbook.exports.userframe import assemble, clean_users, drop_duplicate_users
from playbook.messages import Said

NEEDED = ("upn", "user_id", "display_name", "department", "usage_location", "account_enabled",
          "block_credential", "sku_ids", "sku_parts", "assigned_licenses", "licenses",
          "disabled_plans")
_LICENSE_COLS = ("sku_ids", "assigned_licenses", "licenses", "sku_parts")


def read_graph_powershell(head: CsvHead, catalog: Catalog,
                          fmt: str = "graph-powershell") -> UsersRead:
    """Read a flattened ``Get-MgUser`` CSV into the license table."""
    raw = read_columns(head, NEEDED)
    users = clean_users(raw, head, enabled_field="account_enabled",
                        blocked_field="block_credential" if "account_enabled" not in raw
                        else None)
    lic_cols = [c for c in _LICENSE_COLS if c in raw.columns]
    cols = [*lic_cols, *(["disabled_plans"] if "disabled_plans" in raw.columns else [])]
    users, cells, warnings = drop_duplicate_users(users, combine([raw[c] for c in cols]), head)
    resolver = TokenResolver(catalog)
    positions = users.index.to_numpy()
    unattributed: dict[str, int] = {}

    def parse(values: tuple[str, ...], first: int) -> list[License]:
        cells = dict(zip(cols, values, strict=True))
        junk = first_junk(cells.values())
        if junk is not None:
            col = next(c for c, v in cells.items() if v == junk)
            raise InputError(head.path, "error.exports.not-a-license-list",
                             row=head.line_of(positions[first]), column=head.fields[col],
                             value=junk, fix="error.users-export.graph-powershell-type-name.fix")
        # The first non-empty license column wins: GUIDs are the most exact.
        found: list[License] = []
        for c in lic_cols:
            if cells[c].strip():
                found = dedupe(resolver.split_list(cells[c]))
                break
        plans = [resolver.plan_name(p) for p in cells.get("disabled_plans", "").split(";")
                 if p.strip()]
        if not plans:
            return found
        out, used = [], set()
        for lic in found:
            mine = tuple(sorted({p for p in plans
                                 if lic.known and resolver.sku_has_plan(lic.sku_part_number, p)}))
            used.update(mine)
            out.append(License(lic.product_name, lic.sku_part_number, lic.sku_id, mine))
        for p in plans:
            if p not in used:
                unattributed.setdefault(p, head.line_of(positions[first]))
        return out

    expanded = expand(cells, parse)
    table = assemble(users.reset_index(drop=True), expanded)
    for plan, line in sorted(unattributed.items()):
        warnings.append(Said("warning.users.disabled-plan-not-attached",
                             {"plan": plan, "line": line}))
    warnings += ambiguous_warnings(resolver.ambiguous) + unknown_warnings(expanded.unknown)
    return UsersRead(table, fmt, tuple(warnings), tuple(sorted(expanded.unknown)),
                     **carried(fmt, disabled_plans="disabled_plans" in raw.columns))
