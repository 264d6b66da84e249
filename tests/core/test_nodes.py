"""Every node type is known everywhere: the format, exits, the engine, the graph, the manual;
every engine action is rendered as TwiML and timed. A new type or action missing from any of
them fails here, with a message naming what to add (ARCHITECTURE.md, "Adding a node type")."""

import ast
import dataclasses
import typing
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import EVERY_KIND, MENUS, ROOT, utc

from ivr.core.engine import Action, Ask, Connect, End, Speak, Start, Turn, step
from ivr.core.errors import IvrError, MenuError
from ivr.core.nodes import Node, ends_here, exits, instant_successors, successors, texts
from ivr.core.state import State
from ivr.menufile.format import NODES, load_line
from ivr.server.twiml import render
from ivr.views.graph import edges

NODE_TYPES = typing.get_args(Node)
NOW = utc("2026-11-24T09:00Z")  # a Tuesday, 10:00 in Stockholm: the office is open


@pytest.fixture
def line(write_menu):
    try:
        return load_line(write_menu(EVERY_KIND))
    except MenuError as exc:
        pytest.fail(f"EVERY_KIND in tests/conftest.py does not load: {exc}\n(an 'Expected "
                    "code to be unreachable' there is a node type without its arm in a match: "
                    "test_every_match_has_an_arm_for_each_type names it)", pytrace=False)


def named(line, node_type) -> str:
    found = [name for name, node in line.nodes.items() if type(node) is node_type]
    if not found:
        pytest.fail(f"EVERY_KIND in tests/conftest.py has no {node_type.__name__} node "
                    "(add one to NEWER_KINDS there)",
                    pytrace=False)
    return found[0]


def test_the_format_builds_every_node_type(line):
    """The sample line, written in the menu format, has a node of each type in ``Node``."""
    missing = set(NODE_TYPES) - {type(node) for node in line.nodes.values()}
    assert not missing, (f"EVERY_KIND in tests/conftest.py has no node of type "
                         f"{sorted(t.__name__ for t in missing)}: add one to NEWER_KINDS there, "
                         "each of its exits leading to a node of the line")


MATCHES = [pytest.param(Path(path), function, union, id=f"{path}:{function}")
           for path, function, union in [("ivr/core/nodes.py", "exits", Node),
                                         ("ivr/core/nodes.py", "texts", Node),
                                         ("ivr/core/engine.py", "enter", Node),
                                         ("ivr/core/engine.py", "_speech", Action),
                                         ("ivr/server/twiml.py", "render", Action),
                                         ("ivr/core/calltime.py", "_said", Action)]]
"""Each exhaustive match over node types or engine actions: where a new one needs its arm."""


def case_classes(path: Path, function: str) -> set[str]:
    """The class names in the ``case`` patterns of ``function``'s match statements."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    body = next(node for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name == function)
    return {pattern.cls.id for pattern in ast.walk(body)
            if isinstance(pattern, ast.MatchClass) and isinstance(pattern.cls, ast.Name)}


@pytest.mark.parametrize(("path", "function", "union"), MATCHES)
def test_every_match_has_an_arm_for_each_type(path, function, union):
    """Each match over Node or Action names every type of the union in a case of its own."""
    missing = [t.__name__ for t in typing.get_args(union)
               if t.__name__ not in case_classes(path, function)]
    assert not missing, "; ".join(f"{path}: {function}() has no `case {name}():` arm"
                                  for name in missing)


def test_the_manual_lists_every_node_type():
    """docs/format.md has a section for each type the menu format accepts."""
    listed = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    missing = [kind for kind in NODES.variants if f"\n### {kind}\n" not in listed]
    assert not missing, (f"docs/format.md lacks {missing}: run "
                         "`python -m ivr.menufile.reference > docs/format.md`")


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.__name__)
def test_exits_know_every_node_type(line, node_type):
    """exits() gives every node at least one way out, to a node of the line or the end."""
    node = line.nodes[named(line, node_type)]
    ways = exits(node)
    assert ways and all(way.target is None or way.target in line.nodes for way in ways)
    assert set(successors(node)) == {way.target for way in ways if way.target}
    assert set(instant_successors(node)) <= set(successors(node))
    assert ends_here(node) == any(way.target is None for way in ways)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.__name__)
def test_the_engine_enters_every_node_type(line, node_type):
    """A call starting at a node of each type gets a turn that ends in Ask, Connect or End."""
    started = dataclasses.replace(line, start=named(line, node_type))
    turn = step(started, None, Start(), NOW)
    assert isinstance(turn.actions[-1], Ask | Connect | End)


@pytest.mark.parametrize("node_type", NODE_TYPES, ids=lambda t: t.__name__)
def test_the_graph_draws_every_node_type(line, node_type):
    """The graph has an edge leaving a node of each type."""
    name = named(line, node_type)
    assert any(source == name for source, _, _ in edges(line))


ACTIONS = {Speak: Speak("Hej."), Ask: Ask((Speak("Tryck 1."),), 5, State("main")),
           Connect: Connect("+4619213606", 20, State("desk")), End: End()}
VERBS = {Speak: "Say", Ask: "Gather", Connect: "Dial", End: "Hangup"}


def test_every_action_has_a_sample():
    """The TwiML test below covers every action the engine can give."""
    for table in ("ACTIONS", "VERBS"):
        missing = set(typing.get_args(Action)) - set(globals()[table])
        assert not missing, (f"{table} in tests/core/test_nodes.py has no entry for "
                             f"{sorted(t.__name__ for t in missing)}")
    assert set(ACTIONS) == set(typing.get_args(Action)) == set(VERBS)


@pytest.mark.parametrize("kind", list(ACTIONS), ids=lambda t: t.__name__)
def test_twiml_renders_every_action(kind):
    """Each engine action becomes its own TwiML verb, never nothing."""
    xml = render(Turn((ACTIONS[kind],), "main"), line_id="line", voice="Polly.Astrid",
                 language="sv-SE")
    assert ET.fromstring(xml)[0].tag == VERBS[kind]


@pytest.mark.parametrize("node_type", NODE_TYPES)
def test_texts_give_every_word_a_node_type_can_say(line, node_type):
    """texts() names each field of a node that holds words, and only those: every Text-typed
    field of the dataclass with a value is there, under its own name."""
    node = next(n for n in line.nodes.values() if isinstance(n, node_type))
    worded = {f.name for f in dataclasses.fields(node) if "Text" in str(f.type)
              and getattr(node, f.name) is not None}
    assert set(texts(node)) == worded
    assert all(texts(node)[name] == getattr(node, name) for name in worded)


def test_a_menu_that_would_wait_while_doing_more_than_speaking_is_a_bug_said():
    """Only speech may sit in a menu's wait for a key; anything else is refused by name."""
    from ivr.core.engine import _Call

    call = _Call(load_line(MENUS / "orebro-carelock.yaml"), utc("2026-11-24T09:00Z"))
    assert list(call._speech([Speak("Hej.")], "main")) == [Speak("Hej.")]
    with pytest.raises(IvrError, match="menu 'main' would wait for a key while doing End"):
        list(call._speech([Speak("Hej."), End()], "main"))
