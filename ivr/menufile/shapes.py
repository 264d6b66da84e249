"""The specs that hold other specs: lists, mappings, structs with known keys, and tagged
unions (one struct per ``type``). Each reports every problem inside it, with its path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ivr.menufile.reader import Scalar, YamlMapping, YamlSequence
from ivr.menufile.spec import INVALID, Plain, Spec, join_path, kind_of, one_of, suggest


class ListOf(Spec):
    """A sequence; with ``single=True`` a lone value counts as a list of one."""

    def __init__(self, item: Spec, *, min_items: int = 0, single: bool = False,
                 description: str = "") -> None:
        self.item = item
        self.min_items = min_items
        self.single = single
        self.description = description

    def convert(self, value, ctx, path):
        if self.single and isinstance(value, Scalar) and not value.is_null:
            item = self.item.convert(value, ctx, path)
            return INVALID if item is INVALID else (item,)
        if isinstance(value, Scalar) and value.is_null:
            value = _located(YamlSequence(), value)
        if not isinstance(value, YamlSequence):
            ctx.report(value, path, f"must be a list, not a {kind_of(value)}")
            return INVALID
        if len(value) < self.min_items:
            ctx.report(value, path, f"needs at least {self.min_items} item(s)")
            return INVALID
        items = [self.item.convert(v, ctx, join_path(path, i)) for i, v in enumerate(value)]
        return INVALID if INVALID in items else tuple(items)

    def json_schema(self):
        array = {"type": "array", "items": self.item.json_schema(), "minItems": self.min_items}
        schema = {"anyOf": [self.item.json_schema(), array]} if self.single else array
        return {**schema, **({"description": self.description} if self.description else {})}


class MapOf(Spec):
    """A mapping whose keys all follow ``key`` and whose values all follow ``value``; the
    ``fixed`` keys, if any, are not such keys but settings with a spec of their own."""

    def __init__(self, key: Plain, value: Spec, *, key_pattern: str = ".*", min_items: int = 0,
                 description: str = "", fixed: dict[str, Spec] | None = None) -> None:
        self.key = key
        self.value = value
        self.key_pattern = key_pattern
        self.min_items = min_items
        self.description = description
        self.fixed = fixed or {}

    def convert(self, value, ctx, path):
        if isinstance(value, Scalar) and value.is_null:
            value = _located(YamlMapping(), value)
            value.key_at = {}
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {kind_of(value)}")
            return INVALID
        if len(value) < self.min_items:
            ctx.report(value, path, f"needs at least {self.min_items} entry")
            return INVALID
        out, ok = {}, True
        for raw_key, raw_value in value.items():
            if raw_key in self.fixed:
                out[raw_key] = self.fixed[raw_key].convert(raw_value, ctx, join_path(path, raw_key))
                ok = ok and out[raw_key] is not INVALID
                continue
            key = self.key.convert(_key_scalar(value, raw_key), ctx, join_path(path, raw_key))
            converted = self.value.convert(raw_value, ctx, join_path(path, raw_key))
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
            **({"properties": {k: spec.json_schema() for k, spec in self.fixed.items()}}
               if self.fixed else {}),
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
        self.fields = fields
        self.build = build
        self.description = description

    def convert(self, value, ctx, path, *, skip: tuple[str, ...] = ()):
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {kind_of(value)}")
            return INVALID
        ok = True
        for key in value:
            if key not in self.fields and key not in skip:
                allowed = sorted(self.fields)
                ctx.report(_key_scalar(value, key), join_path(path, key),
                           f"unknown key{suggest(key, allowed)}; allowed keys are {allowed}")
                ok = False
        values = {}
        for name, spec_field in self.fields.items():
            if name not in value or (isinstance(value[name], Scalar) and value[name].is_null
                                     and not spec_field.required):
                if spec_field.required:
                    ctx.report(value, join_path(path, name), "is missing")
                    ok = False
                values[name] = spec_field.default
                continue
            values[name] = spec_field.spec.convert(value[name], ctx, join_path(path, name))
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
        self.variants = variants
        self.tag = tag

    def convert(self, value, ctx, path):
        if not isinstance(value, YamlMapping):
            ctx.report(value, path, f"must be a mapping of keys to values, not a {kind_of(value)}")
            return INVALID
        kinds = sorted(self.variants)
        if self.tag not in value:
            ctx.report(value, join_path(path, self.tag), f"is missing; say which kind: {kinds}")
            return INVALID
        kind = one_of(kinds).convert(value[self.tag], ctx, join_path(path, self.tag))
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


def _located(obj, where):
    obj.line, obj.column = where.line, where.column
    return obj


def _key_scalar(mapping: YamlMapping, key: str) -> Scalar:
    scalar = Scalar(key)
    scalar.line, scalar.column = mapping.key_at.get(key, (mapping.line, mapping.column))
    scalar.quoted = True
    return scalar
