"""Privacy by design: no number in clear, a key kept private, old calls gone, forget works."""

import os
import stat

import pytest
from click.testing import CliRunner
from conftest import MENUS, Journaled

from ivr.admin.commands import main
from ivr.journal import privacy

NUMBER = "+46701234567"


def test_caller_numbers_are_never_stored_in_clear(journaled):
    """Neither the number nor its national form is anywhere in the database file."""
    journaled.call("2026-11-24T09:00Z", "4", caller=NUMBER, hangup_after=12)
    journaled.writer.close()
    data = b"".join(p.read_bytes() for p in journaled.state.glob("journal.sqlite3*"))
    assert b"701234567" not in data
    assert b"7 01 23 45 67" not in data
    (token,) = {r[0] for r in journaled.rows("select caller from calls")}
    assert token == privacy.caller_token(privacy.key(journaled.state), NUMBER)


def test_the_generated_key_is_private_and_kept(tmp_path, monkeypatch):
    """Without IVR_JOURNAL_KEY the key is made once, mode 0600, and read back after."""
    monkeypatch.delenv("IVR_JOURNAL_KEY", raising=False)
    assert privacy.existing_key(tmp_path) is None
    first = privacy.key(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / "journal.key").st_mode) == 0o600
    assert privacy.key(tmp_path) == first and len(first) == 64


def test_the_environment_key_wins(tmp_path, monkeypatch):
    """IVR_JOURNAL_KEY, shared by several servers, gives the same token everywhere."""
    monkeypatch.setenv("IVR_JOURNAL_KEY", "shared-secret")
    assert privacy.key(tmp_path) == b"shared-secret"
    assert not (tmp_path / "journal.key").exists()
    assert privacy.caller_token(b"shared-secret", "+46 70 123 45 67") == \
        privacy.caller_token(b"shared-secret", NUMBER) != privacy.caller_token(b"x", NUMBER)


def test_withheld_numbers_are_no_one(journaled):
    """A withheld number is stored as no caller at all, not as one frequent caller."""
    for withheld in ("anonymous", "", "+266696687"):
        assert privacy.caller_token(b"k", withheld) is None
    journaled.call("2026-11-24T09:00Z", "4", caller="anonymous")
    assert journaled.rows("select caller from calls")[0][0] is None


def test_calls_older_than_the_retention_are_deleted(tmp_path, clock):
    """A server starting on 2026-11-24 with 90 days deletes a June call, keeps November's."""
    old = Journaled(clock, tmp_path / "state")
    june = old.call("2026-06-01T09:00Z", "4")
    november = old.call("2026-11-01T09:00Z", "4")
    assert {r[0] for r in old.rows("select sid from steps")} == {june, november}
    old.writer.close()
    clock.now = clock.now.replace(year=2026, month=11, day=24)
    new = Journaled(clock, tmp_path / "state", RETAIN_DAYS=90)
    new.call("2026-11-24T09:00Z", "4")
    sids = {r[0] for r in new.rows("select sid from calls")}
    assert november in sids and june not in sids and len(sids) == 2
    assert {r[0] for r in new.rows("select sid from steps")} == sids
    new.writer.close()


def test_forget_erases_one_callers_calls(journaled):
    """ivr journal forget NUMBER erases that caller's calls and steps, nobody else's."""
    journaled.call("2026-11-24T09:00Z", "4", caller=NUMBER)
    journaled.call("2026-11-24T09:10Z", "3", caller=NUMBER)
    kept = journaled.call("2026-11-24T09:20Z", "4", caller="+46709999999")
    assert journaled.writer.flush(10)
    result = CliRunner().invoke(main, ["journal", "forget", NUMBER, "--menus", str(MENUS),
                                       "--state", str(journaled.state)])
    assert result.exit_code == 0, result.output
    assert result.output == f"2 call(s) from {NUMBER} erased\n"
    assert {r[0] for r in journaled.rows("select sid from calls")} == {kept}
    assert {r[0] for r in journaled.rows("select sid from steps")} == {kept}


def test_forget_without_a_key_is_a_clear_error(tmp_path, monkeypatch):
    """With no key the callers cannot be found: an error saying where the key was looked
    for and how to give the server's, not a new key."""
    monkeypatch.delenv("IVR_JOURNAL_KEY", raising=False)
    result = CliRunner().invoke(main, ["journal", "forget", NUMBER, "--state", str(tmp_path)])
    assert result.exit_code == 1
    assert f"no journal key in {tmp_path} and IVR_JOURNAL_KEY is not set" in result.output
    assert "the server's IVR_JOURNAL_KEY" in result.output
    assert not (tmp_path / "journal.key").exists()


def forget(journaled, *words):
    return CliRunner().invoke(main, ["journal", "forget", *words, "--menus", str(MENUS),
                                     "--state", str(journaled.state)])


def test_forget_reads_a_national_number_in_the_lines_country(journaled):
    """'070-123 45 67' is read as the Swedish +46701234567 and its calls are erased."""
    journaled.call("2026-11-24T09:00Z", "4", caller=NUMBER)
    kept = journaled.call("2026-11-24T09:20Z", "4", caller="+46709999999")
    assert journaled.writer.flush(10)
    result = forget(journaled, "070-123 45 67")
    assert result.exit_code == 0, result.output
    assert result.output == f"1 call(s) from {NUMBER} erased\n"
    assert {r[0] for r in journaled.rows("select sid from calls")} == {kept}


def test_forget_takes_a_country_for_a_national_number(journaled):
    """--country NO reads 412 34 567 as the Norwegian +4741234567."""
    journaled.call("2026-11-24T09:00Z", "4", caller="+4741234567")
    assert journaled.writer.flush(10)
    result = forget(journaled, "--country", "no", "412 34 567")
    assert result.output == "1 call(s) from +4741234567 erased\n"
    assert journaled.rows("select sid from calls") == []


@pytest.mark.parametrize("garbage", ["garbage", "12", "+4670"])
def test_forget_refuses_what_is_no_number(journaled, garbage):
    """Text that is no phone number is a usage error (exit 2) naming it, nothing erased."""
    journaled.call("2026-11-24T09:00Z", "4", caller=NUMBER)
    assert journaled.writer.flush(10)
    result = forget(journaled, garbage)
    assert result.exit_code == 2 and f"'{garbage}' is not a phone number" in result.output
    assert len(journaled.rows("select sid from calls")) == 1


def test_forget_takes_a_number_with_spaces_unquoted(journaled):
    """'ivr journal forget 070-123 45 67' as typed, without quotes, is one number."""
    journaled.call("2026-11-24T09:00Z", "4", caller=NUMBER)
    assert journaled.writer.flush(10)
    result = forget(journaled, "070-123", "45", "67")
    assert result.exit_code == 0, result.output
    assert result.output == f"1 call(s) from {NUMBER} erased\n"
