"""The code passes ruff with the project's rule selection (pyproject.toml)."""

import importlib.util
import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None,
                    reason="ruff is part of the test extra")
def test_ruff_is_clean():
    """No lint findings in the package, the tests or the benchmarks."""
    command = [sys.executable, "-m", "ruff", "check", "ivr", "tests", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
