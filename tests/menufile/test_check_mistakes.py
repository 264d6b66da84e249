"""``ivr check`` on mistakes a new admin makes: voices, numbers, emergency numbers, holiday
categories, unused schedules and switch files, each reported with where and what to do."""

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from ivr.admin.commands import main

NORWEGIAN = (MINIMAL.replace("sv-SE", "nb-NO").replace("Polly.Astrid", "Polly.Liv")
             .replace("Europe/Stockholm", "Europe/Oslo").replace("+46101234567", "+4770162999"))


def check(tmp_path, text, *args, name="line"):
    menus = tmp_path / "menus"
    menus.mkdir(exist_ok=True)
    (menus / f"{name}.yaml").write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--menus", str(menus), *args])


@pytest.mark.parametrize(("text", "message"), [
    pytest.param(MINIMAL.replace("Polly.Astrid", "Polly.Astird"),
                 "voice: Twilio has no voice 'Polly.Astird' (did you mean 'Polly.Astrid'?); "
                 "for sv-SE use Polly.Astrid, Polly.Elin-Neural or a Google.sv-SE-… voice",
                 id="no-such-voice"),
    pytest.param(MINIMAL.replace("Polly.Astrid", "Polly.Liv"),
                 "voice: Polly.Liv speaks nb-NO, not the line's language sv-SE", id="wrong-lang"),
    pytest.param(MINIMAL.replace("Polly.Astrid", "Google.nb-NO-Wavenet-A"),
                 "Google.nb-NO-Wavenet-A speaks nb-NO, not the line's language sv-SE",
                 id="google-wrong-lang"),
    pytest.param(MINIMAL.replace("+46101234567", "+4670174065"),
                 "numbers: +4670174065 is not a valid phone number in its country",
                 id="invalid-number"),
    pytest.param(NORWEGIAN.replace("+4770162999", "+4700000000"),
                 "numbers: +4700000000 is not a valid phone number in its country",
                 id="invalid-norwegian"),
])
def test_mistakes_are_errors(tmp_path, text, message):
    """A voice Twilio lacks or that speaks another language, and a number no country has,
    are errors (exit 1) with the fix."""
    result = check(tmp_path, text)
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_good_voices_pass(tmp_path):
    """Polly.Liv on nb-NO and a Google sv-SE voice on sv-SE are accepted."""
    assert check(tmp_path, NORWEGIAN).exit_code == 0
    google = MINIMAL.replace("Polly.Astrid", "Google.sv-SE-Wavenet-A")
    assert check(tmp_path, google).exit_code == 0


def test_an_invalid_placeholder_is_only_the_placeholder_warning(tmp_path):
    """+4700000000 listed under placeholders: no error, the placeholder warning stays."""
    text = NORWEGIAN.replace("+4770162999", "+4700000000") + 'placeholders: ["+4700000000"]\n'
    result = check(tmp_path, text)
    assert result.exit_code == 0, result.output
    assert "placeholder number +4700000000 is still in place" in result.output
    assert "not a valid phone number" not in result.output


def test_national_form_is_suggested_in_the_lines_own_country(tmp_path):
    """'0701740651' on a Swedish line suggests +46…, on a Norwegian line never a Swedish form."""
    swedish = check(tmp_path, MINIMAL.replace('"+46101234567"', '"0701740651"'))
    assert "without the leading 0 (+46701740651)" in swedish.output
    assert "+47" not in swedish.output
    norwegian = check(tmp_path, NORWEGIAN.replace('"+4770162999"', '"0701740651"'))
    assert "+46701740651" not in norwegian.output


def test_emergency_number_is_explained(tmp_path):
    """numbers: "112" on a dial says emergency numbers are said, never dialled."""
    text = MINIMAL.replace("type: hangup", "type: dial\n    numbers: \"112\"\n    fallback: main")
    result = check(tmp_path, text)
    assert result.exit_code == 1
    assert "'112' is an emergency number: a line never dials it" in result.output
    assert "not an E.164 number" not in result.output


def test_unsupported_holiday_category_lists_the_supported(tmp_path):
    """A category Norway's calendar lacks names the ones it has."""
    text = NORWEGIAN + 'calendar:\n  holidays:\n    country: "NO"\n    categories: [bank]\n'
    result = check(tmp_path, text)
    assert result.exit_code == 1
    assert "Category is not supported: bank; NO has the categories ['public']" in result.output


def test_a_schedule_nothing_uses_is_warned(tmp_path):
    """A schedule no route and no {opens:…} names is a warning, pointing at its key."""
    text = MINIMAL + "schedules:\n  lunch:\n    mon-fri: 12:00-13:00\n"
    result = check(tmp_path, text, "--strict")
    assert result.exit_code == 1
    assert "warning: schedules.lunch: nothing uses this schedule" in result.output


def test_switch_files_are_checked(tmp_path):
    """A broken switch file is an error at each bad key, in words; one naming no line is a
    warning; the summary counts switch files apart from menu files."""
    switches = tmp_path / "menus" / "switches"
    switches.mkdir(parents=True)
    (switches / "line.yaml").write_text("state: shut\nuntil: tomorrow\n")
    (switches / "gone.yaml").write_text("state: closed\nuntil: '2026-11-24T15:00:00+01:00'\n")
    result = check(tmp_path, MINIMAL)
    assert result.exit_code == 1
    assert ("switches/line.yaml:1:8: error: state: 'shut' is not allowed; allowed are "
            "closed, open") in result.output
    assert ("switches/line.yaml:2:8: error: until: 'tomorrow' is not a time with an offset"
            in result.output)
    assert "switches/gone.yaml:1:1: warning: no line 'gone'" in result.output
    assert "Invalid isoformat" not in result.output
    assert result.stderr.strip() == ("1 file(s) checked: 0 with errors, 0 with warnings, and "
                                     "2 switch file(s) with problems")


def test_a_folder_given_as_path_is_checked_like_the_menus_folder(tmp_path):
    """ivr check FOLDER checks the menu files (and switch files) inside, not 'Is a directory'."""
    menus = tmp_path / "menus"
    menus.mkdir()
    (menus / "line.yaml").write_text(MINIMAL, encoding="utf-8")
    (menus / "other.yaml").write_text(MINIMAL.replace("1: bye", "1: by"), encoding="utf-8")
    (menus / "switches").mkdir()
    (menus / "switches" / "gone.yaml").write_text("state: closed\nuntil: '2026-11-24T15:00:00"
                                                  "+01:00'\n")
    result = CliRunner().invoke(main, ["check", str(menus)])
    assert result.exit_code == 1
    assert "Is a directory" not in result.output
    assert "other.yaml:" in result.output and "unknown node 'by'" in result.output
    assert "switches/gone.yaml:1:1: warning: no line 'gone'" in result.output
    assert result.stderr.strip() == ("2 file(s) checked: 1 with errors, 0 with warnings, and "
                                     "1 switch file(s) with problems")


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(MINIMAL.replace("  main:\n    type: menu", "  main:\n\ttype: menu"),
                 "line.yaml:14:1: error: YAML syntax: tabs cannot indent YAML, use spaces",
                 id="tab"),
    pytest.param(MINIMAL.replace("    text: Hej då.", "   text: Hej då."),
                 "line.yaml:20:4: error: YAML syntax: this line is indented 3 spaces, but line "
                 "19 above is indented 4 and the keys from line 13 are indented 2",
                 id="dedented-key"),
    pytest.param(MINIMAL.replace("    prompt: Tryck 1.", "      prompt: Tryck 1."),
                 "line.yaml:15:7: error: YAML syntax: this line is indented more than the key "
                 "above it", id="indented-key"),
    pytest.param(MINIMAL.replace("  main:\n    type: menu", "  main:\n   type: menu"),
                 "line.yaml:14:4: error: YAML syntax: this line is indented 3 spaces, unlike "
                 "the lines around it (indented in steps of 2)", id="odd-line-out"),
])
def test_yaml_syntax_errors_say_what_to_fix(tmp_path, text, expected):
    """A tab or a badly indented key is named as such, at the line to fix (a lone 3-space
    line before a 4-space one is the line named, not the one where libyaml stopped)."""
    result = check(tmp_path, text)
    assert result.exit_code == 1
    assert expected in result.output, result.output
