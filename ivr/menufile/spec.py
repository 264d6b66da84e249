"""Declarative checkers that turn located YAML values into typed values, or into problems.

A menu format is written once as a tree of these specs (``ivr.menufile.format``; the
specs that hold other specs are ``shapes``); the same tree
converts a file, reports every mistake with its path and position, and describes itself as
JSON Schema for editors, so the format can never have two diverging descriptions. Nothing
here knows about phone lines: it is the small validation toolkit the menu format is built on.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ivr.core.errors import Problem
from ivr.menufile.reader import Scalar, YamlMapping, YamlSequence

INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()
"""Returned by a spec whose value was wrong; the problem has already been reported."""


def suggest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass(frozen=True)
class Reference:
    """A name written in the file that must exist elsewhere in it (a node, a schedule)."""

    kind: str
    name: str
    path: str
    line: int
    column: int


@dataclass
class Context:
    """What one conversion collects: the problems, and the references to check afterwards."""

    file: str
    region: str | None = None
    """The line's country (from its language), for hints about phone numbers."""
    problems: list[Problem] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    recordings: dict[str, tuple[Any, str]] = field(default_factory=dict)
    """Each recording's address → (the recording, where it was first read): one address
    plays one thing, so its words and seconds must agree wherever it is used."""

    def report(self, where: Any, path: str, message: str, severity: str = "error") -> None:
        line, column = getattr(where, "line", 1), getattr(where, "column", 1)
        self.problems.append(Problem(self.file, line, column, path, message, severity))


def join_path(path: str, key: object) -> str:
    """The path of ``key`` inside ``path``: 'nodes.main.options'."""
    return f"{path}.{key}" if path else str(key)


class Spec:
    """Converts one located value; reports into the context and returns INVALID on error."""

    description = ""

    def convert(self, value: Any, ctx: Context, path: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


class Plain(Spec):
    """Any non-empty string, passed to ``parse`` (which raises ValueError with advice).

    A ``regional`` parser also gets the line's country, for hints about phone numbers.
    """

    def __init__(self, parse: Callable[..., Any] = str, *, schema: dict | None = None,
                 description: str = "", regional: bool = False) -> None:
        self.parse = parse
        self.regional = regional
        self.schema = schema or {"type": "string"}
        self.description = description

    def convert(self, value, ctx, path):
        if not isinstance(value, Scalar):
            ctx.report(value, path, f"must be a single value, not a {kind_of(value)}")
            return INVALID
        if value.is_null or not value.strip():
            ctx.report(value, path, "is empty; write a value or remove the key")
            return INVALID
        try:
            if self.regional:
                return self.parse(str(value), ctx.region)
            return self.parse(str(value))
        except ValueError as exc:
            ctx.report(value, path, str(exc))
            return INVALID

    def json_schema(self):
        return {**self.schema, **({"description": self.description} if self.description else {})}


def integer(low: int, high: int, description: str = "") -> Plain:
    """A whole number between low and high, inclusive."""

    def parse(text: str) -> int:
        try:
            number = int(text, 10)
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is out of range; use {low} to {high}")
        return number

    schema = {"type": "integer", "minimum": low, "maximum": high}
    return Plain(parse, schema=schema, description=description)


def one_of(choices: list[str], description: str = "") -> Plain:
    """One word out of a fixed list."""

    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(
                f"'{text}' is not allowed{suggest(text, choices)}; allowed are "
                f"{', '.join(choices)}")
        return text

    return Plain(parse, schema={"enum": list(choices)}, description=description)


class Ref(Plain):
    """The name of something defined elsewhere in the file; checked once all is read."""

    def __init__(self, kind: str, description: str = "") -> None:
        super().__init__(description=description)
        self.kind = kind

    def convert(self, value, ctx, path):
        name = super().convert(value, ctx, path)
        if name is not INVALID:
            ctx.references.append(Reference(self.kind, name, path, value.line, value.column))
        return name


def kind_of(value: Any) -> str:
    """How an error names what was written instead: a mapping, a list, a single value."""
    if isinstance(value, YamlMapping):
        return "mapping"
    if isinstance(value, YamlSequence):
        return "list"
    return "single value"
