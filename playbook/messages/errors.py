"""Bad input: the frame of the one error line, and the problems and fixes every area shares.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). The English texts
are the ones the readers raised before they moved here, word for word.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- the frame of the line: file:row: column 'c': value 'v': problem (fix: ...) -------------
    "error.error": {"en": "error", "da": "fejl"},
    "error.input": {"en": "input", "da": "inddata"},
    "error.column": {"en": "column", "da": "kolonne"},
    "error.value": {"en": "value", "da": "værdi"},
    "error.fix": {"en": "fix", "da": "løsning"},
}
