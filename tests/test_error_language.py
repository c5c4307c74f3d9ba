"""Bad input is worded in the tenant's language: the frame of the line and :class:`Said`."""

from __future__ import annotations

import pytest

from playbook.errors import InputError, NotAnAfterExport, speaking
from playbook.messages import MESSAGES, Said, message


def test_frame_is_worded_in_the_language_set_by_speaking() -> None:
    err = InputError("users.csv", "error.test.example", row=3, column="Licenses", value="x")
    assert err.lang is None
    with pytest.raises(InputError) as info, speaking("da"):
        raise err
    assert info.value.lang == "da"
    assert info.value.one_line("en") == ("users.csv:3: column 'Licenses': value 'x': "
                                         "example problem (fix: example fix)")
    assert str(info.value) == ("users.csv:3: kolonne 'Licenses': værdi 'x': "
                               "eksempel på et problem (løsning: eksempel på en løsning)")
    assert info.value.headline().startswith("fejl: users.csv:3:")


def test_inner_language_wins_and_exit_code_travels() -> None:
    with pytest.raises(NotAnAfterExport) as info, speaking("en"), speaking("da"):
        raise NotAnAfterExport("after.csv", "error.test.example")
    assert info.value.lang == "da" and info.value.exit_code == 4


def test_said_is_worded_in_the_outer_language() -> None:
    assert message("error.test.nested", "da", inner=Said("error.test.example")) == (
        "indeni: eksempel på et problem")
    assert message("error.test.nested", "en", inner=Said("error.test.example")) == (
        "inside: example problem")


@pytest.fixture(autouse=True)
def _example_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MESSAGES, "error.test.example",
                        {"en": "example problem", "da": "eksempel på et problem"})
    monkeypatch.setitem(MESSAGES, "error.test.example.fix",
                        {"en": "example fix", "da": "eksempel på en løsning"})
    monkeypatch.setitem(MESSAGES, "error.test.nested",
                        {"en": "inside: {inner}", "da": "indeni: {inner}"})
