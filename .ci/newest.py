"""What the run with the newest releases found, as WARNING lines against the lock.

Run by the newest venv's Python (its installed versions are the newest), with the lock file
and that run's JUnit XML: one line per failing test, naming every package whose version
differs from the lock, so a failure points at the releases that may have caused it.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def locked(lock: Path) -> dict[str, str]:
    """Each locked package's version, by canonical name (hash lines and comments skipped),
    leaving out those whose marker excludes this platform (colorama on Windows only)."""
    versions = {}
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        entry = line.split("#", 1)[0].split(" --hash", 1)[0].strip()
        if entry and not entry.startswith("-"):
            requirement = Requirement(entry)
            if requirement.marker and not requirement.marker.evaluate():
                continue
            versions[canonicalize_name(requirement.name)] = str(requirement.specifier)[2:]
    return versions


def installed() -> dict[str, str]:
    """Each installed distribution's version in this Python, by canonical name."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def moved(lock: dict[str, str], now: dict[str, str]) -> list[str]:
    """'name locked → now' for each locked package installed at another version or gone, and
    'name new version' for one the lock does not hold (a newer release's new dependency)."""
    changed = [f"{name} {version} → {now.get(name, 'not installed')}"
               for name, version in sorted(lock.items()) if now.get(name) != version]
    added = [f"{name} new {version}" for name, version in sorted(now.items())
             if name not in lock and name not in NOT_LOCKED]
    return changed + added


NOT_LOCKED = {"ivr", "pip"}
"""Installed in every venv but never locked: ivr itself, and the venv's own pip."""


def failing(junit: Path) -> list[str]:
    """The node ids of the tests that failed or erred in a JUnit XML report."""
    failed = []
    for case in ET.parse(junit).iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            module = case.get("classname", "").replace(".", "/")
            failed.append(f"{module}.py::{case.get('name')}")
    return failed


def report(lock: Path, junit: Path) -> list[str]:
    """The lines to print: a WARNING per failing test, or one line saying all passed."""
    differ = ", ".join(moved(locked(lock), installed())) or "none"
    if not junit.exists():
        return [f"WARNING: the suite did not run with the newest releases; differing: {differ}"]
    failed = failing(junit)
    if not failed:
        return [f"newest releases: every test passes (differing from the lock: {differ})"]
    return [f"WARNING: {test} fails with the newest releases; differing from the lock: {differ}"
            for test in failed]


if __name__ == "__main__":
    print("\n".join(report(Path(sys.argv[1]), Path(sys.argv[2]))))
