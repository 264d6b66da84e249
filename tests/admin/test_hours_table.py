"""``ivr hours``: the effective hours day by day, with what shaped them named."""

from datetime import date

from click.testing import CliRunner
from conftest import MENUS, MINIMAL

from ivr.admin.commands import main
from ivr.menufile.format import load_line
from ivr.views.hours_table import rows


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


def test_switch_and_announcements_show_in_the_rows_they_affect(tmp_path):
    """A closed switch cuts the hours of the days it covers (noted there) but not those of a
    schedule marked ``switch: ignore``; an announcement is noted on each day it runs, with
    its hours when it runs part of a day."""
    import shutil

    from freezegun import freeze_time

    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    path = menus / "orebro-kommunsupport.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("announcements: []", """\
announcements:
  - from: 2026-11-25 08:00
    to: 2026-11-27 00:00
    text: TES uppgraderas."""), encoding="utf-8")
    with freeze_time("2026-11-24T11:15Z"):  # 12:15 Stockholm
        runner = CliRunner()
        assert runner.invoke(main, ["switch", "orebro-kommunsupport", "closed", "--until",
                                    "2026-11-25 10:00", "--menus", str(menus)]).exit_code == 0
        result = runner.invoke(main, ["hours", "orebro-kommunsupport", "--menus", str(menus),
                                      "--from", "2026-11-23", "--days", "4"])
    assert result.exit_code == 0, result.output
    import re

    header, *table = [re.split(r"\s{2,}", row) for row in result.output.splitlines()[2:]]
    days = {row[0]: dict(zip(header, row, strict=False)) for row in table}
    assert days["2026-11-23"]["tes-desk"] == "08:00-12:00 13:00-16:30"
    assert "note" not in days["2026-11-23"]
    assert days["2026-11-24"]["line-open"] == "07:00-12:15"
    assert days["2026-11-24"]["tes-desk"] == "08:00-12:00"
    assert days["2026-11-24"]["note"] == "switched closed 12:15-24:00"
    assert days["2026-11-24"]["carelock-day"] == "07:00-17:00"  # switch: ignore
    assert days["2026-11-24"]["carelock-evening"] == "17:00-22:00"
    assert days["2026-11-25"]["line-open"] == "10:00-17:00"
    assert days["2026-11-25"]["tes-desk"] == "10:00-12:00 13:00-16:30"
    assert days["2026-11-25"]["note"] == ("switched closed 00:00-10:00; announcement "
                                          "08:00-24:00: «TES uppgraderas.»")
    assert days["2026-11-26"]["note"] == "announcement all day: «TES uppgraderas.»"
