"""Opening an input file: refuse anything that is not a regular file before reading a byte.

A folder, a named pipe (FIFO) or a device such as ``/dev/zero`` given where a file is expected
would make a reader fail with a bare OS error, block forever waiting for a writer, or read
without end. ``os.stat`` tells them apart without opening the path, so every reader of an input
(exports, ``tenant.yaml``, the product reference, ``plan.json``/``plan.csv``, the script's log)
asks :func:`check_input_file` first. One function, so every input is refused alike.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from playbook.errors import InputError
from playbook.messages import Said

POINT_AT_EXPORT = "error.input-file.point-at-export"
"""The fix when the caller names none: a catalog key, like every ``fix`` given here."""


def check_input_file(path: str | Path, *, max_bytes: int | None = None,
                     fix: str = POINT_AT_EXPORT) -> Path:
    """``path`` when it is a regular file (of at most ``max_bytes``), else a one-line refusal.

    ``fix`` is the catalog key of what to do instead (what the caller expects there).
    Symbolic links are followed (a link to a real export is fine; a link to ``/dev/zero`` is
    refused as the device it points at).
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "error.input-file.not-found", how=Said(fix)) from None
    except OSError as exc:
        raise InputError(path, "error.input-file.unreadable", fix=fix,
                         reason=exc.strerror or str(exc)) from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(path, "error.input-file.folder", fix=fix)
    if not stat.S_ISREG(mode):
        kind = "error.input-file.kind.pipe" if stat.S_ISFIFO(mode) else (
            "error.input-file.kind.device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "error.input-file.kind.special")
        raise InputError(path, "error.input-file.not-regular", fix=fix, kind=Said(kind))
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(path, "error.input-file.too-big", fix=fix, size=grouped(info.st_size),
                         max_bytes=grouped(max_bytes))
    return path


def read_input_bytes(path: str | Path, *, max_bytes: int | None = None,
                     fix: str = POINT_AT_EXPORT) -> bytes:
    """The bytes of an input file checked by :func:`check_input_file` (at most ``max_bytes``,
    even if the file grows between the check and the read)."""
    path = check_input_file(path, max_bytes=max_bytes, fix=fix)
    with path.open("rb") as fh:
        data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(path, "error.input-file.grew", fix=fix, max_bytes=grouped(max_bytes))
    return data


def grouped(n: int) -> Said | str:
    """A count with its thousands grouped as the line's language writes them (English 262,144,
    Danish 262.144): the separator is a catalog text, chosen when the line is worded."""
    head, tail = divmod(int(n), 1000)
    if not head:
        return str(tail)
    return Said("error.exports.thousands", {"head": grouped(head), "tail": f"{tail:03d}"})
