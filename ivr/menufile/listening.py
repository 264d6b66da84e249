"""Warnings about a caller's time: long waits for a menu's options, speech no key can cut
short, many menus or long speech before a desk, and words speech synthesis reads badly;
and the error of an answer too large for Twilio to take.

The waits come from ``core.calltime`` (the engine, timed by ``core.speechtime``) at every
moment of the coming week where a schedule opens or closes, so each route's branch is
timed; the limits are the line's ``caller_time`` (defaults in ``core.model.CallerTime``).
``warnings`` adds these to the other doubts ``ivr check`` prints.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from ivr.core import calltime
from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.core.moments import situation
from ivr.core.nodes import RouteNode
from ivr.core.text import Opens
from ivr.menufile.phonecheck import pieces
from ivr.menufile.reader import Scalar, YamlMapping

SPOKEN = {"text", "prompt", "reprompt", "say", "no_input", "invalid", "goodbye", "apology",
          "restart"}
"""Keys whose values a caller hears."""
_MAIL_OR_URL = re.compile(r"[\w.+-]+@[\w-]+\.\w|https?://|www\.\w")
_TEL = re.compile(r"\{tel:[^}]*\}")
_DIGITS = re.compile(r"\d{5,}")
TWIML_LIMIT = 64_000
"""Bytes of one TwiML answer Twilio takes at most (its error 11750: 'larger than 64 kB')."""
_CAPITALS = re.compile(r"(?<![\w-])[A-ZÅÄÖÆØ]{2,}(?!\w)")


def moments(line: Line, now: datetime) -> list[datetime]:
    """Each instant of the coming week where a schedule of ``line`` opens or closes, and
    each midnight: between two of them every route decides the same."""
    minutes = {0} | {edge for schedule in line.schedules.values()
                     for ranges in (*schedule.weekly, schedule.holidays)
                     for r in ranges for edge in (r.start, r.end) if edge < 24 * 60}
    today = now.astimezone(line.zone).date()
    return [datetime.combine(today + timedelta(days=day), time(), line.zone)
            + timedelta(minutes=minute) for day in range(7) for minute in sorted(minutes)]


def schedules_used(line: Line) -> set[str]:
    """Schedules a route decides on or a text says the opening time of."""
    return _routed(line) | _told(line)


def _routed(line: Line) -> set[str]:
    """Schedules a route decides on."""
    return {r.when for node in line.nodes.values() if isinstance(node, RouteNode)
            for r in node.routes}


def _told(line: Line) -> set[str]:
    """Schedules a text says the opening time of."""
    return {piece.schedule for text in line.texts()
            for piece in pieces(text) if isinstance(piece, Opens)}


def _what_calls_read(line: Line, routed: set[str], told: set[str],
                     instant: datetime) -> tuple:
    """The situation at ``instant`` as far as the line reads it (whether the schedules its
    routes name are open, when those its texts name open next, the switch and the
    announcements): instants alike in it give alike calls, so each is walked once."""
    now_is = situation(line, instant)
    return (tuple(now_is.open[i] for i, name in enumerate(line.schedules) if name in routed),
            tuple(now_is.next_openings[i] for i, name in enumerate(line.schedules)
                  if name in told),
            now_is.switch, now_is.announcements)


def caller_time(line: Line, document, now: datetime) -> list[Problem]:
    """Waits over the line's ``caller_time`` limits, and answers over Twilio's size limit,
    each reported once, at its worst."""
    limits, worst = line.caller_time, dict[tuple[str, str], tuple[float, str]]()

    def note(node: str, rule: str, seconds: float, message: str) -> None:
        if seconds > worst.get((node, rule), (-1.0, ""))[0]:
            worst[(node, rule)] = (seconds, message)

    routed, told, seen = _routed(line), _told(line), set()
    for instant in moments(line, now):
        if (alike := _what_calls_read(line, routed, told, instant)) in seen:
            continue
        seen.add(alike)
        walked = calltime.walk(line, instant)
        for wait in calltime.menu_waits(line, instant, walked):
            after = f"after {' '.join(wait.keys)}" if wait.keys else "as the call starts"
            if wait.unskippable > limits.unskippable and wait.says:
                said = ", ".join(f"'{say}'" for say in wait.says)
                note(wait.says[0], "unskippable", wait.unskippable, f"{wait.unskippable:.0f} s "
                     f"of speech no key can cut short come before menu '{wait.menu}' "
                     f"({after}), said by {said}; over caller_time.unskippable "
                     f"({limits.unskippable} s): shorten it, or mark '{wait.says[0]}' "
                     "'skippable: true' (it and what follows it are then said while the menu "
                     "listens)")
            elif wait.unskippable > limits.unskippable:
                note(wait.menu, "unskippable", wait.unskippable, f"{wait.unskippable:.0f} s "
                     f"of speech no key can cut short come before this menu ({after}); over "
                     f"caller_time.unskippable ({limits.unskippable} s): shorten what is said "
                     "before it")
            if wait.options_start > limits.options_after:
                note(wait.menu, "options", wait.options_start, f"callers hear "
                     f"{wait.options_start:.0f} s of speech before this menu names an option "
                     f"({after}); over caller_time.options_after ({limits.options_after} s)")
        if calltime.capped(line, instant, walked):
            note(line.start, "capped", 0, f"keys from here lead to more than "
                 f"{calltime.WALK_LIMIT} ways through the menus; only the first "
                 f"{calltime.WALK_LIMIT} were timed: let keys that lead on meet at fewer menus")
        for size, keys_to, node in calltime.answer_sizes(line, instant, walked):
            if size > TWIML_LIMIT:
                note(node, "size", size, f"the answer as a call reaches this node "
                     f"({'after ' + ' '.join(keys_to) if keys_to else 'as the call starts'}) "
                     f"is about {size // 1000} kB of TwiML; Twilio refuses an answer over 64 kB "
                     "(its error 11750) and the caller hears the fallback: say less in one go")
        for path in calltime.desk_paths(line, instant, walked):
            keys = " ".join(path.keys)
            if len(path.menus) > limits.menus_to_desk:
                note(path.desk, "menus", len(path.menus), f"keys {keys} pass "
                     f"{len(path.menus)} menus before this desk rings; over "
                     f"caller_time.menus_to_desk ({limits.menus_to_desk})")
            if path.first_time > limits.seconds_to_desk:
                note(path.desk, "seconds", path.first_time, f"a first-time caller pressing "
                     f"{keys or 'nothing'} hears {path.first_time:.0f} s of speech before this "
                     f"desk rings ({path.pressing:.0f} s pressing at once); over "
                     f"caller_time.seconds_to_desk ({limits.seconds_to_desk} s)")
    nodes = document.get("nodes") if isinstance(document, YamlMapping) else None
    found = []
    for (node, rule), (_, message) in worst.items():
        where = nodes.key_at.get(node) if isinstance(nodes, YamlMapping) else None
        line_no, column = where if isinstance(where, tuple) else (1, 1)
        found.append(Problem(line.source, line_no, column, f"nodes.{node}", message,
                             "error" if rule == "size" else "warning"))
    return found


def read_badly(line: Line, document) -> list[tuple[tuple[int, int], str, str]]:
    """(position, key, advice) for what speech synthesis would read badly in the texts a
    caller hears; a word in capitals is named once, where it first appears."""
    doubts, named = [], set(line.caller_time.abbreviations)
    for text, key, where in _spoken_texts(document):
        if _MAIL_OR_URL.search(text):
            doubts.append((where, key, "an e-mail address or web address is read symbol by "
                           "symbol; write it as it should be said ('vård och stöd, snabel-a "
                           "örebro punkt se')"))
        if _DIGITS.search(_TEL.sub("", text)):
            doubts.append((where, key, "a run of more than four digits is read as one large "
                           "number; write a phone number as {tel:+46…} or space the digits"))
        new = sorted(set(_CAPITALS.findall(text)) - named)
        named.update(new)
        if new:
            doubts.append((where, key, f"{', '.join(new)} in capitals may be read as a word "
                           "or spelled; listen (ivr-sim --speak, or a test call) and write it "
                           "as it should be said, or list it in caller_time.abbreviations once "
                           "heard right"))
    return doubts


def _spoken_texts(value, key: str = ""):
    """(text, key path, position) of every text a caller hears in the document."""
    if isinstance(value, Scalar):
        if key.split(".")[-1] in SPOKEN or re.search(r"\.(text|prompt|say)\.\d+$", key):
            yield str(value), key, (value.line, value.column)
    elif isinstance(value, YamlMapping):
        for child_key, child in value.items():
            yield from _spoken_texts(child, f"{key}.{child_key}" if key else str(child_key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _spoken_texts(child, f"{key}.{index}")
