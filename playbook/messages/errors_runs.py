"""Bad input in verification, runs and the fleet, Microsoft Graph, and the widgets.

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``error.*``; see
:mod:`playbook.messages` for placeholders and plurals). The English texts are the ones the
code raised before they moved here, word for word, so English lines did not change (a count
now picks its plural: "1 planned user", "1 free seat"). ``error.where.*`` name a place that is
not a file (the plan in hand, the sign-in, a notebook parameter): the line starts with them.
Danish follows Microsoft's Danish admin center and docs (Microsoft 365 Administration,
Brugere > Aktive brugere > Eksportér brugere, logon, lejer) and this catalog's run words
(kørselsmappe, rapport, notesbog, eksporten efter flytningen).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- places that are not files: the start of the line -------------------------------------
    "error.where.after-export": {"en": "after export", "da": "eksporten efter flytningen"},
    "error.where.plan": {"en": "plan", "da": "planen"},
    "error.where.sign-in": {"en": "sign-in", "da": "logon"},
    "error.where.certificate-sign-in": {"en": "certificate sign-in",
                                        "da": "logon med certifikat"},
    "error.where.device-code-sign-in": {"en": "device-code sign-in",
                                        "da": "logon med enhedskode"},
    "error.where.parameter": {"en": "parameter {name}", "da": "parameteren {name}"},

    # -- playbook.verification.after ------------------------------------------------------------
    "error.verify.not-a-license-table": {"en": "not a license table",
                                         "da": "ikke en licenstabel"},
    "error.verify.not-a-license-table.fix": {
        "en": "read the export with playbook.exports.read_users",
        "da": "læs eksporten med playbook.exports.read_users"},
    "error.verify.after-of-another-tenant": {
        "en": "shares no user with the plan ({n} {n|planned user|planned users}, none in this "
              "export): it is another tenant's export",
        "da": "har ingen brugere til fælles med planen ({n} {n|planlagt bruger|planlagte "
              "brugere}, ingen i denne eksport): det er en anden lejers eksport"},
    "error.verify.after-of-another-tenant.fix": {
        "en": "export users from the tenant the plan was made for",
        "da": "eksportér brugerne fra den lejer, planen blev lavet til"},
    "error.verify.after-without-licenses": {
        "en": "the after export shows no licenses at all, so it cannot tell who still holds E4",
        "da": "eksporten efter flytningen viser slet ingen licenser, så den kan ikke vise, hvem "
              "der stadig har E4"},
    "error.verify.after-without-licenses.fix": {
        "en": "export with licenses (admin center Users > Active users > Export users, or "
              "Graph users with assignedLicenses and licenseAssignmentStates)",
        "da": "eksportér med licenser (Microsoft 365 Administration: Brugere > Aktive brugere > "
              "Eksportér brugere, eller Graph-brugere med assignedLicenses og "
              "licenseAssignmentStates)"},

    # -- playbook.verification.disk -------------------------------------------------------------
    "error.verify.no-plan-json": {"en": "no plan.json here", "da": "ingen plan.json her"},
    "error.verify.no-plan-json.fix": {
        "en": "pass the plan/ folder written by e4-playbook plan "
              "(--plan runs/<tenant>/<run>/plan)",
        "da": "angiv mappen plan/, som e4-playbook plan skrev "
              "(--plan runs/<tenant>/<run>/plan)"},
    "error.verify.no-plan-found": {"en": "no plan found for this tenant",
                                   "da": "der er ingen plan til denne lejer"},
    "error.verify.no-plan-found.fix": {"en": "run e4-playbook plan first, or pass --plan",
                                       "da": "kør e4-playbook plan først, eller angiv --plan"},
    "error.verify.no-after-folder": {"en": "no after export",
                                     "da": "ingen eksport efter flytningen"},
    "error.verify.no-after-folder.fix": {
        "en": "export users again after the reassignment into after/users.* (or pass --after)",
        "da": "eksportér brugerne igen efter flytningen til after/users.* (eller angiv "
              "--after)"},
    "error.verify.after-not-found": {"en": "after export not found",
                                     "da": "eksporten efter flytningen blev ikke fundet"},
    "error.verify.after-not-found.fix": {"en": "check the --after path",
                                         "da": "kontrollér stien i --after"},
    "error.verify.no-after-users-export": {"en": "no users.* export in the after folder",
                                           "da": "ingen users.*-eksport i mappen after"},
    "error.verify.no-after-users-export.fix": {
        "en": "export users after the reassignment into after/users.*",
        "da": "eksportér brugerne efter flytningen til after/users.*"},
    "error.verify.plan-of-another-tenant": {
        "en": "the plan was made for tenant '{plan_tenant}'",
        "da": "planen blev lavet til lejeren '{plan_tenant}'"},
    "error.verify.plan-of-another-tenant.fix": {
        "en": "use this tenant's plan folder (--plan, or plan_dir in notebook 04)",
        "da": "brug denne lejers planmappe (--plan, eller plan_dir i notesbog 04)"},
    "error.verify.after-is-before": {
        "en": "byte-identical to the export the plan was made from",
        "da": "byte for byte identisk med den eksport, planen blev lavet ud fra"},
    "error.verify.after-is-before.fix": {"en": "export users again after running the plan",
                                         "da": "eksportér brugerne igen, når planen er kørt"},
    "error.verify.nothing-remains": {
        "en": "nothing remains to run: every planned action is done",
        "da": "der er intet tilbage at køre: alle planlagte handlinger er udført"},
    "error.verify.nothing-remains.fix": {"en": "no further round is needed",
                                         "da": "der er ikke brug for flere runder"},

    # -- playbook.verification.plan_view --------------------------------------------------------
    "error.verify.not-a-plan": {
        "en": "not a plan (no action table with action_id, kind, upn)",
        "da": "ikke en plan (ingen handlingstabel med action_id, kind, upn)"},
    "error.verify.not-a-plan.fix": {"en": "load it with playbook.plan.store.load_plan",
                                    "da": "indlæs den med playbook.plan.store.load_plan"},

    # -- playbook.verification.script_log -------------------------------------------------------
    "error.verify.log-not-found": {"en": "results log not found",
                                   "da": "resultatloggen blev ikke fundet"},
    "error.verify.log-not-found.fix": {"en": "check the path", "da": "kontrollér stien"},
    "error.verify.log-not-csv": {"en": "results log is not a readable CSV ({problem})",
                                 "da": "resultatloggen er ikke en læsbar CSV-fil ({problem})"},
    "error.verify.log-not-csv.fix": {"en": "pass the CSV the reassignment script wrote",
                                     "da": "angiv den CSV-fil, som tildelingsscriptet skrev"},

    # -- playbook.runs.demo ---------------------------------------------------------------------
    "error.run.no-sample-tenants": {"en": "bundled sample tenants not found",
                                    "da": "de medfølgende eksempellejere blev ikke fundet"},
    "error.run.no-sample-tenants.fix": {
        "en": "reinstall e4-playbook (pipx install, or pip install), or run make demo from a "
              "clone of the repository",
        "da": "geninstallér e4-playbook (pipx install eller pip install), eller kør make demo "
              "fra en klon af repositoriet"},

    # -- playbook.runs.fleet --------------------------------------------------------------------
    "error.fleet.no-dask": {"en": "Dask distributed is not installed",
                            "da": "Dask distributed er ikke installeret"},
    "error.fleet.no-dask.fix": {"en": "pip install 'e4-playbook[dask]'",
                                "da": "kør pip install 'e4-playbook[dask]'"},
    "error.fleet.dask-unreachable": {
        "en": "cannot reach the Dask scheduler ({problem})",
        "da": "kan ikke få forbindelse til Dask-scheduleren ({problem})"},
    "error.fleet.dask-unreachable.fix": {
        "en": "pass the scheduler address, e.g. tcp://10.0.0.5:8786, or 'local'",
        "da": "angiv schedulerens adresse, f.eks. tcp://10.0.0.5:8786, eller 'local'"},
    "error.fleet.bad-workers": {"en": "must be at least 1", "da": "skal være mindst 1"},
    "error.fleet.bad-workers.fix": {"en": "use 1 or more", "da": "brug 1 eller flere"},

    # -- playbook.runs.record -------------------------------------------------------------------
    "error.run.record-not-json": {"en": "run record is not valid JSON ({problem})",
                                  "da": "kørselsrapporten er ikke gyldig JSON ({problem})"},
    "error.run.record-not-json.fix": {
        "en": "delete this run folder or re-run the tenant",
        "da": "slet denne kørselsmappe, eller kør lejeren igen"},
    "error.run.record-not-object": {"en": "run record is not a JSON object",
                                    "da": "kørselsrapporten er ikke et JSON-objekt"},

    # -- playbook.runs.selection ----------------------------------------------------------------
    "error.fleet.folder-not-found": {"en": "fleet folder not found",
                                     "da": "mappen med lejerne blev ikke fundet"},
    "error.fleet.folder-not-found.fix": {"en": "pass a folder holding one folder per tenant",
                                         "da": "angiv en mappe med én mappe pr. lejer"},
    "error.fleet.no-tenant-folders": {"en": "no tenant folders found",
                                      "da": "der blev ikke fundet nogen lejermapper"},
    "error.fleet.no-tenant-folders.fix": {
        "en": "each tenant needs its own folder with tenant.yaml and users.*",
        "da": "hver lejer skal have sin egen mappe med tenant.yaml og users.*"},
    "error.fleet.bad-changed-since": {"en": "not a date or 'last'",
                                      "da": "hverken en dato eller 'last'"},
    "error.fleet.bad-changed-since.fix": {
        "en": "use YYYY-MM-DD (files changed since that day, UTC) or 'last' (files changed "
              "since the tenant's last run)",
        "da": "brug ÅÅÅÅ-MM-DD (filer ændret siden den dag, UTC) eller 'last' (filer ændret "
              "siden lejerens seneste kørsel)"},

    # -- playbook.runs.step_range ---------------------------------------------------------------
    "error.run.bad-steps": {"en": "not a step range", "da": "ikke et interval af trin"},
    "error.run.bad-steps.fix": {
        "en": "use steps {first} to {last}, e.g. {first}-{last}, {first}-{before_last} or "
              "{last}",
        "da": "brug trin {first} til {last}, f.eks. {first}-{last}, {first}-{before_last} "
              "eller {last}"},

    # -- playbook.runs.tenant_run ---------------------------------------------------------------
    "error.run.notebook-not-found": {"en": "notebook not found",
                                     "da": "notesbogen blev ikke fundet"},
    "error.run.notebook-not-found.fix": {
        "en": "reinstall e4-playbook (its notebooks ship inside the package), or pass the "
              "notebooks folder",
        "da": "geninstallér e4-playbook (notesbøgerne følger med i pakken), eller angiv "
              "mappen med notesbøgerne"},

    # -- playbook.runs.working_copy -------------------------------------------------------------
    "error.run.not-a-tenant-folder": {"en": "not a tenant folder (no tenant.yaml)",
                                      "da": "ikke en lejers mappe (ingen tenant.yaml)"},
    "error.run.not-a-tenant-folder.fix": {
        "en": "pass a folder holding tenant.yaml and users.* (see the README's 'The tenant "
              "folder')",
        "da": "angiv en mappe med tenant.yaml og users.* (se afsnittet 'The tenant folder' i "
              "README)"},
    "error.run.reinstall": {"en": "reinstall e4-playbook; its notebooks ship inside the package",
                            "da": "geninstallér e4-playbook; notesbøgerne følger med i pakken"},

    # -- playbook.graph.apply -------------------------------------------------------------------
    "error.graph.plan-without-tenant-id": {
        "en": "the plan names no tenant id, so the sign-in cannot be checked against it",
        "da": "planen angiver intet lejer-id, så logonet kan ikke kontrolleres mod den"},
    "error.graph.plan-without-tenant-id.fix": {
        "en": "add tenant_id to tenant.yaml (or export with e4-playbook export) and plan again",
        "da": "tilføj tenant_id i tenant.yaml (eller eksportér med e4-playbook export), og "
              "planlæg igen"},
    "error.graph.token-of-another-tenant": {
        "en": "the token is for tenant {token_tenant}, the plan for {plan_tenant}",
        "da": "tokenet er til lejeren {token_tenant}, planen til {plan_tenant}"},
    "error.graph.token-of-another-tenant.fix": {
        "en": "sign in to the tenant the plan was made for",
        "da": "log på den lejer, planen blev lavet til"},
    "error.graph.too-few-seats": {
        "en": "{free} free {target} {free|seat|seats}, the plan still needs {needed}",
        "da": "{free} {free|ledig|ledige} {target}-{free|licens|licenser}, planen har stadig "
              "brug for {needed}"},
    "error.graph.too-few-seats.fix": {"en": "buy the missing licences, then run apply again",
                                      "da": "køb de manglende licenser, og kør apply igen"},

    # -- playbook.graph.auth --------------------------------------------------------------------
    "error.graph.sign-in-failed": {"en": "sign-in failed: {reason}",
                                   "da": "logon mislykkedes: {reason}"},
    "error.graph.sign-in-failed.fix": {
        "en": "check the app id, tenant, consent and the admin role",
        "da": "kontrollér app-id'et, lejeren, samtykket og administratorrollen"},
    "error.graph.certificate-needs-tenant": {
        "en": "an unattended sign-in needs the tenant id and the certificate's thumbprint",
        "da": "et logon uden brugerinteraktion kræver lejerens id og certifikatets "
              "aftryk"},
    "error.graph.certificate-needs-tenant.fix": {"en": "pass --tenant-id and --thumbprint",
                                                 "da": "angiv --tenant-id og --thumbprint"},
    "error.graph.certificate-unreadable": {"en": "cannot read the certificate ({problem})",
                                           "da": "kan ikke læse certifikatet ({problem})"},
    "error.graph.certificate-unreadable.fix": {
        "en": "pass the PEM file holding the private key",
        "da": "angiv PEM-filen med den private nøgle"},

    # -- playbook.graph.endpoint ----------------------------------------------------------------
    "error.graph.url-not-loopback": {
        "en": "the Graph URL hook is for a local test server only",
        "da": "Graph-URL'en til test er kun til en testserver på denne maskine"},
    "error.graph.url-not-loopback.fix": {
        "en": "unset it to use Microsoft Graph, or use http://127.0.0.1:<port>",
        "da": "fjern den for at bruge Microsoft Graph, eller brug http://127.0.0.1:<port>"},
    "error.graph.token-without-url": {
        "en": "a static token is accepted only with a loopback {url_env}",
        "da": "et fast token accepteres kun sammen med en loopback-{url_env}"},
    "error.graph.token-without-url.fix": {
        "en": "unset {token_env} to sign in to Microsoft Graph",
        "da": "fjern {token_env} for at logge på Microsoft Graph"},
    "error.graph.quota-without-url": {"en": "accepted only with a loopback {url_env}",
                                      "da": "accepteres kun sammen med en loopback-{url_env}"},
    "error.graph.quota-without-url.fix": {
        "en": "unset {quota_env}: Microsoft Graph's quota applies",
        "da": "fjern {quota_env}: Microsoft Graphs kvote gælder"},
    "error.graph.bad-quota": {"en": "must be writes/seconds, such as 3000/150",
                              "da": "skal være skrivninger/sekunder, f.eks. 3000/150"},
    "error.graph.bad-quota.fix": {"en": "set {quota_env}=3000/150 or unset it",
                                  "da": "sæt {quota_env}=3000/150, eller fjern den"},

    # -- playbook.graph.export ------------------------------------------------------------------
    "error.graph.export-exists": {"en": "an export is already there",
                                  "da": "der ligger allerede en eksport"},
    "error.graph.export-exists.fix": {
        "en": "pass --force to replace it (the old files move to replaced/)",
        "da": "angiv --force for at erstatte den (de gamle filer flyttes til replaced/)"},
    "error.graph.partial-of-another-tenant": {
        "en": "a cut-off export of another tenant is here",
        "da": "her ligger en afbrudt eksport af en anden lejer"},
    "error.graph.partial-of-another-tenant.fix": {"en": "delete {partial}",
                                                  "da": "slet {partial}"},

    # -- playbook.graph.journal -----------------------------------------------------------------
    "error.graph.journal-of-another-plan": {
        "en": "a journal of another plan ({other}) is in this plan folder",
        "da": "en journal fra en anden plan ({other}) ligger i denne planmappe"},
    "error.graph.journal-of-another-plan.fix": {
        "en": "apply each plan from its own folder",
        "da": "kør apply for hver plan fra dens egen mappe"},

    # -- playbook.graph.session -----------------------------------------------------------------
    "error.graph.export-of-another-tenant": {
        "en": "exported another tenant than tenant.yaml names",
        "da": "eksporterede en anden lejer end den, tenant.yaml angiver"},
    "error.graph.export-of-another-tenant.fix": {"en": "sign in to the tenant of tenant.yaml",
                                                 "da": "log på lejeren fra tenant.yaml"},
    "error.graph.confirm-mismatch": {"en": "does not match the plan's id",
                                     "da": "svarer ikke til planens id"},
    "error.graph.confirm-mismatch.fix": {
        "en": "read the plan, then pass --confirm {plan_id}",
        "da": "læs planen, og angiv derefter --confirm {plan_id}"},
    "error.graph.plan-refused": {"en": "the plan was refused for seats",
                                 "da": "planen blev afvist for licensers skyld"},
    "error.graph.plan-refused.fix": {"en": "buy the missing licences and plan again",
                                     "da": "køb de manglende licenser, og planlæg igen"},
    "error.graph.not-signed-in": {"en": "not signed in", "da": "ikke logget på"},
    "error.graph.not-signed-in.fix": {"en": "press Sign in first",
                                      "da": "tryk først på Sign in"},
    "error.graph.finish-needs-sign-in": {"en": "needs a sign-in and the tenant folder",
                                         "da": "kræver et logon og lejerens mappe"},
    "error.graph.finish-needs-sign-in.fix": {"en": "sign in, and pass tenant_dir",
                                             "da": "log på, og angiv tenant_dir"},

    # -- playbook.widgets -----------------------------------------------------------------------
    "error.widget.not-a-choice": {"en": "not one of the choices",
                                  "da": "ikke et af valgene"},
    "error.widget.not-a-choice.fix": {"en": "use one of {choices}",
                                      "da": "brug et af disse: {choices}"},
    "error.widget.unknown-departments": {"en": "not found in the export",
                                         "da": "findes ikke i eksporten"},
    "error.widget.unknown-departments.fix": {
        "en": "use departments as written in the export: {departments}",
        "da": "skriv afdelingerne, som de står i eksporten: {departments}"},

}
