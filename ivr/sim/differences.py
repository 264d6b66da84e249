"""What tells two behaviours of ``ivr explore`` apart, in a few words.

A path's outcome is printed short (the first sentence of what its last input brought), but
two behaviours are told apart by everything the caller hears on the path and every number
dialled: Carelock's evening and night start with the same sentence and differ in the
number to ring. When outcomes of the same keys read alike, each names the first sentence
where it differs from the others, or the numbers it dials when all its words are theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

SHORT = 120
"""Characters of a summary's first sentence at most."""
LONG = 200
"""Characters of the sentence that tells a behaviour apart at most."""


def sentences(text: str) -> list[str]:
    """``text`` cut after each '.', '!' or '?' that ends a word."""
    found, start = [], 0
    for end, char in enumerate(text):
        if char in ".!?" and text[end + 1:end + 2] in ("", " "):
            found.append(text[start:end + 1].strip())
            start = end + 1
    rest = text[start:].strip()
    return [*found, rest] if rest else found


def first_sentence(text: str, limit: int = SHORT) -> str:
    """The first sentence, whole: it holds what a path is about, such as when a desk opens."""
    first = next(iter(sentences(text)), "")
    return first if len(first) <= limit else first[:limit - 1] + "…"


def told_apart(heard: Sequence[str], dialed: Sequence[str],
               others: Sequence[tuple[Sequence[str], Sequence[str]]]) -> str:
    """What sets a path that heard ``heard`` and dialled ``dialed`` apart from ``others``
    (each what another behaviour's same path heard and dialled): '… «the sentence where it
    parts from the last of them still alike»', '… and no more' where they go on, and
    '(dials …)' when one of them says every word it says."""
    mine = [s for text in heard for s in sentences(text)]
    parts = [_parting(mine, [s for text in other for s in sentences(text)])
             for other, _ in others]
    told = ""
    if (last := max((p for p in parts if p is not None), default=None)) is not None:
        told = f" … «{first_sentence(mine[last], LONG)}»" if last < len(mine) else " … and no more"
    if None in parts:
        told += f" (dials {', '.join(dialed) or 'nothing'})"
    return told


def _parting(mine: list[str], theirs: list[str]) -> int | None:
    """The index of the first sentence where ``mine`` parts from ``theirs`` (past its end
    when it stops first), None when they are alike."""
    for index, sentence in enumerate(mine):
        if index >= len(theirs) or theirs[index] != sentence:
            return index
    return len(mine) if len(theirs) > len(mine) else None
