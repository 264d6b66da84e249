"""The background check of a worker: a real thread, even in a gevent worker.

Loading a large menu file is CPU work. In an operating-system thread the worker's other
requests keep being answered meanwhile (the interpreter switches threads every few
milliseconds), where a greenlet would hold them all until it finished. Threads do not
survive a fork: start them in the process that serves (a gunicorn worker builds its app
after the fork).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def native(module: str, name: str):
    """The operating system's own ``module.name``, even under gevent's monkey-patching."""
    try:
        from gevent import monkey
    except ImportError:
        monkey = None
    if monkey is not None and monkey.is_module_patched(module):
        return monkey.get_original(module, name)
    return getattr(__import__(module), name)


def every(interval: float, owner: T, job: Callable[[T], object]) -> None:
    """Run ``job(owner)`` every ``interval`` seconds in a daemon thread, until ``owner`` is
    no longer used anywhere else; a failure is logged and the next round runs as usual."""
    ref = weakref.ref(owner)
    sleep = native("time", "sleep")

    def run() -> None:
        while (alive := ref()) is not None:
            try:
                job(alive)
            except Exception:  # the check must outlive any surprise
                log.exception("a background check failed; trying again")
            del alive
            sleep(interval)

    native("_thread", "start_new_thread")(run, ())
