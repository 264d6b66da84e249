"""``ivr report``: the table of time to a human for Kommunsupport, as docs/caller-time.md
shows it."""

import json
import re

from click.testing import CliRunner
from conftest import MENUS, ROOT

from ivr.admin.commands import main


def report(*args):
    return CliRunner().invoke(main, ["report", "--menus", str(MENUS), *args])


def test_readme_shows_the_kommunsupport_tables():
    """Each `ivr report` in docs/caller-time.md prints exactly the table under it."""
    readme = (ROOT / "docs" / "caller-time.md").read_text(encoding="utf-8")
    shown = re.findall(r"\$ ivr report (\S+) --at \"([^\"]+)\"\n(.*?)```", readme, flags=re.S)
    assert len(shown) == 2
    for line, at, table in shown:
        assert report(line, "--at", at).output == table


def test_json_gives_seconds_per_path():
    """--json lists every path with its keys and the three figures in seconds."""
    result = report("orebro-kommunsupport", "--at", "2026-11-24 19:30", "--json")
    paths = json.loads(result.output)["paths"]
    assert [(p["keys"], p["number"], p["hears_all"], p["presses_at_once"]) for p in paths] == [
        (["3", "1", "1", "1"], "+4619214944", 60.4, 12.9),
        (["3", "1", "2", "1"], "+46701740607", 92.1, 15.3)]


def test_a_bad_time_names_the_option():
    """A time that is no time is a usage error naming --at."""
    result = report("orebro-kommunsupport", "--at", "soon")
    assert result.exit_code == 2 and "'--at'" in result.output
