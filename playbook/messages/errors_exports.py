"""Bad input while reading the exports (layout, CSV and JSON, users, subscriptions, groups).

One part of the catalog :data:`playbook.messages.MESSAGES` joins (keys ``error.*``; see
:mod:`playbook.messages` for placeholders and plurals). The English texts are the ones the
code raised before they moved here, word for word, so English lines did not change.

Keys are grouped by the module that raises them; texts more than one module uses come first.
File names, column names, Graph paths, PowerShell commands and part numbers stay as they are
in Danish. Braces a command needs are doubled (``{{``), since every text is a template.
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- shared by several readers ---------------------------------------------------------------
    # a count as the line's language groups it: 262,144 / 262.144 (playbook.input_files.grouped)
    "error.exports.thousands": {"en": "{head},{tail}", "da": "{head}.{tail}"},
    "error.exports.of-user": {"en": "user {upn}: {problem}", "da": "bruger {upn}: {problem}"},
    "error.exports.empty-file": {"en": "the file is empty", "da": "filen er tom"},
    "error.exports.empty-file.fix": {"en": "export again; the export wrote no data",
                                     "da": "eksportér igen; eksporten skrev ingen data"},
    "error.exports.no-rows.fix": {"en": "export again; the export holds no rows",
                                  "da": "eksportér igen; eksporten indeholder ingen rækker"},
    "error.exports.export-again-unedited": {"en": "export again without editing",
                                            "da": "eksportér igen uden at redigere filen"},
    "error.exports.check-the-path": {"en": "check the path", "da": "kontrollér stien"},
    # the other export was put in this one's place: its name, then how to get the right one
    "error.exports.rename.fix": {"en": "name it {name} and {how}",
                                 "da": "kald den {name}, og {how}"},
    "error.exports.not-text": {"en": "{key} is not text", "da": "{key} er ikke tekst"},
    "error.exports.not-a-license-list": {"en": "not a license list",
                                         "da": "ikke en liste over licenser"},
    "error.exports.how-to-export-users": {
        "en": "export from the Microsoft 365 admin center (Users > Active users > Export users) "
              "or run scripts/Export-TenantLicenses.ps1",
        "da": "eksportér fra Microsoft 365 Administration (Brugere > Aktive brugere > Eksportér "
              "brugere), eller kør scripts/Export-TenantLicenses.ps1"},
    "error.exports.how-to-export-graph-users": {
        "en": "save GET /users?$select=id,userPrincipalName,displayName,department,"
              "usageLocation,accountEnabled,assignedLicenses,licenseAssignmentStates, or run "
              "scripts/Export-TenantLicenses.ps1",
        "da": "gem GET /users?$select=id,userPrincipalName,displayName,department,"
              "usageLocation,accountEnabled,assignedLicenses,licenseAssignmentStates, eller kør "
              "scripts/Export-TenantLicenses.ps1"},
    "error.exports.how-to-export-subscriptions": {
        "en": "run scripts/Export-TenantLicenses.ps1 (Get-MgSubscribedSku) or save GET "
              "/subscribedSkus as JSON",
        "da": "kør scripts/Export-TenantLicenses.ps1 (Get-MgSubscribedSku), eller gem GET "
              "/subscribedSkus som JSON"},
    "error.exports.depth.fix": {
        "en": "the JSON holds .NET type names instead of objects: ConvertTo-Json cut it off; use "
              "ConvertTo-Json -Depth 10, or run scripts/Export-TenantLicenses.ps1",
        "da": "JSON-filen indeholder .NET-typenavne i stedet for objekter: ConvertTo-Json har "
              "skåret den af; brug ConvertTo-Json -Depth 10, eller kør "
              "scripts/Export-TenantLicenses.ps1"},
    # -- playbook.input_files --------------------------------------------------------------------
    "error.input-file.point-at-export": {"en": "point at the exported file",
                                         "da": "angiv den eksporterede fil"},
    "error.input-file.not-found": {"en": "file not found", "da": "filen blev ikke fundet"},
    "error.input-file.not-found.fix": {"en": "check the path; {how}",
                                       "da": "kontrollér stien; {how}"},
    "error.input-file.unreadable": {"en": "cannot be read ({reason})",
                                    "da": "kan ikke læses ({reason})"},
    "error.input-file.folder": {"en": "is a folder, not a file", "da": "er en mappe, ikke en fil"},
    "error.input-file.not-regular": {"en": "is {kind}, not a regular file; nothing was read",
                                     "da": "er {kind}, ikke en almindelig fil; intet blev læst"},
    "error.input-file.kind.pipe": {"en": "a named pipe", "da": "en navngivet pipe"},
    "error.input-file.kind.device": {"en": "a device", "da": "en enhed"},
    "error.input-file.kind.special": {"en": "a special file", "da": "en specialfil"},
    "error.input-file.too-big": {
        "en": "is {size} bytes, more than the {max_bytes} this file may hold",
        "da": "fylder {size} byte, mere end de {max_bytes}, denne fil må fylde"},
    "error.input-file.grew": {
        "en": "holds more than the {max_bytes} bytes this file may hold",
        "da": "fylder mere end de {max_bytes} byte, denne fil må fylde"},
    # -- playbook.exports.detect -----------------------------------------------------------------
    "error.users-export.folder-without-pages": {"en": "a folder without .json page files",
                                                "da": "en mappe uden .json-sidefiler"},
    "error.users-export.folder-without-pages.fix": {
        "en": "put the Graph /users JSON pages in it, or point at one file",
        "da": "læg JSON-siderne fra Graph /users i den, eller angiv én fil"},
    "error.users-export.is-subscriptions-json": {
        "en": "this is a subscriptions export (subscribedSkus), not users",
        "da": "dette er en eksport af abonnementer (subscribedSkus), ikke af brugere"},
    "error.users-export.json-without-upn": {
        "en": "a JSON file that is not a Graph users export (no userPrincipalName)",
        "da": "en JSON-fil, der ikke er en eksport af brugere fra Graph (ingen "
              "userPrincipalName)"},
    "error.users-export.is-subscriptions-csv": {
        "en": "this is a subscriptions export, not users",
        "da": "dette er en eksport af abonnementer, ikke af brugere"},
    "error.users-export.is-usage-report": {
        "en": "this is the Microsoft 365 usage report (active user detail), which lacks usage "
              "location and sign-in state",
        "da": "dette er Microsoft 365-forbrugsrapporten (oplysninger om aktive brugere), som "
              "mangler placering for anvendelse og logonstatus"},
    "error.users-export.is-entra-download": {
        "en": "this is the Entra admin center 'Download users' file, which has no license "
              "column",
        "da": "dette er filen 'Download users' fra Microsoft Entra Administration, som ingen "
              "licenskolonne har"},
    "error.users-export.no-license-column": {
        "en": "a users file without a license column (Licenses, SkuIds or SkuPartNumbers)",
        "da": "en brugerfil uden licenskolonne (Licenses, SkuIds eller SkuPartNumbers)"},
    "error.users-export.unknown-layout": {
        "en": "not a users export this playbook knows (columns: {columns})",
        "da": "ikke en eksport af brugere, som denne playbook kender (kolonner: {columns})"},
    "error.users-export.no-upn-column": {
        "en": "required column '{name}' is missing",
        "da": "den påkrævede kolonne '{name}' mangler"},
    "error.users-export.no-upn-column.fix": {
        "en": "export again without removing columns, or add the column back",
        "da": "eksportér igen uden at fjerne kolonner, eller tilføj kolonnen igen"},
    "error.users-export.other-language": {
        "en": "this export is in another UI language (columns: {columns}, ...)",
        "da": "denne eksport er på et andet visningssprog (kolonner: {columns}, ...)"},
    "error.users-export.other-language.fix": {
        "en": "switch the admin center to English (your account's display language) and "
              "export again, or use the Graph export (scripts/Export-TenantLicenses.ps1)",
        "da": "skift Administration til engelsk (din kontos visningssprog), og eksportér igen, "
              "eller brug eksporten fra Graph (scripts/Export-TenantLicenses.ps1)"},
    "error.subscriptions-export.folder": {
        "en": "expected a subscriptions file, found a folder",
        "da": "forventede en fil med abonnementer, men fandt en mappe"},
    "error.subscriptions-export.is-users": {
        "en": "this is a users export, not subscriptions",
        "da": "dette er en eksport af brugere, ikke af abonnementer"},
    "error.subscriptions-export.is-users-per-licence": {
        "en": "this is a users export (one row per user and licence), not subscriptions",
        "da": "dette er en eksport af brugere (én række pr. bruger og licens), ikke af "
              "abonnementer"},
    "error.subscriptions-export.json-without-sku": {
        "en": "a JSON file that is not a subscribedSkus export (no skuPartNumber)",
        "da": "en JSON-fil, der ikke er en eksport af subscribedSkus (ingen skuPartNumber)"},
    "error.subscriptions-export.unknown-layout": {
        "en": "not a subscriptions export this playbook knows (columns: {columns})",
        "da": "ikke en eksport af abonnementer, som denne playbook kender (kolonner: "
              "{columns})"},
    # -- playbook.exports.csvio ------------------------------------------------------------------
    "error.csv.only-type-line": {"en": "the file holds only a #TYPE line and no header",
                                 "da": "filen indeholder kun en #TYPE-linje og ingen "
                                       "overskriftslinje"},
    "error.csv.header-not-csv": {"en": "the header line is not CSV ({reason})",
                                 "da": "overskriftslinjen er ikke CSV ({reason})"},
    "error.csv.header-not-csv.fix": {"en": "export again; the file is damaged",
                                     "da": "eksportér igen; filen er beskadiget"},
    "error.csv.column-twice": {"en": "the column appears twice",
                               "da": "kolonnen findes to gange"},
    "error.csv.columns-mean-the-same": {"en": "columns '{first}' and '{second}' mean the same",
                                        "da": "kolonnerne '{first}' og '{second}' betyder det "
                                              "samme"},
    "error.csv.delete-one-column": {
        "en": "delete one of the two columns (keep the one the export wrote), or export again",
        "da": "slet en af de to kolonner (behold den, eksporten skrev), eller eksportér igen"},
    "error.csv.malformed": {"en": "not a well-formed CSV ({reason})",
                            "da": "ikke en gyldig CSV-fil ({reason})"},
    "error.csv.malformed.fix": {
        "en": "export again without editing, or save from Excel as CSV",
        "da": "eksportér igen uden at redigere filen, eller gem den fra Excel som CSV"},
    "error.csv.column-not-read": {"en": "a column of the header was not read",
                                  "da": "en kolonne fra overskriftslinjen blev ikke læst"},
    "error.csv.column-not-read.fix": {"en": "save the file again as 'CSV UTF-8' and retry",
                                      "da": "gem filen igen som 'CSV UTF-8', og prøv igen"},
    "error.csv.not-true-false": {"en": "not a true/false value",
                                 "da": "ikke en sand/falsk-værdi"},
    "error.csv.not-true-false.fix": {
        "en": "use True or False (Excel's localized SAND/FALSK, WAHR/FALSCH, VERDADEIRO/FALSO "
              "are accepted too); {hint}",
        "da": "brug True eller False (Excels oversatte SAND/FALSK, WAHR/FALSCH, "
              "VERDADEIRO/FALSO accepteres også); {hint}"},
    "error.csv.shifted-hint": {
        "en": "if the row's other cells look shifted, a value with an unquoted delimiter moved "
              "its columns: export again",
        "da": "hvis rækkens andre celler ser forskudte ud, har en værdi med et skilletegn uden "
              "anførselstegn flyttet dens kolonner: eksportér igen"},
    # -- playbook.exports.records ----------------------------------------------------------------
    "error.csv.nul-byte": {"en": "the file holds a NUL byte, which no text export has",
                           "da": "filen indeholder en NUL-byte, hvilket ingen teksteksport har"},
    "error.csv.encoding.fix": {
        "en": "save the file again as 'CSV UTF-8' (Excel) or export it again without editing it "
              "in another program",
        "da": "gem filen igen som 'CSV UTF-8' (Excel), eller eksportér den igen uden at "
              "redigere den i et andet program"},
    "error.csv.mixed-encodings": {
        "en": "byte 0x{byte} is not {encoding}: the file mixes encodings",
        "da": "byte 0x{byte} er ikke {encoding}: filen blander tegnsæt"},
    "error.csv.mixed-encodings-ansi": {
        "en": "byte 0x{byte} is not UTF-8 nor Windows-1252: the file mixes encodings",
        "da": "byte 0x{byte} er hverken UTF-8 eller Windows-1252: filen blander tegnsæt"},
    "error.csv.ends-in-quoted-cell": {
        "en": "the file ends inside a quoted cell: it was cut off",
        "da": "filen slutter inde i en celle i anførselstegn: den er blevet afkortet"},
    "error.csv.copy-whole-file": {"en": "export again and copy the whole file",
                                  "da": "eksportér igen, og kopiér hele filen"},
    "error.csv.row-too-short": {
        "en": "the row has {n} {n|field|fields} but the header has {expected}",
        "da": "rækken har {n} {n|felt|felter}, men overskriftslinjen har {expected}"},
    "error.csv.row-too-short-at-end": {
        "en": "the row has {n} {n|field|fields} but the header has {expected}: the file looks "
              "cut off",
        "da": "rækken har {n} {n|felt|felter}, men overskriftslinjen har {expected}: filen ser "
              "afkortet ud"},
    "error.csv.row-too-short.fix": {
        "en": "a value with an unquoted line break or a deleted cell: export again",
        "da": "en værdi med et linjeskift uden anførselstegn eller en slettet celle: eksportér "
              "igen"},
    "error.csv.row-too-long": {"en": "the row has {n} fields but the header has {expected}",
                               "da": "rækken har {n} felter, men overskriftslinjen har "
                                     "{expected}"},
    "error.csv.row-too-long.fix": {
        "en": "a value holds an unquoted delimiter, which moved its columns: export again, or "
              "quote that value",
        "da": "en værdi indeholder et skilletegn uden anførselstegn, som har flyttet dens "
              "kolonner: eksportér igen, eller sæt værdien i anførselstegn"},
    # -- playbook.exports.graph_json -------------------------------------------------------------
    "error.graph-json.invalid": {"en": "not valid JSON ({reason})",
                                 "da": "ikke gyldig JSON ({reason})"},
    "error.graph-json.invalid.fix": {"en": "export again; the file may be cut off",
                                     "da": "eksportér igen; filen kan være afkortet"},
    "error.graph-json.too-deep": {"en": "JSON nested too deeply to be an export",
                                  "da": "JSON-filen er indlejret for dybt til at være en eksport"},
    "error.graph-json.no-value-array": {
        "en": "not a Graph export: expected a 'value' array of objects with '{marker}'",
        "da": "ikke en eksport fra Graph: forventede en 'value'-matrix af objekter med "
              "'{marker}'"},
    "error.graph-json.save-subscribed-skus": {"en": "save GET /subscribedSkus as JSON",
                                              "da": "gem GET /subscribedSkus som JSON"},
    "error.graph-json.license-without-sku": {"en": "a license without skuId",
                                             "da": "en licens uden skuId"},
    "error.graph-json.disabled-plans-not-list": {
        "en": "disabledPlans is not a list of service plan ids",
        "da": "disabledPlans er ikke en liste over id'er for tjenesteplaner"},
    "error.graph-json.licenses-not-list": {"en": "licenses are not a list",
                                           "da": "licenserne er ikke en liste"},
    "error.graph-json.license-not-object": {"en": "a license entry is not an object",
                                            "da": "en licenspost er ikke et objekt"},
    "error.graph-json.state-not-object": {"en": "a license state is not an object",
                                          "da": "en licensstatus er ikke et objekt"},
    "error.graph-json.unknown-state": {"en": "not a license assignment state",
                                       "da": "ikke en status for licenstildeling"},
    "error.graph-json.unknown-state.fix": {
        "en": "Graph's states are {states}; export again without editing",
        "da": "Graphs statusser er {states}; eksportér igen uden at redigere filen"},
    "error.graph-json.no-users": {"en": "the export holds no users",
                                  "da": "eksporten indeholder ingen brugere"},
    "error.graph-json.no-users.fix": {"en": "export again; {how}",
                                      "da": "eksportér igen; {how}"},
    "error.graph-json.no-assigned-licenses": {
        "en": "no user has assignedLicenses: Graph returns licenses only when selected",
        "da": "ingen bruger har assignedLicenses: Graph returnerer kun licenser, når de er "
              "valgt"},
    "error.graph-json.no-upn": {"en": "a user without userPrincipalName",
                                "da": "en bruger uden userPrincipalName"},
    "error.graph-json.not-true-false": {"en": "{key} is not true or false",
                                        "da": "{key} er hverken true eller false"},
    "error.graph-json.user-twice": {
        "en": "user {upn} appears twice with different data (value[{first}] and "
              "value[{second}])",
        "da": "brugeren {upn} findes to gange med forskellige data (value[{first}] og "
              "value[{second}])"},
    "error.graph-json.user-twice.fix": {"en": "export again in one go (paging restarted?)",
                                        "da": "eksportér igen i én omgang (begyndte "
                                              "sideinddelingen forfra?)"},
    # -- playbook.exports.groups -----------------------------------------------------------------
    "error.groups-json.no-value-list": {"en": "not a Graph groups response (no value list)",
                                        "da": "ikke et svar med grupper fra Graph (ingen "
                                              "value-liste)"},
    "error.groups-json.fix": {
        "en": "export again with e4-playbook export, or delete groups.json (groups are then "
              "shown by id)",
        "da": "eksportér igen med e4-playbook export, eller slet groups.json (grupperne vises så "
              "med deres id)"},
    "error.groups-json.no-id": {"en": "a group without an id", "da": "en gruppe uden id"},
    "error.groups-json.name-not-text": {"en": "a group name that is not text",
                                        "da": "et gruppenavn, der ikke er tekst"},
    # -- playbook.exports.subscriptions ----------------------------------------------------------
    "error.subscriptions-export.license-details": {
        "en": "not subscriptions: a licenseDetails response (servicePlans without seat counts)",
        "da": "ikke abonnementer: et licenseDetails-svar (servicePlans uden antal licenser)"},
    "error.subscriptions-export.no-units": {
        "en": "not subscriptions: a SKU without prepaidUnits or consumedUnits",
        "da": "ikke abonnementer: en SKU uden prepaidUnits eller consumedUnits"},
    "error.subscriptions-export.license-details.fix": {
        "en": "that is one user's GET /users/{{id}}/licenseDetails; the tenant's subscriptions "
              "and seats come from GET /subscribedSkus (or scripts/Export-TenantLicenses.ps1)",
        "da": "det er én brugers GET /users/{{id}}/licenseDetails; lejerens abonnementer og "
              "licenser kommer fra GET /subscribedSkus (eller scripts/Export-TenantLicenses.ps1)"},
    "error.subscriptions-export.units-not-objects": {
        "en": "prepaidUnits/servicePlans are not objects",
        "da": "prepaidUnits/servicePlans er ikke objekter"},
    "error.subscriptions-export.none": {"en": "the export holds no subscriptions",
                                        "da": "eksporten indeholder ingen abonnementer"},
    "error.subscriptions-export.none.fix": {"en": "export again: GET /subscribedSkus",
                                            "da": "eksportér igen: GET /subscribedSkus"},
    "error.subscriptions-export.header-only": {
        "en": "the file has a header but no subscriptions",
        "da": "filen har en overskriftslinje, men ingen abonnementer"},
    "error.subscriptions-export.not-whole-number": {"en": "not a whole number",
                                                    "da": "ikke et helt tal"},
    "error.subscriptions-export.no-sku": {
        "en": "a subscription without SkuId or SkuPartNumber",
        "da": "et abonnement uden SkuId eller SkuPartNumber"},
    "error.subscriptions-export.type-name": {
        "en": "the cell holds a PowerShell type name, not values",
        "da": "cellen indeholder et PowerShell-typenavn, ikke værdier"},
    "error.subscriptions-export.type-name.fix": {
        "en": "export again flattened: {command}",
        "da": "eksportér igen med værdierne foldet ud: {command}"},
    "error.subscriptions-export.no-seat-column": {
        "en": "no column with the purchased seats (PrepaidUnits.Enabled, ActiveUnits, Total or "
              "PurchasedUnits)",
        "da": "ingen kolonne med de købte licenser (PrepaidUnits.Enabled, ActiveUnits, Total "
              "eller PurchasedUnits)"},
    "error.subscriptions-export.no-seat-column.fix": {
        "en": "export a file with the purchased seats (PrepaidUnits.Enabled, or ActiveUnits "
              "from Get-MsolAccountSku): {command}",
        "da": "eksportér en fil med de købte licenser (PrepaidUnits.Enabled, eller ActiveUnits "
              "fra Get-MsolAccountSku): {command}"},
    "error.subscriptions-export.flatten-command": {
        "en": "Get-MgSubscribedSku | Select-Object SkuId,SkuPartNumber,ConsumedUnits,"
              "@{{n='PrepaidUnitsEnabled';e={{$_.PrepaidUnits.Enabled}}}},"
              "@{{n='PrepaidUnitsWarning';e={{$_.PrepaidUnits.Warning}}}},"
              "@{{n='PrepaidUnitsSuspended';e={{$_.PrepaidUnits.Suspended}}}} | Export-Csv, or "
              "run scripts/Export-TenantLicenses.ps1",
        "da": "Get-MgSubscribedSku | Select-Object SkuId,SkuPartNumber,ConsumedUnits,"
              "@{{n='PrepaidUnitsEnabled';e={{$_.PrepaidUnits.Enabled}}}},"
              "@{{n='PrepaidUnitsWarning';e={{$_.PrepaidUnits.Warning}}}},"
              "@{{n='PrepaidUnitsSuspended';e={{$_.PrepaidUnits.Suspended}}}} | Export-Csv, "
              "eller kør scripts/Export-TenantLicenses.ps1"},
    "error.subscriptions-export.listed-twice-lines": {
        "en": "SKU {sku} is listed twice (lines {first} and {second})",
        "da": "SKU'en {sku} står to gange i filen (linje {first} og {second})"},
    "error.subscriptions-export.listed-twice-values": {
        "en": "SKU {sku} is listed twice (value[{first}] and value[{second}])",
        "da": "SKU'en {sku} står to gange i filen (value[{first}] og value[{second}])"},
    "error.subscriptions-export.listed-twice.fix": {
        "en": "export again; each SKU must appear once",
        "da": "eksportér igen; hver SKU må kun stå én gang"},
    # -- playbook.exports.subscription_checks ----------------------------------------------------
    "error.subscriptions-export.not-a-seat-count": {
        "en": "not a seat count (a whole number from 0 to {max})",
        "da": "ikke et antal licenser (et helt tal fra 0 til {max})"},
    "error.subscriptions-export.id-part-mismatch": {
        "en": "skuId {sku_id} is {known} in {where}, not {part}: the id and the part number "
              "name different products",
        "da": "skuId {sku_id} er {known} i {where}, ikke {part}: id'et og varenummeret angiver "
              "forskellige produkter"},
    "error.subscriptions-export.id-part-mismatch.fix": {
        "en": "export again without editing; an edited or spliced export would put one "
              "product's seats on another",
        "da": "eksportér igen uden at redigere filen; en redigeret eller sammenstykket eksport "
              "ville give ét produkts licenser til et andet"},
    "error.subscriptions-export.where.reference": {"en": "Microsoft's product table",
                                                   "da": "Microsofts produkttabel"},
    "error.subscriptions-export.where.built-in": {"en": "the built-in catalog",
                                                  "da": "det indbyggede katalog"},
    "error.subscriptions-export.where.catalog": {"en": "the catalog", "da": "kataloget"},
    # -- playbook.exports.userframe --------------------------------------------------------------
    "error.users-export.header-only": {"en": "the file has a header but no users",
                                       "da": "filen har en overskriftslinje, men ingen brugere"},
    "error.users-export.user-twice": {
        "en": "user {upn} appears on lines {first} and {second} with different data",
        "da": "brugeren {upn} står på linje {first} og {second} med forskellige data"},
    "error.users-export.user-twice.fix": {
        "en": "keep the correct row and delete the other, or export again",
        "da": "behold den rigtige række, og slet den anden, eller eksportér igen"},
    "error.users-export.all-soft-deleted": {
        "en": "every user in the export is soft-deleted (Soft deletion time stamp is set on "
              "every row)",
        "da": "alle brugere i eksporten er midlertidigt slettet (Soft deletion time stamp er "
              "udfyldt på hver række)"},
    "error.users-export.all-soft-deleted.fix": {
        "en": "export Users > Active users, not Deleted users",
        "da": "eksportér Brugere > Aktive brugere, ikke Slettede brugere"},
    # -- playbook.exports.user_checks ------------------------------------------------------------
    # each fix ends with {hint}: the reader's own advice (how to export that layout again)
    "error.users-export.nul-byte": {"en": "holds a NUL byte (the file is damaged or not text)",
                                    "da": "indeholder en NUL-byte (filen er beskadiget eller "
                                          "ikke tekst)"},
    "error.users-export.export-again": {"en": "export again; {hint}",
                                        "da": "eksportér igen; {hint}"},
    "error.users-export.no-upn": {"en": "a user without a user principal name",
                                  "da": "en bruger uden brugerhovednavn"},
    "error.users-export.no-upn.fix": {
        "en": "fill in the UPN or delete the user, then export again; {hint}",
        "da": "udfyld UPN'en, eller slet brugeren, og eksportér derefter igen; {hint}"},
    "error.users-export.upn-without-at": {"en": "not a user principal name (no @)",
                                          "da": "ikke et brugerhovednavn (intet @)"},
    "error.users-export.upn-control-character": {
        "en": "the user principal name holds a control character",
        "da": "brugerhovednavnet indeholder et kontroltegn"},
    "error.users-export.bad-usage-location": {
        "en": "usage location is not a two-letter country code",
        "da": "placering for anvendelse er ikke en landekode på to bogstaver"},
    "error.users-export.bad-usage-location.fix": {
        "en": "use an ISO 3166 code such as DK or US; {hint}",
        "da": "brug en ISO 3166-kode som DK eller US; {hint}"},
    # -- playbook.exports.license_status ---------------------------------------------------------
    "error.users-export.not-a-licence": {"en": "not a licence", "da": "ikke en licens"},
    "error.users-export.not-a-licence.fix": {
        "en": "AccountSkuId was exported as a .NET type name: export again with "
              "$_.Licenses.AccountSkuId expanded one per row (the script's own loop), or use "
              "scripts/Export-TenantLicenses.ps1",
        "da": "AccountSkuId blev eksporteret som et .NET-typenavn: eksportér igen med "
              "$_.Licenses.AccountSkuId udfoldet med én pr. række (scriptets egen løkke), eller "
              "brug scripts/Export-TenantLicenses.ps1"},
    "error.users-export.user-data-differs": {
        "en": "user {upn} has different user data on lines {first} and {second}",
        "da": "brugeren {upn} har forskellige brugerdata på linje {first} og {second}"},
    # -- playbook.exports.msonline ---------------------------------------------------------------
    "error.users-export.msonline-type-name.fix": {
        "en": "Licenses was exported as a .NET type name: export again with "
              "@{{n='Licenses';e={{$_.Licenses.AccountSkuId -join ';'}}}} in Select-Object, or "
              "use scripts/Export-TenantLicenses.ps1",
        "da": "Licenses blev eksporteret som et .NET-typenavn: eksportér igen med "
              "@{{n='Licenses';e={{$_.Licenses.AccountSkuId -join ';'}}}} i Select-Object, eller "
              "brug scripts/Export-TenantLicenses.ps1"},
    # -- playbook.exports.graph_powershell -------------------------------------------------------
    "error.users-export.graph-powershell-type-name.fix": {
        "en": "the cell holds a PowerShell type name, not licenses: flatten before Export-Csv, "
              "e.g. @{{n='SkuIds';e={{$_.AssignedLicenses.SkuId -join ';'}}}}, or run "
              "scripts/Export-TenantLicenses.ps1",
        "da": "cellen indeholder et PowerShell-typenavn, ikke licenser: fold dem ud før "
              "Export-Csv, f.eks. @{{n='SkuIds';e={{$_.AssignedLicenses.SkuId -join ';'}}}}, "
              "eller kør scripts/Export-TenantLicenses.ps1"},
    # -- playbook.exports.admin_center -----------------------------------------------------------
    "error.users-export.admin-center-type-name.fix": {
        "en": "the cell holds a PowerShell type name, not licenses: use the admin center's Users "
              "> Active users > Export users, or flatten licenses to text before Export-Csv, "
              "e.g. @{{n='Licenses';e={{$_.AssignedLicenses.SkuId -join '+'}}}}",
        "da": "cellen indeholder et PowerShell-typenavn, ikke licenser: brug Brugere > Aktive "
              "brugere > Eksportér brugere i Administration, eller gør licenserne til tekst før "
              "Export-Csv, f.eks. @{{n='Licenses';e={{$_.AssignedLicenses.SkuId -join '+'}}}}"},
}
