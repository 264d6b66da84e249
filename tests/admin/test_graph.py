"""``ivr graph``: the call flow with digits, silence and wrong-key paths, hours and fallbacks."""

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import FIRST_KINDS, MENUS, ROOT

from ivr.admin.commands import main
from ivr.menufile.format import load_line
from ivr.views.graph import END, dot, edges, hours_text, mermaid

KOMMUNSUPPORT = load_line(MENUS / "orebro-kommunsupport.yaml")


def test_mermaid_has_digits_limits_hours_and_fallbacks():
    """Edges carry keys, the three-strikes paths, schedule hours and dial outcomes."""
    text = mermaid(KOMMUNSUPPORT)
    assert text.startswith("flowchart TD\n")
    for label in ('"key 3"', '"key *"', '"silence ×3"', '"wrong key ×3"', '"otherwise"',
                  '"line-open: mon-thu 07:00-17:00, fri 07:00-16:30"',
                  '"tes-desk: mon-fri 08:00-12:00 13:00-16:30"',
                  '"busy / no answer / failed"', '"answered"'):
        assert label in text


def test_dot_names_every_node_and_edge():
    """The DOT output has every node and as many edges as the Mermaid one."""
    text = dot(KOMMUNSUPPORT)
    assert text.startswith('digraph "orebro-kommunsupport" {') and text.endswith("}\n")
    for name in KOMMUNSUPPORT.nodes:
        assert f'"{name}" [shape=' in text
    assert text.count(" -> ") == len(edges(KOMMUNSUPPORT)) + 1


def test_hours_text_joins_equal_days():
    """Consecutive days with equal hours read as one span."""
    line = load_line(MENUS / "brukarstotte.yaml")
    assert hours_text(line.schedules["on-call"]) == (
        "mon-fri 00:00-08:00 15:30-24:00, sat-sun 00:00-24:00, holidays 00:00-24:00")


@pytest.mark.parametrize("form", ["mermaid", "dot"])
def test_graph_command(form):
    """ivr graph LINE --format F prints the diagram."""
    result = CliRunner().invoke(main, ["graph", "--menus", str(MENUS), "--format", form,
                                       "orebro-carelock"])
    assert result.exit_code == 0 and "locksmith" in result.output


def test_graph_of_unknown_line_names_the_lines():
    """An unknown line exits 2 and lists the lines there are."""
    result = CliRunner().invoke(main, ["graph", "--menus", str(MENUS), "nope"])
    assert result.exit_code == 2 and "orebro-carelock" in result.output


def test_readme_diagrams_are_current():
    """docs/admins.md shows each shipped line's diagram exactly as ivr graph draws it."""
    admins = (ROOT / "docs" / "admins.md").read_text(encoding="utf-8")
    shown = re.findall(r"```mermaid\n(.*?)```", admins, flags=re.S)
    expected = [mermaid(load_line(path)) for path in sorted(MENUS.glob("*.yaml"))]
    assert shown == expected


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("path", sorted(MENUS.glob("*.yaml")), ids=lambda p: p.stem)
def test_graphviz_renders_the_dot_output(path):
    """dot -Tsvg turns every shipped line's DOT output into a picture."""
    result = subprocess.run(["dot", "-Tsvg"], input=dot(load_line(path)), capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("<?xml")


def test_dot_edge_labels_use_the_nodes_font():
    """ivr graph --format dot sets the edge labels' font to the nodes' font, not Times."""
    from click.testing import CliRunner

    from ivr.admin.commands import main

    result = CliRunner().invoke(main, ["graph", "--menus", str(MENUS), "--format", "dot",
                                       "orebro-kommunsupport"])
    assert result.exit_code == 0
    fonts = dict(re.findall(r"^\s*(node|edge) \[fontname=([^\]]+)\];", result.output, re.M))
    assert fonts["edge"] == fonts["node"] == "Helvetica"
    if shutil.which("dot"):
        import xml.etree.ElementTree as ET

        svg = subprocess.run(["dot", "-Tsvg"], input=result.output, capture_output=True,
                             text=True, check=True).stdout
        families = {text.get("font-family") for text in ET.fromstring(svg).iter(
            "{http://www.w3.org/2000/svg}text")}
        assert len(families) == 1 and "Times" not in families.pop()


def test_edges_of_a_small_line_exactly(write_menu):
    """Every exit of every node is one edge (from, to, label), END for hanging up (on the
    first five node types alone, so a new type does not change these edges)."""
    line = load_line(write_menu(FIRST_KINDS))
    assert edges(line) == [
        ("welcome", "hours", ""),
        ("hours", "main", "office: mon-fri 08:00-17:00"),
        ("hours", "closed", "otherwise"),
        ("main", "desk", "key 1"),
        ("main", END, "silence ×2"),
        ("main", END, "wrong key ×3"),
        ("desk", END, "answered"),
        ("desk", "closed", "busy / no answer / failed"),
        ("closed", END, ""),
    ]


def test_skippable_speech_is_marked_in_the_graph():
    """The checks show that a key cuts them short; the closed notice, which every caller
    must hear, does not."""
    text = mermaid(KOMMUNSUPPORT)
    marked = re.findall(r'\["([\w-]+)<br/><i>say, skippable', text)
    assert marked == ["checks"]


def test_mermaid_labels_escape_quotes_and_markup(write_menu):
    """A name with " < > & is written with Mermaid's entity codes, never breaking the quotes."""
    text = FIRST_KINDS.replace("name: Every kind", 'name: \'Kund "A" <&> B\'')
    assert 'Kund "A"' in text
    picture = mermaid(load_line(write_menu(text)))
    first = picture.splitlines()[1]
    assert first.startswith('  call(("Kund #quot;A#quot; #lt;#amp;#gt; B"))')
    for row in picture.splitlines()[1:]:
        assert row.count('"') % 2 == 0 and "\\" not in row
