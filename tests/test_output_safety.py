"""What the playbook writes and prints stays where and what it should be (issue 15 items 2, 3,
5, 15, 16 and 17; issue 17 item 4): folder names from the tenant folder only, one naming rule
that plan, run, verify and status share, a refused plan never leaving an earlier one in use,
no leftovers of a killed write, the user's umask, and nothing that drives a terminal."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import REPO
from test_artifacts import make_plan, tenant_dir
from test_runner import fixture_run, make_tenant

from playbook.artifacts import set_aside_plan, write_artifacts
from playbook.cli import UNPRINTABLE, main, printable
from playbook.files import folder_name, remove_leftovers, write_folder_atomic
from playbook.runs.execute import HtmlExport
from playbook.runs.folders import remember_runs_folder
from playbook.runs.record import crash_record, finish_record, record_meta
from playbook.runs.summary_page import summary_html, summary_rows
from playbook.verification.disk import find_plan

HOSTILE = "javascript:alert(1)<!--"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- one naming rule, from the tenant folder ---------------------------------------------------


@pytest.mark.parametrize(("name", "kept"), [
    ("contoso-direct", True), ("Nordlys A-S", True), ("æøå", True), ("a.b", True),
    (HOSTILE, False), ("..", False), (".hidden", False), ("CON", False), ("nul.txt", False),
    ("a\x1b[2Jb", False), (" x ", False), ("x" * 200, False), ("rlo\u202egnp", False),
])
def test_folder_name_is_the_tenant_folder_made_safe(tmp_path, name, kept):
    got = folder_name(tmp_path / name)
    assert (got == name) is kept
    assert got and got not in (".", "..") and not got.startswith(".")
    assert not any(ch in got for ch in '<>:"/\\|?*') and not UNPRINTABLE.search(got)
    assert len(got) <= 89 and (tmp_path / got).parent == tmp_path
    assert folder_name(tmp_path / (name + "2")) != got  # two folders never share one


@pytest.mark.parametrize("name", ["../../victim", "{abs}", "Nordlys A/S"])
def test_plan_writes_under_the_tenant_folder_whatever_tenant_yaml_names(tmp_path, monkeypatch,
                                                                         name):
    """tenant.yaml's name is text for reports: ``plan`` without --out writes to
    runs/<tenant folder>/manual, and ``verify`` finds it there."""
    victim = tmp_path / "victim"
    (victim / "manual" / "plan").mkdir(parents=True)
    (victim / "manual" / "plan" / "keep.txt").write_text("mine")
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    folder = tenant_dir(tmp_path / "a")
    yaml_name = str(victim) if name == "{abs}" else name
    (folder / "tenant.yaml").write_text(f"name: '{yaml_name}'\ntarget: ENTERPRISEPREMIUM\n")
    monkeypatch.chdir(work)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "b" not in p.parts)
    result = CliRunner().invoke(main, ["plan", str(folder)])
    assert result.exit_code == 0, result.output
    written = work / "runs" / "contoso" / "manual" / "plan"
    assert (written / "plan.json").is_file()
    assert f"Artifacts written to {Path('runs/contoso/manual/plan')}" in result.output
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "b" not in p.parts)
    assert after == before and (victim / "manual" / "plan" / "keep.txt").read_text() == "mine"
    # verify finds that plan by the same rule (it stops later, at the missing after export)
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 2 and "no plan found" not in result.output
    assert "no after export" in result.output


def test_the_plan_folder_swap_never_follows_a_link(tmp_path):
    """Swapping plan/ deletes only the folder it wrote: a plan/ that is a link (to anywhere)
    is refused with one line, and what it points at stays."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep")
    out = tmp_path / "out"
    out.mkdir()
    (out / "plan").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(FileExistsError, match="not a folder the playbook wrote"):
        write_artifacts(make_plan(), out)
    assert (elsewhere / "precious.txt").read_text() == "keep"
    folder = tenant_dir(tmp_path)
    result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(out)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and (elsewhere / "precious.txt").is_file()


def test_status_honours_the_out_that_batch_was_given(tmp_path):
    """``batch --out X`` notes X in the fleet folder, so ``status`` without --out reads X."""
    fleet, runs = tmp_path / "fleet", tmp_path / "elsewhere" / "records"
    tenant = make_tenant(fleet, HOSTILE)
    crash_record(tenant, runs, "a record")  # what any run leaves, under the one naming rule
    assert [p.name for p in runs.iterdir()] == [folder_name(tenant)]
    remember_runs_folder(fleet, runs)  # what batch does (end to end in test_fleet)
    result = CliRunner().invoke(main, ["status", str(fleet), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["runs"] == str(runs.resolve())
    (only,) = data["tenants"]
    assert only["folder"] == HOSTILE and only["runs"] == 1 and only["last_status"] == "failed"
    default = CliRunner().invoke(main, ["status", str(fleet), "--out", str(tmp_path / "none"),
                                        "--json"])
    assert json.loads(default.output)["tenants"][0]["runs"] == 0


# --- the fleet summary: text, never markup or a script link -----------------------------------


def test_summary_html_escapes_every_value_and_encodes_every_link(tmp_path):
    fleet, runs = tmp_path / "fleet", tmp_path / "runs"
    tenant = make_tenant(fleet, HOSTILE)
    run_dir = runs / folder_name(tenant) / "20261201T000000Z"
    run_dir.mkdir(parents=True)
    meta = record_meta(tenant, run_dir, datetime(2026, 12, 1, tzinfo=UTC))
    meta.update(tenant='<img src=x onerror="alert(2)">', status="ok")
    finish_record(run_dir, meta)
    rows = summary_rows([tenant], runs)
    page = summary_html(rows, ("tenant", "folder", "record"))
    # the page shows "tenant (folder)" in one cell (pages' six-column summary)
    assert "javascript:" not in page.replace(f"({HOSTILE[:10]}", "")
    assert "<img" not in page and "<!--" not in page
    assert ("<td>&lt;img src=x onerror=&quot;alert(2)&quot;&gt; (javascript:alert(1)&lt;!--)"
            "</td>") in page
    link = f'./{folder_name(tenant).replace("(", "%28").replace(")", "%29").replace("!", "%21")}'
    assert f'<a href="{link}/20261201T000000Z/index.html">record</a>' in page


# --- a refused plan, leftovers of a killed write ------------------------------------------------


def test_a_refused_plan_sets_the_earlier_plan_aside_and_says_so(tmp_path):
    """Issue 15 item 15: exit 3 must not leave the earlier plan in DIR/plan/ for verify or the
    script to use: it is moved aside (nothing lost) and the output says where."""
    out = tmp_path / "out"
    (tmp_path / "good").mkdir()
    (tmp_path / "short").mkdir()
    good = tenant_dir(tmp_path / "good")
    assert CliRunner().invoke(main, ["plan", str(good), "--out", str(out)]).exit_code == 0
    earlier = (out / "plan" / "plan.json").read_bytes()
    short = tenant_dir(tmp_path / "short", seats=1)
    result = CliRunner().invoke(main, ["plan", str(short), "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert not (out / "plan").exists()
    (aside,) = out.glob("plan.set-aside-*")
    assert (aside / "plan.json").read_bytes() == earlier
    line = f"The earlier plan in {out / 'plan'} was moved to {aside}: it is not the plan"
    assert line in result.output
    with pytest.raises(Exception, match="no plan.json here"):
        find_plan("contoso", out, tmp_path)  # verify --plan DIR no longer finds it
    again = CliRunner().invoke(main, ["plan", str(short), "--out", str(out), "--json"])
    assert again.exit_code == 3 and "earlier_plan_set_aside" not in json.loads(again.output)
    assert set_aside_plan(tmp_path / "nothing", datetime.now(UTC)) is None


def test_leftovers_of_a_killed_write_are_removed_on_the_next_and_never_read(tmp_path):
    """Issue 15 item 16: a ``plan`` killed mid-write leaves ``.plan.new.<pid>.*``; the next
    write removes those of dead processes (not of a write still running), and verify never
    takes one for a plan, even when it is the newest."""
    runs = tmp_path / "runs"
    manual = runs / "contoso" / "manual"
    write_artifacts(make_plan(), manual)
    dead = _dead_pid()
    leftovers = [manual / f".plan.new.{dead}.0badf00d", manual / f".plan.old.{dead}.0badf00d"]
    for leftover in leftovers:
        leftover.mkdir()
        (leftover / "plan.json").write_text("{}")
        (leftover / "plan").mkdir()  # hidden folders are never searched for a plan
        (leftover / "plan" / "plan.json").write_text("{}")
    live = manual / f".plan.new.{os.getpid()}.0000beef"
    live.mkdir()
    stale_file = manual / f".note.txt.new.{dead}.00c0ffee"
    stale_file.write_text("half")
    assert find_plan("contoso", None, runs) == manual / "plan" / "plan.json"
    write_artifacts(make_plan(), manual)
    assert not any(p.exists() for p in leftovers) and live.is_dir()
    assert remove_leftovers(manual / "note.txt") == [stale_file] and not stale_file.exists()
    assert sorted(p.name for p in manual.iterdir()) == [live.name, "plan"]


# --- permissions: the user's umask --------------------------------------------------------------


def test_everything_written_follows_the_umask(tmp_path):
    """Issue 15 item 17: no file or folder is forced to 0644/0755."""
    folder = tenant_dir(tmp_path)
    old = os.umask(0o027)
    try:
        out = write_folder_atomic(tmp_path / "w" / "x", [("a", b"1")]).parent
        result = CliRunner().invoke(main, ["plan", str(folder), "--out", str(out)])
        assert result.exit_code == 0, result.output
        record = crash_record(folder, tmp_path / "runs", "a record")
    finally:
        os.umask(old)
    written = [*out.rglob("*"), *record.run_dir.rglob("*"), record.run_dir]
    assert len(written) > 12
    for path in written:
        want = 0o750 if path.is_dir() else 0o640
        assert stat.S_IMODE(path.stat().st_mode) == want, path


# --- nothing printed drives the terminal --------------------------------------------------------


def test_the_cli_prints_no_control_characters(tmp_path):
    """Issue 15 item 5: ESC and BEL sequences in tenant data are stripped from what the CLI
    prints (text), escaped in its JSON (which reads back the same)."""
    folder = tenant_dir(tmp_path)
    evil = "Contoso\x1b]0;owned\x07\x1b[2J\u202e\x9b31m"
    (folder / "tenant.yaml").write_text(
        'name: "Contoso\\e]0;owned\\a\\e[2J\\u202e\\x9b31m"\ntarget: ENTERPRISEPREMIUM\n')
    for command in (["assess"], ["plan", "--out", str(tmp_path / "out")], ["inspect"]):
        result = CliRunner().invoke(main, [command[0], str(folder), *command[1:]])
        assert result.exit_code == 0, result.output
        assert "Contoso]0;owned[2J31m" in result.output
        assert not UNPRINTABLE.search(result.output), command
        as_json = CliRunner().invoke(main, [command[0], str(folder), *command[1:], "--json"])
        assert not UNPRINTABLE.search(as_json.output)
        assert json.loads(as_json.output)["tenant"] == evil
    bad = CliRunner().invoke(main, ["plan", str(tmp_path / "no\x1b[2Jpe")])
    assert bad.exit_code == 2 and "no[2Jpe" in bad.stderr and not UNPRINTABLE.search(bad.stderr)
    assert printable("tab\tand\nline stay; \r\x00\x7f go") == "tab\tand\nline stay;  go"


# --- run records fetch nothing ------------------------------------------------------------------


class _Fetches(HTMLParser):
    """Every URL a browser would fetch when it opens the page (links the reader clicks aside),
    and the text of inline scripts and styles (which could fetch too)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.code: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("src", "data", "poster", "srcset")
                          or (name == "href" and tag != "a")):
                self.urls.append(value)
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.code[self._in].append(data)


def _remote(text: str) -> list[str]:
    return re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", text)


def _record_page(tmp_path: Path, with_widget_state: bool) -> tuple[str, dict]:
    source = json.loads((REPO / "notebooks" / "01-eligibility.ipynb").read_text("utf-8"))
    if with_widget_state:  # nbconvert then adds the widget manager from unpkg
        source["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
            "version_major": 2, "version_minor": 0, "state": {}}}
    source["cells"].append({"cell_type": "markdown", "metadata": {}, "id": "math-and-chart",
                            "source": "Math $x^2$ and a chart\n```mermaid\ngraph TD; A-->B\n```"})
    notebook = tmp_path / f"{with_widget_state}" / "01-eligibility.ipynb"
    notebook.parent.mkdir()
    notebook.write_text(json.dumps(source), encoding="utf-8")
    return HtmlExport()(notebook).read_text(encoding="utf-8"), source


@pytest.mark.parametrize("with_widget_state", [False, True])
def test_an_html_run_record_is_self_contained(tmp_path, with_widget_state):
    """Issue 15 item 4: the executed-notebook HTML loads no script, style or image from the
    network (no cdnjs MathJax, require.js or mermaid, no unpkg widget manager)."""
    page, source = _record_page(tmp_path, with_widget_state)
    fetches = _Fetches()
    fetches.feed(page)
    remote = [u for u in fetches.urls if not u.startswith(("data:", "#"))]
    assert remote == []
    assert _remote("\n".join(fetches.code["script"])) == []
    styles = "\n".join(fetches.code["style"])  # a url() or @import fetches; comments do not
    fetched = [a or b for a, b in re.findall(r"url\(([^)]*)\)|@import\s+([^;]+)", styles)]
    assert [u for u in fetched if _remote(u)] == []
    for name in ("cdnjs", "unpkg", "jsdelivr", "require.js", "MathJax.js", "mermaid.esm"):
        assert name not in page, name
    if not with_widget_state:  # each control is a note (with a state, nbconvert shows its text)
        views = sum(o.get("data", {}).keys() >= {"application/vnd.jupyter.widget-view+json"}
                    for c in source["cells"] for o in c.get("outputs", []))
        assert views and page.count("An interactive control: open the executed .ipynb") == views


@pytest.mark.notebook
def test_a_run_verifies_against_the_plan_that_plan_wrote(tmp_path):
    """Issue 17 item 4: step 4 of ``run`` takes the plan ``e4-playbook plan`` wrote into
    runs/<tenant folder>/manual/, as ``verify`` does (one naming rule, one search)."""
    tenant = make_tenant(tmp_path / "fleet", HOSTILE, after_moved=3)
    runs = tmp_path / "runs"
    manual = runs / folder_name(tenant) / "manual"
    write_folder_atomic(manual / "plan", [("plan.json", json.dumps(
        {"actions": [{"upn": f"user{i}@example.com"} for i in range(5)]}).encode())])
    record = fixture_run(tenant, runs, steps="4")
    assert record.run_dir.parent == manual.parent
    assert record.status == "ok", record.result["error"]
    assert record.result["inputs"]["plan_from"] == "manual"
    assert record.result["verification"]["status_counts"]["pending"] == 2
