"""The YAML reader keeps what the admin wrote, and locates every value."""

import pytest

from ivr.menufile import reader
from ivr.menufile.reader import Scalar, YamlMapping, YamlSequence, load


@pytest.mark.parametrize(("written", "kept"), [
    pytest.param("8:00", "8:00", id="sexagesimal-time"),
    pytest.param("NO", "NO", id="norway-not-false"),
    pytest.param("+4619213606", "+4619213606", id="plus-kept"),
    pytest.param("0701234567", "0701234567", id="leading-zero-not-octal"),
    pytest.param("yes", "yes", id="yes-not-true"),
    pytest.param("1", "1", id="digit"),
])
def test_scalars_stay_as_written(tmp_path, written, kept):
    """YAML 1.1 would turn these into numbers or booleans; here they stay text."""
    path = tmp_path / "x.yaml"
    path.write_text(f"value: {written}\n{written}: key\n")
    document, problems = load(path, "x.yaml")
    assert problems == []
    assert document["value"] == kept and isinstance(document["value"], Scalar)
    assert kept in document


def test_positions_are_one_based(tmp_path):
    """Lines and columns count from 1, as editors show them."""
    path = tmp_path / "x.yaml"
    path.write_text("a:\n  b: [1, two]\n")
    document, _ = load(path, "x.yaml")
    assert isinstance(document, YamlMapping) and isinstance(document["a"]["b"], YamlSequence)
    assert (document["a"]["b"][1].line, document["a"]["b"][1].column) == (2, 10)


def test_duplicate_key_names_both_lines(tmp_path):
    """A key written twice is reported with both lines and the full path."""
    path = tmp_path / "x.yaml"
    path.write_text("nodes:\n  main: 1\n  other: 2\n  main: 3\n")
    _, problems = load(path, "menus/x.yaml")
    assert [str(p) for p in problems] == [
        "menus/x.yaml:4:3: error: nodes.main: written twice (lines 2 and 4); YAML would "
        "keep only the second, so remove or rename one"]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("a: [1, 2\n", "x.yaml:2:1: error: YAML syntax:", id="unclosed-list"),
    pytest.param("a:\n\tb: 1\n", "x.yaml:2:1: error: YAML syntax:", id="tab"),
    pytest.param("", "x.yaml:1:1: error: the file is empty", id="empty"),
])
def test_syntax_errors_are_located(tmp_path, text, expected):
    """Broken YAML is a located problem, not an exception."""
    path = tmp_path / "x.yaml"
    path.write_text(text)
    document, problems = load(path, "x.yaml")
    assert document is None
    assert str(problems[0]).startswith(expected)


def test_unreadable_bytes_are_a_problem(tmp_path):
    """A file that is not UTF-8 is reported, not raised."""
    path = tmp_path / "x.yaml"
    path.write_bytes(b"name: \xff\xfe\n")
    _, problems = load(path, "x.yaml")
    assert "is not UTF-8" in str(problems[0])


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_a_nul_byte_is_located_by_line_and_column(tmp_path, monkeypatch, parser):
    """A NUL is reported at its line and column on one line, without the parser's offset."""
    if parser == "pure-python":
        monkeypatch.setattr(reader, "_PARSER", None)
    path = tmp_path / "nul.yaml"
    path.write_text("name: Växel åäö\nnodes:\n  a: b\x00c\n", encoding="utf-8")
    _, problems = load(path, "nul.yaml")
    assert [str(p) for p in problems] == [
        "nul.yaml:3:7: error: YAML syntax: unacceptable character #x0000: "
        "control characters are not allowed"]
