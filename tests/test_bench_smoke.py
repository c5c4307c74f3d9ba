"""The benchmark harness on tiny tenants: it measures what it says, and the CLI stays light.

No timing asserts: figures depend on the machine. What is checked is that processes are
measured on their own (exit code, memory), that verdicts follow from the figures, and that
``e4-playbook assess``/``plan`` never import the notebook stack.
"""

from __future__ import annotations

import importlib.util
import json
import resource
import sys

import pytest
from paths import REPO, TENANTS

BENCH = REPO / "bench"


def _load(name: str):
    """bench/ is a folder of scripts, not a package: load a module from its file (run.py
    imports harness as a sibling, so the folder goes on the path and ``harness`` keeps its
    own name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    module_name = name if name == "harness" else f"bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


harness = _load("harness")
run = _load("run")


# -- the CLI's import path ---------------------------------------------------------------------
@pytest.mark.parametrize("command", ["assess", "plan", "inspect"])
def test_cli_commands_do_not_import_the_notebook_stack(command, tmp_path):
    args = [command, str(TENANTS / "contoso-direct")]
    if command == "plan":
        args += ["--out", str(tmp_path / "out")]
    mods = harness.imported_modules([*args, "--json"], cwd=tmp_path)
    # the check sees real imports (else an empty set would pass for the wrong reason)
    assert {"playbook", "pandas", "click"} <= mods
    assert not mods & set(harness.HEAVY_MODULES), sorted(mods & set(harness.HEAVY_MODULES))
    if command == "plan":
        assert (tmp_path / "out" / "plan" / "plan.json").is_file()


# -- measuring one process ----------------------------------------------------------------------
def test_run_process_reports_exit_code_and_the_childs_own_peak_memory():
    # Linux starts a child's peak at its parent's size (why bench/run.py keeps heavy work out
    # of its own process), so the big child touches 300 MB more than this process holds
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = int(parent) + 300
    big = harness.run_process([sys.executable, "-c",
                               f"b = bytearray({mb} * 2**20); b[::4096] = b'x' * len(b[::4096])"])
    small = harness.run_process([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert big.returncode == 0 and not big.timed_out
    assert big.peak_mb > mb - 50
    assert small.returncode == 3
    assert small.peak_mb < parent + 60 < big.peak_mb  # its own peak, not the earlier child's
    assert big.seconds > 0 and small.seconds > 0


def test_run_process_kills_a_process_past_its_timeout():
    s = harness.run_process([sys.executable, "-c", "import time; time.sleep(60)"], timeout=0.5)
    assert s.timed_out and s.returncode != 0
    timing = harness.Timing((s,))
    assert not timing.ok


def test_timing_reports_the_median_and_the_highest_peak():
    t = harness.Timing((harness.Sample(3.0, 10.0), harness.Sample(1.0, 30.0),
                        harness.Sample(2.0, None)))
    assert t.median == 2.0
    assert t.peak_mb == 30.0
    assert t.ok
    d = t.to_dict()
    assert d["median"] == 2.0 and d["rounds"] == [3.0, 1.0, 2.0] and d["peak_mb"] == 30.0
    assert not harness.Timing((harness.Sample(1.0, returncode=2),)).ok


# -- data ---------------------------------------------------------------------------------------
def test_synthetic_tenants_are_made_once_in_every_format_and_reused(tmp_path):
    from playbook.exports import detect_users_format

    dirs = harness.tenant_dirs(tmp_path, 120, tuple(harness.FORMATS))
    assert set(dirs) == set(harness.FORMATS)
    for fmt, folder in dirs.items():
        assert detect_users_format(harness.users_file(folder)) == fmt
        assert (folder / "tenant.yaml").is_file() and (folder / "subscriptions.json").is_file()
    stamp = {f: harness.users_file(d).stat().st_mtime_ns for f, d in dirs.items()}
    again = harness.tenant_dirs(tmp_path, 120, tuple(harness.FORMATS))
    assert {f: harness.users_file(d).stat().st_mtime_ns for f, d in again.items()} == stamp


# -- a whole tiny run ---------------------------------------------------------------------------
def test_a_tiny_benchmark_run_writes_figures_and_verdicts(tmp_path):
    out = tmp_path / "results.md"
    code = run.main(["--sizes", "150,450", "--rounds", "1", "--skip-notebooks",
                     "--formats", "admin-center", "--work", str(tmp_path / "work"),
                     "--out", str(out), "--baseline", str(tmp_path / "none.json")])
    assert code == 0
    res = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [r["users"] for r in res["process"]] == [150, 450]
    for r in res["process"]:
        for cmd in ("floor", "assess", "plan"):
            assert r[cmd]["ok"], (cmd, r[cmd])  # plan wrote artifacts: exit 0, not 3
        # the stored medians are rounded to 4 places, so the recomputed ratio may differ in
        # its last digit
        assert r["assess_ratio"] == pytest.approx(r["assess"]["median"] / r["floor"]["median"],
                                                  abs=0.011)
    assert res["imports"]["assess"] == []
    assert [r["users"] for r in res["reading"]] == [150, 450]
    assert set(res["phases"][0]) >= set(harness.PHASES)
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets", "## 1. Reading", "## 2. Assess and plan",
                    "## 3. Peak memory", "## 4. Notebooks"):
        assert heading in text
    assert f"| CPUs | {res['meta']['machine']['cpu_count']} " in text
    assert not (tmp_path / "work" / "out").exists()  # scratch output cleaned up
    # the package was byte-compiled first, as an installed copy is, and the page says so
    assert res["meta"]["bytecode"]["compiled"] is True
    assert "| bytecode | playbook/ compiled first, as pip does on install" in text
    assert list((REPO / "playbook" / "plan" / "__pycache__").glob("rules.*.pyc"))
    # --render-only writes the same page again from the stored figures, measuring nothing
    out.unlink()
    assert run.main(["--render-only", "--out", str(out), "--work", str(tmp_path / "none"),
                     "--baseline", str(tmp_path / "none.json")]) == 0
    assert out.read_text(encoding="utf-8") == text and not (tmp_path / "none").exists()


def _fake_results(assess_ratio: float, plan_s_big: float, speedup: float,
                  replan_s: float = 0.5) -> dict:
    def timing(s: float, peak: float = 100.0) -> dict:
        return {"median": s, "rounds": [s], "peak_mb": peak, "ok": True, "returncodes": [0]}

    process = []
    for n, floor, assess, plan in ((100_000, 1.0, assess_ratio, 2.5),
                                   (300_000, 2.5, 4.0, plan_s_big)):
        process.append({"format": "admin-center", "users": n, "floor": timing(floor),
                        "assess": timing(assess), "plan": timing(plan, 2000.0),
                        "assess_ratio": round(assess / floor, 2),
                        "plan_ratio": round(plan / floor, 2)})
    return {
        "meta": {"formats": ["admin-center"], "rounds": 3, "big_rounds": 2, "started": "x",
                 "seconds": 60, "load_before": [1.0, 1.0, 1.0], "load_after": None,
                 "machine": {"cpu_count": 2, "cpus_usable": 2, "cpu_model": "cpu",
                             "python": "3", "pandas": "2", "numpy": "1", "pyarrow": False}},
        "data": [], "reading": [], "process": process, "imports": None,
        "phases": [{"format": "admin-center", "users": 100_000, "load_tenant": 0.4,
                    "assess": 0.2, "build_plan": 0.5, "replan_one_excluded": replan_s,
                    "write_artifacts": 0.7}],
        "notebooks": {"users": 100_000, "format": "admin-center", "one": timing(10.0),
                      "per_notebook": {}, "fleet": 16, "fleet_users": 300, "workers": 2,
                      "batch": {"1": {**timing(100.0), "tenants_ok": 16},
                                "2": {**timing(100.0 / speedup), "tenants_ok": 16}},
                      "speedup": speedup},
    }


def test_verdicts_follow_the_figures():
    good = {t["target"]: t for t in run.targets(_fake_results(1.5, 9.0, 1.8))}
    bad = {t["target"]: t for t in run.targets(_fake_results(2.5, 16.0, 1.2, replan_s=1.2))}
    assert good.keys() == bad.keys()
    ratio = "assess, 100,000 users, whole process / floor"
    assert good[ratio]["met"] is True and bad[ratio]["met"] is False
    plan_big = "plan + artifacts, 300,000 users (s)"
    assert good[plan_big]["met"] is True and bad[plan_big]["met"] is False
    peak = "peak memory, 300,000 users (MB)"
    assert good[peak]["figure"] == 2000.0 and good[peak]["met"] is False
    replan = "re-plan after one exclusion, 100,000 users (s)"
    assert good[replan]["met"] is True and bad[replan]["met"] is False
    growth = "plan growth 100,000 -> 300,000 users"
    assert good[growth]["figure"] == 3.6 and good[growth]["met"] is False  # 9.0 / 2.5
    fleet = "batch of 16 tenants, 2 workers vs 1"
    assert good[fleet]["met"] is True and bad[fleet]["met"] is False
    text = run.render(_fake_results(2.5, 16.0, 1.2))
    assert "| 2.50 | <= 2.0x | **missed** |" in text


def test_a_run_past_its_time_budget_cuts_rounds_and_says_so(tmp_path):
    out = tmp_path / "results.md"
    run.main(["--sizes", "150", "--rounds", "3", "--budget", "0.001", "--skip-notebooks",
              "--formats", "admin-center", "--work", str(tmp_path / "work"), "--out", str(out),
              "--baseline", str(tmp_path / "none.json")])
    res = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    row = res["process"][0]
    assert row["rounds"] == 1 and len(row["plan"]["rounds"]) == 1  # one round always runs
    assert res["phases"] == []  # the extra plan run did not fit
    assert "| admin-center | 150 | 1 |" in out.read_text(encoding="utf-8")
