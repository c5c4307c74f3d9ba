"""Errors an admin can act on, and the exit codes every command shares.

Bad input must end in one line that names the file, row, column, the offending value and the
fix, never a traceback. Every reader and rule raises :class:`InputError` with a message code
from the catalog (:mod:`playbook.messages`, keys ``error.*``); the line is worded when it is
shown, in the tenant's language once the tenant is known (:func:`speaking`). The CLI (and the
notebooks) show that line and exit with the error's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playbook.messages import Said, has_message, message, render_value, text

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_REFUSED_FOR_SEATS = 3
EXIT_NOT_AN_AFTER_EXPORT = 4

MAX_VALUE_CHARS = 80
"""A value longer than this is cut in the line (the file holds it whole)."""


class InputError(Exception):
    """Bad input that the admin must fix; rendered as one line.

    ``code`` is the catalog key of the problem; the fix is ``fix`` (a key) or, by default,
    ``<code>.fix`` when the catalog has one. ``evidence`` fills both templates' fields.
    ``row`` is the 1-based line number in the file as an editor shows it (header = line 1),
    or ``None`` when the problem is not tied to one row. ``file`` is a path, or a
    :class:`~playbook.messages.Said` for a place that is not a file ("after export",
    "sign-in"), worded like the rest. ``lang`` is the language the line is worded in:
    English until :func:`speaking` sets the tenant's.
    """

    def __init__(self, file: str | Path | Said | None, code: str, /, *, fix: str | None = None,
                 row: int | None = None, column: str | None = None, value: object = None,
                 exit_code: int = EXIT_BAD_INPUT, **evidence: Any) -> None:
        self.file = file
        self.code = code
        self.fix_code = fix if fix is not None else (
            f"{code}.fix" if has_message(f"{code}.fix") else None)
        self.row = row
        self.column = column
        self.value = value
        self.exit_code = exit_code
        self.evidence: Mapping[str, Any] = evidence
        self.lang: str | None = None
        super().__init__(code)

    def message_in(self, lang: str) -> str:
        """The problem, worded in ``lang``."""
        return message(self.code, lang, **self.evidence)

    def fix_in(self, lang: str) -> str:
        """The fix, worded in ``lang`` ("" when the problem carries none)."""
        return message(self.fix_code, lang, **self.evidence) if self.fix_code else ""

    @property
    def message(self) -> str:
        return self.message_in(self.lang or "en")

    @property
    def fix(self) -> str:
        return self.fix_in(self.lang or "en")

    def one_line(self, lang: str | None = None) -> str:
        """``file:row: column 'c': value 'v': problem (fix: ...)`` in ``lang`` (default: the
        error's own language)."""
        lang = lang or self.lang or "en"
        where = (text("error.input", lang) if self.file is None
                 else render_value(self.file, lang))
        if self.row is not None:
            where += f":{self.row}"
        parts = [where]
        if self.column is not None:
            parts.append(f"{text('error.column', lang)} '{self.column}'")
        if self.value is not None:
            shown = str(self.value)
            if len(shown) > MAX_VALUE_CHARS:
                shown = shown[:MAX_VALUE_CHARS - 3] + "..."
            parts.append(f"{text('error.value', lang)} {shown!r}")
        line = ": ".join(parts) + f": {self.message_in(lang)}"
        fix = self.fix_in(lang)
        if fix:
            line += f" ({text('error.fix', lang)}: {fix})"
        return line.replace("\n", " ")

    def words(self, lang: str) -> str:
        """The line in ``lang``: a bad input kept as evidence (a warning that a log was
        skipped, say) reads in the language of the text it sits in."""
        return self.one_line(lang)

    def headline(self) -> str:
        """The line as the CLI prints it: ``error: ...`` (``fejl: ...``)."""
        lang = self.lang or "en"
        return f"{text('error.error', lang)}: {self.one_line(lang)}"

    def __str__(self) -> str:
        return self.one_line()

    def _render_traceback_(self) -> list[str]:
        """IPython's hook: a notebook cell shows bad input as this one line, not a traceback.

        The cell still fails with ``ename`` = the class name, so papermill stops there and the
        runner records the run as bad input.
        """
        return [f"{type(self).__name__}: {self.one_line()}"]


class NotAnAfterExport(InputError):
    """The 'after' export cannot be one: identical to the before export, or another tenant's."""

    def __init__(self, file: str | Path | Said | None, code: str, /, *,
                 fix: str | None = None, **evidence: Any) -> None:
        super().__init__(file, code, fix=fix, exit_code=EXIT_NOT_AN_AFTER_EXPORT, **evidence)


@contextmanager
def speaking(lang: str | Callable[[], str]) -> Iterator[None]:
    """Bad input raised inside is worded in ``lang`` (the tenant's language), unless an inner
    block already chose one. Used where the tenant becomes known, so readers and rules below
    need not carry the language. ``lang`` may be a function, called only when an error
    passes (finding the language costs a read of tenant.yaml a good run need not pay)."""
    try:
        yield
    except InputError as exc:
        if exc.lang is None:
            exc.lang = lang() if callable(lang) else lang
        raise
