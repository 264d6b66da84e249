"""The speech-time estimate: what it counts, and its rates per language."""

import pytest

from ivr.core import speechtime


def test_counts_syllables_digits_and_pauses():
    """Vowel groups are syllables, each digit a word, punctuation before a space a pause."""
    assert speechtime.counts("Ring polisen på 1 1 2. Hej då.") == (7, 3, 2)


def test_a_dash_inside_a_word_is_no_pause():
    """'TES-app' is one word: only punctuation before a space or the end is a breath."""
    assert speechtime.counts("TES-app, tryck 3.")[2] == 2


@pytest.mark.parametrize(("language", "rate"), [
    pytest.param("sv-SE", speechtime.RATES["sv"], id="sv"),
    pytest.param("nb-NO", speechtime.RATES["nb"], id="nb"),
    pytest.param("nn-NO", speechtime.RATES["nb"], id="nn-shares-nb"),
    pytest.param("de-DE", speechtime.DEFAULT, id="unmeasured"),
])
def test_each_language_has_its_rate(language, rate):
    """Swedish and Norwegian have measured rates; other languages take the default."""
    assert speechtime.rate_for(language) == rate


def test_seconds_weigh_each_count_by_the_rate():
    """Seconds are syllables, digits and pauses times the language's rates."""
    rate = speechtime.RATES["nb"]
    assert speechtime.seconds("Tast 1.", "nb-NO") == round(
        rate.syllable + rate.digit + rate.pause, 1)


def test_longer_text_takes_longer():
    """A prompt twice as long is estimated at about twice the time."""
    once = speechtime.seconds("Tryck 1 för TES.", "sv-SE")
    assert speechtime.seconds("Tryck 1 för TES. Tryck 1 för TES.", "sv-SE") == \
        pytest.approx(2 * once, abs=0.1)


def test_a_sentence_in_another_script_is_timed_not_silent():
    """A Russian prompt espeak-ng says in 5.6 s is timed within a fifth of it, not as 0.9 s."""
    text = ("Здравствуйте, вы позвонили в службу поддержки. Чтобы поговорить с оператором, "
            "нажмите один.")
    assert speechtime.seconds(text, "ru-RU") == pytest.approx(5.6, rel=0.2)
