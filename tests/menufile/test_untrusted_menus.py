"""Menu files are untrusted input: whatever one holds stays that file's error."""

import os
import re
import shutil
import time
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner
from conftest import MENUS, MINIMAL
from freezegun import freeze_time

from ivr.admin.commands import main
from ivr.core.errors import MenuError
from ivr.menufile.folder import menu_file
from ivr.menufile.format import load_line
from ivr.server.app import create_app, line_for_number, refresh

HOSTILE = {
    "nested": "name: x\nnodes: " + "[" * 1000 + "\n",
    "deeply-nested": "a: " + "[" * 50_000 + "\n",
    "alias-bomb": 'a: &a ["lol","lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n',
    "huge": "k: v\n" * 300_000,
}
REFUSED_FOR = {"alias-bomb": "YAML anchor &a is not allowed",
               "huge": "is 1,500,000 bytes; the limit is 1,000,000"}
"""ivr's own words, where ivr refuses the file; deep nesting may be refused by ivr's limit or
by the YAML parser's own (libyaml's depends on its release): either way it is this file's error."""


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_its_own_error(tmp_path, name):
    """Deep nesting, aliases and oversize files are reported as errors naming the file, a line
    and a column, never raised as anything but a MenuError."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        load_line(path, f"menus/{name}.yaml")
    assert re.match(rf"menus/{name}\.yaml:\d+:\d+: error: ", str(caught.value))
    assert REFUSED_FOR.get(name, "") in str(caught.value)


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_nesting_past_ivrs_limit_is_refused_in_ivrs_words(tmp_path, shape):
    """41 levels, far under any YAML parser's own limit, meet ivr's: named at its place."""
    if shape == "flow":
        text = "name: x\nnodes: " + "[" * 41 + "]" * 41 + "\n"
    else:
        text = "name: x\n" + "".join(" " * level + f"k{level}:\n" for level in range(41))
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        load_line(path, "menus/deep.yaml")
    assert re.match(r"menus/deep\.yaml:\d+:\d+: error: ", str(caught.value))
    assert "nested more than 40 levels deep; a menu needs far fewer" in str(caught.value)


def test_alias_is_refused_with_its_line(tmp_path):
    """An anchor is named with the line it is on."""
    path = tmp_path / "x.yaml"
    path.write_text(MINIMAL + "extra: &e [1]\n", encoding="utf-8")
    with pytest.raises(MenuError, match=r"x.yaml:21:8: error: extra: YAML anchor &e"):
        load_line(path, "x.yaml")


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "directory"])
def test_special_files_are_not_read(tmp_path, kind):
    """A symlink to /dev/zero, a FIFO or a directory is refused at once, not read or waited on."""
    path = tmp_path / "x.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(MenuError, match="is not a regular file"):
        load_line(path, "x.yaml")


@pytest.mark.parametrize("command", [
    ["check", "{menus}/x.yaml"], ["check", "--menus", "{menus}"], ["lines", "--menus", "{menus}"],
    ["switch", "--menus", "{menus}", "intraphone"],
    ["switch", "--menus", "{menus}", "intraphone", "off"],
    ["switch", "--menus", "{menus}", "intraphone", "closed", "--until", "2026-11-24 15:00"],
], ids=["check-file", "check", "lines", "switch-show", "switch-off", "switch-set"])
@freeze_time("2026-11-24T09:00:00Z")
def test_directories_named_like_files_are_reported_not_raised(menus, command):
    """A directory x.yaml, or one where a switch file goes, is named in a message, never a
    traceback, by every command that reads them."""
    (menus / "x.yaml").mkdir()
    (menus / "switches" / "intraphone.yaml").mkdir(parents=True)
    result = CliRunner().invoke(main, [arg.format(menus=menus) for arg in command])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert re.search(r"is not a regular file|cannot be (removed|written) \(Is a directory\)",
                     result.output), result.output


def test_hostile_files_leave_other_lines_answering(menus, clock):
    """With every hostile file in the folder, the shipped lines still answer their menus."""
    for name, text in HOSTILE.items():
        (menus / f"{name}.yaml").write_text(text, encoding="utf-8")
    (menus / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(menus / "fifo.yml")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    response = app.test_client().post("/voice", data={"To": "+4619212000"})
    assert ET.fromstring(response.data).find("Gather") is not None
    files = app.test_client().get("/health").json["files"]
    assert files["zero.yaml"]["status"] == "broken"
    assert files["orebro-kommunsupport.yaml"]["status"] == "ok"


def test_check_reports_a_number_claimed_twice(menus):
    """ivr check names both files and lines when two files claim one number."""
    original = menus / "orebro-kommunsupport.yaml"
    (menus / "a-copy.yml").write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--menus", str(menus)])
    assert result.exit_code == 1
    claimed = [line for line in result.output.splitlines() if "+4619212000" in line]
    assert claimed and "is already answered by" in claimed[0]
    assert "a-copy.yml:" in claimed[0] and "orebro-kommunsupport.yaml:" in claimed[0]


def test_a_copy_gets_the_number_by_the_rule_every_server_and_ivr_check_share(
        menus, clock, caplog):
    """Without a shared database, a number two files claim goes to the first file by name,
    on a running server and a fresh one alike, and `ivr check` names that file as the one
    answering it (with a database, the first claim wins: tests/server/test_last_good.py)."""
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    text = (menus / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    (menus / "a-copy.yaml").write_text(text.replace("Välkommen", "Kopia"), encoding="utf-8")
    refresh(app)
    refresh(app)
    assert line_for_number(app, "+4619212000").id == "a-copy"
    assert caplog.text.count("+4619212000 is claimed by both a-copy.yaml") == 1
    fresh = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    assert line_for_number(fresh, "+4619212000").id == "a-copy"
    checked = CliRunner().invoke(main, ["check", str(menus / "orebro-kommunsupport.yaml"),
                                        str(menus / "a-copy.yaml")])
    refused = [row for row in checked.output.splitlines() if "+4619212000" in row]
    assert len(refused) == 1 and refused[0].startswith(f"{menus / 'orebro-kommunsupport.yaml'}:")
    assert f"+4619212000 is already answered by {menus / 'a-copy.yaml'}:" in refused[0]


def test_a_renamed_file_keeps_answering_its_numbers(menus, clock):
    """A line's file renamed (no other claimant) answers its numbers under the new name."""
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    (menus / "orebro-kommunsupport.yaml").rename(menus / "kommunsupport.yaml")
    refresh(app)
    assert line_for_number(app, "+4619212000").id == "kommunsupport"


def test_yml_files_are_served(menus, clock):
    """A .yml file is a line like a .yaml one."""
    (menus / "extra.yml").write_text(MINIMAL, encoding="utf-8")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    assert "extra" in app.test_client().get("/health").json["lines"]


def test_state_directory_defaults_beside_the_menus(monkeypatch, tmp_path):
    """Without --state or IVR_STATE, state lives in 'state' beside the menus folder."""
    from ivr.journal.statedir import state_dir

    monkeypatch.delenv("IVR_STATE")
    assert state_dir(tmp_path / "menus") == tmp_path / "state"
    assert state_dir(tmp_path / "menus", tmp_path / "elsewhere") == tmp_path / "elsewhere"


def test_restarted_server_serves_the_last_good_version(menus, clock):
    """A file broken while no server ran is served at its last good version after restart."""
    create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    (menus / "orebro-kommunsupport.yaml").write_text("nodes: [", encoding="utf-8")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    response = app.test_client().post("/voice", data={"To": "+4619212000"})
    assert ET.fromstring(response.data).find("Gather") is not None
    report = app.test_client().get("/health").json["files"]["orebro-kommunsupport.yaml"]
    assert report["status"] == "broken" and report["serving"].startswith("last good version")


def test_broken_edit_is_logged_without_any_call(menus, clock, caplog):
    """The background check logs a broken edit by itself, with no request at all.

    It looks every 0.1 s here; the wait allows for a loaded machine, not for a slow check.
    """
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0.1})
    (menus / "intraphone.yaml").write_text("start: [", encoding="utf-8")
    logged = "intraphone.yaml has errors; serving its last good version"
    files = app.extensions["ivr.registry"].files
    deadline = time.monotonic() + 30
    while (logged not in caplog.text or files()["intraphone.yaml"]["status"] != "broken"
           ) and time.monotonic() < deadline:
        time.sleep(0.05)  # the log comes first, the round's view is published after it
    assert logged in caplog.text
    assert files()["intraphone.yaml"]["status"] == "broken"


def test_a_line_is_found_by_name_in_a_yml_file(menus):
    """menu_file finds 'extra' as extra.yml, as ivr-sim and the CLI ask for it."""
    (menus / "extra.yml").write_text(MINIMAL, encoding="utf-8")
    assert menu_file(menus, "extra") == menus / "extra.yml"


UNSAYABLE = {
    "control": ('    prompt: "Hej\\x01 där. Tryck 1."\n', "invisible character U+0001"),
    "bidi-url": ('    prompt:\n      - play: "https://example.org/a\\x01\\u202e.mp3"\n'
                 '        seconds: 3\n', "not an http(s) address"),
    "bidi-text": ('    prompt: "Tryck 1 \\u202efor kassan."\n', "invisible character U+202E"),
    "long-prompt": (f"    prompt: {'Tryck 1. ' * 11_112}\n", "Twilio says at most 3000"),
    "long-url": (f"    prompt:\n      - play: https://example.org/{'a' * 10_000}.mp3\n"
                 "        seconds: 3\n", "at most 2000 characters"),
    "quoted-url": ("    prompt:\n      - play: 'https://example.org/a\"<b>.mp3'\n"
                   "        seconds: 3\n", "not an http(s) address"),
}


@pytest.mark.parametrize("name", sorted(UNSAYABLE))
def test_text_or_addresses_no_call_could_carry_are_errors_at_their_place(tmp_path, name):
    """Control and bidi characters, over-long paragraphs and odd addresses are refused at load."""
    prompt, message = UNSAYABLE[name]
    path = tmp_path / "line.yaml"
    path.write_text(MINIMAL.replace("    prompt: Tryck 1.\n", prompt), encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        load_line(path, "menus/line.yaml")
    assert re.search(r"^menus/line\.yaml:1[4-6]:\d+: error: nodes\.main\.prompt", str(caught.value),
                     re.M)
    assert message in str(caught.value)


def test_a_prompt_of_many_paragraphs_too_long_for_one_reply_is_an_error(tmp_path):
    """Five paragraphs of 2,900 characters each could not fit one 64 kB reply: refused."""
    paragraphs = "".join(f"      - {'Tryck 1. ' * 322}\n" for _ in range(5))
    path = tmp_path / "line.yaml"
    path.write_text(MINIMAL.replace("    prompt: Tryck 1.\n", f"    prompt:\n{paragraphs}"),
                    encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        load_line(path, "menus/line.yaml")
    assert "nodes.main.prompt: is 14485 characters of speech; at most 12000" in str(caught.value)


def test_one_recording_address_with_two_texts_is_an_error_at_the_second(tmp_path):
    """The same address said with other words elsewhere is refused where it is used again."""
    twice = ("    prompt:\n      - play: https://example.org/a.mp3\n        text: Hej.\n"
             "      - Tryck 1.\n")
    text = MINIMAL.replace("    prompt: Tryck 1.\n", twice)
    path = tmp_path / "line.yaml"
    path.write_text(text.replace("    type: hangup\n    text: Hej då.\n", "    type: hangup\n"
                                 "    text:\n      - play: https://example.org/a.mp3\n"
                                 "        text: Adjö.\n"), encoding="utf-8")
    with pytest.raises(MenuError) as caught:
        load_line(path, "menus/line.yaml")
    assert re.search(r"line\.yaml:\d+:\d+: error: nodes\.bye\.text: plays https://example\.org"
                     r"/a\.mp3, which nodes\.main\.prompt\.0 plays with other words",
                     str(caught.value))


def test_check_says_why_the_copy_keeps_a_number_claimed_twice(tmp_path, monkeypatch):
    """Without a shared database, a number claimed twice stays with the first file by name;
    ivr check says that is why, so an admin knows which file to edit."""
    from click.testing import CliRunner

    from ivr.admin.commands import main

    monkeypatch.delenv("IVR_DATABASE_URL", raising=False)
    menus = tmp_path / "menus"
    menus.mkdir()
    shutil.copy(MENUS / "orebro-kommunsupport.yaml", menus / "a-copy.yaml")
    shutil.copy(MENUS / "orebro-kommunsupport.yaml", menus)
    result = CliRunner().invoke(main, ["check", "--menus", str(menus)])
    assert result.exit_code == 1
    assert (f"+4619212000 is already answered by {menus / 'a-copy.yaml'}:10:11 (the first of "
            "the files by name: every server keeps it for that one)") in result.output
