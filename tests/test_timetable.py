"""``ivr hours``: the effective hours day by day, with what shaped them named."""

from datetime import date

from click.testing import CliRunner
from conftest import MENUS, MINIMAL

from ivr.cli import main
from ivr.menufile import load_line
from ivr.timetable import rows


def hours(*args):
    return CliRunner().invoke(main, ["hours", "--menus", str(MENUS), *args])


def test_christmas_week_names_the_holidays():
    """Week 52 of 2026 shows Julafton and the Christmas days closed, by name."""
    result = hours("orebro-kommunsupport", "--week", "2026-W52")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == ("Kommunsupport, Örebro kommun (Europe/Stockholm), 2026-12-21 to "
                        "2026-12-27")
    assert lines[1].split() == ["date", "day", "line-open", "tes-desk", "it-desk",
                                "carelock-day", "carelock-evening", "note"]
    assert lines[2].split() == ["2026-12-21", "mon", "07:00-17:00", "08:00-12:00",
                                "13:00-16:30", "07:00-12:00", "13:00-17:00", "07:00-17:00",
                                "17:00-22:00"]
    assert lines[5].split()[:5] == ["2026-12-24", "thu", "closed", "closed", "closed"]
    assert lines[5].endswith("holiday: Julafton")


def test_from_and_days():
    """--from and --days choose any stretch; a Norwegian line names 17 May."""
    result = hours("brukarstotte", "--from", "2027-05-16", "--days", "2")
    rows_ = result.output.splitlines()[2:]
    assert rows_[1].startswith("2027-05-17  mon  closed")
    assert "Grunnlovsdag" in rows_[1]


def test_overrides_are_named(write_menu):
    """A dated override of hours is applied and named."""
    path = write_menu(MINIMAL + """\
schedules:
  desk:
    mon-fri: 08:00-16:00
calendar:
  overrides:
    - date: 2026-12-23
      name: Dag före julafton
      hours: {desk: 08:00-12:00}
""")
    table = rows(load_line(path), date(2026, 12, 23), 1)
    assert table[1] == ["2026-12-23", "wed", "08:00-12:00", "override: Dag före julafton"]


def test_bad_week_is_a_usage_error():
    """A malformed week exits 2 naming --week."""
    result = hours("orebro-carelock", "--week", "52")
    assert result.exit_code == 2 and "Invalid value for '--week'" in result.output
