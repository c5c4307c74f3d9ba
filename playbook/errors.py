"""Errors an admin can act on, and the exit codes every command shares.

Bad input must end in one line that names the file, row, column, the offending value and the
fix, never a traceback. Every reader and rule raises :class:`InputError`; the CLI (and the
notebooks' ``init`` helper) turn it into that line and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_REFUSED_FOR_SEATS = 3
EXIT_NOT_AN_AFTER_EXPORT = 4


@dataclass(eq=False)
class InputError(Exception):
    """Bad input that the admin must fix; rendered as one line.

    ``row`` is the 1-based line number in the file as an editor shows it (header = line 1),
    or ``None`` when the problem is not tied to one row.
    """

    file: str | Path | None
    message: str
    fix: str = ""
    row: int | None = None
    column: str | None = None
    value: object = None
    exit_code: int = EXIT_BAD_INPUT

    def __post_init__(self) -> None:
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = str(self.file) if self.file is not None else "input"
        if self.row is not None:
            where += f":{self.row}"
        parts = [where]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            text = str(self.value)
            if len(text) > 80:
                text = text[:77] + "..."
            parts.append(f"value {text!r}")
        line = ": ".join(parts) + f": {self.message}"
        if self.fix:
            line += f" (fix: {self.fix})"
        return line.replace("\n", " ")

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

    def __init__(self, file: str | Path | None, message: str, fix: str = "") -> None:
        super().__init__(file, message, fix, exit_code=EXIT_NOT_AN_AFTER_EXPORT)
