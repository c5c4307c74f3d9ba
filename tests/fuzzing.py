"""Support for the fuzz suite (tests/test_fuzz.py) and the hang checks of the hardening tests.

:func:`case_timeout` turns a hang into a failure (a per-case limit, not a timing assertion);
:func:`mutate` derives a damaged copy of one input file from a seeded generator, so a failing
case is reproduced from its name alone (``truncate-0-12``).
"""

from __future__ import annotations

import codecs
import json
import random
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class CaseTimeout(Exception):
    """A case ran longer than its limit."""


@contextmanager
def case_timeout(seconds: float) -> Iterator[None]:
    """Raise :class:`CaseTimeout` in the block when it runs longer than ``seconds``.

    Uses SIGALRM, so it works in the main thread (where pytest runs tests) on POSIX; a read
    blocked in the kernel (a FIFO's open) is interrupted too.
    """

    def expire(_signum: int, _frame: object) -> None:
        raise CaseTimeout(f"ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


Spans = tuple[tuple[int, int], ...]
"""Byte ranges a mutation must leave alone (the users' UPNs: damage there would make another,
valid export of other users, which no reader can tell from the real thing)."""
Mutator = Callable[[bytes, random.Random, Spans], bytes]


def protected_spans(data: bytes, names: list[str]) -> Spans:
    """Where each of ``names`` (UPNs) occurs in ``data``, case-insensitively, as UTF-8."""
    low = data.lower()
    spans = []
    for name in names:
        needle = name.lower().encode("utf-8")
        start = low.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = low.find(needle, start + 1)
    return tuple(sorted(spans))


def _free(at: int, spans: Spans) -> bool:
    """Whether an insertion or change at ``at`` leaves every span whole (an insertion at a
    span's end would lengthen the UPN it protects)."""
    return not any(a <= at <= b for a, b in spans)


def _position(data: bytes, rng: random.Random, spans: Spans, *, inside: bool = False) -> int:
    """A random position outside ``spans`` (``inside``: never at a line boundary either)."""
    for _ in range(100):
        at = rng.randrange(1 if inside else 0, len(data) + (0 if inside else 1))
        if not _free(at, spans) or (inside and data[at - 1:at] in (b"\n", b"\r")):
            continue
        return at
    return len(data)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def truncate(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """Cut the file mid-line (mid-row, mid-field, mid-character): a cut at a line end would
    be a whole, shorter export."""
    return data[:_position(data, rng, (), inside=True)]


def drop_line(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """Drop one line that holds no UPN (a header, a #TYPE line, a line of JSON)."""
    lines = _lines(data)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    free = [i for i in range(len(lines))
            if all(b <= starts[i] or a >= starts[i + 1] for a, b in spans)]
    if free:
        del lines[rng.choice(free)]
    return b"".join(lines)


def duplicate_line(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    return b"".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])


JUNK = (0x00, 0xFF, 0x81, 0xC3, 0x22, 0x2C, 0x3B, 0x0A, 0x0D, 0x1B, 0x7B, 0x5B)
"""NUL, bytes that are not UTF-8 on their own, quotes, delimiters, line ends, ESC, brackets:
no letter or digit, so damage never spells another valid value by chance."""


def junk_bytes(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """Overwrite a few bytes (outside UPNs) with junk."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = _position(data, rng, spans)
        if at < len(buf):
            buf[at] = rng.choice(JUNK)
    return bytes(buf)


def insert_junk(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    at = _position(data, rng, spans)
    junk = bytes(rng.choice(JUNK) for _ in range(rng.randint(1, 64)))
    return data[:at] + junk + data[at:]


def huge_field(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """A run of 64 to 256 KB of one piece somewhere (a field far longer than any real one)."""
    at = _position(data, rng, spans)
    piece = rng.choice([b"A", b"+", b" + ", b"\\", b"x;"])
    return data[:at] + piece * (rng.choice([64, 256]) * 1024 // len(piece)) + data[at:]


def reencode(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """The same text in another encoding (UTF-16 with or without BOM, cp1252, UTF-8 BOM)."""
    text = data.decode("utf-8-sig", errors="replace")
    choice = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "cp1252", "utf-8-sig", "latin-1"])
    body = text.encode(choice, errors="replace")
    if choice == "utf-16-le" and rng.random() < 0.5:
        body = codecs.BOM_UTF16_LE + body
    return body


def _header_split(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(before, header line, rest) of a CSV, skipping a #TYPE line; None for JSON/YAML."""
    lines = _lines(data)
    i = 1 if lines and lines[0].lstrip(b"\xef\xbb\xbf").startswith(b"#TYPE") else 0
    if i >= len(lines) or data.lstrip(b"\xef\xbb\xbf \r\n")[:1] in (b"{", b"["):
        return None
    return b"".join(lines[:i]), lines[i], b"".join(lines[i + 1:])


def _header_cells(header: bytes) -> tuple[list[bytes], bytes, bytes]:
    end = header[len(header.rstrip(b"\r\n")):]
    body = header.rstrip(b"\r\n")
    sep = max((b",", b";", b"\t"), key=body.count)
    return body.split(sep), sep, end


def drop_column(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """Remove one column from the header and every row (naive split: quoted delimiters
    shift, which is damage of its own)."""
    split = _header_split(data)
    if split is None:
        return truncate(data, rng, spans)
    before, header, rest = split
    cells, sep, _end = _header_cells(header)
    k = rng.randrange(len(cells))
    out = []
    for line in _lines(header + rest):
        body = line.rstrip(b"\r\n")
        parts = body.split(sep)
        if k < len(parts):
            del parts[k]
        out.append(sep.join(parts) + line[len(body):])
    return before + b"".join(out)


def duplicate_column(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """A header name given twice (a second ``Licenses`` column)."""
    split = _header_split(data)
    if split is None:
        return duplicate_line(data, rng, spans)
    before, header, rest = split
    cells, sep, end = _header_cells(header)
    cells[rng.randrange(len(cells))] = rng.choice(cells)
    return before + sep.join(cells) + end + rest


def rename_column(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    split = _header_split(data)
    if split is None:
        return junk_bytes(data, rng, spans)
    before, header, rest = split
    cells, sep, end = _header_cells(header)
    k = rng.randrange(len(cells))
    cells[k] = rng.choice([b"Column1", b'"x"', b"", cells[k].upper(), cells[k] + b"2"])
    return before + sep.join(cells) + end + rest


_WRONG_VALUES: tuple[object, ...] = (None, 0, -1, 1e3, 2**70, True, "false", "", "x", [],
                                     {}, [["deep"]], {"a": {"b": 1}}, "\u0000", "a" * 100_000)


def json_wrong_type(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """Replace one value anywhere in a JSON document by a value of another type."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return junk_bytes(data, rng, spans)
    slots: list[tuple[object, object]] = []
    stack = [doc]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else (
            enumerate(node) if isinstance(node, list) else ())
        for key, value in items:
            slots.append((node, key))
            stack.append(value)
    if slots:
        node, key = rng.choice(slots)
        node[key] = rng.choice(_WRONG_VALUES)  # type: ignore[index]
    return json.dumps(doc).encode("utf-8")


def deep_nesting(data: bytes, rng: random.Random, spans: Spans) -> bytes:
    """A value nested thousands of levels deep, in JSON or YAML flow style."""
    depth = rng.choice([200, 5_000, 200_000])
    deep = b"[" * depth + b"]" * depth
    stripped = data.lstrip(b"\xef\xbb\xbf \r\n")
    if stripped[:1] == b"{":
        return b'{"value": ' + deep + b", " + stripped[1:]
    if stripped[:1] == b"[":
        return b"[" + deep + b", " + stripped[1:]
    return data + b"\nextra: " + deep + b"\n"


MUTATORS: dict[str, Mutator] = {
    "truncate": truncate, "drop-line": drop_line, "duplicate-line": duplicate_line,
    "junk-bytes": junk_bytes, "insert-junk": insert_junk, "huge-field": huge_field,
    "reencode": reencode, "drop-column": drop_column, "duplicate-column": duplicate_column,
    "rename-column": rename_column, "json-wrong-type": json_wrong_type,
    "deep-nesting": deep_nesting,
}


def mutate(data: bytes, name: str, spans: Spans = ()) -> bytes:
    """The damaged copy called ``name`` (``<kind>-<seed>-<n>``, as :func:`case_names` gives)."""
    kind = name.rsplit("-", 2)[0]
    return MUTATORS[kind](data, random.Random(name), spans)


def case_names(seed: int, count: int) -> list[str]:
    """``count`` case names cycling through every mutator; a name alone reproduces its case."""
    kinds = list(MUTATORS)
    return [f"{kinds[n % len(kinds)]}-{seed}-{n}" for n in range(count)]
