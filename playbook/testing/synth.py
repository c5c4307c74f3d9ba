"""Made-up tenants of any size, written in every export format (tests and the benchmark).

:func:`synth_tenant` decides a realistic license table (the *truth*, in the
:mod:`playbook.table` contract) and the subscriptions that go with it; the writers turn any
license table into each real export format. Seeded, so the same arguments give the same bytes.

The mix mirrors what E4 tenants look like: most users hold E4 directly, some through one of two
groups, some both ways; a few are already on the target plan, some hold only another plan or
nothing; Power Automate Free and Enterprise Mobility + Security E5 (a name with " + ") sit
beside E4; some E4 users have service plans disabled (including MCOVOICECONF, which no target
has); a few accounts are blocked or lack a usage location; a few EMS group assignments are in
``Error``/``CountViolation``. Everything is built with numpy/pandas column operations: 300,000
users take a second or two (the JSON writer, which must build one object per user, a few more).

What each format carries is :data:`playbook.exports.USERS_FORMAT_CARRIES`; :func:`as_read`
applies it: a format that cannot hold groups, states or disabled plans reads back with those
columns at their documented empty values, and licenses in an error state (not held) disappear
from it, as they do from Microsoft's own exports.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from playbook.catalog import SOURCE_PART, Catalog
from playbook.exports.detect import SUBSCRIPTION_FORMATS, USERS_FORMATS
from playbook.exports.model import USERS_FORMAT_CARRIES
from playbook.table import (
    LICENSE_COLUMNS,
    normalize_license_table,
    normalize_subscription_table,
)

USERS_SUFFIX = {"admin-center": ".csv", "admin-center-legacy": ".csv", "graph-json": ".json",
                "graph-powershell": ".csv", "msonline": ".csv", "msonline-license-status": ".csv"}
SUBSCRIPTIONS_SUFFIX = {"graph-json": ".json", "graph-powershell": ".csv", "msonline": ".csv"}

ADMIN_CENTER_COLUMNS = (
    "Display name", "DirSyncEnabled", "User principal name", "Object Id", "First name",
    "Last name", "When created", "Soft deletion time stamp", "Title", "Department",
    "Preferred data location", "City", "CountryOrRegion", "Office", "StateOrProvince",
    "Usage location", "Last dirsync time", "Block credential", "Licenses",
    "Password never expires", "Last password change time stamp", "Mobile Phone",
    "Phone number", "Postal code", "Preferred language", "Street address", "Fax",
    "Proxy addresses",
)
ADMIN_CENTER_LEGACY_COLUMNS = (
    "Block credential", "City", "Country/Region", "Department", "DirSyncEnabled",
    "Display name", "Fax", "First name", "Last dirsync time", "Last name",
    "Last password change time stamp", "License assignment details", "Licenses",
    "Mobile Phone", "Oath token meta data", "Object Id", "Office", "Password never expires",
    "Phone number", "Postal code", "Preferred data location", "Preferred language",
    "Proxy addresses", "Release track", "Soft deletion time stamp", "State", "Street address",
    "Strong password required", "Title", "Usage location", "User principal name",
    "When created",
)
MSONLINE_COLUMNS = (
    "BlockCredential", "City", "Country", "Department", "DisplayName", "FirstName",
    "IsLicensed", "LastName", "Licenses", "ObjectId", "UsageLocation", "UserPrincipalName",
    "WhenCreated",
)
LICENSE_STATUS_COLUMNS = ("UserPrincipalName", "DisplayName", "Department", "UsageLocation",
                          "AccountSkuId", "ServiceName", "ProvisioningStatus")
GRAPH_POWERSHELL_COLUMNS = ("Id", "UserPrincipalName", "DisplayName", "Department",
                            "UsageLocation", "AccountEnabled", "SkuIds", "DisabledPlans")
SUBS_POWERSHELL_COLUMNS = (
    "SkuId", "SkuPartNumber", "AppliesTo", "CapabilityStatus", "ConsumedUnits",
    "PrepaidUnitsEnabled", "PrepaidUnitsWarning", "PrepaidUnitsSuspended",
    "PrepaidUnitsLockedOut", "SubscriptionIds", "ServicePlans",
)
MSOL_SKU_COLUMNS = ("AccountName", "AccountSkuId", "ActiveUnits", "ConsumedUnits",
                    "LockedOutUnits", "SkuId", "SkuPartNumber", "TargetClass", "SuspendedUnits",
                    "WarningUnits")

FIRST = ("Ada", "Bo", "Cai", "Dana", "Emil", "Freja", "Gus", "Hana", "Ivan", "Jonas", "Kim",
         "Lea", "Mads", "Nora", "Oskar", "Pia", "Rune", "Sara", "Theo", "Una", "Vera", "Wim",
         "Yara", "Zoe", "Anton", "Clara", "Felix", "Ida", "Lars", "Maja")
LAST = ("Example", "Berg", "Holm", "Dahl", "Lund", "Vik", "Moss", "Nygaard", "Strand", "Bakke",
        "Skov", "Krog", "Falk", "Lind", "Ahl", "Brandt", "Hviid", "Juul", "Kjaer", "Ravn")
DEPARTMENTS = ("Finance", "Sales", "Engineering", "Support", "HR", "Legal", "Marketing", "")
LOCATIONS = ("DK", "US", "GB", "DE", "SE", "NO", "NL")
DISABLED_OPTIONS = (("SWAY",), ("FORMS_PLAN_E3", "SWAY"), ("YAMMER_ENTERPRISE",),
                    ("MCOVOICECONF",), ("SWAY", "YAMMER_ENTERPRISE"))
CATEGORIES = ("e4_direct", "e4_group", "e4_both", "on_target", "other_only", "unlicensed")
DEFAULT_MIX = {"e4_direct": 0.50, "e4_group": 0.20, "e4_both": 0.06, "on_target": 0.08,
               "other_only": 0.06, "unlicensed": 0.10}
OTHER_PART = "STANDARDPACK"
FLOW_PART = "FLOW_FREE"
EMS_PART = "EMSPREMIUM"
WHEN = "2021-03-04 10:00:00Z"
STATE_TIME = "2024-05-06T10:11:12Z"


@dataclass(frozen=True)
class SynthTenant:
    """A made-up tenant: the truth, what ``fmt`` reads back as, subscriptions and tenant.yaml."""

    name: str
    fmt: str
    truth: pd.DataFrame
    table: pd.DataFrame
    subscriptions: pd.DataFrame
    config: dict[str, Any]
    groups: dict[str, str] = field(default_factory=dict)
    tenant_prefix: str = "contoso"


# -- ids ---------------------------------------------------------------------------------
def guids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 GUIDs as lower-case strings, built without a Python loop."""
    hexchars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = hexchars[rng.integers(0, 16, size=(n, 32))]
    nibbles[:, 12] = ord("4")
    nibbles[:, 16] = hexchars[8 + rng.integers(0, 4, size=n)]
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for dst, src in ((slice(0, 8), slice(0, 8)), (slice(9, 13), slice(8, 12)),
                     (slice(14, 18), slice(12, 16)), (slice(19, 23), slice(16, 20)),
                     (slice(24, 36), slice(20, 32))):
        out[:, dst] = nibbles[:, src]
    return out.view("S36").ravel().astype(str)


def _tuples(values: list[tuple], codes: np.ndarray) -> np.ndarray:
    """An object array holding ``values[code]`` per position (tuples, never broadcast)."""
    pool = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        pool[i] = v
    return pool[codes] if len(codes) else np.empty(0, dtype=object)


def _exact_choice(rng: np.random.Generator, n: int, weights: dict[str, float]) -> np.ndarray:
    """Category per position with exact proportions (rounded), shuffled: small tenants still
    get every kind, and counts do not wobble between seeds."""
    names = list(weights)
    total = sum(weights.values())
    counts = [int(round(n * weights[k] / total)) for k in names]
    counts[0] += n - sum(counts)
    labels = np.repeat(np.arange(len(names)), counts)
    return np.asarray(names, dtype=object)[rng.permutation(labels)]


def _pick(rng: np.random.Generator, candidates: np.ndarray, share: float) -> np.ndarray:
    k = int(round(len(candidates) * share))
    return np.sort(rng.choice(candidates, size=k, replace=False)) if k else candidates[:0]


# -- the tenant --------------------------------------------------------------------------
def synth_tenant(
    n_users: int,
    *,
    seed: int = 0,
    fmt: str = "graph-json",
    target: str = "ENTERPRISEPREMIUM",
    name: str | None = None,
    domain: str = "contoso.example",
    tenant_prefix: str = "contoso",
    target_seats: int | None = None,
    mix: dict[str, float] | None = None,
    catalog: Catalog | None = None,
) -> SynthTenant:
    """A realistic made-up tenant of ``n_users`` users.

    ``table`` is what :func:`playbook.exports.read_users` returns after :func:`write_users`
    in ``fmt``; ``truth`` is everything decided (the graph-json view). ``target_seats`` is the
    number of target licenses bought (default: enough for every E4 holder). ``mix`` overrides
    category shares (keys of :data:`DEFAULT_MIX`).
    """
    if fmt not in USERS_FORMATS:
        raise ValueError(f"fmt must be one of {USERS_FORMATS}")
    catalog = catalog or Catalog.builtin()
    rng = np.random.default_rng(seed)
    n = int(n_users)
    users = _users(rng, n, domain)
    weights = {**DEFAULT_MIX, **(mix or {})}
    cat = _exact_choice(rng, n, {k: weights.get(k, 0.0) for k in CATEGORIES})
    gid = guids(rng, 3)
    groups = {"E4 users A": gid[0], "E4 users B": gid[1], "EMS users": gid[2]}

    idx = np.arange(n)
    e4_users = idx[np.isin(cat, ("e4_direct", "e4_group", "e4_both"))]
    e4_cat = cat[e4_users]
    e4_group_code = rng.integers(0, 2, size=len(e4_users))  # group A or B
    e4_groups = _tuples([(), (gid[0],), (gid[1],)],
                        np.where(e4_cat == "e4_direct", 0, 1 + e4_group_code))
    disabled_code = np.zeros(len(e4_users), dtype=np.int64)
    with_disabled = _pick(rng, np.arange(len(e4_users)), 0.15)
    disabled_code[with_disabled] = 1 + rng.integers(0, len(DISABLED_OPTIONS),
                                                    size=len(with_disabled))
    parts: list[pd.DataFrame] = [_rows(
        e4_users, SOURCE_PART, direct=e4_cat != "e4_group", groups=e4_groups,
        disabled=_tuples([(), *DISABLED_OPTIONS], disabled_code), order=0)]
    parts.append(_rows(idx[cat == "on_target"], target, order=1))
    parts.append(_rows(idx[cat == "other_only"], OTHER_PART, order=2))
    licensed = idx[cat != "unlicensed"]
    parts.append(_rows(_pick(rng, licensed, 0.20), FLOW_PART, order=3))
    ems = _pick(rng, e4_users, 0.10)
    ems_err = np.zeros(len(ems), dtype=bool)
    ems_err[_pick(rng, np.arange(len(ems)), 0.10)] = True
    parts.append(_rows(ems, EMS_PART, direct=np.zeros(len(ems), dtype=bool),
                       groups=_tuples([(gid[2],)], np.zeros(len(ems), dtype=np.int64)),
                       state=np.where(ems_err, "Error", "Active"),
                       error=np.where(ems_err, "CountViolation", ""), order=4))
    parts.append(_rows(idx[cat == "unlicensed"], "", order=-1))

    rows = pd.concat(parts, ignore_index=True)
    rows = rows.sort_values(["_user", "_order"], kind="stable").reset_index(drop=True)
    sku_ids = {p: (catalog.get(p).sku_id.lower() if p else "")
               for p in rows["sku_part_number"].unique()}
    rows["sku_id"] = rows["sku_part_number"].map(sku_ids)
    rows["product_name"] = rows["sku_id"]
    truth = users.iloc[rows["_user"].to_numpy()].reset_index(drop=True)
    for col in ("sku_part_number", "sku_id", "product_name", "assigned_directly", "group_ids",
                "disabled_plans", "state", "error"):
        truth[col] = rows[col].to_numpy()
    truth = normalize_license_table(truth)

    subs = _subscriptions(truth, target, target_seats, catalog, rng)
    config = {"name": name or f"synth-{n}-{seed}", "target": target,
              "purchase_channel": "direct", "payment_method": "credit-card"}
    return SynthTenant(config["name"], fmt, truth,
                       as_read(truth, fmt, catalog=catalog, tenant_prefix=tenant_prefix),
                       subs, config, groups, tenant_prefix)


def _users(rng: np.random.Generator, n: int, domain: str) -> pd.DataFrame:
    first = np.asarray(FIRST, dtype=object)[rng.integers(0, len(FIRST), size=n)]
    last = np.asarray(LAST, dtype=object)[rng.integers(0, len(LAST), size=n)]
    display = pd.Series(first + " " + last)
    base = pd.Series(first + "." + last).str.lower()
    dup = base.groupby(base).cumcount()
    upn = base + np.where(dup > 0, (dup + 1).astype(str), "") + "@" + domain
    loc = np.asarray(LOCATIONS, dtype=object)[rng.integers(0, len(LOCATIONS), size=n)]
    loc[_pick(rng, np.arange(n), 0.02)] = ""
    enabled = np.ones(n, dtype=bool)
    enabled[_pick(rng, np.arange(n), 0.03)] = False
    return pd.DataFrame({
        "upn": upn.to_numpy(),
        "user_id": guids(rng, n),
        "display_name": display.to_numpy(),
        "department": np.asarray(DEPARTMENTS, dtype=object)[
            rng.integers(0, len(DEPARTMENTS), size=n)],
        "usage_location": loc,
        "account_enabled": enabled,
    })


def _rows(users: np.ndarray, part: str, *, direct: np.ndarray | bool = True,
          groups: np.ndarray | None = None, disabled: np.ndarray | None = None,
          state: np.ndarray | str | None = None, error: np.ndarray | str = "",
          order: int) -> pd.DataFrame:
    n = len(users)
    empty = _tuples([()], np.zeros(n, dtype=np.int64))
    if state is None:
        state = "Active" if part else ""
    return pd.DataFrame({
        "_user": users, "_order": order, "sku_part_number": part,
        "assigned_directly": np.broadcast_to(direct, n).astype(bool),
        "group_ids": empty if groups is None else groups,
        "disabled_plans": empty if disabled is None else disabled,
        "state": np.broadcast_to(np.asarray(state, dtype=object), n),
        "error": np.broadcast_to(np.asarray(error, dtype=object), n),
    })


def _subscriptions(truth: pd.DataFrame, target: str, target_seats: int | None,
                   catalog: Catalog, rng: np.random.Generator) -> pd.DataFrame:
    """Seats per SKU consistent with the table: E4 exactly used up (no more users than
    licenses), EMS full (hence its CountViolation errors), free plans viral-sized."""
    held = truth[truth["sku_part_number"].ne("") & truth["state"].ne("Error")]
    consumed = held.groupby("sku_part_number").size()
    e4_holders = int(consumed.get(SOURCE_PART, 0))
    parts = list(dict.fromkeys([SOURCE_PART, target, *consumed.index]))
    ids = guids(rng, len(parts))
    rows = []
    for part, sub_id in zip(parts, ids, strict=True):
        used = int(consumed.get(part, 0))
        if part == target:
            enabled = used + e4_holders if target_seats is None else int(target_seats)
        elif part == FLOW_PART:
            enabled = 10000
        elif part == OTHER_PART:
            enabled = used + 5
        else:
            enabled = used
        sku = catalog.get(part)
        rows.append({
            "sku_id": sku.sku_id.lower(), "sku_part_number": part, "applies_to": "User",
            "capability_status": "Enabled", "enabled": enabled, "consumed": used,
            "subscription_ids": (sub_id,),
            "service_plans": tuple((p.name, p.id.lower(), "Success")
                                   for p in sku.service_plans),
        })
    return normalize_subscription_table(pd.DataFrame(rows))


# -- what a format carries ---------------------------------------------------------------
def as_read(table: pd.DataFrame, fmt: str, *, catalog: Catalog | None = None,
            tenant_prefix: str = "contoso") -> pd.DataFrame:
    """What :func:`playbook.exports.read_users` returns for ``table`` written in ``fmt``.

    - ``graph-json``: everything.
    - ``graph-powershell``: no groups, states or errors (direct, ``Active``); disabled plans
      kept; ``product_name`` is the skuId.
    - ``admin-center`` / ``admin-center-legacy``: also no disabled plans; ``product_name`` is
      the display name.
    - ``msonline``: like the admin center; ``product_name`` is ``<tenant_prefix>:<PART>``.
    - ``msonline-license-status``: like ``msonline`` but with disabled plans; no object id and
      no sign-in state (every user reads as enabled).

    Licenses in the ``Error`` state are not held, so only Graph JSON shows them; a user left
    with none keeps one empty row.
    """
    t = normalize_license_table(table)
    carries = USERS_FORMAT_CARRIES[fmt]
    if carries.assignment_states and carries.groups and carries.disabled_plans:
        return t
    # No format carries groups without states or the other way round: both go together here.
    catalog = catalog or Catalog.builtin()
    order = pd.Series(np.arange(len(t)), index=t.index)
    first_pos = order.groupby(t["upn"], sort=False).transform("min")
    keep = t["state"].ne("Error")
    lost = ~t["upn"].isin(t.loc[keep, "upn"])
    empty_rows = t[lost].drop_duplicates("upn").copy()
    for col in ("sku_part_number", "sku_id", "product_name", "state", "error"):
        empty_rows[col] = ""
    out = pd.concat([t[keep], empty_rows])
    out["_pos"] = pd.concat([first_pos[keep], first_pos[empty_rows.index]]).to_numpy()
    out = out.sort_values("_pos", kind="stable").drop(columns="_pos")
    has = out["product_name"].ne("") | out["sku_part_number"].ne("")
    out["assigned_directly"] = True
    out["group_ids"] = [()] * len(out)
    out["error"] = ""
    out["state"] = np.where(has, "Active", "")
    if not carries.disabled_plans:
        out["disabled_plans"] = [()] * len(out)
    out["product_name"] = _written_names(out, fmt, catalog, tenant_prefix)
    if fmt == "msonline-license-status":
        out["user_id"] = ""
        out["account_enabled"] = True
    return normalize_license_table(out)


def subscriptions_as_read(subs: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """What :func:`playbook.exports.read_subscriptions` returns for ``subs`` written in ``fmt``.

    ``graph-json`` and ``graph-powershell`` carry everything; ``msonline``
    (``Get-MsolAccountSku``) has no subscription ids, service plans or capability status (the
    reader derives the status from the units).
    """
    out = normalize_subscription_table(subs)
    if fmt != "msonline":
        return out
    out["subscription_ids"] = [()] * len(out)
    out["service_plans"] = [()] * len(out)
    out["capability_status"] = np.select(
        [out["enabled"] > 0, out["warning"] > 0, out["suspended"] > 0, out["locked_out"] > 0],
        ["Enabled", "Warning", "Suspended", "LockedOut"], default="")
    return normalize_subscription_table(out)


def _written_names(t: pd.DataFrame, fmt: str, catalog: Catalog, prefix: str) -> pd.Series:
    """The license token each writer puts in the file for each row."""
    part, sid, name = t["sku_part_number"], t["sku_id"], t["product_name"]
    if fmt in ("admin-center", "admin-center-legacy"):
        names = {p: catalog.display_name(p) for p in part.unique() if p}
        return part.map(names).where(part.ne(""), name).fillna(name)
    if fmt in ("msonline", "msonline-license-status"):
        return (prefix + ":" + part).where(part.ne(""), name)
    return sid.where(sid.ne(""), name)


# -- writers -----------------------------------------------------------------------------
def _held(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["state"].ne("Error") & (table["product_name"].ne("")
                                               | table["sku_part_number"].ne(""))]


def _per_user(table: pd.DataFrame) -> pd.DataFrame:
    """One row per user, in order of first appearance."""
    return table.drop_duplicates("upn")[
        ["upn", "user_id", "display_name", "department", "usage_location", "account_enabled"]
    ].reset_index(drop=True)


def _joined(table: pd.DataFrame, values: pd.Series, users: pd.DataFrame, sep: str,
            none: str = "") -> pd.Series:
    """Per user (aligned with ``users``), the row values joined by ``sep``, in row order.

    Vectorized: the k-th value of every user is appended in one step per k (users hold a
    handful of licenses), instead of a Python call per user group.
    """
    vals = values.to_numpy(dtype=object)
    mask = vals != ""
    user_pos = pd.Index(users["upn"]).get_indexer(table["upn"].to_numpy()[mask])
    vals = vals[mask]
    out = np.full(len(users), "", dtype=object)
    if len(vals):
        rank = pd.Series(user_pos).groupby(user_pos).cumcount().to_numpy()
        for k in range(int(rank.max()) + 1):
            at = rank == k
            u = user_pos[at]
            out[u] = vals[at] if k == 0 else out[u] + sep + vals[at]
    out[out == ""] = none
    return pd.Series(out, index=users.index, dtype=object)


def _names(display: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last name from a display name (first word, the rest)."""
    parts = display.str.partition(" ")
    return parts[0], parts[2]


def _bools(values: pd.Series, words: tuple[str, str]) -> np.ndarray:
    return np.where(values.to_numpy(dtype=bool), words[0], words[1])


def write_users(table: pd.DataFrame, path: str | Path, fmt: str, *,
                catalog: Catalog | None = None, tenant_prefix: str = "contoso",
                delimiter: str = ",", encoding: str | None = None,
                booleans: tuple[str, str] = ("True", "False"), pages: int = 1,
                legacy_details: bool = True) -> Path:
    """Write a license table as a users export in ``fmt``; returns the path written.

    CSV dialect options imitate an Excel re-save (``delimiter=";"``, ``booleans=("SAND",
    "FALSK")``, ``encoding="cp1252"``). ``pages`` > 1 writes Graph JSON as a list of pages, or,
    when ``path`` has no ``.json`` suffix, as a folder of page files. Licenses in the ``Error``
    state are written only to Graph JSON (the other formats list held licenses only).
    """
    catalog = catalog or Catalog.builtin()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = normalize_license_table(table)
    if fmt == "graph-json":
        return _write_graph_json(table, path, catalog, pages)
    held = _held(table)
    users = _per_user(table)
    names = _written_names(held, fmt, catalog, tenant_prefix)
    if fmt in ("admin-center", "admin-center-legacy"):
        licenses = _joined(held, names, users, "+", none="Unlicensed")
        first, last = _names(users["display_name"])
        cols = {
            "Display name": users["display_name"], "DirSyncEnabled": booleans[1],
            "User principal name": users["upn"], "Object Id": users["user_id"],
            "First name": first, "Last name": last, "When created": WHEN,
            "Department": users["department"], "Usage location": users["usage_location"],
            "Block credential": _bools(~users["account_enabled"], booleans),
            "Licenses": licenses, "Password never expires": booleans[1],
            "Last password change time stamp": WHEN,
            "Proxy addresses": "SMTP:" + users["upn"],
        }
        layout = ADMIN_CENTER_COLUMNS
        if fmt == "admin-center-legacy":
            layout = ADMIN_CENTER_LEGACY_COLUMNS
            cols["License assignment details"] = (
                licenses.where(licenses.ne("Unlicensed"), "") if legacy_details else "")
            cols["Strong password required"] = booleans[0]
        _write_csv(path, layout, cols, len(users), delimiter=delimiter,
                   encoding=encoding or "utf-8-sig", lineterminator="\r\n")
    elif fmt == "msonline":
        licenses = _joined(held, names, users, ";")
        first, last = _names(users["display_name"])
        cols = {
            "BlockCredential": _bools(~users["account_enabled"], booleans),
            "Department": users["department"], "DisplayName": users["display_name"],
            "FirstName": first, "IsLicensed": _bools(licenses.ne(""), booleans),
            "LastName": last, "Licenses": licenses, "ObjectId": users["user_id"],
            "UsageLocation": users["usage_location"], "UserPrincipalName": users["upn"],
            "WhenCreated": "3/4/2021 10:00:00 AM",
        }
        _write_csv(path, MSONLINE_COLUMNS, cols, len(users), delimiter=delimiter,
                   encoding=encoding or "ascii", quoting=csv.QUOTE_ALL, lineterminator="\r\n",
                   type_line="#TYPE Microsoft.Online.Administration.User")
    elif fmt == "graph-powershell":
        plan_ids = _plan_ids(held["disabled_plans"], catalog)
        cols = {
            "Id": users["user_id"], "UserPrincipalName": users["upn"],
            "DisplayName": users["display_name"], "Department": users["department"],
            "UsageLocation": users["usage_location"],
            "AccountEnabled": _bools(users["account_enabled"], booleans),
            "SkuIds": _joined(held, names, users, ";"),
            "DisabledPlans": _joined(held, plan_ids.map(";".join), users, ";"),
        }
        _write_csv(path, GRAPH_POWERSHELL_COLUMNS, cols, len(users), delimiter=delimiter,
                   encoding=encoding or "utf-8", quoting=csv.QUOTE_ALL)
    elif fmt == "msonline-license-status":
        _write_license_status(path, held, names, users, catalog, delimiter, encoding)
    else:
        raise ValueError(f"fmt must be one of {USERS_FORMATS}")
    return path


def _write_license_status(path: Path, held: pd.DataFrame, names: pd.Series,
                          users: pd.DataFrame, catalog: Catalog, delimiter: str,
                          encoding: str | None) -> None:
    """``Export-Office365LicenseStatus``: a row per user, SKU and the SKU's service plans (from
    the catalog), ``Disabled`` for the user's disabled plans; a user without licences gets one
    row with an empty AccountSkuId. A Python loop: test tenants only."""
    rows: list[list[str]] = []
    by_user = {u: [] for u in users["upn"]}
    for rec, token in zip(held.itertuples(index=False), names, strict=True):
        by_user[rec.upn].append((rec, token))
    for user in users.itertuples(index=False):
        base = [user.upn, user.display_name, user.department, user.usage_location]
        if not by_user[user.upn]:
            rows.append([*base, "", "", ""])
        for rec, token in by_user[user.upn]:
            sku = catalog.resolve(rec.sku_part_number)
            plans = [p.name for p in sku.service_plans] if sku is not None else []
            off = set(rec.disabled_plans)
            for plan in plans or [""]:
                rows.append([*base, token, plan, "Disabled" if plan in off else "Success"])
    with path.open("w", encoding=encoding or "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(LICENSE_STATUS_COLUMNS)
        writer.writerows(rows)


def _write_csv(path: Path, header: tuple[str, ...], cols: dict[str, Any], n: int, *,
               delimiter: str = ",", encoding: str = "utf-8", quoting: int = csv.QUOTE_MINIMAL,
               lineterminator: str = "\n", type_line: str = "") -> None:
    """Write columns (Series, arrays or one value for all rows) under ``header``.

    One object matrix and the C ``csv`` writer: twice as fast as ``DataFrame.to_csv`` for
    wide, mostly empty exports. Characters the encoding lacks become ``?``, as PowerShell's
    ASCII output does.
    """
    matrix = np.full((n, len(header)), "", dtype=object)
    for j, name in enumerate(header):
        value = cols.get(name, "")
        matrix[:, j] = value.to_numpy(dtype=object) if isinstance(value, pd.Series) else value
    with path.open("w", encoding=encoding, errors="replace", newline="") as fh:
        if type_line:
            fh.write(type_line + lineterminator)
        writer = csv.writer(fh, delimiter=delimiter, quoting=quoting,
                            lineterminator=lineterminator)
        writer.writerow(header)
        writer.writerows(matrix.tolist())


def _plan_ids(disabled: pd.Series, catalog: Catalog) -> pd.Series:
    """Service-plan names to their GUIDs (a GUID or unknown name is kept as written)."""
    cache: dict[tuple, tuple[str, ...]] = {}
    out = []
    for plans in disabled:
        hit = cache.get(plans)
        if hit is None:
            hit = tuple((p_.id.lower() if (p_ := catalog.plan_by_name(p)) else p) for p in plans)
            cache[plans] = hit
        out.append(hit)
    return pd.Series(out, index=disabled.index, dtype=object)


def _write_graph_json(table: pd.DataFrame, path: Path, catalog: Catalog, pages: int) -> Path:
    """Graph ``/users`` JSON: assignedLicenses (held) + licenseAssignmentStates (per path)."""
    plan_ids = _plan_ids(table["disabled_plans"], catalog).tolist()
    users: list[dict] = []
    by_upn: dict[str, dict] = {}
    cols = [table[c].tolist() for c in LICENSE_COLUMNS]
    for i, (upn, uid, dname, dept, loc, enabled, _part, sid, pname, direct, groups, _dis,
            state, error) in enumerate(zip(*cols, strict=True)):
        user = by_upn.get(upn)
        if user is None:
            user = {"id": uid, "userPrincipalName": upn, "displayName": dname,
                    "department": dept or None, "usageLocation": loc or None,
                    "accountEnabled": bool(enabled), "assignedLicenses": [],
                    "licenseAssignmentStates": []}
            by_upn[upn] = user
            users.append(user)
        sku = sid or pname
        if not sku:
            continue
        ids = list(plan_ids[i])
        if state != "Error":
            user["assignedLicenses"].append({"disabledPlans": ids, "skuId": sku})
        paths = ([None] if direct else []) + list(groups)
        for group in paths:
            user["licenseAssignmentStates"].append({
                "assignedByGroup": group, "disabledPlans": ids, "error": error or "None",
                "lastUpdatedDateTime": STATE_TIME, "skuId": sku, "state": state or "Active"})
    context = ("https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,"
               "displayName,department,usageLocation,accountEnabled,assignedLicenses,"
               "licenseAssignmentStates)")
    size = max(1, -(-len(users) // max(1, pages)))
    chunks = [users[i:i + size] for i in range(0, len(users), size)] or [[]]
    docs = []
    for k, chunk in enumerate(chunks):
        doc: dict[str, Any] = {"@odata.context": context}
        if k < len(chunks) - 1:
            doc["@odata.nextLink"] = ("https://graph.microsoft.com/v1.0/users?$select=id&"
                                      f"$skiptoken=page{k + 2}")
        doc["value"] = chunk
        docs.append(doc)
    if pages > 1 and path.suffix.lower() != ".json":
        path.mkdir(parents=True, exist_ok=True)
        for k, doc in enumerate(docs, start=1):
            _dump(doc, path / f"page{k}.json")
        return path
    _dump(docs if pages > 1 else docs[0], path)
    return path


def _dump(data: Any, path: Path) -> None:
    """JSON for people when small (indented), for speed when large (C encoder, one line)."""
    with path.open("w", encoding="utf-8") as fh:
        if _size(data) < 5000:
            json.dump(data, fh, indent=2, ensure_ascii=False)
        else:
            fh.write(json.dumps(data, ensure_ascii=False))
        fh.write("\n")


def _size(data: Any) -> int:
    """Number of records in a Graph document or list of pages (cheap, no encoding)."""
    if isinstance(data, dict):
        return len(data.get("value", ()))
    return sum(_size(d) for d in data) if data and isinstance(data[0], dict) else len(data)


def write_subscriptions(subs: pd.DataFrame, path: str | Path, fmt: str, *,
                        tenant_prefix: str = "contoso") -> Path:
    """Write a subscription table as ``subscribedSkus`` JSON, Get-MgSubscribedSku CSV or
    Get-MsolAccountSku CSV."""
    subs = normalize_subscription_table(subs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graph-json":
        value = [{
            "accountName": tenant_prefix, "accountId": "00000000-0000-4000-8000-0000000000bb",
            "appliesTo": r.applies_to, "capabilityStatus": r.capability_status,
            "consumedUnits": int(r.consumed),
            "id": f"00000000-0000-4000-8000-0000000000cc_{r.sku_id}",
            "prepaidUnits": {"enabled": int(r.enabled), "lockedOut": int(r.locked_out),
                             "suspended": int(r.suspended), "warning": int(r.warning)},
            "servicePlans": [{"servicePlanId": pid, "servicePlanName": name,
                              "provisioningStatus": status, "appliesTo": r.applies_to}
                             for name, pid, status in r.service_plans],
            "skuId": r.sku_id, "skuPartNumber": r.sku_part_number,
            "subscriptionIds": list(r.subscription_ids),
        } for r in subs.itertuples(index=False)]
        _dump({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus",
               "value": value}, path)
    elif fmt == "graph-powershell":
        frame = pd.DataFrame({
            "SkuId": subs["sku_id"], "SkuPartNumber": subs["sku_part_number"],
            "AppliesTo": subs["applies_to"], "CapabilityStatus": subs["capability_status"],
            "ConsumedUnits": subs["consumed"], "PrepaidUnitsEnabled": subs["enabled"],
            "PrepaidUnitsWarning": subs["warning"], "PrepaidUnitsSuspended": subs["suspended"],
            "PrepaidUnitsLockedOut": subs["locked_out"],
            "SubscriptionIds": subs["subscription_ids"].map(";".join),
            "ServicePlans": subs["service_plans"].map(
                lambda plans: ";".join(":".join(p) for p in plans)),
        })[list(SUBS_POWERSHELL_COLUMNS)]
        frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    elif fmt == "msonline":
        frame = pd.DataFrame({
            "AccountName": tenant_prefix,
            "AccountSkuId": tenant_prefix + ":" + subs["sku_part_number"],
            "ActiveUnits": subs["enabled"], "ConsumedUnits": subs["consumed"],
            "LockedOutUnits": subs["locked_out"], "SkuId": subs["sku_id"],
            "SkuPartNumber": subs["sku_part_number"], "TargetClass": subs["applies_to"],
            "SuspendedUnits": subs["suspended"], "WarningUnits": subs["warning"],
        })[list(MSOL_SKU_COLUMNS)]
        with path.open("w", encoding="ascii", errors="replace", newline="") as fh:
            fh.write("#TYPE Microsoft.Online.Administration.AccountSku\r\n")
            frame.to_csv(fh, index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    else:
        raise ValueError(f"fmt must be one of {SUBSCRIPTION_FORMATS}")
    return path


def write_tenant_folder(folder: str | Path, tenant: SynthTenant, *, users_fmt: str | None = None,
                        subs_fmt: str | None = "graph-json",
                        config: dict[str, Any] | None = None,
                        catalog: Catalog | None = None) -> Path:
    """A tenant folder: ``tenant.yaml`` + ``users.*`` (+ ``subscriptions.*`` unless
    ``subs_fmt`` is None). ``config`` entries override the synthesized tenant.yaml."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fmt = users_fmt or tenant.fmt
    data = {**tenant.config, **(config or {})}
    (folder / "tenant.yaml").write_text(yaml.safe_dump(data, sort_keys=False),
                                        encoding="utf-8")
    write_users(tenant.truth, folder / f"users{USERS_SUFFIX[fmt]}", fmt, catalog=catalog,
                tenant_prefix=tenant.tenant_prefix)
    if subs_fmt:
        write_subscriptions(tenant.subscriptions,
                            folder / f"subscriptions{SUBSCRIPTIONS_SUFFIX[subs_fmt]}", subs_fmt,
                            tenant_prefix=tenant.tenant_prefix)
    return folder
