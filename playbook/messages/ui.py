"""The verdict's layout (``ui.*``), "Buy N" (``buy.*``), the tenant banner and "Next" links
(``nav.*``) and the widgets' messages.

One part of the catalog :data:`playbook.messages.MESSAGES` joins; each entry maps a language
to its template (see :mod:`playbook.messages` for placeholders and plurals).
"""

from __future__ import annotations

CATALOG: dict[str, dict[str, str]] = {
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
    "widget.record_note": {
        "en": "An interactive control: open the executed .ipynb in JupyterLab to use it. The "
              "values it held are the ones the run used, shown in the outputs around it.",
        "da": "Et interaktivt kontrolelement: åbn den kørte .ipynb i JupyterLab for at bruge "
              "det. Værdierne i det er dem, kørslen brugte, og de vises i resultaterne omkring "
              "det."},
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
        "da": "denne runde kræver {needed}, {available} {available|ledig|ledige}; skal købes "
              "til hele flytningen: {whole_move}",
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
}
