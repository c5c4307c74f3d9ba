"""A CSV file's bytes before any meaning: its encoding, and where each record starts and ends.

Both are decided from the *whole* file, never from a sample: a byte that is not UTF-8 far down a
UTF-8 export used to send the whole file through cp1252 (turning the BOM into ``ï»¿`` glued to
the first header, which then matched nothing), and pandas' C parser silently pads a row with too
few fields and silently drops extra fields when only some columns are read. A truncated export
(cut mid-row or inside a quoted cell) is exactly such a short row.

The record scan is vectorized numpy over the raw bytes (a byte is quoted when an odd number of
quote characters precede it), so a 300k-user export costs one linear pass, not a Python loop per
row.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playbook.errors import InputError

ENCODING_FIX = "error.csv.encoding.fix"
"""The fix for bytes no one encoding reads (a catalog key)."""


@dataclass(frozen=True)
class Records:
    """The records of a CSV: byte spans (in :attr:`data`, UTF-8 or an ASCII superset) and the
    1-based line each starts on, blank lines left out (pandas skips them too); ``quotes`` the
    positions of every quote character (the field count needs them again)."""

    data: bytes
    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray
    quotes: np.ndarray

    def text(self, i: int, encoding: str) -> str:
        """Record ``i`` as text, without its line end."""
        return self.data[self.starts[i]:self.ends[i]].decode(encoding, errors="replace")


def decide_encoding(path: Path, raw: bytes) -> tuple[str, bytes]:
    """The encoding of the whole file and its bytes in an ASCII-compatible form for scanning.

    UTF-16 (BOM) and UTF-8 (with or without BOM) must decode as a whole. A file that is not
    UTF-8 is read as Windows-1252 (ANSI, Windows PowerShell 5.1, Excel) only when nothing before
    its first bad byte was UTF-8 either; a UTF-8 BOM or UTF-8 text before a bad byte means two
    encodings in one file, which no reading can get right, so it is refused with the line.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return "utf-16", raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise _bad_byte(path, raw, exc.start, "UTF-16") from None
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise InputError(path, "error.csv.nul-byte", row=raw.count(b"\n", 0, at) + 1,
                         fix=ENCODING_FIX)
    # The text after the BOM: the BOM's U+FEFF alone would make Python build the whole decoded
    # text at two bytes a character (24 ms instead of 3 ms for 22 MB of ASCII).
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        str(memoryview(raw)[bom:], "utf-8")
        return "utf-8", raw
    except UnicodeDecodeError as exc:
        if bom or not raw[:exc.start].isascii():
            raise _bad_byte(path, raw, bom + exc.start, "UTF-8") from None
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _bad_byte(path, raw, exc.start, None) from None
    return "cp1252", raw


def _bad_byte(path: Path, raw: bytes, at: int, encoding: str | None) -> InputError:
    """The byte at ``at``, the first that ``encoding`` does not read (``None``: neither UTF-8
    nor ANSI)."""
    line = raw.count(b"\n", 0, at) + 1
    byte = raw[at:at + 1].hex()
    if encoding is None:
        return InputError(path, "error.csv.mixed-encodings-ansi", row=line, fix=ENCODING_FIX,
                          byte=byte)
    return InputError(path, "error.csv.mixed-encodings", row=line, fix=ENCODING_FIX, byte=byte,
                      encoding=encoding)


def _unquoted(positions: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """The positions not inside a quoted cell: an even number of quote characters before them
    (a doubled quote inside a cell counts twice, so it changes nothing)."""
    if not quotes.size:
        return positions
    return positions[(np.searchsorted(quotes, positions) & 1) == 0]


def scan(path: Path, data: bytes) -> Records:
    """Split ``data`` into records at line ends outside quoted cells.

    Only the positions of quotes, line ends and delimiters are looked at (numpy, sparse), so
    the cost is one pass over the bytes. A file that ends inside a quoted cell was cut off:
    refused with the line its last record starts on.
    """
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == 34)
    nl_all = np.flatnonzero(b == 10)
    ends = _unquoted(nl_all, quotes)
    starts = np.concatenate(([0], ends + 1)).astype(np.int64)
    ends = np.concatenate((ends, [len(b)])).astype(np.int64)
    lines = np.searchsorted(nl_all, starts) + 1
    if quotes.size % 2:
        last = int(np.searchsorted(starts, quotes[-1], side="right") - 1)
        raise InputError(path, "error.csv.ends-in-quoted-cell", row=int(lines[last]),
                         fix="error.csv.copy-whole-file")
    # drop blank records ("" or "\r"), as pandas skips blank lines
    length = ends - starts
    cr_only = length == 1
    if cr_only.any():
        cr_only[cr_only] = b[starts[cr_only]] == 13
    keep = (length > 0) & ~cr_only
    return Records(data, starts[keep], ends[keep], lines[keep], quotes)


def field_counts(records: Records, first: int, delimiter: str) -> np.ndarray:
    """Fields of each record from index ``first`` on (delimiters outside quotes, plus one)."""
    b = np.frombuffer(records.data, dtype=np.uint8)
    delims = _unquoted(np.flatnonzero(b == ord(delimiter)), records.quotes)
    starts, ends = records.starts[first:], records.ends[first:]
    return np.searchsorted(delims, ends) - np.searchsorted(delims, starts) + 1


def check_field_counts(path: Path, records: Records, first: int, delimiter: str,
                       expected: int) -> None:
    """Refuse the first record after the header whose field count differs from the header's.

    A tool that ends every line with a delimiter (one more, empty field on *every* row) is
    harmless; one row with an extra field among rows without is a shifted row.
    """
    counts = field_counts(records, first, delimiter)
    wrong = np.flatnonzero(counts != expected)
    if not wrong.size:
        return
    if wrong.size == counts.size and (counts == counts[0]).all() and counts[0] > expected and all(
            _trailing(records.text(first + int(i), "utf-8"), delimiter) >= counts[0] - expected
            for i in wrong):
        return
    n = int(counts[wrong[0]])
    rec = first + int(wrong[0])
    line = int(records.lines[rec])
    if n < expected and rec == records.starts.size - 1:
        raise InputError(path, "error.csv.row-too-short-at-end", row=line,
                         fix="error.csv.copy-whole-file", n=n, expected=expected)
    if n < expected:
        raise InputError(path, "error.csv.row-too-short", row=line, n=n, expected=expected)
    raise InputError(path, "error.csv.row-too-long", row=line, n=n, expected=expected)


def _trailing(text: str, delimiter: str) -> int:
    """How many delimiters end the record (each adds one empty field)."""
    body = text.rstrip("\r")
    return len(body) - len(body.rstrip(delimiter))
