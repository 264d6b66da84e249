"""Declarative checkers that turn located YAML values into typed values, or into problems.

A menu format is written once as a tree of these specs (``ivr.menufile``); the same tree
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
from ivr.menufile.reader import Mapping as YamlMapping
from ivr.menufile.reader import Scalar
from ivr.menufile.reader import Sequence as YamlSequence

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

    def report(self, where: Any, path: str, message: str, severity: str = "error") -> None:
        line, column = getattr(where, "line", 1), getattr(where, "column", 1)
        self.problems.append(Problem(self.file, line, column, path, message, severity))


def _join(path: str, key: object) -> str:
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
        self.parse, self.regional = parse, regional
        self.schema = schema or {"type": "string"}
        self.description = description

    def convert(self, value, ctx, path):
        if not isinstance(value, Scalar):
            ctx.report(value, path, f"must be a single value, not a {_kind(value)}")
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
                f"'{text}' is not allowed{suggest(text, choices)}; allowed are {choices}")
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


class ListOf(Spec):
    """A sequence; with ``single=True`` a lone value counts as a list of one."""

    def __init__(self, item: Spec, *, min_items: int = 0, single: bool = False,
                 description: str = "") -> None:
        self.item, self.min_items, self.single = item, min_items, single
        self.description = description

    def convert(self, value, ctx, path):
        if self.single and isinstance(value, Scalar) and not value.is_null:
            item = self.item.convert(value, ctx, path)
            return INVALID if item is INVALID else (item,)
        if isinstance(value, Scalar) and value.is_null:
            value = _located(YamlSequence(), value)
        if not isinstance(value, YamlSequence):
            ctx.report(value, path, f"must be a list, not a {_kind(value)}")
            return INVALID
        if len(value) < self.min_items:
            ctx.report(value, path, f"needs at least {self.min_items} item(s)")
            return INVALID
        items = [self.item.convert(v, ctx, _join(path, i)) for i, v in enumerate(value)]
        return INVALID if INVALID in items else tuple(items)

    def json_schema(self):
        array = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        schema = {"anyOf": [self.item.json_schema(), array]} if self.single else array
        return {**schema, **({"description": self.description} if self.description else {})}


class MapOf(Spec):
    """A mapping whose keys all follow ``key`` and whose values all follow ``value``."""

    def __init__(self, key: Plain, value: Spec, *, key_pattern: str = ".*", min_items: int = 0,
                 description: str = "") -> None:
        self.key, self.value, self.key_pattern = key, value, key_pattern
        self.min_items, self.description = min_items, description

    def convert(self, value, ctx, path):
        if isinstance(value, Scalar) and value.is_null:
            value = _located(YamlMapping(), value)
            value.key_at = {}
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {_kind(value)}")
            return INVALID
        if len(value) < self.min_items:
            ctx.report(value, path, f"needs at least {self.min_items} entry")
            return INVALID
        out, ok = {}, True
        for raw_key, raw_value in value.items():
            key = self.key.convert(_key_scalar(value, raw_key), ctx, _join(path, raw_key))
            converted = self.value.convert(raw_value, ctx, _join(path, raw_key))
            if key is INVALID or converted is INVALID:
                ok = False
            else:
                out[key] = converted
        return out if ok else INVALID

    def json_schema(self):
        return {
            "type": "object",
            "propertyNames": {"pattern": self.key_pattern},
            "minProperties": self.min_items,
            "additionalProperties": self.value.json_schema(),
            **({"description": self.description} if self.description else {}),
        }


@dataclass(frozen=True)
class Field:
    """One key of a Struct: its spec, whether it must be there, and its default."""

    spec: Spec
    required: bool = False
    default: Any = None


class Struct(Spec):
    """A mapping with known keys, built into a value by ``build(**fields)``."""

    def __init__(self, fields: dict[str, Field], build: Callable[..., Any] = dict, *,
                 description: str = "") -> None:
        self.fields, self.build, self.description = fields, build, description

    def convert(self, value, ctx, path, *, skip: tuple[str, ...] = ()):
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {_kind(value)}")
            return INVALID
        ok = True
        for key in value:
            if key not in self.fields and key not in skip:
                allowed = sorted(self.fields)
                ctx.report(_key_scalar(value, key), _join(path, key),
                           f"unknown key{suggest(key, allowed)}; allowed keys are {allowed}")
                ok = False
        values = {}
        for name, spec_field in self.fields.items():
            if name not in value or (isinstance(value[name], Scalar) and value[name].is_null
                                     and not spec_field.required):
                if spec_field.required:
                    ctx.report(value, _join(path, name), "is missing")
                    ok = False
                values[name] = spec_field.default
                continue
            values[name] = spec_field.spec.convert(value[name], ctx, _join(path, name))
            ok = ok and values[name] is not INVALID
        return self.build(**values) if ok else INVALID

    def json_schema(self):
        return {
            "type": "object",
            "properties": {name: f.spec.json_schema() for name, f in self.fields.items()},
            "required": [name for name, f in self.fields.items() if f.required],
            "additionalProperties": False,
            **({"description": self.description} if self.description else {}),
        }


class Tagged(Spec):
    """A mapping whose ``type`` key chooses which Struct describes the rest."""

    def __init__(self, variants: dict[str, Struct], *, tag: str = "type") -> None:
        self.variants, self.tag = variants, tag

    def convert(self, value, ctx, path):
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {_kind(value)}")
            return INVALID
        kinds = sorted(self.variants)
        if self.tag not in value:
            ctx.report(value, _join(path, self.tag), f"is missing; say which kind: {kinds}")
            return INVALID
        kind = one_of(kinds).convert(value[self.tag], ctx, _join(path, self.tag))
        if kind is INVALID:
            return INVALID
        return self.variants[kind].convert(value, ctx, path, skip=(self.tag,))

    def json_schema(self):
        variants = []
        for kind, struct in self.variants.items():
            schema = struct.json_schema()
            schema["properties"] = {self.tag: {"const": kind}, **schema["properties"]}
            schema["required"] = [self.tag, *schema["required"]]
            variants.append(schema)
        return {"type": "object", "oneOf": variants}


def _kind(value: Any) -> str:
    if isinstance(value, YamlMapping):
        return "mapping"
    if isinstance(value, YamlSequence):
        return "list"
    return "single value"


def _located(obj, where):
    obj.line, obj.column = where.line, where.column
    return obj


def _key_scalar(mapping: YamlMapping, key: str) -> Scalar:
    scalar = Scalar(key)
    scalar.line, scalar.column = mapping.key_at.get(key, (mapping.line, mapping.column))
    scalar.quoted = True
    return scalar

