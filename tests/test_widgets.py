"""The notebook widgets, driven headless: set child controls, click buttons, read public values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from playbook.errors import InputError
from playbook.widgets import (
    MAX_TABLE_ROWS,
    ArtifactButton,
    PlanFilter,
    StatusBrowser,
    TargetPicker,
    render_html,
    table_html,
)

TARGETS = [("Office 365 E5", "ENTERPRISEPREMIUM"), ("Microsoft 365 E3", "SPE_E3")]


class Recorder:
    """A callback that remembers every call and answers with a text built from it."""

    def __init__(self, answer=None, raises: Exception | None = None) -> None:
        self.calls: list = []
        self.answer = answer
        self.raises = raises

    def __call__(self, value):
        self.calls.append(value)
        if self.raises is not None:
            raise self.raises
        return self.answer if self.answer is not None else f"verdict for {value}"


class Verdict:
    def __init__(self, text: str) -> None:
        self.text = text

    def to_text(self) -> str:
        return self.text


# -- TargetPicker ----------------------------------------------------------------------------
def test_target_picker_seeds_from_parameters_without_calling_back():
    cb = Recorder()
    picker = TargetPicker(TARGETS, target="SPE_E3", purchase_channel="partner",
                          payment_method="invoice", on_change=cb)
    assert picker.value == {"target": "SPE_E3", "purchase_channel": "partner",
                            "payment_method": "invoice"}
    assert cb.calls == []  # building a widget does no work


def test_target_picker_change_reruns_callback_and_updates_verdict():
    cb = Recorder(answer=Verdict("path: upgrade-tab\n<ok> & done"))
    picker = TargetPicker(dict(TARGETS), target="ENTERPRISEPREMIUM", on_change=cb)
    picker._w_target.value = "SPE_E3"
    assert cb.calls == [{"target": "SPE_E3", "purchase_channel": "direct",
                         "payment_method": "credit-card"}]
    assert picker.text == "path: upgrade-tab\n<ok> & done"
    assert "&lt;ok&gt; &amp; done" in picker._w_verdict.value
    picker._w_channel.value = "volume-licensing"
    picker._w_payment.value = "invoice"
    assert cb.calls[-1] == {"target": "SPE_E3", "purchase_channel": "volume-licensing",
                            "payment_method": "invoice"}
    assert len(cb.calls) == 3


def test_target_picker_refresh_and_comparison_table():
    comparison = pd.DataFrame({"feature": ["Audio Conferencing"], "ENTERPRISEPREMIUM": ["yes"]})
    cb = Recorder()
    picker = TargetPicker(TARGETS, target="SPE_E3", comparison=comparison, on_change=cb)
    assert "Audio Conferencing" in picker._w_comparison.value
    picker.refresh()
    assert picker.text == f"verdict for {picker.value}"
    assert picker.result == picker.text


def test_target_picker_shows_input_error_as_one_line():
    err = InputError("tenant.yaml", "target is not a known plan", column="target", value="X")
    picker = TargetPicker(TARGETS, target="SPE_E3", on_change=Recorder(raises=err))
    picker._w_target.value = "ENTERPRISEPREMIUM"
    assert picker.text == "error: " + err.one_line()
    assert picker.result is None


def test_target_picker_rejects_seed_outside_choices():
    with pytest.raises(InputError, match="target"):
        TargetPicker(TARGETS, target="ENTERPRISEWITHSCAL")
    with pytest.raises(InputError, match="purchase_channel"):
        TargetPicker(TARGETS, target="SPE_E3", purchase_channel="reseller")


# -- PlanFilter ------------------------------------------------------------------------------
USERS = ["ada@contoso.example", "bo@contoso.example", "cy@contoso.example"]


def test_plan_filter_exclude_and_put_back():
    cb = Recorder()
    f = PlanFilter(USERS, ["Sales", "Finance", ""], exclude_users=["BO@contoso.example"],
                   on_change=cb)
    assert f.value == {"exclude_users": ["bo@contoso.example"], "only_departments": []}
    assert list(f._w_departments.options) == ["Finance", "Sales"]
    f._w_user.value = "Cy@Contoso.example "
    f._w_exclude.click()
    assert f.value["exclude_users"] == ["bo@contoso.example", "cy@contoso.example"]
    assert cb.calls[-1]["exclude_users"] == ["bo@contoso.example", "cy@contoso.example"]
    assert f._w_user.value == ""
    f._w_excluded.value = ("bo@contoso.example",)
    f._w_include.click()
    assert f.value["exclude_users"] == ["cy@contoso.example"]
    assert cb.calls[-1] == {"exclude_users": ["cy@contoso.example"], "only_departments": []}
    assert f.text == f"verdict for {cb.calls[-1]}"


def test_plan_filter_unknown_user_is_refused_without_callback():
    cb = Recorder()
    f = PlanFilter(USERS, ["Sales"], on_change=cb)
    f._w_user.value = "ghost@contoso.example"
    f._w_exclude.click()
    assert cb.calls == []
    assert f.value["exclude_users"] == []
    assert "ghost@contoso.example is not a user" in f._w_message.value


def test_plan_filter_departments_update_summary_live():
    summary = pd.DataFrame({"kind": ["user-swap"], "rows": [2]})
    cb = Recorder(answer=summary)
    f = PlanFilter(USERS, ["Sales", "Finance"], only_departments=["Sales"], on_change=cb)
    assert f.value["only_departments"] == ["Sales"]
    f._w_departments.value = ("Finance", "Sales")
    assert cb.calls == [{"exclude_users": [], "only_departments": ["Finance", "Sales"]}]
    assert "<table" in f._w_summary.value and "user-swap" in f._w_summary.value
    assert "user-swap" in f.text


def test_plan_filter_rejects_unknown_department_parameter():
    with pytest.raises(InputError, match="only_departments"):
        PlanFilter(USERS, ["Sales"], only_departments=["Marketing"])


def test_plan_filter_offers_bounded_suggestions_but_accepts_any_known_user():
    many = [f"u{i:06d}@contoso.example" for i in range(5000)]
    f = PlanFilter(many, [], on_change=Recorder())
    assert len(f._w_user.options) < len(many)
    f._w_user.value = many[-1]
    f._w_exclude.click()
    assert f.value["exclude_users"] == [many[-1]]


# -- ArtifactButton --------------------------------------------------------------------------
def test_artifact_button_writes_to_the_folder_typed(tmp_path: Path):
    received: list[Path] = []

    def write(folder: Path) -> Path:
        received.append(folder)
        out = folder / "plan"
        out.mkdir(parents=True)
        (out / "plan.json").write_text("{}")
        return out

    button = ArtifactButton(write, out_dir="")
    button._w_write.click()
    assert received == [] and button.value is None
    assert "folder" in button.status
    button._w_out_dir.value = str(tmp_path)
    button._w_write.click()
    assert received == [tmp_path]
    assert button.value == tmp_path / "plan"
    assert (tmp_path / "plan" / "plan.json").is_file()
    assert button.status == f"Written to {tmp_path / 'plan'}"


def test_artifact_button_error_and_blocked(tmp_path: Path):
    def refuse(folder: Path) -> Path:
        raise InputError(folder, "plan refused: 3 seats short", fix="buy 3 licenses")

    button = ArtifactButton(refuse, out_dir=str(tmp_path))
    button._w_write.click()
    assert button.value is None
    assert button.status.startswith("error: ") and "3 seats short" in button.status

    blocked = ArtifactButton(refuse, out_dir=str(tmp_path), blocked="Refused: buy 3 seats")
    assert blocked._w_write.disabled
    assert blocked.status == "Refused: buy 3 seats"


# -- StatusBrowser ---------------------------------------------------------------------------
def test_status_browser_switches_tables_and_tells_callback():
    tables = {
        "moved": pd.DataFrame({"upn": ["a@x.example", "b@x.example"], "fix": ["", ""]}),
        "still-on-e4": pd.DataFrame({"upn": ["c@x.example"], "fix": ["run batch 2 again"]}),
        "missing": pd.DataFrame({"upn": [], "fix": []}),
    }
    seen: list[str] = []
    browser = StatusBrowser(tables, on_change=seen.append)
    assert [o[1] for o in browser._w_status.options] == ["moved", "still-on-e4"]
    assert browser._w_status.options[0][0] == "moved (2)"
    assert browser.value == "moved" and len(browser.table) == 2
    browser._w_status.value = "still-on-e4"
    assert seen == ["still-on-e4"]
    assert list(browser.table["upn"]) == ["c@x.example"]
    assert "run batch 2 again" in browser._w_table.value


def test_status_browser_empty_and_bad_seed():
    empty = StatusBrowser({})
    assert empty.value is None and empty.table.empty
    with pytest.raises(InputError):
        StatusBrowser({"moved": pd.DataFrame({"upn": ["a"]})}, status="gone")


# -- rendering -------------------------------------------------------------------------------
def test_tables_are_capped_and_text_is_escaped():
    big = pd.DataFrame({"n": range(MAX_TABLE_ROWS + 5)})
    out = table_html(big)
    assert out.count("<tr") == MAX_TABLE_ROWS + 1  # header row + shown rows
    assert "5 more rows not shown" in out
    assert render_html(None) == ""
    assert "&lt;script&gt;" in render_html("<script>")


def test_artifact_button_block_and_unblock(tmp_path: Path):
    calls: list[Path] = []
    button = ArtifactButton(lambda folder: calls.append(folder) or folder, out_dir=str(tmp_path))
    button.block("Refused for seats")
    assert button._w_write.disabled and button.status == "Refused for seats"
    button.block("")
    assert not button._w_write.disabled and button.status == ""
    button._w_write.click()
    assert calls == [tmp_path] and button.status == f"Written to {tmp_path}"
    button.block("")  # unblocking again keeps the last "Written to" line
    assert button.status == f"Written to {tmp_path}"
