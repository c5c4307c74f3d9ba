"""Which export a file is, decided by its content (headers, JSON keys), never by its name.

Admins rename files and Excel re-saves them, so the file name says nothing. Files that look like
a *different* export (the Entra "Download users" list, a subscriptions file in the users slot)
get an error that names the export to use instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from playbook.errors import InputError
from playbook.exports.csvio import CsvHead, header_key, sniff_csv, sniff_encoding
from playbook.input_files import check_input_file
from playbook.messages import Said

USERS_FORMATS = ("admin-center", "admin-center-legacy", "graph-json", "graph-powershell",
                 "msonline", "msonline-license-status")
SUBSCRIPTION_FORMATS = ("graph-json", "graph-powershell", "msonline")

_LICENSE_FIELDS = ("licenses", "license_details", "sku_ids", "sku_parts", "assigned_licenses")
_LEGACY_KEYS = frozenset(header_key(h) for h in (
    "License assignment details", "Strong password required", "Release track",
    "Oath token meta data", "Country/Region"))
_ENTRA_KEYS = frozenset(header_key(h) for h in (
    "userType", "ageGroup", "surname", "givenName", "consentProvidedForMinor", "mail"))
_USAGE_REPORT_KEYS = frozenset(header_key(h) for h in ("Assigned Products", "Report Refresh Date"))

_ADMIN_CENTER_WIDTHS = (28, 32)
"""Column counts of the admin center's Export users (current and legacy layouts)."""

HOW_TO_EXPORT_USERS = Said("error.exports.how-to-export-users")
HOW_TO_EXPORT_SUBSCRIPTIONS = Said("error.exports.how-to-export-subscriptions")
"""How to get the right export, inside a fix that first says what to rename."""


def _peek(path: Path, size: int = 65536) -> str:
    """The start of a file as text (for JSON sniffing); an empty file is an error."""
    if not path.exists():
        raise InputError(path, "error.input-file.not-found", fix="error.exports.check-the-path")
    check_input_file(path)  # a folder, pipe or device: refused before it is opened
    with path.open("rb") as fh:
        raw = fh.read(size)
    text = raw.decode(sniff_encoding(raw).replace("utf-8", "utf-8-sig"),
                      errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise InputError(path, "error.exports.empty-file")
    return text


def _json_kind(text: str) -> str:
    """``users``, ``subscriptions`` or ``other`` from the first bytes of a JSON file."""
    low = text.casefold()
    if '"userprincipalname"' in low:
        return "users"
    if '"skupartnumber"' in low or '"prepaidunits"' in low:
        return "subscriptions"
    return "other"


def json_pages(folder: Path) -> list[Path]:
    """The page files of a folder of Graph JSON pages, in natural order (page2 < page10)."""

    def natural(p: Path) -> list[object]:
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)]

    return sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")), key=natural)


def classify_users(path: str | Path) -> tuple[str, CsvHead | None]:
    """The users format of a file plus its sniffed CSV head (``None`` for JSON)."""
    path = Path(path)
    if path.is_dir():
        if not json_pages(path):
            raise InputError(path, "error.users-export.folder-without-pages")
        return "graph-json", None
    text = _peek(path)
    if text.lstrip()[:1] in "{[":
        kind = _json_kind(text)
        if kind == "subscriptions":
            raise InputError(path, "error.users-export.is-subscriptions-json",
                             fix="error.exports.rename.fix",
                             name="subscriptions.json", how=HOW_TO_EXPORT_USERS)
        if kind == "other":
            raise InputError(path, "error.users-export.json-without-upn",
                             fix="error.exports.how-to-export-graph-users")
        return "graph-json", None
    head = sniff_csv(path)
    return _classify_users_csv(head), head


def _classify_users_csv(head: CsvHead) -> str:
    f = head.fields
    keys = head.keys
    if head.has("upn", "account_sku_id", "service_name", "provisioning_status"):
        return "msonline-license-status"
    licensed = [c for c in _LICENSE_FIELDS if c in f]
    if not licensed:
        if "account_sku_id" in f or ("consumed" in f and ("sku_ids" in f or "sku_parts" in f)):
            raise InputError(head.path, "error.users-export.is-subscriptions-csv",
                             fix="error.exports.rename.fix",
                             name="subscriptions.csv", how=HOW_TO_EXPORT_USERS)
        if keys & _USAGE_REPORT_KEYS:
            raise InputError(head.path, "error.users-export.is-usage-report",
                             fix="error.exports.how-to-export-users")
        if "upn" in f and keys & _ENTRA_KEYS:
            raise InputError(head.path, "error.users-export.is-entra-download",
                             fix="error.exports.how-to-export-users")
        _refuse_other_language(head)
        if "upn" in f:
            raise InputError(head.path, "error.users-export.no-license-column",
                             fix="error.exports.how-to-export-users")
        raise InputError(head.path, "error.users-export.unknown-layout", row=head.skiprows + 1,
                         fix="error.exports.how-to-export-users", columns=_first_columns(head))
    spaced = " " in f.get("licenses", f.get("license_details", "")) or any(
        " " in h for h in head.header[:3])
    if "upn" not in f:
        _refuse_other_language(head)
        name = "User principal name" if spaced else "UserPrincipalName"
        raise InputError(head.path, "error.users-export.no-upn-column", column=name,
                         row=head.skiprows + 1, name=name)
    if "licenses" not in f and "license_details" not in f:
        return "graph-powershell"
    if head.type_line or " " not in f["upn"]:
        if "licenses" not in f and ("sku_ids" in f or "sku_parts" in f):
            return "graph-powershell"
        return "msonline"
    return "admin-center-legacy" if keys & _LEGACY_KEYS else "admin-center"


def _refuse_other_language(head: CsvHead) -> None:
    """An admin center in another UI language translates the headers (``Nombre principal de
    usuario``, ``Licencias``, ...). Their exact texts are not published, so they are not guessed:
    a file as wide as the admin center's export, or with non-English letters in its header,
    that lacks the English columns is refused with the way to get an English export."""
    if len(head.header) in _ADMIN_CENTER_WIDTHS or not "".join(head.header).isascii():
        raise InputError(head.path, "error.users-export.other-language", row=head.skiprows + 1,
                         columns=", ".join(head.header[:3]))


def detect_users_format(path: str | Path) -> str:
    """The users export format of a file or folder (one of :data:`USERS_FORMATS`)."""
    return classify_users(path)[0]


def classify_subscriptions(path: str | Path) -> tuple[str, CsvHead | None]:
    """The subscriptions format of a file plus its sniffed CSV head (``None`` for JSON)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "error.subscriptions-export.folder",
                         fix="error.exports.how-to-export-subscriptions")
    text = _peek(path)
    if text.lstrip()[:1] in "{[":
        kind = _json_kind(text)
        if kind == "users":
            raise InputError(path, "error.subscriptions-export.is-users",
                             fix="error.exports.rename.fix", name="users.json",
                             how=HOW_TO_EXPORT_SUBSCRIPTIONS)
        if kind == "other":
            raise InputError(path, "error.subscriptions-export.json-without-sku",
                             fix="error.exports.how-to-export-subscriptions")
        return "graph-json", None
    head = sniff_csv(path)
    f = head.fields
    if head.has("upn", "account_sku_id"):
        raise InputError(path, "error.subscriptions-export.is-users-per-licence",
                         fix="error.exports.rename.fix", name="users.csv",
                         how=HOW_TO_EXPORT_SUBSCRIPTIONS)
    if "account_sku_id" in f or header_key(f.get("enabled", "")) == "activeunits":
        return "msonline", head
    if ("sku_ids" in f or "sku_parts" in f) and ("consumed" in f or "enabled" in f):
        return "graph-powershell", head
    if "upn" in f:
        raise InputError(path, "error.subscriptions-export.is-users",
                         fix="error.exports.rename.fix", name="users.csv",
                         how=HOW_TO_EXPORT_SUBSCRIPTIONS)
    raise InputError(path, "error.subscriptions-export.unknown-layout", row=head.skiprows + 1,
                     fix="error.exports.how-to-export-subscriptions",
                     columns=_first_columns(head))


def _first_columns(head: CsvHead) -> str:
    """The first six header names as the file has them, for an error naming the layout."""
    return ", ".join(head.header[:6]) + (", ..." if len(head.header) > 6 else "")


def detect_subscriptions_format(path: str | Path) -> str:
    """The subscriptions export format of a file (one of :data:`SUBSCRIPTION_FORMATS`)."""
    return classify_subscriptions(path)[0]
