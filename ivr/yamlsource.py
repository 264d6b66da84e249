"""Read a menu file into plain values that remember where they were written.

PyYAML's default loader resolves YAML 1.1 types, which turns an admin's ``8:00`` into 480,
``NO`` into False, ``+4619213606`` into an int without its plus and ``0701234567`` into an
octal number, and keeps only the last of two equal keys. Here nothing is resolved: every
scalar stays the exact text the admin wrote (``Scalar``, a ``str`` with a line and column),
the menu format decides what each one must be, and a repeated key is reported with both
lines. No file or YAML detail leaks past this module: callers get values and ``Problem``s.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ivr.errors import Problem
from ivr.yamlerrors import explain

_NULLS = {"", "~", "null", "Null", "NULL"}


class _Loader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):
    """libyaml's parser when PyYAML has it (several times faster on large menus).

    Tags are never resolved (every scalar is a string here), so resolving is skipped too.
    """

    _TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
             yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind, value, implicit):
        return self._TAGS[kind]


class Scalar(str):
    """A scalar exactly as written, with its 1-based position in the file."""

    line: int
    column: int
    quoted: bool

    @property
    def is_null(self) -> bool:
        return not self.quoted and str(self) in _NULLS


class Mapping(dict):
    """A YAML mapping with string keys; ``key_at`` gives where each key was written."""

    line: int
    column: int
    key_at: dict[str, tuple[int, int]]


class Sequence(list):
    """A YAML sequence with its position."""

    line: int
    column: int


Value = Scalar | Mapping | Sequence


def _at(obj, node: yaml.Node):
    obj.line = node.start_mark.line + 1
    obj.column = node.start_mark.column + 1
    return obj


def load(path: Path, display: str) -> tuple[Value | None, list[Problem]]:
    """Parse ``path``; return the document (None if unreadable) and the problems found."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display, 1, 1, "", f"is not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(display, 1, 1, "", f"cannot be read: {exc.strerror or exc}")]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, column, message = explain(exc, text)
        return None, [Problem(display, line, column, "", message)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, "", f"YAML syntax: {exc}")]
    if node is None:
        return None, [Problem(display, 1, 1, "", "the file is empty")]
    problems: list[Problem] = []
    return _convert(node, display, problems, ""), problems


def _convert(node: yaml.Node, display: str, problems: list[Problem], path: str) -> Value:
    if isinstance(node, yaml.ScalarNode):
        scalar = _at(Scalar(node.value), node)
        scalar.quoted = node.style is not None
        return scalar
    if isinstance(node, yaml.SequenceNode):
        items = (
            _convert(item, display, problems, f"{path}.{i}" if path else str(i))
            for i, item in enumerate(node.value)
        )
        return _at(Sequence(items), node)
    mapping = _at(Mapping(), node)
    mapping.key_at = {}
    for key_node, value_node in node.value:
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(display, *where, path, "a key must be a plain word or number"))
            continue
        key = key_node.value
        key_path = f"{path}.{key}" if path else key
        if key in mapping.key_at:
            first = mapping.key_at[key][0]
            problems.append(Problem(
                display, *where, key_path,
                f"written twice (lines {first} and {where[0]}); YAML would keep only the "
                "second, so remove or rename one",
            ))
            continue
        mapping.key_at[key] = where
        mapping[key] = _convert(value_node, display, problems, key_path)
    return mapping
