"""Step 4's per-user words: why a user is not moved yet and what to do (the status rules of
:mod:`playbook.verification.user_rules`), and what each Graph/Entra license error means.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). ``{source}`` and
``{target}`` are products as the admin center names them ("Office 365 E4"); ``{group}`` a
group id; ``verify.<rule>`` is a rule's detail, ``verify.<rule>.fix`` its fix. Danish follows
Microsoft's Danish admin center (placering for anvendelse, Genbehandl).
"""

from __future__ import annotations

_REMAINING = {"en": "{fix}, then run the remaining plan",
              "da": "{fix}, og kør så den resterende plan"}

CATALOG: dict[str, dict[str, str]] = {
    # -- Graph licenseAssignmentState.error codes (microsoft-facts.md section 6, S15, S19, S24d)
    "verify.error.CountViolation": {
        "en": "not enough available licenses of the product",
        "da": "der er ikke nok ledige licenser til produktet"},
    "verify.error.CountViolation.fix": {
        "en": "buy more licenses of the target or free unused ones",
        "da": "køb flere licenser til målplanen, eller frigør ubrugte"},
    "verify.error.MutuallyExclusiveViolation": {
        "en": "a service plan of the product conflicts with a plan the user already has from "
              "another license",
        "da": "en serviceplan i produktet er i konflikt med en plan, brugeren allerede har fra "
              "en anden licens"},
    "verify.error.MutuallyExclusiveViolation.fix": {
        "en": "remove the conflicting license (or disable the conflicting plan)",
        "da": "fjern licensen, der giver konflikten (eller slå planen fra)"},
    "verify.error.DependencyViolation": {
        "en": "another license depends on a service plan that this change disables or removes "
              "(e.g. Audio Conferencing needs Skype for Business / Teams)",
        "da": "en anden licens afhænger af en serviceplan, som ændringen slår fra eller "
              "fjerner (f.eks. kræver Audio Conferencing Skype for Business / Teams)"},
    "verify.error.DependencyViolation.fix": {
        "en": "keep the required plan enabled or remove the dependent license first",
        "da": "lad den nødvendige plan være slået til, eller fjern først den afhængige licens"},
    "verify.error.ProhibitedInUsageLocationViolation": {
        "en": "the user's usage location is missing or the product is not sold there",
        "da": "brugerens placering for anvendelse mangler, eller produktet sælges ikke der"},
    "verify.error.ProhibitedInUsageLocationViolation.fix": {
        "en": "set a valid usage location on the user (Update-MgUser -UsageLocation XX)",
        "da": "angiv en gyldig placering for anvendelse på brugeren "
              "(Update-MgUser -UsageLocation XX)"},
    "verify.error.UniquenessViolation": {
        "en": "a value that must be unique is already used by another object: typically a "
              "duplicate proxy (e-mail) address in Exchange Online",
        "da": "en værdi, der skal være entydig, bruges allerede af et andet objekt: typisk en "
              "dublet af en proxyadresse (mailadresse) i Exchange Online"},
    "verify.error.UniquenessViolation.fix": {
        "en": "find the duplicate (Get-Recipient -Filter \"EmailAddresses -eq '<address>'\"), "
              "remove it",
        "da": "find dubletten (Get-Recipient -Filter \"EmailAddresses -eq '<address>'\"), "
              "fjern den"},
    "verify.error.Other": {
        "en": "Entra reported an unclassified license error",
        "da": "Entra meldte en licensfejl uden nærmere kategori"},
    "verify.error.Other.fix": {
        "en": "open the user's Licenses page in the admin center to read the message, fix it",
        "da": "åbn brugerens side Licenser i Administration for at læse meddelelsen, ret den"},
    # -- the status rules: detail, then fix ------------------------------------------------
    "verify.not-in-export": {
        "en": "not in the after export (deleted, renamed, or the export was filtered)",
        "da": "ikke i eksporten efter flytningen (slettet, omdøbt, eller eksporten var "
              "filtreret)"},
    "verify.not-in-export.fix": {
        "en": "export all users, or confirm the user was deleted",
        "da": "eksportér alle brugere, eller bekræft, at brugeren er slettet"},
    "verify.license-error.fix": _REMAINING,
    "verify.license-error.group": {"en": "{error} through group {group}: {meaning}",
                                   "da": "{error} via gruppen {group}: {meaning}"},
    "verify.license-error.group.fix": {
        "en": "{fix}, then Reprocess the group (group > Licenses > Reprocess)",
        "da": "{fix}, og genbehandl så gruppen (gruppe > Licenser > Genbehandl)"},
    # Exchange Online keeps an unlicensed user's mailbox data 30 days ("Unassign Microsoft 365
    # licenses from users", microsoft-365/admin/manage/remove-licenses-from-users.md)
    "verify.mailbox-clock": {
        "en": "unless another license covers Exchange Online, the mailbox data is deleted 30 "
              "days after {source} was removed",
        "da": "medmindre en anden licens dækker Exchange Online, slettes postkassens data 30 "
              "dage efter, at {source} blev fjernet"},
    "verify.license-error-unlicensed": {
        "en": "{detail}; lost {source} and holds no working {target}: {clock}",
        "da": "{detail}; har mistet {source} og har ingen fungerende {target}: {clock}"},
    "verify.license-error-unlicensed.fix": {
        "en": "urgent: {fix}; add {target} only ({source} is already gone)",
        "da": "haster: {fix}; tildel kun {target} ({source} er allerede væk)"},
    "verify.reclaim-not-run": {
        "en": "still holds {source}; the reclaim has not run",
        "da": "har stadig {source}; frigørelsen er ikke kørt"},
    "verify.reclaim-not-run.fix": {
        "en": "run the remaining plan (removes the license from the blocked account)",
        "da": "kør den resterende plan (fjerner licensen fra den blokerede konto)"},
    "verify.reclaimed": {"en": "{source} reclaimed from the blocked account",
                         "da": "{source} er frigjort fra den blokerede konto"},
    "verify.source-assigned-again": {
        "en": "holds {source} again: assigned after planning (the plan found the user already "
              "on the target)",
        "da": "har {source} igen: tildelt efter planlægningen (planen fandt brugeren allerede "
              "på målplanen)"},
    "verify.source-assigned-again.fix": {
        "en": "run e4-playbook plan on a fresh export to include the user",
        "da": "kør e4-playbook plan på en ny eksport for at tage brugeren med"},
    "verify.partial-group-member": {
        "en": "holds {target} through group {group} and still {source}",
        "da": "har {target} via gruppen {group} og stadig {source}"},
    "verify.partial-group-member.fix": {
        "en": "remove {source} from the group (run the remaining plan's group swap)",
        "da": "fjern {source} fra gruppen (kør gruppeskiftet i den resterende plan)"},
    "verify.partial": {"en": "holds {target} and {source}: {source} was not removed",
                       "da": "har {target} og {source}: {source} blev ikke fjernet"},
    "verify.partial.fix": {"en": "run the remaining plan (removes {source}; {target} stays)",
                           "da": "kør den resterende plan (fjerner {source}; {target} "
                                 "bevares)"},
    "verify.pending-group-member": {
        "en": "still holds {source} through group {group}: the group swap has not run or "
              "Entra is still processing the group",
        "da": "har stadig {source} via gruppen {group}: gruppeskiftet er ikke kørt, eller "
              "Entra behandler stadig gruppen"},
    "verify.pending-group-member.fix": {
        "en": "run the remaining plan's group swap; if it ran, wait for processing (audit log "
              "'Finish applying group based license to users'); after 24 hours Reprocess the "
              "group or open a support ticket",
        "da": "kør gruppeskiftet i den resterende plan; er det kørt, så vent på behandlingen "
              "(aktiviteten [Finish applying group based license to users] i "
              "overvågningsloggen); efter 24 timer: genbehandl gruppen, eller opret en "
              "supportanmodning"},
    "verify.pending-skipped": {"en": "still holds {source}; skipped by the plan: {reason}",
                               "da": "har stadig {source}; sprunget over af planen: {reason}"},
    "verify.pending-skipped.no-reason": {"en": "no reason given", "da": "ingen årsag angivet"},
    "verify.pending-skipped.fix": {
        "en": "decide for this user, then plan again: {source} can't be cancelled while they "
              "hold it",
        "da": "beslut, hvad der skal ske med brugeren, og planlæg igen: {source} kan ikke "
              "opsiges, mens brugeren har den"},
    "verify.pending-location-now-set": {
        "en": "still holds {source}; its usage location is now set ({location})",
        "da": "har stadig {source}; placeringen for anvendelse er nu angivet ({location})"},
    "verify.pending-location-now-set.fix": {
        "en": "run e4-playbook plan again to schedule the swap",
        "da": "kør e4-playbook plan igen for at planlægge flytningen"},
    "verify.pending-needs-location": {
        "en": "still holds {source}; needs a usage location before it can move",
        "da": "har stadig {source}; skal have en placering for anvendelse, før brugeren kan "
              "flyttes"},
    "verify.pending-needs-location.fix": {
        "en": "set the user's usage location, then run e4-playbook plan again",
        "da": "angiv brugerens placering for anvendelse, og kør så e4-playbook plan igen"},
    "verify.pending": {"en": "still holds {source}, not {target} yet",
                       "da": "har stadig {source} og endnu ikke {target}"},
    "verify.pending.fix": {"en": "run the remaining plan", "da": "kør den resterende plan"},
    "verify.skipped-lost-both": {
        "en": "skipped by the plan and holds neither {source} nor {target} now",
        "da": "sprunget over af planen og har nu hverken {source} eller {target}"},
    "verify.skipped-lost-both.fix": {
        "en": "check who removed the license and whether the user needs one",
        "da": "undersøg, hvem der fjernede licensen, og om brugeren skal have en"},
    "verify.unlicensed": {
        "en": "unlicensed: lost {source} without getting {target} (holds neither); {clock}",
        "da": "uden licens: har mistet {source} uden at få {target} (har ingen af dem); "
              "{clock}"},
    "verify.unlicensed.fix": {
        "en": "urgent: assign {target} with the planned disabled plans now; add it only "
              "({source} is already gone)",
        "da": "haster: tildel {target} med de planlagte apps slået fra nu; tildel kun den "
              "({source} er allerede væk)"},
    "verify.unlicensed.group.fix": {
        "en": "urgent: check that the user is still in group {group} (add them back or assign "
              "{target} directly), or Reprocess the group",
        "da": "haster: kontrollér, at brugeren stadig er i gruppen {group} (tilføj brugeren "
              "igen, eller tildel {target} direkte), eller genbehandl gruppen"},
    "verify.licenses-differ": {"en": "licenses differ from the plan: {changes}",
                               "da": "licenserne afviger fra planen: {changes}"},
    "verify.licenses-differ.lost": {"en": "lost {licenses}", "da": "mistet {licenses}"},
    "verify.licenses-differ.gained": {"en": "gained {licenses}", "da": "fået {licenses}"},
    "verify.licenses-differ.fix": {
        "en": "check who changed them; re-assign what was lost",
        "da": "undersøg, hvem der ændrede dem; tildel det mistede igen"},
    "verify.drifted": {"en": "{target}{where} disabled plans differ from the plan ({parts})",
                       "da": "{target}{where}: apps slået fra afviger fra planen ({parts})"},
    "verify.drifted.where": {"en": " (group {group})", "da": " (gruppen {group})"},
    "verify.drifted.extra": {"en": "also disabled: {apps}", "da": "også slået fra: {apps}"},
    "verify.drifted.missing": {"en": "enabled but planned disabled: {apps}",
                               "da": "slået til, men planlagt slået fra: {apps}"},
    "verify.drifted.fix": {
        "en": "set the planned disabled plans on {target} (Set-MgUserLicense -AddLicenses with "
              "DisabledPlans, -RemoveLicenses @())",
        "da": "slå de planlagte apps fra på {target} (Set-MgUserLicense -AddLicenses med "
              "DisabledPlans, -RemoveLicenses @())"},
    "verify.drifted.group.fix": {
        "en": "set the planned disabled plans on the group's {target} assignment",
        "da": "slå de planlagte apps fra i gruppens tildeling af {target}"},
    "verify.moved-outside-plan": {
        "en": "holds {target}, no {source}: moved outside this plan (by hand or a later plan)",
        "da": "har {target}, ikke {source}: flyttet uden for denne plan (manuelt eller af en "
              "senere plan)"},
    "verify.moved": {"en": "holds {target} as planned", "da": "har {target} som planlagt"},
    "verify.unplanned": {
        "en": "holds {source} but is not in the plan (new user, new group member, or license "
              "assigned after planning)",
        "da": "har {source}, men er ikke i planen (ny bruger, nyt gruppemedlem, eller licens "
              "tildelt efter planlægningen)"},
    "verify.unplanned.groups": {
        "en": "holds {source} through {n|group|groups} {groups} but is not in the plan (new "
              "user, new group member, or license assigned after planning)",
        "da": "har {source} via {n|gruppen|grupperne} {groups}, men er ikke i planen (ny "
              "bruger, nyt gruppemedlem, eller licens tildelt efter planlægningen)"},
    "verify.unplanned.fix": {
        "en": "run e4-playbook plan on a fresh export to include them",
        "da": "kør e4-playbook plan på en ny eksport for at tage dem med"},
    # -- the verdict in the terminal (Verification.to_text) -----------------------------------
    "verify.text.title": {"en": "Verification for {tenant}: {source} -> {target}",
                          "da": "Kontrol for {tenant}: {source} -> {target}"},
    "verify.text.status": {"en": "Status: {counts}", "da": "Brugere pr. status: {counts}"},
    "verify.text.yes": {
        "en": "Safe to cancel {source}: YES (nobody holds it, no planned user is failed or "
              "partial)",
        "da": "{source} kan opsiges: JA (ingen har den, ingen planlagt bruger er fejlet eller "
              "delvist flyttet)"},
    "verify.text.no": {"en": "Safe to cancel {source}: NO", "da": "{source} kan opsiges: NEJ"},
    "verify.text.users": {"en": "    users: {names}", "da": "    brugere: {names}"},
    "verify.text.groups-holding": {"en": "    groups still assigning it: {names}",
                                   "da": "    grupper, der stadig tildeler den: {names}"},
    "verify.text.and-more": {"en": "{names} and {n} more", "da": "{names} og {n} mere"},
    "verify.text.not-moved": {"en": "Not moved (first rows):",
                              "da": "Ikke flyttet (de første rækker):"},
    "verify.text.where": {"en": "{action}, batch {batch}", "da": "{action}, i batch {batch}"},
    "verify.text.not-in-plan": {"en": "not in plan", "da": "ikke i planen"},
    "verify.text.group-row": {"en": "(group)", "da": "(gruppe)"},
    "verify.text.fix": {"en": "             fix: {fix}", "da": "             gør: {fix}"},
    "verify.text.more-rows": {"en": "  ... and {n} more (see the status table)",
                              "da": "  ... og {n} mere (se statustabellen)"},
    "verify.text.groups": {"en": "Groups:", "da": "Grupper:"},
    "verify.text.group": {
        "en": "  {group} ({action}): {status}; members seen {seen}, still with source "
              "{with_source}, in error {in_error}, moved {moved}",
        "da": "  {group} ({action}): {status}; medlemmer set {seen}, har stadig kilden "
              "{with_source}, med fejl {in_error}, flyttet {moved}"},
    "verify.group.errors": {"en": "errors", "da": "fejl"},
    "verify.group.processing": {"en": "processing", "da": "behandles"},
    "verify.group.not started": {"en": "not started", "da": "ikke startet"},
    "verify.group.done": {"en": "done", "da": "færdig"},
    "verify.group.no members seen": {"en": "no members seen", "da": "ingen medlemmer set"},
    "verify.text.remaining": {
        "en": "Remaining plan: {n} {n|action|actions}, {runnable} to run in the next round; "
              "the others wait on a group swap, a usage location or your decision (step 4's "
              "Write remaining plan button and e4-playbook verify write its files).",
        "da": "Resterende plan: {n} {n|handling|handlinger}, {runnable} skal køres i næste "
              "runde; de øvrige venter på et gruppeskift, en placering for anvendelse eller din "
              "beslutning (knappen Skriv resterende plan i trin 4 og e4-playbook verify skriver "
              "dens filer)."},
    "verify.text.remaining.none": {"en": "Remaining plan: nothing left to run.",
                                   "da": "Resterende plan: intet mere at køre."},
    "verify.text.warning": {"en": "warning: {warning}", "da": "advarsel: {warning}"},
    "verify.text.before-cancelling": {"en": "Before cancelling {source}:",
                                      "da": "Før du opsiger {source}:"},
    # -- what the after export could not show (Verification.warnings) ------------------------
    "verify.warning.no-disabled-plans": {
        "en": "the {format} export does not show disabled plans: drift was not checked "
              "(export Graph users JSON to check it)",
        "da": "{format}-eksporten viser ikke apps slået fra: afvigelser er ikke kontrolleret "
              "(eksportér brugere som Graph-JSON for at kontrollere dem)"},
    "verify.warning.no-assignment-states": {
        "en": "the {format} export shows neither license errors nor groups: a failed "
              "assignment looks pending, and E4 from a group looks direct (export Graph users "
              "JSON with licenseAssignmentStates to see both)",
        "da": "{format}-eksporten viser hverken licensfejl eller grupper: en fejlet tildeling "
              "ligner en afventende, og E4 fra en gruppe ligner en direkte tildeling "
              "(eksportér brugere som Graph-JSON med licenseAssignmentStates for at se begge)"},
    "verify.warning.no-subscriptions": {
        "en": "no subscriptions export after the move: {source}'s consumed units were not "
              "checked (add after/subscriptions.* to confirm)",
        "da": "ingen abonnementseksport efter flytningen: de brugte licenser af {source} er "
              "ikke kontrolleret (tilføj after/subscriptions.* for at bekræfte)"},
    "verify.warning.would-remove": {
        "en": "{n} remaining user {n|swap|swaps} would remove {source} from "
              "{n|a user who no longer holds|users who no longer hold} it ({users}): Graph "
              "rejects such a call, so assign the target to {n|the user|them} by hand (Users > "
              "Active users > Licenses) instead of running these rows",
        "da": "{n} {n|resterende licensskift|resterende licensskift} ville fjerne {source} fra "
              "{n|en bruger|brugere}, der ikke længere har den ({users}): Graph afviser et "
              "sådant kald, så tildel målplanen manuelt (Brugere > Aktive brugere > Licenser) i "
              "stedet for at køre disse rækker"},
    "verify.warning.log-skipped": {"en": "results log skipped: {error}",
                                   "da": "resultatloggen er sprunget over: {error}"},
    # -- the script's results log beside a status --------------------------------------------
    "verify.script": {"en": "script: {outcome}", "da": "scriptet: {outcome}"},
    "verify.script.retried": {
        "en": "script: {outcome} after {attempts} attempts (throttled and retried)",
        "da": "scriptet: {outcome} efter {attempts} forsøg (begrænset og forsøgt igen)"},
}
