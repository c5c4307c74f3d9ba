"""The notebooks' glue (playbook.notebook) and charts, on hand-built tenants: no files needed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from playbook import charts
from playbook import notebook as nb
from playbook.catalog import SOURCE_PART, Catalog
from playbook.errors import InputError
from playbook.table import normalize_license_table, normalize_subscription_table
from playbook.tenant import Tenant, TenantConfig

E4_ID = "1392051d-0cb9-4b7a-88d5-621fee5e8711"
E5_ID = "c7df2760-2c81-4ef7-b578-5b5392b571df"


def make_tenant(*, subscriptions: bool = True, target: str = "ENTERPRISEPREMIUM",
                users: int = 3, **config) -> Tenant:
    rows = [
        {"upn": f"u{i}@contoso.example", "display_name": f"User {i}",
         "department": "Sales" if i % 2 else "Finance",
         "usage_location": "" if i == 0 else "DK", "sku_part_number": SOURCE_PART,
         "sku_id": E4_ID, "state": "Active"}
        for i in range(users)
    ]
    subs = None
    if subscriptions:
        subs = normalize_subscription_table(pd.DataFrame([
            {"sku_id": E4_ID, "sku_part_number": SOURCE_PART, "enabled": users, "consumed": users},
            {"sku_id": E5_ID, "sku_part_number": "ENTERPRISEPREMIUM", "enabled": 2,
             "consumed": 1},
        ]))
    return Tenant(
        path=Path("contoso"), config=TenantConfig(name="contoso", target=target, **config),
        licenses=normalize_license_table(pd.DataFrame(rows)), subscriptions=subs,
        catalog=Catalog.builtin(), users_file=Path("contoso/users.csv"),
        users_format="admin-center",
    )


# -- parameters ------------------------------------------------------------------------------
def test_overrides_drop_the_use_tenant_yaml_values():
    got = nb.overrides(target="", max_users=0, exclude_users=[], language=None,
                       reclaim_blocked=False, batch_size=10, only_departments=["Sales"],
                       default_usage_location="DK")
    assert got == {"batch_size": 10, "only_departments": ("Sales",),
                   "default_usage_location": "DK"}
    assert nb.overrides(reclaim_blocked=True) == {"reclaim_blocked": True}


def test_parse_date():
    assert nb.parse_date("") is None
    assert nb.parse_date(" 2026-12-01 ") == date(2026, 12, 1)
    with pytest.raises(InputError) as exc:
        nb.parse_date("01/12/2026")
    assert "start_date" in str(exc.value) and "YYYY-MM-DD" in str(exc.value)


def test_load_refuses_an_empty_tenant_dir():
    with pytest.raises(InputError, match="tenant_dir"):
        nb.load("  ")


def test_with_choices_revalidates_and_keeps_tables():
    tenant = make_tenant()
    other = nb.with_choices(tenant, target="SPE_E3", purchase_channel="partner",
                            payment_method="")
    assert other.config.target == "SPE_E3" and other.config.purchase_channel == "partner"
    assert other.config.payment_method == tenant.config.payment_method
    assert other.licenses is tenant.licenses
    with pytest.raises(InputError, match="purchase_channel"):
        nb.with_choices(tenant, purchase_channel="reseller")


def test_shown_path_never_prints_machine_paths(tmp_path: Path):
    assert nb.shown_path("../data/x") == "../data/x"
    assert nb.shown_path(tmp_path / "runs" / "plan", start=tmp_path) == "runs/plan"
    assert not nb.shown_path(tmp_path / "plan", start=tmp_path / "notebooks").startswith("/")


def test_record_writes_only_in_a_run(tmp_path: Path):
    result = SimpleNamespace(to_dict=lambda: {"tenant": "contoso", "path": "manual"})
    assert nb.record("", "assessment", result) is None
    written = nb.record(str(tmp_path), "assessment", result)
    assert written == tmp_path / "steps" / "assessment.json"
    assert json.loads(written.read_text()) == {"tenant": "contoso", "path": "manual"}
    with pytest.raises(ValueError):
        nb.record(str(tmp_path), "eligibility", result)


def test_bad_input_renders_as_one_line_in_ipython():
    err = InputError("users.csv", "bad value", row=3, column="Licenses", value="x", fix="fix it")
    assert err._render_traceback_() == [f"InputError: {err.one_line()}"]
    nb.init()
    assert pd.get_option("display.max_columns") >= 20


# -- step 1 ----------------------------------------------------------------------------------
def test_findings_table_and_target_picker_rerun_the_assessment():
    tenant = make_tenant()
    assessment = nb.assess(tenant)
    table = nb.findings_table(assessment)
    assert list(table.columns) == ["severity", "code", "message", "remedy", "source"]
    assert list(table["code"]) == [f.code for f in assessment.findings]

    picker = nb.target_picker(tenant)
    assert picker.value["target"] == "ENTERPRISEPREMIUM"
    assert picker.result.assessment.to_dict() == assessment.to_dict()  # opens on the verdict
    assert [p for _, p in picker._w_target.options][:2] == ["ENTERPRISEPREMIUM", "SPE_E5"]
    assert "<table" in picker._w_comparison.value
    picker._w_target.value = "SPE_E3"
    assert picker.result.assessment.target == "SPE_E3"
    assert picker.text.splitlines()[0].endswith("(SPE_E3)")
    assert all(f"[{f.code}]" in picker.text for f in picker.result.assessment.findings)
    picker._w_channel.value = "partner"
    assert picker.result.assessment.path == "contact-partner"
    assert "[PURCHASED_VIA_PARTNER]" in picker.text


def test_comparison_view_reads_yes_no():
    view = nb.comparison_view(make_tenant())
    assert set(view["keeps_all_e4_features"]) <= {"yes", "no"}
    assert len(view) == 6


# -- step 2 ----------------------------------------------------------------------------------
def test_count_text_names_unknown_figures_instead_of_zero():
    tenant = make_tenant(subscriptions=False)
    counts = nb.count(tenant)
    text = nb.count_text(tenant, counts)
    assert "unknown" in text
    assert "Unknown: source_purchased" in text
    assert f"Users who need a target license: {counts.need_target}" in text
    seats = nb.seat_table(tenant, counts)
    assert seats.loc[1, "purchased"] is None and seats.loc[1, "needed"] is None
    assert charts.unknown_figures(seats) == [
        "purchased (Office 365 E4)", "purchased (Office 365 E5)",
        "assigned (Office 365 E5)", "needed (Office 365 E5)"]
    fig = charts.seats_chart(seats)
    assert "purchased (Office 365 E4)" in fig.texts[0].get_text()


def test_count_text_and_seats_with_subscriptions():
    tenant = make_tenant(users=5)
    counts = nb.count(tenant)
    text = nb.count_text(tenant, counts, start_date=date(2026, 12, 1))
    assert "before 2026-12-01" in text and "Unknown" not in text
    seats = nb.seat_table(tenant, counts)
    assert list(seats["purchased"]) == [5, 2]
    assert list(seats["assigned"]) == [5, 1]
    assert seats.loc[1, "needed"] == 1 + counts.need_target == 6
    fig = charts.seats_chart(seats)
    heights = sorted(int(p.get_height()) for p in fig.axes[0].patches)
    assert heights == sorted([5, 2, 5, 1, 0, 6])
    assert charts.png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


# -- step 3 ----------------------------------------------------------------------------------
def test_mapping_table_pairs_plans_and_flags_decisions():
    table = pd.DataFrame({
        "action_id": ["U00001", "U00002", "U00003"],
        "disabled_plans_before": [("FORMS_PLAN_E3", "MCOVOICECONF"), ("FORMS_PLAN_E3",), ()],
    })
    plan = SimpleNamespace(table=table, source={"sku_part_number": SOURCE_PART},
                           target={"sku_part_number": "ENTERPRISEPREMIUM"})
    out = nb.mapping_table(plan, Catalog.builtin())
    assert out.to_dict("records") == [
        {"e4_plan": "MCOVOICECONF", "target_plan": "", "users": 1,
         "decision": "no twin in the target: decide to drop it or buy an add-on"},
        {"e4_plan": "FORMS_PLAN_E3", "target_plan": "FORMS_PLAN_E5", "users": 2,
         "decision": ""},
    ]
    plan.table = table.iloc[2:]
    empty = nb.mapping_table(plan, Catalog.builtin())
    assert empty.empty and nb.text_table(empty) == "(none)"
    text = nb.text_table(out).splitlines()
    assert text[0].startswith("e4_plan  ") and text[2].startswith("FORMS_PLAN_E3  FORMS_PLAN_E5")
    assert text[1].split() == ["MCOVOICECONF", "1", "no", "twin", "in", "the", "target:", "decide",
                               "to", "drop", "it", "or", "buy", "an", "add-on"]


def test_artifact_button_follows_the_filter(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    refused = SimpleNamespace(refused=True, name="refused")
    fits = SimpleNamespace(refused=False, name="fits")
    written: list = []
    monkeypatch.setattr(nb, "write_plan",
                        lambda plan, folder: written.append((plan.name, folder)) or folder)
    from playbook.widgets import PlanFilter

    flt = PlanFilter(["a@x.example"], ["Sales"], on_change=lambda choice: fits)
    button = nb.artifact_button(refused, flt, out_dir=str(tmp_path))
    assert button._w_write.disabled and "Refused" in button.status
    flt._w_departments.value = ("Sales",)  # the narrowed plan fits the free seats
    assert not button._w_write.disabled and button.status == ""
    button._w_write.click()
    assert written == [("fits", tmp_path)]
    assert button.value == tmp_path


def test_write_plan_if_asked_needs_a_folder_and_an_accepted_plan(tmp_path: Path):
    accepted = SimpleNamespace(refused=False)
    assert nb.write_plan_if_asked(accepted) is None
    assert nb.write_plan_if_asked(SimpleNamespace(refused=True), run_dir=str(tmp_path)) is None
    assert nb.artifact_folder("", str(tmp_path)) == tmp_path
    assert nb.artifact_folder("out", str(tmp_path)) == Path("out")
    with pytest.raises(InputError, match="refused"):
        nb.write_plan(SimpleNamespace(refused=True), tmp_path)
    assert not any(tmp_path.iterdir())


# -- step 4 ----------------------------------------------------------------------------------
def fake_verification() -> SimpleNamespace:
    status = pd.DataFrame({
        "upn": ["a@x", "b@x", "c@x", "d@x", "e@x", "f@x"],
        "action_id": ["U00001", "U00002", "U00003", "U00004", "U00005", ""],
        "batch": [1, 1, 2, 2, 2, 0],
        "kind": ["user-swap"] * 5 + [""],
        "status": ["moved", "drifted", "pending", "failed", "moved", "unexpected"],
        "detail": ["", "plans differ", "still E4", "CountViolation", "", "holds E4"],
        "fix": ["", "re-apply plans", "run batch 2", "buy licenses", "", "add to plan"],
        "error": ["", "", "", "CountViolation", "", ""],
    })
    counts = status["status"].value_counts().to_dict()
    return SimpleNamespace(status=status, status_counts=counts, safe_to_cancel=False,
                           source_part=SOURCE_PART, reasons=(("USERS_FAILED", ("d@x",)),),
                           checklist=())


def test_progress_per_batch_counts_moved_and_remaining():
    out = nb.progress_table(fake_verification())
    v = fake_verification()
    v.status.loc[5, "action_id"] = "S00001"  # a planned skip: batch 0, still holds E4
    out = nb.progress_table(v)
    assert out.to_dict("records") == [{"batch": 1, "moved": 2, "remaining": 0},
                                      {"batch": 2, "moved": 1, "remaining": 2},
                                      {"batch": 0, "moved": 0, "remaining": 1}]
    fig = charts.progress_chart(out)
    assert [int(p.get_height()) for p in fig.axes[0].patches] == [2, 1, 0, 0, 2, 1]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1", "2", "held back"]
    unplanned = nb.progress_table(fake_verification())  # not in the plan: not a batch's user
    assert list(unplanned["batch"]) == [1, 2]


def test_progress_counts_group_members_in_their_group_swap_batch():
    v = fake_verification()
    v.status.loc[5, ["action_id", "kind", "status"]] = ["M00001", "group-member", "moved"]
    plan = SimpleNamespace(table=pd.DataFrame({
        "action_id": ["G00001", "M00001"], "kind": ["group-swap", "group-member"],
        "batch": [3, 0], "group_id": ["g-1", "g-1"]}))
    out = nb.progress_table(v, plan)
    assert out.to_dict("records")[-1] == {"batch": 3, "moved": 1, "remaining": 0}
    assert 0 not in set(out["batch"])


def test_status_summary_tables_and_browser():
    v = fake_verification()
    summary = nb.status_summary(v)
    assert list(summary["status"]) == ["moved", "pending", "partial", "failed", "drifted",
                                       "unexpected"]
    assert list(summary["users"]) == [2, 1, 0, 1, 1, 1]
    assert summary.set_index("status").loc["failed", "fix"] == "buy licenses"
    tables = nb.status_tables(v)
    assert list(tables["pending"]["upn"]) == ["c@x"]
    assert "status" not in tables["pending"].columns
    browser = nb.status_browser(v)
    assert browser.value == "pending"  # first status that still needs work
    browser._w_status.value = "failed"
    assert list(browser.table["fix"]) == ["buy licenses"]
    assert nb.checklist_table(v).empty


def test_plan_dir_for(tmp_path: Path):
    assert nb.plan_dir_for("given", str(tmp_path)) == Path("given")
    assert nb.plan_dir_for("", str(tmp_path)) is None
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.json").write_text("{}")
    assert nb.plan_dir_for("", str(tmp_path)) == tmp_path / "plan"
    assert nb.plan_dir_for("", "") is None


# -- on the bundled sample tenant ------------------------------------------------------------
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "tenants" / "contoso-direct"


def test_verify_against_a_rebuilt_or_a_written_plan(tmp_path: Path):
    from playbook.errors import NotAnAfterExport

    tenant = nb.load(SAMPLE)
    plan, source = nb.plan_for_verification(tenant)
    assert source.startswith(f"Plan: rebuilt from {tenant.users_file.name}")
    after = nb.after_export(tenant)
    assert after.parent == SAMPLE / "after"
    rebuilt = nb.verify(tenant, plan, after)
    assert sum(rebuilt.status_counts.values()) == len(rebuilt.status)

    written = nb.write_plan_if_asked(plan, run_dir=str(tmp_path))
    assert written == tmp_path / "plan" and (written / "plan.json").is_file()
    loaded, source = nb.plan_for_verification(tenant, run_dir=str(tmp_path))
    assert source == f"Plan: {written.as_posix()} (written by step 3)"
    again = nb.verify(tenant, loaded, after)
    assert again.to_dict() == rebuilt.to_dict()  # the rebuilt plan is the plan step 3 writes

    with pytest.raises(NotAnAfterExport):
        nb.verify(tenant, plan, tenant.users_file)
    with pytest.raises(InputError, match="after export not found"):
        nb.verify(tenant, plan, tmp_path / "missing.csv")
