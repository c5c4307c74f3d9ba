"""The words the playbook says to an admin, in English and Danish.

One catalog keyed by finding code (plus ``<CODE>.remedy``, a few ``<CODE>.<variant>`` keys for
when the data says something different, ``gate.<CODE>`` for the cancellation gate's reasons
(``gate.<CODE>.one`` for one user), and ``ui.*`` strings for the verdict's layout). Every
text is a :meth:`str.format` template filled from a finding's evidence, so the numbers a
message shows are the numbers in the JSON, never retyped. A field ``{n|user|users}`` is a plural:
the word after the first bar when evidence ``n`` is 1, the one after the second otherwise
(:func:`plural`), so "1 user" and "2 users" (Danish "1 bruger", "2 brugere") both read right.
Danish follows the terms of Microsoft's own Danish admin center and docs (fanen Opgrader,
Fakturering > Dine produkter).

The catalog is kept per area in this package's modules (findings, gate and checklist, UI,
pages, plan and fleet, runs and standing, admin-center checklist); this module joins them and
is the one lookup (:func:`message`).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from playbook.messages import (
    admin_center,
    apply,
    errors,
    errors_exports,
    errors_runs,
    errors_tenant,
    findings,
    gate,
    inspect,
    pages,
    plan,
    runs,
    ui,
    verification,
    warnings,
)

LANGUAGES: tuple[str, ...] = ("en", "da")


class MessageError(KeyError):
    """A message key, language or placeholder value is missing: a bug, not bad input."""


def _joined(*catalogs: Mapping[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The catalogs as one; a key in two of them is a bug (one would hide the other)."""
    out: dict[str, dict[str, str]] = {}
    for catalog in catalogs:
        twice = sorted(out.keys() & catalog.keys())
        if twice:
            raise MessageError(f"message keys defined twice: {', '.join(twice)}")
        out.update(catalog)
    return out


MESSAGES: dict[str, dict[str, str]] = _joined(findings.CATALOG, gate.CATALOG, ui.CATALOG,
                                              pages.CATALOG, plan.CATALOG, runs.CATALOG,
                                              admin_center.CATALOG, errors.CATALOG,
                                              errors_exports.CATALOG, errors_tenant.CATALOG,
                                              errors_runs.CATALOG, verification.CATALOG,
                                              warnings.CATALOG, apply.CATALOG,
                                              inspect.CATALOG)


PAGE_PREFIXES: tuple[str, ...] = (
    "page.", "section.", "plan_used.", "card.", "next.", "col.", "severity.", "kind.",
    "status.", "chart.", "widget.", "fleet.", "stand.", "run.",
    "admin.", "error.", "verify.", "warning.", "apply.", "inspect.",
)
"""Key prefixes of the pages' words (headings, cards, headers, labels, the run's and the
standing's lines, the admin-center checklist, step 4's per-user details), not finding
codes."""


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")
"""A plural field: ``{count|singular|plural}``."""


@functools.cache
def placeholders(template: str) -> frozenset[str]:
    """The ``{name}`` fields a template needs (a plural field ``{n|one|many}`` needs ``n``).

    Parsed once per template: the catalog's are few, and a 100k-user checklist fills them
    tens of thousands of times (twice each in :func:`message`).
    """
    return frozenset(name.split("|", 1)[0]
                     for _, name, _, _ in string.Formatter().parse(template) if name)


def plural(count: Any, one: str, many: str) -> str:
    """``one`` when ``count`` is 1, else ``many`` (also for an unknown count: "? users")."""
    return one if not isinstance(count, bool) and count == 1 else many


def _plurals(template: str, evidence: Mapping[str, Any]) -> str:
    """The template with its plural fields replaced by the word the evidence calls for."""
    return _PLURAL.sub(lambda m: plural(evidence[m.group(1)], m.group(2), m.group(3)), template)


@runtime_checkable
class Worded(Protocol):
    """A value that words itself in a language (a :class:`Said`, a bad-input line)."""

    def words(self, lang: str) -> str: ...


@dataclass(frozen=True)
class Said:
    """Words from the catalog kept as data and worded where they are shown: a value inside
    another message (one shared text, how to export users, say, in several messages), or a
    warning a reader or rule gives (worded in the tenant's language on its page or line).

    ``str()`` is the English text: what JSON outputs and logs keep, so a script reads one
    language whatever the tenant's.
    """

    key: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def words(self, lang: str) -> str:
        """The text in ``lang``."""
        return message(self.key, lang, **self.evidence)

    def __str__(self) -> str:
        return self.words("en")


def render_value(value: Any, lang: str) -> str:
    """How an evidence value reads in a sentence: lists joined, dicts as ``key (n)``, a
    :class:`Said` (or any :class:`Worded` value) worded in ``lang``."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)  # most values: first, as a runtime Protocol check is slow
    if isinstance(value, Worded):
        return value.words(lang)
    if isinstance(value, bool):
        return text("ui.yes" if value else "ui.no", lang)
    if value is None:
        return text("ui.unknown", lang)
    if isinstance(value, Mapping):
        if not value:
            return text("ui.none", lang)
        return ", ".join(f"{k} ({render_value(v, lang)})" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        if not value:
            return text("ui.none", lang)
        return ", ".join(render_value(v, lang) for v in value)
    return str(value)


def text(key: str, lang: str) -> str:
    """The raw template for ``key`` in ``lang``."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise MessageError(f"no message {key!r}") from None
    try:
        return entry[lang]
    except KeyError:
        raise MessageError(f"message {key!r} has no {lang!r} text") from None


def message(code: str, lang: str, **evidence: Any) -> str:
    """The text for ``code`` in ``lang`` filled from ``evidence`` (extra keys are ignored).

    A missing placeholder raises :class:`MessageError` instead of printing ``{name}`` to an
    admin.
    """
    template = text(code, lang)
    missing = placeholders(template) - set(evidence)
    if missing:
        raise MessageError(f"message {code!r} needs {sorted(missing)}")
    template = _plurals(template, evidence)
    values = {k: render_value(evidence[k], lang) for k in placeholders(template)}
    return template.format(**values)


def has_message(key: str) -> bool:
    """Whether the catalog has ``key`` (used for optional variants)."""
    return key in MESSAGES
