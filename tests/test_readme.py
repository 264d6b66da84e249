"""The README's and the manual's promises hold: their commands, transcripts, sample error and
examples are real, wherever in README.md or docs/ they now stand."""

import re
import shlex

from click.testing import CliRunner
from conftest import MENUS, ROOT

from ivr.admin import commands
from ivr.sim import ivrsim

README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
"""The front page, then the manual's pages."""
MANUAL = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


def blocks(kind: str, text: str = MANUAL) -> list[str]:
    """The fenced blocks of ``kind`` in ``text`` (by default the README and every docs/ page)."""
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.S)


def test_quickstart_transcript_is_what_the_simulator_prints():
    """The quickstart's ivr-sim command prints exactly the transcript shown under it."""
    command = blocks("sh", README)[0].strip()
    args = shlex.split(command.split(".venv/bin/ivr-sim", 1)[1])
    result = CliRunner().invoke(ivrsim.main, ["--menus", str(MENUS), *args])
    assert result.exit_code == 0
    assert result.output == blocks("text", README)[0]


def test_ci_runs_the_readme_test_command():
    """.ci/run runs the very command the README gives for the tests."""
    test_command = blocks("sh", README)[1].strip()
    assert test_command.endswith("pytest -q -n auto")
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
    assert blocks("sh", README)[-1].strip() == test_command


def test_sample_error_is_what_check_prints(tmp_path, monkeypatch):
    """The admin section's sample errors come from the edit it describes."""
    text = (MENUS / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    text = text.replace("        goto: tes-desk", "        goto: tes-dsk", 1)
    text = text.replace("    mon-fri: [08:00-12:00, 13:00-16:30]",
                        "    mon-fri: [08:00-12:00, 13:00-16:30]\n    fri: 08:00-12:00", 1)
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "orebro-kommunsupport.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(commands.main, ["check"])
    assert result.exit_code == 1
    sample = next(b for b in blocks("text") if b.startswith("menus/orebro-kommunsupport"))
    assert result.stdout == sample


def test_explore_example_is_what_explore_prints():
    """The ivr explore table shown is the command's real output."""
    shown = next(b for b in blocks("text") if b.startswith("Felanmälan Carelock"))
    result = CliRunner().invoke(commands.main, ["explore", "--menus", str(MENUS),
                                           "orebro-carelock", "--from", "2026-12-21",
                                           "--days", "7"])
    assert result.output == shown


def test_every_command_is_documented():
    """Each ivr command and each ivr-sim option appears in the README or a docs/ page."""
    for name in commands.main.commands:
        assert f"ivr {name}" in MANUAL, name
    for param in ivrsim.main.params:
        for option in param.opts:
            if option.startswith("--") and option != "--help":
                assert option in MANUAL, option


def test_add_a_line_example_is_a_valid_line(tmp_path):
    """The complete line example (docs/admins.md, "Add a line") loads."""
    from ivr.menufile.format import load_line

    example = next(b for b in blocks("yaml") if b.startswith("name: Växeln"))
    path = tmp_path / "vaxeln.yaml"
    path.write_text(example, encoding="utf-8")
    line = load_line(path)
    assert line.numbers == ("+46101234567",)


def test_readme_is_a_front_page():
    """The README stays a front page; the rest of the manual lives in docs/."""
    lines = len(README.splitlines())
    assert lines <= 220, f"README.md has {lines} lines: move the detail to a page in docs/"
