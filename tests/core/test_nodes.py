"""Every node type is known everywhere: the format, exits, the engine, the graph; every
engine action is rendered as TwiML. A new type or action missing from any of them fails here."""

import dataclasses
import typing
import xml.etree.ElementTree as ET

import pytest
from conftest import EVERY_KIND, utc

from ivr.admin.graph import edges
from ivr.core.engine import Action, Ask, Connect, End, Speak, Start, Turn, step
from ivr.core.nodes import Node, ends_here, exits, instant_successors, successors
from ivr.core.state import State
from ivr.menufile.format import load_line
from ivr.server.twiml import render

NODE_TYPES = typing.get_args(Node)
NOW = utc("2026-11-24T09:00Z")  # a Tuesday, 10:00 in Stockholm: the office is open


@pytest.fixture
def line(write_menu):
    return load_line(write_menu(EVERY_KIND))


def named(line, node_type) -> str:
    return next(name for name, node in line.nodes.items() if type(node) is node_type)


def test_the_format_builds_every_node_type(line):
    """The sample line, written in the menu format, has a node of each type in ``Node``."""
    assert {type(node) for node in line.nodes.values()} == set(NODE_TYPES)


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
    assert set(ACTIONS) == set(typing.get_args(Action)) == set(VERBS)


@pytest.mark.parametrize("kind", list(ACTIONS), ids=lambda t: t.__name__)
def test_twiml_renders_every_action(kind):
    """Each engine action becomes its own TwiML verb, never nothing."""
    xml = render(Turn((ACTIONS[kind],), "main"), line_id="line", voice="Polly.Astrid",
                 language="sv-SE")
    assert ET.fromstring(xml)[0].tag == VERBS[kind]
