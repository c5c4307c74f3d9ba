"""The notebook widgets, driven headless: set child controls, click buttons, read public values."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from test_display import SAMPLE, fake_verification, make_tenant

from playbook.eligibility import assess
from playbook.errors import InputError
from playbook.plan import build_plan
from playbook.plan.store import load_plan
from playbook.tenant import load_tenant
from playbook.tenant_file import save_choices, set_keys
from playbook.widgets import (
    MAX_TABLE_ROWS,
    ArtifactButton,
    PlanFilter,
    StatusBrowser,
    TargetPicker,
    TenantChooser,
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
    err = InputError("tenant.yaml", "error.tenant.unknown-target", column="target", value="X",
                     targets="E5")
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
    assert f.value == {"exclude_users": ["bo@contoso.example"], "only_departments": [],
                       "max_users": None}
    assert list(f._w_departments.options) == ["Finance", "Sales"]
    f._w_user.value = "Cy@Contoso.example "
    f._w_exclude.click()
    assert f.value["exclude_users"] == ["bo@contoso.example", "cy@contoso.example"]
    assert cb.calls[-1]["exclude_users"] == ["bo@contoso.example", "cy@contoso.example"]
    assert f._w_user.value == ""
    f._w_excluded.value = ("bo@contoso.example",)
    f._w_include.click()
    assert f.value["exclude_users"] == ["cy@contoso.example"]
    assert cb.calls[-1] == {"exclude_users": ["cy@contoso.example"], "only_departments": [],
                            "max_users": None}
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
    assert cb.calls == [{"exclude_users": [], "only_departments": ["Finance", "Sales"],
                         "max_users": None}]
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
        raise InputError(folder, "error.artifacts.plan-refused", shortfall=3, target="E5",
                         seats="3 seats short")

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


# -- TenantChooser (the web app's first screen) ---------------------------------------------
def test_chooser_shows_the_verdict_of_the_chosen_tenant():
    calls = []

    def on_change(folder):
        calls.append(folder)
        if folder == "bad":
            raise InputError(f"{folder}/tenant.yaml", "error.tenant.missing-name")
        return Verdict(f"verdict for {folder}")

    chooser = TenantChooser([("a", "t/a"), ("b", "t/b")], on_change=on_change,
                                links=lambda f: f"<a href='x?{f}'>1</a>")
    chooser.refresh()
    assert (chooser.value, chooser.text, calls) == ("t/a", "verdict for t/a", ["t/a"])
    assert "t/a" in chooser._w_links.value

    chooser._w_tenant.value = "t/b"
    assert (chooser.text, calls[-1]) == ("verdict for t/b", "t/b")

    chooser._w_folder.value = "bad"
    chooser._w_open.click()
    assert chooser.value == "t/b"  # a folder that cannot be read is not added to the list
    assert "bad" not in [p for _, p in chooser._w_tenant.options]
    assert chooser.text == ("error: bad/tenant.yaml: missing key 'name' "
                            "(fix: add name: <tenant name>)")
    assert chooser._w_links.value == ""  # no links to steps that would fail the same way
    assert "Traceback" not in chooser._w_verdict.value
    assert "color: #b71c1c" in chooser._w_verdict.value  # the error stands out in red

    chooser._w_folder.value = "else/c"
    chooser._w_open.click()  # read once: Open's reading is shown, not read again
    assert (chooser.value, chooser.text, calls[-2:]) == ("else/c", "verdict for else/c",
                                                         ["bad", "else/c"])
    assert ("c", "else/c") in chooser._w_tenant.options  # listed by its folder's name


def test_chooser_seeded_with_a_folder_not_in_the_list():
    chooser = TenantChooser([("a", "t/a")], tenant_dir="elsewhere/x",
                                on_change=lambda f: Verdict(f))
    assert chooser.value == "elsewhere/x"
    assert ("x", "elsewhere/x") in chooser._w_tenant.options


# -- seeded from the notebook's tenant, plan or verification ---------------------------------
def test_target_picker_from_tenant_reruns_the_assessment():
    tenant = make_tenant()
    assessment = assess(tenant)
    picker = TargetPicker.from_tenant(tenant)
    assert picker.value == {"target": "ENTERPRISEPREMIUM", "purchase_channel": "direct",
                            "payment_method": "credit-card"}
    assert picker.result.assessment.to_dict() == assessment.to_dict()  # opens on the verdict
    assert [p for _, p in picker._w_target.options][:2] == ["ENTERPRISEPREMIUM", "SPE_E5"]
    assert picker._w_comparison.value == ""  # the page shows it above (show.comparison_html)
    assert [o[1] for o in picker._w_channel.options] == ["direct", "partner", "volume-licensing"]
    assert "volume-licensing" not in [o[0] for o in picker._w_channel.options]  # human labels
    assert "<table" in picker._w_verdict.value  # findings as a table, with the fix beside each
    picker._w_target.value = "SPE_E3"
    assert picker.result.assessment.target == "SPE_E3"
    assert picker.text.splitlines()[0].endswith("(SPE_E3)")
    assert all(f"[{f.code}]" in picker.text for f in picker.result.assessment.findings)
    picker._w_channel.value = "partner"
    assert picker.result.assessment.path == "contact-partner"
    assert "[PURCHASED_VIA_PARTNER]" in picker.text


def test_plan_filter_from_tenant_rebuilds_the_plan_with_its_lists():
    sample = load_tenant(SAMPLE)
    excluded = sample.licenses.loc[sample.licenses["department"] == "Finance", "upn"].iloc[0]
    tenant = replace(sample, config=sample.config.with_overrides(exclude_users=[excluded]))
    flt = PlanFilter.from_tenant(tenant)
    assert flt.value == {"exclude_users": [excluded], "only_departments": [], "max_users": None}
    flt._w_departments.value = ("Finance",)
    moved = flt.result.table.loc[flt.result.table["batch"] > 0]
    assert set(moved["department"]) == {"Finance"} and len(moved) == 4
    flt._w_departments.value = ()
    flt._w_excluded.value = (excluded,)
    flt._w_include.click()  # an empty list replaces tenant.yaml's: nobody is left out
    assert flt.value["exclude_users"] == []
    assert (flt.result.table["batch"] > 0).sum() == 25


def test_artifact_button_from_plan_follows_the_filter(tmp_path: Path):
    refused = SimpleNamespace(refused=True)
    fits = build_plan(load_tenant(SAMPLE))
    flt = PlanFilter(["a@x.example"], ["Sales"], on_change=lambda choice: fits)
    button = ArtifactButton.from_plan(refused, flt, out_dir=str(tmp_path))
    assert button._w_write.disabled and "Refused" in button.status
    flt._w_departments.value = ("Sales",)  # the narrowed plan fits the free seats
    assert not button._w_write.disabled and button.status == ""
    button._w_write.click()
    assert button.value == tmp_path / "plan"
    assert load_plan(tmp_path / "plan").plan_id == fits.plan_id
    assert button.status == f"Written to {tmp_path / 'plan'}"


def test_artifact_button_from_plan_shows_where_a_run_wrote(tmp_path: Path):
    button = ArtifactButton.from_plan(SimpleNamespace(refused=False), written=tmp_path / "plan")
    assert button.value == tmp_path / "plan" and not button._w_write.disabled
    assert button.status == f"Written to {tmp_path / 'plan'}"


def test_artifact_button_from_plan_writes_nothing_for_a_refused_plan(tmp_path: Path):
    refused = build_plan(load_tenant(SAMPLE.parent / "fabrikam-invoice"))
    assert refused.refused
    button = ArtifactButton.from_plan(refused, out_dir=str(tmp_path / "out"))
    assert button._w_write.disabled
    button._w_write.click()  # even if a click got through, the writer refuses
    assert button.value is None and button.status.startswith("error: ")
    assert "plan refused" in button.status
    assert not (tmp_path / "out" / "plan").exists()


def test_status_browser_from_verification_opens_on_work_to_do():
    browser = StatusBrowser.from_verification(fake_verification())
    assert browser.value == "pending"  # first status that still needs work
    assert [k for _, k in browser._w_status.options] == [
        "moved", "pending", "failed", "drifted", "unexpected"]
    browser._w_status.value = "failed"
    assert list(browser.table["fix"]) == ["buy licenses"]


# -- issue 17: a pilot-size control, saving choices, groups held back -------------------------
def test_plan_filter_pilot_size_limits_the_plan_and_zero_is_everyone():
    sample = load_tenant(SAMPLE)
    flt = PlanFilter.from_tenant(sample)
    everyone = int((flt.refresh().table["batch"] > 0).sum())
    flt._w_max_users.value = 3
    assert flt.value["max_users"] == 3
    assert flt.result.summary["users_moved"] == 3 and everyone > 3
    flt._w_max_users.value = 0
    assert flt.value["max_users"] is None
    assert int((flt.result.table["batch"] > 0).sum()) == everyone


FABRIKAM = SAMPLE.parent / "fabrikam-invoice"


def test_excluding_a_group_member_says_the_whole_group_is_held_back():
    tenant = load_tenant(FABRIKAM)
    flt = PlanFilter.from_tenant(replace(tenant, config=replace(tenant.config,
                                                                exclude_users=())))
    assert flt.held_text == ""
    flt._w_user.value = "karl.bech@fabrikam.example"
    flt._w_exclude.click()
    assert flt.held_text == (
        "Excluding karl.bech@fabrikam.example holds back the whole group "
        "Licensing - Office 365 E4 (Sales) [fa0000a1-0000-4000-8000-000000000001] "
        "(15 members): a group's license is switched for "
        "all its members at once, so they all keep E4 until karl.bech@fabrikam.example can "
        "move too.")
    assert "15 members" in flt._w_held.value
    flt._w_excluded.value = ("karl.bech@fabrikam.example",)
    flt._w_include.click()
    assert flt.held_text == "" and flt._w_held.value == ""


TENANT_YAML = """\
# Fabrikam: written by hand, comments must survive
name: Fabrikam
target: SPE_E5   # the board chose E5
purchase_channel: direct
custom_key_kept: {note: kept}
exclude_users:
  - old@x.example
max_users: 10
language: en
"""


def _tenant_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    for f in FABRIKAM.iterdir():
        if f.is_file():
            (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_save_choices_keeps_comments_and_other_keys(tmp_path: Path):
    text = set_keys(TENANT_YAML, {"target": "ENTERPRISEPREMIUM", "exclude_users": ["a@x"],
                                  "max_users": None, "only_departments": ["Sales"]})
    assert text.splitlines() == [
        "# Fabrikam: written by hand, comments must survive", "name: Fabrikam",
        "target: ENTERPRISEPREMIUM   # the board chose E5", "purchase_channel: direct",
        "custom_key_kept: {note: kept}", "exclude_users: [a@x]", "language: en",
        "only_departments: [Sales]"]
    folder = _tenant_copy(tmp_path)
    before = (folder / "tenant.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="payment_method"):
        save_choices(folder, {"payment_method": "cash"})
    assert (folder / "tenant.yaml").read_text(encoding="utf-8") == before  # nothing written


def test_target_picker_and_plan_filter_save_to_tenant_yaml(tmp_path: Path):
    folder = _tenant_copy(tmp_path)
    tenant = load_tenant(folder)
    picker = TargetPicker.from_tenant(tenant)
    picker._w_target.value = "ENTERPRISEPREMIUM"
    picker._w_payment.value = "credit-card"
    picker.saver._w_button.click()
    assert picker.saver.value == folder / "tenant.yaml"
    assert "Saved target, purchase_channel, payment_method" in picker.saver.status
    flt = PlanFilter.from_tenant(tenant)
    flt._w_user.value = "karl.bech@fabrikam.example"
    flt._w_exclude.click()
    flt._w_max_users.value = 5
    flt.saver._w_button.click()
    again = load_tenant(folder).config
    assert again.target == "ENTERPRISEPREMIUM" and again.payment_method == "credit-card"
    assert "karl.bech@fabrikam.example" in again.exclude_users and again.max_users == 5
    kept = (folder / "tenant.yaml").read_text(encoding="utf-8")
    original = (FABRIKAM / "tenant.yaml").read_text(encoding="utf-8")
    assert [c for c in original.splitlines() if c.lstrip().startswith("#")] == [
        c for c in kept.splitlines() if c.lstrip().startswith("#")]


def test_widgets_speak_the_tenants_language():
    """A Danish tenant's controls are labelled in Danish: picker, toggles, browser, filter."""
    tenant = make_tenant(language="da")
    picker = TargetPicker.from_tenant(tenant)
    assert picker._w_target.description == "Flyt til"
    assert [o[0] for o in picker._w_payment.options] == ["kreditkort", "faktura"]
    assert "Blokerende" in picker._w_verdict.value or "Advarsel" in picker._w_verdict.value
    sample = load_tenant(SAMPLE)
    flt = PlanFilter.from_tenant(replace(sample, config=sample.config.with_overrides(
        language="da")))
    flt.refresh()
    assert (flt._w_exclude.description, flt._w_departments.description) == (
        "Udelad", "Afdelinger")
    assert "Brugere med E4" in flt._w_summary.value and "Users holding" not in flt.text
    browser = StatusBrowser.from_verification(fake_verification(), "da")
    assert browser._w_status.options[0][0] == "flyttet (2)"
    browser._w_status.value = "pending"
    assert "Gøremål" in browser._w_table.value and "run batch 2" not in browser._w_table.value
