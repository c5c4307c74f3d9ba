"""A fleet: parallel runs where one tenant's failure stops nobody, the summary for partners,
re-running only failed or changed tenants, and the demo."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from spreadsheet import formulas
from test_runner import FIXTURE_NOTEBOOKS, assert_valid_record, make_tenant

import playbook.runs.demo
from playbook.errors import InputError
from playbook.files import neutralize_cell
from playbook.runs.demo import run_demo
from playbook.runs.fleet import run_fleet
from playbook.runs.selection import discover_tenants, select_tenants
from playbook.runs.status import fleet_status
from playbook.runs.summary_page import (
    SUMMARY_COLUMNS,
    sort_rows,
    summary_html,
    summary_row,
    write_summary,
)

OPTIONS = {"notebooks_dir": FIXTURE_NOTEBOOKS, "preload": False, "cell_timeout": 120,
           "progress": False}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def fleet_run(tmp_path_factory):
    """Five tenants run once with two workers: good, a bug, partner, bad yaml, short on seats."""
    root = tmp_path_factory.mktemp("fleet")
    fleet, runs = root / "tenants", root / "runs"
    make_tenant(fleet, "alpha", users=7)
    make_tenant(fleet, "bravo", crash_in_step=2)
    make_tenant(fleet, "charlie", channel="partner")
    make_tenant(fleet, "delta", yaml_text="name: Delta\nbatch_size: 50\n")
    make_tenant(fleet, "echo", users=10, available=7)
    summary = run_fleet(fleet, runs, workers=2, steps="1-3", **OPTIONS)
    return fleet, runs, summary


@pytest.mark.notebook
def test_failing_tenant_among_good_ones(fleet_run):
    fleet, runs, summary = fleet_run
    assert summary.ran == ("alpha", "bravo", "charlie", "delta", "echo")
    assert summary.workers == 2
    statuses = {}
    for folder in summary.ran:
        (record_file,) = (runs / folder).glob("*/result.json")
        statuses[folder] = assert_valid_record(record_file.parent)["status"]
    assert statuses == {"alpha": "ok", "bravo": "failed", "charlie": "ok",
                        "delta": "bad-input", "echo": "ok"}
    # the failure in bravo did not stop alpha from finishing all its steps
    alpha = json.loads(next((runs / "alpha").glob("*/result.json")).read_text())
    assert alpha["steps_run"] == [1, 2, 3] and alpha["plan_dir"] == "plan"


@pytest.mark.notebook
def test_summary_rows_sorted_human_first_with_links(fleet_run):
    fleet, runs, summary = fleet_run
    rows = read_csv(runs / "summary.csv")
    assert tuple(rows[0]) == SUMMARY_COLUMNS
    assert [r["folder"] for r in rows] == ["bravo", "delta", "charlie", "echo", "alpha"]
    by = {r["folder"]: r for r in rows}
    assert by["bravo"]["run_status"] == "failed" and by["bravo"]["failed_step"] == "2"
    assert "RuntimeError: fixture bug in step 2" in by["bravo"]["why"]
    assert "batch_size" in by["delta"]["why"] and by["delta"]["stage"] == "blocked (bad input)"
    assert by["charlie"]["upgrade_path"] == "contact-partner"
    assert (by["echo"]["shortfall"], by["echo"]["to_buy"]) == ("3", "3")
    assert by["alpha"]["stage"] == "planned" and by["alpha"]["needs_human"] == "False"
    assert (by["alpha"]["users_to_move"], by["alpha"]["plan_batches"]) == ("7", "2")
    assert by["alpha"]["gate"] == "not verified" and by["alpha"]["shortfall"] == "0"
    assert by["delta"]["users_to_move"] == ""  # unknown stays empty, never 0
    for row in rows:
        assert (runs / row["record"]).is_file()
    html = (runs / "summary.html").read_text(encoding="utf-8")
    assert html.index("bravo") < html.index("alpha")
    assert f'href="./{by["alpha"]["record"]}"' in html
    text = summary.to_text()
    assert "Ran 5 of 5 tenants" in text and "2 did not complete" in text
    assert str(runs / "summary.csv") in text


@pytest.mark.notebook
def test_only_failed_reruns_failed_tenants_and_summary_keeps_the_rest(fleet_run):
    fleet, runs, _ = fleet_run
    (fleet / "delta" / "tenant.yaml").write_text("name: Delta\nbatch_size: 5\n")
    summary = run_fleet(fleet, runs, workers=1, only_failed=True, steps="1-2", **OPTIONS)
    assert summary.ran == ("bravo", "delta")
    assert len(list((runs / "delta").glob("*/result.json"))) == 2
    assert len(list((runs / "alpha").glob("*/result.json"))) == 1  # not re-run
    by = {r["folder"]: r for r in summary.rows}
    assert by["delta"]["run_status"] == "ok" and by["bravo"]["run_status"] == "failed"
    assert by["alpha"]["stage"] == "planned"  # from its earlier record
    assert len(read_csv(runs / "summary.csv")) == 5


def _fake_record(runs: Path, folder: str, started: str, status: str = "ok") -> None:
    run_dir = runs / folder / "20261101T000000Z"
    run_dir.mkdir(parents=True)
    (run_dir / "result.json").write_text(json.dumps({"status": status, "started": started}))


def test_changed_since_and_only_failed_selection(tmp_path):
    fleet, runs = tmp_path / "fleet", tmp_path / "runs"
    tenants = {name: make_tenant(fleet, name) for name in ("old", "touched", "failed", "new")}
    past = time.time() - 10 * 86400
    for tenant in tenants.values():
        for f in tenant.rglob("*"):
            os.utime(f, (past, past))
    recent = "2099-01-01T00:00:00Z"
    _fake_record(runs, "old", recent)
    _fake_record(runs, "failed", recent, status="failed")
    _fake_record(runs, "touched", "2000-01-01T00:00:00Z")
    found = discover_tenants(fleet, runs)
    names = lambda chosen: sorted(p.name for p in chosen)  # noqa: E731

    assert names(select_tenants(found, runs)) == ["failed", "new", "old", "touched"]
    assert names(select_tenants(found, runs, only_failed=True)) == ["failed", "new"]
    assert names(select_tenants(found, runs, changed_since="last")) == ["new", "touched"]
    assert names(select_tenants(found, runs, only_failed=True, changed_since="last")) == [
        "failed", "new", "touched"]
    assert select_tenants(found, runs, changed_since="2999-01-01") == []
    assert len(select_tenants(found, runs, changed_since="2000-01-01")) == 4
    (tenants["old"] / "users.csv").write_text("upn\nnew@x\n")  # modified now
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert names(select_tenants(found, runs, changed_since=today)) == ["old"]
    with pytest.raises(InputError, match="--changed-since"):
        select_tenants(found, runs, changed_since="yesterday")


def test_discover_tenants_skips_runs_folder_and_non_tenants(tmp_path):
    make_tenant(tmp_path, "b")
    make_tenant(tmp_path, "a")
    (tmp_path / "runs" / "a").mkdir(parents=True)
    (tmp_path / "runs" / "tenant.yaml").write_text("name: not a tenant\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / ".hidden").mkdir()
    assert [p.name for p in discover_tenants(tmp_path, tmp_path / "runs")] == ["a", "b"]
    with pytest.raises(InputError, match="no tenant folders"):
        discover_tenants(tmp_path / "notes")
    with pytest.raises(InputError, match="fleet folder not found"):
        discover_tenants(tmp_path / "nope")


def test_sort_order_puts_humans_first_and_ready_to_cancel_last():
    def view(**kw):
        base = {"status": "ok", "assessment": None, "counts": None, "plan": None,
                "verification": None}
        base.update(kw)
        return base

    plan = {"refused": False, "summary": {"users_moved": 5, "batches": 1}}
    rows = [
        summary_row("ready", view(plan=plan, verification={
            "safe_to_cancel": True, "reasons": [], "status_counts": {"moved": 5}}), ""),
        summary_row("planned", view(plan=plan), ""),
        summary_row("gate", view(plan=plan, verification={
            "safe_to_cancel": False, "reasons": [{"code": "USERS_FAILED"}],
            "status_counts": {"moved": 1, "failed": 4}}), ""),
        summary_row("blockers", view(plan=plan, assessment={
            "path": "manual", "findings": [{"code": "UNPAID_BALANCE", "severity": "blocker"}]}),
            ""),
        summary_row("seats", view(plan={"refused": True, "summary": {"shortfall": 2}}), ""),
        summary_row("partner", view(assessment={"path": "contact-partner", "findings": []}), ""),
        summary_row("bad", view(status="bad-input", error="x"), ""),
        summary_row("bug", view(status="failed", error="y", failed_step=1), ""),
        summary_row("never", {}, ""),
    ]
    order = [r["folder"] for r in sort_rows(rows)]
    assert order == ["bug", "bad", "partner", "seats", "blockers", "gate", "planned", "never",
                     "ready"]
    by = {r["folder"]: r for r in rows}
    assert by["gate"]["gate"] == "shut: USERS_FAILED" and by["ready"]["gate"] == "open"
    assert by["blockers"]["blockers"] == "UNPAID_BALANCE"


def test_summary_csv_neutralizes_formulas(tmp_path):
    assert neutralize_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralize_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize_cell("contoso") == "contoso" and neutralize_cell(3) == 3
    row = summary_row("=cmd|' /C calc'!A0", {"status": "ok", "tenant": "+evil"}, "")
    danish = summary_row("a;=cmd|' /C calc'!A0", {"status": "ok", "tenant": "x,-1+2"}, "")
    csv_path, html_path = write_summary([row, danish], tmp_path)
    assert formulas(csv_path.read_bytes()) == []  # split on , or ; (issue 15 item 1)
    written, _ = read_csv(csv_path)
    assert written["folder"].startswith("'=") and written["tenant"] == "'+evil"
    assert "<td>+evil (=cmd|&#x27; /C calc&#x27;!A0)</td>" in html_path.read_text(
        encoding="utf-8")


@pytest.mark.notebook
def test_demo_copies_samples_and_runs_the_batch(tmp_path, monkeypatch):
    fake_repo = tmp_path / "repo"
    make_tenant(fake_repo / "data" / "tenants", "sample-a")
    make_tenant(fake_repo / "data" / "tenants", "sample-b", channel="volume-licensing")
    before = sorted(p.relative_to(fake_repo) for p in fake_repo.rglob("*"))
    monkeypatch.setattr(playbook.runs.demo, "sample_tenants_dir",
                        lambda: fake_repo / "data" / "tenants")

    summary = run_demo(tmp_path / "scratch", workers=1, steps="1", **OPTIONS)
    assert summary.ran == ("sample-a", "sample-b")
    assert (tmp_path / "scratch" / "tenants" / "sample-a" / "tenant.yaml").is_file()
    assert summary.csv_path == (tmp_path / "scratch" / "runs" / "summary.csv").resolve()
    assert [r["folder"] for r in read_csv(summary.csv_path)] == ["sample-b", "sample-a"]
    text = summary.to_text()
    assert text.startswith("Demo: copied 2 sample tenants (sample-a, sample-b)")
    assert str(summary.html_path) in text
    assert sorted(p.relative_to(fake_repo) for p in fake_repo.rglob("*")) == before

    monkeypatch.setattr(playbook.runs.demo, "sample_tenants_dir", lambda: tmp_path / "empty")
    with pytest.raises(InputError, match="bundled sample tenants not found"):
        run_demo(tmp_path / "scratch2")


def _kill_when_running(name: str, runs: Path, stop: threading.Event) -> list[int]:
    """SIGKILL the worker process running tenant ``name`` once its run folder exists (its
    first notebook hangs), as the out-of-memory killer would. Returns the pids killed."""
    killed: list[int] = []
    while not stop.is_set() and not killed:
        for child in multiprocessing.active_children():
            if child.name == f"e4-tenant:{name}" and any((runs / name).glob("*/01-*.ipynb")):
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)
        time.sleep(0.2)
    return killed


@pytest.mark.notebook
def test_a_killed_worker_fails_only_its_own_tenant_and_only_failed_reruns_it(tmp_path):
    """Issue 15 item 14: one worker of ``batch --workers 2`` killed mid-run (a real SIGKILL):
    its tenant gets a failed result.json in its own run folder, every other tenant runs, no
    folder is left without a record, and ``--only-failed`` runs the killed one again."""
    fleet, runs = tmp_path / "tenants", tmp_path / "runs"
    make_tenant(fleet, "alpha")
    make_tenant(fleet, "bravo", hang_in_step=1)
    make_tenant(fleet, "charlie")
    make_tenant(fleet, "delta")
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        killer = pool.submit(_kill_when_running, "bravo", runs, stop)
        summary = run_fleet(fleet, runs, workers=2, steps="1-2", **OPTIONS)
        stop.set()
        assert len(killer.result()) == 1
    assert summary.ran == ("alpha", "bravo", "charlie", "delta")
    status = {}
    for folder in summary.ran:
        run_dirs = [p for p in (runs / folder).iterdir() if p.is_dir()]
        assert len(run_dirs) == 1, run_dirs  # the killed run's own folder holds its record
        status[folder] = assert_valid_record(run_dirs[0])
    assert {f: r["status"] for f, r in status.items()} == {
        "alpha": "ok", "bravo": "failed", "charlie": "ok", "delta": "ok"}
    assert "killed by SIGKILL" in status["bravo"]["error"]
    assert [r["steps_run"] for f, r in status.items() if f != "bravo"] == [[1, 2]] * 3
    # status without --out reads the records where this batch wrote them (issue 17 item 4)
    stands = {t.folder: t.last_status for t in fleet_status(fleet).tenants}
    assert stands == {"alpha": "ok", "bravo": "failed", "charlie": "ok", "delta": "ok"}

    (fleet / "bravo" / "fixture.json").write_text(json.dumps({"users": 7, "available": 7}))
    again = run_fleet(fleet, runs, workers=2, only_failed=True, steps="1-2", **OPTIONS)
    assert again.ran == ("bravo",)
    by = {r["folder"]: r for r in again.rows}
    assert by["bravo"]["run_status"] == "ok" and by["alpha"]["run_status"] == "ok"


def test_summary_page_has_six_readable_columns_with_a_status_pill():
    """The fleet page: tenant, stage pill, route, to buy, next action, record; escaped values,
    URL-encoded links, no snake_case headers and no True/False (the CSV keeps every column)."""
    rows = [
        {"tenant": "Nordlys <A/S>", "folder": "nordlys", "stage": "blocked (seats)",
         "needs_human": True, "upgrade_path": "manual", "to_buy": 4, "why": "plan refused",
         "next_action": "buy 4 licenses", "record": "nordlys/2026 01/index.html",
         "last_run": "2026-01-01"},
        {"tenant": "ok", "folder": "ok", "stage": "ready to cancel", "needs_human": False,
         "upgrade_path": "upgrade-tab", "to_buy": None, "why": "", "next_action": "cancel",
         "record": ""},
    ]
    page = summary_html(rows)
    heads = re.findall(r"<th>(.*?)</th>", page)
    assert heads == ["Tenant", "Where it stands", "Route", "To buy", "Next action", "Last run"]
    assert "Nordlys &lt;A/S&gt; (nordlys)" in page and "<A/S>" not in page
    assert 'href="./nordlys/2026%2001/index.html"' in page
    assert "border-radius" in page and "blocked (seats)" in page  # the stage as a pill
    assert "True" not in page and "False" not in page and "needs_human" not in page
    assert ">Manual move<" in page and ">Upgrade tab<" in page
    cells = re.findall(r"<tr[^>]*>(.*?)</tr>", page)[2]
    assert "<td></td>" in cells  # to buy unknown: empty, never 0
