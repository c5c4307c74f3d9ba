"""Issue 15 items 7, 8, 10, 12, 13 and issue 14 item 3: damaged or hostile inputs are refused
with one line naming the file and the field, never read as something they are not.

Each test states the input an attacker or a clumsy admin would hand over, and checks both the
:class:`InputError` (what a notebook shows) and, where it matters, the CLI's one line and exit 2.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builders import CATALOG, plan_row
from click.testing import CliRunner
from fuzzing import case_timeout
from paths import REPO

from playbook.artifacts import write_artifacts
from playbook.cli import main
from playbook.errors import EXIT_BAD_INPUT, InputError
from playbook.exports import read_subscriptions
from playbook.exports.csvio import read_columns, sniff_csv
from playbook.plan import build_plan_from_tables
from playbook.plan.store import load_plan, read_plan_csv
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import TenantConfig, load_config, load_tenant

E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E3_ID = "05e9a617-0261-4cee-bb44-138d3ef5d965"
YAML = "name: t\ntarget: SPE_E3\n"


def graph_user(**changes: object) -> dict:
    user = {"id": "00000000-0000-4000-8000-000000000001",
            "userPrincipalName": "ada@contoso.example", "displayName": "Ada",
            "department": "Sales", "usageLocation": "DK", "accountEnabled": True,
            "assignedLicenses": [{"skuId": E4_ID, "disabledPlans": []}],
            "licenseAssignmentStates": [{"assignedByGroup": None, "disabledPlans": [],
                                         "error": "None", "skuId": E4_ID, "state": "Active"}]}
    user.update(changes)
    return user


def tenant(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    folder = tmp_path / "t"
    folder.mkdir(exist_ok=True)
    files = {"tenant.yaml": YAML, **files}
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def users_json(tmp_path: Path, *users: dict) -> Path:
    return tenant(tmp_path, {"users.json": json.dumps({"value": list(users)})})


def cli_line(*args: str) -> str:
    """The CLI's one error line for a command that must be refused as bad input."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def refused(folder: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_tenant(folder)
    return info.value


# -- item 7: Graph users JSON ----------------------------------------------------------------


@pytest.mark.parametrize(("change", "column", "message"), [
    ({"accountEnabled": "false"}, "value[1].accountEnabled", "accountEnabled is not true or false"),
    ({"accountEnabled": 0}, "value[1].accountEnabled", "accountEnabled is not true or false"),
    ({"usageLocation": "Denmark"}, "value[1].usageLocation",
     "usage location is not a two-letter country code"),
    ({"usageLocation": ["DK"]}, "value[1].usageLocation", "usageLocation is not text"),
    ({"displayName": "Bo\u0000b"}, "value[1].displayName", "holds a NUL byte"),
    ({"department": {"name": "Sales"}}, "value[1].department", "department is not text"),
])
def test_graph_json_user_fields_refused_naming_user_and_field(tmp_path, change, column, message):
    folder = users_json(tmp_path, graph_user(),
                        graph_user(userPrincipalName="bob@contoso.example", **change))
    err = refused(folder)
    assert err.column == column and message in err.message
    assert "bob@contoso.example" in err.message  # the user is named, not only a position
    assert Path(err.file).name == "users.json"
    assert "users.json" in cli_line("inspect", str(folder))


def test_account_enabled_false_still_reads_as_blocked(tmp_path):
    folder = users_json(tmp_path, graph_user(accountEnabled=False),
                        graph_user(userPrincipalName="bo@contoso.example"))
    table = load_tenant(folder).licenses.set_index("upn")["account_enabled"]
    assert table.to_dict() == {"ada@contoso.example": False, "bo@contoso.example": True}


def test_graph_json_upn_without_at_refused(tmp_path):
    folder = users_json(tmp_path, graph_user(), graph_user(userPrincipalName="bob.contoso"))
    err = refused(folder)
    assert (err.column, err.value) == ("value[1].userPrincipalName", "bob.contoso")
    assert "no @" in err.message


@pytest.mark.parametrize(("licenses", "states", "column"), [
    ([{"skuId": E4_ID, "disabledPlans": [{"id": "x"}]}], None, "value[0].disabledPlans"),
    ([{"skuId": E4_ID, "disabledPlans": []}],
     [{"skuId": E4_ID, "state": ["Active"], "assignedByGroup": None}],
     "value[0].licenseAssignmentStates.state"),
    ([{"skuId": E4_ID, "disabledPlans": []}],
     [{"skuId": E4_ID, "state": "Active", "assignedByGroup": {"id": "g"}}],
     "value[0].licenseAssignmentStates.assignedByGroup"),
    ([{"skuId": E4_ID, "disabledPlans": []}],
     [{"skuId": E4_ID, "state": "Errror", "assignedByGroup": None}],
     "value[0].licenseAssignmentStates.state"),
])
def test_graph_json_wrong_types_in_licenses_refused(tmp_path, licenses, states, column):
    folder = users_json(tmp_path, graph_user(assignedLicenses=licenses,
                                             licenseAssignmentStates=states))
    assert refused(folder).column == column


def test_deeply_nested_graph_json_refused(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    folder = tenant(tmp_path, {"users.json": '{"value": [{"userPrincipalName": "a@b.c", '
                                             f'"x": {deep}}}]}}'})
    err = refused(folder)
    assert "nested too deeply" in err.message
    assert "users.json" in cli_line("assess", str(folder))


def test_nul_byte_in_a_csv_users_export_refused_with_its_line(tmp_path):
    """A CSV's NUL is refused before its header is parsed (the whole-file encoding check), so
    the error names the line; in Graph JSON the user check names the user and field."""
    header = "UserPrincipalName,DisplayName,UsageLocation,Licenses\n"
    row = "a@x.example,A\x00B,DK,x:ENTERPRISEWITHSCAL\n"
    folder = tenant(tmp_path, {"users.csv": header + row})
    err = refused(folder)
    assert err.row == 2 and "NUL" in err.message


def test_csv_body_is_parsed_from_the_bytes_that_were_checked(tmp_path):
    """The encoding and every row's field count are checked on the bytes sniff_csv read; the
    body is parsed from those same bytes, so a file changed on disk in between (a sync client,
    a second export) cannot slip in rows no check saw."""
    path = tmp_path / "users.csv"
    path.write_text("UserPrincipalName,Licenses\na@x.example,x:ENTERPRISEWITHSCAL\n",
                    encoding="utf-8")
    head = sniff_csv(path)
    path.write_text("UserPrincipalName,Licenses\nb@x.example,x:ENTERPRISEWITHSCAL,extra\n",
                    encoding="utf-8")
    assert read_columns(head, ["upn"])["upn"].tolist() == ["a@x.example"]


# -- item 8: tenant.yaml -----------------------------------------------------------------------

ALIAS_BOMB = "\n".join(
    ['name: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{k}: &{k} [{','.join(['*' + p] * 9)}]" for p, k in zip("abcdefgh", "bcdefghi",
                                                                 strict=True)]) + "\n"


def test_yaml_alias_bomb_refused_fast_in_little_memory(tmp_path):
    """A real process with 1 GB of address space and 20 s: before the fix it hung at 2 GB+."""
    assert len(ALIAS_BOMB) < 400
    folder = tenant(tmp_path, {"tenant.yaml": ALIAS_BOMB, "users.json": json.dumps(
        {"value": [graph_user()]})})

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([sys.executable, "-m", "playbook", "assess", str(folder)],
                          capture_output=True, text=True, timeout=60, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=False)
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "tenant.yaml" in lines[0] and "aliases" in lines[0]


@pytest.mark.parametrize(("text", "row", "message"), [
    ("name: a\ntarget: SPE_E3\nname: b\n", 3, "key 'name' is given twice"),
    ("name: a\nexclude_users: " + "[" * 50 + "]" * 50 + "\n", 2, "nested more than"),
])
def test_yaml_duplicate_keys_and_deep_nesting_refused(tmp_path, text, row, message):
    path = tmp_path / "tenant.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_config(path)
    assert info.value.row == row and message in info.value.message


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-16-le"])
def test_tenant_yaml_saved_by_notepad_is_read_right(tmp_path, encoding):
    path = tmp_path / "tenant.yaml"
    path.write_bytes("# Kræn's tenant\nname: Kræn Ålborg\ntarget: SPE_E3\n".encode(encoding))
    assert load_config(path).name == "Kræn Ålborg"


def test_tenant_yaml_in_no_known_encoding_names_the_file(tmp_path):
    path = tmp_path / "tenant.yaml"
    path.write_bytes(b"name: a\x81\x8d\n")  # bytes cp1252 leaves undefined
    with pytest.raises(InputError) as info:
        load_config(path)
    assert Path(info.value.file) == path and "encoding" in info.value.message


# -- item 10 and issue 14 item 3: subscriptions ------------------------------------------------

SUBS_CSV = "SkuId,SkuPartNumber,ConsumedUnits,PrepaidUnitsEnabled\n"


@pytest.mark.parametrize("cell", ["1e3", "-5", "99999999999999999999", "2147483648", "25.0"])
def test_csv_seat_counts_must_be_int32_whole_numbers(tmp_path, cell):
    path = tmp_path / "subscriptions.csv"
    path.write_text(SUBS_CSV + f"{E4_ID},ENTERPRISEWITHSCAL,3,{cell}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_subscriptions(path)
    assert (info.value.row, info.value.column, info.value.value) == (
        2, "PrepaidUnitsEnabled", cell)


def subscribed(**changes: object) -> dict:
    sku = {"skuId": E4_ID, "skuPartNumber": "ENTERPRISEWITHSCAL", "appliesTo": "User",
           "capabilityStatus": "Enabled", "consumedUnits": 3,
           "prepaidUnits": {"enabled": 5, "lockedOut": 0, "suspended": 0, "warning": 0}}
    sku.update(changes)
    return sku


@pytest.mark.parametrize(("change", "column"), [
    ({"consumedUnits": 2**70}, "value[0].consumedUnits"),
    ({"consumedUnits": -1}, "value[0].consumedUnits"),
    ({"consumedUnits": 1e3}, "value[0].consumedUnits"),
    ({"prepaidUnits": {"enabled": True}}, "value[0].prepaidUnits.enabled"),
    ({"prepaidUnits": {"enabled": -25}}, "value[0].prepaidUnits.enabled"),
])
def test_json_seat_counts_must_be_int32_whole_numbers(tmp_path, change, column):
    path = tmp_path / "subscriptions.json"
    path.write_text(json.dumps({"value": [subscribed(**change)]}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_subscriptions(path)
    assert info.value.column == column and "seat count" in info.value.message


def test_sku_id_of_another_product_refused_json_and_csv(tmp_path):
    path = tmp_path / "subscriptions.json"
    path.write_text(json.dumps({"value": [subscribed(skuId=E3_ID)]}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_subscriptions(path)
    assert info.value.column == "value[0].skuPartNumber" and "SPE_E3" in info.value.message
    csv_path = tmp_path / "subscriptions.csv"
    csv_path.write_text(SUBS_CSV + f"{E3_ID},ENTERPRISEWITHSCAL,3,5\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_subscriptions(csv_path)
    assert (info.value.row, info.value.column) == (2, "SkuPartNumber")


def test_pairs_checked_against_microsofts_table_when_given(tmp_path, reference_csv):
    """Power BI Pro's id sold as Visio Plan 2: only Microsoft's table knows both."""
    subs = {"value": [subscribed(), subscribed(
        skuId="f8a1db68-be16-40ed-86d5-cb42ce701560", skuPartNumber="VISIOCLIENT")]}
    folder = users_json(tmp_path, graph_user())
    (folder / "subscriptions.json").write_text(json.dumps(subs), encoding="utf-8")
    assert len(load_tenant(folder).subscriptions) == 2  # the built-in catalog cannot tell
    with pytest.raises(InputError) as info:
        load_tenant(folder, sku_reference=reference_csv)
    assert "POWER_BI_PRO in Microsoft's product table" in info.value.message
    assert info.value.column == "value[1].skuPartNumber"


def test_license_details_in_the_subscriptions_slot_refused(tmp_path):
    details = {"value": [{"id": "x", "skuId": E4_ID, "skuPartNumber": "ENTERPRISEWITHSCAL",
                          "servicePlans": [{"servicePlanId": "efb87545-963c-4e0d-99df-"
                                            "69c6916d9eb0", "servicePlanName":
                                            "EXCHANGE_S_ENTERPRISE", "provisioningStatus":
                                            "Success", "appliesTo": "User"}]}]}
    folder = users_json(tmp_path, graph_user())
    (folder / "subscriptions.json").write_text(json.dumps(details), encoding="utf-8")
    line = cli_line("assess", str(folder))
    assert "subscriptions.json" in line and "licenseDetails" in line
    assert "GET /subscribedSkus" in line


# -- item 12: not a regular file ---------------------------------------------------------------


def special(kind: str, path: Path) -> None:
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
@pytest.mark.parametrize("name", ["users.csv", "subscriptions.csv", "tenant.yaml"])
def test_pipe_or_device_refused_without_reading(tmp_path, kind, name):
    """Before the fix a FIFO blocked forever and /dev/zero was read until memory ran out; the
    alarm turns a hang into a failure."""
    folder = tenant(tmp_path, {"users.json": json.dumps({"value": [graph_user()]})})
    (folder / ("users.json" if name.startswith("users") else name)).unlink(missing_ok=True)
    special(kind, folder / name)
    with case_timeout(10):
        line = cli_line("inspect", str(folder))
    assert name in line and "not a regular file; nothing was read" in line


def test_folder_where_a_file_is_expected(tmp_path):
    folder = tenant(tmp_path, {"users.json": json.dumps({"value": [graph_user()]})})
    (folder / "tenant.yaml").unlink()
    special("folder", folder / "tenant.yaml")
    assert "is a folder, not a file" in cli_line("inspect", str(folder))
    (folder / "tenant.yaml").rmdir()
    (folder / "tenant.yaml").write_text(YAML, encoding="utf-8")
    with case_timeout(10):
        line = cli_line("inspect", str(folder.parent / "t"), "--sku-reference", "/dev/zero")
    assert "/dev/zero" in line


# -- item 13: verify's integrity check ---------------------------------------------------------


def written_plan(tmp_path: Path) -> Path:
    """A three-user E4 -> E5 plan written as the CLI writes it."""
    lic = normalize_license_table(pd.DataFrame([plan_row(f"u{i}@x.dk") for i in range(3)]))
    e5 = CATALOG.get("ENTERPRISEPREMIUM")
    subs = normalize_subscription_table(pd.DataFrame([{
        "sku_id": e5.sku_id, "sku_part_number": e5.part_number, "enabled": 100,
        "consumed": 0}]))
    plan = build_plan_from_tables(TenantConfig(name="contoso"), lic, subs, CATALOG,
                                  users_file_name="users.csv", users_sha256="ab" * 32)
    return write_artifacts(plan, tmp_path)


def edit_header(folder: Path, **changes: object) -> None:
    data = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    data.update(changes)
    (folder / "plan.json").write_text(json.dumps(data), encoding="utf-8")


def test_empty_plan_csv_is_one_line(tmp_path):
    folder = written_plan(tmp_path)
    (folder / "plan.csv").write_bytes(b"")
    with pytest.raises(InputError, match="the plan CSV is empty"):
        load_plan(folder)
    with pytest.raises(InputError, match="the plan CSV is empty"):
        read_plan_csv(folder / "plan.csv")


@pytest.mark.parametrize(("changes", "column"), [
    ({"plan_id": ""}, "plan_id"),
    ({"plan_id": None}, "plan_id"),
    ({"actions": []}, "actions"),
    ({"action_count": "3"}, "action_count"),
])
def test_no_bypass_of_the_integrity_check(tmp_path, changes, column):
    """Each header change, together with a plan.csv edited by hand, is refused."""
    folder = written_plan(tmp_path)
    csv = folder / "plan.csv"
    csv.write_bytes(csv.read_bytes().replace(b"u1@x.dk", b"evil@x.dk"))
    edit_header(folder, **changes)
    with pytest.raises(InputError) as info:
        load_plan(folder)
    assert info.value.column == column
    assert "3 actions, but plan.json says 3" not in info.value.one_line()


def test_count_cell_that_is_not_a_number_refused(tmp_path):
    folder = written_plan(tmp_path)
    path = folder / "plan.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    rows[1][rows[0].index("batch")] = "one"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_plan_csv(path)
    assert (info.value.row, info.value.column, info.value.value) == (2, "batch", "one")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_plan_files_and_json_pages_that_are_pipes_refused(tmp_path):
    folder = written_plan(tmp_path)
    (folder / "plan.csv").unlink()
    os.mkfifo(folder / "plan.csv")
    with case_timeout(10), pytest.raises(InputError, match="named pipe"):
        load_plan(folder)
    (tmp_path / "p").mkdir()
    pages = tenant(tmp_path / "p", {})
    (pages / "users").mkdir()
    os.mkfifo(pages / "users" / "page1.json")
    with case_timeout(10):
        line = cli_line("inspect", str(pages))
    assert "page1.json" in line and "named pipe" in line


def test_a_header_the_csv_module_cannot_read_is_one_line(tmp_path):
    """A header field past the csv module's size limit (a damaged file) was a traceback."""
    header = "UserPrincipalName,DisplayName" + "x" * 200_000 + ",UsageLocation,Licenses\n"
    row = "a@x.example,A,DK,x:ENTERPRISEWITHSCAL\n"
    folder = tenant(tmp_path, {"users.csv": header + row})
    err = refused(folder)
    assert err.row == 1 and "header" in err.message
    assert "users.csv" in cli_line("assess", str(folder))
