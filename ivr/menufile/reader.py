"""Read a menu file into plain values that remember where they were written.

PyYAML's default loader resolves YAML 1.1 types, which turns an admin's ``8:00`` into 480,
``NO`` into False, ``+4619213606`` into an int without its plus and ``0701234567`` into an
octal number, and keeps only the last of two equal keys. Here nothing is resolved: every
scalar stays the exact text the admin wrote (``Scalar``, a ``str`` with a line and column),
the menu format decides what each one must be, and a repeated key is reported with both
lines. No file or YAML detail leaks past this module: callers get values and ``Problem``s.

A menu file is untrusted input. Only regular files are read, and no more than ``MAX_BYTES``
of them; the document is built from the parser's event stream without recursion, so nesting
deeper than ``MAX_DEPTH`` is refused instead of exhausting the stack, and anchors and aliases
(which menus have no use for, and which make "billion laughs" possible) are refused with
their line.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ivr.core.errors import Problem
from ivr.menufile.folder import MAX_BYTES, Unreadable, read_capped
from ivr.menufile.yamlerrors import explain

MAX_DEPTH = 40
"""Deepest nesting of mappings and lists accepted: a menu needs about six levels."""
MAX_VALUES = 150_000
"""Most keys, scalars, lists and mappings in one file: bounds load time and memory (a
5,000-node line has about 35,000)."""
_NULLS = {"", "~", "null", "Null", "NULL"}
_PARSER = getattr(getattr(yaml, "_yaml", None), "CParser", None)


class Scalar(str):
    """A scalar exactly as written, with its 1-based position in the file."""

    line: int
    column: int
    quoted: bool

    @property
    def is_null(self) -> bool:
        return not self.quoted and str(self) in _NULLS


class YamlMapping(dict):
    """A YAML mapping with string keys; ``key_at`` gives where each key was written."""

    line: int
    column: int
    key_at: dict[str, tuple[int, int]]


class YamlSequence(list):
    """A YAML sequence with its position."""

    line: int
    column: int


Value = Scalar | YamlMapping | YamlSequence


def load(path: Path, display: str, *, max_bytes: int = MAX_BYTES,
         ) -> tuple[Value | None, list[Problem]]:
    """Parse ``path``; return the document (None if unreadable) and the problems found."""
    try:
        data = read_capped(path, max_bytes)
    except Unreadable as exc:
        return None, [Problem(display, 1, 1, "", str(exc))]
    return parse(data, display)


def parse(data: bytes, display: str) -> tuple[Value | None, list[Problem]]:
    """Parse a menu file's bytes, already read (and capped); as ``load``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, 1, "", f"is not UTF-8 text ({exc.reason})")]
    problems: list[Problem] = []
    try:
        document = _Builder(display, problems).build(_events(text))
    except yaml.MarkedYAMLError as exc:
        line, column, message = explain(exc, text)
        return None, [Problem(display, line, column, "", message)]
    except yaml.reader.ReaderError as exc:
        return None, [_unacceptable(exc, text, display)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, "", f"YAML syntax: {exc}")]
    if document is None and not problems:
        return None, [Problem(display, 1, 1, "", "the file is empty")]
    return document, problems


def _unacceptable(exc: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML refuses (a NUL, a control character), at its line and column.

    The reader stops at the first such character, so its first occurrence is the place
    (libyaml counts the offset in bytes, PyYAML in characters: neither is a column).
    """
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    index = max(text.find(chr(code)), 0)
    line, start = text.count("\n", 0, index) + 1, text.rfind("\n", 0, index) + 1
    return Problem(display, line, index - start + 1, "",
                   f"YAML syntax: unacceptable character #x{code:04x}: control characters "
                   "are not allowed")


def _events(text: str):
    """The parser's events, from libyaml when PyYAML has it (several times faster)."""
    if _PARSER is None:
        yield from yaml.parse(text, Loader=yaml.BaseLoader)
        return
    parser = _PARSER(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()


def _where(event: yaml.Event) -> tuple[int, int]:
    """Line and column (from 1) where a parser event starts (the parser always marks it)."""
    mark = event.start_mark
    assert mark is not None
    return mark.line + 1, mark.column + 1


def _at(obj, event: yaml.Event):
    obj.line, obj.column = _where(event)
    return obj


class _Builder:
    """Turns parser events into Scalar/YamlMapping/YamlSequence with an explicit stack."""

    def __init__(self, display: str, problems: list[Problem]) -> None:
        self.display = display
        self.problems = problems
        self.stack: list[list] = []
        """Open containers: [container, its key path, pending key or None]."""
        self.skip_nodes = self.skip_depth = 0
        """Whole nodes still to skip (a bad key and its value), and depth inside one."""

    def problem(self, event: yaml.Event, key: str, message: str) -> None:
        self.problems.append(Problem(self.display, *_where(event), key, message))

    def build(self, events) -> Value | None:
        root, values = None, 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent) and root is not None:
                self.problem(event, "", "holds more than one YAML document; keep one")
                return None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                kind = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
                self.problem(event, self.path(), f"YAML {kind}{event.anchor} is not allowed "
                             "in menu files; write the value out where it is used")
                return None
            if isinstance(event, yaml.NodeEvent | yaml.CollectionEndEvent):
                values += isinstance(event, yaml.NodeEvent)
                if values > MAX_VALUES:
                    self.problem(event, self.path(), f"holds more than {MAX_VALUES:,} values; "
                                 "a menu needs far fewer")
                    return None
                value = self.feed(event)
                if value is not None and not self.stack:
                    root = value
                if len(self.stack) + self.skip_depth > MAX_DEPTH:
                    self.problem(event, self.path(), f"nested more than {MAX_DEPTH} levels "
                                 "deep; a menu needs far fewer")
                    return None
        return root

    def path(self) -> str:
        if not self.stack:
            return ""
        _, path, key = self.stack[-1]
        return f"{path}.{key}" if path and key is not None else (key or path)

    def feed(self, event: yaml.Event) -> Value | None:
        """Take one node event; return a finished top-level-ready value, else None."""
        if self.skip_nodes:
            if isinstance(event, yaml.CollectionStartEvent):
                self.skip_depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                self.skip_depth -= 1
            if not self.skip_depth:
                self.skip_nodes -= 1
            return None
        if isinstance(event, yaml.CollectionEndEvent):
            container = self.stack.pop()[0]
            return container if not self.stack else None
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent[0], YamlMapping) and parent[2] is None:
            self.key(parent, event)
            return None
        path = self.path() if parent is None or isinstance(parent[0], YamlMapping) else (
            f"{parent[1]}.{len(parent[0])}" if parent[1] else str(len(parent[0])))
        if isinstance(event, yaml.ScalarEvent):
            value = _at(Scalar(event.value), event)
            value.quoted = event.style not in (None, "")
        else:
            empty = YamlMapping() if isinstance(event, yaml.MappingStartEvent) else YamlSequence()
            value = _at(empty, event)
            if isinstance(value, YamlMapping):
                value.key_at = {}
        if parent is not None:
            if isinstance(parent[0], YamlMapping):
                parent[0][parent[2]] = value
                parent[2] = None
            else:
                parent[0].append(value)
        if isinstance(event, yaml.CollectionStartEvent):
            self.stack.append([value, path, None])
            return None
        return value if parent is None else None

    def key(self, parent: list, event: yaml.Event) -> None:
        """A mapping's next key: kept, or reported with its value skipped."""
        mapping, path = parent[0], parent[1]
        where = _where(event)
        if not isinstance(event, yaml.ScalarEvent):
            self.problem(event, path, "a key must be a plain word or number")
            self.skip_nodes = 2
            self.skip_depth = 1  # the key's collection, then its value
            return None
        key = event.value
        if key in mapping.key_at:
            first = mapping.key_at[key][0]
            self.problem(event, f"{path}.{key}" if path else key,
                         f"written twice (lines {first} and {where[0]}); YAML would keep only "
                         "the second, so remove or rename one")
            self.skip_nodes = 1
            return None
        mapping.key_at[key] = where
        parent[2] = key
        return None
