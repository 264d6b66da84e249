"""A line is never lost to a transient state, and every worker and server agrees on who
answers each number: a file gone, a folder missing, a broken rewrite, a copied file."""

import shutil
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from click.testing import CliRunner

from ivr.admin.commands import main
from ivr.server.app import create_app, refresh
from ivr.server.webhooks import REGISTRY

KOMMUNSUPPORT = "+4619212000"
CARELOCK = "+46701740610"


def app_over(menus, clock, state, **config):
    return create_app({"MENUS": str(menus), "STATE_DIR": str(state), "CLOCK": clock,
                       "RELOAD_INTERVAL": 0, **config})


def first_words(app, number):
    refresh(app)
    response = app.test_client().post("/voice", data={"To": number})
    assert response.status_code == 200
    return next(ET.fromstring(response.data).iter("Say")).text


def apologises(app, number):
    return first_words(app, number).startswith("Tyvärr kan samtalet")


def test_a_file_deleted_then_written_back_broken_keeps_its_last_good_version(
        menus, clock, state):
    """The probe's deploy: rm the file, a check passes, then a broken file appears. The
    line answers from its last good version throughout, in a worker booted meanwhile too."""
    app = app_over(menus, clock, state)
    good = first_words(app, KOMMUNSUPPORT)
    path = menus / "orebro-kommunsupport.yaml"
    text = path.read_text(encoding="utf-8")
    path.unlink()
    assert first_words(app, KOMMUNSUPPORT) == good
    path.write_text(text + "nodes: [\n", encoding="utf-8")
    assert first_words(app, KOMMUNSUPPORT) == good
    assert first_words(app_over(menus, clock, state), KOMMUNSUPPORT) == good
    report = app.test_client().get("/health").json["files"]["orebro-kommunsupport.yaml"]
    assert report["status"] == "broken" and report["serving"].startswith("last good")


def test_a_worker_booting_while_the_menus_folder_is_missing_serves_the_kept_lines(
        menus, clock, state):
    """menus/ gone (a failed checkout, a mount not there yet): a new worker serves every
    line from the state directory, and nothing retires while the folder is missing."""
    running = app_over(menus, clock, state)
    good = first_words(running, KOMMUNSUPPORT)
    shutil.rmtree(menus)
    booted = app_over(menus, clock, state)
    assert first_words(booted, KOMMUNSUPPORT) == good
    assert not apologises(booted, CARELOCK)
    clock.now += timedelta(days=28)
    assert first_words(booted, KOMMUNSUPPORT) == good
    assert first_words(running, KOMMUNSUPPORT) == good
    report = booted.test_client().get("/health").json["files"]["orebro-kommunsupport.yaml"]
    assert report["status"] == "gone" and report["retires"] is None
    assert "the menus folder cannot be read" in report["error"]


def test_every_worker_retires_a_gone_line_at_the_same_moment(menus, clock, state):
    """The first worker to miss a file notes when; a worker booted an hour later counts
    from that note, not from its own start, so both stop answering at the same minute."""
    first = app_over(menus, clock, state, RETIRE_AFTER=7200)
    first_words(first, CARELOCK)
    (menus / "orebro-carelock.yaml").unlink()
    refresh(first)
    clock.now += timedelta(hours=1)
    later = app_over(menus, clock, state, RETIRE_AFTER=7200)
    clock.now += timedelta(minutes=59)
    assert not apologises(first, CARELOCK) and not apologises(later, CARELOCK)
    clock.now += timedelta(minutes=1)
    assert apologises(later, CARELOCK) and apologises(first, CARELOCK)
    assert apologises(app_over(menus, clock, state), CARELOCK)


def test_a_file_back_before_it_retires_counts_afresh_next_time(menus, clock, state):
    """A file deleted, then back: its next absence is counted from its own start."""
    app = app_over(menus, clock, state, RETIRE_AFTER=600)
    path = menus / "orebro-carelock.yaml"
    text = path.read_text(encoding="utf-8")
    first_words(app, CARELOCK)
    path.unlink()
    refresh(app)
    clock.now += timedelta(minutes=9)
    path.write_text(text, encoding="utf-8")
    refresh(app)
    path.unlink()
    refresh(app)
    clock.now += timedelta(minutes=9)
    assert not apologises(app, CARELOCK)
    clock.now += timedelta(minutes=1)
    assert apologises(app, CARELOCK)


def test_a_gone_line_yields_its_number_to_a_file_that_is_there(menus, clock, state):
    """A file renamed: the new name answers at once; the old id still serves calls in
    progress (their URLs name it) until it retires."""
    app = app_over(menus, clock, state)
    path = menus / "orebro-carelock.yaml"
    first_words(app, CARELOCK)
    path.rename(menus / "carelock.yaml")
    refresh(app)
    registry = app.extensions[REGISTRY]
    assert registry.by_number(CARELOCK).id == "carelock"
    assert registry.line("orebro-carelock") is not None
    assert registry.conflicts() == []


def copy_sorting_first(menus):
    (menus / "a-copy.yaml").write_text((menus / "orebro-carelock.yaml").read_text(
        encoding="utf-8").replace("name:", "name: Kopia", 1), encoding="utf-8")


def test_without_a_database_a_fresh_server_decides_as_a_running_one(menus, clock, tmp_path):
    """A copy added to a running server, and a fresh server with both files: the same
    line answers the number on both (the first file by name, as `ivr check` says)."""
    running = app_over(menus, clock, tmp_path / "a")
    first_words(running, CARELOCK)
    copy_sorting_first(menus)
    fresh = app_over(menus, clock, tmp_path / "b")
    assert first_words(running, CARELOCK) == first_words(fresh, CARELOCK)
    owners = {app.extensions[REGISTRY].by_number(CARELOCK).id for app in (running, fresh)}
    assert owners == {"a-copy"}


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request, tmp_path, monkeypatch):
    """IVR_DATABASE_URL as several servers share it: SQLite, or the session's PostgreSQL."""
    url = (f"sqlite:///{tmp_path / 'shared.sqlite3'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("IVR_DATABASE_URL", url)
    return url


def claimed(app):
    """Let the app's claims thread record and read the table once, now."""
    app.extensions[REGISTRY].claims.sync()
    refresh(app)
    return app.extensions[REGISTRY].by_number(CARELOCK).id


def test_with_a_database_the_first_claim_wins_on_every_server(
        menus, clock, tmp_path, shared_database):
    """The original claimed the number first: it keeps it on the running server and on a
    fresh one with an empty state directory, whatever the copy's name, and `ivr check`
    names it as the one answering (the copy's file is the one to fix)."""
    running = app_over(menus, clock, tmp_path / "a")
    assert claimed(running) == "orebro-carelock"
    copy_sorting_first(menus)
    fresh = app_over(menus, clock, tmp_path / "b")
    assert claimed(fresh) == claimed(running) == "orebro-carelock"
    refused = checked_claims(menus)
    assert refused and all(row.startswith(f"{menus / 'a-copy.yaml'}:") for row in refused)
    assert f"{CARELOCK} is already answered by {menus / 'orebro-carelock.yaml'}:" in refused[0]
    assert "it claimed the number first, as the shared database records" in refused[0]
    (menus / "orebro-carelock.yaml").write_text((menus / "a-copy.yaml").read_text(
        encoding="utf-8").replace(CARELOCK, "+46701740699"), encoding="utf-8")
    assert claimed(running) == "a-copy"  # the first claimant let the number go
    assert claimed(fresh) == "a-copy"


def checked_claims(menus) -> list[str]:
    """The rows of `ivr check` on the folder that refuse a file the Carelock number."""
    result = CliRunner().invoke(main, ["check", "--menus", str(menus)])
    return [row for row in result.output.splitlines() if f"{CARELOCK} is already" in row]


def test_ivr_check_says_when_the_shared_claims_cannot_be_read(menus, tmp_path, monkeypatch):
    """With the database unreadable, `ivr check` says so and names the first file by name."""
    (tmp_path / "shared.sqlite3").mkdir()
    monkeypatch.setenv("IVR_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    copy_sorting_first(menus)
    result = CliRunner().invoke(main, ["check", "--menus", str(menus)])
    assert "warning: IVR_DATABASE_URL cannot be read: a number two files claim is named as " \
           "the first file's by name" in result.output
    assert checked_claims(menus)[0].startswith(f"{menus / 'orebro-carelock.yaml'}:")


def test_a_server_booting_while_the_database_is_down_keeps_the_claims_it_read(
        menus, clock, tmp_path, monkeypatch):
    """The claims read last are kept in the state directory: a worker booting while the
    database cannot be reached answers as its siblings do."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    monkeypatch.setenv("IVR_DATABASE_URL", url)
    running = app_over(menus, clock, tmp_path / "a")
    claimed(running)
    copy_sorting_first(menus)
    (tmp_path / "shared.sqlite3").unlink()
    (tmp_path / "shared.sqlite3").mkdir()  # the database cannot be opened now
    booted = app_over(menus, clock, tmp_path / "a")
    assert booted.extensions[REGISTRY].by_number(CARELOCK).id == "orebro-carelock"


def test_a_file_deleted_and_written_back_broken_keeps_its_number_on_every_server(
        menus, clock, tmp_path, shared_database):
    """Server A serves the lines; B the same plus a copy sorting first. B's original file is
    deleted, then written back broken, then restored, and A gets the copy too: at every step
    both servers answer the number with the line that claimed it first, and neither writes
    the record in turn with the other."""
    other = tmp_path / "menus-b"
    shutil.copytree(menus, other)
    a, b = app_over(menus, clock, tmp_path / "a"), app_over(other, clock, tmp_path / "b")
    assert claimed(a) == "orebro-carelock"
    copy_sorting_first(other)
    assert claimed(b) == "orebro-carelock"
    original = other / "orebro-carelock.yaml"
    good = original.read_text(encoding="utf-8")
    original.unlink()
    for _ in range(2):
        assert claimed(b) == claimed(a) == "orebro-carelock"
    original.write_text(good + "nodes: [\n", encoding="utf-8")
    assert claimed(b) == claimed(a) == "orebro-carelock"
    original.write_text(good, encoding="utf-8")
    copy_sorting_first(menus)
    for _ in range(2):
        assert claimed(a) == claimed(b) == "orebro-carelock"
    assert first_words(a, CARELOCK) == first_words(b, CARELOCK)
    refused = checked_claims(other)
    assert refused and refused[0].startswith(f"{other / 'a-copy.yaml'}:")
