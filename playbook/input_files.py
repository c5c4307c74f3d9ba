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


def check_input_file(path: str | Path, *, max_bytes: int | None = None,
                     fix: str = "point at the exported file") -> Path:
    """``path`` when it is a regular file (of at most ``max_bytes``), else a one-line refusal.

    Symbolic links are followed (a link to a real export is fine; a link to ``/dev/zero`` is
    refused as the device it points at).
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "file not found", fix=f"check the path; {fix}") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})", fix=fix) from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder, not a file", fix=fix)
    if not stat.S_ISREG(mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else (
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
        raise InputError(path, f"is {kind}, not a regular file; nothing was read", fix=fix)
    if max_bytes is not None and info.st_size > max_bytes:
        raise InputError(path, f"is {info.st_size:,} bytes, more than the {max_bytes:,} this "
                         "file may hold", fix=fix)
    return path


def read_input_bytes(path: str | Path, *, max_bytes: int | None = None,
                     fix: str = "point at the exported file") -> bytes:
    """The bytes of an input file checked by :func:`check_input_file` (at most ``max_bytes``,
    even if the file grows between the check and the read)."""
    path = check_input_file(path, max_bytes=max_bytes, fix=fix)
    with path.open("rb") as fh:
        data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(path, f"holds more than the {max_bytes:,} bytes this file may hold",
                         fix=fix)
    return data
