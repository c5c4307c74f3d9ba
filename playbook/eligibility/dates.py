"""Dates: the day the upgrade starts, and business-day arithmetic for the credit check."""

from __future__ import annotations

from datetime import date, timedelta

from playbook.errors import InputError


def parse_start_date(text: str | None, where: str = "start_date", *,
                     lang: str | None = None) -> date | None:
    """The day the upgrade starts, from ``YYYY-MM-DD`` text; ``None`` or blank is no date.

    One reader for the CLI's ``--start-date`` and the notebooks' ``start_date`` parameter, so a
    mistyped date is the same one-line error everywhere (``where`` names the option). Both
    read it once the tenant is loaded, so ``lang`` (the tenant's language) words the error.
    """
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        error = InputError(where, "error.date.not-a-date", value=str(text))
        error.lang = lang
        raise error from None


def add_business_days(start: date, days: int) -> date:
    """``start`` plus ``days`` business days (Monday to Friday).

    Public holidays are not known to the playbook and are not skipped: a date this function
    gives can be too early around holidays. A weekend start counts from the next Monday.
    """
    d = start
    left = days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d
