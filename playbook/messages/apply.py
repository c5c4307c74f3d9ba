"""Step 3b's words: applying the plan through Graph (the page, the panel, the run's lines).

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). The English texts
of the lines the CLI's ``apply`` printed before they moved here are kept word for word (only
a count of one now reads "1 action", not "1 actions"); the technical lines of the dry run
(ids, methods, addresses, skuIds) are not words and stay in :mod:`playbook.graph.apply`. The
bad-input lines of applying are in :mod:`playbook.messages.errors_runs`.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- the page (playbook.display.apply) -------------------------------------------------------
    "page.title.apply": {"en": "Step 3b: carry out the plan through Microsoft Graph",
                         "da": "Trin 3b: udfør planen via Microsoft Graph"},
    "page.intro.apply": {
        "en": "Between step 3 (the reviewed plan) and step 4 (check, then cancel): this page "
              "runs the plan's batches through Microsoft Graph, the way Microsoft asks: every "
              "E4 user gets the new plan in the same call that removes E4.",
        "da": "Mellem trin 3 (den gennemgåede plan) og trin 4 (kontrollér, og annuller "
              "derefter): denne side kører planens batches via Microsoft Graph, sådan som "
              "Microsoft beskriver det: hver bruger med E4 får den nye plan i samme kald, som "
              "fjerner E4."},
    "apply.how.sign_in": {
        "en": "Sign in shows a device code here: open the page it names and sign in as a "
              "License Administrator.",
        "da": "Log på viser en enhedskode her: åbn den side, den nævner, og log på som "
              "licensadministrator."},
    "apply.how.preview": {
        "en": "The preview is exactly what will be sent: nothing is sent until you press a "
              "batch.",
        "da": "Forhåndsvisningen er præcis det, der bliver sendt: intet sendes, før du trykker "
              "på et batch."},
    "apply.how.order": {
        "en": "Press the batches in order, the first one is your pilot. Each batch reads its "
              "users again first, skips the ones already done and stops at anyone changed "
              "since the plan.",
        "da": "Tryk på dine batches i rækkefølge, det første er dit pilotbatch. Hvert batch "
              "læser først sine brugere igen, springer dem over, der allerede er klaret, og "
              "stopper ved alle, der er ændret siden planen."},
    "apply.how.journal": {
        "en": "Every call is written to the journal in the plan folder: open this page again "
              "to resume where it stopped.",
        "da": "Hvert kald skrives i journalen i planens mappe: åbn siden igen for at fortsætte, "
              "hvor den stoppede."},
    "apply.how.confirm": {
        "en": "Nothing is ever sent without plan_dir and the plan id you reviewed "
              "(confirm_plan_id). A papermill run applies only when apply_batches also says "
              "how many batches; by hand, leave apply_batches as None and use the buttons.",
        "da": "Intet sendes nogensinde uden plan_dir og id'et på den plan, du har gennemgået "
              "(confirm_plan_id). En papermill-kørsel udfører kun noget, når apply_batches "
              "også angiver antallet af batches; i hånden lader du apply_batches være None og "
              "bruger knapperne."},
    "apply.card.title": {"en": "Tenant {tenant}: plan {plan_id}, moving to {target}",
                         "da": "Lejer {tenant}: plan {plan_id}, flyttes til {target}"},
    "apply.card.title.no_plan": {"en": "Tenant {tenant}: no plan chosen",
                                 "da": "Lejer {tenant}: ingen plan valgt"},
    "apply.card.batches": {"en": "{n} {n|batch|batches} to run",
                           "da": "{n} {n|batch|batches} at køre"},
    "apply.card.batches.help": {"en": "{calls} {calls|call|calls} still to send",
                                "da": "{calls} {calls|kald|kald} mangler at blive sendt"},
    "apply.card.no_plan": {"en": "No plan", "da": "Ingen plan"},
    "apply.card.no_plan.help": {"en": "nothing can be sent", "da": "intet kan sendes"},
    "apply.card.done": {"en": "All sent", "da": "Alt er sendt"},
    "apply.card.done.help": {"en": "every action of the plan is done",
                             "da": "alle planens handlinger er udført"},
    "apply.card.cancel.help": {"en": "step 4 decides, from the export taken after the move",
                               "da": "trin 4 afgør det ud fra eksporten efter flytningen"},
    "apply.next.no_plan": {
        "en": "Set plan_dir to the plan folder written in step 3 and confirm_plan_id to its "
              "plan id.",
        "da": "Sæt plan_dir til den planmappe, der blev skrevet i trin 3, og confirm_plan_id "
              "til planens id."},
    "apply.next.run": {"en": "Sign in below, then run batch {first}: your pilot.",
                       "da": "Log på nedenfor, og kør derefter batch {first}: dit pilotbatch."},
    "apply.next.done": {"en": "Export after/ and check it below, then go to step 4.",
                        "da": "Eksportér after/, og kontrollér den nedenfor, og gå derefter "
                              "til trin 4."},
    "section.apply_preview": {"en": "What would be sent", "da": "Det, der ville blive sendt"},
    "section.apply_preview.help": {
        "en": "One line per call: the action id, the method, the address, and the licenses "
              "(skuIds) it adds and removes.",
        "da": "Én linje pr. kald: handlingens id, metoden, adressen og de licenser (skuIds), "
              "kaldet tilføjer og fjerner."},
    "section.apply_ran": {"en": "Batches run without clicks",
                          "da": "Batches kørt uden klik"},
    "section.apply_ran.help": {"en": "Only when apply_batches asks (a papermill run).",
                               "da": "Kun når apply_batches beder om det (en "
                                     "papermill-kørsel)."},
    "section.apply_panel": {"en": "Sign in, then one batch at a time",
                            "da": "Log på, og kør derefter ét batch ad gangen"},
    "section.apply_panel.help": {
        "en": "Then step 4 reads the export taken after the move and says whether E4 can go.",
        "da": "Derefter læser trin 4 eksporten efter flytningen og viser, om E4 kan "
              "annulleres."},
    "apply.no_plan": {"en": "No plan given: set plan_dir and confirm_plan_id.",
                      "da": "Ingen plan angivet: angiv plan_dir og confirm_plan_id."},
    "apply.nothing_applied": {"en": "Nothing applied by this run.",
                              "da": "Denne kørsel har ikke udført noget."},
    # -- the panel (playbook.widgets.ApplyPanel) ------------------------------------------------
    "widget.apply.sign_in": {"en": "Sign in", "da": "Log på"},
    "widget.apply.run_batch": {"en": "Run batch {n}", "da": "Kør batch {n}"},
    "widget.apply.finish": {"en": "Export after/ and verify",
                            "da": "Eksportér after/, og kontrollér"},
    # -- the session's and the run's lines (playbook.graph) -------------------------------------
    "apply.signed_in": {"en": "Signed in to tenant {tenant}", "da": "Logget på lejer {tenant}"},
    "apply.device_code": {
        "en": "To sign in, use a web browser to open the page {url} and enter the code "
              "{user_code} to authenticate.",
        "da": "Log på ved at åbne siden {url} i en browser og indtaste koden {user_code}."},
    "apply.nothing_to_send": {"en": "nothing to send: every action of the plan is done",
                              "da": "intet at sende: alle planens handlinger er udført"},
    "apply.unit.batch": {"en": "batch {n} ({users} {users|user|users})",
                         "da": "batch {n} ({users} {users|bruger|brugere})"},
    "apply.unit.group": {"en": "group {group}", "da": "gruppe {group}"},
    "apply.applied": {
        "en": "Applied plan {plan_id}: {done} {done|action|actions} done now, {before} done "
              "before, in {batches} {batches|batch|batches}",
        "da": "Plan {plan_id} udført: {done} {done|handling|handlinger} udført nu, {before} "
              "udført før, i {batches} {batches|batch|batches}"},
    "apply.not_done": {"en": "Not done: {items}", "da": "Ikke udført: {items}"},
    "apply.check.failed": {"en": "failed", "da": "fejlet"},
    "apply.check.drifted": {"en": "drifted", "da": "ændret siden planen"},
    "apply.check.unread": {"en": "unread", "da": "ikke læst"},
    "apply.check.unconfirmed": {"en": "unconfirmed", "da": "ikke bekræftet"},
    "apply.check.gave-up": {"en": "gave-up", "da": "opgivet"},
    "apply.check.processing": {"en": "processing", "da": "behandles stadig"},
    "apply.check.processing-failed": {"en": "processing-failed", "da": "behandling fejlet"},
    "apply.check.member-errors": {"en": "member-errors", "da": "medlemmer med fejl"},
    "apply.line.failed": {"en": "  failed {action} {who}: {graph_code} {error}",
                          "da": "  fejlet {action} {who}: {graph_code} {error}"},
    "apply.line.drifted": {"en": "  drifted {action} {who}: {why}",
                           "da": "  ændret siden planen {action} {who}: {why}"},
    "apply.line.member": {"en": "  group member {who}: {error}",
                          "da": "  gruppemedlem {who}: {error}"},
    "apply.stopped": {"en": "STOPPED: {why}", "da": "STOPPET: {why}"},
    "apply.stopped.failures": {
        "en": "more than {n} failures; fix them (see the journal) and run apply again",
        "da": "mere end {n} fejl; ret dem (se journalen), og kør apply igen"},
    "apply.journal": {"en": "Journal: {path}", "da": "Journalen er gemt i {path}"},
    # -- why a user or group was not sent (playbook.graph.state, apply) ------------------------
    "apply.why.source-removed": {"en": "E4 was removed since the plan, without the target",
                                 "da": "E4 er fjernet siden planen, uden den nye plan"},
    "apply.why.source-plans-changed": {
        "en": "the apps turned off in E4 changed since the plan",
        "da": "de apps, der er slået fra i E4, er ændret siden planen"},
    "apply.why.target-other-apps": {
        "en": "the target was assigned since the plan, with other apps turned off",
        "da": "den nye plan er tildelt siden planen, med andre apps slået fra"},
    "apply.why.usage-location-set": {"en": "usage location was set to {now} since the plan",
                                     "da": "placering for anvendelse er sat til {now} siden "
                                           "planen"},
    "apply.why.not-found": {"en": "not found", "da": "findes ikke"},
    "apply.why.group-not-found": {"en": "group not found", "da": "gruppen findes ikke"},
    "apply.why.earlier-call-failed": {"en": "an earlier call of this user failed",
                                      "da": "et tidligere kald for denne bruger fejlede"},
}
