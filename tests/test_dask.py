"""The Dask path: the same tenant runs sent to a distributed cluster (a LocalCluster here)."""

from __future__ import annotations

import json

import pytest
from test_runner import FIXTURE_NOTEBOOKS, assert_valid_record, make_tenant

from playbook.runs.fleet import run_fleet

distributed = pytest.importorskip("distributed")

OPTIONS = {"notebooks_dir": FIXTURE_NOTEBOOKS, "preload": False, "cell_timeout": 120,
           "progress": False, "steps": "1"}


@pytest.mark.notebook
def test_fleet_on_a_local_cluster(tmp_path):
    fleet, runs = tmp_path / "fleet", tmp_path / "runs"
    make_tenant(fleet, "good")
    make_tenant(fleet, "buggy", crash_in_step=1)
    make_tenant(fleet, "typo", yaml_text="name: Typo\ntarget: [\n")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        summary = run_fleet(fleet, runs, dask_scheduler=cluster.scheduler_address, **OPTIONS)
        workers_seen = set(cluster.scheduler_info["workers"])
    assert len(workers_seen) == 2
    assert summary.ran == ("buggy", "good", "typo")
    statuses = {}
    for folder in summary.ran:
        (record,) = (runs / folder).glob("*/result.json")
        statuses[folder] = assert_valid_record(record.parent)["status"]
    assert statuses == {"good": "ok", "buggy": "failed", "typo": "bad-input"}
    good = json.loads(next((runs / "good").glob("*/result.json")).read_text())
    assert good["assessment"]["path"] == "upgrade-tab"
    assert [r["folder"] for r in summary.rows] == ["buggy", "typo", "good"]
    assert (runs / "summary.csv").is_file() and (runs / "summary.html").is_file()


def test_local_keyword_starts_a_throwaway_cluster(tmp_path):
    fleet, runs = tmp_path / "fleet", tmp_path / "runs"
    make_tenant(fleet, "typo", yaml_text="name: Typo\nlanguage: fr\n")  # no kernel needed
    summary = run_fleet(fleet, runs, dask_scheduler="local", workers=1, **OPTIONS)
    assert summary.ran == ("typo",)
    (row,) = summary.rows
    assert row["run_status"] == "bad-input" and "'language' must be one of" in row["why"]
