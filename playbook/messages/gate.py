"""The cancellation gate's reasons (``gate.<CODE>``, ``gate.<CODE>.one``) and the
cancellation checklist (``checklist.*``): what step 4 says about cancelling E4.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
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
}
