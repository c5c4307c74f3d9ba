"""The admin-center checklist (``plan/checklist.md`` and ``checklist.html``): ``admin.*``.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). The English texts
are the template's wording before it moved here, word for word, so an English checklist is
byte-identical. Placeholders hold data the checklist escapes for its format; a count that also
picks a plural is a plain number (``{n|user|users}``), so a bold figure has its own field.
Danish follows the Danish admin center (Brugere > Aktive brugere, Administrer
produktlicenser, Fakturering > Dine produkter).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    "admin.title": {"en": "E4 reassignment checklist: {tenant}",
                    "da": "Tjekliste til flytning fra E4: {tenant}"},
    "admin.h1": {"en": "{src} to {tgt}: admin center checklist ({tenant})",
                 "da": "{src} til {tgt}: tjekliste til Administration ({tenant})"},
    "admin.intro": {
        "en": "Plan {plan_id}, made from {users_file} (sha256 {sha256}). {batches} "
              "{batches|batch|batches} of at most {size} {size|user|users}. Every user in a "
              "batch needs the same settings, so one pass of Manage product licenses handles "
              "the whole batch.",
        "da": "Plan {plan_id}, lavet ud fra {users_file} (sha256 {sha256}). {batches} "
              "{batches|batch|batches} med højst {size} {size|bruger|brugere}. Alle brugere i "
              "en batch skal have de samme indstillinger, så én gang Administrer "
              "produktlicenser klarer hele batchen."},
    "admin.the_export": {"en": "the export", "da": "eksporten"},
    "admin.before": {"en": "Before you start", "da": "Før du begynder"},
    "admin.before.seats": {
        "en": "Billing > Your products: {tgt} is Active and has at least {needed} unassigned "
              "{n|license|licenses} ({seats}).",
        "da": "Fakturering > Dine produkter: {tgt} er Aktiv og har mindst {needed} "
              "{n|licens|licenser}, der ikke er tildelt ({seats})."},
    "admin.before.decisions": {"en": "Answer the decisions at the end of this list first.",
                               "da": "Tag først stilling til beslutningerne sidst på listen."},
    "admin.before.pilot": {
        "en": "Run batch 1 as a pilot and check those users before the rest.",
        "da": "Kør batch 1 som pilot, og kontrollér de brugere før resten."},
    "admin.fix": {"en": "Fix first (these users are not in any batch yet)",
                  "da": "Ret først (disse brugere er ikke i nogen batch endnu)"},
    "admin.fix.line": {
        "en": "{upn} ({name}): set a usage location (Users > Active users > user > Account > "
              "Usage location), then plan again.",
        "da": "{upn} ({name}): angiv en placering for anvendelse (Brugere > Aktive brugere > "
              "bruger > Konto > Placering for anvendelse), og planlæg igen."},
    "admin.group.how": {
        "en": "For each group: Groups > All groups > search the id > Licenses > Assignments: "
              "tick {tgt}, turn off the apps listed, clear {src}, Save. Entra adds the new "
              "license and removes the old one at the same time for every member.",
        "da": "For hver gruppe: Grupper > Alle grupper > søg efter id'et > Licenser > "
              "Tildelinger: markér {tgt}, slå de nævnte apps fra, fjern markeringen af {src}, "
              "Gem. Entra tilføjer den nye licens og fjerner den gamle på samme tid for hvert "
              "medlem."},
    "admin.location": {
        "en": "First set each user's usage location to {location} (user > Account > Usage "
              "location): licenses need it.",
        "da": "Angiv først hver brugers placering for anvendelse til {location} (bruger > "
              "Konto > Placering for anvendelse): licenserne kræver den."},
    "admin.replace": {
        "en": "Users > Active users: tick the users below, then Manage product licenses > "
              "Replace.",
        "da": "Brugere > Aktive brugere: markér brugerne nedenfor, og vælg Administrer "
              "produktlicenser > Erstat."},
    "admin.unassign": {
        "en": "Users > Active users: tick the users below, then Manage product licenses > "
              "Unassign all.",
        "da": "Brugere > Aktive brugere: markér brugerne nedenfor, og vælg Administrer "
              "produktlicenser > Fjern tildeling af alle."},
    "admin.switch_on": {"en": "Switch on exactly: {licenses}. {src} must end up off.",
                        "da": "Slå præcis dette til: {licenses}. {src} skal ende slået fra."},
    "admin.apps_off": {"en": "Apps to turn off on {tgt}: {apps}.",
                       "da": "Apps, der skal slås fra på {tgt}: {apps}."},
    "admin.none": {"en": "none", "da": "ingen"},
    "admin.save": {"en": "Save changes, then Close.",
                   "da": "Gem ændringerne, og luk derefter."},
    "admin.batch.groups": {
        "en": "Batch {number}: {n} {n|group|groups}, in the Microsoft Entra admin center",
        "da": "Batch {number}: {n} {n|gruppe|grupper} i Microsoft Entra Administration"},
    "admin.group.line": {
        "en": "Group {group} ({members} {members|member|members}). Apps off on {tgt}: {apps}.",
        "da": "Gruppe {group} ({members} {members|medlem|medlemmer}). Apps slået fra på {tgt}: "
              "{apps}."},
    "admin.batch.users": {"en": "Batch {number}: {n} {n|user|users}",
                          "da": "Batch {number}: {n} {n|bruger|brugere}"},
    "admin.batch.reclaim": {
        "en": "Batch {number}: {n} {n|user|users}, blocked accounts: reclaim E4",
        "da": "Batch {number}: {n} {n|bruger|brugere}, blokerede konti: tag E4 tilbage"},
    "admin.who.group": {"en": "group {group}", "da": "gruppe {group}"},
    "admin.afterwards": {"en": "Afterwards", "da": "Bagefter"},
    "admin.afterwards.text": {
        "en": "Export users again into the tenant's after/ folder and run e4-playbook verify: "
              "it says what is done, what to run again, and when E4 may be cancelled.",
        "da": "Eksportér brugerne igen til lejerens mappe after/, og kør e4-playbook verify: "
              "den viser, hvad der er gjort, hvad der skal køres igen, og hvornår E4 må "
              "annulleres."},
    "admin.addon": {
        "en": "Remove {addon} from {n|this user|these users} after the move and reduce that "
              "subscription by {count}: {users}",
        "da": "Fjern {addon} fra {n|denne bruger|disse brugere} efter flytningen, og reducer "
              "abonnementet med {count}: {users}"},
}
