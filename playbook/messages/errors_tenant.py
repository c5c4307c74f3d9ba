"""Bad input in the tenant folder and tenant.yaml, the catalog, the plan, counting and rules.

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``error.*``; see
:mod:`playbook.messages` for placeholders and plurals). The English texts are the ones the
code raised before they moved here, word for word, so English lines did not change.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
}
