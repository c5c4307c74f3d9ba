"""The words the playbook says to an admin, in English and Danish.

One catalog keyed by finding code (plus ``<CODE>.remedy``, a few ``<CODE>.<variant>`` keys for
when the data says something different, ``gate.<CODE>`` for the cancellation gate's reasons
(``gate.<CODE>.one`` for one user), and ``ui.*`` strings for the verdict's layout). Every
text is a :meth:`str.format` template filled from a finding's evidence, so the numbers a
message shows are the numbers in the JSON, never retyped. A field ``{n|user|users}`` is a plural:
the word after the first bar when evidence ``n`` is 1, the one after the second otherwise
(:func:`plural`), so "1 user" and "2 users" (Danish "1 bruger", "2 brugere") both read right.
Danish follows the terms of Microsoft's own Danish admin center and docs (fanen Opgrader,
Fakturering > Dine produkter).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "da")

MESSAGES: dict[str, dict[str, str]] = {
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
    # -- the cancellation gate (playbook.verification.gate) -----------------------------------
    "gate.USERS_UNLICENSED": {
        "en": "Urgent: {users} {users|user|users} the plan moves {users|holds|hold} neither E4 "
              "nor the target (E4 was removed, the target never arrived). Assign them the "
              "target now: unless another license covers Exchange Online, their mailbox data "
              "is deleted 30 days after E4 was removed.",
        "da": "Haster: {users} {users|bruger|brugere}, som planen flytter, har hverken E4 eller "
              "målplanen (E4 blev fjernet, målplanen kom aldrig). Tildel {users|brugeren|dem} "
              "målplanen nu: medmindre en anden licens dækker Exchange Online, slettes "
              "{users|brugerens|deres} postkassedata 30 dage efter, at E4 blev fjernet.",
    },
    "gate.SOURCE_HELD_DIRECT": {
        "en": "{users} {users|user still holds|users still hold} E4 assigned directly.",
        "da": "{users} {users|bruger|brugere} har stadig E4 tildelt direkte.",
    },
    "gate.SOURCE_HELD_BY_GROUP": {
        "en": "{users} {users|user still holds|users still hold} E4 through a group.",
        "da": "{users} {users|bruger|brugere} har stadig E4 via en gruppe.",
    },
    "gate.SOURCE_CONSUMED_UNITS": {
        "en": "The subscriptions export still counts E4 licenses as assigned.",
        "da": "Eksporten af abonnementer tæller stadig E4-licenser som tildelt.",
    },
    "gate.USERS_FAILED": {
        "en": "{users} planned {users|user has|users have} a license in an error state.",
        "da": "{users} {users|planlagt bruger|planlagte brugere} har en licens med fejl.",
    },
    "gate.USERS_PARTIAL": {
        "en": "{users} planned {users|user holds|users hold} both the target and E4.",
        "da": "{users} {users|planlagt bruger|planlagte brugere} har både målplanen og E4.",
    },
    "gate.USERS_NOT_IN_EXPORT": {
        "en": "{users} planned {users|user is|users are} missing from the after export, and no "
              "subscriptions export proves E4 is unassigned.",
        "da": "{users} {users|planlagt bruger|planlagte brugere} mangler i eksporten efter "
              "flytningen, og ingen eksport af abonnementer viser, at E4 ikke er tildelt.",
    },
    # -- the cancellation checklist (playbook.cancellation) -----------------------------------
    "checklist.label.mosa": {"en": "Older agreement (MOSA):", "da": "Ældre aftale (MOSA):"},
    "checklist.label.mca": {"en": "Newer agreement (MCA):", "da": "Nyere aftale (MCA):"},
    "checklist.CANCEL_THROUGH_PARTNER": {
        "en": "{source_name} was bought through a partner: the partner cancels it (in Partner "
              "Center the subscription is set to Suspended and is de-provisioned after 120 "
              "days).",
        "da": "{source_name} er købt via en partner: partneren annullerer det (i Partner Center "
              "sættes abonnementet til Suspenderet og fjernes automatisk efter 120 dage).",
    },
    "checklist.CANCEL_THROUGH_ACCOUNT_REP": {
        "en": "{source_name} was bought through Volume Licensing: ask your Microsoft account "
              "representative to end it; the admin center cannot cancel it.",
        "da": "{source_name} er købt via Volume Licensing: bed din Microsoft-kunderepræsentant "
              "om at afslutte det; det kan ikke annulleres i Microsoft 365 Administration.",
    },
    "checklist.REMOVE_CUSTOM_DOMAINS": {
        "en": "Remove the custom {count|domain|domains} added for this subscription before "
              "cancelling: {domains}.",
        "da": "Fjern {count|det brugerdefinerede domæne|de brugerdefinerede domæner}, der er "
              "tilføjet til dette abonnement, før du annullerer: {domains}.",
    },
    "checklist.REMOVE_CUSTOM_DOMAINS.none": {
        "en": "If a custom domain was added for this subscription, remove it before cancelling "
              "(tenant.yaml lists none under custom_domains).",
        "da": "Hvis et brugerdefineret domæne er tilføjet til dette abonnement, skal det "
              "fjernes, før du annullerer (tenant.yaml angiver ingen under custom_domains).",
    },
    "checklist.WHO_MAY_CANCEL_MOSA": {
        "en": "cancelling needs at least the Billing Administrator role.",
        "da": "annullering kræver mindst rollen Faktureringsadministrator.",
    },
    "checklist.REDUCE_TO_25_BEFORE_CANCEL": {
        "en": "a subscription with more than {limit} licenses can't be cancelled online; reduce "
              "it to {limit} or fewer first (if you can't, turn off recurring billing instead).",
        "da": "et abonnement med mere end {limit} licenser kan ikke annulleres online; reducer "
              "det først til {limit} eller færre (kan du ikke det, så slå tilbagevendende "
              "fakturering fra i stedet).",
    },
    "checklist.REDUCE_TO_25_BEFORE_CANCEL.count": {
        "en": "{source_name} has {enabled} {enabled|license|licenses}: {rule}",
        "da": "{source_name} har {enabled} {enabled|licens|licenser}: {rule}",
    },
    "checklist.REDUCE_TO_25_BEFORE_CANCEL.pooled": {
        "en": "{source_name} is bought in {count} subscriptions ({ids}), with {enabled} "
              "licenses in all; the export pools them and cannot tell each one's count. The "
              "limit applies to each subscription: {rule} Check each subscription's license "
              "count in Billing > Your products.",
        "da": "{source_name} er købt i {count} abonnementer ({ids}) med {enabled} licenser i "
              "alt; eksporten lægger dem sammen og kan ikke vise hvert abonnements antal. "
              "Grænsen gælder for hvert abonnement: {rule} Kontrollér hvert abonnements "
              "antal licenser under Fakturering > Dine produkter.",
    },
    "checklist.PRORATED_CREDIT_MOSA": {
        "en": "cancelling after the start or renewal date gives a prorated credit on the next "
              "invoice or billing cycle.",
        "da": "annullering efter start- eller fornyelsesdatoen giver en forholdsmæssig kredit "
              "på næste faktura eller faktureringsperiode.",
    },
    "checklist.WHO_MAY_CANCEL_MCA": {
        "en": "cancelling needs a Billing account owner or contributor, or a Billing profile "
              "owner or contributor.",
        "da": "annullering kræver en ejer eller bidragyder til faktureringskontoen eller en "
              "ejer eller bidragyder til faktureringsprofilen.",
    },
    "checklist.REFUND_WINDOW_MCA": {
        "en": "a prorated credit or refund is given only when you cancel within {days} days "
              "after the subscription started or renewed; later, turn off recurring billing "
              "instead (access continues to the end of the term).",
        "da": "en forholdsmæssig kredit eller refusion gives kun, når du annullerer inden for "
              "{days} dage efter, at abonnementet startede eller blev fornyet; senere skal du i "
              "stedet slå tilbagevendende fakturering fra (adgangen fortsætter til periodens "
              "udløb).",
    },
    "checklist.DATA_AFTER_CANCEL": {
        "en": "After cancelling, the subscription is Disabled with reduced functionality; data "
              "tied to it may be deleted after 30 days and is deleted no later than 180 days "
              "after cancellation. Warn anyone still relying on it to save their data first, "
              "and never delete the subscription explicitly: that removes SharePoint and "
              "OneDrive content at once.",
        "da": "Efter annullering er abonnementet Deaktiveret med begrænset funktionalitet; data "
              "knyttet til det kan slettes efter 30 dage og slettes senest 180 dage efter "
              "annulleringen. Bed alle, der stadig er afhængige af det, om at gemme deres data "
              "først, og slet aldrig abonnementet direkte: det fjerner SharePoint- og "
              "OneDrive-indhold med det samme.",
    },
    "checklist.REDUCE_SEATS_BEFORE_RENEWAL": {
        "en": "{source_name} has {enabled} {enabled|license|licenses} and {still} still "
              "assigned: reduce it by {unused} to {still} before the renewal date so unused "
              "seats are not billed.",
        "da": "{source_name} har {enabled} {enabled|licens|licenser}, og {still} er stadig "
              "tildelt: reducer med {unused} til {still} før fornyelsesdatoen, så ubrugte "
              "licenser ikke faktureres.",
    },
    "checklist.REDUCE_SEATS_BEFORE_RENEWAL.pooled": {
        "en": "{source_name} has {enabled} {enabled|license|licenses} over {count} "
              "subscriptions and {still} still assigned: reduce them by {unused} in all before "
              "the renewal date so unused seats are not billed (Billing > Your products shows "
              "each one's count).",
        "da": "{source_name} har {enabled} {enabled|licens|licenser} fordelt på {count} "
              "abonnementer, og {still} er stadig tildelt: reducer med {unused} i alt før "
              "fornyelsesdatoen, så ubrugte licenser ikke faktureres (Fakturering > Dine "
              "produkter viser hvert abonnements antal).",
    },
    "checklist.REDUCE_SEATS_BEFORE_RENEWAL.none_unused": {
        "en": "{source_name} has no unused licenses ({enabled} bought, {still} assigned); "
              "reduce the count as users move, before the renewal date.",
        "da": "{source_name} har ingen ubrugte licenser ({enabled} købt, {still} tildelt); "
              "reducer antallet, efterhånden som brugerne flyttes, før fornyelsesdatoen.",
    },
    "checklist.REDUCE_SEATS_BEFORE_RENEWAL.unknown": {
        "en": "Remove unused {source_name} licenses before the renewal date so they are not "
              "billed (add a subscriptions export to get the exact number).",
        "da": "Fjern ubrugte {source_name}-licenser før fornyelsesdatoen, så de ikke "
              "faktureres (tilføj en eksport af abonnementer for at få det præcise antal).",
    },
    # -- UI strings --------------------------------------------------------------------------
    "ui.tenant": {"en": "Tenant: {tenant} (target: {target})",
                  "da": "Lejer: {tenant} (mål: {target})"},
    "ui.path.upgrade-tab": {"en": "Path: Upgrade tab (Billing > Your products > E4 > Upgrade)",
                            "da": "Metode: fanen Opgrader (Fakturering > Dine produkter > E4 > "
                                  "Opgrader)"},
    "ui.path.manual": {"en": "Path: manual (buy, verify, reassign, cancel)",
                       "da": "Metode: manuel (køb, kontrollér, tildel igen, annuller)"},
    "ui.path.manual.advised": {
        "en": "Path: manual (buy, verify, reassign, cancel); the Upgrade tab would work, but "
              "the findings advise the manual path ({codes})",
        "da": "Metode: manuel (køb, kontrollér, tildel igen, annuller); fanen Opgrader ville "
              "virke, men fundene anbefaler den manuelle metode ({codes})"},
    "buy.figure": {"en": "Buy {total} {target} {total|license|licenses}",
                   "da": "Køb {total} {target} {total|licens|licenser}"},
    "buy.figure.split": {
        "en": "Buy {total} {target} {total|license|licenses} ({now} now + {later} once usage "
              "locations are set)",
        "da": "Køb {total} {target} {total|licens|licenser} ({now} nu + {later}, når placering "
              "for anvendelse er angivet)"},
    "buy.figure.unknown": {
        "en": "Buy: unknown (no subscriptions export tells how many {target} licenses are free)",
        "da": "Køb: ukendt (ingen eksport af abonnementer viser, hvor mange {target}-licenser "
              "der er ledige)"},
    "buy.figure.none": {"en": "Buy: none (enough {target} licenses are free)",
                        "da": "Køb: ingen (der er nok ledige {target}-licenser)"},
    "nav.banner": {"en": "Tenant {name} (folder {folder}) · users export {users} ({users_date})",
                   "da": "Lejer {name} (mappe {folder}) · brugereksport {users} ({users_date})"},
    "nav.banner.subscriptions": {
        "en": "subscriptions export {subscriptions} ({subscriptions_date})",
        "da": "abonnementseksport {subscriptions} ({subscriptions_date})"},
    "nav.banner.no_subscriptions": {"en": "no subscriptions export",
                                    "da": "ingen abonnementseksport"},
    "nav.banner.sample": {
        "en": "a bundled SAMPLE tenant, not yours: open your own with e4-playbook lab <folder>",
        "da": "en medfølgende EKSEMPEL-lejer, ikke din: åbn din egen med e4-playbook lab "
              "<mappe>"},
    "nav.open_steps": {
        "en": "Open the steps for this tenant with e4-playbook lab {tenant_dir} (JupyterLab, "
              "every step set to it) or e4-playbook app {tenant_dir} (the web app).",
        "da": "Åbn trinnene for denne lejer med e4-playbook lab {tenant_dir} (JupyterLab, alle "
              "trin sat til den) eller e4-playbook app {tenant_dir} (webappen)."},
    "nav.next": {"en": "Next: {title}", "da": "Næste: {title}"},
    "nav.next.other_tenant": {
        "en": "That notebook is set to another tenant ({other}). To keep {tenant_dir}, open the "
              "steps with e4-playbook lab {tenant_dir}, or set tenant_dir in step {number}.",
        "da": "Den notesbog er sat til en anden lejer ({other}). For at blive på {tenant_dir} "
              "skal du åbne trinnene med e4-playbook lab {tenant_dir} eller sætte tenant_dir i "
              "trin {number}."},
    "nav.remaining.button": {"en": "Write remaining plan", "da": "Skriv den resterende plan"},
    "nav.remaining.nothing": {
        "en": "Nothing remains to run: every planned action is done.",
        "da": "Der er intet tilbage at køre: alle planlagte handlinger er udført."},
    "widget.save": {"en": "Save my choices to tenant.yaml", "da": "Gem mine valg i tenant.yaml"},
    "widget.saved": {"en": "Saved {keys} to {path}", "da": "Gemte {keys} i {path}"},
    "widget.max_users": {"en": "Pilot size", "da": "Pilotstørrelse"},
    "widget.max_users.help": {
        "en": "Plan at most this many users (0: everyone), as max_users in tenant.yaml",
        "da": "Planlæg højst så mange brugere (0: alle), som max_users i tenant.yaml"},
    "widget.held_group": {
        "en": "Excluding {users} holds back the whole group {group} ({members} "
              "{members|member|members}): a group's license is switched for all its members at "
              "once, so they all keep E4 until {users} can move too.",
        "da": "Når {users} undtages, holdes hele gruppen {group} tilbage ({members} "
              "{members|medlem|medlemmer}): en gruppes licens skiftes for alle medlemmer på én "
              "gang, så de beholder alle E4, indtil {users} også kan flyttes."},
    "ui.path.contact-partner": {"en": "Path: contact your partner or Microsoft representative",
                                "da": "Metode: kontakt din partner eller "
                                      "Microsoft-repræsentant"},
    "ui.severity.blocker": {"en": "Blockers", "da": "Blokerende"},
    "ui.severity.warning": {"en": "Warnings", "da": "Advarsler"},
    "ui.severity.info": {"en": "Information", "da": "Information"},
    "ui.no_findings": {"en": "Nothing to report.", "da": "Intet at bemærke."},
    "ui.fix": {"en": "Fix", "da": "Løsning"},
    "ui.counts": {"en": "Licenses", "da": "Licenser"},
    "ui.targets": {"en": "Target plans compared with E4",
                   "da": "Målplaner sammenlignet med E4"},
    "ui.unknown": {"en": "unknown", "da": "ukendt"},
    "ui.none": {"en": "none", "da": "ingen"},
    "ui.yes": {"en": "yes", "da": "ja"},
    "ui.no": {"en": "no", "da": "nej"},
    "ui.count.source_users": {"en": "E4 users", "da": "E4-brugere"},
    "ui.count.source_direct": {"en": "  assigned directly", "da": "  tildelt direkte"},
    "ui.count.source_group": {"en": "  inherited from groups", "da": "  arvet fra grupper"},
    "ui.count.source_purchased": {"en": "E4 licenses purchased", "da": "E4-licenser købt"},
    "ui.count.target_purchased": {"en": "Target licenses purchased",
                                  "da": "Licenser til målplanen købt"},
    "ui.count.target_consumed": {"en": "  assigned", "da": "  tildelt"},
    "ui.count.target_available": {"en": "  available", "da": "  ledige"},
    "ui.count.to_buy": {"en": "To buy (whole move)", "da": "Skal købes (hele flytningen)"},
    "ui.round": {
        "en": "This round (tenant.yaml limits it: {limits}): {need_target} "
              "{need_target|user|users} inside the limits {need_target|needs|need} the target; "
              "to buy for this round: {to_buy}. To buy above is for the whole move; the plan "
              "may need fewer if it must skip some users (e.g. without usage location).",
        "da": "Denne runde (tenant.yaml begrænser den: {limits}): {need_target} "
              "{need_target|bruger|brugere} inden for begrænsningerne skal have målplanen; "
              "skal købes til denne runde: {to_buy}. Skal købes ovenfor gælder hele "
              "flytningen; planen kan kræve færre, hvis den må springe brugere over (f.eks. "
              "uden placering for anvendelse).",
    },
    "plan.seats": {
        "en": "this round needs {needed}, {available} available; to buy for the whole move: "
              "{whole_move}",
        "da": "denne runde kræver {needed}, {available} ledige; skal købes til hele "
              "flytningen: {whole_move}",
    },
    "plan.seats.unverified": {
        "en": "this round needs {needed}, availability unknown; to buy for the whole move: "
              "{whole_move}",
        "da": "denne runde kræver {needed}, ledige ukendt; skal købes til hele flytningen: "
              "{whole_move}",
    },
    "plan.decision.successor-kept-off": {
        "en": "{before} was switched off on E4: its successor {after} stays off on {target} "
              "rather than being switched on; switch it on only if the user needs it",
        "da": "{before} var slået fra på E4: efterfølgeren {after} forbliver slået fra på "
              "{target} i stedet for at blive slået til; slå den kun til, hvis brugeren har "
              "brug for den",
    },
    "plan.decision.included-addon": {
        "en": "{n} {n|user|users} moving to {target} {n|holds|hold} {addon}, which {target} "
              "already includes: remove {addon} from {n|this user|these users} after the "
              "move and reduce that subscription by {n}",
        "da": "{n} {n|bruger|brugere}, der flyttes til {target}, har {addon}, som {target} "
              "allerede indeholder: fjern {addon} fra {n|denne bruger|disse brugere} efter "
              "flytningen, og reducer abonnementet med {n}",
    },
    "ui.count.already_on_target": {"en": "Already on target", "da": "Allerede på målplanen"},
    "ui.count.reclaimable": {"en": "Reclaimable (blocked, not excluded)",
                             "da": "Kan frigives (blokerede, ikke undtaget)"},
    "ui.count.missing_usage_location": {"en": "Without usage location",
                                        "da": "Uden placering for anvendelse"},
    "ui.count.blocked_with_source": {"en": "Blocked sign-in holding E4",
                                     "da": "Blokeret login med E4"},
    "ui.count.in_error": {"en": "Assignments in error", "da": "Tildelinger med fejl"},
    "ui.col.keeps_all_e4_features": {"en": "all E4", "da": "alt fra E4"},
    "ui.col.phone_system": {"en": "phone system", "da": "telefonsystem"},
    "ui.col.audio_conferencing": {"en": "audio conf.", "da": "lydkonference"},
    "ui.col.data_services": {"en": "data services", "da": "datatjenester"},
    "ui.col.lacks": {"en": "lacks", "da": "mangler"},
    "ui.data.same": {"en": "same", "da": "samme"},
    "ui.data.higher": {"en": "higher", "da": "højere"},
    "ui.data.lower": {"en": "lower", "da": "lavere"},
    "ui.data.unknown": {"en": "unknown", "da": "ukendt"},
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
    "col.needed": {"en": "Needed after the move", "da": "Behov efter flytningen"},
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
    # -- plan reasons and decisions (rendered from the plan's codes) ---------------------------
    "plan.reason.excluded": {"en": "listed in exclude_users",
                             "da": "står i exclude_users"},
    "plan.reason.outside-only-users": {"en": "not in only_users", "da": "ikke i only_users"},
    "plan.reason.outside-only-departments": {"en": "department not in only_departments",
                                             "da": "afdelingen er ikke i only_departments"},
    "plan.reason.beyond-max-users": {"en": "beyond max_users", "da": "ud over max_users"},
    "plan.reason.group-held-back": {"en": "inherits E4 only from groups held back",
                                    "da": "arver kun E4 fra grupper, der holdes tilbage"},
    "plan.reason.inherited-from-unknown-group": {
        "en": "inherits E4 from a group the export does not name",
        "da": "arver E4 fra en gruppe, som eksporten ikke navngiver"},
    "plan.reason.already-on-target": {"en": "already on the target and holds no E4",
                                      "da": "har allerede målplanen og ingen E4"},
    "plan.reason.no-usage-location": {
        "en": "no usage location and no default_usage_location: set it, then plan again",
        "da": "ingen placering for anvendelse og ingen default_usage_location: angiv den, og "
              "planlæg igen"},
    "plan.reason.no-usage-location.set": {
        "en": "no usage location: set to {location} (default_usage_location)",
        "da": "ingen placering for anvendelse: sættes til {location} (default_usage_location)"},
    "plan.reason.reclaim-blocked": {
        "en": "blocked account: E4 removed without a target (reclaim_blocked: true); the "
              "mailbox is deleted 30 days later unless converted or on hold",
        "da": "blokeret konto: E4 fjernes uden målplan (reclaim_blocked: true); postkassen "
              "slettes 30 dage senere, medmindre den konverteres eller sættes i venteposition"},
    "plan.reason.e4-error-state": {"en": "E4 is in an error state: the remove clears it",
                                   "da": "E4 har en fejltilstand: fjernelsen rydder den"},
    "plan.reason.reclaim-candidate": {
        "en": "blocked account: moved so nothing is lost; reclaim_blocked: true would take E4 "
              "back instead",
        "da": "blokeret konto: flyttes, så intet går tabt; reclaim_blocked: true ville i "
              "stedet tage E4 tilbage"},
    "plan.reason.e4-stays-by-group": {"en": "still inherits E4 from a group held back",
                                      "da": "arver stadig E4 fra en gruppe, der holdes tilbage"},
    "plan.reason.already-holds-target": {
        "en": "already holds the target: its settings stay; only E4 is removed",
        "da": "har allerede målplanen: dens indstillinger bevares; kun E4 fjernes"},
    "plan.reason.target-disables-e4-service": {
        "en": "the existing target assignment turns off apps E4 has on",
        "da": "den eksisterende tildeling af målplanen slår apps fra, som E4 har slået til"},
    "plan.reason.target-from-group": {
        "en": "also gets the target from a planned group: only the direct E4 is removed",
        "da": "får også målplanen fra en planlagt gruppe: kun den direkte E4 fjernes"},
    "plan.reason.target-in-error": {
        "en": "the target is assigned but in error: the user needs a free license",
        "da": "målplanen er tildelt, men med fejl: brugeren skal have en ledig licens"},
    "plan.reason.group-plans-disagree": {
        "en": "members show different apps turned off; the most common set is used",
        "da": "medlemmerne har forskellige apps slået fra; det hyppigste sæt bruges"},
    "plan.reason.group-plans-unknown": {
        "en": "its apps turned off are unknown: none are turned off on the target",
        "da": "gruppens slåede fra-apps er ukendte: ingen slås fra på målplanen"},
    "plan.reason.source-lost": {"en": "lost E4 already: only the target is added",
                                "da": "har allerede mistet E4: kun målplanen tilføjes"},
    "plan.reason.rollback": {"en": "undoes an earlier action", "da": "fortryder en tidligere "
                                                                     "handling"},
    "plan.reason.rollback-keeps-usage-location": {
        "en": "undoes an earlier action; the usage location stays set",
        "da": "fortryder en tidligere handling; placeringen forbliver angivet"},
    "plan.ask.unmapped-plans": {
        "en": "turned off on E4, but {target} has no matching app: confirm the user needs no "
              "replacement turned off",
        "da": "slået fra på E4, men {target} har ingen tilsvarende app: bekræft, at brugeren "
              "ikke skal have en erstatning slået fra"},
    "plan.ask.usage-location": {
        "en": "no usage location: set it on the user (or default_usage_location in "
              "tenant.yaml), then plan again",
        "da": "ingen placering for anvendelse: angiv den på brugeren (eller "
              "default_usage_location i tenant.yaml), og planlæg igen"},
    "plan.ask.reclaim-mailbox-check": {
        "en": "E4 is removed from this blocked account without a replacement: convert the "
              "mailbox to a shared mailbox or put it on hold first, then run the batch",
        "da": "E4 fjernes fra denne blokerede konto uden erstatning: konvertér postkassen til "
              "en delt postkasse, eller sæt den i venteposition først, og kør så batchen"},
    "plan.ask.reclaim-candidate": {
        "en": "blocked account holding E4: keep it (moved) or take E4 back "
              "(reclaim_blocked: true)",
        "da": "blokeret konto med E4: behold den (flyttes), eller tag E4 tilbage "
              "(reclaim_blocked: true)"},
    "plan.ask.target-disables-e4-service": {
        "en": "the existing target assignment turns off apps E4 has on: switch them on if the "
              "user needs them",
        "da": "den eksisterende tildeling af målplanen slår apps fra, som E4 har slået til: "
              "slå dem til, hvis brugeren har brug for dem"},
    "plan.ask.target-in-error": {
        "en": "the target is assigned but in error: free or buy a license first",
        "da": "målplanen er tildelt, men med fejl: frigiv eller køb en licens først"},
    "plan.ask.group-plans-disagree": {
        "en": "the group's members show different apps turned off: check the group's license "
              "settings",
        "da": "gruppens medlemmer har forskellige apps slået fra: kontrollér gruppens "
              "licensindstillinger"},
    "plan.ask.group-plans-unknown": {
        "en": "the group's apps turned off are unknown: none are turned off on the target",
        "da": "gruppens slåede fra-apps er ukendte: ingen slås fra på målplanen"},
    "plan.ask.unknown-group": {
        "en": "E4 comes from a group the export does not name: export with Graph or switch "
              "that group in Entra",
        "da": "E4 kommer fra en gruppe, som eksporten ikke navngiver: eksportér med Graph, "
              "eller skift gruppen i Entra"},
    "plan.ask.group-held-back": {
        "en": "the group is held back: take the blocking users out of it (or assign them E4 "
              "directly) so it can be switched",
        "da": "gruppen holdes tilbage: tag de blokerende brugere ud af den (eller tildel dem "
              "E4 direkte), så den kan skiftes"},
    "plan.ask.disabled-plans-unknown": {
        "en": "this export does not say which apps are turned off for each user: every app of "
              "the target will be on; export with Graph to keep them off",
        "da": "eksporten viser ikke, hvilke apps der er slået fra for hver bruger: alle apps i "
              "målplanen slås til; eksportér med Graph for at beholde dem slået fra"},
    "plan.ask.successor-kept-off": {
        "en": "an app turned off on E4 has a successor on {target} that stays off: switch it "
              "on only if the user needs it",
        "da": "en app, der var slået fra på E4, har en efterfølger på {target}, som forbliver "
              "slået fra: slå den kun til, hvis brugeren har brug for den"},
    "plan.ask.included-addon": {
        "en": "{target} already includes this add-on: remove it from these users after the "
              "move and reduce its subscription",
        "da": "{target} indeholder allerede dette tilføjelsesabonnement: fjern det fra "
              "brugerne efter flytningen, og reducer abonnementet"},
    # -- the fleet summary ----------------------------------------------------------------------
    "fleet.title": {"en": "E4 upgrade: fleet summary", "da": "E4-opgradering: oversigt"},
    "fleet.lead": {"en": "{n} {n|tenant|tenants}, {human} {human|needs|need} a human "
                         "(listed first).",
                   "da": "{n} {n|lejer|lejere}, {human} kræver en person (vist først)."},
    "fleet.col.tenant": {"en": "Tenant", "da": "Lejer"},
    "fleet.col.stage": {"en": "Where it stands", "da": "Status"},
    "fleet.col.route": {"en": "Route", "da": "Metode"},
    "fleet.col.to_buy": {"en": "To buy", "da": "Skal købes"},
    "fleet.col.next": {"en": "Next action", "da": "Næste handling"},
    "fleet.col.record": {"en": "Last run", "da": "Seneste kørsel"},
    "fleet.record": {"en": "record", "da": "rapport"},
    "fleet.never": {"en": "not run", "da": "ikke kørt"},
}


PAGE_PREFIXES: tuple[str, ...] = (
    "page.", "section.", "plan_used.", "card.", "next.", "col.", "severity.", "kind.",
    "status.", "chart.", "widget.", "fleet.",
)
"""Key prefixes of the pages' words (headings, cards, headers, labels), not finding codes."""


class MessageError(KeyError):
    """A message key, language or placeholder value is missing: a bug, not bad input."""


_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")
"""A plural field: ``{count|singular|plural}``."""


def placeholders(template: str) -> set[str]:
    """The ``{name}`` fields a template needs (a plural field ``{n|one|many}`` needs ``n``)."""
    return {name.split("|", 1)[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


def plural(count: Any, one: str, many: str) -> str:
    """``one`` when ``count`` is 1, else ``many`` (also for an unknown count: "? users")."""
    return one if not isinstance(count, bool) and count == 1 else many


def _plurals(template: str, evidence: Mapping[str, Any]) -> str:
    """The template with its plural fields replaced by the word the evidence calls for."""
    return _PLURAL.sub(lambda m: plural(evidence[m.group(1)], m.group(2), m.group(3)), template)


def render_value(value: Any, lang: str) -> str:
    """How an evidence value reads in a sentence: lists joined, dicts as ``key (n)``."""
    if isinstance(value, bool):
        return text("ui.yes" if value else "ui.no", lang)
    if value is None:
        return text("ui.unknown", lang)
    if isinstance(value, Mapping):
        if not value:
            return text("ui.none", lang)
        return ", ".join(f"{k} ({render_value(v, lang)})" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        if not value:
            return text("ui.none", lang)
        return ", ".join(render_value(v, lang) for v in value)
    return str(value)


def text(key: str, lang: str) -> str:
    """The raw template for ``key`` in ``lang``."""
    try:
        entry = MESSAGES[key]
    except KeyError:
        raise MessageError(f"no message {key!r}") from None
    try:
        return entry[lang]
    except KeyError:
        raise MessageError(f"message {key!r} has no {lang!r} text") from None


def message(code: str, lang: str, **evidence: Any) -> str:
    """The text for ``code`` in ``lang`` filled from ``evidence`` (extra keys are ignored).

    A missing placeholder raises :class:`MessageError` instead of printing ``{name}`` to an
    admin.
    """
    template = text(code, lang)
    missing = placeholders(template) - set(evidence)
    if missing:
        raise MessageError(f"message {code!r} needs {sorted(missing)}")
    template = _plurals(template, evidence)
    values = {k: render_value(evidence[k], lang) for k in placeholders(template)}
    return template.format(**values)


def has_message(key: str) -> bool:
    """Whether the catalog has ``key`` (used for optional variants)."""
    return key in MESSAGES
