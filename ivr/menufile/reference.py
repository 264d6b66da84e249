"""The menu format reference (docs/format.md), written from the format's own spec tree.

``FORMAT`` in ``ivr.menufile.format`` loads every menu file, reports its mistakes and prints
the JSON Schema (``ivr schema``). This module walks that same tree and writes each key and
each node type with its type, allowed values, limits, default and meaning, so the manual
cannot describe another format than the one the loader reads:
``python -m ivr.menufile.reference > docs/format.md`` regenerates it, and tests/test_docs.py
fails while the committed copy differs. A key the tree gives no words of its own takes them
from ``NOTES`` (failing that, from its parser's docstring); a note for a key the format no
longer has, or one the tree now describes itself, stops the generation.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from typing import Any

from ivr.core import nodes
from ivr.menufile import folder, reader, switchfile
from ivr.menufile.format import FORMAT, NODE, NODES, NUMBER, RANGES, SCHEDULE, SPEECH
from ivr.menufile.shapes import Field, ListOf, MapOf, Struct, Tagged
from ivr.menufile.spec import Ref, Spec
from ivr.menufile.speech import RECORDING, SAY_LIMIT, TEXT_LIMIT, URL_LIMIT, Speech

COMMAND = "python -m ivr.menufile.reference > docs/format.md"

SHARED: list[tuple[Spec, str]] = [(SPEECH, "Speech"), (NODE, "Node name"),
                                  (SCHEDULE, "Schedule name"), (NUMBER, "Phone number"),
                                  (RANGES, "Time ranges")]
"""Values used in many places: described once, under "Values", and linked to."""

NOTES: dict[str, str] = {
    "name": "The line's name, as the commands, the console and the call flow show it.",
    "numbers": "The numbers the server answers for this line; one claimed by two files is "
               "an error.",
    "voice": "A Twilio `<Say>` voice such as `Polly.Astrid`; `ivr check` makes sure Twilio "
             "offers it and that it speaks the line's `language`.",
    "timezone": "The file's hours, dates and times are read in it.",
    "messages": "What the line says in the situations every line has.",
    "messages.apology": "Said when a step fails (or Twilio calls `/fallback`), before the line "
                        "hangs up; said as written, without `{opens:…}` or `{tel:…}`.",
    "messages.goodbye": "Said when a menu gives up after its silences or wrong keys, unless "
                        "the menu has its own `goodbye` or an `on_limit`.",
    "messages.no_input": "Said after a silence, before a menu asks again.",
    "messages.invalid": "Said after a key the menu does not offer, before it asks again.",
    "messages.restart": "Said when a step no longer fits the line (an edit removed or changed "
                        "the node the call was at), before the call starts again at `start`.",
    "calendar": "Which days are holidays, and dated changes to the hours.",
    "calendar.holidays": "The public holidays of the [holidays](https://pypi.org/project/"
                         "holidays/) package; on them each schedule keeps its `holidays` "
                         "hours (closed without).",
    "calendar.holidays.country": "The country's ISO code. Quote `\"NO\"`: YAML 1.1 tools read "
                                 "a bare NO as false.",
    "calendar.holidays.subdivision": "A region of the country, as the holidays package "
                                     "names it.",
    "calendar.holidays.categories": "The holidays package's categories, which `ivr check` "
                                    "makes sure are the country's; Sweden's `de_facto` is "
                                    "Midsommarafton, Julafton and Nyårsafton.",
    "calendar.overrides": "Dated changes on top of the weekly hours and holidays; a later "
                          "one wins over an earlier one for the same day.",
    "calendar.overrides.*.date": "The day changed; or give `from` and `to`, not both.",
    "calendar.overrides.*.from": "The first day of a range.",
    "calendar.overrides.*.to": "The last day of the range, included.",
    "calendar.overrides.*.name": "What the days are called, as `ivr hours` names them.",
    "calendar.overrides.*.holiday": "`true`: the days count as holidays.",
    "calendar.overrides.*.hours": "Other hours on those days for the schedules named, "
                                  "instead of their weekly or holiday hours.",
    "schedules.<name>": "One schedule: its hours by day. A day not given is closed.",
    "schedules.<name>.<days>": "A day (`mon` … `sun`), a span of days (`mon-fri`), or `holidays`.",
    "announcements": "Planned messages, said before the menu while in force.",
    "announcements.*.from": "When it starts being said.",
    "announcements.*.to": "When it stops being said.",
    "announcements.*.text": "What is said.",
    "start": "The node every call starts at.",
    "nodes": "The line's nodes by name, each one of the [node types](#node-types).",
    "say.text": "What is said.",
    "say.then": "The node to go on to; without it, the line hangs up.",
    "menu.prompt": "The question, naming each key.",
    "menu.options": "Each key the menu offers, and the node it leads to.",
    "menu.reprompt": "Said instead of `prompt` when the menu asks again after a silence or a "
                     "wrong key.",
    "menu.max_no_input": "Silences before the menu gives up.",
    "menu.max_invalid": "Wrong keys before the menu gives up (counted apart from silences).",
    "menu.no_input": "This menu's own words after a silence (default: `messages.no_input`).",
    "menu.invalid": "This menu's own words after a wrong key (default: `messages.invalid`).",
    "menu.goodbye": "This menu's own words when it gives up (default: `messages.goodbye`).",
    "menu.on_limit": "Where a call goes when the menu gives up, instead of its `goodbye` and "
                     "hanging up.",
    "route.routes": "The branches, tried in order.",
    "route.routes.*.when": "The schedule that must be open.",
    "route.routes.*.goto": "The node to go to.",
    "route.otherwise": "The node to go to when no branch's schedule is open.",
    "dial.numbers": "The numbers to ring, one after another, each for `timeout` seconds; "
                    "never an emergency number (say it, in a text, instead).",
    "dial.fallback": "Where the call goes when no number answers (busy, no answer, failed).",
    "dial.busy": "Where the call goes when the last number is busy, instead of `fallback`: "
                 "its words can say the line was busy.",
    "dial.say": "Said before the ringing starts.",
    "dial.then": "Where the call goes after an answered call ends; without it, the line "
                 "hangs up.",
    "hangup.text": "The last words, if any.",
    "recording.play": "The recording's http(s) address; Twilio fetches it.",
    "recording.text": "Its words, for `ivr-sim`'s transcript, the warnings and the estimate "
                      "of caller time.",
    "switch.state": "`closed`: every schedule of the line counts as closed, so callers get "
                    "its after-hours path; `open`: every one counts as open. A schedule "
                    "marked `switch: ignore` keeps its own hours.",
    "switch.until": "When the switch ends, by itself.",
    "switch.since": "When it was set (without it, when the file was written): a call at an "
                    "earlier moment (`ivr-sim --at`) is not affected.",
    "switch.say": "Said first on every call while the switch is in force.",
}


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def prose(text: str) -> str:
    """Text for Markdown: a TwiML verb outside code spans (<Say>) is shown as code, not read
    as HTML."""
    parts = text.split("`")
    return "`".join(p if i % 2 else re.sub(r"<(\w+)>", r"`<\1>`", p)
                    for i, p in enumerate(parts))


def cell(text: str) -> str:
    return prose(text.replace("|", "\\|"))


def docstring(thing: Any) -> str:
    """The first paragraph of a docstring on one line, ``code`` as Markdown writes it, and
    the module's constants it names (SAY_LIMIT) as their values."""
    text = " ".join((getattr(thing, "__doc__", None) or "").strip().split("\n\n")[0].split())
    module = sys.modules.get(getattr(thing, "__module__", ""), None)
    text = re.sub(r"\b[A-Z][A-Z_]{2,}\b", lambda m: (
        f"{getattr(module, m[0]):,}" if isinstance(getattr(module, m[0], None), int)
        else m[0]), text)
    return re.sub(r"``(.*?)``", r"`\1`", text)


def built(struct: Struct) -> str:
    """What the class a struct builds says of itself, if it builds a class."""
    return docstring(struct.build) if isinstance(struct.build, type) else ""


def title(path: str) -> str:
    """The heading of the section for the value at ``path`` (a list's items: the list's)."""
    return f"`{path.removesuffix('.*')}`"


def link(path: str) -> str:
    return f"[{title(path)}](#{slug(title(path))})"


def parser(spec: Spec) -> Any:
    """The function a plain value is parsed with (``str`` for any text)."""
    return getattr(spec, "parse", str)


def needs_section(spec: Spec) -> bool:
    """Whether a value is described in a section of its own rather than in its row."""
    return isinstance(spec, Struct) or (isinstance(spec, MapOf) and bool(
        spec.fixed or isinstance(spec.value, MapOf)))


def key_name(spec: MapOf) -> str:
    return f"<{getattr(spec.key, 'kind', None) or parser(spec.key).__name__}>"


def default(spec_field: Field) -> str:
    value = spec_field.default
    if spec_field.required:
        return "required"
    if value is None or value in ((), {}):
        return "optional"
    if dataclasses.is_dataclass(value):
        return "each key's default"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return ", ".join(f"`{item}`" for item in value)
    return f"`{value}`"


class Reference:
    """One walk of the spec tree, collecting the sections of the reference in order."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.shared: dict[int, str] = {id(spec): name for spec, name in SHARED}
        self.used: set[str] = set()

    def noted(self, path: str) -> str:
        self.used.add(path)
        return NOTES.get(path, "")

    def meaning(self, path: str, spec: Spec) -> str:
        """What the value at ``path`` means: the tree's words, or its parser's and a note."""
        if id(spec) in self.shared:
            return self.noted(path)
        if spec.description:
            if path in NOTES:
                raise ValueError(f"{path} is described by the format itself; remove its note")
            return spec.description
        if isinstance(spec, ListOf) and path not in NOTES:
            return self.meaning(path + ".*", spec.item)
        plain = parser(spec) is str or spec.json_schema().get("type") != "string"
        parsed = "" if plain else docstring(parser(spec))
        return " ".join(filter(None, [parsed, self.noted(path)]))

    def kind(self, spec: Spec, path: str) -> str:
        """The type of a value, linked to the section that describes it, if any."""
        if id(spec) in self.shared:
            return f"[{self.shared[id(spec)].lower()}](#{slug(self.shared[id(spec)])})"
        if isinstance(spec, Tagged):
            return "[a node](#node-types), its `type` one of " + ", ".join(
                f"[`{kind}`](#{slug(kind)})" for kind in spec.variants)
        if isinstance(spec, ListOf):
            item = (f"mappings ({link(path)})" if isinstance(spec.item, Struct)
                    else self.kind(spec.item, path + ".*"))
            text = f"list of {item}" + (f", at least {spec.min_items}" if spec.min_items else "")
            return text + ("; one alone needs no list" if spec.single else "")
        if needs_section(spec):
            return f"mapping ({link(path)})"
        if isinstance(spec, MapOf):
            keys = (f"{spec.key.kind} names" if isinstance(spec.key, Ref)
                    else f"keys `{spec.key_pattern}`")
            return (f"mapping of {keys} to {self.kind(spec.value, f'{path}.{key_name(spec)}')}"
                    + (f", at least {spec.min_items}" if spec.min_items else ""))
        if isinstance(spec, Ref):
            return f"{spec.kind} name"
        schema = spec.json_schema()
        if "enum" in schema:
            return "one of " + ", ".join(f"`{choice}`" for choice in schema["enum"])
        if schema.get("type") == "integer":
            return f"whole number, {schema['minimum']} to {schema['maximum']}"
        if schema.get("type") == "boolean":
            return "`true` or `false`"
        return f"text, as `{schema['pattern']}`" if "pattern" in schema else "text"

    def row(self, key: str, spec: Spec, path: str, default: str, more: str = "") -> str:
        return (f"| `{key}` | {cell(self.kind(spec, path))} | {default} | "
                f"{cell(' '.join(filter(None, [self.meaning(path, spec), more])))} |")

    def table(self, level: int, heading: str, intro: str, rows: list[str]) -> None:
        self.sections.append(
            f"{'#' * level} {heading}\n\n" + (f"{prose(intro)}\n\n" if intro else "")
            + "| key | type | required / default | meaning |\n| --- | --- | --- | --- |\n"
            + "\n".join(rows) + "\n")

    def struct(self, struct: Struct, path: str, heading: str, level: int, intro: str = "",
               tag: str = "") -> None:
        """A section for ``struct``, a row per key; then a section for each key holding more."""
        words = intro or struct.description or self.noted(path) or built(struct)
        rows = [f"| `type` | `{tag}` | required | Says which node type this is. |"] if tag else []
        keys = {name: (f"{path}.{name}".lstrip("."), spec_field)
                for name, spec_field in struct.fields.items()}
        rows += [self.row(name, f.spec, where, cell(default(f)))
                 for name, (where, f) in keys.items()]
        self.table(level, heading, words, rows)
        for where, spec_field in keys.values():
            self.nested(spec_field.spec, where, level + 1)

    def nested(self, spec: Spec, path: str, level: int) -> None:
        """The section of a value that holds more than its row can say."""
        if id(spec) in self.shared:
            return
        if isinstance(spec, ListOf) and isinstance(spec.item, Struct):
            words = spec.item.description or built(spec.item) or "A mapping."
            self.struct(spec.item, path + ".*", title(path), level,
                        intro=f"Each item: {words[0].lower()}{words[1:]}")
        elif isinstance(spec, Struct):
            self.struct(spec, path, title(path), level)
        elif isinstance(spec, MapOf) and needs_section(spec):
            inner = f"{path}.{key_name(spec)}"
            rows = [self.row(key, fixed, f"{path}.{key}", "optional")
                    for key, fixed in spec.fixed.items()]
            rows.append(self.row(key_name(spec), spec.value, inner, "any number",
                                 f"Keys: `{spec.key_pattern}`."))
            self.table(level, title(path), spec.description or self.noted(path), rows)
            self.nested(spec.value, inner, level + 1)

    def node_types(self, tagged: Tagged) -> None:
        self.sections.append("## Node types\n\nEach node says its type with `type`; the "
                             "other keys depend on it.\n")
        for kind, struct in tagged.variants.items():
            cls = getattr(nodes, f"{kind.capitalize()}Node", None)
            self.struct(struct, kind, kind, 3, intro=docstring(cls), tag=kind)

    def values(self) -> None:
        self.sections.append("## Values\n\nValues used under many keys.\n")
        for spec, name in SHARED:
            words = spec.description or docstring(parser(spec))
            if isinstance(spec, Speech):
                words += (f" A paragraph has at most {SAY_LIMIT:,} characters, a text at most "
                          f"{TEXT_LIMIT:,}; a paragraph may be a recording instead (below).")
            elif not isinstance(spec, Ref):
                saved, self.shared = self.shared, {}
                kind = self.kind(spec, "")
                self.shared = saved
                words = f"{kind[0].upper()}{kind[1:]}. {words}"
            self.sections.append(f"### {name}\n\n{prose(words)}\n")
            if isinstance(spec, Speech):
                self.struct(RECORDING, "recording", "Recording", 4, intro=(
                    f"{RECORDING.description} Its address has at most {URL_LIMIT:,} "
                    "characters; give `text`, `seconds` or both (the seconds stated win over "
                    "the estimate)."))


def reference() -> str:
    """docs/format.md: every key of a menu file and of a switch file, generated."""
    ref = Reference()
    ref.struct(FORMAT, "", "Top level", 2, intro=(
        f"{FORMAT.description} A menu file is `menus/<line>.yaml` (or `.yml`), at most "
        f"{folder.MAX_BYTES:,} bytes, nested at most {reader.MAX_DEPTH} levels, with at most "
        f"{reader.MAX_VALUES:,} values; YAML anchors and aliases are refused. A key not "
        "listed here is an error."))
    ref.node_types(NODES)
    ref.values()
    ref.struct(switchfile.SWITCH, "switch", "The switch file", 2, intro=(
        f"`menus/{switchfile.FOLDER}/<line>.yaml`, written by `ivr switch`; it ends at most "
        f"{switchfile.LONGEST.days} days after it was set."))
    stale = sorted(set(NOTES) - ref.used)
    if stale:
        raise ValueError(f"notes for keys the format no longer has: {stale}")
    head = ("# The menu file format\n\n"
            f"<!-- Generated by `{COMMAND}`: do not edit by hand. -->\n\n"
            "This page is generated from the format's own spec tree (`ivr/menufile/format.py`),"
            " the one that loads menu files, reports their mistakes and prints the JSON Schema "
            f"(`ivr schema`). Regenerate it with `{COMMAND}`. How to write a line, with "
            "examples: [For admins](admins.md).\n")
    return "\n".join([head, *ref.sections])


def main() -> None:
    sys.stdout.write(reference())


if __name__ == "__main__":
    main()
