"""write_artifacts: every file, its contract, atomic writes, inert content, and the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from builders import plan_row as row
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from simulator import apply_actions, apply_plan, assignments
from spreadsheet import formulas

from playbook.artifacts import (
    ADMIN_CENTER_COLUMNS,
    EMPTY_BATCH,
    GRAPH_BATCHES,
    ROLLBACK_BATCHES,
    SCRIPT_NAME,
    batch_lines,
    checklist,
    graph_batches,
    render_artifacts,
    script_bytes,
    write_artifacts,
)
from playbook.artifacts.folder import JOURNAL_DIR, SET_ASIDE
from playbook.catalog import Catalog
from playbook.cli import main
from playbook.errors import EXIT_REFUSED_FOR_SEATS, InputError
from playbook.files import neutralize_cell, restore_cell
from playbook.plan import (
    PLAN_COLUMNS,
    TUPLE_COLUMNS,
    build_plan_from_tables,
    remaining_plan,
    rollback_actions,
)
from playbook.plan.store import read_plan_csv
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import TenantConfig

E4, E5 = "ENTERPRISEWITHSCAL", "ENTERPRISEPREMIUM"
CAT = Catalog.builtin()
E4_ID, E5_ID = CAT.get(E4).sku_id, CAT.get(E5).sku_id
G1 = "aaaaaaaa-0000-4000-8000-000000000001"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

NASTY = [
    ("o'brien@x.dk", 'Conan "The" O\'Brien'),
    ("$(whoami)@x.dk", "$(Remove-MgUser -UserId admin@x.dk)"),
    ("semi;colon@x.dk", "a; Remove-Item C:\\ -Recurse; b"),
    ("back`tick@x.dk", "`$(Get-Secret)` and ``code``"),
    ("hyper@x.dk", '=HYPERLINK("http://evil.example","click")'),
    ("-minus@x.dk", "+SUM(A1:A9)"),
    ("at@x.dk", "@cmd|' /C calc'!A0"),
    ("tab@x.dk", "\tTAB first"),
    ("cr@x.dk", "\rCR first"),
    ("html@x.dk", "<script>alert(1)</script> & [link](javascript:alert(1))"),
    ("#ext#guest_x.dk#ext#@x.onmicrosoft.com", "Guest #EXT# name"),
    ("semi2@x.dk", "Sales;=cmd|' /C calc'!A0"),  # a field of its own where Excel splits on ;
    ("comma@x.dk", 'x,"=1+1";-2+3\n@SUM(1)'),
]


def mixed_table() -> pd.DataFrame:
    return normalize_license_table(pd.DataFrame([
        row("a@x.dk", disabled_plans=("FORMS_PLAN_E3", "MCOVOICECONF")),
        row("a@x.dk", "MCOEV"),
        row("b@x.dk", usage_location=""),
        row("c@x.dk", assigned_directly=False, group_ids=(G1,), disabled_plans=("SWAY",)),
        row("d@x.dk", group_ids=(G1,)),
        row("e@x.dk", account_enabled=False),
        row("f@x.dk", E5),
        row("g@x.dk", user_id="00000000-0000-4000-8000-00000000000a"),
        *[row(f"u{i:02d}@x.dk") for i in range(25)],
    ]))


def make_plan(lic: pd.DataFrame | None = None, enabled: int | None = 100, **cfg):
    lic = mixed_table() if lic is None else lic
    subs = None
    if enabled is not None:
        subs = normalize_subscription_table(pd.DataFrame([
            {"sku_id": E5_ID, "sku_part_number": E5, "enabled": enabled, "consumed": 0}]))
    config = TenantConfig(name="contoso", **{"default_usage_location": "DK", **cfg})
    return build_plan_from_tables(config, lic, subs, CAT, users_file_name="users.json",
                                  users_sha256="cd" * 32)


def csv_cells(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def jsonl(path: Path) -> list[dict]:
    """A JSON-lines file's lines, parsed (every line, the last one ended too)."""
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.split("\n")[:-1]]


def nasty_table() -> pd.DataFrame:
    return normalize_license_table(pd.DataFrame(
        [row(upn, display_name=name, department=name) for upn, name in NASTY]))


# --- the files ------------------------------------------------------------------------------


@pytest.mark.parametrize("second_process", [False, True])
def test_writes_every_artifact_into_plan_folder(tmp_path, second_process):
    plan = make_plan()
    out = write_artifacts(plan, tmp_path / "run", second_process=second_process)
    assert out == tmp_path / "run" / "plan"
    names = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert names == {"plan.csv", "plan.json", "admin-center-batches.csv", "checklist.md",
                     "checklist.html", SCRIPT_NAME, "rollback.csv", GRAPH_BATCHES,
                     ROLLBACK_BATCHES}  # no folders: a batch is a line, not a file
    assert (out / SCRIPT_NAME).read_bytes() == script_bytes()
    assert csv_cells(out / "plan.csv")[0] == list(PLAN_COLUMNS)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["plan"]  # no leftovers
    assert render_artifacts(plan) == {n: (out / n).read_bytes() for n in names}


def test_plan_json_is_the_plan_header_without_the_actions(tmp_path):
    plan = make_plan()
    out = write_artifacts(plan, tmp_path)
    text = (out / "plan.json").read_bytes()
    sums = {name: hashlib.sha256((out / name).read_bytes()).hexdigest()
            for name in ("plan.csv", "rollback.csv")}
    header = {**plan.to_dict(), "file_sha256": sums}  # what the script checks before running
    assert text == (json.dumps(header, indent=2, ensure_ascii=False) + "\n").encode()
    data = json.loads(text)
    assert "actions" not in data  # plan.csv is the one list of actions
    assert data["plan_id"] == plan.plan_id and data["decisions"]


def _plans():
    """Plans of every shape: usage locations, groups, reclaims, hostile names, cut down."""
    mixed = make_plan(reclaim_blocked=True)
    nasty = make_plan(normalize_license_table(pd.concat([mixed_table(), nasty_table()],
                                                        ignore_index=True)))
    ids = list(mixed.table["action_id"])
    return {"mixed": make_plan(), "reclaim": mixed, "nasty": nasty,
            "small-batches": make_plan(batch_size=3),
            "remaining": remaining_plan(mixed, ids[::2]),
            "empty": remaining_plan(mixed, [])}


@pytest.mark.parametrize("name", list(_plans()))
def test_plan_csv_reads_back_to_the_plan_table(tmp_path, name):
    plan = _plans()[name]
    out = write_artifacts(plan, tmp_path)
    want = plan.table[list(PLAN_COLUMNS)].reset_index(drop=True)
    # equal values, dtypes (objects, int64) and tuples, for the plan and its rollback
    pd.testing.assert_frame_equal(read_plan_csv(out / "plan.csv"), want)
    pd.testing.assert_frame_equal(read_plan_csv(out / "rollback.csv"),
                                  rollback_actions(plan)[list(PLAN_COLUMNS)])
    for col in TUPLE_COLUMNS:
        assert all(type(v) is tuple for v in read_plan_csv(out / "plan.csv")[col])


def test_plan_csv_is_what_the_csv_module_writes_after_the_escape(tmp_path):
    """plan.csv (and rollback.csv) against the csv module on the escaped table: tuples
    ``;``-joined, text neutralized and quoted, counts bare, CRLF, BOM; hostile names too."""
    plan = _plans()["nasty"]
    out = write_artifacts(plan, tmp_path)
    for name, table in (("plan.csv", plan.table), ("rollback.csv", rollback_actions(plan))):
        want = table[list(PLAN_COLUMNS)].copy()
        for col in TUPLE_COLUMNS:
            want[col] = want[col].map(";".join)
        for col in want.columns:
            if want[col].dtype == object:
                want[col] = want[col].map(neutralize_cell)
        buffer = io.StringIO()
        csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n").writerows(
            [list(want.columns), *want.itertuples(index=False)])
        assert (out / name).read_bytes() == b"\xef\xbb\xbf" + buffer.getvalue().encode(), name
        assert formulas((out / name).read_bytes()) == []


def test_admin_center_batches_have_one_row_per_call_with_location_folded_in(tmp_path):
    plan = make_plan()
    cells = csv_cells(write_artifacts(plan, tmp_path) / "admin-center-batches.csv")
    header, rows = cells[0], [dict(zip(cells[0], r, strict=True)) for r in cells[1:]]
    assert header == list(ADMIN_CENTER_COLUMNS)
    t = plan.table
    calls = t[t["kind"].isin(["user-swap", "reclaim", "group-swap"])]
    assert [r["action_id"] for r in rows] == list(calls["action_id"])
    b = next(r for r in rows if r["upn"] == "b@x.dk")
    assert b["set_usage_location"] == "DK"
    assert b["batch"] == str(int(t.loc[t["upn"] == "b@x.dk", "batch"].iloc[0]))
    a = next(r for r in rows if r["upn"] == "a@x.dk")
    assert a["add_license"] == "Office 365 E5" and a["remove_license"] == "Office 365 E4"
    # MCOVOICECONF off on E4: its successor MCOEV stays off on E5 (catalog.PLAN_SUCCESSORS)
    assert a["apps_off_on_new_license"] == "FORMS_PLAN_E5, MCOEV"
    assert a["keep_direct_licenses"] == "Microsoft Teams Phone Standard"
    assert a["unmapped_plans"] == ""
    sizes = pd.Series([r["batch"] for r in rows]).value_counts()
    assert sizes.max() <= 20


def test_checklist_lists_every_user_of_every_batch_once(tmp_path):
    plan = make_plan(batch_size=10)
    out = write_artifacts(plan, tmp_path)
    md = (out / "checklist.md").read_text(encoding="utf-8")
    html = (out / "checklist.html").read_text(encoding="utf-8")
    for upn in plan.table.loc[plan.table["kind"] == "user-swap", "upn"]:
        escaped = upn.replace(".", "\\.")
        assert md.count(f"- [ ] **{escaped}**") == 1, upn
        assert html.count(f"<strong>{upn}</strong>") == 1, upn
    for batch in range(1, plan.batches + 1):
        assert f"## Batch {batch}:" in md
    assert "Manage product licenses > Replace" in md
    assert "Switch on exactly: **Office 365 E5 \\+ Microsoft Teams Phone Standard**" in md
    assert "Groups > All groups" in md  # the group batch
    assert "usage location to **DK**" in md
    assert "reclaim\\-candidate" in md  # decisions are listed


def test_graph_batches_are_valid_batch_bodies(tmp_path):
    plan = make_plan()
    out = write_artifacts(plan, tmp_path)
    seen = 0
    adds = dict(zip(plan.table["action_id"], plan.table["add_sku_id"] != "", strict=True))
    bodies = jsonl(out / GRAPH_BATCHES)
    assert len(bodies) == plan.batches
    for body in bodies:
        reqs = body["requests"]
        assert 1 <= len(reqs) <= 20
        ids = [r["id"] for r in reqs]
        assert len(set(ids)) == len(ids)
        sequential = any(r["method"] == "PATCH" for r in reqs)
        for i, r in enumerate(reqs):
            assert r["headers"] == {"Content-Type": "application/json"}
            assert r["url"].startswith(("/users/", "/groups/"))
            if sequential and i:
                assert r["dependsOn"] == [reqs[i - 1]["id"]]
            else:
                assert "dependsOn" not in r
            if r["method"] == "POST":
                assert r["url"].endswith("/assignLicense")
                assert set(r["body"]) == {"addLicenses", "removeLicenses"}
                if E4_ID in r["body"]["removeLicenses"] and r["id"].startswith(("U", "G")):
                    # the target is added unless the user/group holds it or gets it from the
                    # planned group the row names (issue #13 items 9, 10)
                    want = [E5_ID] if adds[r["id"]] else []
                    assert [a["skuId"] for a in r["body"]["addLicenses"]] == want
            else:
                assert r["body"] == {"usageLocation": "DK"}
        seen += len(reqs)
    ex = plan.table[plan.table["batch"] > 0]
    assert seen == len(ex)
    # line N is batch N, exactly what graph_batches says, for the plan and its rollback
    for name, table in ((GRAPH_BATCHES, plan.table), (ROLLBACK_BATCHES,
                                                       rollback_actions(plan))):
        assert dict(enumerate(jsonl(out / name), start=1)) == graph_batches(table)
    by_id = {r["id"]: r for b in graph_batches(plan.table).values() for r in b["requests"]}
    g = plan.table[plan.table["upn"] == "g@x.dk"].iloc[0]
    assert by_id[g["action_id"]]["url"] == "/users/00000000-0000-4000-8000-00000000000a" \
        "/assignLicense"
    grp = plan.table[plan.table["kind"] == "group-swap"].iloc[0]
    assert by_id[grp["action_id"]]["url"] == f"/groups/{G1}/assignLicense"
    a = plan.table[(plan.table["upn"] == "a@x.dk")].iloc[0]
    forms, phone = CAT.get(E5).plan_id("FORMS_PLAN_E5"), CAT.get(E5).plan_id("MCOEV")
    assert by_id[a["action_id"]]["body"]["addLicenses"] == [
        {"skuId": E5_ID, "disabledPlans": [forms, phone]}]


SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@pytest.mark.parametrize("extra", ["", "line\nbreak", "  two  spaces ", "tab\tx", "\u2028x",
                                   " lead", "trail ", "\xa0nbsp", "".join(SPACES) + "all"])
def test_checklists_show_each_name_escaped_and_on_one_line(extra):
    """Every display name shows in the checklists with its white space flattened (any
    character ``str.isspace`` knows) and its specials escaped: Markdown escapes, HTML
    entities; so a name can neither break a line nor inject markup."""
    names = [n for _, n in NASTY] + [extra, extra + " =x", "*star* " + extra]
    lic = normalize_license_table(pd.DataFrame(
        [row(f"n{i}@x.dk", display_name=name) for i, name in enumerate(names)]))
    files = render_artifacts(make_plan(lic))
    md, page = (files[f].decode("utf-8") for f in ("checklist.md", "checklist.html"))
    specials = "\\`*_{}[]()<>#+-.!|~&"
    for i, name in enumerate(names):
        flat = " ".join(name.split())
        if not flat:
            continue
        assert not set(flat) & (set(SPACES) - {" "})
        md_name = "".join("\\" + ch if ch in specials else ch for ch in flat)
        assert f"- [ ] **n{i}@x\\.dk** ({md_name})\n" in md, name
        assert f"<strong>n{i}@x.dk</strong> ({escape(flat)})</label></li>\n" in page, name
    for text in (md, page):
        assert not set(text) & (set(SPACES) - {" ", "\n"})  # no other white space at all


@pytest.mark.parametrize("name", list(_plans()))
def test_batch_lines_are_compact_json_of_graph_batches(name):
    plan = _plans()[name]
    files = render_artifacts(plan)
    for file, table in ((GRAPH_BATCHES, plan.table), (ROLLBACK_BATCHES,
                                                      rollback_actions(plan))):
        want = graph_batches(table)
        assert sorted(want) == list(range(1, len(want) + 1))  # build_plan numbers 1..N
        assert len(want) == plan.batches
        text = "".join(json.dumps(want[b], ensure_ascii=False, separators=(",", ":")) + "\n"
                       for b in sorted(want))
        assert files[file] == text.encode("utf-8")


def test_a_missing_batch_number_keeps_its_line():
    """Line N is batch N even if a table skips a number: the gap is an empty batch."""
    table = make_plan(batch_size=3).table
    table = table[table["batch"] != 2]
    lines = batch_lines(table).decode("utf-8").split("\n")
    bodies = graph_batches(table)
    assert lines[1] == EMPTY_BATCH and json.loads(EMPTY_BATCH) == {"requests": []}
    assert {i: json.loads(line) for i, line in enumerate(lines[:-1], start=1)
            if i != 2} == bodies
    padded = batch_lines(table, max(bodies) + 2).decode("utf-8").split("\n")
    assert padded[-3:] == [EMPTY_BATCH, EMPTY_BATCH, ""]
    none = table.iloc[:0]
    assert batch_lines(none) == b""
    assert batch_lines(none, 2) == (EMPTY_BATCH + "\n").encode() * 2


def test_requests_go_by_lower_case_id_else_by_upn():
    ids = [f"0000000{i}-AAAA-4000-8000-00000000000{i}" for i in range(3)]
    every = normalize_license_table(pd.DataFrame(
        [row(f"u{i}@x.dk", user_id=uid) for i, uid in enumerate(ids)]))
    some = normalize_license_table(pd.DataFrame(
        [row("a@x.dk", user_id=ids[0]), row("b@x.dk", user_id="not-a-guid"), row("c@x.dk")]))
    for lic in (every, some):
        plan = make_plan(lic)
        urls = [r["url"] for body in graph_batches(plan.table).values()
                for r in body["requests"]]
        assert urls[0] == f"/users/{ids[0].lower()}/assignLicense"
        got = [r["url"] for line in render_artifacts(plan)[GRAPH_BATCHES].splitlines()
               for r in json.loads(line)["requests"]]
        assert got == urls
    assert urls[1:] == ["/users/b@x.dk/assignLicense", "/users/c@x.dk/assignLicense"]


def test_checklist_html_lists_are_well_formed():
    for plan in _plans().values():
        html = render_artifacts(plan)["checklist.html"].decode("utf-8")
        depth = 0
        for line in html.split("\n"):
            depth += (line == "<ul>") - (line == "</ul>")
            assert depth in (0, 1), line
            assert depth == 1 or not line.startswith("<li"), line
        assert depth == 0


def test_rollback_csv_restores_the_before_state_exactly(tmp_path):
    before = mixed_table()
    plan = make_plan(before, reclaim_blocked=True)
    out = write_artifacts(plan, tmp_path)
    after = apply_actions(before, read_plan_csv(out / "plan.csv"))
    for got, want in zip(assignments(after), assignments(apply_plan(before, plan)),
                         strict=True):
        pd.testing.assert_frame_equal(got, want)
    restored = apply_actions(after, read_plan_csv(out / "rollback.csv"), check_location=False)
    # every license as before; a usage location the plan set stays set (a licensed user needs
    # one: user.usageLocation, microsoft-facts.md S26)
    set_first = plan.table[plan.table["kind"] == "set-usage-location"]
    want_users, want_licenses = assignments(before)
    located = want_users["upn"].isin(set_first["upn"])
    want_users.loc[located, "usage_location"] = want_users.loc[located, "upn"].map(
        set_first.set_index("upn")["new_usage_location"])
    got_users, got_licenses = assignments(restored)
    pd.testing.assert_frame_equal(got_licenses, want_licenses)
    pd.testing.assert_frame_equal(got_users, want_users)
    for rb, fwd in zip(jsonl(out / ROLLBACK_BATCHES), jsonl(out / GRAPH_BATCHES),
                       strict=True):  # line N undoes line N (usage locations are kept)
        assert {r["id"] for r in rb["requests"]} == {"R" + r["id"] for r in fwd["requests"]
                                                     if r["method"] == "POST"}


def test_same_plan_gives_byte_identical_artifacts(tmp_path):
    a = write_artifacts(make_plan(), tmp_path / "one")
    b = write_artifacts(make_plan(), tmp_path / "two")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


# --- atomic writes --------------------------------------------------------------------------


def test_refused_plan_raises_exit_3_and_writes_nothing(tmp_path):
    plan = make_plan(enabled=2)
    assert plan.refused
    with pytest.raises(InputError) as err:
        write_artifacts(plan, tmp_path / "run")
    assert err.value.exit_code == EXIT_REFUSED_FOR_SEATS
    assert "missing" in err.value.one_line()
    assert not (tmp_path / "run").exists() or not any((tmp_path / "run").iterdir())


def test_existing_plan_folder_is_replaced_whole(tmp_path):
    big = make_plan(batch_size=2)
    write_artifacts(big, tmp_path)
    (tmp_path / "plan" / "plan.results.csv").write_text("old log", encoding="utf-8")
    small = make_plan(normalize_license_table(pd.DataFrame([row("a@x.dk")])))
    out = write_artifacts(small, tmp_path)
    assert len(jsonl(out / GRAPH_BATCHES)) == 1
    assert not (out / "plan.results.csv").exists()
    assert json.loads((out / "plan.json").read_text(encoding="utf-8"))["plan_id"] == \
        small.plan_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_failure_while_writing_leaves_the_old_plan_and_no_partial_files(tmp_path, monkeypatch):
    old = make_plan()
    write_artifacts(old, tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "plan").rglob("*") if p.is_file()}
    real = Path.open
    calls = {"n": 0}

    def failing(self: Path, mode: str = "r", *args, **kwargs):
        if "w" in mode:
            calls["n"] += 1
            if calls["n"] == 5:
                raise OSError("disk full")
        return real(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing)
    with pytest.raises(OSError, match="disk full"):
        write_artifacts(make_plan(batch_size=3), tmp_path)
    monkeypatch.setattr(Path, "open", real)
    assert calls["n"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
    after = {p: p.read_bytes() for p in (tmp_path / "plan").rglob("*") if p.is_file()}
    assert after == before


# --- hostile names stay inert ---------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_quotes_subshells_backticks_and_formulas_stay_inert(tmp_path):
    plan = make_plan(nasty_table())
    out = write_artifacts(plan, tmp_path)

    # CSVs: no cell a spreadsheet would run; the escape undoes exactly
    for name in ("plan.csv", "rollback.csv", "admin-center-batches.csv"):
        for cells in csv_cells(out / name)[1:]:
            for cell in cells:
                assert not cell.startswith(FORMULA_START), (name, cell)
        assert formulas((out / name).read_bytes()) == [], name  # split on , or ;
    back = read_plan_csv(out / "plan.csv")
    got = dict(zip(back["upn"], back["display_name"], strict=True))
    assert got == dict(NASTY)

    # JSON: exact strings; URLs encode the UPN
    back = read_plan_csv(out / "rollback.csv")
    assert dict(zip(back["upn"], back["display_name"], strict=True)) == dict(NASTY)
    for name in (GRAPH_BATCHES, ROLLBACK_BATCHES):  # one line per batch, whatever the names
        assert (out / name).read_text(encoding="utf-8").count("\n") == plan.batches
    urls = [r["url"] for body in jsonl(out / GRAPH_BATCHES) for r in body["requests"]]
    assert "/users('$%28whoami%29@x.dk')/assignLicense" in urls
    assert "/users/%23ext%23guest_x.dk%23ext%23@x.onmicrosoft.com/assignLicense" in urls
    assert "/users/o%27brien@x.dk/assignLicense" in urls
    assert all(" " not in u and "`" not in u and ";" not in u for u in urls)

    # Markdown: markup characters of names escaped
    md = (out / "checklist.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "`" not in md.replace("\\`", "")
    assert "[link]" not in md and "\\[link\\]" in md

    # HTML: no element but our own, the names come back as text
    parser = _Text()
    parser.feed((out / "checklist.html").read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "a" not in parser.tags
    text = " ".join(parser.text)
    assert "<script>alert(1)</script>" in text
    assert '=HYPERLINK("http://evil.example","click")' in text

    # the script is the same file, whatever the names
    assert (out / SCRIPT_NAME).read_bytes() == script_bytes()


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "'x", "''x",
                                  "plain", "", "a=b", "x'"])
def test_neutralize_and_restore_round_trip(text):
    safe = neutralize_cell(text)
    assert not safe.startswith(FORMULA_START)
    assert restore_cell(safe) == text


# --- the CLI --------------------------------------------------------------------------------


def _graph_user(i: int, upn: str, *, enabled: bool = True, location: str = "DK") -> dict:
    lic = {"skuId": E4_ID, "disabledPlans": []}
    return {"id": f"00000000-0000-4000-8000-{i:012d}", "userPrincipalName": upn,
            "displayName": f"User {i}", "department": "Sales", "usageLocation": location,
            "accountEnabled": enabled, "assignedLicenses": [lic],
            "licenseAssignmentStates": [{"assignedByGroup": None, "disabledPlans": [],
                                         "error": "None", "skuId": E4_ID, "state": "Active"}]}


def tenant_dir(tmp_path: Path, *, seats: int = 50, target: str = E5, users: int = 3) -> Path:
    folder = tmp_path / "contoso"
    folder.mkdir()
    (folder / "tenant.yaml").write_text(f"name: contoso\ntarget: {target}\n", encoding="utf-8")
    people = [_graph_user(i, f"user{i}@contoso.example") for i in range(users)]
    (folder / "users.json").write_text(json.dumps({"value": people}), encoding="utf-8")
    skus = [{"skuId": E5_ID, "skuPartNumber": E5, "appliesTo": "User",
             "capabilityStatus": "Enabled", "consumedUnits": 0,
             "prepaidUnits": {"enabled": seats, "warning": 0, "suspended": 0, "lockedOut": 0}},
            {"skuId": E4_ID, "skuPartNumber": E4, "appliesTo": "User",
             "capabilityStatus": "Enabled", "consumedUnits": users,
             "prepaidUnits": {"enabled": users, "warning": 0, "suspended": 0, "lockedOut": 0}}]
    (folder / "subscriptions.json").write_text(json.dumps({"value": skus}), encoding="utf-8")
    return folder


def test_cli_plan_writes_artifacts_and_prints_a_summary(tmp_path):
    folder = tenant_dir(tmp_path)
    result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "user-swap" in result.output
    assert "Seats: this round needs 3, 50 available; to buy for the whole move: 0" in \
        result.output
    assert (tmp_path / "out" / "plan" / "plan.csv").is_file()
    result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(tmp_path / "out"),
                                       "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["artifacts"] == str(tmp_path / "out" / "plan")
    assert data["summary"]["actions"]["user-swap"] == 3
    assert data["users_file"]["name"] == "users.json" and len(data["users_file"]["sha256"]) == 64


def test_cli_plan_refused_for_seats_exits_3_without_artifacts(tmp_path):
    folder = tenant_dir(tmp_path, seats=1)
    result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3, result.output
    assert "REFUSED, 2 missing" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_plan_bad_input_exits_2_with_one_line(tmp_path):
    folder = tenant_dir(tmp_path, target="NOT_A_PLAN")
    result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_html_checklist_keeps_the_spaces_of_its_wording():
    # wording is escaped for HTML but never flattened: "Batch 1: 3 users", not "Batch1:3users"
    lic = normalize_license_table(pd.DataFrame([row(f"u{i}@x.dk") for i in range(3)]))
    page = render_artifacts(make_plan(lic))["checklist.html"].decode("utf-8")
    assert "<h2>Batch 1: 3 users</h2>" in page
    assert "<h1>Office 365 E4 to Office 365 E5: admin center checklist" in page


@pytest.mark.parametrize("language", ["en", "da"])
def test_each_batch_heading_names_its_own_number_and_count(language):
    """say words a heading once per count and puts each batch's number in: five users in
    batches of two read 1: 2, 2: 2, 3: 1 (a plural of its own), in both formats."""
    lic = normalize_license_table(pd.DataFrame([row(f"u{i}@x.dk") for i in range(5)]))
    files = render_artifacts(make_plan(lic, batch_size=2, language=language))
    md, page = (files[f].decode("utf-8") for f in ("checklist.md", "checklist.html"))
    user, users = ("user", "users") if language == "en" else ("bruger", "brugere")
    want = [f"Batch 1: 2 {users}", f"Batch 2: 2 {users}", f"Batch 3: 1 {user}"]
    assert [line[3:] for line in md.splitlines() if line.startswith("## Batch")] == want
    headings = [h.split("</h2>")[0] for h in page.split("<h2>")[1:]]
    assert [h for h in headings if h.startswith("Batch")] == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), st.sampled_from(["", " ", "\t\u2028", "a\x00b", "  x  "]),
                          st.none()), max_size=8))
def test_checklist_escapes_a_column_at_once_exactly_as_one_value_at_a_time(values):
    """The per-user lines escape whole columns (checklist._escaped_columns); each value must
    come out as the template's |d filter writes it on its own, in both formats."""
    columns = checklist._escaped_columns(values)
    assert columns[False] == [checklist.markdown_escape(v) for v in values]
    assert columns[True] == [str(escape(checklist.flat(v))) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["usage-location", "reclaim-candidate", "a_b"]),
                          st.text(max_size=12), st.sampled_from(["why *this*", "a\n<b>", ""])),
                max_size=6))
def test_decision_lines_are_the_template_line_with_each_value_as_d_writes_it(decisions):
    """The decisions' lines are written out beforehand (checklist._decision_lines): each is
    the tick box, the code in bold, whom, what it asks, each value escaped as |d does."""
    lines = checklist._decision_lines(decisions)
    md, de = checklist.markdown_escape, lambda v: escape(checklist.flat(v))
    assert lines[False] == "".join(f"- [ ] **{md(c)}** {md(w)}: {md(y)}\n"
                                   for c, w, y in decisions)
    assert lines[True] == "".join(
        f'<li class="check"><label><input type="checkbox"> <strong>{de(c)}</strong> '
        f"{de(w)}: {de(y)}</label></li>\n" for c, w, y in decisions)


def test_a_new_plan_never_deletes_an_apply_journal(tmp_path):
    plan = make_plan()
    out = write_artifacts(plan, tmp_path)
    journal = out / JOURNAL_DIR
    journal.mkdir()
    (journal / "run-001.jsonl").write_text('{"type": "header"}\n', encoding="utf-8")
    # the same plan again: its journal stays where apply looks for it
    again = write_artifacts(plan, tmp_path, second_process=True)
    assert (again / JOURNAL_DIR / "run-001.jsonl").read_text(encoding="utf-8") == (
        '{"type": "header"}\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
    # another plan: the earlier folder, journal and all, is set aside, not deleted
    other = make_plan(max_users=1)
    assert other.plan_id != plan.plan_id
    write_artifacts(other, tmp_path)
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(SET_ASIDE)]
    assert len(aside) == 1 and (aside[0] / JOURNAL_DIR / "run-001.jsonl").exists()
    assert json.loads((aside[0] / "plan.json").read_text(encoding="utf-8"))["plan_id"] == (
        plan.plan_id)
    assert not (tmp_path / "plan" / JOURNAL_DIR).exists()


def test_a_failed_swap_puts_the_kept_journal_back(tmp_path, monkeypatch):
    plan = make_plan()
    out = write_artifacts(plan, tmp_path)
    (out / JOURNAL_DIR).mkdir()
    (out / JOURNAL_DIR / "run-001.jsonl").write_text("x\\n", encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst) == out and ".new" in Path(src).name:
            raise OSError("disk gone")
        return real_replace(src, dst)

    monkeypatch.setattr("playbook.files.os.replace", failing_replace)
    with pytest.raises(OSError, match="disk gone"):
        write_artifacts(plan, tmp_path)
    assert (out / JOURNAL_DIR / "run-001.jsonl").read_text(encoding="utf-8") == "x\\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
