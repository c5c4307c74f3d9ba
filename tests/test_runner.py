"""One tenant run: run-folder layout, parameter injection, result.json against its schema,
verdicts that are results, failures that keep the notebook up to the failing cell.

The runs execute the tiny fixture notebooks in tests/notebooks/ (same parameter names as the
real notebooks) so these tests depend on no domain module. The helpers here are shared by
test_fleet.py, test_status.py and test_dask.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from paths import TENANTS

from playbook.cli import main
from playbook.errors import InputError
from playbook.files import write_json_atomic, write_text_atomic
from playbook.runs.folders import new_run_dir, run_folders
from playbook.runs.record import assemble_result, result_schema_path, save_step
from playbook.runs.step_range import format_steps, parse_steps
from playbook.runs.tenant_run import notebook_parameters, run_tenant
from playbook.steps import RESULT_KEYS, STEPS

FIXTURE_NOTEBOOKS = Path(__file__).parent / "notebooks"


def make_tenant(root: Path, folder: str, *, yaml_text: str | None = None, users: int = 7,
                available: int | None = None, blockers: tuple[str, ...] = (),
                channel: str | None = None, crash_in_step: int | None = None,
                bad_input_in_step: int | None = None, silent_crash_in_step: int | None = None,
                hang_in_step: int | None = None, after_moved: int | None = None) -> Path:
    """A tenant folder the fixture notebooks understand (fixture.json drives their verdicts)."""
    tenant = root / folder
    tenant.mkdir(parents=True, exist_ok=True)
    if yaml_text is None:
        yaml_text = f"name: {folder.title()} Ltd\ntarget: SPE_E3\nbatch_size: 5\n"
        if channel:
            yaml_text += f"purchase_channel: {channel}\n"
    (tenant / "tenant.yaml").write_text(yaml_text, encoding="utf-8")
    (tenant / "users.csv").write_text("upn\n", encoding="utf-8")
    scenario = {"users": users, "available": users if available is None else available,
                "blockers": list(blockers), "crash_in_step": crash_in_step,
                "bad_input_in_step": bad_input_in_step,
                "silent_crash_in_step": silent_crash_in_step, "hang_in_step": hang_in_step}
    (tenant / "fixture.json").write_text(json.dumps(scenario), encoding="utf-8")
    if after_moved is not None:
        set_after(tenant, after_moved)
    return tenant


def set_after(tenant: Path, moved: int) -> None:
    (tenant / "after").mkdir(exist_ok=True)
    (tenant / "after" / "users.json").write_text(json.dumps({"moved": moved}), encoding="utf-8")


def fixture_run(tenant: Path, out: Path, steps: str = "1-4"):
    return run_tenant(tenant, out, steps=steps, notebooks_dir=FIXTURE_NOTEBOOKS, preload=False,
                      cell_timeout=120, progress=False)


def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(result_schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def assert_valid_record(run_dir: Path) -> dict:
    record = json.loads((run_dir / "result.json").read_text(encoding="utf-8"))
    errors = sorted(schema_validator().iter_errors(record), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return record


def cell_text(notebook: Path) -> str:
    """All stream/text outputs of an executed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", "") or "".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# pure parts


@pytest.mark.parametrize("text, expected", [
    ("1-4", (1, 2, 3, 4)), ("1-3", (1, 2, 3)), ("4", (4,)), ("1,3", (1, 3)), ("3-4", (3, 4)),
    (" 2 - 3 ", (2, 3)), (None, (1, 2, 3, 4)),
])
def test_parse_steps(text, expected):
    assert parse_steps(text) == expected


@pytest.mark.parametrize("steps, text", [((1, 2, 3, 4), "1-4"), ((1, 3), "1,3"), ((4,), "4"),
                                         ((), "none")])
def test_format_steps(steps, text):
    assert format_steps(steps) == text


@pytest.mark.parametrize("text", ["0-2", "1-5", "3-1", "x", "", "1-", "one"])
def test_parse_steps_rejects(text):
    with pytest.raises(InputError) as err:
        parse_steps(text)
    assert "--steps" in err.value.one_line() and "fix:" in err.value.one_line()


def test_run_folders_are_never_reused(tmp_path):
    when = datetime(2026, 11, 28, 3, 15, 0, tzinfo=UTC)
    made = [new_run_dir(tmp_path / "t", when) for _ in range(11)]
    assert made[0].name == "20261128T031500Z"
    assert made[1].name == "20261128T031500Z-2"
    assert len({p.name for p in made}) == 11 and all(p.is_dir() for p in made)
    later = new_run_dir(tmp_path / "t", datetime(2026, 11, 29, tzinfo=UTC))
    newest_first = run_folders(tmp_path, "t")
    assert newest_first[0] == later
    assert newest_first[1].name == "20261128T031500Z-11"  # numeric suffix order, not text
    assert newest_first[-1].name == "20261128T031500Z"


def test_only_run_facts_are_injected_and_only_declared_ones(tmp_path):
    """tenant.yaml's settings are the notebook's to read: the run injects only its folders,
    the after export and the plan, and only the parameters the notebook declares."""
    declared = {"tenant_dir", "run_dir", "target", "exclude_users", "batch_size",
                "sku_reference"}
    params = notebook_parameters(declared, tenant_dir=tmp_path, run_dir=tmp_path / "r",
                                 after_export=tmp_path / "after" / "users.csv",
                                 plan_dir=tmp_path / "plan")
    assert params == {"tenant_dir": str(tmp_path), "run_dir": str(tmp_path / "r")}
    four = notebook_parameters({"tenant_dir", "run_dir", "after_export", "plan_dir", "target"},
                               tenant_dir=tmp_path, run_dir=tmp_path / "r",
                               after_export=tmp_path / "after" / "users.csv",
                               plan_dir=tmp_path / "plan")
    assert four == {"tenant_dir": str(tmp_path), "run_dir": str(tmp_path / "r"),
                    "after_export": str(tmp_path / "after" / "users.csv"),
                    "plan_dir": str(tmp_path / "plan")}
    # no plan known: plan_dir is left to the notebook's own default
    assert notebook_parameters({"plan_dir", "after_export"}, tenant_dir=tmp_path,
                               run_dir=tmp_path, after_export=tmp_path / "a.csv") == {
        "after_export": str(tmp_path / "a.csv")}


def test_nothing_to_record_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="tenant folder not found"):
        fixture_run(tmp_path / "missing", tmp_path / "runs")
    tenant = make_tenant(tmp_path, "t")
    with pytest.raises(InputError, match="--steps"):
        fixture_run(tenant, tmp_path / "runs", steps="2-9")
    with pytest.raises(InputError, match="notebook not found"):
        run_tenant(tenant, tmp_path / "runs", notebooks_dir=tmp_path, preload=False)
    assert not (tmp_path / "runs").exists()


# ---------------------------------------------------------------------------------------------
# runs


@pytest.mark.notebook
def test_full_run_layout_injection_and_schema(tmp_path):
    tenant = make_tenant(tmp_path / "fleet", "good",
                         yaml_text="name: Good Co\ntarget: SPE_E3\nbatch_size: 5\n"
                                   "exclude_users: [Boss@Example.com]\n",
                         users=7, after_moved=4)
    record = fixture_run(tenant, tmp_path / "runs")
    run_dir = record.run_dir
    assert record.status == "ok" and record.exit_code == 0
    assert run_dir.parent == (tmp_path / "runs" / "good").resolve()
    assert len(run_dir.name) == len("20261128T031500Z") and run_dir.name.endswith("Z")

    # layout: executed notebook + HTML per step, steps/, plan/, result.json, index.html
    for step in STEPS:
        assert (run_dir / step.notebook).is_file()
        assert (run_dir / step.notebook.replace(".ipynb", ".html")).is_file()
    for key in RESULT_KEYS:
        assert (run_dir / "steps" / f"{key}.json").is_file()
    assert (run_dir / "plan" / "plan.json").is_file()
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="./03-reassign.html"' in index and 'href="result.json"' in index

    result = assert_valid_record(run_dir)
    assert result["status"] == "ok" and result["steps_run"] == [1, 2, 3, 4]
    assert result["tenant"] == "Good Co" and result["folder"] == "good"
    assert result["plan_dir"] == "plan" and result["inputs"]["plan_from"] == "this run"
    assert result["inputs"]["after_export"] == "after/users.json"
    assert "decisions" not in result["plan"]  # per-user decisions stay in steps/plan.json
    assert result["plan"]["summary"]["users_moved"] == 7
    assert len(json.loads((run_dir / "plan" / "plan.json").read_text())["actions"]) == 7
    assert result["verification"]["status_counts"]["moved"] == 4
    (reason,) = result["verification"]["reasons"]
    assert reason["users_count"] == 3 and len(reason["users"]) == 3
    assert result["assessment"]["path"] == "upgrade-tab"

    # tenant.yaml values reached the notebooks, which read it themselves (nothing injected)
    assert "target: SPE_E3" in cell_text(run_dir / "01-eligibility.ipynb")
    assert ("batch_size: 5; exclude_users: ['boss@example.com']"
            in cell_text(run_dir / "03-reassign.ipynb"))
    assert f"plan_dir parameter: {run_dir / 'plan'}" in cell_text(
        run_dir / "04-verify-and-cancel.ipynb")
    nb = nbformat.read(run_dir / "01-eligibility.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert f'tenant_dir = "{tenant.resolve()}"' in injected[0].source
    assert f'run_dir = "{run_dir}"' in injected[0].source
    assert "SPE_E3" not in injected[0].source and "target" not in injected[0].source
    four = nbformat.read(run_dir / "04-verify-and-cancel.ipynb", as_version=4)
    (injected_four,) = [c for c in four.cells
                        if "injected-parameters" in c.metadata.get("tags", [])]
    assert f'after_export = "{tenant.resolve() / "after" / "users.json"}"' in (
        injected_four.source)
    # report mode: code hidden in the notebook and absent from the HTML
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in nb.cells
               if c.cell_type == "code")
    html = (run_dir / "01-eligibility.html").read_text(encoding="utf-8")
    assert "verdict: upgrade-tab" in html and "save_step(" not in html

    text = record.to_text()
    assert "run ok (steps 1-4)" in text and "partly moved (4 of 7)" in text


@pytest.mark.notebook
def test_failing_cell_keeps_notebook_and_says_where(tmp_path):
    tenant = make_tenant(tmp_path, "buggy", crash_in_step=2, after_moved=7)
    record = fixture_run(tenant, tmp_path / "runs")
    run_dir = record.run_dir
    assert record.status == "failed" and record.exit_code == 1
    result = assert_valid_record(run_dir)
    assert result["failed_step"] == 2
    assert result["failed_notebook"] == "02-license-count.ipynb"
    assert isinstance(result["failed_cell"], int) and result["failed_cell"] >= 1
    assert result["error"] == "RuntimeError: fixture bug in step 2"
    assert result["steps_run"] == [1, 2]
    assert [n["status"] for n in result["notebooks"]] == ["ok", "failed", "not-run", "not-run"]
    assert result["assessment"] is not None and result["counts"] is None
    # the executed notebook is kept up to the failing cell, with the error in it
    kept = nbformat.read(run_dir / "02-license-count.ipynb", as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "RuntimeError"
    assert (run_dir / "02-license-count.html").is_file()
    assert not (run_dir / "03-reassign.ipynb").exists()
    text = record.to_text()
    assert "FAILED in 02-license-count.ipynb cell" in text and "fixture bug" in text


@pytest.mark.notebook
def test_input_error_in_a_cell_is_bad_input(tmp_path):
    tenant = make_tenant(tmp_path, "badexport", bad_input_in_step=1)
    record = fixture_run(tenant, tmp_path / "runs", steps="1-2")
    result = assert_valid_record(record.run_dir)
    assert record.status == "bad-input" and record.exit_code == 2
    assert result["error"].endswith(
        "users.csv:3: column 'Licenses': value '???': no users.* export in the tenant folder "
        "(fix: export users from the admin center (Users > Active users > Export users) or run "
        "scripts/Export-TenantLicenses.ps1)")
    assert result["failed_step"] == 1 and result["failed_cell"] is not None
    assert (record.run_dir / "01-eligibility.ipynb").is_file()


@pytest.mark.notebook
def test_a_cell_failing_without_error_output_still_says_where(tmp_path):
    tenant = make_tenant(tmp_path, "silent", silent_crash_in_step=1)
    record = fixture_run(tenant, tmp_path / "runs", steps="1")
    result = assert_valid_record(record.run_dir)
    assert record.status == "failed" and result["failed_step"] == 1
    assert result["error"].startswith("CellExecutionError: the cell raised without showing")
    assert "maybe_fail(1)" in result["error"]  # names the code the failing cell runs


@pytest.mark.notebook
def test_a_cell_over_the_timeout_is_a_recorded_failure(tmp_path):
    tenant = make_tenant(tmp_path, "slow", hang_in_step=1)
    record = run_tenant(tenant, tmp_path / "runs", steps="1", notebooks_dir=FIXTURE_NOTEBOOKS,
                        preload=False, cell_timeout=1, progress=False)
    result = assert_valid_record(record.run_dir)
    assert record.status == "failed" and result["failed_step"] == 1
    assert "Timeout" in result["error"]
    assert (record.run_dir / "01-eligibility.ipynb").is_file()  # kept up to the slow cell


def test_bad_tenant_yaml_is_recorded_before_any_kernel(tmp_path):
    tenant = make_tenant(tmp_path, "typo", yaml_text="name: Typo\ntargt: SPE_E3\n")
    first = fixture_run(tenant, tmp_path / "runs")
    second = fixture_run(tenant, tmp_path / "runs")
    assert first.run_dir != second.run_dir  # a run folder is never overwritten
    for record in (first, second):
        result = assert_valid_record(record.run_dir)
        assert record.status == "bad-input" and record.exit_code == 2
        assert "unknown key 'targt'" in result["error"]
        assert "did you mean 'target'" in result["error"]
        assert result["steps_run"] == []
        assert {n["status"] for n in result["notebooks"]} == {"not-run"}
        assert not list(record.run_dir.glob("*.ipynb"))
    assert "error: " in first.to_text() and "blocked (bad input)" in first.to_text()


def test_cli_run_bad_input_is_one_line_and_exit_2(tmp_path):
    tenant = make_tenant(tmp_path, "typo", yaml_text="name: [unclosed\n")
    result = CliRunner().invoke(main, ["run", str(tenant), "--out", str(tmp_path / "runs")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "not valid YAML" in result.output
    records = list((tmp_path / "runs" / "typo").glob("*/result.json"))
    assert len(records) == 1 and json.loads(records[0].read_text())["status"] == "bad-input"


@pytest.mark.notebook
def test_refused_plan_is_a_result_and_skips_verification(tmp_path):
    tenant = make_tenant(tmp_path, "short", users=10, available=7, after_moved=0)
    record = fixture_run(tenant, tmp_path / "runs")
    result = assert_valid_record(record.run_dir)
    assert record.status == "ok" and record.exit_code == 0
    assert result["plan"]["refused"] is True and result["plan_dir"] is None
    four = result["notebooks"][3]
    assert four["status"] == "skipped" and "refused" in four["note"]
    assert result["verification"] is None and result["steps_run"] == [1, 2, 3]
    shown = record.to_text()
    assert "buy licenses first" in shown and "3 target licenses missing" in shown


def test_result_keeps_summaries_not_per_user_lists(tmp_path):
    users = [f"u{i}@x" for i in range(120)]
    save_step(tmp_path, "plan", {"refused": False, "summary": {"batches": 6},
                                 "decisions": [{"upn": u} for u in users]})
    save_step(tmp_path, "verification", {
        "safe_to_cancel": False, "status_counts": {"pending": 120},
        "reasons": [{"code": "SOURCE_HELD_DIRECT", "users": users}, {"code": "X"}]})
    result = assemble_result(tmp_path, {"status": "ok"})
    assert result["plan"] == {"refused": False, "summary": {"batches": 6}}
    held, other = result["verification"]["reasons"]
    assert held["users"] == users[:50] and held["users_count"] == 120
    assert other == {"code": "X"}
    assert result["assessment"] is None and result["counts"] is None
    # the full step results stay beside the record
    full = json.loads((tmp_path / "steps" / "verification.json").read_text())
    assert len(full["reasons"][0]["users"]) == 120


def test_record_files_follow_the_umask_and_leave_no_temporary_file(tmp_path):
    old = os.umask(0o027)
    try:
        as_json = write_json_atomic(tmp_path / "sub" / "r.json", {"a": "æ"})
        as_text = write_text_atomic(tmp_path / "sub" / "r.html", "<p>\r\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(as_json.stat().st_mode) == 0o640
    assert stat.S_IMODE(as_text.stat().st_mode) == 0o640
    assert as_json.read_text(encoding="utf-8") == '{\n  "a": "æ"\n}\n'
    assert as_text.read_bytes() == b"<p>\r\n"  # newlines as given
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["r.html", "r.json"]


def test_the_cli_loads_no_notebook_machinery_until_a_notebook_runs():
    """assess and plan start the CLI: papermill, nbconvert and Dask must not load with it,
    nor the sign-in and HTTP libraries that only export and apply use."""
    code = ("import sys, playbook.cli; print(sorted(m for m in ('papermill', 'nbformat', "
            "'nbconvert', 'distributed', 'msal', 'httpx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[1])
    assert out.stdout.strip() == "[]"


@pytest.mark.notebook
def test_the_real_notebooks_read_tenant_yaml_themselves(tmp_path):
    """Nothing from tenant.yaml is injected: the plan step must still use its batch_size.

    Needs notebooks whose tenant.yaml-backed parameters default to None (the notebooks'
    side of the contract); with ``batch_size: int = 20`` in 03-reassign it plans 20.
    """
    tenant = tmp_path / "adatum"
    shutil.copytree(TENANTS / "adatum-legacy", tenant)
    with (tenant / "tenant.yaml").open("a", encoding="utf-8") as fh:
        fh.write("batch_size: 5\n")
    record = run_tenant(tenant, tmp_path / "runs", steps="3", progress=False)
    assert record.status == "ok", record.result["error"]
    plan = json.loads((record.run_dir / "steps" / "plan.json").read_text(encoding="utf-8"))
    assert plan["batch_size"] == 5
    assert plan["summary"]["batches"] == 6  # as when the runner injected batch_size=5
