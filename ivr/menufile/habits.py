"""Keys that change meaning with the hour: a warning, because callers act from habit.

Staff learn a line's keys by day ("tryck 3, 1") and press them at 3 a.m. without listening.
So the same keys, pressed at the same point of a call, should lead to the same thing at
every hour: the same menus, or a ringing number (whichever number the hour needs: the
evening's lock line or the night's locksmith are one meaning, "put me through"), or the
menu said again. This walks every key path from the start (a route's branches are the hours,
taken all at once) and warns where two menus met at one path use a key for different things.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.core.nodes import DialNode, HangupNode, MenuNode, RouteNode, SayNode
from ivr.menufile.reader import Value, YamlMapping

DEPTH = 4
"""Keys pressed at most along a path looked at; habits are short."""
MEETINGS = 2000
"""Sets of menus met together that are looked at, at most: a bound on a hostile line."""
DIAL, HANGUP = "a ringing number", "the end of the call"


def stops(line: Line, name: str | None) -> frozenset[str]:
    """Where a call entering ``name`` waits or ends, whatever the hour: menus by name, a
    dial as DIAL, the end as HANGUP (says and routes are passed through, every branch)."""
    found: set[str] = set()
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current is None:
            found.add(HANGUP)
            continue
        if current in seen:
            continue
        seen.add(current)
        match line.nodes[current]:
            case SayNode() as say:
                todo.append(say.then)
            case RouteNode() as route:
                todo.extend([*(r.goto for r in route.routes), route.otherwise])
            case MenuNode():
                found.add(current)
            case DialNode():
                found.add(DIAL)
            case HangupNode():
                found.add(HANGUP)
    return frozenset(found)


def _meaning(line: Line, menu: str, key: str, stopped) -> frozenset[str]:
    """What ``key`` does in ``menu``: its stops, or the menu again ("repeat")."""
    node = line.nodes[menu]
    assert isinstance(node, MenuNode)
    reached = stopped(node.options[key])
    return frozenset({"the menu again"}) if reached == {menu} else reached


def _meetings(line: Line, stopped) -> Iterator[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each set of menus a call can meet together after the same keys (up to ``DEPTH``),
    once, with the first key path that meets it: what matters is which menus share a
    point of the call, not how many paths lead there (a dense line has millions)."""
    first = tuple(sorted(s for s in stopped(line.start) if s in line.nodes))
    seen = {first}
    frontier: list[tuple[tuple[str, ...], tuple[str, ...]]] = [((), first)]
    for depth in range(DEPTH + 1):
        following: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for path, menus in frontier:
            yield path, menus
            if depth == DEPTH:
                continue
            by_key: dict[str, set[str]] = {}
            for menu in menus:
                node = line.nodes[menu]
                assert isinstance(node, MenuNode)
                for key, target in node.options.items():
                    by_key.setdefault(key, set()).update(
                        s for s in stopped(target) if s in line.nodes and s != menu)
            for key, met in sorted(by_key.items()):
                group = tuple(sorted(met))
                if group and group not in seen and len(seen) < MEETINGS:
                    seen.add(group)
                    following.append(((*path, key), group))
        frontier = following


def changed_meanings(line: Line, document: Value) -> list[Problem]:
    """A warning for each key that means one thing in one menu and another in a menu the
    same keys reach at other hours, at the second menu's option (once per pair and key)."""
    nodes = document.get("nodes") if isinstance(document, YamlMapping) else None
    stopped = functools.cache(lambda name: stops(line, name))
    found, told = [], set()
    for path, menus in _meetings(line, stopped):
        for index, first in enumerate(menus):
            for other in menus[index + 1:]:
                one, two = line.nodes[first], line.nodes[other]
                assert isinstance(one, MenuNode) and isinstance(two, MenuNode)
                for key in sorted(one.options.keys() & two.options.keys()):
                    if (first, other, key) in told:
                        continue
                    was = _meaning(line, first, key, stopped)
                    now = _meaning(line, other, key, stopped)
                    if was == now:
                        continue
                    told.add((first, other, key))
                    keys = " ".join(path) or "(none yet)"
                    found.append(Problem(
                        line.source, *_where(nodes, other, key), f"nodes.{other}.options.{key}",
                        f"after the keys {keys}, key {key} leads to {_said(now)} here but to "
                        f"{_said(was)} in menu '{first}', which the same keys reach at other "
                        "hours: callers press by day's habit at night, so give the key one "
                        "meaning", "warning"))
    return found


def _said(meaning: frozenset[str]) -> str:
    return " or ".join(sorted(f"menu '{m}'" if " " not in m else m for m in meaning))


def _where(nodes: Value | None, menu: str, key: str) -> tuple[int, int]:
    """Line and column of ``menu``'s option ``key`` in the file (1:1 when not found)."""
    node = nodes.get(menu) if isinstance(nodes, YamlMapping) else None
    options = node.get("options") if isinstance(node, YamlMapping) else None
    if isinstance(options, YamlMapping):
        for written, at in options.key_at.items():
            if str(written) == key:
                return at
    return 1, 1
