"""License cells to license rows: parse each *distinct* cell once, then expand to every user.

A tenant of 300,000 users typically has a few hundred distinct ``Licenses`` cells, so cells are
factorized, each distinct cell is parsed in Python (greedy name re-joining needs it), and the
result is spread back over the users with numpy index arithmetic. No Python runs per user.

Token rules (docs/formats.md, parser checklist):

- ``Unlicensed`` or an empty cell: no license.
- Admin-center names are joined by ``+`` with no spaces, but some product names contain
  ``" + "`` ("Enterprise Mobility + Security E5"): a ``+`` with a space on both sides is part of
  a name; the pieces of a name the catalog does not know stay one (unknown) name.
- Script-made lists use ``;`` or ``,``; a comma split is only accepted when the pieces resolve,
  because some product names contain commas.
- ``prefix:PART`` tokens (MSOnline ``AccountSkuId``), bare part numbers and GUIDs all resolve
  through the catalog.
- PowerShell type names (``System.Object[]``, ...) are rejected, never read as a product.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from playbook.catalog import Catalog, Sku, is_guid, normalize_key

# A '+' that is not " + " (space on both sides) separates two admin-center names.
_NAME_SEP = re.compile(r"(?<! )\+|\+(?! )")
_UNLICENSED = frozenset({"", "unlicensed", "ingen licens", "nicht lizenziert", "sem licenca"})
# One MSOnline AccountSkuId: the tenant's initial-domain label (or reseller-account), ':', PART.
_ACCOUNT_SKU = re.compile(r"[A-Za-z0-9][\w.-]*:[^\s:;,]+")
_LIST_SEP = re.compile(r"[;,]")


@dataclass(frozen=True)
class License:
    """One parsed license token: what the export called it and what the catalog says it is."""

    product_name: str
    sku_part_number: str = ""
    sku_id: str = ""
    disabled_plans: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.sku_part_number)


class TokenResolver:
    """Resolve tokens against a catalog, remembering answers (the same names repeat a lot)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._cache: dict[str, Sku | None] = {}
        self._plan_sets: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self.ambiguous: dict[str, tuple[Sku, ...]] = {}
        """Names read that name several SKUs (the first was taken), for the reader's warning."""
        # The most pieces one known name splits into, per joiner: the greedy re-joining never
        # tries a longer run, which keeps a cell of thousands of pieces linear.
        names = catalog.names()
        self._span = {j: 1 + max((n.count(j.strip()) for n in names), default=0)
                      for j in (" + ", ",")}

    def sku(self, token: str) -> Sku | None:
        hit = self._cache.get(token, False)
        if hit is False:
            hit = self.catalog.resolve(token)
            self._cache[token] = hit
        return hit  # type: ignore[return-value]

    def license(self, token: str) -> License:
        """A :class:`License` for one token; unknown tokens keep their raw text."""
        name = token.strip()
        sku = self.sku(name)
        if sku is not None:
            several = self.catalog.candidates(name)
            if several:
                self.ambiguous.setdefault(name, several)
            return License(name, sku.part_number, sku.sku_id.lower())
        guid = name.strip("{}").lower() if is_guid(name) else ""
        return License(name, "", guid)

    def plan_name(self, plan: str) -> str:
        """A service plan's name for a GUID (lower-case GUID kept when the catalog lacks it)."""
        text = plan.strip()
        if is_guid(text):
            hit = self.catalog.plan_by_id(text.strip("{}"))
            return hit.name if hit else text.strip("{}").lower()
        hit = self.catalog.plan_by_name(text)
        return hit.name if hit else text

    def sku_has_plan(self, part: str, plan_name: str) -> bool | None:
        """Whether a SKU includes a plan; ``None`` when the catalog does not know its plans."""
        sets = self._plan_sets.get(part)
        if sets is None:
            sku = self.sku(part)
            if sku is None or not sku.service_plans:
                return None
            sets = (frozenset(normalize_key(p.name) for p in sku.service_plans),
                    frozenset(normalize_key(p.id) for p in sku.service_plans))
            self._plan_sets[part] = sets
        key = normalize_key(plan_name)
        return key in sets[0] or key in sets[1]

    # -- splitting -----------------------------------------------------------------------
    def split_names(self, cell: str) -> list[License]:
        """An admin-center ``Licenses`` cell: ``+``-joined display names (or any token)."""
        text = cell.strip()
        if normalize_key(text) in _UNLICENSED:
            return []
        out: list[License] = []
        for segment in _NAME_SEP.split(text):
            if not segment.strip():
                continue
            if self.sku(segment.strip()) is not None or " + " not in segment:
                out.extend(self._list_or_one(segment))
            else:
                out.extend(self._greedy(segment.split(" + "), " + "))
        return out

    def split_list(self, cell: str) -> list[License]:
        """A script-made list: ``;``-joined (or ``,``-joined) GUIDs, part numbers, tokens."""
        text = cell.strip()
        if normalize_key(text) in _UNLICENSED:
            return []
        out: list[License] = []
        for part in text.split(";"):
            if part.strip():
                out.extend(self._list_or_one(part))
        return out

    def split_account_skus(self, cell: str) -> list[License]:
        """An MSOnline cell of ``tenant:PART`` tokens joined by ``;`` or ``, ``: every token
        counts (``contoso:ENTERPRISEWITHSCAL, contoso:EMS`` is E4 *and* EMS). Cells that are
        not all such tokens are read as any script-made list."""
        text = cell.strip()
        tokens = [t.strip() for t in _LIST_SEP.split(text) if t.strip()]
        if tokens and all(_ACCOUNT_SKU.fullmatch(t) for t in tokens):
            return [self.license(t) for t in tokens]
        return self.split_list(cell)

    def _list_or_one(self, text: str) -> list[License]:
        """One token, or a comma list when the whole text is unknown but its pieces are known."""
        if "," in text and self.sku(text.strip()) is None:
            pieces = self._greedy(text.split(","), ",")
            if any(p.known for p in pieces):
                return pieces
        return [self.license(text)]

    def _greedy(self, parts: Sequence[str], joiner: str) -> list[License]:
        """Longest run of parts that names a known product wins; unknown runs stay together.

        Runs are at most as long as the longest known name, so the work is linear in parts.
        """
        out: list[License] = []
        pending: list[str] = []
        span = self._span.get(joiner, len(parts))
        i = 0
        while i < len(parts):
            for j in range(min(len(parts), i + span), i, -1):
                candidate = joiner.join(p.strip() for p in parts[i:j])
                if self.sku(candidate) is not None:
                    break
            else:
                pending.append(parts[i].strip())
                i += 1
                continue
            if pending:
                out.append(self.license(joiner.join(pending)))
                pending = []
            out.append(self.license(candidate))
            i = j
        if pending:
            out.append(self.license(joiner.join(pending)))
        return out


def dedupe(licenses: Sequence[License]) -> list[License]:
    """One license per SKU (or per unknown name) in a user's list, first spelling kept."""
    seen: set[str] = set()
    out = []
    for lic in licenses:
        key = lic.sku_id or lic.sku_part_number or normalize_key(lic.product_name)
        if key not in seen:
            seen.add(key)
            out.append(lic)
    return out


@dataclass(frozen=True)
class Cells:
    """Distinct combinations of a user's license cells: ``codes[i]`` is user i's combination,
    ``values[code]`` the tuple of cell texts (one per column)."""

    codes: np.ndarray
    values: list[tuple[str, ...]]

    def take(self, mask: np.ndarray) -> Cells:
        """The cells of the users where ``mask`` is True (codes re-numbered densely)."""
        codes, used = pd.factorize(self.codes[mask], sort=False)
        return Cells(codes.astype(np.int64), [self.values[i] for i in used])


def combine(columns: Sequence[pd.Series]) -> Cells:
    """Factorize each column (C speed) and combine the integer codes: no string concatenation
    over all users, and each distinct combination is parsed once.

    The columns are factorized as the object arrays pandas holds (a ``str`` column would be
    copied and masked for missing cells first, which the readers never have)."""
    n = len(columns[0])
    arrays = [col.to_numpy(dtype=object) for col in columns]
    codes, _ = pd.factorize(arrays[0], sort=False)
    for array in arrays[1:]:
        c, u = pd.factorize(array, sort=False)
        codes, _ = pd.factorize(codes.astype(np.int64) * (len(u) + 1) + c, sort=False)
    first = _first_index(codes, int(codes.max()) + 1 if n else 0)
    values = [tuple(str(a[i]) for a in arrays) for i in first]
    return Cells(codes.astype(np.int64), values)


@dataclass(frozen=True)
class Expanded:
    """License rows spread over users: ``user_index`` into the users frame, plus the columns."""

    user_index: np.ndarray
    product_name: np.ndarray
    sku_part_number: np.ndarray
    sku_id: np.ndarray
    disabled_plans: np.ndarray
    unknown: dict[str, int]


def expand(cells: Cells, parse: Callable[[tuple[str, ...], int], list[License]]) -> Expanded:
    """Parse each distinct combination once (``parse(cells, first_row)``), then give every user
    its licenses, in order.

    A user whose cells parse to no license gets one empty row, so unlicensed users stay counted.
    ``unknown`` maps each unknown product name to the number of users holding it.
    """
    codes = cells.codes
    first_row = _first_index(codes, len(cells.values))
    parsed: list[list[License]] = []
    for code, key in enumerate(cells.values):
        parsed.append(parse(key, int(first_row[code])) or [License("")])
    counts = np.fromiter((len(p) for p in parsed), dtype=np.int64, count=len(parsed))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    flat = [lic for p in parsed for lic in p]

    user_counts = counts[codes]
    user_index = np.repeat(np.arange(len(codes)), user_counts)
    row_start = np.repeat(np.cumsum(user_counts) - user_counts, user_counts)
    within = np.arange(user_index.size) - row_start
    flat_index = starts[codes][user_index] + within

    def column(get: Callable[[License], object]) -> np.ndarray:
        arr = np.empty(len(flat), dtype=object)
        for i, lic in enumerate(flat):  # element-wise: tuples must not be broadcast
            arr[i] = get(lic)
        return arr[flat_index]

    users_per_code = np.bincount(codes, minlength=len(cells.values))
    unknown: dict[str, int] = {}
    for code, lics in enumerate(parsed):
        for lic in lics:
            if lic.product_name and not lic.known:
                unknown[lic.product_name] = unknown.get(lic.product_name, 0) + int(
                    users_per_code[code])
    return Expanded(
        user_index=user_index,
        product_name=column(lambda lic: lic.product_name),
        sku_part_number=column(lambda lic: lic.sku_part_number),
        sku_id=column(lambda lic: lic.sku_id),
        disabled_plans=column(lambda lic: lic.disabled_plans),
        unknown=unknown,
    )


def _first_index(codes: np.ndarray, n: int) -> np.ndarray:
    """For each code (0..n-1, all present), the first position it occurs at."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    return first
