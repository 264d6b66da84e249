"""Text that came from outside, fit for one log line: escaped, never split, capped.

A webhook's values, a file's name or a database's error may hold line breaks, NUL or an
escape sequence; logged raw they could forge or split log lines. Every module that logs
such text goes through these two, so the rule is written once.
"""

from __future__ import annotations


def clean(value: object, limit: int = 64) -> str:
    """A request's value fit for one log line: control characters escaped, length capped."""
    text = str(value)[:limit]
    if text.isprintable() and " " not in text:
        return text
    return repr(text)


def printable(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, each one that is not printable (a line break,
    NUL, an escape) written as its Python escape: one line, whatever came."""
    text = text[:limit]
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)
