"""Warnings: what reading an export or verifying a move could not do, or did on its own.

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``warning.*``; see
:mod:`playbook.messages` for placeholders and plurals). A reader or rule keeps a warning as
data (:class:`playbook.messages.Said`: a key and its evidence) and it is worded where it is
shown, in the tenant's language; JSON outputs keep the English text. The English texts are
the ones the code built before they moved here, with plural fields where they said "(s)".

Keys are grouped by the module that warns. The verification's own warnings (what an after
export could not show) are kept as the same data, worded by ``verify.warning.*`` in
:mod:`playbook.messages.verification`. File names, column names, tenant.yaml keys, command
options and part numbers stay as they are in Danish.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- where warnings are listed (inspect; steps 1 and 4) -------------------------------------
    "warning.heading": {"en": "Warnings:", "da": "Advarsler:"},
    "warning.section.read": {"en": "Warnings from reading the exports ({n})",
                             "da": "Advarsler fra indlæsningen af eksporterne ({n})"},
    "warning.section.verify": {"en": "Warnings ({n})", "da": "Advarsler ({n})"},
    # -- playbook.exports.userframe --------------------------------------------------------------
    "warning.users.repeated-rows": {
        "en": "{n} repeated user {n|row|rows} ignored (identical duplicates)",
        "da": "{n} {n|gentaget brugerrække|gentagne brugerrækker} ignoreret (identiske "
              "dubletter)"},
    "warning.users.soft-deleted": {
        "en": "{n} soft-deleted {n|user|users} left out (Soft deletion time stamp set): "
              "deleted users hold no licences",
        "da": "{n} midlertidigt {n|slettet bruger|slettede brugere} udeladt (Soft deletion time "
              "stamp er udfyldt): slettede brugere har ingen licenser"},
    # -- playbook.exports.model (every reader that names licenses) ------------------------------
    "warning.users.unknown-product": {
        "en": "'{name}' ({n} {n|user|users}) is not a product the catalog knows; its rows are "
              "kept with an empty sku_part_number (fix: pass Microsoft's product reference CSV "
              "with --sku-reference or sku_reference in tenant.yaml, or add subscriptions.*)",
        "da": "'{name}' ({n} {n|bruger|brugere}) er ikke et produkt, som kataloget kender; "
              "rækkerne beholdes med en tom sku_part_number (løsning: angiv Microsofts "
              "CSV-fil med produktnavne og tjenesteplan-id'er med --sku-reference eller "
              "sku_reference i tenant.yaml, eller tilføj subscriptions.*)"},
    "warning.users.ambiguous-name": {
        "en": "'{name}' names {n} products in Microsoft's table ({skus}); read as {part} (fix: "
              "add subscriptions.* so the tenant's own SKU is known, or use the Graph export, "
              "which names SKUs by id)",
        "da": "'{name}' betegner {n} produkter i Microsofts tabel ({skus}); læst som {part} "
              "(løsning: tilføj subscriptions.*, så lejerens egen SKU er kendt, eller brug "
              "eksporten fra Graph, som angiver SKU'er med id)"},
    # -- playbook.exports.msonline ---------------------------------------------------------------
    "warning.users.licensed-without-licenses": {
        "en": "{n} {n|user has|users have} IsLicensed=True but an empty Licenses cell: the "
              "export may not have flattened Licenses (fix: {fix})",
        "da": "{n} {n|bruger har|brugere har} IsLicensed=True, men en tom Licenses-celle: "
              "eksporten har måske ikke udfoldet Licenses (løsning: {fix})"},
    # -- playbook.exports.graph_powershell -------------------------------------------------------
    "warning.users.disabled-plan-not-attached": {
        "en": "disabled plan '{plan}' (first on line {line}) is not part of any of the user's "
              "licenses the catalog knows; it was not attached to a license (fix: add "
              "subscriptions.* or --sku-reference so service plans are known)",
        "da": "den deaktiverede tjenesteplan '{plan}' (første gang på linje {line}) indgår "
              "ikke i nogen af brugerens licenser, som kataloget kender; den blev ikke knyttet "
              "til en licens (løsning: tilføj subscriptions.* eller --sku-reference, så "
              "tjenesteplanerne er kendt)"},
    # -- playbook.exports.graph_json -------------------------------------------------------------
    "warning.users.repeated-records": {
        "en": "{n} repeated user {n|record|records} ignored (identical duplicates)",
        "da": "{n} {n|gentaget brugerpost|gentagne brugerposter} ignoreret (identiske "
              "dubletter)"},
    "warning.users.no-assignment-states": {
        "en": "licenseAssignmentStates was not exported: group-based assignments cannot be "
              "told apart and read as direct (fix: {fix})",
        "da": "licenseAssignmentStates blev ikke eksporteret: gruppebaserede tildelinger kan "
              "ikke skelnes fra direkte og læses som direkte (løsning: {fix})"},
}
