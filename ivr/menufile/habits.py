"""Keys that change meaning with the hour: a warning, because callers act from habit.

Staff learn a line's keys by day ("tryck 3, 1") and press them at 3 a.m. without listening.
So the same keys, pressed at the same point of a call, should lead to the same thing at
every hour: the same menus, or a ringing number (whichever number the hour needs: the
evening's lock line or the night's locksmith are one meaning, "put me through"), or the
menu said again. This walks every key path from the start (a route's branches are the hours,
taken all at once) and warns where two menus met at one path use a key for different things.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr.core.errors import Problem
from ivr.core.model import Line
from ivr.core.nodes import DialNode, HangupNode, MenuNode, RouteNode, SayNode
from ivr.menufile.reader import Value, YamlMapping

DEPTH = 4
"""Keys pressed at most along a path looked at; habits are short."""
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


def _meaning(line: Line, menu: str, key: str) -> frozenset[str]:
    """What ``key`` does in ``menu``: its stops, or the menu again ("repeat")."""
    node = line.nodes[menu]
    assert isinstance(node, MenuNode)
    reached = stops(line, node.options[key])
    return frozenset({"the menu again"}) if reached == {menu} else reached


def _paths(line: Line) -> Iterator[tuple[tuple[str, ...], list[str]]]:
    """Every key path up to ``DEPTH`` keys with the menus a call can meet there."""
    frontier: dict[tuple[str, ...], list[str]] = {
        (): sorted(s for s in stops(line, line.start) if s in line.nodes)}
    for _ in range(DEPTH + 1):
        following: dict[tuple[str, ...], set[str]] = {}
        for path, menus in frontier.items():
            yield path, menus
            for menu in menus:
                node = line.nodes[menu]
                assert isinstance(node, MenuNode)
                for key, target in node.options.items():
                    met = {s for s in stops(line, target) if s in line.nodes and s != menu}
                    if met:
                        following.setdefault((*path, key), set()).update(met)
        frontier = {path: sorted(menus) for path, menus in following.items()}


def changed_meanings(line: Line, document: Value) -> list[Problem]:
    """A warning for each key that means one thing in one menu and another in a menu the
    same keys reach at other hours, at the second menu's option."""
    nodes = document.get("nodes") if isinstance(document, YamlMapping) else None
    found, told = [], set()
    for path, menus in _paths(line):
        for index, first in enumerate(menus):
            for other in menus[index + 1:]:
                one, two = line.nodes[first], line.nodes[other]
                assert isinstance(one, MenuNode) and isinstance(two, MenuNode)
                for key in sorted(one.options.keys() & two.options.keys()):
                    was, now = _meaning(line, first, key), _meaning(line, other, key)
                    if was == now or (path, key) in told:
                        continue
                    told.add((path, key))
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
