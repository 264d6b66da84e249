"""Whether a menu's prompt names the keys the menu offers, and offers the keys it names.

A caller only knows a key from what the prompt says ("tryck 3", "trykk stjerne"): a key the
menu offers and the prompt never names is one no caller finds, and a key the prompt names
but the menu does not offer is a wrong key for whoever presses it. Both are doubts, not
errors (a prompt may say it in words this reading does not know), so ``ivr check`` warns.

The prompt is read in the line's language: after "tryck"/"trycka" (Swedish) or
"trykk"/"trykke"/"trykkje" (Norwegian), optionally "på", come one key or a list of keys
("tryck 1, 2 eller 3"), each a digit, a digit in words ("tryck tre") or the name of * and #
("tryck stjärna", "trykk firkant"). "En"/"ein" are not read as one ("tryck en gång till").
A placeholder ({tel:…}, {opens:…}) ends a list, so the digits of a number read aloud are
never keys. Languages with no words here (``VERBS``) are not read: their prompts get no
such warning, whatever they say.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.core.nodes import MenuNode
from ivr.core.text import Paragraph, Recording
from ivr.menufile.reader import YamlMapping

_SWEDISH = {"noll": "0", "ett": "1", "två": "2", "tre": "3", "fyra": "4", "fem": "5",
            "sex": "6", "sju": "7", "åtta": "8", "nio": "9", "stjärna": "*", "stjärnan": "*",
            "fyrkant": "#", "fyrkanten": "#"}
_NORWEGIAN = {"null": "0", "eitt": "1", "ett": "1", "to": "2", "tre": "3", "fire": "4",
              "fem": "5", "seks": "6", "sju": "7", "syv": "7", "åtte": "8", "ni": "9",
              "stjerne": "*", "stjerna": "*", "stjernen": "*", "firkant": "#",
              "firkanten": "#"}
VERBS = {"sv": (r"tryck|trycka", r"eller|och", _SWEDISH),
         "nb": (r"trykk|trykke|trykkje", r"eller|og", _NORWEGIAN),
         "nn": (r"trykk|trykke|trykkje", r"eller|og", _NORWEGIAN)}
"""By the language part of a line's tag: the verbs for pressing, the words joining a list
of keys, and the keys' names."""
_BREAK = "\x00"
"""Stands for a placeholder in the text read: it ends any list of keys."""


def _reading(language: str) -> re.Pattern[str] | None:
    """The pattern of 'press KEY[, KEY… or KEY]' in ``language``, None if we have no words."""
    known = VERBS.get(language.split("-")[0].lower())
    if known is None:
        return None
    verbs, joins, names = known
    key = rf"(?:[0-9](?![0-9])|(?:{'|'.join(sorted(names, key=len, reverse=True))})\b)"
    return re.compile(rf"\b(?:{verbs})(?:\s+på)?\s+({key}(?:\s*(?:,|{joins})\s*{key})*)",
                      re.IGNORECASE)


def named_keys(paragraph: Paragraph, language: str) -> list[str]:
    """The keys ``paragraph`` tells a caller to press, in order, once each."""
    pattern = _reading(language)
    if pattern is None:
        return []
    names = VERBS[language.split("-")[0].lower()][2]
    text = "".join(piece.text if isinstance(piece, Recording) else
                   piece if isinstance(piece, str) else _BREAK for piece in paragraph)
    keys = [names.get(word.lower(), word) for match in pattern.finditer(text)
            for word in re.findall(r"[0-9]|\w+", match[1]) if word.isascii() and word.isdigit() or
            word.lower() in names]
    return list(dict.fromkeys(keys))


def knows(language: str) -> bool:
    """Whether prompts in ``language`` are read for the keys they name."""
    return _reading(language) is not None


def mismatches(line: Line, document) -> list[Problem]:
    """A warning for each key a menu's prompt names that the menu does not offer, at the
    paragraph naming it, and for each key it offers that its prompt never names, at the
    option."""
    if not knows(line.language):
        return []
    found = []
    for name, node in line.nodes.items():
        if not isinstance(node, MenuNode):
            continue
        named: set[str] = set()
        for where, key, paragraph in _paragraphs(document, name, node):
            for pressed in named_keys(paragraph, line.language):
                named.add(pressed)
                if pressed not in node.options:
                    found.append(Problem(line.source, *where, key, f"menu '{name}': the "
                                         f"prompt names key {pressed}, which the menu does "
                                         "not offer", "warning"))
        options = _written(document, name).get("options")
        for offered in node.options:
            if offered not in named:
                where = (options.key_at.get(offered) if isinstance(options, YamlMapping)
                         else None) or (1, 1)
                found.append(Problem(line.source, *where, f"nodes.{name}.options.{offered}",
                                     f"menu '{name}': the menu offers key {offered}, which "
                                     "its prompt never names", "warning"))
    return found


def _written(document, name: str) -> dict:
    """The menu node ``name`` as written in ``document``."""
    nodes = document.get("nodes") if isinstance(document, dict) else None
    node = nodes.get(name) if isinstance(nodes, dict) else None
    return node if isinstance(node, dict) else {}


def _paragraphs(document, name: str,
                node: MenuNode) -> Iterator[tuple[tuple[int, int], str, Paragraph]]:
    """(position, key path, paragraph) of each paragraph of the menu's prompt: a prompt
    written as a list has one paragraph per item."""
    written = _written(document, name).get("prompt")
    items = written if isinstance(written, list) else [written]
    for index, paragraph in enumerate(node.prompt):
        item = items[index] if index < len(items) else written
        where = (getattr(item, "line", 1), getattr(item, "column", 1))
        key = f"nodes.{name}.prompt" + (f".{index}" if isinstance(written, list) else "")
        yield where, key, paragraph
