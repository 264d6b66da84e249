"""Imports point one way: the core knows no web, only twiml knows TwiML, the sim no engine."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ivr"
CORE = ["errors", "yamlsource", "yamlerrors", "spec", "fields", "voices", "hours", "spoken",
        "model", "phonecheck", "linecheck", "menufile", "engine", "overview"]


def imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("module", CORE)
def test_core_imports_neither_flask_nor_twilio(module):
    """Model, hours and engine stay pure: no Flask, no werkzeug, no twilio."""
    bad = {name for name in imports(module)
           if name.split(".")[0] in ("flask", "werkzeug", "twilio", "gunicorn", "click")}
    assert not bad


def test_only_twiml_builds_twiml():
    """twilio.twiml is imported by ivr.twiml alone."""
    users = {path.stem for path in PACKAGE.glob("*.py")
             if any(name.startswith("twilio.twiml") for name in imports(path.stem))}
    assert users == {"twiml"}


@pytest.mark.parametrize("module", ["sim", "sim_cli", "sim_terminal", "explore_cli"])
def test_simulator_never_imports_the_engine(module):
    """The simulator reaches the server only over HTTP/WSGI, like Twilio."""
    assert not {name for name in imports(module) if name in ("ivr.engine", "ivr.twiml")}


def test_engine_never_reads_the_clock():
    """The engine takes 'now' as an argument: no datetime.now, time.time or date.today."""
    source = (PACKAGE / "engine.py").read_text()
    for call in ("now(", "today(", "time.time", "utcnow"):
        assert call not in source.replace("now: datetime", "")
