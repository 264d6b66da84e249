"""The manual in docs/ stays true: its format reference is what the format generates, its
links lead somewhere, and every command it shows takes the options it is shown with."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT
from test_readme import MANUAL, PAGES, README, blocks

from ivr.admin import commands
from ivr.menufile.reference import COMMAND, reference, slug
from ivr.sim import ivrsim

FORMAT_PAGE = ROOT / "docs" / "format.md"


def test_format_reference_is_current():
    """docs/format.md is what the format's spec tree generates today."""
    assert FORMAT_PAGE.read_text(encoding="utf-8") == reference(), (
        f"docs/format.md is stale: run `{COMMAND}`")


def test_the_regenerating_command_prints_the_reference():
    """The command docs/format.md names prints exactly the reference."""
    result = subprocess.run([sys.executable, "-m", "ivr.menufile.reference"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout == reference()


def test_the_reference_covers_every_node_type_and_top_level_key():
    """Each node type has its section and each top-level key its row."""
    from ivr.menufile.format import FORMAT, NODES

    text = reference()
    for kind in NODES.variants:
        assert f"\n### {kind}\n" in text, kind
    top = text.split("## Top level", 1)[1].split("\n## ", 1)[0]
    for key in FORMAT.fields:
        assert f"\n| `{key}` |" in top, key


def without_code(text: str) -> str:
    """``text`` with its fenced blocks and code spans blanked out (no links or headings)."""
    text = re.sub(r"^[ \t]*```.*?^[ \t]*```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "``", text)


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of ``page`` (a repeated one gets -1, -2, …)."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", re.sub(
            r"^[ \t]*```.*?^[ \t]*```", "", page.read_text(encoding="utf-8"),
            flags=re.S | re.M), flags=re.M):
        name, n = slug(heading), 0
        while (name if not n else f"{name}-{n}") in found:
            n += 1
        found.add(name if not n else f"{name}-{n}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    """Each relative link (and image) in the README and docs/ names a file that exists,
    and a #heading in it, if it names one, that the file has."""
    text = without_code(page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), f"{page.name}: {target} leads to no file"
        if anchor and file.suffix == ".md":
            assert anchor in anchors(file), f"{page.name}: {target}: no such heading"


def test_every_page_of_the_manual_is_linked_from_the_readme():
    """No page in docs/ is left where no reader finds it."""
    for page in PAGES[1:]:
        assert f"(docs/{page.name})" in README, f"README.md's Read on lacks docs/{page.name}"


def shown_commands() -> list[str]:
    """Every ivr and ivr-sim command line shown: in sh blocks, and in code spans."""
    lines = [part.strip() for block in blocks("sh") for line in block.splitlines()
             for part in line.split("&&")]
    spans = re.findall(r"`(ivr(?:-sim)? [^`]+)`", without_blocks(MANUAL))
    return [line for line in lines + spans if re.match(r"(\.venv/bin/)?ivr(-sim)? ", line)]


def without_blocks(text: str) -> str:
    return re.sub(r"^[ \t]*```.*?^[ \t]*```", "", text, flags=re.S | re.M)


def resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    """The click command a shown command line runs, and the words after its name."""
    program = Path(words[0]).name
    command: click.Command = ivrsim.main if program == "ivr-sim" else commands.main
    rest = words[1:]
    while isinstance(command, click.Group) and rest and rest[0] in command.commands:
        command, rest = command.commands[rest[0]], rest[1:]
    return command, rest


def test_every_option_shown_is_one_the_command_takes():
    """A command in the README or docs/ is shown only with options it has, so no page
    teaches a flag that was renamed or removed."""
    shown = shown_commands()
    assert len(shown) > 30
    for line in shown:
        words = shlex.split(line.split(" | ")[0].replace("[", " ").replace("]", " "),
                            comments=True)
        command, rest = resolve(words)
        if isinstance(command, click.Group):
            assert not rest or rest[0].startswith("-"), f"no such command: {line}"
        known = {opt for param in command.params for opt in param.opts} | {"--help"}
        for word in rest:
            option = word.split("=", 1)[0]
            if option.startswith("--"):
                assert option in known, f"{option} is no option of: {line}"
