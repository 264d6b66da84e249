"""The layers, checked: import-linter's contracts and mypy pass, and what they cannot say
(only the TwiML module imports twilio.twiml; the engine never reads the clock)."""

import ast
import collections
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ivr"
BIN = Path(sys.executable).parent
GUIDE = 250
LIMIT = 400


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


def lint_copy(tmp_path: Path, added: dict[str, str]) -> str:
    """lint-imports' report on a copy of ivr/ and its contracts with ``added`` lines appended
    to the named modules (created when new)."""
    shutil.copytree(PACKAGE, tmp_path / "ivr", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for module, line in added.items():
        path = tmp_path / module
        path.write_text((path.read_text() if path.exists() else '"""New."""\n') + line + "\n")
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


TWILIO_RULE = "import twilio BROKEN"
SERVER_RULE = "the simulator and the console only its app factory BROKEN"
KEPT_RULE = "What is kept knows no web and no CLI: the server and the admin CLI adapt it BROKEN"
LAYERS_RULE = "menu files, the core BROKEN"


@pytest.mark.parametrize(("added", "broken"), [
    pytest.param({"ivr/server/newpart.py": "import twilio.rest"}, TWILIO_RULE,
                 id="new-server-module-imports-twilio"),
    pytest.param({"ivr/sim/clock.py": "import twilio.rest"}, TWILIO_RULE,
                 id="sim-module-imports-twilio"),
    pytest.param({"ivr/server/newpart.py": "import json",
                  "ivr/sim/clock.py": "from ivr.server import newpart"}, SERVER_RULE,
                 id="sim-imports-new-server-module"),
    pytest.param({"ivr/sim/stretches.py": "from ivr.server import registry"}, SERVER_RULE,
                 id="sim-imports-registry"),
    pytest.param({"ivr/console/pages.py": "from ivr.server.registry import Registry"},
                 SERVER_RULE, id="console-reaches-into-the-registry"),
    pytest.param({"ivr/journal/stats.py": "import flask"}, KEPT_RULE,
                 id="journal-imports-flask"),
    pytest.param({"ivr/journal/newpart.py": "import click"}, KEPT_RULE,
                 id="new-journal-module-imports-click"),
    pytest.param({"ivr/console/forms.py": "from ivr.admin import served"}, LAYERS_RULE,
                 id="console-imports-the-admin-cli"),
    pytest.param({"ivr/views/graph.py": "from ivr.journal import stats"}, LAYERS_RULE,
                 id="views-import-the-journal"),
])
def test_contracts_cover_modules_they_do_not_name(tmp_path, added, broken):
    """The contracts say who may import twilio and the server, so a module added later is
    held to them: a new importer of twilio, the sim or the console importing any server
    module but ivr.server.app, the journal importing the web or the CLI, a room importing
    one above it or beside it, breaks a contract."""
    report = lint_copy(tmp_path, added)
    assert broken in " ".join(report.split()), report


def test_mypy_finds_no_errors():
    """mypy, with the settings in pyproject.toml, is clean on ivr/."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_stay_small():
    """Modules stay small enough to read whole. 250 lines is a guide: a module past it is
    named in the warnings summary, to be split where it holds two things, never squeezed
    to fit; past 400 it certainly holds two, and the test fails."""
    sizes = {str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    for module, size in sorted(sizes.items()):
        if size > GUIDE:
            warnings.warn(f"{module} has {size} lines, past the guide of {GUIDE}", stacklevel=1)
    too_long = {module: size for module, size in sizes.items() if size > LIMIT}
    assert not too_long, f"over {LIMIT} lines: {too_long}"


def test_module_names_say_their_room():
    """A module's name alone says what it holds: no two share one (a reader would tell them
    apart by path), and none is a standard library module's (``numbers``, ``warnings``)."""
    modules = [path for path in PACKAGE.rglob("*.py")
               if path.stem != "__init__" and "migrations" not in path.parts]
    names = collections.Counter(path.stem for path in modules)
    assert [name for name, count in names.items() if count > 1] == []
    assert sorted(set(names) & sys.stdlib_module_names) == []


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
