"""Warnings: what reading an export or verifying a move could not do, or did on its own.

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``warning.*``; see
:mod:`playbook.messages` for placeholders and plurals). A reader or rule keeps a warning as
data (:class:`playbook.messages.Said`: a key and its evidence) and it is worded where it is
shown, in the tenant's language; JSON outputs keep the English text. The English texts are
the ones the code built before they moved here, with plural fields where they said "(s)".

Keys are grouped by the module that warns. File names, column names, tenant.yaml keys,
command options and part numbers stay as they are in Danish.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- where warnings are listed (inspect, verify) ---------------------------------------------
    "warning.heading": {"en": "Warnings:", "da": "Advarsler:"},
    "warning.warning": {"en": "warning", "da": "advarsel"},
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
    # -- playbook.verification.compare -----------------------------------------------------------
    "warning.verify.no-disabled-plans": {
        "en": "the {format} export does not show disabled plans: drift was not checked (export "
              "Graph users JSON to check it)",
        "da": "eksporten {format} viser ikke deaktiverede tjenesteplaner: afvigelser blev ikke "
              "kontrolleret (eksportér brugerne som Graph-JSON for at kontrollere dem)"},
    "warning.verify.no-assignment-states": {
        "en": "the {format} export shows neither license errors nor groups: a failed "
              "assignment looks pending, and E4 from a group looks direct (export Graph users "
              "JSON with licenseAssignmentStates to see both)",
        "da": "eksporten {format} viser hverken licensfejl eller grupper: en mislykket "
              "tildeling ligner en ventende, og E4 fra en gruppe ligner en direkte tildeling "
              "(eksportér brugerne som Graph-JSON med licenseAssignmentStates for at se begge "
              "dele)"},
    "warning.verify.no-subscriptions-after": {
        "en": "no subscriptions export after the move: {source}'s consumed units were not "
              "checked (add after/subscriptions.* to confirm)",
        "da": "ingen eksport af abonnementer efter flytningen: de forbrugte licenser af {source} "
              "blev ikke kontrolleret (tilføj after/subscriptions.* for at bekræfte det)"},
    "warning.verify.removes-unheld": {
        "en": "{n} remaining user {n|swap|swaps} would remove {source} from {n|a user who no "
              "longer holds|users who no longer hold} it ({users}): Graph rejects such a call, "
              "so assign the target to {n|the user|them} by hand (Users > Active users > "
              "Licenses) instead of running these rows",
        "da": "{n} resterende licensskift ville fjerne {source} fra {n|en bruger, der ikke "
              "længere har den|brugere, der ikke længere har den} ({users}): Graph afviser et "
              "sådant kald, så tildel målplanen til {n|brugeren|dem} manuelt (Brugere > Aktive "
              "brugere > Licenser) i stedet for at køre disse rækker"},
    # -- playbook.verification.disk --------------------------------------------------------------
    "warning.verify.results-log-skipped": {
        "en": "results log skipped: {problem}",
        "da": "resultatloggen blev sprunget over: {problem}"},
}
