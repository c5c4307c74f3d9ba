"""Writing files safely: the spreadsheet-formula escape, CSV and JSON through the standard
encoders, atomic writes of one file or a whole folder, and safe folder names.

Everything the playbook writes goes through here, so each rule has one home:

- :func:`neutralize_cell` / :func:`restore_cell`: the one formula escape (and its inverse);
- :func:`csv_bytes`: the one CSV writer, which applies that escape to every text cell and
  quotes it;
- :func:`json_text`: ``json.dumps`` with the layout admins read (indent 2);
- :func:`write_bytes_atomic` (and the text, JSON and CSV variants): readers see the old file or
  the whole new one, never half;
- :func:`write_folder_atomic`: the same for a folder of files (``<out>/plan/``), after
  :func:`remove_leftovers` of killed writes; part of the files may be rendered by a second
  process on another core;
- :func:`folder_name`: what the folder written for a tenant folder is called (the one naming
  rule of run folders).

New files and folders get the permissions the user's umask gives (nothing is forced): they are
created the way ``open`` and ``mkdir`` create them, under a random name, then renamed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from glob import escape as glob_escape
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "'", '"')
"""Characters that get a ``'`` before them where a spreadsheet field can begin: see
:func:`neutralize_cell`."""
FIELD_BREAKS = ",;\r\n"
"""Characters after which a spreadsheet may begin a new field (or row) inside a cell's text:
the two list separators Excel uses (``,`` or ``;``, as the Windows region says) and line ends."""
BOM = b"\xef\xbb\xbf"
"""UTF-8 byte order mark: Excel needs it to read a CSV as UTF-8."""

_STARTS = re.escape("".join(FORMULA_START))
_FIELD_START = re.compile(f"(^|[{FIELD_BREAKS}])(?=[{_STARTS}])")
"""Where a ``'`` goes: a field start (the cell's start, or just after a break) before a
formula start."""
_BREAK_THEN_START: dict[str, re.Pattern[str]] = {
    "\n" + "".join(others): re.compile(f"[\n{''.join(others)}][{_STARTS}]")
    for others in ("", ",", ";", "\r", ",;", ",\r", ";\r", ",;\r")}
"""A break before a formula start, one pattern per set of break characters a column holds
(a line break always: it joins the cells): see :func:`_needs_escape`."""
_ESCAPE_MARK = re.compile(f"(^|[{FIELD_BREAKS}])'")
"""The ``'`` of :func:`neutralize_cell`: one at a field start."""


# ---------------------------------------------------------------------------------------------
# the formula escape


def neutralize_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula, made inert with a ``'`` at every field start.

    Excel, LibreOffice and Google Sheets read a cell starting with ``= + - @`` as a formula,
    and also one starting with TAB or CR (they strip it first). Display names and departments
    come from the tenant, so anyone who can rename themselves could plant one.

    Which characters separate fields depends on the region: Excel set to Danish or German
    splits a CSV on ``;``, and then ``a;=cmd|...`` holds a field ``=cmd|...`` even though the
    file's own separator is ``,`` (a quoted cell does not help: the quotes are only seen at the
    start of a field). So every place a field can begin gets the escape: the cell's start, and
    just after each ``,`` ``;`` CR or LF inside it. A ``"`` there is escaped too (it would open
    a quoted field whose text could start a formula).

    A field start that already holds ``'`` gets one more, so the escape can always be undone
    exactly (:func:`restore_cell`: drop one ``'`` at each field start). plan.csv is read back
    by :func:`playbook.plan.store.read_plan_csv` and by the PowerShell script, and a name that
    really holds ``'`` there would otherwise lose it on the way back.

    Anything that is not text (numbers, ``None``) comes back unchanged.
    """
    if isinstance(value, str):
        return _FIELD_START.sub(r"\1'", value)
    return value


def restore_cell(text: str) -> str:
    """Undo :func:`neutralize_cell` exactly: one ``'`` dropped at each field start.

    Exact because after the escape every field start holds either the added ``'`` or a
    character that is not a formula start (and ``'`` is one).
    """
    return _ESCAPE_MARK.sub(r"\1", text) if "'" in text else text


def _needs_escape(joined: str) -> bool:
    """Whether a column joined by line breaks holds a field start before a formula start.

    A few C scans: which break characters occur at all, then one search for a break before a
    formula start (a line break inside a cell only adds a false alarm).
    """
    if joined.startswith(FORMULA_START):
        return True
    breaks = "\n" + "".join(b for b in FIELD_BREAKS if b != "\n" and b in joined)
    return _BREAK_THEN_START[breaks].search(joined) is not None


def _text_cells(column: pd.Series) -> list[str]:
    """A text column's cells as the text between their quotes: missing cells empty, each
    through :func:`neutralize_cell`, inner ``"`` doubled.

    Usually no cell needs either, which a few scans of the joined column tell: then the
    cells are the values themselves.
    """
    cells = column.tolist()
    try:
        joined = "\n".join(cells)
    except TypeError:  # not all text: None, NaN, numbers
        cells = column.fillna("").astype(str).tolist()
        joined = "\n".join(cells)
    if _needs_escape(joined):
        cells = [neutralize_cell(c) for c in cells]
    if '"' in joined:
        cells = [c.replace('"', '""') for c in cells]
    return cells


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def _number_cells(column: pd.Series) -> list[str]:
    """A number column's cells as pandas writes them ("12", "True", "0.5"), missing ones
    empty."""
    plain = pd.api.types.is_integer_dtype(column) or pd.api.types.is_bool_dtype(column)
    if plain and not column.hasnans:  # the usual counts and flags: each distinct one once
        codes, uniques = pd.factorize(column)
        return np.array([str(v) for v in uniques.tolist()], dtype=object)[codes].tolist()
    text = column.astype(str).astype(object)
    return text.where(column.notna(), "").tolist()


# ---------------------------------------------------------------------------------------------
# encoders


def csv_bytes(frame: pd.DataFrame, *, bom: bool = True, lineterminator: str = "\r\n") -> bytes:
    """``frame`` as a CSV file that stays inert whether a spreadsheet splits it on ``,`` or
    ``;``: header, then one line per row.

    Every text cell goes through :func:`neutralize_cell` and is quoted (so a ``,`` or ``;``
    inside it never splits it where the quotes are seen); numbers are written unquoted, as
    pandas writes them, and a missing number is an empty cell. This is
    ``csv.writer(quoting=csv.QUOTE_NONNUMERIC)`` with text columns as text (a test compares
    them). The header is quoted as it is (the column names are ours). UTF-8, with a BOM unless
    ``bom`` is false (CRLF and a BOM are what Excel opens cleanly and ``Import-Csv`` reads).

    Built a column at a time in a few C calls per column: the csv module writing every cell
    costs three to four times as much, about a second on a 100k-user plan.
    """
    text_columns = [_is_text(frame[name]) for name in frame.columns]
    columns = [_text_cells(frame[name]) if is_text else _number_cells(frame[name])
               for name, is_text in zip(frame.columns, text_columns, strict=True)]
    header = ",".join('"' + str(name).replace('"', '""') + '"' for name in frame.columns)
    # one row is one %-format of the runs of text and of number columns: a run's cells
    # joined first (text ones by '","'), text runs between quotes, numbers bare
    runs = [(is_text, [cells for _, cells in run])
            for is_text, run in groupby(zip(text_columns, columns, strict=True), key=itemgetter(0))]
    pieces = [cells[0] if len(cells) == 1 else list(map(('","' if is_text else ",").join,
                                                        zip(*cells, strict=True)))
              for is_text, cells in runs]
    row = ",".join('"%s"' if is_text else "%s" for is_text, _ in runs)
    lines = [header, *(row % cells for cells in zip(*pieces, strict=True))]
    if text_columns == [False]:  # a lone empty number cell would be a blank line
        lines[1:] = [c or '""' for c in lines[1:]]
    # the BOM (U+FEFF) and the last line break go in as text: the file is encoded once,
    # never copied whole again (120 MB of copies a 100k-user plan)
    if bom:
        lines[0] = BOM.decode("utf-8") + lines[0]
    return lineterminator.join([*lines, ""]).encode("utf-8")


def json_text(data: Any, *, ensure_ascii: bool = False, default: Any = None) -> str:
    """``data`` as indented JSON (what admins read), ending with a line break.

    ``ensure_ascii=False`` keeps names readable (the file is UTF-8); ``default`` as for
    :func:`json.dumps` (``str`` for dates in run records).
    """
    return json.dumps(data, indent=2, ensure_ascii=ensure_ascii, default=default) + "\n"


# ---------------------------------------------------------------------------------------------
# folder names


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]')
"""What no folder name written by the playbook holds: control characters and text-direction
overrides (they drive terminals), and what Windows refuses in a name."""
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})
_MAX_NAME = 80


def folder_name(folder: str | Path) -> str:
    """The name of the folder the playbook writes for ``folder`` (a tenant folder) under a
    runs folder: the folder's own name, made safe.

    The one naming rule of every run folder (``plan``, ``run``, ``batch``, ``verify`` and
    ``status`` all use it, so each finds the others' output). It comes from the tenant
    folder, never from tenant.yaml's ``name`` (text for reports, which may hold ``/``, ``..``
    or a whole path). A name that is already safe is kept as it is; otherwise unsafe
    characters become ``_``, it is cut to 80 characters, and 8 hex digits of its sha256 are
    added, so two tenant folders never share a run folder. The result is one path component:
    never empty, ``.``, ``..``, hidden, or a Windows device name.
    """
    name = Path(folder).resolve().name if str(folder) else ""
    safe = _UNSAFE_IN_NAME.sub("_", name).strip(" .")[:_MAX_NAME].strip(" .")
    if safe == name and safe and safe.split(".")[0].upper() not in _RESERVED_NAMES:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{safe or 'tenant'}-{digest}"


# ---------------------------------------------------------------------------------------------
# atomic writes


_TEMP_KINDS = ("new", "old")


def _temp_name(path: Path, kind: str) -> Path:
    """A fresh hidden name beside ``path`` (same folder, so a rename is atomic):
    ``.<name>.<kind>.<pid>.<random>``, the pid telling :func:`remove_leftovers` whose it is."""
    return path.with_name(f".{path.name}.{kind}.{os.getpid()}.{secrets.token_hex(4)}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_leftovers(path: str | Path) -> list[Path]:
    """Remove the temporary files and folders a killed write of ``path`` left beside it.

    A ``plan`` killed while writing leaves ``.plan.new.<pid>.<random>/`` (hundreds of MB at
    150k users), or ``.plan.old.*`` when killed during the swap. Each write cleans up after
    the dead writers of the same path first: a leftover whose process is gone is removed (one
    of a write still running is left alone). Nothing reads them: their names are hidden and
    never ``plan``. Returns what was removed.
    """
    path = Path(path)
    removed = []
    for kind in _TEMP_KINDS:
        for leftover in path.parent.glob(f".{glob_escape(path.name)}.{kind}.*"):
            pid = leftover.name[len(path.name) + len(kind) + 3:].partition(".")[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one.

    A temporary file beside it, created as ``open`` would (the umask decides its mode), is
    written, flushed and renamed over ``path``; on failure it is removed. Parent folders are
    created. Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
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


FilesMaker = Callable[[], Iterable[tuple[str, bytes]]]
"""Renders some of a folder's files on demand: (name, bytes) pairs."""

SECOND_PROCESS_POSSIBLE = sys.platform == "linux" and hasattr(os, "fork")
"""Where a second process can render part of a folder: Linux's ``fork`` starts one in a few
milliseconds with the caller's data already in place (copy-on-write). Elsewhere (Windows,
and macOS, whose system libraries are not safe to use after ``fork``) the folder is rendered
in this process alone."""


def _start_second_process(folder: Path, make: FilesMaker) -> int | None:
    """Render and write ``make()``'s files into ``folder`` in a forked process; its pid, or
    None when none could start (the caller then renders them itself).

    The child writes plainly (no threads), and ends with ``os._exit``: it never returns into
    the caller's code, runs no exit handlers and flushes none of the parent's buffers. Exit
    code 0 means every file was written.
    """
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    code = 1
    try:
        for name, data in make():
            (folder / name).write_bytes(data)
        code = 0
    except BaseException:  # the parent renders the same files again and sees why
        code = 1
    finally:
        os._exit(code)


def _second_process_done(pid: int) -> bool:
    """Wait for the second process; whether it wrote every file."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def write_folder_atomic(folder: str | Path, files: Iterable[tuple[str, bytes]], *,
                        elsewhere: FilesMaker | None = None, keep: Iterable[str] = ()) -> Path:
    """Write ``folder`` with exactly ``files`` (name, bytes), all or nothing.

    The files go into a new hidden folder beside it, each as soon as ``files`` yields it (so
    a caller renders the next while the last is written, and drops each once written);
    then an old ``folder`` is renamed away, the new one renamed into place, and the old one
    deleted last. Any failure leaves the old folder as it was and no partial one; what a
    killed write left is removed first (:func:`remove_leftovers`).

    ``elsewhere`` makes more files of the same folder. Where a second process is possible
    (:data:`SECOND_PROCESS_POSSIBLE`) it renders them on another core while this process
    renders ``files``: the admin waits for the longer half, not the sum. If that process
    fails in any way, this one renders them again itself, so a real error is raised here
    as it would be without it.

    ``keep`` names entries of the old folder carried into the new one as they are (the apply
    journal of the same plan): moved, never copied or deleted, and moved back if the swap
    fails.

    Only ``folder`` itself is ever swapped and deleted: one that is a link (or a file) is
    refused, so the swap can never delete anything outside it.
    """
    final = Path(folder)
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise FileExistsError(errno.EEXIST, "not a folder the playbook wrote (a link or a file): "
                              "move it away, or pass another --out", str(final))
    remove_leftovers(final)
    tmp = _temp_name(final, "new")
    pid = None
    try:
        tmp.mkdir()
        if elsewhere is not None and SECOND_PROCESS_POSSIBLE:
            pid = _start_second_process(tmp, elsewhere)  # before any thread starts here
        _write_each(tmp, files)
        if elsewhere is not None:
            done, pid = pid is not None and _second_process_done(pid), None
            if not done:
                _write_each(tmp, elsewhere())
    except BaseException:
        if pid is not None:  # interrupted while the second process runs: stop it first
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    moved = [name for name in dict.fromkeys(keep)
             if final.is_dir() and (final / name).exists() and not (tmp / name).exists()]
    old = None
    try:
        for n, name in enumerate(moved):
            try:
                os.replace(final / name, tmp / name)
            except BaseException:
                moved = moved[:n]
                raise
        if final.exists():
            old = _temp_name(final, "old")
            os.replace(final, old)
        os.replace(tmp, final)
    except BaseException:
        if old is not None:
            os.replace(old, final)
        for name in moved:  # what was carried over goes back where it was
            os.replace(tmp / name, final / name)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final
