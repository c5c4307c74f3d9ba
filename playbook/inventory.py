"""What a tenant folder holds, before any judgement: ``e4-playbook inspect``.

An admin's first question is "did the playbook read my files right?": which export formats it
recognised, how many users, which licenses and how they are assigned (directly, through a group,
or both), which products it could not name, and what it warned about. Nothing here decides
anything; eligibility and counting do that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from playbook.catalog import SOURCE_PART
from playbook.messages import Said, message, text
from playbook.table import ERROR_STATES


@dataclass(frozen=True)
class SkuCount:
    """How many users hold one SKU and how it reached them.

    ``users`` counts held licenses (rows not in the ``Error`` state, i.e. consumed seats);
    ``direct``/``group``/``both`` split those by assignment path; ``errors`` counts rows in
    ``Error`` or ``ActiveWithError`` (an ``Error`` row is a failed assignment, not a seat).
    """

    sku_part_number: str
    sku_id: str
    display_name: str
    users: int
    direct: int
    group: int
    both: int
    errors: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "sku_part_number": self.sku_part_number, "sku_id": self.sku_id,
            "display_name": self.display_name, "users": self.users, "direct": self.direct,
            "group": self.group, "both": self.both, "errors": self.errors,
        }


@dataclass(frozen=True)
class Inventory:
    """The result of ``inspect``: formats, users, licenses per SKU, unknown products, warnings."""

    tenant: str
    users_file: str
    users_format: str
    subscriptions_file: str | None
    subscriptions_format: str | None
    users: int
    licensed_users: int
    skus: tuple[SkuCount, ...]
    unknown_products: tuple[tuple[str, int], ...]
    warnings: tuple[Said, ...]
    language: str = "en"
    """The tenant's language: the warnings are worded in it (JSON keeps them in English)."""

    @property
    def unlicensed_users(self) -> int:
        return self.users - self.licensed_users

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "users_file": self.users_file,
            "users_format": self.users_format,
            "subscriptions_file": self.subscriptions_file,
            "subscriptions_format": self.subscriptions_format,
            "users": self.users,
            "licensed_users": self.licensed_users,
            "unlicensed_users": self.unlicensed_users,
            "skus": [s.to_dict() for s in self.skus],
            "unknown_products": [{"product_name": n, "users": c}
                                 for n, c in self.unknown_products],
            "warnings": [str(w) for w in self.warnings],
        }

    def to_text(self) -> str:
        """The inventory as a terminal shows it, in the tenant's language."""
        lang = self.language

        def say(key: str, **values: Any) -> str:
            return message(f"inspect.{key}", lang, **values)

        labels = [say("users-export"), say("subscriptions-export")]
        pad = max(len(label) for label in labels) + 1
        lines = [
            say("tenant", tenant=self.tenant),
            f"  {labels[0] + ':':<{pad}} {self.users_file} ({self.users_format})",
            f"  {labels[1] + ':':<{pad}} " + (
                f"{self.subscriptions_file} ({self.subscriptions_format})"
                if self.subscriptions_file else say("no-subscriptions")),
            "  " + say("users", users=self.users, licensed=self.licensed_users,
                       unlicensed=self.unlicensed_users),
            "",
        ]
        if self.skus:
            lines += self._sku_lines(say)
        elif self.unknown_products:
            # licensed users whose every product is unknown: "no licenses" would contradict
            # the count of licensed users just above
            lines.append("  " + say("none-named", n=len(self.unknown_products)))
        else:
            lines.append("  " + say("no-licenses"))
        if self.unknown_products:
            lines += ["", say("unknown-heading")]
            lines += ["  - " + say("unknown-line", name=n, n=c) for n, c in self.unknown_products]
        if self.warnings:
            lines += ["", text("warning.heading", lang)]
            lines += [f"  - {w.words(lang)}" for w in self.warnings]
        return "\n".join(lines)

    def _sku_lines(self, say: Any) -> list[str]:
        """The per-SKU table: part number, counts right-aligned under their headers, name."""
        width = max(len(s.sku_part_number) for s in self.skus)
        heads = [say(f"col.{c}") for c in ("users", "direct", "group", "both", "errors")]
        widths = [max(6, len(h)) for h in heads]
        lines = ["  " + f"{'SKU':<{width}}  " + "  ".join(
            f"{h:>{w}}" for h, w in zip(heads, widths, strict=True)) + "  " + say("col.product")]
        for s in self.skus:
            counts = (s.users, s.direct, s.group, s.both, s.errors)
            lines.append(f"  {s.sku_part_number:<{width}}  " + "  ".join(
                f"{c:>{w}}" for c, w in zip(counts, widths, strict=True))
                + f"  {s.display_name}")
        return lines


def count_skus(table: pd.DataFrame, display_name=None) -> tuple[SkuCount, ...]:
    """Per-SKU counts from a license table (vectorized), E4 first, then by users."""
    known = table[table["sku_part_number"].ne("")]
    held = known["state"].ne("Error")
    grouped = known["group_ids"].map(len).gt(0)
    direct = known["assigned_directly"]
    frame = pd.DataFrame({
        "part": known["sku_part_number"],
        "sku_id": known["sku_id"],
        "users": held,
        "direct": held & direct & ~grouped,
        "group": held & ~direct & grouped,
        "both": held & direct & grouped,
        "errors": known["state"].isin(ERROR_STATES),
    })
    sums = frame.groupby("part", sort=False).agg(
        sku_id=("sku_id", "first"), users=("users", "sum"), direct=("direct", "sum"),
        group=("group", "sum"), both=("both", "sum"), errors=("errors", "sum"))
    sums["first"] = sums.index != SOURCE_PART
    sums = sums.reset_index().sort_values(["first", "users", "part"],
                                          ascending=[True, False, True])
    name = display_name or (lambda part: part)
    return tuple(
        SkuCount(r.part, r.sku_id, name(r.part), int(r.users), int(r.direct), int(r.group),
                 int(r.both), int(r.errors))
        for r in sums.itertuples(index=False))


def unknown_products(table: pd.DataFrame) -> tuple[tuple[str, int], ...]:
    """Products the catalog could not name, with the number of users holding each."""
    rows = table[table["sku_part_number"].eq("") & table["product_name"].ne("")]
    counts = rows.groupby("product_name")["upn"].nunique()
    return tuple((str(n), int(c)) for n, c in counts.sort_index().items())


def inspect_tenant(tenant) -> Inventory:
    """Summarize a loaded tenant: formats, users, licenses per SKU, unknown products, warnings."""
    table = tenant.licenses
    has_license = table["sku_part_number"].ne("") | table["product_name"].ne("")
    licensed = table.loc[has_license & table["state"].ne("Error"), "upn"].nunique()
    subs_file = tenant.subscriptions_file
    return Inventory(
        tenant=tenant.name,
        users_file=tenant.users_file.name,
        users_format=tenant.users_format,
        subscriptions_file=subs_file.name if subs_file is not None else None,
        subscriptions_format=tenant.subscriptions_format,
        users=int(table["upn"].nunique()),
        licensed_users=int(licensed),
        skus=count_skus(table, tenant.catalog.display_name),
        unknown_products=unknown_products(table),
        warnings=tuple(tenant.warnings),
        language=tenant.config.language,
    )
