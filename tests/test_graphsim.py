"""The local Graph (tests/graphsim) enforces Graph's rules and produces its faults on demand.

Each test drives it the way a client would (HTTP through ``mock_transport`` or real sockets
through ``serve``) and asserts on the answer *and* on the tenant's state afterwards, so a rule
the local Graph stopped enforcing fails here before it lets a client bug through.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphsim.app import make_app
from graphsim.clock import VirtualClock
from graphsim.faults import GRAPH_WRITE_QUOTA, Faults, http_date_after
from graphsim.model import GraphTenant
from graphsim.server import serve
from graphsim.transport import mock_transport
from paths import REPO, TENANTS

from playbook.catalog import Catalog
from playbook.plan import EXECUTED_KINDS, build_plan
from playbook.plan.store import load_plan, save_plan
from playbook.tenant import load_tenant

TOKEN = "test-token-not-a-secret"
BASE = "http://graph.test/v1.0"
CATALOG = Catalog.builtin()
E4 = CATALOG.get("ENTERPRISEWITHSCAL").sku_id
E5 = CATALOG.get("ENTERPRISEPREMIUM").sku_id
SPE_E5 = CATALOG.get("SPE_E5").sku_id
FABRIKAM_GROUP = "fa0000a1-0000-4000-8000-000000000001"


def plan_id_of(sku_id: str, name: str) -> str:
    plan = CATALOG.get(sku_id).plan_id(name)
    assert plan, name
    return plan.lower()


def client_for(tenant: GraphTenant, faults: Faults | None = None,
               clock: VirtualClock | None = None) -> httpx.Client:
    return httpx.Client(transport=mock_transport(tenant, faults, clock), base_url=BASE,
                        headers={"Authorization": f"Bearer {TOKEN}"})


def swap(add: str | None, remove: str | None, disabled: list[str] | None = None) -> dict:
    return {"addLicenses": [{"skuId": add, "disabledPlans": disabled or []}] if add else [],
            "removeLicenses": [remove] if remove else []}


@pytest.fixture
def contoso() -> GraphTenant:
    return GraphTenant.from_tenant_dir(TENANTS / "contoso-direct")


@pytest.fixture
def fabrikam() -> GraphTenant:
    return GraphTenant.from_tenant_dir(TENANTS / "fabrikam-invoice")


def a_user(tenant: GraphTenant, holding: str = E4) -> str:
    return next(u.upn for u in tenant.users.values() if holding in u.direct and u.usage_location)


# -- the model from the sample tenants ---------------------------------------------------------
@pytest.mark.parametrize("name", sorted(p.name for p in TENANTS.iterdir() if p.is_dir()))
def test_model_holds_what_the_playbook_reads_from_each_sample_tenant(name: str) -> None:
    loaded = load_tenant(TENANTS / name)
    tenant = GraphTenant.from_tenant_dir(TENANTS / name)
    table = loaded.licenses
    assert len(tenant.users) == table["upn"].nunique()
    held = table[table["sku_id"].ne("") & table["state"].ne("Error")]
    for upn, rows in held.groupby("upn"):
        assert set(tenant.user_licenses(upn)) == set(rows["sku_id"].str.lower()), upn
    e4_holders = held[held["sku_id"].str.lower() == E4]["upn"].nunique()
    assert tenant.consumed(E4) - tenant.skus[E4].offset == e4_holders
    if loaded.subscriptions is not None:  # consumedUnits start as the export said
        for rec in loaded.subscriptions.itertuples():
            assert tenant.consumed(rec.sku_id.lower()) == rec.consumed
    assert tenant.target == loaded.catalog.get(loaded.config.target).part_number


def test_groups_members_and_disabled_plans_come_from_the_graph_export(fabrikam) -> None:
    group = fabrikam.groups[FABRIKAM_GROUP]
    assert E4 in group.assigned and len(group.members) >= 15
    member = fabrikam.users[group.members[0]]
    assert E4 in fabrikam.user_licenses(member.upn)
    states = [p for p in fabrikam.paths(member) if p["assignedByGroup"] == FABRIKAM_GROUP]
    assert states and states[0]["state"] == "Active"


def test_synthetic_tenant_has_the_asked_size_and_group_share() -> None:
    tenant = GraphTenant.synthetic(2000, seed=3, group_share=0.3)
    assert len(tenant.users) == 2000
    members = {m for g in tenant.groups.values() if E4 in g.assigned for m in g.members}
    assert 0.3 * 2000 <= len(members) <= 0.3 * 2000 + 0.06 * 2000 + 1  # e4_group + e4_both
    target = tenant.sku_by_part(tenant.target)
    assert target is not None and tenant.free_seats(target.sku_id) >= tenant.consumed(E4)


# -- reads -------------------------------------------------------------------------------------
def test_users_are_paged_with_next_links_and_select(fabrikam) -> None:
    with client_for(fabrikam) as client:
        url = "/users?$select=id,userPrincipalName,assignedLicenses,licenseAssignmentStates&$top=7"
        seen, pages = [], 0
        while url:
            body = client.get(url).json()
            seen += body["value"]
            pages += 1
            url = body.get("@odata.nextLink")
        plain = client.get("/users").json()["value"][0]
    assert pages == -(-len(fabrikam.users) // 7)
    assert sorted(u["userPrincipalName"] for u in seen) == sorted(u.upn for u in
                                                                  fabrikam.users.values())
    assert all(set(u) == {"id", "userPrincipalName", "assignedLicenses",
                          "licenseAssignmentStates"} for u in seen)
    assert "assignedLicenses" not in plain and "userPrincipalName" in plain  # only on $select


def test_unknown_select_and_bad_top_are_refused(contoso) -> None:
    with client_for(contoso) as client:
        bad = client.get("/users?$select=id,nonsense")
        top = client.get("/users?$top=1000")
    assert bad.status_code == 400 and "nonsense" in bad.json()["error"]["message"]
    assert top.status_code == 400


def test_user_by_upn_org_and_skus(contoso) -> None:
    upn = a_user(contoso)
    with client_for(contoso) as client:
        user = client.get(f"/users/{upn.upper()}?$select=usageLocation,assignedLicenses").json()
        org = client.get("/organization").json()["value"][0]
        skus = {s["skuPartNumber"]: s for s in client.get("/subscribedSkus").json()["value"]}
        missing = client.get("/users/nobody@contoso.example")
    assert user["id"] == contoso.user(upn).id and [a["skuId"] for a in
                                                   user["assignedLicenses"]][0] == E4
    assert org["id"] == contoso.tenant_id
    assert skus["ENTERPRISEPREMIUM"]["prepaidUnits"]["enabled"] == 25
    assert skus["ENTERPRISEPREMIUM"]["servicePlans"]
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "Request_ResourceNotFound"
    assert missing.json()["error"]["innerError"]["request-id"] == missing.headers["request-id"]


def test_requests_need_a_bearer_token_and_the_token_is_never_kept(contoso) -> None:
    with httpx.Client(transport=mock_transport(contoso), base_url=BASE) as client:
        anonymous = client.get("/users")
        signed = client.get("/users", headers={"Authorization": f"Bearer {TOKEN}"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert signed.status_code == 200
    assert [r.had_token for r in contoso.requests] == [False, True]
    assert TOKEN not in repr(contoso.requests) + repr(contoso.write_log)


def test_groups_filter_by_sku_and_members(fabrikam) -> None:
    with client_for(fabrikam) as client:
        url = f"/groups?$filter=assignedLicenses/any(x:x/skuId eq {E4})&$select=id,assignedLicenses"
        groups = client.get(url).json()["value"]
        members = client.get(f"/groups/{FABRIKAM_GROUP}/members?$select=id&$top=5").json()
        refused = client.get("/groups?$filter=hasMembersWithLicenseErrors eq true")
    assert FABRIKAM_GROUP in {g["id"] for g in groups}
    assert all(any(a["skuId"] == E4 for a in g["assignedLicenses"]) for g in groups)
    assert len(members["value"]) == 5 and "@odata.nextLink" in members
    assert members["value"][0]["@odata.type"] == "#microsoft.graph.user"
    assert refused.status_code == 400  # Graph's filter on it fails in practice too


# -- assignLicense rules -------------------------------------------------------------------
def test_a_swap_adds_the_target_and_removes_e4_in_one_call_and_moves_seats(contoso) -> None:
    upn = a_user(contoso)
    e5_before, e4_before = contoso.consumed(E5), contoso.consumed(E4)
    with client_for(contoso) as client:
        resp = client.post(f"/users/{upn}/assignLicense", json=swap(E5, E4))
        skus = {s["skuId"]: s for s in client.get("/subscribedSkus").json()["value"]}
    assert resp.status_code == 200 and resp.json()["userPrincipalName"] == upn
    assert contoso.user_licenses(upn) == {E5: frozenset()} | {
        k: v for k, v in contoso.initial["users"][contoso.user(upn).id][0].items()
        if k not in (E4, E5)}
    assert skus[E5]["consumedUnits"] == e5_before + 1
    assert skus[E4]["consumedUnits"] == e4_before - 1
    assert contoso.write_log[-1].applied and contoso.write_log[-1].user_or_group_id == \
        contoso.user(upn).id


@pytest.mark.parametrize("missing", ["addLicenses", "removeLicenses"])
def test_both_arrays_are_required(contoso, missing: str) -> None:
    upn = a_user(contoso)
    body = swap(E5, E4)
    del body[missing]
    with client_for(contoso) as client:
        resp = client.post(f"/users/{upn}/assignLicense", json=body)
    error = resp.json()["error"]
    assert resp.status_code == 400 and error["code"] == "Request_BadRequest"
    assert f"The missing parameters are: {missing}" in error["message"]
    assert E4 in contoso.user_licenses(upn) and E5 not in contoso.user_licenses(upn)
    assert contoso.write_log[-1].applied is False


def test_no_change_at_all_is_refused(contoso) -> None:
    with client_for(contoso) as client:
        resp = client.post(f"/users/{a_user(contoso)}/assignLicense", json=swap(None, None))
    assert resp.status_code == 400 and "No license changes" in resp.json()["error"]["message"]


def test_disabled_plans_replace_never_merge(contoso) -> None:
    upn = a_user(contoso)
    sway, forms = plan_id_of(E5, "SWAY"), plan_id_of(E5, "FORMS_PLAN_E5")
    with client_for(contoso) as client:
        first = client.post(f"/users/{upn}/assignLicense", json=swap(E5, E4, [sway, forms]))
        assert contoso.user_licenses(upn)[E5] == {sway, forms}
        second = client.post(f"/users/{upn}/assignLicense", json=swap(E5, None, [forms]))
    assert (first.status_code, second.status_code) == (200, 200)
    assert contoso.user_licenses(upn)[E5] == {forms}  # SWAY is on again: the set was replaced


def test_a_plan_outside_the_sku_fails_the_whole_call(contoso) -> None:
    upn = a_user(contoso)
    voiceconf = plan_id_of(E4, "MCOVOICECONF")  # an E4 plan; Office 365 E5 has none
    assert voiceconf not in contoso.skus[E5].plan_ids
    with client_for(contoso) as client:
        resp = client.post(f"/users/{upn}/assignLicense", json=swap(E5, E4, [voiceconf]))
    assert resp.status_code == 400 and voiceconf in resp.json()["error"]["message"]
    assert E4 in contoso.user_licenses(upn) and E5 not in contoso.user_licenses(upn)


def test_a_sku_the_tenant_has_not_bought_fails(contoso) -> None:
    spe_e3 = CATALOG.get("SPE_E3").sku_id
    with client_for(contoso) as client:
        resp = client.post(f"/users/{a_user(contoso)}/assignLicense", json=swap(spe_e3, E4))
    assert resp.status_code == 400
    assert "does not correspond to a valid company License" in resp.json()["error"]["message"]


def test_seat_limit_is_prepaid_enabled_minus_consumed(contoso) -> None:
    contoso.skus[E5].enabled = contoso.consumed(E5) + 1
    first, second = [u.upn for u in contoso.users.values() if E4 in u.direct][:2]
    with client_for(contoso) as client:
        ok = client.post(f"/users/{first}/assignLicense", json=swap(E5, E4))
        full = client.post(f"/users/{second}/assignLicense", json=swap(E5, E4))
        again = client.post(f"/users/{first}/assignLicense", json=swap(E5, None))  # holds it
    assert ok.status_code == 200 and again.status_code == 200
    assert full.status_code == 400 and full.json()["error"]["code"] == "Request_BadRequest"
    assert "does not have any available licenses" in full.json()["error"]["message"]
    assert E4 in contoso.user_licenses(second) and E5 not in contoso.user_licenses(second)
    assert contoso.free_seats(E5) == 0


def test_direct_assignment_needs_a_usage_location_and_patch_sets_it(contoso) -> None:
    user = contoso.user(a_user(contoso))
    user.usage_location = None
    with client_for(contoso) as client:
        refused = client.post(f"/users/{user.id}/assignLicense", json=swap(E5, E4))
        bad = client.patch(f"/users/{user.id}", json={"usageLocation": "Denmark"})
        patched = client.patch(f"/users/{user.id}", json={"usageLocation": "dk"})
        ok = client.post(f"/users/{user.id}/assignLicense", json=swap(E5, E4))
        removal = client.post(f"/users/{user.id}/assignLicense", json=swap(None, E5))
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == \
        "License assignment cannot be done for user with invalid usage location."
    assert bad.status_code == 400 and patched.status_code == 204
    assert user.usage_location == "DK" and ok.status_code == 200 and removal.status_code == 200


def test_an_inherited_licence_cannot_be_removed_from_the_user(fabrikam) -> None:
    group = fabrikam.groups[FABRIKAM_GROUP]
    only_group = next(fabrikam.users[u] for u in group.members
                      if E4 not in fabrikam.users[u].direct)
    with client_for(fabrikam) as client:
        resp = client.post(f"/users/{only_group.id}/assignLicense", json=swap(None, E4))
        nothing = client.post(f"/users/{only_group.id}/assignLicense",
                              json=swap(None, CATALOG.get("STANDARDPACK").sku_id))
    assert resp.status_code == 400
    assert "inherited from group membership" in resp.json()["error"]["message"]
    assert E4 in fabrikam.user_licenses(only_group.upn)
    assert nothing.status_code == 400


# -- $batch --------------------------------------------------------------------------------
def batch_item(i: Any, upn: str, body: dict | None = None, method: str = "POST",
               url: str | None = None, **extra: Any) -> dict:
    item = {"id": str(i), "method": method, "url": url or f"/users/{upn}/assignLicense", **extra}
    if body is not None:
        item["body"] = body
        item.setdefault("headers", {"Content-Type": "application/json"})
    return item


def test_batch_holds_at_most_20_requests_with_unique_ids(contoso) -> None:
    upns = [u.upn for u in contoso.users.values()]
    reads = [batch_item(i, u, method="GET", url=f"/users/{u}") for i, u in enumerate(upns[:21])]
    with client_for(contoso) as client:
        too_many = client.post("/$batch", json={"requests": reads})
        twice = client.post("/$batch", json={"requests": [reads[0], {**reads[1], "id": "0"}]})
        twenty = client.post("/$batch", json={"requests": reads[:20]})
    assert too_many.status_code == 400 and twice.status_code == 400
    assert twenty.status_code == 200 and len(twenty.json()["responses"]) == 20
    assert {r["status"] for r in twenty.json()["responses"]} == {200}


def test_batch_items_have_their_own_statuses_in_any_order(contoso) -> None:
    upns = [u.upn for u in contoso.users.values() if E4 in u.direct][:8]
    items = [batch_item(i, u, swap(E5, E4)) for i, u in enumerate(upns)]
    items.append(batch_item("bad", upns[0], {"addLicenses": []}))       # missing removeLicenses
    items.append(batch_item("gone", "x", swap(E5, E4), url="/users/nobody@x/assignLicense"))
    items.append(batch_item("nobody-header", upns[1], swap(E5, E4), headers={}))
    with client_for(contoso, Faults(seed=1)) as client:
        resp = client.post("/$batch", json={"requests": items})
    answers = resp.json()["responses"]
    status = {a["id"]: a["status"] for a in answers}
    assert resp.status_code == 200
    assert [status[str(i)] for i in range(8)] == [200] * 8
    assert (status["bad"], status["gone"], status["nobody-header"]) == (400, 404, 400)
    assert [a["id"] for a in answers] != [i["id"] for i in items]  # not in request order
    assert all(E5 in contoso.user_licenses(u) for u in upns)
    ok = next(a for a in answers if a["id"] == "0")
    assert ok["body"]["userPrincipalName"] == upns[0] and ok["headers"]["request-id"]


def test_depends_on_fails_the_dependant_with_424(contoso) -> None:
    user = contoso.user(a_user(contoso))
    user.usage_location = None
    items = [batch_item("1", user.upn, {"usageLocation": "not a code"}, method="PATCH",
                        url=f"/users/{user.id}"),
             batch_item("2", user.upn, swap(E5, E4), dependsOn=["1"])]
    with client_for(contoso, Faults(batch_response_order="request")) as client:
        answers = client.post("/$batch", json={"requests": items}).json()["responses"]
        items[0]["body"] = {"usageLocation": "DK"}
        fixed = client.post("/$batch", json={"requests": items}).json()["responses"]
    assert [(a["id"], a["status"]) for a in answers] == [("1", 400), ("2", 424)]
    assert [(a["id"], a["status"]) for a in fixed] == [("1", 204), ("2", 200)]
    assert E5 in contoso.user_licenses(user.upn)


# -- groups ---------------------------------------------------------------------------------
def read_state(client: httpx.Client, gid: str) -> str:
    body = client.get(f"/groups/{gid}?$select=licenseProcessingState,assignedLicenses").json()
    return body["licenseProcessingState"]["state"]


def test_group_swap_is_202_and_reaches_members_only_when_processing_completes(fabrikam) -> None:
    group = fabrikam.groups[FABRIKAM_GROUP]
    member = next(fabrikam.users[u] for u in group.members if E4 not in fabrikam.users[u].direct)
    with client_for(fabrikam, Faults(group_processing_polls=2)) as client:
        resp = client.post(f"/groups/{FABRIKAM_GROUP}/assignLicense", json=swap(SPE_E5, E4))
        states = [read_state(client, FABRIKAM_GROUP)]
        assert E4 in fabrikam.user_licenses(member.upn)  # not processed yet
        states += [read_state(client, FABRIKAM_GROUP) for _ in range(2)]
    assert resp.status_code == 202
    assert states == ["QueuedForProcessing", "ProcessingInProgress", "ProcessingComplete"]
    assert fabrikam.group_licenses(FABRIKAM_GROUP) == {SPE_E5: frozenset()} | {
        k: v for k, v in fabrikam.initial["groups"][FABRIKAM_GROUP].items() if k != E4}
    assert SPE_E5 in fabrikam.user_licenses(member.upn)
    assert E4 not in fabrikam.user_licenses(member.upn)


def test_group_members_can_end_with_errors_and_lose_all_the_groups_products(fabrikam) -> None:
    group = fabrikam.groups[FABRIKAM_GROUP]
    victim = next(fabrikam.users[u] for u in group.members if E4 not in fabrikam.users[u].direct)
    faults = Faults(group_processing_polls=0,
                    group_member_errors={FABRIKAM_GROUP: {victim.id: "CountViolation"}})
    with client_for(fabrikam, faults) as client:
        client.post(f"/groups/{FABRIKAM_GROUP}/assignLicense", json=swap(SPE_E5, E4))
        state = read_state(client, FABRIKAM_GROUP)
        errors = client.get(f"/groups/{FABRIKAM_GROUP}/membersWithLicenseErrors").json()
        user = client.get(f"/users/{victim.id}?$select=licenseAssignmentStates").json()
    assert state == "ProcessingComplete"
    assert [u["id"] for u in errors["value"]] == [victim.id]
    paths = [p for p in user["licenseAssignmentStates"] if p["assignedByGroup"] == FABRIKAM_GROUP]
    assert {(p["skuId"], p["state"], p["error"]) for p in paths} >= {
        (SPE_E5, "Error", "CountViolation")}
    assert SPE_E5 not in fabrikam.user_licenses(victim.upn)
    assert E4 not in fabrikam.user_licenses(victim.upn)  # the group no longer gives it


def test_group_processing_runs_out_of_seats_as_count_violation(fabrikam) -> None:
    fabrikam.skus[SPE_E5].enabled = fabrikam.consumed(SPE_E5) + 2
    with client_for(fabrikam, Faults(group_processing_polls=0)) as client:
        client.post(f"/groups/{FABRIKAM_GROUP}/assignLicense", json=swap(SPE_E5, E4))
    members = [fabrikam.users[u] for u in fabrikam.groups[FABRIKAM_GROUP].members]
    failed = [u for u in members if (FABRIKAM_GROUP, SPE_E5) in u.group_errors]
    assert failed and all(u.group_errors[(FABRIKAM_GROUP, SPE_E5)] == "CountViolation"
                          for u in failed)
    assert fabrikam.free_seats(SPE_E5) == 0


# -- faults ---------------------------------------------------------------------------------
def test_chosen_items_are_throttled_with_their_own_retry_after(contoso) -> None:
    upns = [u.upn for u in contoso.users.values() if E4 in u.direct][:3]
    faults = Faults(throttle_items={upns[1]}, retry_after="2.128")
    items = [batch_item(i, u, swap(E5, E4)) for i, u in enumerate(upns)]
    with client_for(contoso, faults) as client:
        answers = {a["id"]: a for a in client.post("/$batch", json={"requests": items}).json()[
            "responses"]}
        retry = client.post("/$batch", json={"requests": [items[1]]}).json()["responses"][0]
    assert answers["1"]["status"] == 429 and answers["1"]["headers"]["Retry-After"] == "2.128"
    assert answers["1"]["body"]["error"]["code"] == "TooManyRequests"
    assert (answers["0"]["status"], answers["2"]["status"], retry["status"]) == (200, 200, 200)
    assert [w.applied for w in contoso.write_log] == [True, False, True, True]


def test_a_429_may_have_been_applied_and_a_blind_resend_is_counted(contoso) -> None:
    upn = a_user(contoso)
    faults = Faults(throttle_items={upn}, apply_despite_429=True)
    with client_for(contoso, faults) as client:
        first = client.post(f"/users/{upn}/assignLicense", json=swap(E5, E4))
        assert E5 in contoso.user_licenses(upn)  # applied although 429
        resend = client.post(f"/users/{upn}/assignLicense", json=swap(E5, E4))
    assert first.status_code == 429 and first.headers["Retry-After"] == "2"
    assert resend.status_code == 400  # E4 is gone: Graph refuses the blind re-send
    assert contoso.writes_applied_after_success() == [contoso.write_log[1]]


def test_a_write_after_a_reread_is_not_a_repeat(contoso) -> None:
    first, second = [u.upn for u in contoso.users.values() if E4 in u.direct][:2]
    with client_for(contoso) as client:
        client.post(f"/users/{first}/assignLicense", json=swap(E5, E4))
        client.post(f"/users/{second}/assignLicense", json=swap(E5, E4))
        client.post(f"/users/{first}/assignLicense", json=swap(E4, E5))  # a rollback
    assert contoso.writes_applied_after_success() == []


def test_the_envelope_can_be_throttled_with_an_http_date(contoso) -> None:
    clock = VirtualClock()
    faults = Faults(throttle_envelope_every=2, retry_after=http_date_after(clock, 3))
    upns = [u.upn for u in contoso.users.values() if E4 in u.direct][:2]
    with client_for(contoso, faults, clock) as client:
        one = client.post("/$batch", json={"requests": [batch_item(1, upns[0], swap(E5, E4))]})
        two = client.post("/$batch", json={"requests": [batch_item(1, upns[1], swap(E5, E4))]})
    assert one.status_code == 200 and two.status_code == 429
    assert two.headers["Retry-After"] == "Mon, 05 Jan 2026 09:00:03 GMT"
    assert E4 in contoso.user_licenses(upns[1])  # not applied


def test_every_nth_request_fails_with_503(contoso) -> None:
    with client_for(contoso, Faults(fail_503_every=3)) as client:
        statuses = [client.get("/organization").status_code for _ in range(6)]
    assert statuses == [200, 200, 503, 200, 200, 503]


def test_the_write_quota_is_a_token_bucket_on_the_virtual_clock(contoso) -> None:
    clock = VirtualClock()
    faults = Faults(write_quota=(10, 5.0))  # 2 writes per second
    upns = [u.upn for u in contoso.users.values() if E4 in u.direct]
    with client_for(contoso, faults, clock) as client:
        answers = [client.post(f"/users/{u}/assignLicense", json=swap(E5, E4))
                   for u in upns[:11]]
        clock.sleep(float(answers[-1].headers["Retry-After"]))
        later = client.post(f"/users/{upns[10]}/assignLicense", json=swap(E5, E4))
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert float(answers[-1].headers["Retry-After"]) == pytest.approx(0.5)
    assert "x-ms-throttle-limit-percentage" not in answers[6].headers  # 70% used
    assert answers[8].headers["x-ms-throttle-limit-percentage"] == "0.9"
    assert later.status_code == 200


def test_graphs_own_quota_allows_3000_writes_per_150_virtual_seconds(contoso) -> None:
    clock = VirtualClock()
    bucket = mock_transport(contoso, Faults(write_quota=GRAPH_WRITE_QUOTA), clock).service.bucket
    assert sum(bucket.take() is None for _ in range(3001)) == 3000
    clock.sleep(75.0)  # half the window refills half the bucket
    assert sum(bucket.take() is None for _ in range(3001)) == 1500


def test_slow_answers_time_out_a_client_over_real_sockets(contoso) -> None:
    faults = Faults(slow_seconds=0.5)
    with serve(make_app(contoso, faults)) as base_url, httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=0.1) as client, pytest.raises(httpx.ReadTimeout):
        client.get("/organization")


# -- real sockets ---------------------------------------------------------------------------
def test_served_on_loopback_with_paging_writes_and_batches(fabrikam) -> None:
    with serve(make_app(fabrikam)) as base_url, httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1.0")
        org = client.get("/organization").json()["value"][0]
        url, seen = "/users?$top=25&$select=id,assignedLicenses", 0
        while url:
            page = client.get(url).json()
            seen += len(page["value"])
            url = page.get("@odata.nextLink")
        upn = a_user(fabrikam)
        swap_answer = client.post(f"/users/{upn}/assignLicense", json=swap(SPE_E5, E4))
        answers = client.post("/$batch", json={"requests": [
            batch_item("a", upn, method="GET", url=f"/users/{upn}?$select=assignedLicenses")]})
    assert org["id"] == fabrikam.tenant_id and seen == len(fabrikam.users)
    assert swap_answer.status_code == 200 and SPE_E5 in fabrikam.user_licenses(upn)
    assert answers.json()["responses"][0]["body"]["assignedLicenses"][0]["skuId"] in (
        SPE_E5, *fabrikam.user_licenses(upn))


# -- after-state ----------------------------------------------------------------------------
def carry_out(client: httpx.Client, plan_dir: Path, *, drop_disabled: bool = False,
              skip: str = "") -> None:
    """A reference run of a plan, one call per row (what the playbook's apply must equal)."""
    table = load_plan(plan_dir).table
    rows = table[table["kind"].isin(EXECUTED_KINDS) & (table["batch"] >= 1)]
    for _, row in rows.sort_values("batch", kind="stable").iterrows():
        ref = row["user_id"] or row["upn"]
        disabled = [] if drop_disabled else list(row["disabled_plan_ids_after"])
        body = {"addLicenses": [{"skuId": row["add_sku_id"], "disabledPlans": disabled}]
                if row["add_sku_id"] else [],
                "removeLicenses": [row["remove_sku_id"]] if row["remove_sku_id"] else []}
        if skip and row["upn"] == skip:
            continue
        if row["kind"] == "set-usage-location":
            resp = client.patch(f"/users/{ref}", json={"usageLocation":
                                                       row["new_usage_location"]})
        elif row["kind"] == "group-swap":
            resp = client.post(f"/groups/{row['group_id']}/assignLicense", json=body)
            while read_state(client, row["group_id"]) != "ProcessingComplete":
                pass
        else:
            resp = client.post(f"/users/{ref}/assignLicense", json=body)
        assert resp.status_code < 300, resp.text


def planned(tmp_path: Path, name: str, **overrides: Any) -> Path:
    plan = build_plan(load_tenant(TENANTS / name), **overrides)
    assert not plan.refused
    save_plan(plan, tmp_path)
    return tmp_path


@pytest.mark.parametrize(("name", "overrides"), [
    ("contoso-direct", {}), ("adatum-legacy", {}), ("fabrikam-invoice", {"max_users": 50})])
def test_after_state_matches_a_plan_carried_out_exactly(tmp_path, name, overrides) -> None:
    tenant = GraphTenant.from_tenant_dir(TENANTS / name)
    plan_dir = planned(tmp_path, name, **overrides)
    assert tenant.after_state_matches(plan_dir)  # before: every moved user differs
    with client_for(tenant) as client:
        carry_out(client, plan_dir)
    assert tenant.after_state_matches(plan_dir) == []


def test_after_state_names_a_user_left_behind_and_lost_disabled_plans(tmp_path) -> None:
    plan_dir = planned(tmp_path, "fabrikam-invoice", max_users=50)
    table = load_plan(plan_dir).table
    with_off = table[(table["kind"] == "user-swap") & table["disabled_plan_ids_after"].map(bool)]
    assert not with_off.empty
    skipped = table[(table["kind"] == "user-swap") & (table["add_sku_id"] != "")]["upn"].iloc[-1]
    tenant = GraphTenant.from_tenant_dir(TENANTS / "fabrikam-invoice")
    with client_for(tenant) as client:
        carry_out(client, plan_dir, drop_disabled=True, skip=skipped)
    problems = tenant.after_state_matches(plan_dir)
    assert any(p.startswith(skipped) and "holds" in p for p in problems)
    for upn in with_off["upn"]:
        if upn != skipped:
            assert any(p.startswith(upn) and "disables" in p for p in problems), upn


def test_after_state_sees_a_change_outside_the_plan(tmp_path) -> None:
    plan_dir = planned(tmp_path, "adatum-legacy")
    tenant = GraphTenant.from_tenant_dir(TENANTS / "adatum-legacy")
    outsider = next(u for u in tenant.users.values() if E4 not in u.direct and u.usage_location)
    spe_e3 = CATALOG.get("SPE_E3").sku_id
    tenant.skus[spe_e3].enabled += 1
    with client_for(tenant) as client:
        carry_out(client, plan_dir)
        assert tenant.after_state_matches(plan_dir) == []
        assert client.post(f"/users/{outsider.id}/assignLicense",
                           json=swap(spe_e3, None)).status_code == 200
    problems = tenant.after_state_matches(plan_dir)
    assert len(problems) == 1 and problems[0].startswith(f"{outsider.upn}: not in the executed")


# -- never shipped ----------------------------------------------------------------------------
def test_no_playbook_module_imports_the_local_graph() -> None:
    importers = []
    for path in sorted((REPO / "playbook").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            importers += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "graphsim"]
    assert importers == []

