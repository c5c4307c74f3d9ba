"""Bad input in the tenant folder and tenant.yaml, the catalog, the plan, counting and rules.

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``error.*``; see
:mod:`playbook.messages` for placeholders and plurals). The English texts are the ones the
code raised before they moved here, word for word, so English lines did not change.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- places that are not files: values given beside tenant.yaml, a table given in memory ----
    "error.where.override": {"en": "override", "da": "tilsidesat værdi"},
    "error.where.license-table": {"en": "license table", "da": "licenstabellen"},
    # -- playbook/tenant.py: tenant.yaml's keys and values ---------------------------------------
    "error.tenant.not-a-mapping": {
        "en": "tenant.yaml must be a mapping of key: value",
        "da": "tenant.yaml skal bestå af linjer på formen nøgle: værdi"},
    "error.tenant.not-a-mapping.fix": {
        "en": "see data/tenants/*/tenant.yaml for an example",
        "da": "se et eksempel i data/tenants/*/tenant.yaml"},
    "error.tenant.removed-key": {
        "en": "key '{key}' was removed",
        "da": "nøglen '{key}' er fjernet"},
    "error.tenant.removed-key.fix": {
        "en": "delete the line ({why})",
        "da": "slet linjen ({why})"},
    "error.tenant.removed.billing-frequency": {
        "en": "nothing read it: the admin center's cart asks 'pay monthly or yearly' when you "
              "buy, so choose there",
        "da": "intet brugte den: indkøbskurven i Administration spørger 'betal månedligt "
              "eller årligt', når du køber, så vælg der"},
    "error.tenant.unknown-key": {
        "en": "unknown key '{key}'",
        "da": "ukendt nøgle '{key}'"},
    "error.tenant.did-you-mean": {
        "en": "did you mean '{close}'?",
        "da": "mente du '{close}'?"},
    "error.tenant.valid-keys": {
        "en": "valid keys: {keys}",
        "da": "gyldige nøgler: {keys}"},
    "error.tenant.missing-name": {
        "en": "missing key 'name'",
        "da": "nøglen 'name' mangler"},
    "error.tenant.missing-name.fix": {
        "en": "add name: <tenant name>",
        "da": "tilføj name: <lejerens navn>"},
    "error.tenant.bad-value": {
        "en": "'{key}' must be {expect}",
        "da": "'{key}' skal være {expect}"},
    "error.tenant.bad-value.fix": {
        "en": "set {key}: {expect}",
        "da": "angiv {key}: {expect}"},
    "error.tenant.expect.value": {"en": "a value", "da": "en værdi"},
    "error.tenant.expect.bool": {"en": "true or false", "da": "true eller false"},
    "error.tenant.expect.whole-number": {
        "en": "a whole number of at least 1",
        "da": "et helt tal på mindst 1"},
    "error.tenant.expect.text-list": {
        "en": "a list of text values",
        "da": "en liste med tekstværdier"},
    "error.tenant.expect.tenant-id": {
        "en": "the directory (tenant) id, a GUID such as 00000000-0000-0000-0000-000000000000",
        "da": "mappe-id'et (lejer-id'et), et GUID som 00000000-0000-0000-0000-000000000000"},
    "error.tenant.expect.country": {
        "en": "a two-letter ISO 3166 country code such as DK or US",
        "da": "en landekode på to bogstaver efter ISO 3166, f.eks. DK eller US"},
    "error.tenant.expect.text": {"en": "a text value", "da": "en tekstværdi"},
    "error.tenant.not-a-choice": {
        "en": "'{key}' must be one of {choices}",
        "da": "'{key}' skal være en af {choices}"},
    "error.tenant.one-of": {
        "en": "one of {choices}",
        "da": "en af {choices}"},
    "error.tenant.batch-size-too-large": {
        "en": "'batch_size' may be at most 20 (the admin center's and Graph $batch's limit)",
        "da": "'batch_size' må højst være 20 (grænsen i Administration og for Graph $batch)"},
    "error.tenant.batch-size-too-large.fix": {
        "en": "set 20 or less",
        "da": "angiv 20 eller mindre"},
    # -- playbook/tenant.py: the tenant.yaml file ----------------------------------------------
    "error.tenant.yaml-encoding": {
        "en": "is not text in a known encoding (UTF-8, UTF-16 or ANSI)",
        "da": "er ikke tekst i en kendt kodning (UTF-8, UTF-16 eller ANSI)"},
    "error.tenant.yaml-encoding.fix": {
        "en": "open it in Notepad and save it again with Encoding: UTF-8",
        "da": "åbn den i Notesblok, og gem den igen med Kodning: UTF-8"},
    "error.tenant.yaml-not-found": {
        "en": "tenant.yaml not found",
        "da": "tenant.yaml blev ikke fundet"},
    "error.tenant.yaml-not-found.fix": {
        "en": "create it with at least 'name:' and 'target:'",
        "da": "opret den med mindst 'name:' og 'target:'"},
    "error.tenant.yaml-where": {
        "en": "point at the tenant's tenant.yaml",
        "da": "peg på lejerens tenant.yaml"},
    "error.tenant.yaml-aliases": {
        "en": "more than {limit} aliases (*name)",
        "da": "mere end {limit} aliasser (*navn)"},
    "error.tenant.yaml-aliases.fix": {
        "en": "write the values out; tenant.yaml needs no &anchors or *aliases",
        "da": "skriv værdierne ud; tenant.yaml har ikke brug for &ankre eller *aliasser"},
    "error.tenant.yaml-too-deep": {
        "en": "nested more than {limit} levels deep",
        "da": "indlejret mere end {limit} niveauer"},
    "error.tenant.yaml-too-deep.fix": {
        "en": "tenant.yaml is keys with values or lists of values",
        "da": "tenant.yaml består af nøgler med værdier eller lister af værdier"},
    "error.tenant.yaml-key-not-a-name": {
        "en": "a key that is a list or mapping",
        "da": "en nøgle, der er en liste eller en tilknytning"},
    "error.tenant.yaml-key-not-a-name.fix": {
        "en": "keys are plain names such as target:",
        "da": "nøgler er enkle navne som target:"},
    "error.tenant.yaml-key-twice": {
        "en": "key '{key}' is given twice (only one value can count)",
        "da": "nøglen '{key}' er angivet to gange (kun én værdi kan gælde)"},
    "error.tenant.yaml-key-twice.fix": {
        "en": "keep one line for that key",
        "da": "behold én linje for den nøgle"},
    "error.tenant.yaml-invalid": {
        "en": "not valid YAML ({problem})",
        "da": "ikke gyldig YAML ({problem})"},
    "error.tenant.yaml-invalid.fix": {
        "en": "check indentation and quoting on that line",
        "da": "kontrollér indrykning og anførselstegn på den linje"},
    # -- playbook/tenant.py: the tenant folder and its exports ---------------------------------
    "error.tenant.several-exports": {
        "en": "more than one {stem}.* export: {files}",
        "da": "mere end én {stem}.*-eksport: {files}"},
    "error.tenant.several-exports.fix": {
        "en": "keep one {stem}.* file",
        "da": "behold én {stem}.*-fil"},
    "error.tenant.export-info-not-json": {
        "en": "not valid JSON ({problem})",
        "da": "ikke gyldig JSON ({problem})"},
    "error.tenant.export-info-not-json.fix": {
        "en": "run e4-playbook export again, or delete the file",
        "da": "kør e4-playbook export igen, eller slet filen"},
    "error.tenant.export-other-tenant": {
        "en": "the export was read from another tenant than tenant.yaml names",
        "da": "eksporten er læst fra en anden lejer end den, tenant.yaml angiver"},
    "error.tenant.export-other-tenant.fix": {
        "en": "export this tenant ({tenant_id}) again, or correct tenant_id in tenant.yaml",
        "da": "eksportér denne lejer ({tenant_id}) igen, eller ret tenant_id i tenant.yaml"},
    "error.tenant.folder-not-found": {
        "en": "tenant folder not found",
        "da": "lejerens mappe blev ikke fundet"},
    "error.tenant.folder-not-found.fix": {
        "en": "pass a folder holding tenant.yaml and users.*",
        "da": "angiv en mappe med tenant.yaml og users.*"},
    "error.tenant.no-users-export": {
        "en": "no users.* export in the tenant folder",
        "da": "ingen users.*-eksport i lejerens mappe"},
    "error.tenant.no-users-export.fix": {
        "en": "export users from the admin center (Users > Active users > Export users) or run "
              "scripts/Export-TenantLicenses.ps1",
        "da": "eksportér brugerne fra Administration (Brugere > Aktive brugere > Eksportér "
              "brugere), eller kør scripts/Export-TenantLicenses.ps1"},
    "error.tenant.unknown-target": {
        "en": "target is not a known plan",
        "da": "target er ikke en kendt plan"},
    "error.tenant.unknown-target.fix": {
        "en": "use one of {targets}",
        "da": "brug en af {targets}"},
    "error.tenant.reference-where": {
        "en": "point sku_reference at Microsoft's product reference CSV",
        "da": "lad sku_reference pege på Microsofts produktreference-CSV"},
    # -- playbook/tenant_file.py: saving the widgets' choices ----------------------------------
    "error.save.key-not-savable": {
        "en": "cannot save key '{key}' from a widget",
        "da": "nøglen '{key}' kan ikke gemmes fra et kontrolelement"},
    "error.save.key-not-savable.fix": {
        "en": "save only {keys}",
        "da": "gem kun {keys}"},
    "error.save.yaml-not-found": {
        "en": "tenant.yaml not found",
        "da": "tenant.yaml blev ikke fundet"},
    "error.save.yaml-not-found.fix": {
        "en": "open the tenant folder that holds tenant.yaml",
        "da": "åbn den lejermappe, der indeholder tenant.yaml"},
    "error.save.yaml-invalid": {
        "en": "tenant.yaml is not valid YAML",
        "da": "tenant.yaml er ikke gyldig YAML"},
    "error.save.yaml-invalid.fix": {
        "en": "fix the file by hand first ({problem})",
        "da": "ret filen manuelt først ({problem})"},
    # -- playbook/catalog.py: Microsoft's product reference table ------------------------------
    "error.reference.not-found": {
        "en": "Microsoft's product reference CSV was not found",
        "da": "Microsofts produktreference-CSV blev ikke fundet"},
    "error.reference.not-found.fix": {
        "en": "download 'Product names and service plan identifiers for licensing' from "
              "Microsoft Learn and point sku_reference at it",
        "da": "hent 'Product names and service plan identifiers for licensing' fra Microsoft "
              "Learn, og lad sku_reference pege på den"},
    "error.reference.not-csv": {
        "en": "not CSV ({problem})",
        "da": "ikke CSV ({problem})"},
    "error.reference.field-count": {
        "en": "expected {expected} fields, got {got}",
        "da": "forventede {expected} felter, fik {got}"},
    "error.reference.download-again": {
        "en": "re-download the CSV from Microsoft",
        "da": "hent CSV-filen fra Microsoft igen"},
    "error.reference.not-reference": {
        "en": "not Microsoft's product reference CSV (no {name} column)",
        "da": "ikke Microsofts produktreference-CSV (ingen kolonne {name})"},
    "error.reference.not-reference.fix": {
        "en": "expected header {header}",
        "da": "forventet overskriftslinje {header}"},
    # -- playbook/plan/store.py: plan.json and plan.csv ----------------------------------------
    "error.plan-file.write-again": {
        "en": "write the plan again with e4-playbook plan",
        "da": "skriv planen igen med e4-playbook plan"},
    "error.plan-file.csv-not-found": {
        "en": "plan CSV not found",
        "da": "plan-CSV'en blev ikke fundet"},
    "error.plan-file.csv-where": {
        "en": "pass plan.csv or rollback.csv",
        "da": "angiv plan.csv eller rollback.csv"},
    "error.plan-file.csv-empty": {
        "en": "the plan CSV is empty (not even its header line)",
        "da": "plan-CSV'en er tom (den har ikke engang en overskriftslinje)"},
    "error.plan-file.csv-unreadable": {
        "en": "not a readable plan CSV ({problem})",
        "da": "ikke en læsbar plan-CSV ({problem})"},
    "error.plan-file.not-plan-csv": {
        "en": "not a plan CSV",
        "da": "ikke en plan-CSV"},
    "error.plan-file.not-plan-csv.fix": {
        "en": "pass the plan.csv written by e4-playbook plan",
        "da": "angiv den plan.csv, som e4-playbook plan skrev"},
    "error.plan-file.not-whole-number": {
        "en": "not a whole number",
        "da": "ikke et helt tal"},
    "error.plan-file.not-plan-json": {
        "en": "not a plan written by e4-playbook ({problem})",
        "da": "ikke en plan skrevet af e4-playbook ({problem})"},
    "error.plan-file.json-not-found": {
        "en": "plan.json not found",
        "da": "plan.json blev ikke fundet"},
    "error.plan-file.json-where": {
        "en": "pass the plan/ folder written by e4-playbook plan",
        "da": "angiv den mappe plan/, som e4-playbook plan skrev"},
    "error.plan-file.not-json": {
        "en": "not valid JSON ({problem})",
        "da": "ikke gyldig JSON ({problem})"},
    "error.plan-file.not-a-plan": {
        "en": "not a plan",
        "da": "ikke en plan"},
    "error.plan-file.old-layout": {
        "en": "written by an older e4-playbook (its actions are inside plan.json)",
        "da": "skrevet af en ældre e4-playbook (dens handlinger ligger i plan.json)"},
    "error.plan-file.old-layout.fix": {
        "en": "run e4-playbook plan again",
        "da": "kør e4-playbook plan igen"},
    "error.plan-file.no-actions-file": {
        "en": "names no actions file",
        "da": "angiver ingen fil med handlinger"},
    "error.plan-file.actions-file-missing": {
        "en": "not found: plan.json keeps its actions there",
        "da": "blev ikke fundet: plan.json har sine handlinger der"},
    "error.plan-file.actions-file-missing.fix": {
        "en": "copy the whole plan/ folder, or write the plan again with e4-playbook plan",
        "da": "kopiér hele mappen plan/, eller skriv planen igen med e4-playbook plan"},
    "error.plan-file.action-count-not-number": {
        "en": "action_count is not a whole number",
        "da": "action_count er ikke et helt tal"},
    "error.plan-file.no-plan-id": {
        "en": "has no plan_id, so plan.csv cannot be checked against it",
        "da": "har intet plan_id, så plan.csv kan ikke kontrolleres mod den"},
    "error.plan-file.action-count-differs": {
        "en": "{n} {n|action|actions}, but plan.json says {count}",
        "da": "{n} {n|handling|handlinger}, men plan.json siger {count}"},
    "error.plan-file.changed": {
        "en": "changed after the plan was written (its plan id differs from plan.json's)",
        "da": "ændret, efter planen blev skrevet (dens plan-id afviger fra det i plan.json)"},
    "error.plan-file.changed.fix": {
        "en": "write the plan again with e4-playbook plan; to move fewer users use "
              "exclude_users, only_users or max_users in tenant.yaml",
        "da": "skriv planen igen med e4-playbook plan; brug exclude_users, only_users eller "
              "max_users i tenant.yaml for at flytte færre brugere"},
    # -- playbook/plan/rules.py: what the plan moves from and to -------------------------------
    "error.plan.target-is-source": {
        "en": "target is the plan being retired",
        "da": "target er den plan, der udfases"},
    "error.plan.target-is-source.fix": {
        "en": "choose one of the E3/E5 plans",
        "da": "vælg en af E3/E5-planerne"},
    "error.plan.no-sku-id": {
        "en": "the catalog has no skuId for the {key} plan",
        "da": "kataloget har intet skuId for {key}-planen"},
    "error.plan.no-sku-id.fix": {
        "en": "add the subscriptions export or sku_reference",
        "da": "tilføj abonnementseksporten eller sku_reference"},
    "error.plan.holder-without-upn": {
        "en": "a user holding E4 has no userPrincipalName",
        "da": "en bruger med E4 har intet userPrincipalName"},
    "error.plan.holder-without-upn.fix": {
        "en": "export users again with the UPN column",
        "da": "eksportér brugerne igen med kolonnen UPN"},
    # -- playbook/plan/holders.py --------------------------------------------------------------
    "error.plan.not-a-license-table": {
        "en": "not a license table",
        "da": "ikke en licenstabel"},
    "error.plan.not-a-license-table.fix": {
        "en": "read the export with playbook.exports.read_users",
        "da": "læs eksporten med playbook.exports.read_users"},
    # -- playbook/plan/batching.py -------------------------------------------------------------
    "error.plan.batch-size-range": {
        "en": "batch_size must be 1..{limit}",
        "da": "batch_size skal være 1..{limit}"},
    # -- playbook/counting.py ------------------------------------------------------------------
    "error.count.unknown-plan": {
        "en": "{key} is not a known plan",
        "da": "{key} er ikke en kendt plan"},
    "error.count.unknown-plan.fix": {
        "en": "use a skuPartNumber such as ENTERPRISEPREMIUM, or add the plan's subscription "
              "export / sku_reference so the catalog knows it",
        "da": "brug et skuPartNumber som ENTERPRISEPREMIUM, eller tilføj planens "
              "abonnementseksport / sku_reference, så kataloget kender den"},
    # -- playbook/eligibility/dates.py ---------------------------------------------------------
    "error.date.not-a-date": {
        "en": "not a date",
        "da": "ikke en dato"},
    "error.date.not-a-date.fix": {
        "en": "use YYYY-MM-DD, e.g. 2026-12-01",
        "da": "brug formatet ÅÅÅÅ-MM-DD, f.eks. 2026-12-01"},
    # -- playbook/artifacts/folder.py ----------------------------------------------------------
    "error.artifacts.plan-refused": {
        "en": "plan refused: {shortfall} {target} {shortfall|license|licenses} missing ({seats})",
        "da": "planen er afvist: {shortfall} {shortfall|licens|licenser} til {target} mangler "
              "({seats})"},
    "error.artifacts.plan-refused.fix": {
        "en": "buy the missing licenses, or limit the plan with max_users, only_departments or "
              "only_users",
        "da": "køb de manglende licenser, eller begræns planen med max_users, only_departments "
              "eller only_users"},
}
