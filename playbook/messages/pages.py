"""The pages' words: headings, cards, sections, table headers, chart labels, statuses.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- pages: headings, cards, sections, table headers (playbook.display) ---------------------
    "page.title.assessment": {
        "en": "Step 1: can this tenant leave Office 365 E4, and which way?",
        "da": "Trin 1: kan denne lejer forlade Office 365 E4, og hvordan?"},
    "page.title.counts": {"en": "Step 2: how many licenses of the new plan to buy",
                          "da": "Trin 2: hvor mange licenser til den nye plan skal købes"},
    "page.title.plan": {"en": "Step 3: plan the move, batch by batch",
                        "da": "Trin 3: planlæg flytningen, batch for batch"},
    "page.title.verification": {"en": "Step 4: check the move, then cancel E4",
                                "da": "Trin 4: kontrollér flytningen, og annuller derefter E4"},
    "page.intro.assessment": {
        "en": "Office 365 E4 is retired, so everyone on it moves to a current plan. This page "
              "reads the tenant's exports and says which route is open: the Upgrade tab in the "
              "admin center, which moves everyone in one go, or the manual move (buy, check, "
              "reassign, cancel). Each finding comes with its fix.",
        "da": "Office 365 E4 er udfaset, så alle brugere på den skal flyttes til en aktuel "
              "plan. Siden læser lejerens eksporter og viser, hvilken metode der kan bruges: "
              "fanen Opgrader i Microsoft 365 Administration, som flytter alle på én gang, "
              "eller den manuelle metode (køb, kontrollér, tildel igen, annuller). Hvert fund "
              "har sin løsning."},
    "page.intro.counts": {
        "en": "On the manual route the new subscription must hold enough free licenses for "
              "every user who moves, before anyone moves. A figure only a subscriptions export "
              "can give is shown as unknown, never as zero.",
        "da": "Ved den manuelle metode skal det nye abonnement have nok ledige licenser til "
              "alle brugere, der flyttes, før nogen flyttes. Et tal, som kun en eksport af "
              "abonnementer kan give, vises som ukendt, aldrig som nul."},
    "page.intro.plan": {
        "en": "One call per user adds the new plan and removes E4 together, so nobody is left "
              "without a license. Batches hold at most 20 users; apps a user had turned off stay "
              "off; users who get E4 from a group move with the group. The plan is refused when "
              "too few licenses are free.",
        "da": "Ét kald pr. bruger tilføjer den nye plan og fjerner E4 samtidig, så ingen står "
              "uden licens. Et batch har højst 20 brugere; apps, en bruger havde slået fra, "
              "forbliver slået fra; brugere, der får E4 fra en gruppe, flyttes med gruppen. "
              "Planen afvises, når der er for få ledige licenser."},
    "page.intro.verification": {
        "en": "Export the users again after running the batches. This page compares that "
              "export with the plan: who moved, who still holds E4, who lost a license or a "
              "setting, with the fix for each, and whether E4 may be cancelled yet.",
        "da": "Eksportér brugerne igen, når du har kørt dine batches. Siden sammenligner den "
              "eksport med planen: hvem der er flyttet, hvem der stadig har E4, hvem der har "
              "mistet en licens eller en indstilling, med løsningen for hver, og om E4 må "
              "annulleres endnu."},
    "page.source": {"en": "Microsoft's guide", "da": "Microsofts vejledning"},
    "page.tenant": {"en": "Tenant {tenant}: {users} {users|user holds|users hold} E4; "
                          "moving to {target}",
                    "da": "Lejer {tenant}: {users} {users|bruger har|brugere har} E4; "
                          "flyttes til {target}"},
    "section.findings": {"en": "Findings and fixes", "da": "Fund og løsninger"},
    "section.compare": {"en": "Compare the plans and choose", "da": "Sammenlign planerne, og vælg"},
    "section.compare.help": {
        "en": "Only the E5 plans keep everything E4 had. Pick a plan and say how E4 was bought "
              "and paid: the verdict under the choices follows every change.",
        "da": "Kun E5-planerne beholder alt, hvad E4 havde. Vælg en plan, og angiv, hvordan E4 "
              "er købt og betalt: vurderingen under valgene følger hver ændring."},
    "section.counts": {"en": "The count", "da": "Optællingen"},
    "section.seats": {"en": "Licenses per plan", "da": "Licenser pr. plan"},
    "section.plan": {"en": "The plan in figures", "da": "Planen i tal"},
    "section.decisions": {"en": "Decisions left to you", "da": "Beslutninger, du skal træffe"},
    "section.rows": {"en": "The plan, row by row", "da": "Planen, række for række"},
    "section.rows.help": {
        "en": "Each row is one call: add the new plan, remove E4, with the apps to keep turned "
              "off. Rows without a batch are not run: users to skip or to fix first.",
        "da": "Hver række er ét kald: tilføj den nye plan, fjern E4, med de apps, der skal "
              "forblive slået fra. Rækker uden batch køres ikke: brugere, der springes over "
              "eller skal rettes først."},
    "section.mapping": {"en": "Apps turned off, side by side",
                        "da": "Slåede fra-apps, side om side"},
    "section.narrow": {"en": "Narrow the plan", "da": "Afgræns planen"},
    "section.narrow.help": {
        "en": "Leave out a user or plan only some departments: the summary follows each change.",
        "da": "Udelad en bruger, eller planlæg kun nogle afdelinger: oversigten følger hver "
              "ændring."},
    "section.remaining": {"en": "Write the remaining plan", "da": "Skriv den resterende plan"},
    "section.remaining.help": {
        "en": "What is left to run, in the plan's formats, for the next round: step 4 finds it "
              "next time as the newest plan.",
        "da": "Det, der er tilbage at køre, i planens formater, til næste runde: trin 4 finder "
              "den næste gang som den nyeste plan."},
    "section.mapping.no-twin": {
        "en": "the new plan has no such app: decide whether the users lose it or need an add-on",
        "da": "den nye plan har ingen tilsvarende app: beslut, om brugerne mister den eller "
              "skal have et tilføjelsesabonnement"},
    "section.mapping.successor-off": {
        "en": "its successor stays off: switch it on only if the users need it",
        "da": "efterfølgeren forbliver slået fra: slå den kun til, hvis brugerne har brug for "
              "den"},
    "section.mapping.none": {"en": "Nobody had an E4 app turned off.",
                             "da": "Ingen havde en E4-app slået fra."},
    "section.rows.more": {
        "en": "{n} more {n|row is|rows are} in the plan's files (plan.csv).",
        "da": "{n} {n|række mere|rækker mere} findes i planens filer (plan.csv)."},
    "section.users.more": {
        "en": "{n} more {n|user is|users are} not shown here: the CLI's verify --json lists "
              "them all.",
        "da": "{n} {n|bruger mere|brugere mere} vises ikke her: CLI'ens verify --json viser "
              "dem alle."},
    "section.findings.none": {"en": "Nothing to report: no finding.",
                              "da": "Intet at bemærke: ingen fund."},
    "section.not_moved.none": {"en": "Every planned user has moved.",
                               "da": "Alle planlagte brugere er flyttet."},
    "section.write": {"en": "Write the plan's files", "da": "Skriv planens filer"},
    "section.write.help": {
        "en": "The plan, the admin-center batches, the PowerShell and Graph scripts and the "
              "rollback file go to the folder you type. A refused plan writes nothing.",
        "da": "Planen, batches til Administration, PowerShell- og Graph-scripts og "
              "tilbagerulningsfilen gemmes i den mappe, du skriver. En afvist plan skriver "
              "intet."},
    "section.gate": {"en": "Can E4 be cancelled?", "da": "Kan E4 annulleres?"},
    "section.progress": {"en": "Progress per batch", "da": "Fremdrift pr. batch"},
    "section.statuses": {"en": "Users per status", "da": "Brugere pr. status"},
    "section.not_moved": {"en": "Users not moved ({n})",
                          "da": "Brugere, der ikke er flyttet ({n})"},
    "section.groups": {"en": "Groups", "da": "Grupper"},
    "section.checklist": {"en": "Before you cancel", "da": "Før du annullerer"},
    "section.browse": {"en": "Browse the users of one status",
                       "da": "Se brugerne med én status"},
    "section.plan_used": {"en": "Plan checked: {plan}", "da": "Kontrolleret plan: {plan}"},
    "plan_used.written": {"en": "{folder} (written by step 3)",
                          "da": "{folder} (skrevet i trin 3)"},
    "plan_used.rebuilt": {"en": "rebuilt from {file} with tenant.yaml's settings",
                          "da": "genopbygget ud fra {file} med indstillingerne i tenant.yaml"},
    "card.route": {"en": "Route", "da": "Metode"},
    "card.route.upgrade-tab": {"en": "Upgrade tab", "da": "Fanen Opgrader"},
    "card.route.manual": {"en": "Manual move", "da": "Manuel flytning"},
    "card.route.contact-partner": {"en": "Through your partner",
                                   "da": "Via din partner"},
    "card.buy": {"en": "Buy {n}", "da": "Køb {n}"},
    "card.buy.unknown": {"en": "Buy: unknown", "da": "Køb: ukendt"},
    "card.buy.help": {"en": "{target} licenses for the whole move",
                      "da": "licenser til {target} for hele flytningen"},
    "card.buy.help.split": {
        "en": "{target} licenses for the whole move: {now} now + {later} once usage locations "
              "are set",
        "da": "licenser til {target} for hele flytningen: {now} nu + {later}, når placering for "
              "anvendelse er angivet"},
    "card.buy.help.unknown": {"en": "add a subscriptions export to know it",
                              "da": "tilføj en eksport af abonnementer for at få tallet"},
    "card.cancel.yes": {"en": "Cancel E4: YES", "da": "Annuller E4: JA"},
    "card.cancel.no": {"en": "Cancel E4: NO", "da": "Annuller E4: NEJ"},
    "card.cancel.help.yes": {"en": "nobody holds it any more", "da": "ingen har den længere"},
    "card.cancel.help.no": {"en": "{n} {n|user still holds|users still hold} it",
                            "da": "{n} {n|bruger har|brugere har} den stadig"},
    "card.next": {"en": "Next", "da": "Næste"},
    "next.assessment.upgrade-tab": {
        "en": "Billing > Your products > E4 > Upgrade: choose {target} there.",
        "da": "Fakturering > Dine produkter > E4 > Opgrader: vælg {target} dér."},
    "next.assessment.manual": {
        "en": "Fix the {n} {n|blocker|blockers} below or move users by hand: step 2 counts the "
              "licenses to buy.",
        "da": "Ret {n} blokerende {n|fund|fund} nedenfor, eller flyt brugerne manuelt: trin 2 "
              "tæller de licenser, der skal købes."},
    "next.assessment.contact-partner": {
        "en": "Contact your partner or Microsoft representative to change the plan.",
        "da": "Kontakt din partner eller Microsoft-repræsentant for at skifte plan."},
    "next.counts.buy": {"en": "{buy} before anyone moves.", "da": "{buy}, før nogen flyttes."},
    "next.counts.enough": {"en": "Enough free licenses: plan the move in step 3.",
                           "da": "Der er nok ledige licenser: planlæg flytningen i trin 3."},
    "next.counts.unknown": {
        "en": "Add a subscriptions export to the tenant folder to know how many to buy.",
        "da": "Læg en eksport af abonnementer i lejerens mappe for at få antallet, der skal "
              "købes."},
    "next.plan.refused": {
        "en": "{buy}, or make the plan smaller: nothing is written until it fits.",
        "da": "{buy}, eller gør planen mindre: intet skrives, før den passer."},
    "next.plan.decide": {
        "en": "Answer the {n} {n|decision|decisions} below, then run batch 1 of {batches}.",
        "da": "Tag stilling til {n} {n|beslutning|beslutninger} nedenfor, og kør derefter "
              "batch 1 af {batches}."},
    "next.plan.run": {"en": "Write the plan's files, then run batch 1 of {batches}.",
                      "da": "Skriv planens filer, og kør derefter batch 1 af {batches}."},
    "next.plan.nothing": {"en": "Nobody left to move: go to step 4.",
                          "da": "Der er ingen tilbage at flytte: gå til trin 4."},
    "next.verification.cancel": {
        "en": "Work through the checklist below, then cancel E4 in Billing > Your products.",
        "da": "Gennemgå tjeklisten nedenfor, og annuller derefter E4 under Fakturering > "
              "Dine produkter."},
    "next.verification.remaining": {
        "en": "Do not cancel: run the remaining plan for the {n} {n|user|users} not moved, "
              "then export and check again.",
        "da": "Annuller ikke: kør den resterende plan for {n} {n|bruger|brugere}, der ikke er "
              "flyttet, og eksportér og kontrollér igen."},
    "gate.head.yes": {"en": "YES: {source} can be cancelled",
                      "da": "JA: {source} kan annulleres"},
    "gate.head.no": {"en": "NO: do not cancel {source} yet",
                     "da": "NEJ: annuller ikke {source} endnu"},
    "col.severity": {"en": "Severity", "da": "Alvor"},
    "col.finding": {"en": "Finding", "da": "Fund"},
    "col.fix": {"en": "Fix", "da": "Løsning"},
    "col.source": {"en": "Source", "da": "Kilde"},
    "ui.h.plan": {"en": "Plan", "da": "Plan"},
    "col.figure": {"en": "Figure", "da": "Tal"},
    "col.value": {"en": "Value", "da": "Værdi"},
    "col.purchased": {"en": "Purchased", "da": "Købt"},
    "col.assigned": {"en": "Assigned", "da": "Tildelt"},
    "col.action": {"en": "Action", "da": "Handling"},
    "col.kind": {"en": "What", "da": "Hvad"},
    "ui.h.batch": {"en": "Batch", "da": "Batch"},
    "col.user": {"en": "User", "da": "Bruger"},
    "col.group": {"en": "Group", "da": "Gruppe"},
    "col.members": {"en": "Members", "da": "Medlemmer"},
    "col.department": {"en": "Department", "da": "Afdeling"},
    "col.usage_location": {"en": "Usage location", "da": "Placering for anvendelse"},
    "col.new_usage_location": {"en": "Set usage location", "da": "Ny placering"},
    "col.add": {"en": "Adds", "da": "Tilføjer"},
    "col.remove": {"en": "Removes", "da": "Fjerner"},
    "col.disabled_after": {"en": "Apps kept off", "da": "Apps, der forbliver slået fra"},
    "col.unmapped": {"en": "Apps with no twin", "da": "Apps uden modstykke"},
    "col.reason": {"en": "Why", "da": "Hvorfor"},
    "col.e4_app": {"en": "Turned off on E4", "da": "Slået fra på E4"},
    "col.target_app": {"en": "Turned off on the new plan", "da": "Slået fra på den nye plan"},
    "col.users": {"en": "Users", "da": "Brugere"},
    "col.decision": {"en": "Decision", "da": "Beslutning"},
    "col.who": {"en": "Who", "da": "Hvem"},
    "ui.h.status": {"en": "Status", "da": "Status"},
    "col.detail": {"en": "What happened", "da": "Hvad skete der"},
    "col.error": {"en": "Error", "da": "Fejl"},
    "col.moved": {"en": "Moved", "da": "Flyttet"},
    "col.remaining": {"en": "Still to move", "da": "Mangler"},
    "col.todo": {"en": "To do", "da": "Gøremål"},
    "col.keeps_all_e4_features": {"en": "Keeps all of E4", "da": "Beholder alt fra E4"},
    "col.phone_system": {"en": "Phone system", "da": "Telefonsystem"},
    "col.audio_conferencing": {"en": "Audio conferencing", "da": "Lydkonferencer"},
    "col.data_services": {"en": "Data services", "da": "Datatjenester"},
    "col.lacks": {"en": "Lacks", "da": "Mangler"},
    "severity.blocker": {"en": "Blocker", "da": "Blokerende"},
    "severity.warning": {"en": "Warning", "da": "Advarsel"},
    "severity.info": {"en": "Info", "da": "Oplysning"},
    "plan.fig.e4_users": {"en": "Users holding E4", "da": "Brugere med E4"},
    "plan.fig.users_moved": {"en": "Moved by this plan", "da": "Flyttes af denne plan"},
    "plan.fig.batches": {"en": "Batches (at most {size} users each)",
                         "da": "Batches (højst {size} brugere hver)"},
    "plan.fig.seats_needed": {"en": "Licenses this round needs",
                              "da": "Licenser, denne runde kræver"},
    "plan.fig.seats_available": {"en": "Licenses free now", "da": "Ledige licenser nu"},
    "plan.fig.held_back": {"en": "Held back until usage location is set",
                           "da": "Holdt tilbage, til placering er angivet"},
    "plan.fig.skipped": {"en": "Not moved this round", "da": "Flyttes ikke i denne runde"},
    "plan.fig.decisions": {"en": "Decisions left to you", "da": "Beslutninger til dig"},
    "plan.refused": {
        "en": "Refused: {n} {n|license is|licenses are} missing. Nothing is written.",
        "da": "Afvist: der mangler {n} {n|licens|licenser}. Intet skrives."},
    "plan.unverified": {
        "en": "Free licenses unknown (no subscriptions export): check Billing > Your products "
              "before running.",
        "da": "Ledige licenser ukendt (ingen eksport af abonnementer): kontrollér Fakturering "
              "> Dine produkter, før du kører."},
    "plan.no_decisions": {"en": "No decisions left to you.",
                          "da": "Ingen beslutninger til dig."},
    "plan.whole_plan": {"en": "whole plan", "da": "hele planen"},
    "plan.more": {"en": "and {n} more", "da": "og {n} mere"},
    "kind.user-swap": {"en": "swap the license", "da": "skift licens"},
    "kind.group-swap": {"en": "switch the group", "da": "skift gruppens licens"},
    "kind.set-usage-location": {"en": "set usage location", "da": "angiv placering"},
    "kind.reclaim": {"en": "take E4 back", "da": "tag E4 tilbage"},
    "kind.fix-usage-location": {"en": "fix usage location first",
                                "da": "ret placering først"},
    "kind.group-member": {"en": "moves with its group", "da": "flyttes med gruppen"},
    "kind.skip": {"en": "not moved", "da": "flyttes ikke"},
    "status.moved": {"en": "moved", "da": "flyttet"},
    "status.pending": {"en": "waiting", "da": "afventer"},
    "status.partial": {"en": "partly moved", "da": "delvist flyttet"},
    "status.failed": {"en": "failed", "da": "fejlet"},
    "status.drifted": {"en": "moved, settings differ", "da": "flyttet, indstillinger afviger"},
    "status.unexpected": {"en": "unexpected", "da": "uventet"},
    "status.todo.moved": {"en": "nothing", "da": "intet"},
    "status.todo.pending": {
        "en": "still holds E4: run its batch (or the remaining plan), then export again",
        "da": "har stadig E4: kør dens batch (eller den resterende plan), og eksportér igen"},
    "status.todo.partial": {
        "en": "holds both plans: remove E4 from the user (the remaining plan does it)",
        "da": "har begge planer: fjern E4 fra brugeren (den resterende plan gør det)"},
    "status.todo.failed": {
        "en": "the change failed in Entra: fix the error named, then run the remaining plan",
        "da": "ændringen fejlede i Entra: ret den nævnte fejl, og kør den resterende plan"},
    "status.todo.drifted": {
        "en": "moved, but its apps differ from the plan: compare them on the user's Licenses "
              "page",
        "da": "flyttet, men brugerens apps afviger fra planen: sammenlign dem på brugerens "
              "side Licenser"},
    "status.todo.unexpected": {
        "en": "not what the plan expected: open the user in the admin center, then plan again "
              "from a fresh export",
        "da": "ikke som planen forventede: åbn brugeren i Administration, og planlæg igen ud "
              "fra en ny eksport"},
    "status.urgent": {
        "en": "urgent: holds no license at all, so the mailbox is on a 30-day countdown",
        "da": "haster: har ingen licens, så postkassen slettes om 30 dage"},
    "status.none": {"en": "No users in this status.", "da": "Ingen brugere med denne status."},
    "chart.seats.title": {"en": "Licenses per plan", "da": "Licenser pr. plan"},
    "chart.seats.y": {"en": "licenses", "da": "licenser"},
    "chart.seats.assigned": {"en": "Assigned", "da": "Tildelt"},
    "chart.seats.available": {"en": "Free now", "da": "Ledige nu"},
    "chart.seats.buy_now": {"en": "To buy now", "da": "Køb nu"},
    "chart.seats.buy_later": {"en": "To buy once usage locations are set",
                              "da": "Køb, når placering for anvendelse er angivet"},
    "chart.progress.title": {"en": "Users moved per batch", "da": "Flyttede brugere pr. batch"},
    "chart.progress.y": {"en": "users", "da": "brugere"},
    "chart.held_back": {"en": "held back", "da": "holdt tilbage"},
    "chart.unknown": {"en": "Unknown (no subscriptions export): {items}",
                      "da": "Ukendt (ingen eksport af abonnementer): {items}"},
    "widget.target": {"en": "Move to", "da": "Flyt til"},
    "widget.channel": {"en": "Bought via", "da": "Købt via"},
    "widget.payment": {"en": "Paid by", "da": "Betalt med"},
    "widget.channel.direct": {"en": "Microsoft directly", "da": "Microsoft direkte"},
    "widget.channel.partner": {"en": "a partner (CSP)", "da": "en partner (CSP)"},
    "widget.channel.volume-licensing": {"en": "Volume Licensing", "da": "Volumenlicens"},
    "widget.payment.credit-card": {"en": "credit card", "da": "kreditkort"},
    "widget.payment.invoice": {"en": "invoice", "da": "faktura"},
    "widget.user": {"en": "User", "da": "Bruger"},
    "widget.exclude": {"en": "Exclude", "da": "Udelad"},
    "widget.excluded": {"en": "Excluded", "da": "Udeladt"},
    "widget.put_back": {"en": "Put back", "da": "Tag med igen"},
    "widget.departments": {"en": "Departments", "da": "Afdelinger"},
    "widget.folder": {"en": "Folder", "da": "Mappe"},
    "widget.write": {"en": "Write artifacts", "da": "Skriv filerne"},
    "widget.open": {"en": "Open", "da": "Åbn"},
    "widget.tenant": {"en": "Tenant", "da": "Lejer"},
    "widget.not_a_user": {"en": "{upn} is not a user in this tenant's export",
                          "da": "{upn} er ikke en bruger i lejerens eksport"},
    "widget.type_folder": {"en": "Type a folder first.", "da": "Skriv først en mappe."},
    "widget.written": {"en": "Written to {folder}", "da": "Skrevet til {folder}"},
    "widget.refused": {"en": "Refused for seats: nothing can be written.",
                       "da": "Afvist på grund af licenser: intet kan skrives."},
}
