"""Subscription exports: what the tenant bought, per SKU, into the subscription table.

Formats:

``graph-json``
    ``GET /subscribedSkus`` (or ``Get-MgSubscribedSku | ConvertTo-Json -Depth 5``).
``graph-powershell``
    ``Get-MgSubscribedSku`` flattened to CSV. Columns (case-insensitive)::

        SkuId,SkuPartNumber,AppliesTo,CapabilityStatus,ConsumedUnits,PrepaidUnitsEnabled,
        PrepaidUnitsWarning,PrepaidUnitsSuspended,PrepaidUnitsLockedOut,SubscriptionIds,
        ServicePlans

    ``PrepaidUnits.Enabled`` style names are accepted too. ``SubscriptionIds`` is ``;``-joined;
    ``ServicePlans`` is ``;``-joined ``NAME:servicePlanId[:provisioningStatus]``. Only SkuId or
    SkuPartNumber and the unit columns are required.
``msonline``
    ``Get-MsolAccountSku | Export-Csv``: AccountSkuId, ActiveUnits (= enabled), ConsumedUnits,
    LockedOutUnits, SkuId, SkuPartNumber, TargetClass (= appliesTo), SuspendedUnits,
    WarningUnits. It has no capability status; it is derived from the units the way Graph
    defines it (Enabled when at least one enabled unit, else Warning, Suspended, LockedOut).
    No service plans and no subscription ids.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.exports.csvio import CsvHead, first_junk, read_columns
from playbook.exports.graph_json import load_json, records_from
from playbook.exports.subscription_checks import check_subscriptions
from playbook.messages import Said
from playbook.table import normalize_subscription_table

UNIT_FIELDS = ("enabled", "warning", "suspended", "locked_out", "consumed")
NEEDED = ("sku_ids", "sku_parts", "account_sku_id", "applies_to", "capability_status",
          *UNIT_FIELDS, "subscription_ids", "service_plans", "prepaid_units")

FLATTEN_COMMAND = Said("error.subscriptions-export.flatten-command")
"""The Select-Object that flattens Get-MgSubscribedSku for Export-Csv (in two fixes)."""


_UNIT_KEYS = {"enabled": "enabled", "warning": "warning", "suspended": "suspended",
              "locked_out": "lockedOut"}
"""Subscription-table seat column -> its key inside Graph's ``prepaidUnits``."""


def read_subscriptions_json(path: str | Path, catalog: Catalog | None = None) -> pd.DataFrame:
    """Graph ``subscribedSkus`` JSON to the subscription table (``catalog``: see
    :func:`~playbook.exports.subscription_checks.check_subscriptions`; built-in when None)."""
    path = Path(path)
    records = records_from(load_json(path), path, "skuId")
    rows, cells = [], {f: [] for f in UNIT_FIELDS}
    for i, r in enumerate(records):
        if "prepaidUnits" not in r and "consumedUnits" not in r and "servicePlans" in r:
            raise InputError(path, "error.subscriptions-export.license-details",
                             column=f"value[{i}]", value=r.get("skuPartNumber"))
        if "prepaidUnits" not in r and "consumedUnits" not in r:
            raise InputError(path, "error.subscriptions-export.no-units", column=f"value[{i}]",
                             value=r.get("skuPartNumber"),
                             fix="error.subscriptions-export.license-details.fix")
        units = r.get("prepaidUnits") or {}
        plans = r.get("servicePlans") or []
        if not isinstance(units, dict) or not isinstance(plans, list) or not all(
                isinstance(p, dict) for p in plans):
            raise InputError(path, "error.subscriptions-export.units-not-objects",
                             column=f"value[{i}]", value=units, fix="error.exports.depth.fix")
        for field, key in _UNIT_KEYS.items():
            cells[field].append(units.get(key))
        cells["consumed"].append(r.get("consumedUnits"))
        rows.append({
            "sku_id": _text(r, "skuId", i, path).strip().strip("{}").lower(),
            "sku_part_number": _text(r, "skuPartNumber", i, path).strip(),
            "applies_to": _text(r, "appliesTo", i, path),
            "capability_status": _text(r, "capabilityStatus", i, path),
            "subscription_ids": tuple(str(s).lower() for s in r.get("subscriptionIds") or ()),
            "service_plans": tuple(
                (str(p.get("servicePlanName") or ""),
                 str(p.get("servicePlanId") or "").strip().lower(),
                 str(p.get("provisioningStatus") or ""))
                for p in plans),
        })
    if not rows:
        raise InputError(path, "error.subscriptions-export.none")
    table = pd.DataFrame(rows)

    def locate(i: int, field: str) -> tuple[None, str]:
        key = "consumedUnits" if field == "consumed" else (
            f"prepaidUnits.{_UNIT_KEYS[field]}" if field in _UNIT_KEYS else "skuPartNumber")
        return None, f"value[{i}].{key}"

    counts = check_subscriptions(table, cells, path, locate, catalog or Catalog.builtin())
    for field in UNIT_FIELDS:
        table[field] = counts[field]
    return _finish(table, path, lambda i: None, "skuId")


def _text(record: dict, key: str, i: int, path: Path) -> str:
    """A text field of a subscribedSkus record ("" when missing); any other type is refused."""
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(path, "error.exports.not-text", column=f"value[{i}].{key}", value=value,
                         fix="error.exports.depth.fix", key=key)
    return value


def read_subscriptions_csv(head: CsvHead, fmt: str, catalog: Catalog | None = None
                           ) -> pd.DataFrame:
    """``Get-MgSubscribedSku`` or ``Get-MsolAccountSku`` CSV to the subscription table."""
    raw = read_columns(head, NEEDED)
    if len(raw) == 0:
        raise InputError(head.path, "error.subscriptions-export.header-only",
                         fix="error.exports.no-rows.fix")
    _refuse_unflattened(raw, head)
    out = pd.DataFrame(index=raw.index)
    empty = pd.Series("", index=raw.index)
    out["sku_id"] = raw.get("sku_ids", empty).str.strip().str.strip("{}").str.lower()
    part = raw.get("sku_parts", empty).str.strip()
    if "account_sku_id" in raw:  # contoso:SPE_E3 -> SPE_E3 where SkuPartNumber is missing
        from_account = raw["account_sku_id"].str.strip().str.rsplit(":", n=1).str[-1]
        part = part.where(part.ne(""), from_account)
    out["sku_part_number"] = part
    check_subscriptions(out, raw, head.path, lambda i, f: (head.line_of(i), head.fields.get(
        {"sku_part_number": "sku_parts"}.get(f, f), f)), catalog or Catalog.builtin())
    out["applies_to"] = raw.get("applies_to", empty).str.strip()
    out["capability_status"] = raw.get("capability_status", empty).str.strip()
    for col in UNIT_FIELDS:
        text = raw.get(col, empty).str.strip()
        num = pd.to_numeric(text.where(text.ne(""), "0"), errors="coerce")
        bad = num.isna() | (num % 1 != 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(head.path, "error.subscriptions-export.not-whole-number",
                             row=head.line_of(i), column=head.fields[col], value=text.iloc[i],
                             fix="error.exports.export-again-unedited")
        out[col] = num.astype("int64")
    if fmt == "msonline" and "capability_status" not in raw:
        out["capability_status"] = np.select(
            [out["enabled"] > 0, out["warning"] > 0, out["suspended"] > 0, out["locked_out"] > 0],
            ["Enabled", "Warning", "Suspended", "LockedOut"], default="")
    subs = raw.get("subscription_ids", empty)
    out["subscription_ids"] = [tuple(s.strip().lower() for s in v.split(";") if s.strip())
                               for v in subs]
    out["service_plans"] = [_plans(v) for v in raw.get("service_plans", empty)]
    no_key = out["sku_id"].eq("") & out["sku_part_number"].eq("")
    if no_key.any():
        i = int(np.flatnonzero(no_key.to_numpy())[0])
        raise InputError(head.path, "error.subscriptions-export.no-sku",
                         row=head.line_of(i), column=head.fields.get("sku_ids", "SkuId"),
                         value="", fix="error.exports.export-again-unedited")
    return _finish(out, head.path, head.line_of, head.fields.get("sku_ids", "SkuPartNumber"))


def _refuse_unflattened(raw: pd.DataFrame, head: CsvHead) -> None:
    """Type names instead of values (``Get-MgSubscribedSku | Export-Csv`` without flattening)
    are refused with the command that flattens; a file with no seat column at all is refused
    too, since reading it as 0 seats would invent blockers."""
    for col in raw.columns:
        junk = first_junk(raw[col].drop_duplicates())
        if junk is not None:
            i = int(np.flatnonzero(raw[col].eq(junk).to_numpy())[0])
            raise InputError(head.path, "error.subscriptions-export.type-name",
                             row=head.line_of(i), column=head.fields[col], value=junk,
                             command=FLATTEN_COMMAND)
    if "enabled" not in raw.columns:
        raise InputError(head.path, "error.subscriptions-export.no-seat-column",
                         row=head.skiprows + 1, command=FLATTEN_COMMAND)


def _plans(cell: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for entry in cell.split(";"):
        if entry.strip():
            name, _, rest = entry.strip().partition(":")
            pid, _, status = rest.partition(":")
            out.append((name.strip(), pid.strip().lower(), status.strip()))
    return tuple(out)


def _finish(df: pd.DataFrame, path: Path, line_of, column: str) -> pd.DataFrame:
    """Normalize and refuse one SKU listed twice (which of the two counts would be a guess)."""
    key = df["sku_id"].where(df["sku_id"].ne(""), df["sku_part_number"].str.casefold())
    dup = key.duplicated(keep=False).to_numpy()
    if dup.any():
        first = key[dup].iloc[0]
        where = np.flatnonzero((key == first).to_numpy())
        shown = [line_of(i) for i in where[:2]]
        if shown[0] is not None:
            raise InputError(path, "error.subscriptions-export.listed-twice-lines", row=shown[1],
                             column=column, value=first, sku=first, first=shown[0],
                             second=shown[1], fix="error.subscriptions-export.listed-twice.fix")
        raise InputError(path, "error.subscriptions-export.listed-twice-values", column=column,
                         value=first, sku=first, first=where[0], second=where[1],
                         fix="error.subscriptions-export.listed-twice.fix")
    return normalize_subscription_table(df)
