"""``ivr check`` reads each menu's prompt for the keys it names, in the line's language."""

import pytest
from conftest import MINIMAL, utc

from ivr.menufile.cautions import warnings
from ivr.menufile.format import load_with_document
from ivr.menufile.promptkeys import named_keys

NOW = utc("2026-11-24T09:00Z")


def keyed(write_menu, text: str) -> list[str]:
    """The prompt-and-key warnings of the line ``text``, as 'line: key: message'."""
    return [f"{p.line}: {p.key}: {p.message}"
            for p in warnings(*load_with_document(write_menu(text)), NOW) if "key " in p.message]


def menu(prompt: str, keys: str = "1", language: str = "sv-SE") -> str:
    options = "".join(f'      "{key}": bye\n' for key in keys)
    return (MINIMAL.replace("    prompt: Tryck 1.\n", f"    prompt: {prompt}\n")
            .replace("      1: bye\n", options).replace("sv-SE", language)
            .replace("Polly.Astrid", "Polly.Liv" if language.startswith("n") else "Polly.Astrid"))


def test_a_key_named_but_not_offered_and_one_offered_but_not_named(write_menu):
    """The issue's example: the prompt says 3 where the menu offers 2; both are told, each
    where it is written, naming the menu."""
    text = menu("För receptionen, tryck 1. För att avsluta, tryck 3.", "12")
    assert keyed(write_menu, text) == [
        "15: nodes.main.prompt: menu 'main': the prompt names key 3, which the menu does "
        "not offer",
        "18: nodes.main.options.2: menu 'main': the menu offers key 2, which its prompt never "
        "names"]


@pytest.mark.parametrize(("prompt", "keys", "language"), [
    ("Tryck 1.", "1", "sv-SE"),
    ("Tryck 1, 2 eller 3.", "123", "sv-SE"),
    ("Tryck 1 eller 2.", "12", "sv-SE"),
    ("Tryck tre för kassan, tryck på noll för växeln.", "30", "sv-SE"),
    ("Tryck stjärna för huvudmenyn, tryck fyrkant för att avsluta.", "*#", "sv-SE"),
    ("Trykk 1 for å prøve igjen, eller registrer saka.", "1", "nb-NO"),
    ("Trykk stjerne eller firkant, eller trykk to.", "*#2", "nb-NO"),
    ("\n      - Du kan òg ringje {tel:+4770162446}.\n      - Trykk 1.", "1", "nb-NO"),
], ids=["one", "list", "or", "words", "star-hash", "norwegian", "norwegian-words",
        "paragraphs-and-tel"])
def test_prompts_that_name_their_keys_get_no_warning(write_menu, prompt, keys, language):
    """Digits, digits in words, * and #, lists and paragraphs are read as keys; a number
    read aloud is not."""
    assert keyed(write_menu, menu(prompt, keys, language)) == []


def test_nynorsk_reads_as_norwegian():
    """nn-NO lines are read with the Norwegian words, 'trykkje' among them."""
    assert named_keys(("Du kan trykkje 1 eller stjerne.",), "nn-NO") == ["1", "*"]


def test_each_paragraph_is_pointed_at_on_its_own_line(write_menu):
    """A prompt written as a list: the warning names the paragraph that names the key."""
    text = menu("\n      - Välkommen.\n      - Tryck 4.", "1")
    assert keyed(write_menu, text) == [
        "17: nodes.main.prompt.1: menu 'main': the prompt names key 4, which the menu does "
        "not offer",
        "19: nodes.main.options.1: menu 'main': the menu offers key 1, which its prompt never "
        "names"]


def test_the_digits_of_a_number_read_aloud_are_not_keys(write_menu):
    """'ring {tel:…}, eller tryck 1': the number's digits are no key."""
    text = menu("Ring {tel:+4619213606} eller tryck 1.", "1")
    assert keyed(write_menu, text) == []


def test_a_language_we_have_no_words_for_is_not_read(write_menu):
    """An English line's prompt is not read: no warning, whatever it says."""
    text = menu("Press 1.", "12", "en-GB").replace("Polly.Astrid", "Polly.Amy")
    assert keyed(write_menu, text) == []


def test_digits_no_keypad_has_are_not_read_as_keys():
    """Arabic-Indic or full-width digits after "tryck" are no keys of a phone's keypad."""
    from ivr.menufile.promptkeys import named_keys

    assert named_keys(("Tryck ١ eller tryck ３. Tryck 2.",), "sv-SE") == ["2"]
