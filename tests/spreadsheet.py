"""How a spreadsheet may split a CSV, as a test oracle: every field it could see, on ``,`` or
``;``.

Excel takes the list separator from the Windows region (``;`` in Danish or German), and sees
quotes only at the start of a field. So each delimiter is read twice: as the csv module reads
it (quotes honoured), and naively (every delimiter and line break starts a field, a leading
``"`` opens it). A CSV is inert when no field of any reading starts like a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

DELIMITERS = (",", ";")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def fields(text: str, delimiter: str) -> Iterator[str]:
    """Every field a spreadsheet splitting ``text`` on ``delimiter`` could see."""
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield from row
    for raw in re.split(f"[{re.escape(delimiter)}\r\n]", text):
        yield raw.lstrip('"')


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def formulas(data: bytes) -> list[tuple[str, str]]:
    """(delimiter, field) for each field that a spreadsheet would run as a formula."""
    text = data.decode("utf-8-sig")
    return [(d, f) for d in DELIMITERS for f in fields(text, d)
            if f.startswith(_FORMULA) and not _number(f)]
