"""groups.json gives the licensing groups' names (issue 17: groups by display name)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from paths import TENANTS

from playbook.display.pages import plan_rows
from playbook.errors import InputError
from playbook.exports.groups import read_group_names
from playbook.plan import build_plan
from playbook.tenant import load_tenant


def _tenant_with(tmp_path: Path, groups: object) -> Path:
    folder = tmp_path / "t"
    shutil.copytree(TENANTS / "contoso-direct", folder)
    (folder / "groups.json").write_text(json.dumps(groups), encoding="utf-8")
    return folder


def test_group_names_are_read_by_id(tmp_path):
    folder = _tenant_with(tmp_path, {"value": [
        {"id": "FA0000A1-0000-4000-8000-000000000001", "displayName": " Sales E5 "},
        {"id": "fa0000a2-0000-4000-8000-000000000002", "displayName": None}]})
    assert load_tenant(folder).group_names == {
        "fa0000a1-0000-4000-8000-000000000001": "Sales E5",
        "fa0000a2-0000-4000-8000-000000000002": ""}


def test_without_groups_json_groups_have_no_names():
    assert load_tenant(TENANTS / "contoso-direct").group_names == {}


@pytest.mark.parametrize(("groups", "column"), [
    ({"value": [{"displayName": "x"}]}, "value[0].id"),
    ({"value": [{"id": "g1", "displayName": ["x"]}]}, "value[0].displayName"),
    ({"groups": []}, None),
])
def test_a_damaged_groups_json_is_one_line_naming_the_place(tmp_path, groups, column):
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(groups), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_group_names(path)
    assert info.value.column == column and "groups.json" in info.value.one_line()


def test_pages_name_a_group_by_its_display_name_with_the_id_beside_it():
    """The plan page's group column and decisions use groups.json's names (fabrikam has it)."""
    tenant = load_tenant(TENANTS / "fabrikam-invoice")
    page = str(plan_rows(tenant, build_plan(tenant)))
    assert "Licensing - Office 365 E4 (Sales) [fa0000a1-0000-4000-8000-000000000001]" in page
