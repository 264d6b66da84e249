"""The lock covers what pyproject.toml asks for, and CI's newest-releases run reports in lines.

The README's commands install requirements/test.txt or requirements/app.txt with pip's hash
checking; a dependency named in pyproject.toml but missing from the lock would make that
install fail on a fresh machine, and one whose pin falls outside its range would install what
pyproject.toml refuses.
"""

import importlib.util
import tomllib
from importlib import metadata

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = ROOT / "requirements"


def _newest():
    """.ci/newest.py, loaded from its path (CI's scripts are not a package)."""
    spec = importlib.util.spec_from_file_location("newest", ROOT / ".ci" / "newest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


newest = _newest()


def direct(*, extras: bool) -> list[Requirement]:
    """pyproject.toml's own requirements: runtime, build backend and, if asked, the extras."""
    texts = [*PYPROJECT["project"]["dependencies"], *PYPROJECT["build-system"]["requires"]]
    if extras:
        texts += [t for group in PYPROJECT["project"]["optional-dependencies"].values()
                  for t in group]
    return [Requirement(text) for text in texts]


def hashed(lock: str) -> dict[str, int]:
    """How many --hash options each package of a lock file carries."""
    counts, name = {}, None
    for line in (LOCKS / lock).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name = canonicalize_name(Requirement(line.rstrip(" \\")).name)
            counts[name] = 0
        elif "--hash=sha256:" in line and name:
            counts[name] += 1
    return counts


@pytest.mark.parametrize(("lock", "extras"), [("test.txt", True), ("app.txt", False)])
def test_the_lock_pins_every_direct_dependency_within_its_range(lock, extras):
    """Every requirement of pyproject.toml (the extras too, for test.txt) is pinned in the lock
    at a version its range admits, and so is each requirement its extras pull in."""
    pins = newest.locked(LOCKS / lock)
    for requirement in direct(extras=extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements/{lock}: requirements/refresh"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements/{lock} pins {name} {pins[name]}, outside {requirement}")
        for extra in requirement.extras:  # gunicorn[gevent], psycopg[binary]
            for text in metadata.requires(requirement.name) or []:
                pulled = Requirement(text)
                if pulled.marker and pulled.marker.evaluate({"extra": extra}):
                    assert canonicalize_name(pulled.name) in pins, f"{requirement} needs {text}"


def test_the_app_lock_has_the_test_locks_versions():
    """The quickstart and the tests install the same version of every package they share."""
    app, test = newest.locked(LOCKS / "app.txt"), newest.locked(LOCKS / "test.txt")
    assert {name: test.get(name) for name in app} == app


@pytest.mark.parametrize("lock", ["test.txt", "app.txt"])
def test_every_locked_package_carries_its_hashes(lock):
    """pip checks every file it downloads against the lock's hashes."""
    counts = hashed(lock)
    assert counts and not [name for name, count in counts.items() if not count]


def test_each_failing_test_is_one_warning_naming_what_moved(tmp_path):
    """The newest-releases run prints one WARNING line per failing test, naming every package
    whose version is not the lock's, and one plain line when all pass."""
    flask, pyyaml = metadata.version("flask"), metadata.version("pyyaml")
    lock = tmp_path / "test.txt"
    lock.write_text(f"pyyaml==0.0.1 \\\n    --hash=sha256:ab\n    # via ivr\n"
                    f"flask=={flask} \\\n    --hash=sha256:cd\n"
                    "colorama==0.0.1 ; sys_platform == 'nowhere' \\\n    --hash=sha256:ef\n",
                    encoding="utf-8")
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase classname="tests.menufile.test_reader" name="test_a">'
        '<failure message="x"/></testcase><testcase classname="tests.test_b" name="test_b[1]"/>'
        '<testcase classname="tests.server.test_c" name="test_c"><error message="y"/></testcase>'
        '</testsuite></testsuites>', encoding="utf-8")
    lines = newest.report(lock, junit)
    assert [line.split(" fails", 1)[0] for line in lines] == [
        "WARNING: tests/menufile/test_reader.py::test_a", "WARNING: tests/server/test_c.py::test_c"]
    assert all(f"differing from the lock: pyyaml 0.0.1 → {pyyaml}" in line for line in lines)
    assert not any("flask" in line or "colorama 0.0.1" in line for line in lines)
    junit.write_text('<testsuites><testsuite><testcase classname="tests.x" name="test_x"/>'
                     '</testsuite></testsuites>', encoding="utf-8")
    assert newest.report(lock, junit)[0].startswith("newest releases: every test passes")
    assert newest.report(lock, tmp_path / "none.xml")[0].startswith(
        "WARNING: the suite did not run with the newest releases")


def test_moved_names_changed_gone_and_new_packages():
    """A version change, a package gone and one the lock does not hold are each named."""
    assert newest.moved({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "2.1", "d": "4",
                                                        "pip": "23", "ivr": "0.1"}) == [
        "b 2 → 2.1", "c 3 → not installed", "d new 4"]
