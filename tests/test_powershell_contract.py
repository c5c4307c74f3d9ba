"""Invoke-E4Reassignment.ps1 without PowerShell: its CSV contract from both ends, and its rules.

CI has no PowerShell, so the script is kept small and these tests pin what a line-by-line review
checked: it reads exactly the plan.csv columns the playbook writes, only id/upn/sku columns,
undoes the formula escape exactly, is the same file for every tenant, and keeps the safety rules.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re

import pandas as pd
import pytest

from playbook.artifacts import (
    SCRIPT_COLUMNS,
    SCRIPT_NAME,
    script_bytes,
    write_artifacts,
)
from playbook.catalog import Catalog
from playbook.cli import UNPRINTABLE
from playbook.files import neutralize_cell
from playbook.plan import EXECUTED_KINDS, PLAN_COLUMNS, build_plan_from_tables
from playbook.table import normalize_license_table
from playbook.tenant import TenantConfig

SCRIPT = script_bytes().decode("utf-8")
CAT = Catalog.builtin()
E4 = CAT.get("ENTERPRISEWITHSCAL")
G1 = "aaaaaaaa-0000-4000-8000-000000000001"


def _code() -> str:
    """The script without comments (help block and # lines) and without string contents."""
    code = re.sub(r"<#.*?#>", "", SCRIPT, flags=re.S)
    code = "\n".join(line.split(" #")[0] if not line.lstrip().startswith("#") else ""
                     for line in code.splitlines())
    return code


def _ps_array(name: str) -> list[str]:
    m = re.search(rf"\${name} = @\((.*?)\)", SCRIPT, flags=re.S)
    assert m, name
    return re.findall(r"'([^']*)'", m.group(1))


def _plan(name: str, target: str, upns: list[str], **cfg):
    rows = []
    for i, upn in enumerate(upns):
        rows.append({"upn": upn, "sku_part_number": E4.part_number, "sku_id": E4.sku_id,
                     "display_name": f'=HYPERLINK("x","{i}")', "department": "-Sales",
                     "usage_location": "" if i % 3 == 0 else "DK",
                     "user_id": f"00000000-0000-4000-8000-{i:012d}" if i % 2 else "",
                     "account_enabled": i % 4 != 1,
                     "assigned_directly": i % 5 != 4, "group_ids": (G1,) if i % 5 >= 3 else (),
                     "disabled_plans": ("FORMS_PLAN_E3",) if i % 2 else ()})
    lic = normalize_license_table(pd.DataFrame(rows))
    config = TenantConfig(name=name, target=target, default_usage_location="DK", **cfg)
    return build_plan_from_tables(config, lic, None, CAT)


NASTY_UPNS = ["o'brien@x.dk", "-minus@x.dk", "'quote@x.dk", "=eq@x.dk", "+plus@x.dk",
              "$(whoami)@x.dk", "back`tick@x.dk", "semi;colon@x.dk", "plain@x.dk",
              "#ext#g_x.dk#ext#@x.onmicrosoft.com"]


# --- the CSV contract from both ends -----------------------------------------------------------


def test_script_reads_exactly_the_declared_columns_and_plan_csv_writes_them(tmp_path):
    declared = _ps_array("Columns")
    assert tuple(declared) == SCRIPT_COLUMNS
    out = write_artifacts(_plan("t1", "ENTERPRISEPREMIUM", NASTY_UPNS), tmp_path)
    for name in ("plan.csv", "rollback.csv"):
        header = next(csv.reader(io.StringIO(
            (out / name).read_bytes().decode("utf-8-sig"))))
        assert header == list(PLAN_COLUMNS)
        assert set(declared) <= set(header)
    # every plan-row read goes through Get-Cell with a declared column, and all are used
    reads = re.findall(r"Get-Cell \$(row|_) '([a-z_]+)'", SCRIPT)
    assert {c for _, c in reads} == set(declared)
    # the results log is read for its own three columns only
    assert set(re.findall(r"Get-Cell \$logged '([a-z_]+)'", SCRIPT)) == {"plan_id", "action_id",
                                                                        "signature"}
    # no other way to touch a plan row's cells
    assert not re.search(r"\$row\.", _code())
    for never in ("display_name", "department", "reason", "before_skus"):
        assert never not in SCRIPT


def test_script_runs_exactly_the_executed_kinds():
    assert set(_ps_array("Runnable")) == set(EXECUTED_KINDS)


def _ps_replace(function: str) -> tuple[re.Pattern[str], str]:
    """The ``-replace 'pattern', 'replacement'`` of a script function, as Python's re.

    The patterns use only escapes .NET and Python read alike (``\\r``, ``\\x00``,
    ``\\u202A``, classes, groups, look-ahead); PowerShell's ``''`` is one ``'`` and ``$1`` is
    Python's ``\\1``.
    """
    body = re.search(rf"function {function}\(.*?\n}}\n", SCRIPT, flags=re.S).group(0)
    pattern, replacement = re.search(r"-replace '((?:[^']|'')*)', '((?:[^']|'')*)'",
                                     body).groups()
    return (re.compile(pattern.replace("''", "'")),
            replacement.replace("''", "'").replace("$1", r"\1"))


def _get_cell(value: str) -> str:
    """The script's Get-Cell: one ' dropped at each field start, then white space."""
    pattern, replacement = _ps_replace("Get-Cell")
    return pattern.sub(replacement, value).strip()


def _protect_cell(value: str) -> str:
    pattern, replacement = _ps_replace("Protect-Cell")
    return pattern.sub(replacement, value)


def _printable(value: str) -> str:
    pattern, replacement = _ps_replace("Format-Printable")
    return pattern.sub(replacement, value)


def test_values_the_script_reads_are_the_plan_values_even_for_hostile_upns(tmp_path):
    plan = _plan("t1", "ENTERPRISEPREMIUM", NASTY_UPNS)
    out = write_artifacts(plan, tmp_path)
    text = (out / "plan.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(plan.table)
    guid = re.compile(re.search(r"\$GuidPattern = '([^']+)'", SCRIPT).group(1))
    for got, want in zip(rows, plan.table.to_dict("records"), strict=True):
        for col in SCRIPT_COLUMNS:
            value = want[col]
            if isinstance(value, tuple):
                value = ";".join(value)
            assert _get_cell(got[col]) == str(value), (col, got[col])
        if want["kind"] in EXECUTED_KINDS:
            for col in ("add_sku_id", "remove_sku_id"):
                assert not want[col] or guid.match(want[col])
            assert all(guid.match(p) for p in want["disabled_plan_ids_after"])
            if want["user_id"]:
                assert guid.match(want["user_id"])


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@1", "\t1", "\r1", "'1", "ok", "",
                                  "a;=cmd", "x,-1;+2", 'a;"=b"', "n\n@x", "a;'b", ";'",
                                  "user-swap|x@y|g1,g2|DK", "Conflict;=HYPERLINK(1)"])
def test_protect_and_get_cell_in_the_script_match_the_python_escape(text):
    """The results CSV is escaped as every CSV of the project (split on , or ;), and Get-Cell
    undoes exactly that (issue 15 item 1)."""
    assert _protect_cell(text) == neutralize_cell(text)
    assert _get_cell(neutralize_cell(text)) == text.strip()


# --- one file for every tenant ------------------------------------------------------------------


def test_script_is_the_same_file_for_every_tenant_and_holds_no_tenant_data(tmp_path):
    a = write_artifacts(_plan("contoso", "ENTERPRISEPREMIUM", NASTY_UPNS), tmp_path / "a")
    b = write_artifacts(_plan("fabrikam", "SPE_E3", ["x@fabrikam.example"], batch_size=3),
                        tmp_path / "b")
    assert (a / SCRIPT_NAME).read_bytes() == (b / SCRIPT_NAME).read_bytes() == script_bytes()
    assert not re.search(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-", SCRIPT)  # no GUID pasted in
    assert not re.search(r"\w@\w", SCRIPT)  # no address
    for word in ("ENTERPRISE", "SPE_E", "contoso", "fabrikam"):
        assert word not in SCRIPT


# --- the rules a reviewer checked ---------------------------------------------------------------


def test_script_previews_unless_told_to_execute_and_connects_only_then():
    code = _code()
    assert "$Preview = (-not $Execute) -or $WhatIfPreference" in code
    connect = code.index("Connect-MgGraph")
    guard = code.rindex("if (-not $Preview)", 0, connect)
    assert code.count("{", guard, connect) - code.count("}", guard, connect) == 1


def test_script_asks_for_the_least_scopes():
    code = _code()
    assert "$scopes = @('LicenseAssignment.ReadWrite.All')" in code
    assert "$scopes += 'User.ReadWrite.All'" in code  # only when a usage location is set
    assert "Directory.ReadWrite.All" not in code
    assert "Connect-MgGraph @connect" in code


def test_one_license_call_per_user_with_add_and_remove_together():
    code = _code()
    calls = re.findall(r"Set-MgUserLicense[^\n]*", code)
    assert len(calls) == 1
    assert "-AddLicenses $addList -RemoveLicenses $removeList" in calls[0]
    assert len(re.findall(r"Set-MgGroupLicense", code)) == 1
    # removing without adding is refused unless the row is an opt-in reclaim, a rollback row,
    # or the user/group keeps a target it holds or gets from the group it names
    assert ("elseif ($remove -and -not $add -and $kind -ne 'reclaim' -and -not "
            "$actionId.StartsWith('R') -and\n        -not (Get-Cell $row 'target_before') -and "
            "-not $group)") in code


def test_an_add_only_row_sends_an_empty_remove_list():
    """Issue #13 item 1: a remaining swap of a user who lost E4 has no remove_sku_id, and the
    script then sends ``-RemoveLicenses @()`` (assignLicense: removeLicenses is required, may be
    empty; microsoft-facts.md S11/S12; graph-apply.md)."""
    code = _code()
    assert "$removeList = @()\n        if ($remove) { $removeList = @($remove) }" in code


def test_throttling_waits_for_retry_after_and_outcomes_are_logged_for_resuming():
    code = _code()
    assert "TryGetValues('Retry-After'" in code
    assert "Start-Sleep -Seconds $wait" in code
    assert re.search(r"if \(\$wait -lt 0 -or \$attempt -ge \$MaxAttempts\) \{ throw \}", code)
    assert "Export-Csv -LiteralPath $ResultsPath -Append -NoTypeInformation" in code
    assert "if ($done.ContainsKey($actionId) -and $done[$actionId] -eq $signature) " \
           "{ continue }" in code
    assert "$logged.outcome -eq 'Done'" in code


def test_script_never_turns_data_into_code():
    code = _code().lower()
    for bad in ("invoke-expression", "iex ", "expandstring", "add-type", "start-process",
                "invoke-command", "[scriptblock]::create", "-command", "$executioncontext"):
        assert bad not in code, bad
    assert re.findall(r"& \$\w+", code) == ["& $call"]


def _without_strings(code: str) -> str:
    """Code with string literals emptied ('' and `" escapes honoured)."""
    out, i, quote = [], 0, ""
    while i < len(code):
        ch = code[i]
        if quote == "'":
            if ch == "'" and code[i + 1:i + 2] == "'":
                i += 2
                continue
            if ch == "'":
                quote = ""
                out.append(ch)
        elif quote == '"':
            if ch == "`":
                i += 2
                continue
            if ch == '"':
                quote = ""
                out.append(ch)
        else:
            if ch in "'\"":
                quote = ch
            out.append(ch)
        i += 1
    assert quote == "", "unterminated string"
    return "".join(out)


def test_script_brackets_balance():
    code = _without_strings(_code())
    for open_, close in ("{}", "()", "[]"):
        assert code.count(open_) == code.count(close), open_


# --- issue 15 item 18: real throttling only; the plan checked before it runs -------------------


def _function(name: str) -> str:
    return re.search(rf"function {name}\(.*?\n}}\n", _code(), flags=re.S).group(0)


def test_only_a_429_status_from_the_response_is_throttling():
    """A UPN like x429@... in an error message is no throttling: the status comes from the
    response (its StatusCode, or Graph's error body code TooManyRequests), never from text."""
    status = _function("Get-HttpStatus")
    assert "$exception.PSObject.Properties['Response']" in status and ".StatusCode" in status
    assert "$body.error.code -eq 'TooManyRequests'" in status
    retry = _function("Get-RetryAfter")
    assert "if ((Get-HttpStatus $Failure) -ne 429) { return -1 }" in retry
    for body in (status, retry):
        assert not re.search(r"-(not)?(match|like)\b", body), body
        assert '"$Failure"' not in body and "$Failure.Exception.Message" not in body
    code = _code().replace("-ne 429", "").replace("return 429", "")
    assert "429" not in code.replace('Write-Warning "Throttled (HTTP 429)', "")


def test_the_plan_file_is_checked_against_plan_json_before_anything_runs(tmp_path):
    code = _code()
    check = code.index("$gotHash -ne $wantHash")
    assert "Get-FileHash -LiteralPath $PlanPath -Algorithm SHA256" in code
    assert "$planHeader.file_sha256.$planName" in code
    assert "{ $planId = [string] $planHeader.plan_id }" in code
    for later in ("Import-Csv -LiteralPath $PlanPath", "Connect-MgGraph",
                  "foreach ($row in $work)"):
        assert check < code.index(later), later
    # refused without a plan id or a recorded hash, too
    assert "if (-not $planId -or -not $wantHash -or $gotHash -ne $wantHash) {" in code
    # what the script compares: plan.json records the sha256 of the files it may run
    out = write_artifacts(_plan("t1", "ENTERPRISEPREMIUM", NASTY_UPNS), tmp_path)
    header = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert header["plan_id"]
    for name in ("plan.csv", "rollback.csv"):
        assert header["file_sha256"][name] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    # resuming counts only what this plan did: each logged outcome carries the plan id
    assert "plan_id   = $planId" in code
    assert "(Get-Cell $logged 'plan_id') -eq $planId" in code


# --- issue 15 item 5: nothing the script prints can drive the terminal ------------------------


def test_everything_the_script_prints_goes_through_format_printable():
    code = _code()
    printed = re.findall(r"(?:Write-Host|Write-Warning|throw)\b[^\n]*", code)
    assert len(printed) >= 8
    for line in printed:
        if "$" in line or '"' in line:  # it shows a value
            assert re.match(r"(Write-Host|Write-Warning|throw) \(Format-Printable ", line) \
                or line.startswith('Write-Warning "Throttled (HTTP 429): waiting $wait s'), line
    hostile = "x\x1b]0;owned\x07@x.dk \x1b[2J\u202egnp.exe\x9b31m\r\n\tdone"
    assert _printable(hostile) == "x]0;owned@x.dk [2Jgnp.exe31mdone"
    assert _printable("Ærø 日本 o'brien@x.dk") == "Ærø 日本 o'brien@x.dk"


def test_the_script_and_the_cli_strip_the_same_characters():
    kept_by_the_cli = {"\t", "\n"}  # the CLI prints lines and tables; the script one line each
    for code in [*range(0x200), *range(0x2000, 0x2070)]:
        ch = chr(code)
        assert (_printable(ch) == "") == (bool(UNPRINTABLE.match(ch)) or ch in kept_by_the_cli), \
            hex(code)
