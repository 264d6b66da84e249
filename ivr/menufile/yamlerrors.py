"""libyaml's syntax errors in an admin's words: what is wrong, and the line to look at.

libyaml reports where its parser gave up ('did not find expected key', 'found character that
cannot start any token'), which is often a line or two after the mistake and in a parser's
terms. Here the common causes are named: a tab used to indent, and a line indented unlike
its neighbours. Anything else keeps libyaml's own words. Only wording lives here; reading
the file is ``reader``.
"""

from __future__ import annotations

import yaml


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message) for a syntax error in ``text``, both 1-based."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return 1, 1, f"YAML syntax: {exc.problem or exc}"
    lines = text.splitlines() or [""]
    line = min(mark.line, len(lines) - 1)
    written = lines[line]
    indent = _indent(written)
    at = written[mark.column:mark.column + 1] if mark.column < len(written) else ""
    problem = exc.problem or ""
    context = exc.context_mark
    if at == "\t" or written[indent:indent + 1] == "\t":
        return line + 1, (mark.column if at == "\t" else indent) + 1, (
            "YAML syntax: tabs cannot indent YAML, use spaces")
    if problem.startswith("did not find expected key") and context is not None:
        above = _line_above(lines, line)
        before = (f"line {above + 1} above is indented {_indent(lines[above])} and "
                  if above is not None else "")
        return line + 1, indent + 1, (
            f"YAML syntax: this line is indented {indent} spaces, but {before}the keys from "
            f"line {context.line + 1} are indented {context.column}; indent it with spaces "
            "exactly like the key it belongs with")
    if problem.startswith("did not find expected '-'") and context is not None:
        return line + 1, indent + 1, (
            f"YAML syntax: this line is indented like a key, but the list that starts on "
            f"line {context.line + 1} needs '- ' items lined up with its first one")
    odd = _odd_line_out(lines, line)
    if problem.startswith(("mapping values are not allowed", "did not find expected key")) \
            and odd is not None:
        return odd + 1, _indent(lines[odd]) + 1, (
            f"YAML syntax: this line is indented {_indent(lines[odd])} spaces, unlike the "
            f"lines around it (indented in steps of {_step(lines)}); indent it with spaces "
            "exactly like the key it belongs with")
    if problem.startswith("mapping values are not allowed"):
        return line + 1, indent + 1, (
            "YAML syntax: this line is indented more than the key above it, or its value "
            "holds ': '; line the key up with its neighbours, or quote the value")
    message = " ".join(part for part in (exc.context, problem) if part)
    return mark.line + 1, mark.column + 1, f"YAML syntax: {message}"


def _indent(written: str) -> int:
    return len(written) - len(written.lstrip(" "))


def _line_above(lines: list[str], line: int) -> int | None:
    """The nearest line above ``line`` that holds more than a comment."""
    for index in range(line - 1, -1, -1):
        if lines[index].strip() and not lines[index].lstrip().startswith("#"):
            return index
    return None


def _step(lines: list[str]) -> int:
    """How far the file indents a level: its smallest indentation (2 in the shipped files)."""
    return min((_indent(x) for x in lines if x.strip() and _indent(x)), default=2)


def _odd_line_out(lines: list[str], line: int) -> int | None:
    """The line just above ``line`` if it alone is indented off the file's step (3 spaces
    in a file that indents by 2), where libyaml only notices on the line after it."""
    above = _line_above(lines, line)
    step = _step(lines)
    if above is None or step < 2 or _indent(lines[line]) % step:
        return None
    return above if _indent(lines[above]) % step else None
