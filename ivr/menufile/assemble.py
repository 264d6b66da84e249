"""Checks that span a whole menu file, and the assembly of the final ``Line``.

``spec`` checks each value where it stands; what needs the whole file is here: targets and
schedules that must exist, a day given twice in a schedule, overlapping ranges, a holiday
calendar the ``holidays`` package knows, say/route nodes that loop forever, skippable speech
that leads into no menu, and the defaults a menu takes from the line's messages.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core import spoken
from ivr.core.hours import DAY_NAMES, Calendar, Override, Schedule
from ivr.core.model import Announcement, Line
from ivr.core.nodes import MenuNode, Node, SayNode, instant_successors, texts
from ivr.core.text import Opens
from ivr.menufile import phonecheck
from ivr.menufile.reader import YamlMapping
from ivr.menufile.spec import Context, suggest


def _where(document, *keys):
    """The located value at ``keys``, or the deepest one that exists (for a position)."""
    value = document
    for key in keys:
        if isinstance(value, YamlMapping) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            break
    return value


def check_references(document, ctx: Context) -> None:
    """Every node and schedule named somewhere must be defined in ``nodes``/``schedules``."""
    defined: dict[str, set[str] | None] = {}
    for ref in ctx.references:
        if ref.kind not in defined:
            section = document.get(f"{ref.kind}s") if isinstance(document, YamlMapping) else None
            defined[ref.kind] = (None if section is not None
                                 and not isinstance(section, YamlMapping) else set(section or ()))
        names = defined[ref.kind]
        if names is None or ref.name in names:
            continue
        known = suggest(ref.name, names) or (
            f"; the {ref.kind}s are {sorted(names)}" if names else f"; there are no {ref.kind}s")
        ctx.report(ref, ref.path, f"unknown {ref.kind} '{ref.name}'{known}")


def build_line(line_id: str, display: str, raw: dict, document, ctx: Context,
               kinds: dict[type[Node], str]) -> Line | None:
    """Assemble the Line from converted values, reporting what only the whole file shows.
    ``kinds`` names each node class as a menu file does ('say'), for the messages."""
    schedules = {name: _schedule(name, days, document, ctx)
                 for name, days in raw["schedules"].items()}
    calendar = _calendar(raw["calendar"], raw["language"], document, ctx)
    nodes = {name: _with_defaults(node, raw["messages"]) for name, node in raw["nodes"].items()}
    _check_loops(nodes, document, ctx, kinds)
    _check_skippable(nodes, document, ctx)
    phonecheck.check_voice(raw["voice"], raw["language"], _where(document, "voice"), ctx)
    phonecheck.check_numbers(raw, nodes, lambda *keys: _where(document, *keys), ctx)
    if not spoken.supports(raw["language"]) and any(_uses_opens(n) for n in nodes.values()):
        ctx.report(_where(document, "language"), "language",
                   f"{{opens:…}} cannot be spoken in {raw['language']} yet; supported "
                   f"languages are {sorted(spoken.WORDS)}")
    announcements = []
    for index, item in enumerate(raw["announcements"]):
        if item["to"] <= item["from"]:
            ctx.report(_where(document, "announcements", index), f"announcements.{index}",
                       f"ends ({item['to']:%Y-%m-%d %H:%M}) before it starts")
        announcements.append(Announcement(item["from"], item["to"], item["text"]))
    if ctx.problems:
        return None
    messages = raw["messages"]
    return Line(
        id=line_id, name=raw["name"], numbers=raw["numbers"], language=raw["language"],
        voice=raw["voice"], zone=raw["timezone"], calendar=calendar, schedules=schedules,
        start=raw["start"], nodes=nodes, apology=messages["apology"],
        restart=messages["restart"], placeholders=raw["placeholders"], source=display,
        announcements=tuple(announcements), caller_time=raw["caller_time"],
    )


def _schedule(name: str, days: dict, document, ctx: Context) -> Schedule:
    weekly: list[tuple | None] = [None] * 7
    holidays = ()
    switched = days.pop("switch", None) != "ignore"
    for key, ranges in days.items():
        where = _where(document, "schedules", name, _key_text(key))
        path = f"schedules.{name}.{_key_text(key)}"
        ranges = tuple(sorted(ranges))
        for first, second in zip(ranges, ranges[1:], strict=False):
            if first.end > second.start:
                ctx.report(where, path, f"{first} and {second} overlap")
        if key == "holidays":
            holidays = ranges
            continue
        for day in key:
            if weekly[day] is not None:
                ctx.report(where, path, f"{_key_text((day,))} is given more than once")
            weekly[day] = ranges
    return Schedule(name, tuple(r or () for r in weekly), holidays, switched)


def _key_text(key) -> str:
    if key == "holidays":
        return key
    names = [DAY_NAMES[d] for d in key]
    return names[0] if len(names) == 1 else f"{names[0]}-{names[-1]}"


def _calendar(raw: dict, language: str, document, ctx: Context) -> Calendar:
    overrides = []
    for index, item in enumerate(raw.get("overrides", ())):
        path = f"calendar.overrides.{index}"
        where = _where(document, "calendar", "overrides", index)
        first, last = item["date"] or item["from"], item["date"] or item["to"]
        if item["date"] and (item["from"] or item["to"]):
            ctx.report(where, path, "give either date, or from and to, not both")
        elif not (first and last):
            ctx.report(where, path, "needs a date, or both from and to")
        elif last < first:
            ctx.report(where, path, f"ends ({last}) before it starts ({first})")
        elif not (item["holiday"] or item["hours"]):
            ctx.report(where, path, "changes nothing; add holiday: true or hours")
        else:
            overrides.append(Override(first, last, item["name"], item["holiday"], item["hours"]))
    spec = raw.get("holidays")
    if not spec:
        return Calendar(overrides=tuple(overrides))
    try:
        return Calendar(country=spec["country"], subdivision=spec["subdivision"],
                        categories=tuple(spec["categories"]), overrides=tuple(overrides),
                        language=_holiday_language(spec["country"], language))
    except (NotImplementedError, ValueError, KeyError) as exc:
        ctx.report(_where(document, "calendar", "holidays"), "calendar.holidays",
                   f"the holidays package does not know this calendar: {str(exc).rstrip('.')}"
                   + _supported_categories(spec["country"]))
        return Calendar(overrides=tuple(overrides))


def _supported_categories(country: str) -> str:
    """'; SE has the categories […]' when the country is known, else nothing."""
    import holidays

    try:
        known = holidays.country_holidays(country).supported_categories
    except NotImplementedError:
        return ""
    return f"; {country} has the categories {sorted(known)}"


def _holiday_language(country: str, language: str) -> str | None:
    """The holidays package's language closest to the line's, for holiday names."""
    import holidays

    supported = holidays.country_holidays(country).supported_languages
    prefix = language.split("-")[0]
    for candidate in (language.replace("-", "_"), prefix, "no" if prefix in "nbnn" else ""):
        if candidate in supported:
            return candidate
    return None


def _with_defaults(node: Node, messages: dict) -> Node:
    if not isinstance(node, MenuNode):
        return node
    return replace(node, no_input=node.no_input or messages["no_input"],
                   invalid=node.invalid or messages["invalid"],
                   goodbye=node.goodbye or messages["goodbye"])


def _uses_opens(node: Node) -> bool:
    return any(isinstance(piece, Opens) for text in texts(node).values()
               for piece in phonecheck.pieces(text))


def _check_skippable(nodes: dict[str, Node], document, ctx: Context) -> None:
    """Skippable speech is said inside the next menu's wait for a key, so it needs one:
    its ``then`` must reach a menu, directly or through other says (all said in that wait)."""
    for name, node in nodes.items():
        if not (isinstance(node, SayNode) and node.skippable):
            continue
        chain, target = [name], node.then
        while target is not None and target not in chain:
            following = nodes.get(target)
            if not isinstance(following, SayNode):
                break
            chain.append(target)
            target = following.then
        if isinstance(nodes.get(target or ""), MenuNode):
            continue
        through = f" (through {' → '.join(chain[1:])})" if len(chain) > 1 else ""
        ctx.report(_where(document, "nodes", name, "skippable"), f"nodes.{name}.skippable",
                   "a skippable say must lead into a menu, whose wait for a key it is said "
                   f"in: 'then' must name a menu node, directly or through other says{through}")


def _check_loops(nodes: dict[str, Node], document, ctx: Context,
                 kinds: dict[type[Node], str]) -> None:
    """Nodes of the types that pass on at once (``passes_on``) never wait; a loop of only
    those would never end."""
    passing = "/".join(name for kind, name in kinds.items() if kind.passes_on)
    stopping = [name for kind, name in kinds.items() if not kind.passes_on]
    stop = ", ".join(stopping[:-1]) + f" or {stopping[-1]}" if len(stopping) > 1 else stopping[0]
    done: set[str] = set()
    for start in nodes:
        if start in done:
            continue
        stack, path = [(start, iter(instant_successors(nodes[start])))], [start]
        while stack:
            name, children = stack[-1]
            child = next(children, None)
            if child is None:
                done.add(name)
                stack.pop()
                path.pop()
            elif child in path:
                loop = " → ".join(path[path.index(child):] + [child])
                ctx.report(_where(document, "nodes", child), f"nodes.{child}",
                           f"{passing} nodes loop forever ({loop}); put a {stop} on the way")
                done.update(path)
                break
            elif child in nodes and child not in done:
                stack.append((child, iter(instant_successors(nodes[child]))))
                path.append(child)
