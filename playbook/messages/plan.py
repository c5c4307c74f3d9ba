"""The plan's reasons and decisions (rendered from the plan's codes) and the fleet summary.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
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
        "en": "no usage location and no default_usage_location: set it, then plan again (the "
              "swap is held back)",
        "da": "ingen placering for anvendelse og ingen default_usage_location: angiv den, og "
              "planlæg igen (flytningen holdes tilbage)"},
    "plan.reason.no-usage-location.set": {
        "en": "no usage location: set to {location} (default_usage_location)",
        "da": "ingen placering for anvendelse: sættes til {location} (default_usage_location)"},
    # the 30-day mailbox warning is said wherever the plan removes E4 from a blocked account or
    # proposes it ("Unassign Microsoft 365 licenses from users",
    # microsoft-365/admin/manage/remove-licenses-from-users.md)
    "plan.reason.reclaim-blocked": {
        "en": "blocked account: E4 removed without a target (reclaim_blocked: true). Removing "
              "the license starts a 30-day countdown to deleting the mailbox: convert it to a "
              "shared mailbox or put it on hold first",
        "da": "blokeret konto: E4 fjernes uden målplan (reclaim_blocked: true). Når licensen "
              "fjernes, slettes postkassen efter 30 dage: konvertér den til en delt postkasse, "
              "eller sæt den i venteposition først"},
    "plan.reason.e4-error-state": {"en": "E4 is in an error state: the remove clears it",
                                   "da": "E4 har en fejltilstand: fjernelsen rydder den"},
    "plan.reason.reclaim-candidate": {
        "en": "blocked account: moved so nothing is lost; reclaim_blocked: true would take E4 "
              "back instead. Removing the license starts a 30-day countdown to deleting the "
              "mailbox: convert it to a shared mailbox or put it on hold first",
        "da": "blokeret konto: flyttes, så intet går tabt; reclaim_blocked: true ville i "
              "stedet tage E4 tilbage. Når licensen fjernes, slettes postkassen efter 30 dage: "
              "konvertér den til en delt postkasse, eller sæt den i venteposition først"},
    "plan.reason.reclaim-candidate.group": {
        "en": "blocked account that also inherits E4 from a group: remove it from the group to "
              "reclaim the license. Removing the license starts a 30-day countdown to deleting "
              "the mailbox: convert it to a shared mailbox or put it on hold first",
        "da": "blokeret konto, der også arver E4 fra en gruppe: fjern den fra gruppen for at "
              "frigøre licensen. Når licensen fjernes, slettes postkassen efter 30 dage: "
              "konvertér den til en delt postkasse, eller sæt den i venteposition først"},
    "plan.reason.reclaim-candidate.inherited": {
        "en": "blocked account inheriting E4: remove it from the group to reclaim the license. "
              "Removing the license starts a 30-day countdown to deleting the mailbox: "
              "convert it to a shared mailbox or put it on hold first",
        "da": "blokeret konto, der arver E4: fjern den fra gruppen for at frigøre licensen. "
              "Når licensen fjernes, slettes postkassen efter 30 dage: konvertér den til en "
              "delt postkasse, eller sæt den i venteposition først"},
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
        "en": "no member inherits E4 from this group alone, so its apps turned off are "
              "unknown: none are turned off on the target",
        "da": "intet medlem arver E4 fra kun denne gruppe, så gruppens slåede fra-apps er "
              "ukendte: ingen slås fra på målplanen"},
    "plan.reason.source-lost": {
        "en": "E4 is already gone (verification found the user without E4 or the target): "
              "this row only assigns the target",
        "da": "E4 er allerede væk (kontrollen fandt brugeren uden E4 eller målplanen): denne "
              "række tildeler kun målplanen"},
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
        "en": "E4 is removed from this blocked account without a replacement: removing the "
              "license starts a 30-day countdown to deleting the mailbox. Convert it to a "
              "shared mailbox or put it on hold first, then run the batch",
        "da": "E4 fjernes fra denne blokerede konto uden erstatning: når licensen fjernes, "
              "slettes postkassen efter 30 dage. Konvertér den til en delt postkasse, eller sæt "
              "den i venteposition først, og kør så batchen"},
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
        "en": "E4 comes from a group the export does not name: export with Graph "
              "(licenseAssignmentStates) or switch that group in Entra",
        "da": "E4 kommer fra en gruppe, som eksporten ikke navngiver: eksportér med Graph "
              "(licenseAssignmentStates), eller skift gruppen i Entra"},
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
    # -- row-specific reasons, built from the row's evidence ------------------------------------
    "plan.reason.e4-error-state.state": {
        "en": "E4 is in state {state}: the remove clears it",
        "da": "E4 har tilstanden {state}: fjernelsen rydder den"},
    "plan.reason.e4-error-state.state-error": {
        "en": "E4 is in state {state} ({error}): the remove clears it",
        "da": "E4 har tilstanden {state} ({error}): fjernelsen rydder den"},
    "plan.reason.target-disables-e4-service.apps": {
        "en": "the existing target assignment disables {apps} which E4 enables",
        "da": "den eksisterende tildeling af målplanen slår {apps} fra, som E4 har slået til"},
    "plan.reason.target-in-error.error": {
        "en": "the target is already assigned but in error ({error}): it is not held, so the "
              "user needs a seat; free or buy seats first",
        "da": "målplanen er allerede tildelt, men med fejl ({error}): den er ikke aktiv, så "
              "brugeren skal have en licens; frigiv eller køb licenser først"},
    "plan.reason.group-row-held-back": {"en": "group held back: {why}",
                                        "da": "gruppen holdes tilbage: {why}"},
    "plan.blocker.member": {"en": "member {upn} is {reason}",
                            "da": "medlemmet {upn}: {reason}"},
    "plan.blocker.beyond-max-users": {"en": "beyond max_users", "da": "ud over max_users"},
    "plan.blocker.planned": {"en": "planned", "da": "planlagt"},
    "plan.reason.rollback.of": {"en": "undoes {action}", "da": "fortryder {action}"},
    "plan.reason.rollback-keeps-usage-location.of": {
        "en": "undoes {action}: the usage location stays {location} (a licensed user needs "
              "one, and Graph may refuse to clear it); clear it by hand once the user holds no "
              "license",
        "da": "fortryder {action}: placeringen for anvendelse forbliver {location} (en bruger "
              "med licens skal have en, og Graph kan afvise at rydde den); ryd den manuelt, "
              "når brugeren ikke længere har nogen licens"},
    "plan.decision.group-held-back": {
        "en": "{reason}: take the blocking users out of the group (or assign them E4 "
              "directly) so the group can be switched",
        "da": "{reason}: tag de blokerende brugere ud af gruppen (eller tildel dem E4 "
              "direkte), så gruppen kan skiftes"},
    "plan.decision.disabled-plans-unknown": {
        "en": "the {format} export does not say which apps (service plans) are turned off for "
              "each user, so none can be carried over: every app of the target will be on. To "
              "keep them, export users with Microsoft Graph "
              "(assignedLicenses/licenseAssignmentStates) and plan again",
        "da": "{format}-eksporten viser ikke, hvilke apps (serviceplaner) der er slået fra for "
              "hver bruger, så ingen kan føres over: alle apps i målplanen slås til. Eksportér "
              "brugerne med Microsoft Graph (assignedLicenses/licenseAssignmentStates), og "
              "planlæg igen for at beholde dem slået fra"},
    # -- the plan's notes -----------------------------------------------------------------------
    "plan.note.no-subscriptions": {
        "en": "no subscriptions export: seat availability is unverified",
        "da": "ingen abonnementseksport: antallet af ledige licenser er ikke kontrolleret"},
    "plan.note.no-service-plans": {
        "en": "the catalog does not list {target}'s service plans: disabled plans cannot be "
              "carried over (see decisions)",
        "da": "kataloget viser ikke serviceplanerne i {target}: apps slået fra kan ikke føres "
              "over (se beslutningerne)"},
    "plan.note.disabled-plans-unknown": {
        "en": "{format} export: per-user disabled apps are unknown",
        "da": "{format}-eksport: hvilke apps der er slået fra for hver bruger, er ukendt"},
    "plan.note.remaining-unverified": {
        "en": "remaining plan: seat availability is unverified",
        "da": "resterende plan: antallet af ledige licenser er ikke kontrolleret"},
    # -- the plan in the terminal (Plan.to_text) ------------------------------------------------
    "plan.text.title": {"en": "Reassignment plan for {tenant}: {source} -> {target}",
                        "da": "Flytteplan for {tenant}: {source} -> {target}"},
    "plan.text.users": {"en": "Users holding E4: {e4}; moved by this plan: {moved}",
                        "da": "Brugere med E4: {e4}; flyttes af denne plan: {moved}"},
    "plan.text.actions": {"en": "Actions:", "da": "Handlinger:"},
    "plan.text.covering": {"en": "  (covering {n} {n|user|users})",
                           "da": "  (dækker {n} {n|bruger|brugere})"},
    "plan.text.skipped": {"en": "Skipped: {skips}", "da": "Springes over: {skips}"},
    "plan.text.batches": {"en": "Batches: {n} (at most {size} {size|user|users} each)",
                          "da": "Batches: {n} (højst {size} {size|bruger|brugere} i hver)"},
    "plan.text.seats": {"en": "Seats: {seats}", "da": "Licenser: {seats}"},
    "plan.text.unverified": {
        "en": "  availability UNVERIFIED (no subscriptions export): check Billing > Your "
              "products before running",
        "da": "  antal ledige IKKE KONTROLLERET (ingen abonnementseksport): se Fakturering > "
              "Dine produkter, før du kører"},
    "plan.text.refused": {
        "en": "  REFUSED, {n} missing for this round. {buy}, or limit the plan (max_users: "
              "{available}, only_departments, only_users). No artifacts written.",
        "da": "  AFVIST, {n} mangler til denne runde. {buy}, eller begræns planen (max_users: "
              "{available}, only_departments, only_users). Ingen filer skrevet."},
    "plan.text.held-back": {
        "en": "Held back until usage location is set: {n} {n|user|users} ({later} more "
              "{later|seat|seats} later)",
        "da": "Holdes tilbage, til placeringen for anvendelse er angivet: {n} "
              "{n|bruger|brugere} ({later} {later|licens|licenser} mere senere)"},
    "plan.text.decisions": {"en": "Decisions left to you: {n}",
                            "da": "Beslutninger, du skal træffe: {n}"},
    "plan.text.decisions.none": {"en": "Decisions left to you: none",
                                 "da": "Beslutninger, du skal træffe: ingen"},
    "plan.text.more": {"en": " (+{n} more)", "da": " (+{n} mere)"},
    "plan.text.note": {"en": "Note: {note}", "da": "Bemærk: {note}"},
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
