"""The layers, checked: import-linter's contracts and mypy pass, and what they cannot say
(only the TwiML module imports twilio.twiml; the engine never reads the clock)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ivr"
BIN = Path(sys.executable).parent


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_import_contracts_are_kept():
    """lint-imports passes every contract in pyproject.toml (layers, a pure core, the sim
    reaching the server only through its app factory)."""
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_errors():
    """mypy, with the settings in pyproject.toml, is clean on ivr/."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_twiml_builds_twiml():
    """twilio.twiml is imported by ivr.server.twiml alone."""
    users = {str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
             if any(name.startswith("twilio.twiml") for name in imports(path))}
    assert users == {"server/twiml.py"}


def test_engine_never_reads_the_clock():
    """The engine takes 'now' as an argument: no datetime.now, time.time or date.today."""
    source = (PACKAGE / "core" / "engine.py").read_text()
    for call in ("now(", "today(", "time.time", "utcnow"):
        assert call not in source.replace("now: datetime", "")
