"""Numbers and opening times as a caller hears them, and the written form of a number."""

from datetime import date

import pytest
from conftest import MINIMAL

from ivr.core import spoken
from ivr.core.errors import MenuError
from ivr.core.text import Tel
from ivr.menufile.format import load_line


@pytest.mark.parametrize(("e164", "language", "form", "heard"), [
    pytest.param("+4619213606", "sv-SE", None, "019, 21 36 06", id="sv-area-code"),
    pytest.param("+46346885555", "sv-SE", None, "0346, 88 55 55", id="sv-four-digit-code"),
    pytest.param("+4770162446", "nb-NO", None, "70 16 24 46", id="no-no-dash"),
    pytest.param("+46200443000", "sv-SE", None, "020, 044 30 00", id="libphonenumber-0200"),
    pytest.param("+46200443000", "sv-SE", "0200-44 30 00", "0200, 44 30 00",
                 id="written-form-wins"),
])
def test_number_is_said_as_written_with_a_pause_for_the_dash(e164, language, form, heard):
    """A number keeps the grouping callers write, its dash said as a pause, never "minus"."""
    assert spoken.phone_number(e164, language, form) == heard


@pytest.mark.parametrize("form", ["0200-44 30 00", "0200 443000", "020-044 30 00"])
def test_written_form_with_the_same_digits_is_accepted(form):
    """Any grouping of the same national digits is the same number."""
    spoken.check_written("+46200443000", form)


@pytest.mark.parametrize(("e164", "form", "message"), [
    pytest.param("+46200443000", "0200-44 30 01", "should hold the digits 0200443000",
                 id="one-digit-off"),
    pytest.param("+4770162446", "070 16 24 46", "should hold the digits 70162446",
                 id="norwegian-with-trunk-zero"),
    pytest.param("+46200443000", "0200-44 30 00 (gratis)", "only digits, spaces and dashes",
                 id="words-in-it"),
])
def test_written_form_of_another_number_is_refused(e164, form, message):
    """A written form must be the very number dialled: a caller may note it down."""
    with pytest.raises(ValueError, match=message):
        spoken.check_written(e164, form)


@pytest.mark.parametrize(("language", "day", "minute", "heard"), [
    pytest.param("sv-SE", date(2026, 11, 24), 8 * 60, "klockan 8", id="sv-today-whole-hour"),
    pytest.param("sv-SE", date(2026, 11, 24), 13 * 60, "klockan 13", id="sv-after-lunch"),
    pytest.param("sv-SE", date(2026, 11, 25), 7 * 60, "i morgon klockan 7", id="sv-tomorrow"),
    pytest.param("sv-SE", date(2026, 11, 30), 16 * 60 + 30, "på måndag klockan 16:30",
                 id="sv-half-hour-keeps-minutes"),
    pytest.param("sv-SE", date(2026, 12, 7), 8 * 60, "den 7 december klockan 8",
                 id="sv-a-week-ahead"),
    pytest.param("nb-NO", date(2026, 11, 24), 8 * 60, "klokka 8", id="nynorsk-today"),
    pytest.param("nb-NO", date(2026, 11, 26), 8 * 60, "på torsdag klokka 8",
                 id="nynorsk-weekday"),
])
def test_opening_time_says_the_hour_not_a_clock_face(language, day, minute, heard):
    """Opening times say "klockan 8" / "klokka 8", not "08:00" read as "åtta noll noll"."""
    assert spoken.opening(language, date(2026, 11, 24), day, minute) == heard


def _with_text(text: str) -> str:
    return MINIMAL.replace("prompt: Tryck 1.", f"prompt: {text}")


def test_menu_file_keeps_the_written_form(write_menu):
    """'{tel:+46200443000 0200-44 30 00}' loads as the number with its written form."""
    line = load_line(write_menu(_with_text("Ring {tel:+46200443000 0200-44 30 00}.")))
    assert line.nodes["main"].prompt == (("Ring ", Tel("+46200443000", "0200-44 30 00"), "."),)


def test_menu_file_refuses_a_written_form_of_another_number(write_menu):
    """A written form with other digits is an error naming the place and the digits expected."""
    with pytest.raises(MenuError) as info:
        load_line(write_menu(_with_text("Ring {tel:+46200443000 0200-44 30 01}.")),
                  "menus/line.yaml")
    assert [str(p) for p in info.value.problems] == [
        "menus/line.yaml:15:13: error: nodes.main.prompt: '0200-44 30 01' is not "
        "+46200443000: it should hold the digits 0200443000"]
