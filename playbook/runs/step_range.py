"""``--steps`` values: ``"1-4"``, ``"1-3"``, ``"4"``, ``"1,3"`` to step numbers and back."""

from __future__ import annotations

from playbook.errors import InputError
from playbook.steps import STEPS

_FIRST, _LAST = STEPS[0].number, STEPS[-1].number


def parse_steps(text: str | int | None) -> tuple[int, ...]:
    """``"1-4"``, ``"1-3"``, ``"4"``, ``"1,3"`` -> sorted step numbers (``None``: all)."""
    raw = f"{_FIRST}-{_LAST}" if text is None else str(text).strip()
    steps: set[int] = set()
    try:
        for part in raw.replace(" ", "").split(","):
            first, dash, last = part.partition("-")
            lo, hi = int(first), int(last if dash else first)
            if not _FIRST <= lo <= hi <= _LAST:
                raise ValueError
            steps.update(range(lo, hi + 1))
    except ValueError:
        raise InputError("--steps", "error.run.bad-steps", value=text, first=_FIRST,
                         last=_LAST, before_last=_LAST - 1) from None
    return tuple(sorted(steps))


def format_steps(steps: list[int] | tuple[int, ...]) -> str:
    """(1, 2, 3) -> "1-3"; (1, 3) -> "1,3" (the inverse of :func:`parse_steps`)."""
    steps = sorted(steps)
    if steps and steps == list(range(steps[0], steps[-1] + 1)) and len(steps) > 1:
        return f"{steps[0]}-{steps[-1]}"
    return ",".join(str(s) for s in steps) or "none"
