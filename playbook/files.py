"""Writing files safely: the spreadsheet-formula escape, CSV and JSON through the standard
encoders, and atomic writes of one file or a whole folder.

Everything the playbook writes goes through here, so each rule has one home:

- :func:`neutralize_cell` / :func:`restore_cell`: the one formula escape (and its inverse);
- :func:`csv_bytes`: the one CSV writer, which applies that escape to every text cell;
- :func:`json_text`: ``json.dumps`` with the layout admins read (indent 2);
- :func:`write_bytes_atomic` (and the text, JSON and CSV variants): readers see the old file or
  the whole new one, never half;
- :func:`write_folder_atomic`: the same for a folder of files (``<out>/plan/``).

New files and folders get the permissions the user's umask gives (nothing is forced): they are
created the way ``open`` and ``mkdir`` create them, under a random name, then renamed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "'")
"""Cell starts that get a ``'`` prefix: see :func:`neutralize_cell`."""
BOM = b"\xef\xbb\xbf"
"""UTF-8 byte order mark: Excel needs it to read a CSV as UTF-8."""


# ---------------------------------------------------------------------------------------------
# the formula escape


def neutralize_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula, made inert with a leading ``'``.

    Excel, LibreOffice and Google Sheets read a cell starting with ``= + - @`` as a formula,
    and also one starting with TAB or CR (they strip it first). Display names and departments
    come from the tenant, so anyone who can rename themselves could plant one.

    A cell that already starts with ``'`` is prefixed too, so the escape can always be undone
    exactly (:func:`restore_cell`: drop one leading ``'``). plan.csv is read back by
    :func:`playbook.plan.store.read_plan_csv` and by the PowerShell script, and a name that
    really starts with ``'`` would otherwise lose its first character on the way back. One
    rule for every CSV keeps a summary.csv readable the same way.

    Anything that is not text (numbers, ``None``) comes back unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore_cell(text: str) -> str:
    """Undo :func:`neutralize_cell` exactly."""
    return text[1:] if text.startswith("'") else text


_QUOTE_CHARS = re.compile('[,"\r\n]')
"""What can make the csv module quote a cell (a comma, a quote, a line-end character)."""
_FORMULA_AFTER_LINE_BREAK = re.compile("\n[" + re.escape("".join(FORMULA_START)) + "]")
"""In a column joined by line breaks: a cell (not the first) that starts like a formula."""


def _csv_field(text: str, lineterminator: str) -> str:
    """One cell as the csv module writes it: quoted, inner quotes doubled, when it must be
    (whether a lone CR or LF must be quoted depends on the line terminator)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=lineterminator).writerow([text])
    return buffer.getvalue()[:-len(lineterminator)]


def _text_cells(column: pd.Series, lineterminator: str) -> list[str]:
    """A text column's cells as CSV text: missing cells empty, each through
    :func:`neutralize_cell`, then quoted by the csv module where it must be.

    Usually no cell needs either, which two scans of the joined column tell (a line break
    inside a cell only adds false alarms): then the cells are the values themselves.
    Otherwise only the cells that need it are changed.
    """
    cells = column.tolist()
    try:
        joined = "\n".join(cells)
    except TypeError:  # not all text: None, NaN, numbers
        cells = column.fillna("").astype(str).tolist()
        joined = "\n".join(cells)
    # one C scan (a line break inside a cell only adds a false alarm)
    if joined.startswith(FORMULA_START) or _FORMULA_AFTER_LINE_BREAK.search(joined):
        cells = [neutralize_cell(c) for c in cells]
    if joined.count("\n") > len(cells) - 1 or any(ch in joined for ch in ',"\r'):
        cells = [_csv_field(c, lineterminator) if _QUOTE_CHARS.search(c) else c for c in cells]
    return cells


def _cells(column: pd.Series, lineterminator: str) -> list[str]:
    """A column's cells as CSV text: text as :func:`_text_cells` says, numbers as pandas
    writes them ("12", "True", "0.5"), missing numbers empty."""
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        return _text_cells(column, lineterminator)
    plain = pd.api.types.is_integer_dtype(column) or pd.api.types.is_bool_dtype(column)
    if plain and not column.hasnans:  # the usual counts and flags: no pandas cast needed
        return [str(v) for v in column.tolist()]
    text = column.astype(str).astype(object)
    return text.where(column.notna(), "").tolist()


# ---------------------------------------------------------------------------------------------
# encoders


def csv_bytes(frame: pd.DataFrame, *, bom: bool = True, lineterminator: str = "\r\n") -> bytes:
    """``frame`` as a CSV file: header, then one line per row, text cells neutralized.

    Byte for byte ``frame.to_csv(index=False, lineterminator=...)`` after
    :func:`neutralize_cell` on every text cell (a test compares them): minimal quoting,
    missing cells empty, numbers as pandas writes them; UTF-8, with a BOM unless ``bom`` is
    false (CRLF and a BOM are what Excel opens cleanly and ``Import-Csv`` reads). The header
    is written as it is.

    Built a column at a time: the csv module quotes the few cells that need it, and a row is
    its cells joined by commas. ``to_csv`` (or the csv module) writing every cell costs
    three to four times as much, about a second on a 100k-user plan.
    """
    columns = [_cells(frame[name], lineterminator) for name in frame.columns]
    if len(columns) == 1:  # the csv module writes a lone empty cell as "" (not a blank line)
        columns = [[c or '""' for c in columns[0]]]
    header = ",".join(_csv_field(str(name), lineterminator) for name in frame.columns)
    lines = [header, *map(",".join, zip(*columns, strict=True))]
    text = lineterminator.join(lines) + lineterminator
    return (BOM if bom else b"") + text.encode("utf-8")


def json_text(data: Any, *, ensure_ascii: bool = False, default: Any = None) -> str:
    """``data`` as indented JSON (what admins read), ending with a line break.

    ``ensure_ascii=False`` keeps names readable (the file is UTF-8); ``default`` as for
    :func:`json.dumps` (``str`` for dates in run records).
    """
    return json.dumps(data, indent=2, ensure_ascii=ensure_ascii, default=default) + "\n"


# ---------------------------------------------------------------------------------------------
# atomic writes


def _temp_name(path: Path, kind: str) -> Path:
    """A fresh hidden name beside ``path`` (same folder, so a rename is atomic)."""
    return path.with_name(f".{path.name}.{kind}.{os.getpid()}.{secrets.token_hex(4)}")


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    A temporary file beside it, created as ``open`` would (the umask decides its mode), is
    written, flushed and renamed over ``path``; on failure it is removed. Parent folders are
    created. Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(path, "new")
    try:
        with tmp.open("xb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """:func:`write_bytes_atomic` of UTF-8 text (line breaks written as given)."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: str | Path, data: Any, *, ensure_ascii: bool = False,
                      default: Any = None) -> Path:
    """:func:`json_text` of ``data``, written atomically."""
    return write_text_atomic(path, json_text(data, ensure_ascii=ensure_ascii, default=default))


def write_csv_atomic(path: str | Path, frame: pd.DataFrame, *, bom: bool = True,
                     lineterminator: str = "\r\n") -> Path:
    """:func:`csv_bytes` of ``frame``, written atomically."""
    return write_bytes_atomic(path, csv_bytes(frame, bom=bom, lineterminator=lineterminator))


def _write_each(folder: Path, files: Iterable[tuple[str, bytes]]) -> None:
    """Write each file into ``folder`` while the next one is produced.

    ``write`` releases the GIL while the kernel copies the bytes, so one writer thread
    overlaps the disk with the rendering. At most one file is in flight (memory stays at
    about two files); an error in either thread stops both and is raised here.
    """
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[int] | None = None
        try:
            for name, data in files:
                if pending is not None:
                    pending.result()
                pending = writer.submit((folder / name).write_bytes, data)
        finally:
            if pending is not None:
                pending.result()


def write_folder_atomic(folder: str | Path, files: Iterable[tuple[str, bytes]]) -> Path:
    """Write ``folder`` with exactly ``files`` (name, bytes), all or nothing.

    The files go into a new hidden folder beside it, each as soon as ``files`` yields it (so
    a caller renders the next while the last is written, and drops each once written);
    then an old ``folder`` is renamed away, the new one renamed into place, and the old one
    deleted last. Any failure leaves the old folder as it was and no partial one.
    """
    final = Path(folder)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(final, "new")
    try:
        tmp.mkdir()
        _write_each(tmp, files)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if final.exists():
        old = _temp_name(final, "old")
        os.replace(final, old)
    try:
        os.replace(tmp, final)
    except BaseException:
        if old is not None:
            os.replace(old, final)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final
