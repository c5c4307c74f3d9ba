"""``e4-playbook inspect``'s text: what the exports hold, before any rule.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). The English texts
are the ones the command printed before, word for word but for plurals ("1 user").
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    "inspect.tenant": {"en": "Tenant {tenant}", "da": "Lejer {tenant}"},
    "inspect.users-export": {"en": "users export", "da": "brugereksport"},
    "inspect.subscriptions-export": {"en": "subscriptions export", "da": "abonnementseksport"},
    "inspect.no-subscriptions": {"en": "none (seat counts unknown)",
                                 "da": "ingen (antallet af licenser er ukendt)"},
    "inspect.users": {
        "en": "users: {users} ({licensed} licensed, {unlicensed} without a license)",
        "da": "brugere: {users} ({licensed} med licens, {unlicensed} uden licens)"},
    "inspect.col.users": {"en": "users", "da": "brugere"},
    "inspect.col.direct": {"en": "direct", "da": "direkte"},
    "inspect.col.group": {"en": "group", "da": "gruppe"},
    "inspect.col.both": {"en": "both", "da": "begge"},
    "inspect.col.errors": {"en": "errors", "da": "fejl"},
    "inspect.col.product": {"en": "product", "da": "produkt"},
    "inspect.none-named": {
        "en": "No license the catalog can name: {n} {n|product|products} it cannot name "
              "{n|is|are} listed below.",
        "da": "Ingen licens, som kataloget kan navngive: {n} {n|produkt|produkter}, som det "
              "ikke kan navngive, står nedenfor."},
    "inspect.no-licenses": {"en": "No licenses found.", "da": "Ingen licenser fundet."},
    "inspect.unknown-heading": {
        "en": "Products the catalog cannot name (kept, not dropped):",
        "da": "Produkter, som kataloget ikke kan navngive (beholdt, ikke fjernet):"},
    "inspect.unknown-line": {"en": "{name} ({n} {n|user|users})",
                             "da": "{name} ({n} {n|bruger|brugere})"},
}
