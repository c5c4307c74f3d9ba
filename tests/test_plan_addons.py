"""The plan: add-ons the target includes, plans switched on that need what E4 had off, seat
figures labelled, plurals (issue #13 items 8, 15 and the left-over items)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from test_planning import E3, E4, E5, G1, one, plan_of, row, subs, table

from playbook import eligibility
from playbook.artifacts import render_artifacts, write_artifacts
from playbook.catalog import PLAN_SUCCESSORS, Catalog, plan_label
from playbook.counting import count_licenses, included_addon_seats
from playbook.errors import InputError
from playbook.messages import message
from playbook.plan import map_disabled_plans
from playbook.plan.disabled_plans import successors_kept_off
from playbook.tenant import TenantConfig

CAT = Catalog.builtin()
E5_NO_AUDIO = "ENTERPRISEPREMIUM_NOPSTNCONF"


def addon_tenant() -> pd.DataFrame:
    """Three E4 users: one with Teams Phone, one with Teams Phone and Audio Conferencing, one
    with Extra File Storage (which no E5 includes); one non-E4 user with Teams Phone."""
    return table(row("a@x.dk"), row("a@x.dk", "MCOEV"),
                 row("b@x.dk"), row("b@x.dk", "MCOEV"), row("b@x.dk", "MCOMEETADV"),
                 row("c@x.dk"), row("c@x.dk", "SHAREPOINTSTORAGE"),
                 row("z@x.dk", "MCOEV"))


# --- item 8: add-ons the target already includes ---------------------------------------------


def test_included_addons_are_read_from_the_export_and_become_a_decision():
    """Upgrade from an Office 365 E4 subscription [S1], Upgrade-tab step 5: "add-ons that are
    INCLUDED in the target subscription are removed"; the manual path has no such step, so the
    plan offers it. Office 365 E5 contains the MCOEV and MCOMEETADV plans [S22]
    (microsoft-facts section 7). tenant.yaml lists no addons here: the export alone says."""
    plan = plan_of(addon_tenant(), subs(10))
    found = {d["plans"][0]: d for d in plan.decisions if d["code"] == "included-addon"}
    assert set(found) == {"MCOEV", "MCOMEETADV"}  # not SHAREPOINTSTORAGE: E5 lacks it
    assert found["MCOEV"]["users"] == ["a@x.dk", "b@x.dk"]  # z@x.dk holds no E4
    assert found["MCOEV"]["reduce_by"] == 2 and found["MCOEV"]["action_id"] == ""
    assert found["MCOMEETADV"]["users"] == ["b@x.dk"]
    assert ("remove Microsoft 365 Audio Conferencing [MCOMEETADV] from this user after the "
            "move and reduce that subscription by 1") in found["MCOMEETADV"]["why"]
    assert "2 users moving to Office 365 E5 hold" in found["MCOEV"]["why"]
    assert plan.summary["decisions"]["included-addon"] == 2


def test_e5_without_audio_conferencing_includes_teams_phone_only():
    """Service plan reference [S22] (microsoft-facts section 7): E5 NOPSTNCONF contains MCOEV
    but not MCOMEETADV, so Audio Conferencing stays a needed add-on."""
    e4, target = CAT.get(E4), CAT.get(E5_NO_AUDIO)
    assert included_addon_seats(addon_tenant(), CAT, e4, target) == {"MCOEV": 2}
    assert included_addon_seats(addon_tenant(), CAT, e4, CAT.get(E5)) == {
        "MCOEV": 2, "MCOMEETADV": 1}
    assert included_addon_seats(addon_tenant(), CAT, e4, CAT.get(E3)) == {}


def test_checklist_says_which_users_to_remove_the_addon_from_and_by_how_much_to_reduce():
    """Upgrade from an Office 365 E4 subscription [S1]: "You CAN'T remove licenses as part of
    the upgrade; reduce license count before or after", so the checklist's Afterwards part
    names the users and the number."""
    files = render_artifacts(plan_of(addon_tenant(), subs(10)))
    md = files["checklist.md"].decode("utf-8")
    assert ("Remove **Microsoft Teams Phone Standard \\[MCOEV\\]** from these users after the "
            "move and reduce that subscription by **2**: a@x\\.dk, b@x\\.dk\n") in md
    assert ("**included\\-addon** whole plan \\(Microsoft 365 Phone System \\[MCOEV\\]\\)"
            in md)


# --- item 15: a plan switched on needs what it depends on --------------------------------------


def test_successor_of_a_plan_switched_off_on_e4_stays_off_on_the_target():
    """Important information for Office 365 E4 customers [S2] rates the E5 plans as keeping
    all of E4, and the Partner Center E4 page [S3] offers E3 + Cloud PBX for E4's voice:
    MCOEV (Phone System) succeeds MCOVOICECONF (Skype for Business Online Plan 3). Inference:
    the admin switched MCOVOICECONF off, so MCOEV is kept off and said, not switched on."""
    plan = plan_of(table(row("a@x.dk", disabled_plans=("MCOVOICECONF",)),
                         row("b@x.dk", assigned_directly=False, group_ids=(G1,),
                             disabled_plans=("MCOVOICECONF",))), subs(10))
    r = one(plan, "a@x.dk")
    assert r["disabled_plans_after"] == ("MCOEV",) and r["unmapped_plans"] == ()
    assert r["disabled_plan_ids_after"] == (CAT.get(E5).plan_id("MCOEV"),)
    kept = [d for d in plan.decisions if d["code"] == "successor-kept-off"]
    assert [(d["upn"], bool(d["group_id"]), d["plans"]) for d in kept] == [
        ("a@x.dk", False, ["MCOEV"]), ("", True, ["MCOEV"])]
    assert kept[0]["why"].startswith(
        "SKYPE FOR BUSINESS ONLINE (PLAN 3) [MCOVOICECONF] was switched off on E4: its "
        "successor Microsoft 365 Phone System [MCOEV] stays off on Office 365 E5")


def test_successor_table_has_one_home_that_both_eligibility_and_the_mapper_read():
    """Inference (microsoft-facts S2, S3): the successor table lives in catalog.py, below
    eligibility and the plan, so both say the same."""
    assert eligibility.PLAN_SUCCESSORS is PLAN_SUCCESSORS
    m = map_disabled_plans(("MCOVOICECONF",), CAT.get(E4), CAT.get("SPE_E5"), CAT)
    assert m.names == ("MCOEV",) and m.successors == (("MCOVOICECONF", "MCOEV"),)
    m = map_disabled_plans(("MCOVOICECONF",), CAT.get(E4), CAT.get("SPE_E3"), CAT)
    assert m.names == () and m.unmapped == ("MCOVOICECONF",)
    assert successors_kept_off(("MCOVOICECONF",), ("MCOEV",)) == (("MCOVOICECONF", "MCOEV"),)
    assert successors_kept_off(("MCOVOICECONF",), ()) == ()


# --- left over: seat figures labelled, plurals --------------------------------------------------


def test_plan_shows_this_rounds_need_and_the_whole_moves_purchase_labelled():
    """Upgrade from an Office 365 E4 subscription [S1] manual step 2: the new subscription's
    license count must equal what you had for E4 (the whole move), while one plan round may
    move fewer: both figures, the whole-move one by counting's rule."""
    lic = table(*(row(f"u{i}@x.dk") for i in range(5)))
    plan = plan_of(lic, subs(1), max_users=2)
    whole = count_licenses(TenantConfig(name="contoso", max_users=2), lic, subs(1), CAT).to_buy
    assert whole == 4 and plan.summary["to_buy_whole_move"] == 4
    sentence = "this round needs 2, 1 available; to buy for the whole move: 4"
    assert plan.summary["seats"] == sentence
    assert "Seats: " + sentence in plan.to_text()
    assert plan.to_dict()["summary"]["seats"] == sentence


def test_plan_and_checklist_texts_say_1_user_not_1_users():
    """Plurals (issue #13): "1 user", "2 users"; Danish "1 bruger", "2 brugere"."""
    lic = table(row("a@x.dk"), row("b@x.dk", assigned_directly=False, group_ids=(G1,)))
    plan = plan_of(lic, subs(10), batch_size=1)
    text = plan.to_text()
    assert "(covering 1 user)" in text and "(at most 1 user each)" in text
    md = render_artifacts(plan)["checklist.md"].decode("utf-8")
    assert "Batch 1: 1 user\n" in md and "(1 member)" in md and "of at most 1 user." in md
    da = message("plan.decision.included-addon", "da", n=1, addon="X", target="Y")
    assert da.startswith("1 bruger,") and "fra denne bruger" in da
    assert message("plan.decision.included-addon", "da", n=2, addon="X",
                   target="Y").startswith("2 brugere,")


def test_refused_plan_says_1_license_and_both_seat_figures(tmp_path):
    """Plurals (issue #13) and the labelled seat figures, in the refusal too."""
    refused = plan_of(table(row("a@x.dk"), row("b@x.dk")), subs(1))
    with pytest.raises(InputError) as err:
        write_artifacts(refused, tmp_path)
    assert ("1 Office 365 E5 license missing (this round needs 2, 1 available; to buy for "
            "the whole move: 1)") in str(err.value)


# --- left over: service plans by the names admins see -----------------------------------------

MS_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "ms-licensing-service-plan-reference.csv"


def test_every_builtin_plan_has_a_name_microsoft_uses_for_it():
    """Product names and service plan identifiers for licensing [S22]: the reference CSV's
    ``Service_Plans_Included_Friendly_Names``. Each built-in plan's name is one Microsoft gives
    that plan id in one of the built-in SKUs (its table spells a few in capitals in some
    rows). Names come from Microsoft's file here only, for comparison."""
    if not MS_REFERENCE.is_file():
        pytest.skip(f"Microsoft's reference CSV is not beside the project ({MS_REFERENCE})")
    skus = {s.sku_id.lower(): s for s in CAT.skus}
    microsoft: dict[str, set[str]] = defaultdict(set)
    with MS_REFERENCE.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            if len(row) == 6 and row[2].strip().lower() in skus:
                microsoft[row[4].strip().lower()].add(row[5].strip().replace("\u2013", "-"))
    plans = {p.id: p for s in CAT.skus for p in s.service_plans}
    assert len(plans) > 100
    wrong = {p.name: p.friendly for pid, p in plans.items()
             if p.friendly.replace("\u2013", "-") not in microsoft[pid]}
    assert not wrong


def test_checklist_names_apps_by_their_names_with_ids_in_brackets():
    """Product names and service plan identifiers for licensing [S22]: the admin center shows
    the friendly names; the id in brackets ties the line to the plan."""
    assert plan_label("FORMS_PLAN_E5") == "Microsoft Forms (Plan E5) [FORMS_PLAN_E5]"
    assert plan_label("NOT_A_PLAN") == "NOT_A_PLAN"
    plan = plan_of(table(row("a@x.dk", disabled_plans=("FORMS_PLAN_E3",))), subs(10))
    md = render_artifacts(plan)["checklist.md"].decode("utf-8")
    assert "Apps to turn off on Office 365 E5: **Microsoft Forms \\(Plan E5\\) " \
        "\\[FORMS\\_PLAN\\_E5\\]**" in md
