"""The IntraPhone outage guide (menus/intraphone.yaml): every branch, at any hour."""

import pytest

LINE = "+46701740620"
IT_SERVICE, INTRAPHONE = "+46346885555", "+46200443000"
PAPER = ("Kom ihåg att rutinen ska vara känd och förvaras i pappersform på arbetsplatsen. "
         "Hej då.")


@pytest.mark.parametrize(("keys", "dialled", "words"), [
    pytest.param(("1", "1"), [IT_SERVICE], ["annan dator", "s r punkt se"],
                 id="web-no-pages-it-service"),
    pytest.param(("1", "2"), [INTRAPHONE], ["support snabel-a intraphone"],
                 id="web-only-intraphone-support"),
    pytest.param(("2", "1"), [IT_SERVICE], ["privat telefon", "Besöksplanering ALLA grupper",
                                            "Registrera samtliga besök"], id="mobiles-report"),
    pytest.param(("2", "-"), [], ["Brukarschema per medarbetare"], id="mobiles-just-steps"),
    pytest.param(("3", "1"), [IT_SERVICE], ["ingen på arbetsplatsen",
                                            "efterregistrera all dokumentation"], id="app"),
    pytest.param(("3", "-"), [], ["V-katalogen"], id="app-just-steps"),
    pytest.param(("4",), [], ["USB-minnet", "aktuell vecka", "justera", "Fördela ut"],
                 id="long-outage-no-dial"),
])
@pytest.mark.parametrize("at", [
    pytest.param("2026-11-24T09:00Z", id="weekday"),
    pytest.param("2026-11-29T02:00Z", id="sunday-night"),
    pytest.param("2026-12-24T18:00Z", id="julafton-evening"),
])
def test_every_branch_ends_with_the_paper_reminder(place_call, at, keys, dialled, words):
    """Each branch says its steps, dials what it should, and ends reminding about paper."""
    call = place_call(LINE, at, *keys)
    text = " ".join(call.said)
    assert call.dialed == dialled
    for word in words:
        assert word in text
    assert call.said[-1] == PAPER and call.ended == "hangup"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_unanswered_it_service_points_to_the_intranet(place_call, status):
    """If IT-service does not answer, report it on the intranet start page."""
    call = place_call(LINE, "2026-11-24T09:00Z", "1", "1", dial=(status,))
    assert any("intranätets startsida" in s for s in call.said)
    assert call.said[-1] == PAPER


def test_silence_at_the_main_menu_still_reminds(place_call):
    """A caller who presses nothing hears the reminder as the goodbye."""
    call = place_call(LINE, "2026-11-24T09:00Z", "-", "-", "-")
    assert call.said[-1] == PAPER
