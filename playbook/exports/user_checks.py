"""The checks every users reader applies to its user columns, whatever the layout.

A user principal name without ``@``, a usage location that is not a two-letter code, or a NUL
byte in a name are signs of a damaged or shifted export; reading on would plan calls Graph
refuses, or hide a user. Every users reader (Graph JSON and each CSV layout) calls
:func:`check_user_fields` with its cleaned user columns and a way to name a row, so the rule
and its wording have one home.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.errors import InputError
from playbook.messages import Said

Locate = Callable[[int, str], tuple[int | None, str]]
"""(position of a user, field) -> (line number or None, column or JSON path) for an error."""

TEXT_FIELDS = ("upn", "user_id", "display_name", "department", "usage_location")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_COUNTRY = re.compile("[A-Z]{2}")


def _first(mask: pd.Series | np.ndarray) -> int | None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return int(hits[0]) if len(hits) else None


def _bad_field(users: pd.DataFrame) -> tuple[int, str, str, str] | None:
    """(position, field, problem, fix) of the first bad user field, in the order an admin
    fixes them; problem and fix are catalog keys."""
    for name in TEXT_FIELDS:
        if name in users and "\x00" in "".join(users[name].tolist()):  # one C scan
            return (_first(users[name].str.contains("\x00", regex=False)), name,
                    "error.users-export.nul-byte", "error.users-export.export-again")
    upn = users["upn"]
    upns = upn.tolist()
    if not all("@" in v for v in upns):  # one pass; rows only when one lacks it
        i = _first(upn.eq(""))
        if i is not None:
            return i, "upn", "error.users-export.no-upn", "error.users-export.no-upn.fix"
        return (_first(~upn.str.contains("@", regex=False)), "upn",
                "error.users-export.upn-without-at", "error.users-export.export-again")
    if _CONTROL.search("".join(upns)):  # one scan; rows only when one is there
        return (_first(upn.str.contains(_CONTROL)), "upn",
                "error.users-export.upn-control-character", "error.users-export.export-again")
    loc = users["usage_location"]
    distinct = pd.Series(loc.unique(), dtype=object)
    bad = distinct[distinct.ne("") & ~distinct.str.fullmatch(_COUNTRY).astype(bool)]
    if len(bad):
        return (_first(loc.isin(bad)), "usage_location",
                "error.users-export.bad-usage-location",
                "error.users-export.bad-usage-location.fix")
    return None


def check_user_fields(users: pd.DataFrame, path: Path, locate: Locate, hint: str,
                      shown: Mapping[str, pd.Series] | pd.DataFrame | None = None) -> None:
    """Refuse the first user whose UPN, usage location or text is not what a directory holds.

    ``users`` holds the cleaned text columns of :data:`TEXT_FIELDS` (``upn`` lower-cased,
    ``usage_location`` upper-cased; missing columns are skipped), one row per record in file
    order; ``hint`` is the reader's own advice (a catalog key), added to the fix; ``shown`` the
    same columns as the file has them, for the value the error quotes (else the cleaned one).
    """
    found = _bad_field(users)
    if found is None:
        return
    i, name, problem, fix = found
    upn = users["upn"].iat[i]
    row, column = locate(i, name)
    value = shown[name].iat[i] if shown is not None and name in shown else users[name].iat[i]
    value = str(value).replace("\x00", "\\0")
    if name != "upn" and upn:  # the user is named, not only a row
        raise InputError(path, "error.exports.of-user", row=row, column=column, value=value,
                         fix=fix, upn=upn, problem=Said(problem), hint=Said(hint))
    raise InputError(path, problem, row=row, column=column, value=value, fix=fix,
                     hint=Said(hint))
