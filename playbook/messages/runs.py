"""Where a tenant stands and the run's own lines (``e4-playbook run``/``status``, index.html).

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals). The English texts
are the ones the CLI printed before they moved here, word for word, so English output and the
records' ``label``/``why``/``next_action`` did not change.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- standing: label, why, next action -----------------------------------------------------
    "stand.not-run": {"en": "not run", "da": "ikke kørt"},
    "stand.not-run.why": {"en": "no run record yet", "da": "ingen kørselsrapport endnu"},
    "stand.not-run.next": {"en": "run: e4-playbook batch (or run) on this tenant",
                           "da": "kør: e4-playbook batch (eller run) på denne lejer"},
    "stand.empty.why": {"en": "the record holds no step results",
                        "da": "rapporten har ingen resultater fra trinene"},
    "stand.empty.next": {"en": "run the notebooks for this tenant",
                         "da": "kør notesbøgerne for denne lejer"},
    "stand.unreadable": {"en": "unreadable record", "da": "ulæselig rapport"},
    "stand.unreadable.next": {"en": "delete or fix that run folder, then re-run",
                              "da": "slet eller ret den kørselsmappe, og kør igen"},
    "stand.bad-input": {"en": "blocked (bad input)", "da": "blokeret (fejl i input)"},
    "stand.bad-input.why": {"en": "bad input", "da": "fejl i input"},
    "stand.bad-input.next": {"en": "fix the input named in the error, then re-run",
                             "da": "ret det input, fejlen nævner, og kør igen"},
    "stand.failed": {"en": "failed", "da": "fejlet"},
    "stand.failed.step": {"en": "step {step}", "da": "trin {step}"},
    "stand.failed.cell": {"en": "{where}, cell {cell}", "da": "{where}, celle {cell}"},
    "stand.failed.why": {"en": "failed in {where}: {error}", "da": "fejlede i {where}: {error}"},
    "stand.failed.unknown": {"en": "unknown error", "da": "ukendt fejl"},
    "stand.failed.last_good": {"en": "{why} (last good: {stage})",
                               "da": "{why} (sidst i orden: {stage})"},
    "stand.failed.next": {
        "en": "open the executed notebook in the run folder at the failing cell; report it if "
              "it is a bug",
        "da": "åbn den kørte notesbog i kørselsmappen ved cellen, der fejlede; rapportér det, "
              "hvis det er en fejl i værktøjet"},
    "stand.partner": {"en": "blocked (contact partner)", "da": "blokeret (kontakt partneren)"},
    "stand.partner.why": {
        "en": "E4 was bought through a partner or volume licensing: the upgrade is done by them",
        "da": "E4 er købt gennem en partner eller en volumenlicens: opgraderingen foretages af "
              "dem"},
    "stand.partner.next": {"en": "contact the partner or Microsoft account rep who sold E4",
                           "da": "kontakt den partner eller Microsoft-kontaktperson, der solgte "
                                 "E4"},
    "stand.review": {"en": "{what}; review blockers: {codes}",
                     "da": "{what}; gennemgå blokerende fund: {codes}"},
    "stand.planned": {"en": "planned", "da": "planlagt"},
    "stand.planned.why": {
        "en": "{users} {users|user|users} in {batches} {batches|batch|batches}",
        "da": "{users} {users|bruger|brugere} i {batches} {batches|batch|batches}"},
    "stand.planned.next": {
        "en": "run the plan batches (plan/ in the run folder), then export users into after/ "
              "and re-run",
        "da": "kør planens batches (plan/ i kørselsmappen), eksportér derefter brugerne til "
              "after/, og kør igen"},
    "stand.assessed": {"en": "assessed", "da": "vurderet"},
    "stand.assessed.why": {"en": "path {path}", "da": "metode {path}"},
    "stand.assessed.unknown_path": {"en": "unknown path", "da": "ukendt metode"},
    "stand.assessed.next": {"en": "run step 3 to build the plan",
                            "da": "kør trin 3 for at lave planen"},
    "stand.seats": {"en": "buy licenses first", "da": "køb licenser først"},
    "stand.seats.missing": {"en": "{n} {target} {n|license|licenses} missing",
                            "da": "der mangler {n} {target}-{n|licens|licenser}"},
    "stand.seats.more": {"en": "more", "da": "flere"},
    "stand.seats.why": {"en": "{what}; the plan waits for them", "da": "{what}; planen venter "
                                                                      "på dem"},
    "stand.seats.next": {
        "en": "buy them (Billing > Purchase services), or limit the plan with max_users / "
              "only_departments, then re-run",
        "da": "køb dem (Fakturering > Køb tjenester), eller begræns planen med max_users / "
              "only_departments, og kør igen"},
    "stand.ready": {"en": "ready to cancel", "da": "klar til annullering"},
    "stand.ready.why": {"en": "nobody holds E4 any more; the cancellation gate is open",
                        "da": "ingen har E4 længere; annulleringen er åben"},
    "stand.ready.next": {
        "en": "follow the cancellation checklist in {notebook}, then cancel E4",
        "da": "følg tjeklisten til annullering i {notebook}, og annuller derefter E4"},
    "stand.partly": {"en": "partly moved ({moved} of {total})",
                     "da": "delvist flyttet ({moved} af {total})"},
    "stand.partly.rest": {"en": "{n} {n|action remains|actions remain}",
                          "da": "{n} {n|handling mangler|handlinger mangler}"},
    "stand.partly.rest.unknown": {"en": "actions remain", "da": "handlinger mangler"},
    "stand.partly.next": {
        "en": "run the remaining plan (remaining/plan/ in the newest run folder), export users "
              "again into after/, re-run",
        "da": "kør den resterende plan (remaining/plan/ i den nyeste kørselsmappe), eksportér "
              "brugerne igen til after/, og kør igen"},
    "stand.gate.open": {"en": "open", "da": "åben"},
    "stand.gate.unverified": {"en": "not verified", "da": "ikke kontrolleret"},
    "stand.gate.shut": {"en": "shut", "da": "lukket"},
    "stand.gate.shut.codes": {"en": "shut: {codes}", "da": "lukket: {codes}"},
    # -- the run's lines (e4-playbook run, index.html) and the fleet's status table ------------
    "run.where": {"en": "Where it stands: {label}: {why}", "da": "Status: {label}: {why}"},
    "run.next": {"en": "Next: {action}", "da": "Næste: {action}"},
    "run.head": {"en": "Tenant {tenant} ({folder}): run {status} (steps {steps}) in {seconds} s",
                 "da": "Lejer {tenant} ({folder}): kørsel {status} (trin {steps}) på {seconds} s"},
    "run.state.ok": {"en": "ok", "da": "i orden"},
    "run.state.failed": {"en": "failed", "da": "fejlet"},
    "run.state.bad-input": {"en": "bad-input", "da": "fejl i input"},
    "run.state.skipped": {"en": "skipped", "da": "sprunget over"},
    "run.state.not-run": {"en": "not-run", "da": "ikke kørt"},
    "run.index.title": {"en": "E4 upgrade run: {tenant}",
                        "da": "E4-opgradering, kørsel: {tenant}"},
    "run.index.meta": {
        "en": "Run {run_id}, status {status}, started {started} finished {finished} (UTC), "
              "playbook {version}",
        "da": "Kørsel {run_id}, status {status}, startet {started} afsluttet {finished} (UTC), "
              "playbook {version}"},
    "run.index.error": {"en": "Error:", "da": "Fejl:"},
    "run.index.h.step": {"en": "step", "da": "trin"},
    "run.index.h.notebook": {"en": "notebook", "da": "notesbog"},
    "run.index.h.status": {"en": "status", "da": "tilstand"},
    "run.index.h.record": {"en": "record", "da": "rapport"},
    "run.index.record": {"en": "the run record", "da": "kørslens rapport"},
    "run.record": {"en": "Record: {path}", "da": "Rapport: {path}"},
    "run.plan_dir": {"en": "Plan artifacts: {path}", "da": "Planens filer: {path}"},
    "run.failed": {"en": "FAILED in {notebook} cell {cell}: {error}",
                   "da": "FEJLEDE i {notebook} celle {cell}: {error}"},
    "run.failed.kept": {"en": "The executed notebook is kept up to the failing cell.",
                        "da": "Den kørte notesbog er gemt til og med cellen, der fejlede."},
    "run.error": {"en": "error: {error}", "da": "fejl: {error}"},
    "run.skip.no_after": {"en": "no after export (after/users.*) in the tenant folder",
                          "da": "ingen eksport efter flytningen (after/users.*) i lejerens mappe"},
    "run.skip.refused": {"en": "plan refused for seats: nothing to verify yet",
                         "da": "planen blev afvist for licensers skyld: intet at kontrollere "
                               "endnu"},
    "run.note.stopped": {"en": "stopped at cell {cell}", "da": "stoppede ved celle {cell}"},
    "run.note.no_html": {"en": "no HTML: {error}", "da": "ingen HTML: {error}"},
    "run.fleet.lead": {"en": "{n} {n|tenant|tenants} in {fleet} (records in {runs})",
                       "da": "{n} {n|lejer|lejere} i {fleet} (rapporter i {runs})"},
    "run.fleet.tenant": {"en": "tenant", "da": "lejer"},
    "run.fleet.stage": {"en": "where it stands", "da": "status"},
    "run.fleet.last_run": {"en": "last run", "da": "seneste kørsel"},
    "run.fleet.why": {"en": "why / next", "da": "hvorfor / næste"},
    "run.fleet.next": {"en": "next: {action}", "da": "næste: {action}"},
}
