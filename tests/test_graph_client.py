"""The Graph client against a small in-process Graph (``graphfake``): hooks, sign-in token
hygiene, Retry-After, pacing, export, and apply's journal, resume, throttling and failures."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from graphfake import (
    BASE,
    E4,
    E5,
    GROUP,
    SWAY,
    TENANT,
    FakeGraph,
    VirtualClock,
    conn,
    make_fake,
    planned,
)

from playbook.artifacts.folder import JOURNAL_DIR
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.graph.apply import ApplyOptions
from playbook.graph.auth import READ_SCOPES, SignIn, Token, acquire_token
from playbook.graph.endpoint import Endpoint, endpoint_from, is_loopback
from playbook.graph.http import GraphHttp, Pacer, retry_after_seconds
from playbook.graph.journal import read_journals
from playbook.graph.session import run_apply, run_export
from playbook.plan import build_plan
from playbook.plan.store import load_plan
from playbook.tenant import load_tenant


def direct(fake: FakeGraph, n: int) -> dict[str, list[str]]:
    return fake.direct(f"fa000000-0000-4000-8000-{n:012d}")


# -- hooks, token, Retry-After, pacing ----------------------------------------------------

HOOKS_LOCAL = {"E4_GRAPH_URL": "http://127.0.0.1:1/v1.0", "E4_GRAPH_TOKEN": "t"}


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/v1.0", "http://[::1]:1/v1.0",
                                 "http://localhost:1/v1.0", "http://127.9.9.9/v1.0"])
def test_hooks_accept_loopback(url: str) -> None:
    ep = endpoint_from({"E4_GRAPH_URL": url, "E4_GRAPH_TOKEN": "secret-xyz"})
    assert ep.base_url == url and ep.static_token == "secret-xyz"
    assert "secret-xyz" not in repr(ep)


@pytest.mark.parametrize("env", [
    {"E4_GRAPH_URL": "https://graph.microsoft.com/v1.0"},
    {"E4_GRAPH_URL": "http://10.0.0.5/v1.0", "E4_GRAPH_TOKEN": "t"},
    {"E4_GRAPH_URL": "http://127.0.0.1.example.com/v1.0"},
    {"E4_GRAPH_TOKEN": "t"},
])
def test_hooks_refused_unless_loopback(env: dict[str, str]) -> None:
    with pytest.raises(InputError) as err:
        endpoint_from(env)
    assert "E4_GRAPH" in err.value.one_line() and "\n" not in err.value.one_line()
    assert not is_loopback(env.get("E4_GRAPH_URL", "https://graph.microsoft.com"))


def test_write_quota_hook_only_with_a_loopback_url() -> None:
    assert endpoint_from({**HOOKS_LOCAL, "E4_GRAPH_WRITE_QUOTA": "1000/1"}).write_quota == (
        1000, 1.0)
    with pytest.raises(InputError, match="loopback"):
        endpoint_from({"E4_GRAPH_WRITE_QUOTA": "1000/1"})
    with pytest.raises(InputError, match="writes/seconds"):
        endpoint_from({**HOOKS_LOCAL, "E4_GRAPH_WRITE_QUOTA": "fast"})


def test_token_never_shown_and_tid_read_from_claims() -> None:
    claims = base64.urlsafe_b64encode(json.dumps({"tid": TENANT.upper()}).encode()).decode()
    token = Token(f"eyJhbGciOiJub25lIn0.{claims.rstrip('=')}.sig", app="app")
    assert token.tid == TENANT
    assert claims not in repr(token) and claims not in str(token) and "***" in str(token)
    assert Token("opaque").tid == ""


def test_retry_after_seconds_fractions_and_dates() -> None:
    now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("2.128") == pytest.approx(2.128)
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=7), usegmt=True),
                               now) == pytest.approx(7.0)
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=7), usegmt=True),
                               now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
    assert retry_after_seconds("100000") == 300.0


def test_pacer_keeps_writes_between_90_and_95_percent_of_the_quota() -> None:
    clock = VirtualClock()
    pacer = Pacer(clock)
    for _ in range(500):
        pacer.take(20)
    rate = (500 - 1) * 20 / clock.now()  # the first batch goes at once (the burst)
    assert rate == pytest.approx(0.95 * 20)
    # at no 150 s window more than 3,000 writes: the bucket holds one batch at most
    assert pacer.burst == 20


def test_pacer_slows_down_on_throttle_limit_percentage() -> None:
    clock = VirtualClock()
    pacer = Pacer(clock)
    pacer.take(20)
    pacer.observe({"x-ms-throttle-limit-percentage": "85"})
    start = clock.now()
    pacer.take(20)
    assert clock.now() - start == pytest.approx(20 / (19 * 0.5))
    for _ in range(25):
        pacer.observe({})
    assert pacer.slow == 1.0
    pacer.observe({}, 429)
    assert pacer.slow == 0.5


# -- export -------------------------------------------------------------------------------


def test_export_writes_readable_files_with_tenant_id(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock)
    info = json.loads((tenant_dir / "export.json").read_text())
    assert info["tenant_id"] == TENANT and info["users"] == 10 and info["pages"] == 5
    assert json.loads((tenant_dir / "groups.json").read_text())["value"][0]["id"] == GROUP
    tenant = load_tenant(tenant_dir)
    assert tenant.users_format.startswith("graph") and tenant.config.tenant_id == TENANT
    plan = json.loads((plan_dir / "plan.json").read_text())
    assert plan["tenant_id"] == TENANT and plan["plan_id"] == pid
    with pytest.raises(InputError, match="already there"):
        run_export(tenant_dir, conn(fake, clock), show=lambda _: None)


def test_export_resumes_from_the_last_page(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    tenant_dir = tmp_path / "t"
    tenant_dir.mkdir()
    (tenant_dir / "tenant.yaml").write_text("name: t\ntarget: SPE_E5\n")
    seen: list[str] = []
    real = fake.handler

    def cut(request):  # the connection dies on the fourth page
        if "skip=6" in str(request.url) and not seen:
            seen.append("cut")
            raise OSError("laptop closed")
        return real(request)

    fake.handler = cut
    with pytest.raises(OSError):
        run_export(tenant_dir, conn(fake, clock), show=lambda _: None)
    assert len(list((tenant_dir / ".export-partial").glob("page-*.json"))) == 3
    done = run_export(tenant_dir, conn(fake, clock), show=lambda _: None)
    assert done.resumed and done.users == 10 and done.pages == 5
    assert not (tenant_dir / ".export-partial").exists()


# -- apply ---------------------------------------------------------------------------------


def apply(plan_dir: Path, pid: str, fake: FakeGraph, clock: VirtualClock, **kw):
    return run_apply(plan_dir, pid, conn(fake, clock), show=lambda _: None, **kw)


def test_apply_moves_everyone_once_journals_and_verifies(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock)
    run = apply(plan_dir, pid, fake, clock, tenant_dir=tenant_dir)
    assert run.applied.count("done") == 7 and not run.applied.failures  # 6 users, 1 group
    assert direct(fake, 2) == {E5: [SWAY]} and direct(fake, 1) == {E5: []}
    assert direct(fake, 7) == {E4: []}  # no usage location: held back, untouched
    assert fake.groups[GROUP]["assignedLicenses"] == [{"skuId": E5, "disabledPlans": []}]
    assert len(fake.writes) == 7  # one call per user, one for the whole group
    kinds = [r["type"] for r in read_journals(plan_dir / JOURNAL_DIR)]
    assert kinds[0] == "header" and kinds[-1] == "end"
    assert kinds.count("intent") == kinds.count("outcome") == 7
    v = run.verification
    assert v is not None and not v.safe_to_cancel  # user 7 still holds E4 (held back)
    assert (v.status_counts["moved"], v.status_counts["pending"]) == (9, 1)
    # again: nothing is sent
    again = apply(plan_dir, pid, fake, clock)
    assert len(fake.writes) == 7 and again.applied.already_done == 7
    assert again.applied.checks == {}


def test_item_429_applied_anyway_is_not_sent_again(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    uid1, uid3 = (f"fa000000-0000-4000-8000-{n:012d}" for n in (1, 3))
    fake.throttle_items = {uid1: True, uid3: False}
    fake.retry_after = format_datetime(datetime.now(UTC) + timedelta(seconds=3), usegmt=True)
    run = apply(plan_dir, pid, fake, clock)
    assert fake.writes_to(uid1) == [True]            # applied despite the 429: read, not re-sent
    assert fake.writes_to(uid3) == [False, True]     # not applied: read again, sent again
    assert run.applied.checks["U00001"] == "done"
    assert direct(fake, 1) == {E5: []} and direct(fake, 3) == {E5: []}
    assert max(clock.sleeps) >= 1.5                  # waited for the Retry-After date


def test_envelope_429_waits_rereads_and_resends_only_what_is_left(tmp_path: Path) -> None:
    fake, clock = make_fake(envelope_429=2, retry_after="0.5"), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    run = apply(plan_dir, pid, fake, clock)
    assert run.applied.count("done") == 7
    assert all(w == [True] for w in (fake.writes_to(u) for u in fake.users) if w)
    assert clock.sleeps.count(0.5) >= 2


def test_user_failures_are_recorded_and_stop_past_the_threshold(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    for n in (1, 2, 3):  # usage location cleared after the plan: Graph answers 400
        fake.users[f"fa000000-0000-4000-8000-{n:012d}"]["usageLocation"] = ""
    run = apply(plan_dir, pid, fake, clock, options=ApplyOptions(max_failures=2))
    assert [f["code"] for f in run.applied.failures] == ["Request_BadRequest"] * 3
    assert "more than 2 failures" in run.applied.stopped
    assert direct(fake, 8) == {}  # the group was never reached
    assert fake.groups[GROUP]["assignedLicenses"][0]["skuId"] == E4


def test_drifted_user_is_reported_and_not_sent(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    uid = "fa000000-0000-4000-8000-000000000004"
    fake.users[uid]["licenseAssignmentStates"][0]["disabledPlans"] = [SWAY]
    run = apply(plan_dir, pid, fake, clock)
    assert fake.writes_to(uid) == []
    assert [d["who"] for d in run.applied.drifted] == ["user4@contoso.example"]
    assert "changed since the plan" in run.applied.drifted[0]["why"]


def test_intent_without_outcome_is_read_not_resent(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    apply(plan_dir, pid, fake, clock, options=ApplyOptions(batches=1))
    journal = next((plan_dir / JOURNAL_DIR).glob("run-*.jsonl"))
    lines = journal.read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if '"outcome"' in line)
    journal.write_text("\n".join(lines[:cut]) + "\n")  # killed right after sending
    assert 0 < len(fake.writes) < 7
    run = apply(plan_dir, pid, fake, clock)
    sent_twice = [u for u in fake.users if fake.writes_to(u).count(True) > 1]
    assert sent_twice == [] and len(fake.writes) == 7  # 6 users and the group, once each
    assert run.applied.checks["U00001"] == "done"  # read again, found done


def test_group_polled_until_processed_and_member_errors_read(tmp_path: Path) -> None:
    fake, clock = make_fake(group_polls=3), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    fake.member_errors = {"fa000000-0000-4000-8000-000000000009": "CountViolation"}
    run = apply(plan_dir, pid, fake, clock)
    assert run.applied.member_errors == [{
        "user_id": "fa000000-0000-4000-8000-000000000009", "upn": "user9@contoso.example",
        "sku_id": E5, "error": "CountViolation"}]
    checks = [r for r in read_journals(plan_dir / JOURNAL_DIR) if r["type"] == "check"
              and r["action_id"].startswith("G")]
    assert checks[-1]["result"] == "member-errors" and checks[-1]["members"] == 3
    assert sum(1 for s in clock.sleeps if s >= 5.0) >= 2  # polled with back-off


def test_refusals_confirm_tenant_seats_and_another_plans_journal(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    with pytest.raises(InputError, match="does not match"):
        apply(plan_dir, "0" * 16, fake, clock)
    other = replace(fake, tenant_id="00000000-0000-0000-0000-0000000000bb")
    with pytest.raises(InputError, match="the token is for tenant"):
        apply(plan_dir, pid, other, clock)
    fake.skus[1]["prepaidUnits"]["enabled"] = 3
    with pytest.raises(InputError) as err:
        apply(plan_dir, pid, fake, clock)
    assert err.value.exit_code == EXIT_REFUSED_FOR_SEATS and fake.writes == []
    fake.skus[1]["prepaidUnits"]["enabled"] = 50
    (plan_dir / JOURNAL_DIR).mkdir()
    (plan_dir / JOURNAL_DIR / "run-001.jsonl").write_text(
        json.dumps({"type": "header", "plan_id": "ffffffffffffffff"}) + "\n")
    with pytest.raises(InputError, match="another plan"):
        apply(plan_dir, pid, fake, clock)
    assert fake.writes == []


def test_http_layer_never_sends_the_token_elsewhere() -> None:
    fake = make_fake()
    http = GraphHttp(BASE, Token("t"), client=fake.client(), clock=VirtualClock())
    with pytest.raises(Exception, match="leaves"):
        http.read("https://evil.example/v1.0/users")


def test_usage_location_set_in_the_same_batch_before_the_swap(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock, "default_usage_location: DK\n")
    run = apply(plan_dir, pid, fake, clock)
    uid = "fa000000-0000-4000-8000-000000000007"
    assert fake.users[uid]["usageLocation"] == "DK" and direct(fake, 7) == {E5: []}
    assert [p.endswith("assignLicense") for p, _ in fake.writes if uid in p] == [False, True]
    assert run.applied.count("done") == 9 and not run.applied.failures


def test_timed_out_write_that_was_applied_is_read_not_resent(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    _, plan_dir, pid = planned(tmp_path, fake, clock)
    real = fake.handler
    cut: list[str] = []

    def slow(request):  # the first write batch reaches Graph, its answer never comes back
        answer = real(request)
        if request.url.path.endswith("/$batch") and b"assignLicense" in request.content \
                and not cut:
            cut.append("timeout")
            raise httpx.ReadTimeout("no answer", request=request)
        return answer

    fake.handler = slow
    run = apply(plan_dir, pid, fake, clock)
    assert cut and run.applied.count("done") == 7
    assert all(fake.writes_to(u).count(True) <= 1 for u in fake.users)
    outcomes = [r for r in read_journals(plan_dir / JOURNAL_DIR) if r["type"] == "outcome"]
    assert {r["code"] for r in outcomes if r["status"] == 0} == {"timeout"}


class FakePublicApp:
    """Stands in for msal.PublicClientApplication: records the scopes asked for."""

    asked: list[list[str]] = []

    def __init__(self, client_id: str, authority: str) -> None:
        self.authority = authority

    def initiate_device_flow(self, scopes: list[str]) -> dict:
        FakePublicApp.asked.append(scopes)
        return {"user_code": "ABCD-1234", "message": "open https://microsoft.com/devicelogin "
                "and enter ABCD-1234"}

    def acquire_token_by_device_flow(self, flow: dict) -> dict:
        return {"access_token": "device-token-value"}


def test_device_code_shown_read_only_scopes_for_export(monkeypatch) -> None:
    monkeypatch.setattr("playbook.graph.auth.msal.PublicClientApplication", FakePublicApp)
    shown: list[str] = []
    token = acquire_token(Endpoint(), SignIn(tenant=TENANT), READ_SCOPES, shown.append)
    assert shown == ["open https://microsoft.com/devicelogin and enter ABCD-1234"]
    assert FakePublicApp.asked[-1] == [
        "https://graph.microsoft.com/User.Read.All",
        "https://graph.microsoft.com/GroupMember.Read.All",
        "https://graph.microsoft.com/LicenseAssignment.Read.All"]
    assert token.value == "device-token-value" and "device-token-value" not in repr(token)
    with pytest.raises(InputError, match="thumbprint"):
        acquire_token(Endpoint(), SignIn(certificate=Path("key.pem")), READ_SCOPES, print)


def test_tenant_id_is_part_of_the_plan_id_and_cannot_be_edited(tmp_path: Path) -> None:
    fake, clock = make_fake(), VirtualClock()
    tenant_dir, plan_dir, pid = planned(tmp_path, fake, clock)
    (tenant_dir / "export.json").unlink()  # the same tenant, planned without its id
    assert build_plan(load_tenant(tenant_dir)).plan_id != pid
    data = json.loads((plan_dir / "plan.json").read_text())
    data["tenant_id"] = "00000000-0000-0000-0000-0000000000bb"
    (plan_dir / "plan.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match="plan id differs"):
        load_plan(plan_dir)
    (tenant_dir / "tenant.yaml").write_text("name: contoso\ntarget: SPE_E5\ntenant_id: nope\n")
    with pytest.raises(InputError, match="tenant_id"):
        load_tenant(tenant_dir)
