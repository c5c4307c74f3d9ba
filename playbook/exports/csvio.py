"""Opening the CSV files admins really have, before any format-specific meaning is applied.

Real exports are UTF-8 with a BOM (admin center), ASCII/ANSI (Windows PowerShell 5.1's
``Export-Csv``), start with a ``#TYPE`` line (``Export-Csv`` without ``-NoTypeInformation``), or
were re-saved by Excel in a locale whose list separator is ``;`` with booleans translated
(``SAND``/``FALSK``). Headers are matched by *name* through an alias table, never by position,
because Microsoft adds and reorders columns.

The encoding and the shape of every row are checked over the whole file in one vectorized pass
(:mod:`.records`); the body is then read by pandas' C parser with ``dtype=str`` and only the
needed columns, which keeps a 300k-user file about as fast as a plain ``pandas.read_csv``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.errors import InputError
from playbook.exports.records import check_field_counts, decide_encoding, scan
from playbook.messages import Said
from playbook.table import distinct_values

DELIMITERS = (",", ";", "\t")

TRUE_WORDS = ("true", "1", "yes", "sand", "ja", "wahr", "verdadeiro", "vrai", "verdadero", "waar")
FALSE_WORDS = ("false", "0", "no", "falsk", "nej", "falsch", "falso", "faux", "onwaar")
_BOOL_MAP: dict[str, bool] = {**dict.fromkeys(TRUE_WORDS, True),
                              **dict.fromkeys(FALSE_WORDS, False)}

# Canonical field -> header spellings (compared after header_key()). English only: an admin
# center set to another UI language translates its headers, and no public sample gives their
# exact text, so guessed translations are not kept (a guess that matched a column of another
# meaning would read it silently wrong); detect.py refuses such a file with the fix instead.
# Script-block headers ("$_.Licenses.AccountSkuId") are what Select-Object writes for a bare
# expression; their cells are usually System.Object[] and refused with the flatten fix.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "upn": ("User principal name", "UserPrincipalName", "UPN"),
    "user_id": ("Object Id", "ObjectId", "Id", "UserId"),
    "display_name": ("Display name", "DisplayName"),
    "department": ("Department",),
    "usage_location": ("Usage location", "UsageLocation"),
    "block_credential": ("Block credential", "BlockCredential"),
    "account_enabled": ("AccountEnabled", "Account enabled"),
    "licenses": ("Licenses", "$_.Licenses.AccountSkuId"),
    "license_details": ("License assignment details", "LicenseAssignmentDetails"),
    "sku_ids": ("SkuIds", "SkuId", "AssignedSkuIds", "$_.AssignedLicenses.SkuId"),
    "sku_parts": ("SkuPartNumbers", "SkuPartNumber"),
    "assigned_licenses": ("AssignedLicenses", "Assigned licenses"),
    "disabled_plans": ("DisabledPlans", "Disabled plans"),
    "is_licensed": ("IsLicensed", "Is licensed"),
    # Export-Office365LicenseStatus: one row per user, SKU and service plan
    "service_name": ("ServiceName",),
    "provisioning_status": ("ProvisioningStatus",),
    "soft_deleted": ("Soft deletion time stamp", "SoftDeletionTimestamp"),
    # subscriptions (Get-MgSubscribedSku flattened / Get-MsolAccountSku)
    "account_sku_id": ("AccountSkuId",),
    "applies_to": ("AppliesTo", "TargetClass"),
    "capability_status": ("CapabilityStatus",),
    "consumed": ("ConsumedUnits",),
    # "Total" and "PurchasedUnits": seat columns of real script outputs (issue 14)
    "enabled": ("PrepaidUnitsEnabled", "PrepaidUnits.Enabled", "EnabledUnits", "ActiveUnits",
                "Total", "PurchasedUnits"),
    "prepaid_units": ("PrepaidUnits",),  # only ever a type name: refused with the flatten fix
    "warning": ("PrepaidUnitsWarning", "PrepaidUnits.Warning", "WarningUnits"),
    "suspended": ("PrepaidUnitsSuspended", "PrepaidUnits.Suspended", "SuspendedUnits"),
    "locked_out": ("PrepaidUnitsLockedOut", "PrepaidUnits.LockedOut", "LockedOutUnits"),
    "subscription_ids": ("SubscriptionIds",),
    "service_plans": ("ServicePlans",),
}

# Type names PowerShell writes when an object was exported without flattening it first.
JUNK_RE = re.compile(
    r"System\.Collections\.|System\.Object\[\]|System\.String\[\]|Microsoft\.Graph\.PowerShell"
    r"|Microsoft\.Online\.Administration|MicrosoftGraph\w+\[\]|\[object Object\]|^@\{",
    re.IGNORECASE,
)


SHIFTED_HINT = "error.csv.shifted-hint"
"""The advice for a cell that may have moved columns (a catalog key, added to fixes)."""


def header_key(name: str) -> str:
    """Fold a header name so ``User principal name``, ``UserPrincipalName`` and ``USER_PRINCIPAL
    NAME`` compare equal (case, spaces, punctuation and a stray BOM are ignored)."""
    s = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\W_]+", "", s)


_ALIAS_INDEX: dict[str, str] = {
    header_key(alias): canon for canon, aliases in HEADER_ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class CsvHead:
    """What the first bytes of a CSV say: encoding, delimiter, header and its known fields."""

    path: Path
    encoding: str
    delimiter: str
    skiprows: int
    header: tuple[str, ...]
    fields: Mapping[str, str] = field(default_factory=dict)
    type_line: str = ""
    row_lines: np.ndarray | None = field(default=None, compare=False, repr=False)
    content: bytes | None = field(default=None, compare=False, repr=False)
    """The file's bytes as sniffed, so the body is parsed from them, not read from disk again."""

    @property
    def keys(self) -> frozenset[str]:
        """The header names folded by :func:`header_key`."""
        return frozenset(header_key(h) for h in self.header)

    def line_of(self, index: int) -> int:
        """The 1-based line an editor shows for data row ``index`` (0-based, header excluded):
        exact, blank lines and cells spanning several lines included, once the file was
        scanned (:func:`sniff_csv`)."""
        if self.row_lines is not None and 0 <= int(index) < len(self.row_lines):
            return int(self.row_lines[int(index)])
        return self.skiprows + 2 + int(index)

    def has(self, *canon: str) -> bool:
        return all(c in self.fields for c in canon)


def sniff_csv(path: str | Path) -> CsvHead:
    """Open a CSV: decide its encoding from the whole file, skip ``#TYPE``, pick the delimiter,
    map the header, and check that every row has the header's number of fields."""
    path = Path(path)
    content = path.read_bytes()
    encoding, data = decide_encoding(path, content)
    records = scan(path, data)
    text_encoding = "cp1252" if encoding == "cp1252" else "utf-8"
    first = 0
    type_line = ""
    if first < records.starts.size and records.text(first, text_encoding).lstrip(
            "\ufeff").startswith("#TYPE"):
        type_line = records.text(first, text_encoding).lstrip("\ufeff").strip()
        first += 1
    if first >= records.starts.size and type_line:
        raise InputError(path, "error.csv.only-type-line", fix="error.exports.empty-file.fix")
    if first >= records.starts.size:
        raise InputError(path, "error.exports.empty-file")
    header_line = records.text(first, text_encoding).lstrip("\ufeff").rstrip("\r")
    delimiter = max(DELIMITERS, key=lambda d: _count_outside_quotes(header_line, d))
    header_row = int(records.lines[first])
    try:
        cells = next(csv.reader([header_line], delimiter=delimiter))
    except csv.Error as exc:  # a damaged header: a field too long, a stray line end
        raise InputError(path, "error.csv.header-not-csv", row=header_row,
                         reason=str(exc)) from None
    header = tuple(h.strip().strip("\ufeff") for h in cells)
    fields = _map_header(path, header, header_row)
    check_field_counts(path, records, first + 1, delimiter, len(header))
    return CsvHead(path, encoding, delimiter, header_row - 1, header, fields, type_line,
                   row_lines=records.lines[first + 1:], content=content)


def _map_header(path: Path, header: tuple[str, ...], row: int) -> dict[str, str]:
    """Canonical field -> header name; two columns for one field are refused (which one holds
    the truth would be a guess)."""
    fields: dict[str, str] = {}
    for name in header:
        canon = _ALIAS_INDEX.get(header_key(name))
        if canon is None:
            continue
        if canon in fields and fields[canon] == name:
            raise InputError(path, "error.csv.column-twice", row=row, column=name,
                             fix="error.csv.delete-one-column")
        if canon in fields:
            raise InputError(path, "error.csv.columns-mean-the-same", row=row, column=name,
                             fix="error.csv.delete-one-column", first=fields[canon],
                             second=name)
        fields[canon] = name
    return fields


def sniff_encoding(raw: bytes) -> str:
    """``utf-16`` when the bytes start with a UTF-16 BOM (Windows PowerShell 5.1's ``>`` and
    ``Out-File`` write UTF-16), else ``utf-8``: for peeking at the start of a JSON file only
    (CSV files get :func:`decide_encoding` over the whole file)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def _count_outside_quotes(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


def read_columns(head: CsvHead, canon: Iterable[str]) -> pd.DataFrame:
    """Read the body, only the canonical fields asked for that the file has, all as text.

    Columns come back named by their canonical field; empty cells are ``""``. The encoding was
    decided over the whole file (:func:`sniff_csv`), so there is no second guess here; a column
    the header names that the read does not bring back is an error, never a silent loss.
    """
    wanted = {c: head.fields[c] for c in canon if c in head.fields}
    names = list(dict.fromkeys(wanted.values()))
    try:
        df = pd.read_csv(
            head.path if head.content is None else io.BytesIO(head.content),
            encoding=head.encoding, sep=head.delimiter, skiprows=head.skiprows,
            dtype=str, keep_default_na=False, na_filter=False,
            usecols=lambda h: h.strip().strip("\ufeff") in names, engine="c",
            index_col=False,  # a trailing delimiter must not turn the first column into an index
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(head.path, "error.csv.malformed", reason=_short(exc)) from None
    df.columns = [c.strip().strip("\ufeff") for c in df.columns]
    lost = [n for n in names if n not in df.columns]
    if lost:
        raise InputError(head.path, "error.csv.column-not-read", row=head.skiprows + 1,
                         column=lost[0])
    out = pd.DataFrame(index=df.index)
    for canon_name, raw in wanted.items():
        out[canon_name] = df[raw]
    return out


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[-1][:120] if str(exc).strip() else type(exc).__name__


def map_unique(series: pd.Series, func) -> pd.Series:
    """Apply a column operation to the distinct values only, then spread the result back.

    Departments, usage locations, booleans and license cells repeat a lot; hashing them once
    (C speed) and cleaning a few hundred distinct values beats cleaning 300,000 cells.
    """
    codes, uniques = distinct_values(series)
    cleaned = pd.Series(func(pd.Series(uniques, dtype=object))).to_numpy(dtype=object)
    return pd.Series(cleaned[codes] if len(codes) else [], index=series.index, dtype=object)


def map_each(series: pd.Series, clean: Callable[[str], str]) -> pd.Series:
    """``clean`` applied to every cell of a text column that has no missing cells (the readers
    read with ``na_filter=False``), for values that do not repeat (UPNs, object ids).

    A plain loop over the values runs twice as fast as chained ``.str`` calls, which check every
    cell for a missing value again at each step.
    """
    return pd.Series([clean(v) for v in series.tolist()], index=series.index, dtype=series.dtype)


def parse_bool(series: pd.Series, head: CsvHead, canon: str, default: bool) -> pd.Series:
    """``True/False/TRUE/1/0`` and Excel-localized words to bool; empty -> ``default``.

    An unrecognised value is an error naming its row rather than a guess.
    """
    codes, uniques = distinct_values(series)
    keys = [str(u).strip().casefold() for u in uniques]
    values = [default if not k else _BOOL_MAP.get(k) for k in keys]
    for code, v in enumerate(values):
        if v is None:
            i = int(np.flatnonzero(codes == code)[0])
            raise InputError(head.path, "error.csv.not-true-false", row=head.line_of(i),
                             column=head.fields.get(canon, canon), value=uniques[code],
                             hint=Said(SHIFTED_HINT))
    lookup = np.asarray(values, dtype=bool)
    return pd.Series(lookup[codes] if len(codes) else [], index=series.index, dtype=bool)


def first_junk(values: Iterable[str]) -> str | None:
    """The first value that is a PowerShell/.NET type name instead of data, if any."""
    for v in values:
        if v and JUNK_RE.search(v):
            return v
    return None
