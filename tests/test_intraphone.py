"""The IntraPhone outage guide (menus/intraphone.yaml): every branch, at any hour."""

import pytest
from conftest import MENUS

from ivr.core.nodes import MenuNode
from ivr.menufile.format import load_line

LINE = "+46701740620"
IT_SERVICE, INTRAPHONE = "+46346885555", "+46200443000"
PAPER = "pappersform"


@pytest.mark.parametrize(("keys", "dialled", "words"), [
    pytest.param(("1", "1"), [IT_SERVICE], ["annan dator", "s r punkt s e", "Mina program"],
                 id="web-no-pages-it-service"),
    pytest.param(("1", "2"), [INTRAPHONE],
                 ["supporten för IntraPhone",
                  "intraphone punkt s u o, c som i Cesar, r m, punkt e u"],
                 id="web-only-intraphone-support"),
    pytest.param(("2", "1"), [IT_SERVICE], ["privat telefon", "Besöksplanering alla grupper",
                                            "Registrera samtliga besök"], id="mobiles-report"),
    pytest.param(("2", "-"), [], ["Brukarschema per medarbetare"], id="mobiles-just-steps"),
    pytest.param(("3", "1"), [IT_SERVICE], ["ingen på arbetsplatsen",
                                            "efterregistrera all dokumentation"], id="app"),
    pytest.param(("3", "-"), [], ["V-katalogen"], id="app-just-steps"),
    pytest.param(("4", "-"), [], ["USB-minnet", "Skriv ut schemat för aktuell vecka",
                                  "justera", "Fördela de besök som saknas i schemat"],
                 id="long-outage-no-dial"),
    pytest.param(("4", "1"), [IT_SERVICE], ["långvarigt"], id="long-outage-it-service"),
])
@pytest.mark.parametrize("at", [
    pytest.param("2026-11-24T09:00Z", id="weekday"),
    pytest.param("2026-11-29T02:00Z", id="sunday-night"),
    pytest.param("2026-12-24T18:00Z", id="julafton-evening"),
])
def test_every_branch_says_its_steps_without_the_paper_reminder(place_call, at, keys, dialled,
                                                                 words):
    """Each branch says its steps and dials what it should; the paper rule is not said."""
    call = place_call(LINE, at, *keys)
    text = " ".join(call.said)
    assert call.dialed == dialled
    for word in words:
        assert word in text
    assert PAPER not in text and call.ended == "hangup"


def test_outage_is_defined_up_front(place_call):
    """The first thing said is what counts as an outage, in the routine's words."""
    said = place_call(LINE, "2026-11-24T09:00Z").said
    assert said[0] == ("Driftstopp i IntraPhone: det är när ingen kommer in i IntraPhone "
                       "eller när inga datorer fungerar.")
    assert "Om IntraPhone-webben inte fungerar, tryck 1." in said


def test_intraphone_support_number_is_read_as_the_routine_writes_it(place_call):
    """The support number is said in the routine's grouping 0200-44 30 00, not 020-044 30 00."""
    call = place_call(LINE, "2026-11-24T09:00Z", "1", "2", dial=("no-answer",))
    text = " ".join(call.said)
    assert "Du kopplas nu till supporten för IntraPhone, 0200, 44 30 00." in call.said
    assert "ring 0200, 44 30 00 igen" in text
    assert "020, 044" not in text and "020-044" not in text


def test_mobiles_down_offer_phone_or_intranet_before_printing(place_call):
    """Mobiles down: report at once by a private phone (key 1) or on the intranet, then print."""
    said = place_call(LINE, "2026-11-24T09:00Z", "2", "-").said
    report = next(s for s in said if "omgående" in s)
    assert "privat telefon, tryck 1" in report
    assert "intranätets startsida, under Mina program, IT-support, Självservice" in report
    assert said.index(report) < next(i for i, s in enumerate(said) if "Skriv sedan ut" in s)


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_unanswered_it_service_points_to_the_intranet(place_call, status):
    """If IT-service does not answer, report it on the intranet start page."""
    call = place_call(LINE, "2026-11-24T09:00Z", "1", "1", dial=(status,))
    assert any("intranätets startsida" in s and "Självservice" in s for s in call.said)
    assert call.said[-1] == "Hej då."


def test_paper_rule_stays_in_the_file_for_the_workplace():
    """The rule to keep the routine on paper is noted in the file, for the workplace."""
    content = (MENUS / "intraphone.yaml").read_text(encoding="utf-8")
    assert "PAPPERSFORM PÅ ARBETSPLATSEN" in content


REPORT = "Felanmäl till IT-service på 0346, 88 55 55. Hej då."


@pytest.mark.parametrize("keys", [
    pytest.param(("-", "-", "-"), id="main-silent"),
    pytest.param(("9", "9", "9"), id="main-wrong-keys"),
    pytest.param(("1", "-", "-", "-"), id="web-silent"),
    pytest.param(("2", "-"), id="mobiles-silent"),
    pytest.param(("3", "-"), id="app-silent"),
    pytest.param(("3", "7", "7", "7"), id="app-wrong-keys"),
    pytest.param(("4", "-"), id="long-outage-silent"),
])
def test_a_caller_who_chooses_nothing_hears_it_service_before_the_line_hangs_up(place_call,
                                                                               keys):
    """"felanmäl till IT-service 0346-88 55 55", the routine's word in every step, ends the call."""
    call = place_call(LINE, "2026-11-24T09:00Z", *keys)
    assert call.said[-1] == REPORT
    assert call.dialed == [] and call.ended == "hangup"


def test_it_service_no_answer_cites_every_path_that_reaches_it():
    """Its routine citation names each menu that dials IT-service, not the mobiles alone."""
    line = load_line(MENUS / "intraphone.yaml")
    callers = {name for name, node in line.nodes.items()
               if isinstance(node, MenuNode) and "it-service" in node.options.values()}
    assert callers == {"web", "mobiles", "app", "long-outage"}
    text = (MENUS / "intraphone.yaml").read_text(encoding="utf-8")
    comment = text.split("  intraphone-support:", 1)[0].rsplit("  it-service:", 1)[1]
    comment = " ".join(comment.split("  it-service-no-answer:")[0].split())
    for words in ("webben", "mobilerna", "appen", "långvarigt avbrott"):
        assert words in comment
