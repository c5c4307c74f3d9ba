"""scripts/Export-TenantLicenses.ps1 writes exactly what the graph-json readers read.

The script cannot run here (no PowerShell, no tenant), so its text is parsed: the property names
of every ``[ordered]@{...}`` it serializes are collected per object kind, a JSON document is
built from *those* names, and the readers must recover every value from it. A renamed or
mis-cased property in the script makes a value disappear and the test fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paths import REPO

from playbook.catalog import Catalog
from playbook.exports import read_subscriptions, read_users

SCRIPT = REPO / "scripts" / "Export-TenantLicenses.ps1"
E4 = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
SWAY = "a23b959c-7ce8-4e57-9140-b90eb88a9e97"
GROUP = "00000000-0000-4000-8000-0000000000aa"


def ordered_blocks(text: str) -> list[list[str]]:
    """The property names of each ``[ordered]@{ ... }`` literal, innermost blocks included."""
    blocks: list[list[str]] = []
    stack: list[list[str]] = []
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        m = re.match(r"^\s*(\w+)\s*=", code)
        if "[ordered]@{" in code:
            # a one-line block such as [ordered]@{ value = ... }
            inline = re.findall(r"\[ordered\]@\{\s*(\w+)\s*=", code)
            if code.count("{") <= code.count("}") and inline:
                blocks.append(inline)
                continue
            if m and stack:  # "prepaidUnits = [ordered]@{": a key of the enclosing block
                stack[-1].append(m.group(1))
            stack.append([])
            continue
        if m and stack:
            stack[-1].append(m.group(1))
        if re.match(r"^\s*\}\)?\s*$", code) and stack:
            blocks.append(stack.pop())
    return blocks


@pytest.fixture(scope="module")
def text() -> str:
    return SCRIPT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kinds(text: str) -> dict[str, list[str]]:
    """Blocks by what they describe, recognised by a key only that kind has."""
    users_part, subs_part = text.split("# --- subscriptions", 1)
    out: dict[str, list[str]] = {}
    for part, prefix in ((users_part, "user"), (subs_part, "sku")):
        for keys in ordered_blocks(part):
            if "assignedByGroup" in keys:
                out["state"] = keys
            elif "userPrincipalName" in keys:
                out["user"] = keys
            elif keys == ["value"]:
                out[f"{prefix}_doc"] = keys
            elif "servicePlanId" in keys:
                out["plan"] = keys
            elif "lockedOut" in keys:
                out["units"] = keys
            elif "skuPartNumber" in keys:
                out["sku"] = keys
            elif "skuId" in keys:
                out["assigned"] = keys
    return out


def test_script_is_read_only_and_selects_what_the_reader_needs(text: str) -> None:
    select = re.search(r'\$properties = "([^"]+)" \+\s*"([^"]+)"', text)
    assert select is not None
    props = set((select.group(1) + select.group(2)).split(","))
    assert props == {"id", "userPrincipalName", "displayName", "department", "usageLocation",
                     "accountEnabled", "assignedLicenses", "licenseAssignmentStates"}
    assert "Get-MgUser -All -Property" in text and "Get-MgSubscribedSku -All" in text
    scopes = re.search(r"\$Scopes = @\(([^)]*)\)", text).group(1)
    assert all(s.strip().strip('"').endswith(".Read.All") for s in scopes.split(","))
    assert not re.search(r"\b(Set|New|Remove|Update|Add)-Mg", text)
    assert "-Depth 10" in text
    assert '"users.json"' in text and '"subscriptions.json"' in text


def test_every_object_kind_is_found(kinds: dict[str, list[str]]) -> None:
    assert set(kinds) == {"user", "assigned", "state", "user_doc", "sku", "units", "plan",
                          "sku_doc"}


USER_VALUES = {
    "id": "00000000-0000-4000-8000-0000000000AB", "userPrincipalName": "Ada@X.example",
    "displayName": "Ada X", "department": "Finance", "usageLocation": "dk",
    "accountEnabled": False,
}
ASSIGNED_VALUES = {"skuId": E4, "disabledPlans": [SWAY]}
STATE_VALUES = {"assignedByGroup": GROUP, "disabledPlans": [SWAY], "error": "None",
                "lastUpdatedDateTime": "2024-05-06T10:11:12Z", "skuId": E4, "state": "Active"}


def build(keys: list[str], values: dict) -> dict:
    unknown = [k for k in keys if k not in values]
    assert not unknown, f"the script writes properties the test does not know: {unknown}"
    return {k: values[k] for k in keys}


def test_users_json_from_the_scripts_names_reads_back(tmp_path: Path, kinds) -> None:
    direct_state = dict(STATE_VALUES, assignedByGroup=None)
    states = [build(kinds["state"], direct_state), build(kinds["state"], STATE_VALUES)]
    user = build(kinds["user"], dict(
        USER_VALUES, assignedLicenses=[build(kinds["assigned"], ASSIGNED_VALUES)],
        licenseAssignmentStates=states))
    path = tmp_path / "users.json"
    path.write_text(json.dumps({kinds["user_doc"][0]: [user]}), encoding="utf-8")
    got = read_users(path, Catalog.builtin())
    assert got.warnings == ()
    row = got.table.iloc[0]
    assert (row["upn"], row["user_id"], row["display_name"], row["department"],
            row["usage_location"], bool(row["account_enabled"])) == (
        "ada@x.example", "00000000-0000-4000-8000-0000000000ab", "Ada X", "Finance", "DK", False)
    assert (row["sku_part_number"], bool(row["assigned_directly"]), row["group_ids"],
            row["disabled_plans"], row["state"], row["error"]) == (
        "ENTERPRISEWITHSCAL", True, (GROUP,), ("SWAY",), "Active", "")


def test_subscriptions_json_from_the_scripts_names_reads_back(tmp_path: Path, kinds) -> None:
    plan = build(kinds["plan"], {"servicePlanId": SWAY, "servicePlanName": "SWAY",
                                 "provisioningStatus": "Success", "appliesTo": "User"})
    units = build(kinds["units"], {"enabled": 25, "warning": 2, "suspended": 1, "lockedOut": 3})
    sku = build(kinds["sku"], {"skuId": E4, "skuPartNumber": "ENTERPRISEWITHSCAL",
                               "appliesTo": "User", "capabilityStatus": "Enabled",
                               "consumedUnits": 23, "prepaidUnits": units,
                               "servicePlans": [plan], "subscriptionIds": ["sub-1"]})
    path = tmp_path / "subscriptions.json"
    path.write_text(json.dumps({kinds["sku_doc"][0]: [sku]}), encoding="utf-8")
    subs, fmt = read_subscriptions(path)
    assert fmt == "graph-json"
    r = subs.iloc[0]
    assert (r["sku_id"], r["sku_part_number"], r["applies_to"], r["capability_status"]) == (
        E4, "ENTERPRISEWITHSCAL", "User", "Enabled")
    assert (r["enabled"], r["warning"], r["suspended"], r["locked_out"], r["consumed"]) == (
        25, 2, 1, 3, 23)
    assert r["service_plans"] == (("SWAY", SWAY, "Success"),)
    assert r["subscription_ids"] == ("sub-1",)
