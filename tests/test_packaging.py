"""What the server imports is installed by ``pip install .`` alone, without the test extras."""

import subprocess
import sys
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

SERVING = ("ivr.admin.commands", "ivr.server.gevent_worker", "ivr.server.app",
           "ivr.journal.writer", "ivr.console")
"""What ``ivr serve`` and its gevent workers import."""


def _closure(requirement: Requirement, seen: dict[str, set[str]]) -> None:
    """Every distribution ``requirement`` pulls in, its markers and extras heeded."""
    name, extras = canonicalize_name(requirement.name), set(requirement.extras)
    if name in seen and extras <= seen[name]:
        return
    seen[name] = seen.get(name, set()) | extras
    for text in metadata.requires(name) or []:
        needed = Requirement(text)
        if needed.marker is None or any(needed.marker.evaluate({"extra": extra})
                                        for extra in extras | {""}):
            _closure(needed, seen)


def test_serving_needs_nothing_beyond_the_runtime_dependencies():
    """Every module the server's code imports comes from a distribution that ivr's runtime
    dependencies pull in (gunicorn's gevent worker needs 'packaging', through its extra)."""
    runtime: dict[str, set[str]] = {}
    for text in metadata.requires("ivr") or []:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            _closure(requirement, runtime)
    code = ("import sys, importlib; before = set(sys.modules); "  # less what site loads
            f"[importlib.import_module(m) for m in {SERVING!r}]; "
            "print('\\n'.join(sorted({n.split('.')[0] for n in set(sys.modules) - before})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    owners = metadata.packages_distributions()
    missing = {dist for top in loaded for dist in owners.get(top, [])
               if canonicalize_name(dist) not in {*runtime, "ivr"}}
    assert not missing, f"imported but not a runtime dependency: {sorted(missing)}"
