"""Finding texts and their remedies, keyed by finding code (``<CODE>``, ``<CODE>.remedy``,
``<CODE>.<variant>``): the eligibility verdict's words.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
    # -- before anything: E4 is running out -----------------------------------------------------
    "SOURCE_EXPIRED": {
        "en": "E4 has expired and is in its grace period (status {status}; {warning} "
              "{warning|license|licenses} in warning, {consumed} assigned): next the "
              "subscription is disabled and its users lose access.",
        "da": "E4 er udløbet og er i sin respitperiode (status {status}; {warning} "
              "{warning|licens|licenser} i advarsel, {consumed} tildelt): derefter deaktiveres "
              "abonnementet, og brugerne mister adgangen.",
    },
    "SOURCE_EXPIRED.remedy": {
        "en": "Do this first: move the users to the new plan before the end date shown in "
              "Billing > Your products (the manual path), or reactivate E4 there.",
        "da": "Gør dette først: flyt brugerne til den nye plan før slutdatoen under Fakturering "
              "> Dine produkter (den manuelle metode), eller genaktivér E4 dér.",
    },
    "NOTHING_TO_MOVE": {
        "en": "No user holds {source_name} ({source}) in this export: there is nothing to move.",
        "da": "Ingen bruger har {source_name} ({source}) i denne eksport: der er intet at flytte.",
    },
    "NOTHING_TO_MOVE.remedy": {
        "en": "Check that the users export is of the tenant that has E4 and was taken before the "
              "move; if E4 is still bought and nobody uses it, it can be cancelled in Billing > "
              "Your products.",
        "da": "Kontrollér, at brugereksporten er fra lejeren med E4 og er taget før flytningen; "
              "hvis E4 stadig er købt, og ingen bruger det, kan det opsiges under Fakturering > "
              "Dine produkter.",
    },
    # -- path: who can change the plan ------------------------------------------------------
    "PURCHASED_VIA_PARTNER": {
        "en": "E4 was bought through a partner (purchase_channel: {purchase_channel}); "
              "the Upgrade tab and Microsoft's E4 upgrade steps apply only to E4 bought "
              "directly by credit card or invoice.",
        "da": "E4 er købt via en partner (purchase_channel: {purchase_channel}); fanen "
              "Opgrader og Microsofts vejledning gælder kun E4 købt direkte med kreditkort "
              "eller faktura.",
    },
    "PURCHASED_VIA_PARTNER.detected": {
        "en": "{reseller_account_users} {reseller_account_users|user holds an E4 license|users "
              "hold E4 licenses} named 'reseller-account:', which "
              "marks licenses bought through a partner (CSP), although tenant.yaml says "
              "purchase_channel: {purchase_channel}.",
        "da": "{reseller_account_users} {reseller_account_users|bruger har en E4-licens|brugere "
              "har E4-licenser} navngivet 'reseller-account:', "
              "som betyder licenser købt via en partner (CSP), selv om tenant.yaml siger "
              "purchase_channel: {purchase_channel}.",
    },
    "PURCHASED_VIA_PARTNER.remedy": {
        "en": "Contact your partner to change the plan; correct purchase_channel in "
              "tenant.yaml if it is wrong.",
        "da": "Kontakt din partner for at skifte plan; ret purchase_channel i tenant.yaml, "
              "hvis den er forkert.",
    },
    "PURCHASED_VIA_VOLUME_LICENSING": {
        "en": "E4 was bought through Volume Licensing; the Upgrade tab and Microsoft's E4 "
              "upgrade steps do not apply.",
        "da": "E4 er købt via Volume Licensing; fanen Opgrader og Microsofts trin for "
              "opgradering fra E4 gælder ikke.",
    },
    "PURCHASED_VIA_VOLUME_LICENSING.remedy": {
        "en": "Contact your Microsoft account representative or licensing partner.",
        "da": "Kontakt din Microsoft-kunderepræsentant eller licenspartner.",
    },
    # -- blockers of the Upgrade tab ------------------------------------------------------------
    "MORE_USERS_THAN_LICENSES": {
        "en": "{assigned} {assigned|user holds|users hold} E4 but only {purchased} E4 "
              "{purchased|license is|licenses are} purchased "
              "({over} too many): the Upgrade tab stays empty until every user has a valid "
              "license.",
        "da": "{assigned} {assigned|bruger|brugere} har E4, men der er kun købt {purchased} "
              "E4-{purchased|licens|licenser} "
              "({over} for mange): fanen Opgrader er tom, indtil alle brugere har en gyldig "
              "licens.",
    },
    "MORE_USERS_THAN_LICENSES.count_violation": {
        "en": "{count_violations} E4 {count_violations|assignment|assignments} failed with "
              "CountViolation: more users than "
              "E4 licenses, so the Upgrade tab stays empty.",
        "da": "{count_violations} E4-{count_violations|tildeling|tildelinger} fejlede med "
              "CountViolation: flere brugere end "
              "E4-licenser, så fanen Opgrader er tom.",
    },
    "MORE_USERS_THAN_LICENSES.remedy": {
        "en": "Resolve the license conflict on Billing > Licenses: remove E4 from users who do "
              "not need it ({reclaimable} blocked "
              "{reclaimable|account is a candidate|accounts are candidates}), or move users "
              "manually.",
        "da": "Løs licenskonflikten under Fakturering > Licenser: fjern E4 fra brugere, der "
              "ikke har brug for den ({reclaimable} "
              "{reclaimable|blokeret konto er kandidat|blokerede konti er kandidater}), eller "
              "flyt "
              "brugerne manuelt.",
    },
    "SUBSCRIPTION_NOT_READY": {
        "en": "A subscription is not fully set up: status {not_enabled}; service plans not "
              "provisioned {plans_not_provisioned}.",
        "da": "Et abonnement er ikke fuldt konfigureret: status {not_enabled}; tjenester ikke "
              "klargjort {plans_not_provisioned}.",
    },
    "SUBSCRIPTION_NOT_READY.remedy": {
        "en": "Check Health > Service health, wait a few hours until every service is "
              "provisioned, export subscriptions again and re-run the assessment.",
        "da": "Se Tilstand > Tjenestetilstand, vent et par timer, til alle tjenester er "
              "klargjort, eksportér abonnementerne igen og kør vurderingen igen.",
    },
    "PENDING_CHANGE_OR_CREDIT_CHECK": {
        "en": "Another plan change is in progress or waiting for a credit check "
              "(pending_change in tenant.yaml).",
        "da": "En anden planændring er i gang eller afventer en kreditkontrol "
              "(pending_change i tenant.yaml).",
    },
    "PENDING_CHANGE_OR_CREDIT_CHECK.remedy": {
        "en": "Wait until it completes (a credit check can take up to two business days), "
              "then set pending_change: false and assess again.",
        "da": "Vent, til den er fuldført (en kreditkontrol kan tage op til to arbejdsdage), "
              "sæt derefter pending_change: false, og vurder igen.",
    },
    "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT": {
        "en": "E4 is bought in {subscriptions} subscriptions ({subscription_ids}); the Upgrade "
              "tab works only when all users are on one subscription of the product.",
        "da": "E4 er købt i {subscriptions} abonnementer ({subscription_ids}); fanen Opgrader "
              "virker kun, når alle brugere er på ét abonnement for produktet.",
    },
    "MULTIPLE_SUBSCRIPTIONS_SAME_PRODUCT.remedy": {
        "en": "Move all users into one E4 subscription and cancel the unused one, or use the "
              "manual path.",
        "da": "Flyt alle brugere til ét E4-abonnement, og annuller det ubrugte, eller brug den "
              "manuelle metode.",
    },
    "PREPAID_PLAN": {
        "en": "E4 is a prepaid plan: the Upgrade tab cannot change it, and changing before it "
              "expires gives no credit for the unused time.",
        "da": "E4 er en forudbetalt plan: fanen Opgrader kan ikke ændre den, og skifter du før "
              "udløb, får du ingen kredit for den ubrugte tid.",
    },
    "PREPAID_PLAN.remedy": {
        "en": "Use the manual path, ideally close to the prepaid term's end, or call support.",
        "da": "Brug den manuelle metode, helst tæt på udløbet af den forudbetalte periode, "
              "eller ring til support.",
    },
    "GOVERNMENT_OR_NONPROFIT": {
        "en": "E4 is a government or nonprofit plan ({source}); the Upgrade tab does not "
              "change those.",
        "da": "E4 er en offentlig eller almennyttig plan ({source}); fanen Opgrader kan ikke "
              "ændre den.",
    },
    "GOVERNMENT_OR_NONPROFIT.remedy": {
        "en": "Use the manual path or call support.",
        "da": "Brug den manuelle metode, eller ring til support.",
    },
    "TARGET_FEWER_DATA_SERVICES": {
        "en": "{target_name} has lower data services than E4 (Exchange: {exchange_source} -> "
              "{exchange_target}; SharePoint: {sharepoint_source} -> {sharepoint_target}); the "
              "Upgrade tab only offers plans with the same or higher data services.",
        "da": "{target_name} har færre datarelaterede tjenester end E4 (Exchange: "
              "{exchange_source} -> {exchange_target}; SharePoint: {sharepoint_source} -> "
              "{sharepoint_target}); fanen Opgrader tilbyder kun planer med samme eller højere "
              "datatjenester.",
    },
    "TARGET_FEWER_DATA_SERVICES.remedy": {
        "en": "Back up the mailbox and SharePoint/OneDrive data users must keep before moving "
              "them, then use the manual path.",
        "da": "Sikkerhedskopiér de postkasse- og SharePoint/OneDrive-data, brugerne skal "
              "beholde, før du flytter dem, og brug derefter den manuelle metode.",
    },
    "TARGET_FEWER_SERVICES": {
        "en": "{target_name} has fewer services than E4 (it lacks {lacks}): the Upgrade tab "
              "only lists plans with the same or more services, so moving to it is a manual "
              "change, not an upgrade.",
        "da": "{target_name} har færre tjenester end E4 (den mangler {lacks}): fanen Opgrader "
              "viser kun planer med de samme eller flere tjenester, så skiftet til den er en "
              "manuel ændring, ikke en opgradering.",
    },
    "TARGET_FEWER_SERVICES.remedy": {
        "en": "Use the manual path, or choose an E5 plan, which keeps every E4 service.",
        "da": "Brug den manuelle metode, eller vælg en E5-plan, som beholder alle E4-tjenester.",
    },
    "UPGRADE_TAB_MOVES_EVERYONE": {
        "en": "tenant.yaml limits who moves ({limits}), but the Upgrade tab moves every E4 "
              "user to the new plan and cancels E4: it cannot leave anyone on E4 or move only "
              "some.",
        "da": "tenant.yaml begrænser, hvem der flyttes ({limits}), men fanen Opgrader flytter "
              "alle E4-brugere til den nye plan og annullerer E4: den kan ikke lade nogen "
              "blive på E4 eller kun flytte nogle.",
    },
    "UPGRADE_TAB_MOVES_EVERYONE.remedy": {
        "en": "Use the manual path (this playbook's plan moves only the users the limits "
              "select), or remove these keys to let the Upgrade tab move everyone.",
        "da": "Brug den manuelle metode (denne playbooks plan flytter kun de brugere, "
              "begrænsningerne vælger), eller fjern nøglerne, så fanen Opgrader kan flytte alle.",
    },
    "UNPAID_BALANCE": {
        "en": "The subscription has an unpaid balance (unpaid_balance in tenant.yaml).",
        "da": "Abonnementet har en ubetalt saldo (unpaid_balance i tenant.yaml).",
    },
    "UNPAID_BALANCE.remedy": {
        "en": "Billing > Your products > the subscription > Pay now, then check the Upgrade "
              "tab again.",
        "da": "Fakturering > Dine produkter > abonnementet > Betal nu, og kontrollér derefter "
              "fanen Opgrader igen.",
    },
    # -- warnings ----------------------------------------------------------------------------
    "HAS_ADDON": {
        "en": "E4 has {count} add-on {count|subscription|subscriptions}: {addons}. Microsoft "
              "lists an add-on as a "
              "reason the Upgrade tab can be empty.",
        "da": "E4 har {count} {count|tilføjelsesabonnement|tilføjelsesabonnementer}: {addons}. "
              "Microsoft angiver et "
              "tilføjelsesabonnement som en årsag til, at fanen Opgrader kan være tom.",
    },
    "HAS_ADDON.remedy": {
        "en": "If the Upgrade tab is empty, remove the blocking add-on and add it again "
              "afterwards, or use the manual path.",
        "da": "Hvis fanen Opgrader er tom, så fjern det blokerende tilføjelsesabonnement og "
              "tilføj det igen bagefter, eller brug den manuelle metode.",
    },
    "CREDIT_CHECK_LIKELY": {
        "en": "Paying by invoice may require a credit check, which can take up to "
              "{business_days} business {business_days|day|days}: starting {start_date}, it may "
              "last until {latest_completion} (the latest date, not the earliest). If it "
              "applies, admins have no admin center access until it completes; users keep "
              "full E4 access.",
        "da": "Betaling via faktura kan kræve en kreditkontrol, som kan tage op til "
              "{business_days} {business_days|arbejdsdag|arbejdsdage}: med start {start_date} kan "
              "den vare indtil {latest_completion} (den seneste dato, ikke den tidligste). Hvis "
              "den kræves, har administratorer ikke adgang til Microsoft 365 Administration, "
              "før den er fuldført; brugerne beholder fuld adgang til E4.",
    },
    "CREDIT_CHECK_LIKELY.no_date": {
        "en": "Paying by invoice may require a credit check, which can take up to "
              "{business_days} business {business_days|day|days}. If it applies, admins have "
              "no admin center access until it completes; users keep full E4 access.",
        "da": "Betaling via faktura kan kræve en kreditkontrol, som kan tage op til "
              "{business_days} {business_days|arbejdsdag|arbejdsdage}. Hvis den kræves, har "
              "administratorer ikke adgang til Microsoft 365 Administration, før den er "
              "fuldført; brugerne beholder fuld adgang til E4.",
    },
    "CREDIT_CHECK_LIKELY.remedy": {
        "en": "Start early; public holidays are not counted here, so add them yourself.",
        "da": "Start i god tid; helligdage er ikke talt med her, så læg dem selv til.",
    },
    "CREDIT_CHECK_POSSIBLE": {
        "en": "Microsoft may also require a credit check when a purchase is above a certain "
              "cost, whatever the payment method (payment_method: {payment_method}; no amount "
              "is published). If it does, the purchase can take up to {business_days} "
              "business {business_days|day|days}.",
        "da": "Microsoft kan også kræve en kreditkontrol, når et køb overstiger et vist beløb, "
              "uanset betalingsmetode (payment_method: {payment_method}; beløbet er ikke "
              "offentliggjort). Sker det, kan købet tage op til {business_days} "
              "{business_days|arbejdsdag|arbejdsdage}.",
    },
    "CREDIT_CHECK_POSSIBLE.remedy": {
        "en": "For a large purchase, leave room in the schedule; users keep full E4 access "
              "meanwhile.",
        "da": "Ved et stort køb skal du afsætte tid i planen; brugerne beholder imens fuld "
              "adgang til E4.",
    },
    "TARGET_IS_TRIAL": {
        "en": "The {target_name} subscription is a trial (trial in tenant.yaml; its "
              "{target_available} free licenses are counted as available): users moved onto "
              "it lose its services when the trial ends unless it is made a paid subscription "
              "first.",
        "da": "{target_name}-abonnementet er en prøveversion (trial i tenant.yaml; dets "
              "{target_available} ledige licenser tælles som tilgængelige): brugere, der "
              "flyttes til det, mister tjenesterne, når prøveperioden slutter, medmindre det "
              "først gøres til et betalt abonnement.",
    },
    "TARGET_IS_TRIAL.remedy": {
        "en": "Buy the subscription (or convert the trial) in Billing > Your products, with "
              "enough licenses, before moving users onto it.",
        "da": "Køb abonnementet (eller konvertér prøveversionen) under Fakturering > Dine "
              "produkter, med nok licenser, før du flytter brugere til det.",
    },
    "ADMIN_DOWNTIME": {
        "en": "While the Upgrade tab moves {users} {users|user|users}, admins cannot use the "
              "admin center "
              "(minutes to hours, depending on the number of users); users are not "
              "interrupted.",
        "da": "Mens fanen Opgrader flytter {users} {users|bruger|brugere}, kan administratorer "
              "ikke bruge "
              "Microsoft 365 Administration (minutter til timer afhængigt af antallet af "
              "brugere); brugerne oplever ingen afbrydelse.",
    },
    "ADMIN_DOWNTIME.remedy": {
        "en": "Schedule the upgrade when no admin changes are needed.",
        "da": "Planlæg opgraderingen på et tidspunkt, hvor der ikke skal foretages "
              "administrative ændringer.",
    },
    "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE": {
        "en": "The Upgrade tab cannot remove licenses: the new plan starts with E4's license "
              "count. {could_reduce_by} {could_reduce_by|license|licenses} could be given up "
              "first ({unassigned} unassigned, {reclaimable} held by blocked "
              "{reclaimable|account|accounts}).",
        "da": "Fanen Opgrader kan ikke fjerne licenser: den nye plan starter med samme antal "
              "licenser som E4. {could_reduce_by} {could_reduce_by|licens|licenser} kan opsiges "
              "først ({unassigned} ikke tildelt, {reclaimable} hos "
              "{reclaimable|blokeret konto|blokerede konti}).",
    },
    "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE.remedy": {
        "en": "Reduce the E4 license count before upgrading (or the new plan's count after).",
        "da": "Reducer antallet af E4-licenser før opgraderingen (eller den nye plans antal "
              "bagefter).",
    },
    "LICENSES_CANNOT_BE_REMOVED_DURING_UPGRADE.unknown_unassigned": {
        "en": "The Upgrade tab cannot remove licenses: the new plan starts with E4's license "
              "count. {reclaimable} {reclaimable|license held by a blocked account|licenses held "
              "by blocked accounts} could be given up first; "
              "unassigned E4 licenses are unknown without a subscription export.",
        "da": "Fanen Opgrader kan ikke fjerne licenser: den nye plan starter med samme antal "
              "licenser som E4. {reclaimable} {reclaimable|licens hos en blokeret konto|licenser "
              "hos blokerede konti} kan opsiges først; "
              "antallet af ikke-tildelte E4-licenser er ukendt uden en eksport af "
              "abonnementer.",
    },
    "TARGET_ALREADY_PURCHASED": {
        "en": "{target_name} is already bought ({target_purchased} "
              "{target_purchased|license|licenses}, "
              "{target_available} unassigned), but the Upgrade tab walks you through buying the "
              "new plan, so those licenses would be bought again.",
        "da": "{target_name} er allerede købt ({target_purchased} "
              "{target_purchased|licens|licenser}, {target_available} "
              "ikke tildelt), men fanen Opgrader fører dig gennem et køb af den nye plan, så "
              "licenserne ville blive købt igen.",
    },
    "TARGET_ALREADY_PURCHASED.remedy": {
        "en": "Use the manual path to assign the licenses you have (Microsoft's step 1, buying, "
              "is skipped when the subscription exists); buy {to_buy} more first.",
        "da": "Brug den manuelle metode til at tildele de licenser, du har (Microsofts trin 1, "
              "køb, springes over, når abonnementet findes); køb først {to_buy} til.",
    },
    "TARGET_ALREADY_PURCHASED.enough": {
        "en": "Use the manual path to assign the licenses you have (Microsoft's step 1, buying, "
              "is skipped when the subscription exists); they are enough.",
        "da": "Brug den manuelle metode til at tildele de licenser, du har (Microsofts trin 1, "
              "køb, springes over, når abonnementet findes); de er nok.",
    },
    "DISABLED_PLANS_RESET_BY_UPGRADE_TAB": {
        "en": "{users} {users|user has|users have} E4 service plans turned off ({plans}); the "
              "Upgrade tab would "
              "switch on every service of the new plan for them. This playbook's manual path "
              "keeps them off.",
        "da": "{users} {users|bruger|brugere} har E4-tjenester slået fra ({plans}); fanen "
              "Opgrader ville slå "
              "alle tjenester i den nye plan til for dem. Denne playbooks manuelle metode "
              "holder dem slået fra.",
    },
    "DISABLED_PLANS_RESET_BY_UPGRADE_TAB.remedy": {
        "en": "Use the manual path, or note the settings and turn the services off again "
              "after the upgrade.",
        "da": "Brug den manuelle metode, eller notér indstillingerne og slå tjenesterne fra "
              "igen efter opgraderingen.",
    },
    "DISABLED_PLANS_UNKNOWN": {
        "en": "This users export cannot show services switched off per user, so for the "
              "{users} E4 {users|user|users} it is unknown whether any are off: the Upgrade tab "
              "would switch every service of the new plan on for all of them, and the plan can "
              "only keep off what the export shows.",
        "da": "Denne brugereksport kan ikke vise tjenester slået fra pr. bruger, så for de "
              "{users} E4-{users|bruger|brugere} vides det ikke, om nogen er slået fra: fanen "
              "Opgrader ville slå alle tjenester i den nye plan til for dem alle, og planen kan "
              "kun holde det slået fra, som eksporten viser.",
    },
    "DISABLED_PLANS_UNKNOWN.remedy": {
        "en": "Export users with scripts/Export-TenantLicenses.ps1 (Microsoft Graph, carries "
              "disabled plans) and assess again, or check each user's Licenses and apps before "
              "upgrading.",
        "da": "Eksportér brugerne med scripts/Export-TenantLicenses.ps1 (Microsoft Graph, "
              "viser slåede-fra tjenester), og vurder igen, eller kontrollér hver brugers "
              "Licenser og apps før opgraderingen.",
    },
    "GROUP_BASED_LICENSES": {
        "en": "{users} {users|user inherits|users inherit} E4 from {groups} "
              "{groups|group|groups} ({also_direct} also {also_direct|holds|hold} it directly); "
              "an inherited license cannot be changed on the user.",
        "da": "{users} {users|bruger|brugere} arver E4 fra {groups} {groups|gruppe|grupper} "
              "({also_direct} har den også "
              "direkte); en arvet licens kan ikke ændres på brugeren.",
    },
    "GROUP_BASED_LICENSES.remedy": {
        "en": "Change the license at group level: add the new plan and remove E4 on each group "
              "in one step, with enough free licenses of the new plan.",
        "da": "Skift licensen på gruppeniveau: tilføj den nye plan og fjern E4 på hver gruppe "
              "i ét trin, med nok ledige licenser til den nye plan.",
    },
    "MISSING_USAGE_LOCATION": {
        "en": "{users} E4 {users|user has|users have} no usage location ({direct} with a direct "
              "assignment): "
              "direct assignment of the new plan fails until it is set.",
        "da": "{users} E4-{users|bruger|brugere} har ingen placering for anvendelse (usage "
              "location) "
              "({direct} med direkte tildeling): direkte tildeling af den nye plan fejler, "
              "indtil den er angivet.",
    },
    "MISSING_USAGE_LOCATION.remedy": {
        "en": "Set a usage location on these users, or set default_usage_location in "
              "tenant.yaml so the plan sets it first.",
        "da": "Angiv en placering for anvendelse for disse brugere, eller sæt "
              "default_usage_location i tenant.yaml, så planen angiver den først.",
    },
    "MISSING_USAGE_LOCATION.default": {
        "en": "Usage location {default_usage_location} from tenant.yaml will be set first; "
              "check that it is legally right for these users.",
        "da": "Placering for anvendelse {default_usage_location} fra tenant.yaml angives "
              "først; kontrollér, at den er juridisk korrekt for disse brugere.",
    },
    "TARGET_LOSES_E4_FEATURES": {
        "en": "{target_name} lacks these E4 service plans: {lacks}. Users lose them.",
        "da": "{target_name} mangler disse E4-tjenester: {lacks}. Brugerne mister dem.",
    },
    "TARGET_LOSES_E4_FEATURES.remedy": {
        "en": "Choose an E5 plan to keep every E4 capability, or confirm nobody uses them.",
        "da": "Vælg en E5-plan for at beholde alle E4-funktioner, eller bekræft, at ingen "
              "bruger dem.",
    },
    "LICENSE_ASSIGNMENT_ERRORS": {
        "en": "{users} {users|user|users} involved in the move {users|has|have} license "
              "assignments in an error state "
              "({errors}).",
        "da": "{users} {users|bruger|brugere} i flytningen har licenstildelinger med fejl "
              "({errors}).",
    },
    "LICENSE_ASSIGNMENT_ERRORS.remedy": {
        "en": "Fix the errors (Users > the user > Licenses, or Reprocess on the group) before "
              "moving these users.",
        "da": "Ret fejlene (Brugere > brugeren > Licenser, eller Genbehandl på gruppen), før "
              "disse brugere flyttes.",
    },
    # -- info --------------------------------------------------------------------------------
    "ADDONS_INCLUDED_IN_TARGET_REMOVED": {
        "en": "{target_name} already includes these add-ons: {addons}. The Upgrade tab "
              "removes them at checkout.",
        "da": "{target_name} indeholder allerede disse tilføjelser: {addons}. Fanen Opgrader "
              "fjerner dem ved betalingen.",
    },
    "ADDONS_INCLUDED_IN_TARGET_REMOVED.remedy": {
        "en": "On the manual path, cancel them yourself after the move.",
        "da": "Ved den manuelle metode skal du selv annullere dem efter flytningen.",
    },
    "SUBSCRIPTIONS_UNKNOWN": {
        "en": "No subscription export: unknown {unknown}; not checked {unchecked}.",
        "da": "Ingen eksport af abonnementer: ukendt {unknown}; ikke kontrolleret {unchecked}.",
    },
    "SUBSCRIPTIONS_UNKNOWN.remedy": {
        "en": "Save Graph GET /v1.0/subscribedSkus (or Get-MgSubscribedSku -All | ConvertTo-Json "
              "-Depth 5) as subscriptions.json in the tenant folder.",
        "da": "Gem Graph GET /v1.0/subscribedSkus (eller Get-MgSubscribedSku -All | "
              "ConvertTo-Json -Depth 5) som subscriptions.json i lejerens mappe.",
    },
}
