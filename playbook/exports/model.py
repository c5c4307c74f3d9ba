"""What a users reader returns, and what each users format can carry (kept apart so every
reader module can import it)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from playbook.catalog import Sku
from playbook.messages import Said


@dataclass(frozen=True)
class Carries:
    """What a users export format can carry beyond users and the licenses they hold.

    A column the format cannot carry reads back at its documented empty value
    (:mod:`playbook.table`), which must not be taken for "none": a rule that would conclude from
    it says it cannot tell instead.
    """

    disabled_plans: bool
    """Per-user disabled service plans."""
    assignment_states: bool
    """Assignment ``state``/``error``, and licenses in ``Error`` (not held) at all."""
    groups: bool
    """The groups a license is inherited from (``group_ids``; else every license is direct)."""


USERS_FORMAT_CARRIES: dict[str, Carries] = {
    "admin-center": Carries(disabled_plans=False, assignment_states=False, groups=False),
    "admin-center-legacy": Carries(disabled_plans=False, assignment_states=False, groups=False),
    "graph-json": Carries(disabled_plans=True, assignment_states=True, groups=True),
    # disabled plans only when the file has a DisabledPlans column (the reader says per file)
    "graph-powershell": Carries(disabled_plans=True, assignment_states=False, groups=False),
    "msonline": Carries(disabled_plans=False, assignment_states=False, groups=False),
    # Export-Office365LicenseStatus: a row per service plan, Disabled ones are disabled plans
    "msonline-license-status": Carries(disabled_plans=True, assignment_states=False,
                                       groups=False),
}
"""The one table of what each users format can carry; the sets below derive from it."""

FORMATS_WITH_DISABLED_PLANS = frozenset(
    f for f, c in USERS_FORMAT_CARRIES.items() if c.disabled_plans)
FORMATS_WITHOUT_DISABLED_PLANS = frozenset(USERS_FORMAT_CARRIES) - FORMATS_WITH_DISABLED_PLANS
FORMATS_WITH_STATES = frozenset(
    f for f, c in USERS_FORMAT_CARRIES.items() if c.assignment_states)
FORMATS_WITH_GROUPS = frozenset(f for f, c in USERS_FORMAT_CARRIES.items() if c.groups)


@dataclass(frozen=True)
class UsersRead:
    """What reading a users export gives: the license table and what the admin should know.

    ``carries_*`` say what *this file* can show (set by its reader, from
    :data:`USERS_FORMAT_CARRIES` and the columns present); a reader that says nothing claims
    nothing.
    """

    table: pd.DataFrame
    format: str
    warnings: tuple[Said, ...] = ()  # worded where shown, in the tenant's language
    unknown_products: tuple[str, ...] = ()
    carries_disabled_plans: bool = False
    carries_assignment_states: bool = False
    carries_groups: bool = False

    @property
    def carries(self) -> Carries:
        """What this file can show, as one value to hand to the rules that depend on it."""
        return Carries(disabled_plans=self.carries_disabled_plans,
                       assignment_states=self.carries_assignment_states,
                       groups=self.carries_groups)


def carried(fmt: str, *, disabled_plans: bool = True) -> dict[str, bool]:
    """The ``carries_*`` fields of a :class:`UsersRead` in format ``fmt``.

    ``disabled_plans=False`` when this file lacks the column the format may have.
    """
    c = USERS_FORMAT_CARRIES[fmt]
    return {
        "carries_disabled_plans": c.disabled_plans and disabled_plans,
        "carries_assignment_states": c.assignment_states,
        "carries_groups": c.groups,
    }


def unknown_warnings(unknown: dict[str, int]) -> list[Said]:
    """One warning per product the catalog cannot name (kept in the table, never dropped)."""
    return [Said("warning.users.unknown-product", {"name": name, "n": n})
            for name, n in sorted(unknown.items())]


def ambiguous_warnings(ambiguous: dict[str, tuple[Sku, ...]]) -> list[Said]:
    """One warning per license name that names several SKUs, listing them; the first was
    taken (the tenant's own SKU when subscriptions are given), never silently."""
    return [Said("warning.users.ambiguous-name", {
                "name": name, "n": len(skus), "part": skus[0].part_number,
                "skus": [f"{s.part_number} {s.sku_id}" for s in skus]})
            for name, skus in sorted(ambiguous.items())]
