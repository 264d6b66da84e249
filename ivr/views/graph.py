"""A line's call flow as a picture: Mermaid (GitHub renders it) or Graphviz DOT.

One list of labelled edges is built from the model, then written in either syntax, so the
two pictures always agree. Schedule branches carry their hours, menus their digits and what
happens after three silences or three wrong keys, dials their fallbacks.
"""

from __future__ import annotations

from itertools import groupby
from typing import assert_never

from ivr.core.hours import DAY_NAMES, Schedule
from ivr.core.model import Line
from ivr.core.nodes import DialNode, Exit, Node, RouteNode, SayNode, exits

END = "(hang up)"
FONT = "Helvetica"
"""One font for node and edge labels in DOT (Graphviz's default for edges is Times)."""


def hours_text(schedule: Schedule) -> str:
    """'mon-thu 07:00-17:00, fri 07:00-16:30' — consecutive days with equal hours joined."""
    parts = []
    days = list(enumerate(schedule.weekly))
    for ranges, grouped in groupby(days, key=lambda day: day[1]):
        group = list(grouped)
        if not ranges:
            continue
        first, last = DAY_NAMES[group[0][0]], DAY_NAMES[group[-1][0]]
        span = first if first == last else f"{first}-{last}"
        parts.append(f"{span} {' '.join(map(str, ranges))}")
    if schedule.holidays:
        parts.append(f"holidays {' '.join(map(str, schedule.holidays))}")
    return ", ".join(parts) or "never open"


def _kind(node: Node) -> str:
    if isinstance(node, DialNode):
        return "dial " + " / ".join(node.numbers)
    if isinstance(node, SayNode) and node.skippable:
        return "say, skippable"  # a key for the next menu cuts it short
    return type(node).__name__.removesuffix("Node").lower()


def edges(line: Line) -> list[tuple[str, str, str]]:
    """(from, to, label) for every way a call moves; END stands for hanging up."""
    return [(name, way.target or END, _label(line, way, exits(node)))
            for name, node in line.nodes.items() for way in exits(node)]


def _label(line: Line, way: Exit, siblings: tuple[Exit, ...]) -> str:
    """What an arrow says: the key, the schedule and its hours, or what happened."""
    match way.kind:
        case "key":
            return f"key {way.detail}"
        case "silence":
            return f"silence ×{way.detail}"
        case "wrong_key":
            return f"wrong key ×{way.detail}"
        case "route":
            return f"{way.detail}: {hours_text(line.schedules[way.detail])}"
        case "otherwise" | "answered":
            return way.kind
        case "busy":
            return "busy"
        case "fallback":
            busy = any(other.kind == "busy" for other in siblings)
            return "no answer / failed" if busy else "busy / no answer / failed"
        case "then" | "end":
            return ""
        case _:
            assert_never(way.kind)


MERMAID_ENTITIES = str.maketrans({"&": "#amp;", "<": "#lt;", ">": "#gt;", '"': "#quot;"})
"""Mermaid reads no backslash escapes in a quoted label: its own entity codes instead."""


def _text(text: str) -> str:
    """Text for inside a Mermaid label's quotes: a quote or a < in a name cannot break it."""
    return text.translate(MERMAID_ENTITIES)


def mermaid(line: Line) -> str:
    ids = {name: f"n{index}" for index, name in enumerate(line.nodes)}
    ids[END] = "hangup"
    out = ["flowchart TD", f'  call(("{_text(line.name)}")) --> {ids[line.start]}']
    for name, node in line.nodes.items():
        label = f"{_text(name)}<br/><i>{_text(_kind(node))}</i>"
        shape = '{{"%s"}}' if isinstance(node, RouteNode) else '["%s"]'
        out.append(f"  {ids[name]}{shape % label}")
    out.append(f'  hangup(["{END}"])')
    for source, target, label in edges(line):
        arrow = f' -- "{_text(label)}" -->' if label else " -->"
        out.append(f"  {ids[source]}{arrow} {ids[target]}")
    return "\n".join(out) + "\n"


def dot(line: Line) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace('"', '\\"') + '"'

    out = [f"digraph {quote(line.id)} {{", "  rankdir=TB;", f"  node [fontname={FONT}];",
           f"  edge [fontname={FONT}];",
           f"  call [shape=oval, style=bold, label={quote(line.name)}];",
           f"  call -> {quote(line.start)};", f"  {quote(END)} [shape=box, style=rounded];"]
    for name, node in line.nodes.items():
        shape = "diamond" if isinstance(node, RouteNode) else "box"
        label = quote(name + "\\n" + _kind(node))
        out.append(f"  {quote(name)} [shape={shape}, label={label}];")
    for source, target, label in edges(line):
        attributes = f" [label={quote(label)}]" if label else ""
        out.append(f"  {quote(source)} -> {quote(target)}{attributes};")
    out.append("}")
    return "\n".join(out) + "\n"


FORMATS = {"mermaid": mermaid, "dot": dot}
