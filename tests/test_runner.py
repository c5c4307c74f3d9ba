"""One tenant run: run-folder layout, parameter injection, result.json against its schema,
verdicts that are results, failures that keep the notebook up to the failing cell.

The runs execute the tiny fixture notebooks in tests/notebooks/ (same parameter names as the
real notebooks) so these tests depend on no domain module. The helpers here are shared by
test_fleet.py, test_status.py and test_dask.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from playbook.errors import InputError
from playbook.report import result_schema_path
from playbook.runner import (
    STEP_NOTEBOOKS,
    new_run_dir,
    notebook_parameters,
    parse_steps,
    run_folders,
    run_tenant,
)
from playbook.tenant import config_from_mapping

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


def test_parameters_come_from_tenant_yaml_and_only_declared_ones(tmp_path):
    config = config_from_mapping({
        "name": "Contoso", "target": "SPE_E5", "exclude_users": ["Boss@Contoso.com"],
        "batch_size": 10, "sku_reference": "ref/products.csv", "language": "da",
    })
    declared = {"tenant_dir", "run_dir", "target", "exclude_users", "max_users", "batch_size",
                "default_usage_location", "sku_reference"}
    params = notebook_parameters(declared, tenant_dir=tmp_path, run_dir=tmp_path / "r",
                                 config=config)
    assert set(params) == declared  # "language" is not declared here, so not injected
    assert params["target"] == "SPE_E5"
    assert params["exclude_users"] == ["boss@contoso.com"]  # a list literal, not a tuple
    assert params["batch_size"] == 10
    assert params["max_users"] == 0  # unset -> the notebook's "use tenant.yaml" value
    assert params["default_usage_location"] == ""
    assert params["sku_reference"] == str(tmp_path / "ref" / "products.csv")
    four = notebook_parameters({"after_export", "plan_dir", "target"}, tenant_dir=tmp_path,
                               run_dir=tmp_path, config=config,
                               after_export=tmp_path / "after" / "users.csv",
                               plan_dir=tmp_path / "plan")
    assert four == {"after_export": str(tmp_path / "after" / "users.csv"),
                    "plan_dir": str(tmp_path / "plan"), "target": "SPE_E5"}


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
    for name in STEP_NOTEBOOKS.values():
        assert (run_dir / name).is_file()
        assert (run_dir / name.replace(".ipynb", ".html")).is_file()
    for step in ("assessment", "counts", "plan", "verification"):
        assert (run_dir / "steps" / f"{step}.json").is_file()
    assert (run_dir / "plan" / "plan.json").is_file()
    index = (run_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="03-reassign.html"' in index and 'href="result.json"' in index

    result = assert_valid_record(run_dir)
    assert result["status"] == "ok" and result["steps_run"] == [1, 2, 3, 4]
    assert result["tenant"] == "Good Co" and result["folder"] == "good"
    assert result["plan_dir"] == "plan" and result["inputs"]["plan_from"] == "this run"
    assert result["inputs"]["after_export"] == "after/users.json"
    assert "actions" not in result["plan"]  # the summary only; actions stay in plan/plan.json
    assert len(json.loads((run_dir / "plan" / "plan.json").read_text())["actions"]) == 7
    assert result["verification"]["status_counts"]["moved"] == 4
    (reason,) = result["verification"]["reasons"]
    assert reason["users_count"] == 3 and len(reason["users"]) == 3
    assert result["assessment"]["path"] == "upgrade-tab"

    # tenant.yaml values reached the notebooks, through the injected-parameters cell
    assert "target parameter: SPE_E3" in cell_text(run_dir / "01-eligibility.ipynb")
    assert ("batch_size parameter: 5; exclude_users: ['boss@example.com']"
            in cell_text(run_dir / "03-reassign.ipynb"))
    assert f"plan_dir parameter: {run_dir / 'plan'}" in cell_text(
        run_dir / "04-verify-and-cancel.ipynb")
    nb = nbformat.read(run_dir / "01-eligibility.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "SPE_E3" in injected[0].source
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
        "users.csv:3: column 'Licenses': value '???': fixture bad export (fix: export again)")
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
    from playbook.cli import main

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
    assert "blocked (seats)" in record.to_text() and "buy 3 more" in record.to_text()


def test_result_keeps_summaries_not_per_user_lists(tmp_path):
    from playbook.report import assemble_result, save_step

    users = [f"u{i}@x" for i in range(120)]
    save_step(tmp_path, "plan", {"refused": False, "summary": {"batches": 6},
                                 "actions": [{"upn": u} for u in users],
                                 "decisions": [{"upn": users[0]}]})
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
