"""The SKU catalog: which product a token names, and which service plans a product carries.

Exports name licenses in four ways (skuId GUIDs, skuPartNumbers, ``tenant:PART`` tokens and
admin-center display names), and Microsoft renames products in place. The catalog resolves all of
them, case- and whitespace-insensitively (Microsoft's own table has NBSP and TAB inside keys).

Layers, first match wins field by field: the tenant's own ``subscribedSkus`` (the truth about its
service plans) > Microsoft's product reference CSV when the admin points at it > the small
built-in catalog of the SKUs that matter for an E4 upgrade.

The built-in catalog is data, not code: ``playbook/resources/builtin-catalog.csv``, in the layout
of Microsoft's "Product names and service plan identifiers for licensing" table (same header, so
the same reader reads both). Its identifiers are facts typed in for the few products the playbook
must know without any download: E4, the five target plans (and Microsoft 365 E5 without Audio
Conferencing), E1, E2, Business Premium, Teams Phone, Audio Conferencing, Extra File Storage and
the neighbours admin-center exports show beside E4 (EMS names contain " + ", so a "+"-joined
Licenses cell only splits right when they are known). The friendly-names column is left empty.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import pandas as pd

from playbook.errors import InputError

SOURCE_PART = "ENTERPRISEWITHSCAL"
"""Office 365 E4, the retired plan every user is moved off."""

TARGET_PARTS: tuple[str, ...] = (
    "ENTERPRISEPREMIUM",
    "SPE_E5",
    "ENTERPRISEPREMIUM_NOPSTNCONF",
    "SPE_E5_NOPSTNCONF",
    "ENTERPRISEPACK",
    "SPE_E3",
)
"""Plans Microsoft offers E4 customers: Office 365 E5, Microsoft 365 E5, the two E5 plans without
Audio Conferencing, Office 365 E3 and Microsoft 365 E3."""

PLAN_SUCCESSORS: dict[str, tuple[str, ...]] = {"MCOVOICECONF": ("MCOEV",)}
"""E4 plans a newer plan replaces. E4's Skype for Business Online Plan 3 (enterprise voice) is
covered by Phone System (ex Cloud PBX): Microsoft rates the E5 plans as keeping all of E4 [S2]
and offered E3 + Cloud PBX as an E4 option [S3] (INFERENCE in microsoft-facts). Its one home:
eligibility (data kept) and the plan's disabled-plan mapper both read it."""

REFERENCE_HEADER = (
    "Product_Display_Name",
    "String_Id",
    "GUID",
    "Service_Plan_Name",
    "Service_Plan_Id",
    "Service_Plans_Included_Friendly_Names",
)

BUILTIN_CATALOG = "builtin-catalog.csv"
"""The built-in catalog's file in ``playbook/resources`` (Microsoft's reference layout)."""

BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "ENTERPRISEWITHSCAL": ("Office 365 Enterprise E4",),
    "ENTERPRISEPACK": ("Office 365 Enterprise E3",),
    "ENTERPRISEPREMIUM": ("Office 365 Enterprise E5",),
    "ENTERPRISEPREMIUM_NOPSTNCONF": ("Office 365 Enterprise E5 without Audio Conferencing",),
    "SPE_E3": ("Secure Productive Enterprise E3",),
    "SPE_E5": ("Secure Productive Enterprise E5",),
    "STANDARDPACK": ("Office 365 Enterprise E1",),
    "STANDARDWOFFPACK": ("Office 365 Enterprise E2",),
    "MCOEV": (
        "Microsoft Teams Phone",
        "Microsoft 365 Phone System",
        "Phone System",
        "Skype for Business Cloud PBX",
    ),
    "MCOMEETADV": ("Audio Conferencing", "Skype for Business PSTN Conferencing"),
    "FLOW_FREE": ("Microsoft Flow Free",),
    "POWER_BI_STANDARD": ("Power BI (free)",),
}
"""Other names the admin center has shown for built-in products over the years, so older
exports still resolve (by part number)."""

_GUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WS_RE = re.compile(r"\s+")
_PREFIX_RE = re.compile(r"[\w.-]+")


def normalize_key(text: object) -> str:
    """Fold case, Unicode compatibility forms and every kind of white space (NBSP, TAB)."""
    s = unicodedata.normalize("NFKC", str(text))
    return _WS_RE.sub(" ", s).strip().casefold()


def is_guid(text: str) -> bool:
    """True for a GUID in any case, with or without braces and surrounding white space."""
    return bool(_GUID_RE.match(normalize_key(text).strip("{}")))


@dataclass(frozen=True)
class ServicePlan:
    """One service plan inside a product (``EXCHANGE_S_ENTERPRISE`` and its id), with the name
    Microsoft's reference shows admins (``Service_Plans_Included_Friendly_Names``) where known."""

    name: str
    id: str
    friendly: str = field(default="", compare=False)


@dataclass(frozen=True)
class Sku:
    """A product: its part number, GUID, display name and the service plans it includes."""

    part_number: str
    sku_id: str
    display_name: str = ""
    service_plans: tuple[ServicePlan, ...] = ()
    aliases: tuple[str, ...] = ()
    source: str = "built-in"

    @property
    def plan_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.service_plans)

    def plan_id(self, name: str) -> str | None:
        """The id of this product's service plan called ``name`` (case-insensitive)."""
        key = normalize_key(name)
        for p in self.service_plans:
            if normalize_key(p.name) == key:
                return p.id
        return None


@dataclass(frozen=True)
class Catalog:
    """An immutable lookup of SKUs by GUID, part number, display name and alias."""

    skus: tuple[Sku, ...]
    _index: dict[str, Sku] = field(default_factory=dict, repr=False, compare=False)
    _plans_by_id: dict[str, ServicePlan] = field(default_factory=dict, repr=False, compare=False)
    _plans_by_name: dict[str, ServicePlan] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_name: dict[str, tuple[Sku, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Later keys never shadow earlier ones: GUIDs and part numbers first, then names.
        for sku in self.skus:
            for key in (sku.sku_id, sku.part_number):
                if key:
                    self._index.setdefault(normalize_key(key), sku)
        for sku in self.skus:
            for key in dict.fromkeys(normalize_key(k) for k in (sku.display_name, *sku.aliases)
                                     if k):
                self._index.setdefault(key, sku)
                self._by_name[key] = (*self._by_name.get(key, ()), sku)
            for plan in sku.service_plans:
                self._plans_by_id.setdefault(normalize_key(plan.id), plan)
                self._plans_by_name.setdefault(normalize_key(plan.name), plan)

    # -- lookups -------------------------------------------------------------------------
    def resolve(self, token: object) -> Sku | None:
        """The SKU a token names: GUID, part number, ``tenant:PART``, display name or alias."""
        if token is None:
            return None
        key = normalize_key(token).strip("{}")
        if not key:
            return None
        hit = self._index.get(key)
        if hit is None and ":" in key:
            # tenant:PART (MSOnline AccountSkuId); only a tenant label may precede the ':', so
            # "contoso:e4, contoso:ems" is not read as its last part alone
            prefix, _, part = key.partition(":")
            if _PREFIX_RE.fullmatch(prefix):
                hit = self._index.get(part.strip())
        return hit

    def candidates(self, name: object) -> tuple[Sku, ...]:
        """Every SKU a display name names when it names more than one, else ``()``.

        Microsoft's table gives "Microsoft 365 Business Basic" and "Microsoft 365 Apps for
        Business" two SKUs each; :meth:`resolve` takes the first (the tenant's own SKUs come
        first in a layered catalog), and a reader warns with this list.
        """
        found = self._by_name.get(normalize_key(name), ())
        return found if len(found) > 1 else ()

    def get(self, token: object) -> Sku:
        """Like :meth:`resolve` but raises ``KeyError`` naming the token."""
        sku = self.resolve(token)
        if sku is None:
            raise KeyError(f"unknown product {token!r}")
        return sku

    def __contains__(self, token: object) -> bool:
        return self.resolve(token) is not None

    def plan_by_id(self, plan_id: str) -> ServicePlan | None:
        return self._plans_by_id.get(normalize_key(plan_id))

    def plan_by_name(self, name: str) -> ServicePlan | None:
        return self._plans_by_name.get(normalize_key(name))

    def display_name(self, token: object) -> str:
        """A readable name for a token; the token itself when unknown."""
        sku = self.resolve(token)
        return (sku.display_name or sku.part_number) if sku else str(token)

    def product_label(self, token: object) -> str:
        """``Office 365 E4 [ENTERPRISEWITHSCAL]``: the name, then the part number to search by
        (the token itself when unknown)."""
        sku = self.resolve(token)
        if sku is None:
            return str(token)
        name = sku.display_name or sku.part_number
        return name if name == sku.part_number else f"{name} [{sku.part_number}]"

    def app_label(self, plan_name: str) -> str:
        """An app (service plan) by its name in Manage product licenses, the plan name in
        brackets: the catalog's name first, else the built-in one (:func:`plan_label`)."""
        found = self.plan_by_name(plan_name)
        if found is not None and found.friendly:
            return f"{found.friendly} [{found.name}]"
        return plan_label(plan_name)

    def names(self) -> list[str]:
        """Every display name and alias (as written), for parsing ``+``-joined name lists."""
        out: list[str] = []
        for sku in self.skus:
            out.extend(n for n in (sku.display_name, *sku.aliases) if n)
        return out

    @property
    def targets(self) -> tuple[Sku, ...]:
        """The plans E4 customers may move to, in Microsoft's order."""
        return tuple(self.get(p) for p in TARGET_PARTS)

    # -- construction --------------------------------------------------------------------
    @classmethod
    def builtin(cls) -> Catalog:
        """The small catalog shipped with the playbook (E4, the targets and their neighbours)."""
        resource = resources.files("playbook.resources").joinpath(BUILTIN_CATALOG)
        read = _read_reference(resource.read_text(encoding="utf-8"), BUILTIN_CATALOG,
                               "built-in")
        return cls(tuple(replace(s, aliases=BUILTIN_ALIASES.get(s.part_number, s.aliases))
                         for s in read))

    @classmethod
    def layered(cls, *layers: Catalog | None) -> Catalog:
        """Merge catalogs; for each SKU the first layer that knows a field gives it."""
        merged: dict[str, Sku] = {}
        order: list[str] = []
        for layer in layers:
            if layer is None:
                continue
            for sku in layer.skus:
                key = _merge_key(sku, merged)
                if key not in merged:
                    merged[key] = sku
                    order.append(key)
                    continue
                old = merged[key]
                aliases = tuple(dict.fromkeys((*old.aliases, *sku.aliases, sku.display_name)))
                aliases = tuple(a for a in aliases if a and a != old.display_name)
                merged[key] = replace(
                    old,
                    part_number=old.part_number or sku.part_number,
                    sku_id=old.sku_id or sku.sku_id,
                    display_name=old.display_name or sku.display_name,
                    service_plans=old.service_plans or sku.service_plans,
                    aliases=aliases,
                )
        return cls(tuple(merged[k] for k in order))

    @classmethod
    def from_reference_csv(cls, path: str | Path) -> Catalog:
        """Read Microsoft's "Product names and service plan identifiers for licensing" CSV.

        Accepts Microsoft's download (UTF-8 with BOM, CRLF) and re-saved copies (no BOM, LF);
        trims the stray NBSP/TAB in keys, drops duplicate rows and keeps renamed products as
        aliases, because the admin center may show either name.
        """
        path = Path(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise InputError(
                path, "Microsoft's product reference CSV was not found",
                fix="download 'Product names and service plan identifiers for licensing' from "
                "Microsoft Learn and point sku_reference at it",
            ) from None
        except UnicodeDecodeError:
            text = path.read_bytes().decode("cp1252")
        return cls(_read_reference(text, path, "reference"))

    @classmethod
    def from_subscriptions(cls, subscriptions: pd.DataFrame) -> Catalog:
        """The tenant's own SKUs from a subscription table (service plans where known)."""
        skus = []
        for rec in subscriptions.itertuples(index=False):
            plans = tuple(ServicePlan(n, str(i).lower()) for n, i, *_ in rec.service_plans)
            skus.append(Sku(rec.sku_part_number, rec.sku_id.lower(), "", plans, (), "tenant"))
        return cls(tuple(skus))


def _read_reference(text: str, path: str | Path, source: str) -> tuple[Sku, ...]:
    """The SKUs of a table in Microsoft's product reference layout, in first-seen order.

    Trims the stray NBSP/TAB in keys, drops duplicate rows and keeps renamed products as
    aliases (the last name is the display name), because the admin center may show either.
    """
    reader = csv.reader(text.splitlines())
    try:
        return _reference_skus(reader, path, source)
    except csv.Error as exc:  # a damaged file: a field too long, a stray line end
        raise InputError(path, f"not CSV ({exc})", row=reader.line_num,
                         fix="re-download the CSV from Microsoft") from None


def _reference_skus(reader: Iterator[list[str]], path: str | Path, source: str) -> tuple[Sku, ...]:
    """:func:`_read_reference`'s rows, read from a csv reader."""
    header = next(reader, None) or []
    where = _reference_columns(header, path)
    by_id: dict[str, dict] = {}
    for lineno, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise InputError(path, f"expected {len(header)} fields, got {len(row)}",
                             row=lineno, fix="re-download the CSV from Microsoft")
        name, part, guid, plan_name, plan_id, friendly = (
            _clean(row[i]) if i is not None else "" for i in where)
        entry = by_id.setdefault(guid.lower(), {"part": part, "names": [], "plans": {}})
        if name and name not in entry["names"]:
            entry["names"].append(name)
        if plan_name and plan_id:
            entry["plans"].setdefault(plan_id.lower(), (plan_name, friendly))
    skus = []
    for guid, e in by_id.items():
        plans = tuple(
            sorted((ServicePlan(n, i, f) for i, (n, f) in e["plans"].items()),
                   key=lambda p: p.name)
        )
        names = e["names"] or [""]
        skus.append(Sku(e["part"], guid, names[-1], plans, tuple(names[:-1]), source))
    return tuple(skus)


def _header_fold(name: str) -> str:
    """A reference header compared without case, spaces, underscores or a BOM (Microsoft's
    January 2022 file says ``String_ Id``)."""
    return re.sub(r"[\s_\ufeff]+", "", unicodedata.normalize("NFKC", name)).casefold()


def _reference_columns(header: list[str], path: str | Path) -> list[int | None]:
    """The position of each :data:`REFERENCE_HEADER` column (the friendly names may be
    missing: ``None``); any other missing column means this is not Microsoft's table."""
    folded = [_header_fold(h) for h in header]
    where: list[int | None] = []
    for name in REFERENCE_HEADER:
        key = _header_fold(name)
        if key in folded:
            where.append(folded.index(key))
        elif name == REFERENCE_HEADER[-1]:
            where.append(None)
        else:
            raise InputError(
                path, f"not Microsoft's product reference CSV (no {name} column)", row=1,
                value=",".join(header)[:80], fix="expected header " + ",".join(REFERENCE_HEADER))
    return where


def _merge_key(sku: Sku, merged: dict[str, Sku]) -> str:
    """Match a SKU to one already merged by GUID first, part number second."""
    gid = normalize_key(sku.sku_id)
    part = normalize_key(sku.part_number)
    for key, old in merged.items():
        if gid and normalize_key(old.sku_id) == gid:
            return key
        if part and normalize_key(old.part_number) == part and not (gid and old.sku_id):
            return key
    return gid or part


def _clean(value: str) -> str:
    """Trim the Unicode white space Microsoft's table carries inside key fields."""
    return unicodedata.normalize("NFKC", value).strip()


@functools.cache
def builtin_plan_names() -> dict[str, str]:
    """Service plan id name (upper case) -> the name Microsoft shows admins, from the built-in
    catalog (read once; a read-only table)."""
    return {p.name.strip().upper(): p.friendly for sku in Catalog.builtin().skus
            for p in sku.service_plans if p.friendly}


def plan_label(name: str) -> str:
    """A service plan as admins read it: "Microsoft Forms (Plan E5) [FORMS_PLAN_E5]" (the id
    alone where the built-in catalog has no name for it)."""
    friendly = builtin_plan_names().get(name.strip().upper(), "")
    return f"{friendly} [{name}]" if friendly else name


def plan_labels(names: Iterable[str]) -> str:
    """:func:`plan_label` of each, comma-joined."""
    return ", ".join(plan_label(n) for n in names)


def plan_family(name: str) -> str:
    """The family of a service plan: its name without the tier suffix.

    ``FORMS_PLAN_E3`` and ``FORMS_PLAN_E5`` are one family, so a plan disabled on E4 can be
    disabled again on the target. Suffixes stripped: ``_E3``/``_E5``, ``_P1``/``_P2``/``_P3``,
    ``_O365_P2`` style tiers, ``_2`` counters and a trailing ``_ENTERPRISE``/``_STANDARD`` are
    kept (they mark different data services).
    """
    key = normalize_key(name).upper()
    key = re.sub(r"_(E|P|M|G|A)\d$", "", key)
    key = re.sub(r"_\d$", "", key)
    return key


def iter_skus(*tokens: Iterable[str], catalog: Catalog) -> list[Sku]:
    """Resolve many tokens, skipping unknown ones (callers report those themselves)."""
    out = []
    for group in tokens:
        for t in group:
            sku = catalog.resolve(t)
            if sku is not None:
                out.append(sku)
    return out
