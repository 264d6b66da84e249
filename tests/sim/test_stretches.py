"""``ivr explore`` tells behaviours apart by all the caller hears and every number dialled,
not by the first sentence its summary prints."""

from datetime import date, datetime

from conftest import MINIMAL, Clock

from ivr.server.app import in_process_app, served_line
from ivr.sim.stretches import explore, render
from ivr.sim.transport import InProcess

EVENING = MINIMAL.split("start:")[0] + """\
schedules:
  evening:
    mon-sun: 17:00-22:00
start: pick
nodes:
  pick:
    type: route
    routes:
      - when: evening
        goto: early
    otherwise: late
"""
LATER_SENTENCE = EVENING + """\
  early:
    type: hangup
    text: Använd backup-nyckeln. Ring låsjouren.
  late:
    type: hangup
    text: Använd backup-nyckeln. Ring låssmeden.
"""
DIALLED_NUMBER = EVENING + """\
  early:
    type: dial
    say: Du kopplas nu.
    numbers: ["+4619214944"]
    fallback: sorry
  late:
    type: dial
    say: Du kopplas nu.
    numbers: ["+4619105410"]
    fallback: sorry
  sorry:
    type: hangup
    text: Ingen svarade.
"""


def table_of(write_menu, text: str, *, every_outcome: bool = False):
    """One day of the line ``text``, explored."""
    path, clock = write_menu(text), Clock()
    app = in_process_app(path.parent, clock=clock)

    def transport_at(instant):
        clock.now = instant
        return InProcess(app)

    return explore(served_line(app, "line"), transport_at, date(2026, 11, 24), 1, 1,
                   every_outcome=every_outcome)


def test_a_later_sentence_that_differs_is_another_behaviour(write_menu):
    """17:00 and 22:00 start with the same sentence: still two stretches, two letters, and
    each row names the sentence where it differs."""
    table = table_of(write_menu, LATER_SENTENCE)
    assert [s.start for s in table] == [datetime(2026, 11, 24, 0, 0),
                                        datetime(2026, 11, 24, 17, 0),
                                        datetime(2026, 11, 24, 22, 0)]
    text = render(table)
    assert "00:00 A  17:00 B  22:00 A" in text
    assert "hangs up after «Använd backup-nyckeln.» … «Ring låssmeden.»" in text
    assert "hangs up after «Använd backup-nyckeln.» … «Ring låsjouren.»" in text


def test_a_dialled_number_that_differs_is_another_behaviour(write_menu):
    """Alike in every word, the evening and the night dial other numbers: the fallback rows
    that read alike say which numbers each dialled."""
    text = render(table_of(write_menu, DIALLED_NUMBER, every_outcome=True))
    assert "00:00 A  17:00 B  22:00 A" in text
    assert "hangs up after «Ingen svarade.» (dials +4619105410)" in text
    assert "hangs up after «Ingen svarade.» (dials +4619214944)" in text


def test_outcomes_that_differ_nowhere_keep_their_short_summary(write_menu):
    """A line that does the same all day reads as it did: one behaviour, no '…'."""
    text = render(table_of(write_menu, LATER_SENTENCE.replace("låsjouren", "låssmeden")))
    assert "00:00 A\n" in text and "…" not in text
