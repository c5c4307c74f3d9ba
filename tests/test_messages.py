"""The message catalog: every code in English and Danish, every placeholder filled."""

from __future__ import annotations

from datetime import date

import pytest
from test_eligibility import E3, E4, E5, lic, run, subs, users

from playbook import cancellation
from playbook.cancellation import SourceSeats, cancellation_checklist
from playbook.eligibility import SEVERITY
from playbook.messages import (
    LANGUAGES,
    MESSAGES,
    PAGE_PREFIXES,
    MessageError,
    message,
    placeholders,
    plural,
    render_value,
)


def scenarios(lang: str):
    """Tenants that together trigger every finding code and every message variant."""
    messy = lic(
        {"upn": "a@x", "usage_location": "", "disabled_plans": ("SWAY",)},
        {"upn": "b@x", "assigned_directly": False, "group_ids": ("g1",)},
        {"upn": "c@x", "account_enabled": False},
        {"upn": "d@x", "state": "Error", "error": "CountViolation"},
        {"upn": "e@x", "product_name": "reseller-account:ENTERPRISEWITHSCAL"},
    )
    not_ready = subs(
        {"sku_part_number": E4, "enabled": 2, "consumed": 4, "capability_status": "Warning",
         "subscription_ids": ("s1", "s2")},
        {"sku_part_number": E5, "enabled": 1,
         "service_plans": (("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929", "Error"),)},
        {"sku_part_number": "SPB", "enabled": 1, "capability_status": "Suspended"},
    )
    spare = lic(*users(2), {"upn": "gone@x", "account_enabled": False, "usage_location": ""})
    return [
        run(messy, not_ready, language=lang, purchase_channel="volume-licensing", target="SPB",
            pending_change=True, prepaid=True, government_or_nonprofit=True,
            unpaid_balance=True, addons=("MCOEV", "SHAREPOINTSTORAGE"),
            payment_method="invoice", start_date=date(2026, 3, 6), trial=True,
            exclude_users=("c@x",), max_users=1),
        run(messy, None, language=lang, purchase_channel="partner", target=E5,
            addons=("MCOEV",), payment_method="invoice", default_usage_location="DK"),
        run(spare, subs({"sku_part_number": E4, "enabled": 6, "consumed": 3},
                        {"sku_part_number": E5, "enabled": 1}),
            language=lang, target=E5, payment_method="invoice"),
        run(spare, None, language=lang, target=E3, carries_disabled_plans=False),
        run(lic({"upn": "a@x", "sku_part_number": E5}), None, language=lang),
        # the Upgrade tab route (no target bought yet: nothing advises manual)
        run(spare, subs({"sku_part_number": E4, "enabled": 6, "consumed": 3}),
            language=lang, target=E5, payment_method="invoice"),
    ]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_scenarios_cover_every_code(lang):
    seen = {f.code for a in scenarios(lang) for f in a.findings}
    assert seen == set(SEVERITY)


def test_every_code_has_message_and_remedy_in_both_languages():
    for code in SEVERITY:
        for key in (code, f"{code}.remedy"):
            assert key in MESSAGES, key
            for lang in LANGUAGES:
                assert MESSAGES[key].get(lang, "").strip(), (key, lang)


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert placeholders(entry["en"]) == placeholders(entry["da"]), key
        assert entry["en"] != entry["da"] or key.startswith("ui."), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_placeholder_is_filled_by_real_evidence(lang):
    findings = [f for a in scenarios(lang) for f in a.findings]
    for f in findings:
        for text in (f.message, f.remedy):
            assert text and "{" not in text and "}" not in text, (f.code, text)
            assert "None" not in text, (f.code, text)
    # Every finding template and variant can be filled by evidence some scenario produced.
    for key in MESSAGES:
        # gate reasons and checklist items: tests/test_gate.py fills them; the plan's texts:
        # tests/test_plan_addons.py; "Buy N": tests/test_counting.py; the pages' words:
        # tests/test_display.py and tests/test_danish_pages.py render them
        if key.startswith(("ui.", "gate.", "checklist.", "plan.", "buy.", "nav.", "widget.",
                           *PAGE_PREFIXES)):
            continue
        code = key.split(".")[0]
        assert any(f.code == code and placeholders(MESSAGES[key][lang]) <= set(f.evidence)
                   for f in findings), key


def test_danish_tenant_gets_danish_text():
    a = run(prepaid=True, language="da")
    f = a.finding("PREPAID_PLAN")
    assert f.message == MESSAGES["PREPAID_PLAN"]["da"]
    assert "forudbetalt" in f.message


def test_message_fills_values_and_renders_lists_and_dicts():
    text = message("GROUP_BASED_LICENSES", "en", users=12, groups=2, also_direct=0,
                   extra="ignored")
    assert text.startswith("12 users inherit E4 from 2 groups")
    assert render_value(["a", "b"], "en") == "a, b"
    assert render_value({"SWAY": 2}, "da") == "SWAY (2)"
    assert render_value(None, "da") == "ukendt"
    assert render_value([], "en") == "none"
    assert render_value(True, "da") == "ja"


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("en", "1 user inherits E4 from 1 group (1 also holds", "3 users inherit E4 from 2 groups "
     "(2 also hold"),
    ("da", "1 bruger arver E4 fra 1 gruppe", "3 brugere arver E4 fra 2 grupper"),
])
def test_plurals_follow_the_count(lang, one, many):
    """"1 users" and "1 group(s)" read wrong: a plural field picks the word by the count."""
    assert message("GROUP_BASED_LICENSES", lang, users=1, groups=1, also_direct=1).startswith(one)
    assert message("GROUP_BASED_LICENSES", lang, users=3, groups=2,
                   also_direct=2).startswith(many)
    assert plural(1, "user", "users") == "user"
    assert plural(0, "user", "users") == plural(None, "user", "users") == "users"


def test_no_message_says_one_of_a_plural():
    """No template hard-codes "(s)"/"(r)"/"(er)" plurals: they go through plural fields."""
    for key, entry in MESSAGES.items():
        for lang, template in entry.items():
            assert "(s)" not in template and "(r)" not in template \
                and "(er)" not in template, (key, lang)


def test_missing_placeholder_key_or_language_raises():
    with pytest.raises(MessageError, match="users"):
        message("GROUP_BASED_LICENSES", "en", groups=1, also_direct=0)
    with pytest.raises(MessageError):
        message("NO_SUCH_CODE", "en")
    with pytest.raises(MessageError):
        message("PREPAID_PLAN", "de")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_checklist_text_renders_in_both_languages(lang, monkeypatch):
    """The cancellation checklist speaks the tenant's language: every ``checklist.*`` variant is
    reached and filled (no ``{field}`` left, no "None")."""
    used: set[str] = set()

    def recording(key, language, **values):
        used.add(key)
        return message(key, language, **values)

    monkeypatch.setattr(cancellation, "message", recording)
    pooled = SourceSeats(enabled=40, consumed=3, subscription_ids=("a", "b"))
    lists = [
        cancellation_checklist(seats=pooled, purchase_channel="partner", language=lang),
        cancellation_checklist(agreement="mosa", seats=SourceSeats(enabled=40, consumed=3),
                               custom_domains=("x.dk",), language=lang,
                               purchase_channel="volume-licensing"),
        cancellation_checklist(agreement="mca", seats=SourceSeats(enabled=5, consumed=5),
                               language=lang),
        cancellation_checklist(language=lang),
    ]
    texts = [i.text for items in lists for i in items]
    for t in texts:
        assert t and "{" not in t and "None" not in t, t
    assert used == {k for k in MESSAGES if k.startswith("checklist.")}
    if lang == "da":
        assert any("Ældre aftale (MOSA):" in t for t in texts)
        assert any("2 abonnementer" in t for t in texts)
