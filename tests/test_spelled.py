"""Addresses a caller writes down: every letter the shipped lines spell out is heard as that
letter, never as the ".se" that ends the address (espeak-ng's phonemes, in each line's
language). In Swedish and Norwegian the letter c is said "se": it is spelled "c som i
Cesar" instead.
"""

import re
import shutil
import subprocess

import pytest
from conftest import MENUS

from ivr.menufile.format import load_line
from ivr.sim.speak import voice

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed: apt-get install espeak-ng")
SPELLED = re.compile(r"(?<!\w)(?:\w[ ,]+){2,}\w(?!\w)")
"""A run of at least three single letters: an address or a name spelled out."""


def phonemes(text: str, language: str) -> str:
    return subprocess.run(["espeak-ng", "-v", voice(language), "-q", "-x", text],
                          capture_output=True, text=True, check=True).stdout.strip()


def spelled_letters(line) -> list[tuple[str, str]]:
    """(letter, the words after it) for every letter of a spelled run in the line's texts."""
    found = []
    for text in line.texts():
        for paragraph in text:
            words = " ".join(piece for piece in paragraph if isinstance(piece, str))
            for run in SPELLED.finditer(words):
                rest = words[run.start():]
                for match in re.finditer(r"(?<!\w)\w(?!\w)", run.group()):
                    found.append((match.group(), rest[match.end():match.end() + 8]))
    return found


@needs_espeak
@pytest.mark.parametrize("path", sorted(MENUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_no_spelled_letter_sounds_like_the_domain(path):
    line = load_line(path)
    domain = phonemes("se", line.language)
    heard_as_domain = [letter for letter, after in spelled_letters(line)
                       if phonemes(letter, line.language) == domain
                       and not after.lstrip(" ,").startswith("som i")]
    assert heard_as_domain == []


@needs_espeak
def test_a_bare_c_would_be_caught():
    """The check itself: the old IntraPhone spelling "s u o c r m" has a c heard as "se"."""
    assert phonemes("c", "sv-SE") == phonemes("se", "sv-SE")
    assert phonemes("c", "nb-NO") == phonemes("se", "nb-NO")
    assert [m.group() for m in SPELLED.finditer("punkt s u o c r m punkt e u")] == \
        ["s u o c r m"]
