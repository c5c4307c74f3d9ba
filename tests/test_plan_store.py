"""playbook.plan.store: plan.json + plan.csv saved and loaded, and load_plan's refusals."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import plan_row as row

from playbook.artifacts import write_artifacts
from playbook.catalog import Catalog
from playbook.errors import InputError
from playbook.plan import PLAN_COLUMNS, TUPLE_COLUMNS, build_plan_from_tables
from playbook.plan.store import (
    load_plan,
    plan_csv_bytes,
    plan_from_json,
    plan_json_bytes,
    read_plan_csv,
    save_plan,
)
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import TenantConfig

E4, E5 = "ENTERPRISEWITHSCAL", "ENTERPRISEPREMIUM"
CAT = Catalog.builtin()
G1 = "aaaaaaaa-0000-4000-8000-000000000001"
HOSTILE = ["=1+1", "+x", "-1", "@a", "\tt", "\rr", "'q", "''q", "a;b", "a,b", 'say "hi"',
           "line\r\nbreak", "æøå 日本", "<script>x</script>", "*_`[]", ""]


def plan_of(*rows: dict, **cfg):
    lic = normalize_license_table(pd.DataFrame(list(rows)))
    subs = normalize_subscription_table(pd.DataFrame([
        {"sku_id": CAT.get(E5).sku_id, "sku_part_number": E5, "enabled": 100, "consumed": 0}]))
    return build_plan_from_tables(TenantConfig(name="contoso", **cfg), lic, subs, CAT,
                                  users_file_name="users.csv", users_sha256="ab" * 32)


def test_plan_json_round_trips(tmp_path):
    plan = plan_of(row("a@x.dk", disabled_plans=("FORMS_PLAN_E3",)),
                   row("b@x.dk", assigned_directly=False, group_ids=(G1,)),
                   default_usage_location="DK")
    data = json.loads(plan_json_bytes(plan))
    assert data == json.loads(json.dumps(plan.to_dict()))
    sums = {"plan.csv": "ab" * 32}
    assert json.loads(plan_json_bytes(plan, sums)) == {**data, "file_sha256": sums}
    assert "actions" not in data and data["actions_file"] == "plan.csv"
    assert data["action_count"] == len(plan.table) == 3
    again = plan_from_json(data, plan.table.copy())
    assert again.to_dict() == plan.to_dict()
    pd.testing.assert_frame_equal(again.table, plan.table)
    out = write_artifacts(plan, tmp_path)
    loaded = load_plan(out)
    assert loaded.plan_id == plan.plan_id and loaded.to_dict() == plan.to_dict()
    pd.testing.assert_frame_equal(loaded.table, plan.table)


def test_save_plan_writes_the_three_files_write_artifacts_writes(tmp_path):
    plan = plan_of(row("a@x.dk"), row("b@x.dk", display_name="=cmd"))
    path = save_plan(plan, tmp_path / "alone")
    assert path == tmp_path / "alone" / "plan.json"
    full = write_artifacts(plan, tmp_path / "run")
    names = ["plan.csv", "plan.json", "rollback.csv"]
    for name in names:
        assert (tmp_path / "alone" / name).read_bytes() == (full / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "alone").iterdir()) == names
    assert load_plan(path).plan_id == plan.plan_id


def test_plan_csv_reads_back_hostile_cells_exactly(tmp_path):
    plan = plan_of(*[row(f"u{i}@x.dk", display_name=h, department=h)
                     for i, h in enumerate(HOSTILE)])
    (tmp_path / "plan.csv").write_bytes(plan_csv_bytes(plan.table))
    back = read_plan_csv(tmp_path / "plan.csv")
    pd.testing.assert_frame_equal(back, plan.table[list(PLAN_COLUMNS)].reset_index(drop=True))
    names = dict(zip(back["upn"], back["display_name"], strict=True))
    assert [names[f"u{i}@x.dk"] for i in range(len(HOSTILE))] == HOSTILE
    assert all(type(v) is tuple for col in TUPLE_COLUMNS for v in back[col])


def test_an_actions_list_inside_plan_json_is_refused(tmp_path):
    # plan.json used to carry the actions itself: that layout is gone, plan again
    plan = plan_of(row("a@x.dk"), row("b@x.dk"))
    legacy = {**plan.to_dict(), "actions": [{"action_id": "U00001"}]}
    del legacy["actions_file"], legacy["action_count"]
    (tmp_path / "plan.json").write_text(json.dumps(legacy), encoding="utf-8")
    with pytest.raises(InputError, match="older e4-playbook") as err:
        load_plan(tmp_path)
    assert "\n" not in err.value.one_line() and "e4-playbook plan again" in err.value.one_line()


def test_load_plan_refuses_a_plan_csv_that_no_longer_matches(tmp_path):
    plan = plan_of(*[row(f"u{i}@x.dk") for i in range(4)])
    out = write_artifacts(plan, tmp_path)
    csv = out / "plan.csv"
    lines = csv.read_bytes().split(b"\r\n")
    csv.write_bytes(b"\r\n".join(lines[:2] + lines[3:]))  # one action deleted by hand
    with pytest.raises(InputError, match="3 actions, but plan.json says 4") as err:
        load_plan(out)
    assert err.value.exit_code == 2 and "plan.csv" in err.value.one_line()
    csv.write_bytes(b"\r\n".join(lines).replace(b"u1@x.dk", b"u9@x.dk"))  # one user changed
    with pytest.raises(InputError, match="changed after the plan was written"):
        load_plan(out)
    (out / "plan.csv").unlink()
    with pytest.raises(InputError, match="not found: plan.json keeps its actions there") as err:
        load_plan(out)
    assert "copy the whole plan/ folder" in err.value.one_line()


def test_load_plan_reports_bad_files_as_input_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_plan(tmp_path)
    (tmp_path / "plan.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_plan(tmp_path)
    (tmp_path / "plan.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="not a plan"):
        load_plan(tmp_path)
    (tmp_path / "plan.json").write_text('{"tenant": "t"}', encoding="utf-8")
    with pytest.raises(InputError, match="names no actions file"):
        load_plan(tmp_path)
    (tmp_path / "plan.json").write_text('{"actions_file": "../x.csv"}', encoding="utf-8")
    with pytest.raises(InputError, match="names no actions file"):
        load_plan(tmp_path)
    with pytest.raises(InputError, match="plan CSV not found"):
        read_plan_csv(tmp_path / "nope.csv")
    (tmp_path / "x.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a plan CSV"):
        read_plan_csv(tmp_path / "x.csv")
