"""The menus folder, kept current: new lines, edits, bad edits and deletions, live."""

import os
import shutil
import threading
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from conftest import MENUS, MINIMAL

from ivr.server.app import create_app, refresh
from ivr.server.registry import MenusFolderError, Registry
from ivr.server.webhooks import REGISTRY

NEW = MINIMAL.replace("+46101234567", "+46101234500").replace("Tryck 1.", "Ny linje.")


def refresh_now(client):
    """Run the background check once, now (the tests' apps start no watcher)."""
    refresh(client.application)


def say(client, number):
    refresh_now(client)
    response = client.post("/voice", data={"To": number})
    assert response.status_code == 200
    return [s.text for s in ET.fromstring(response.data).iter("Say")]


def touch_later(path):
    """Give the file a new mtime even on filesystems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def live(menus, clock):
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    return app.test_client()


def test_dropping_a_file_adds_a_line(live, menus):
    """A new YAML file in menus/ is answered on its number, no code and no restart."""
    assert say(live, "+46101234500")[0].startswith("Tyvärr")
    (menus / "new-line.yaml").write_text(NEW, encoding="utf-8")
    assert say(live, "+46101234500") == ["Ny linje."]


def test_valid_edit_is_swapped_in(live, menus):
    """An edited file is served at the next request after the reload interval."""
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    say(live, "+46101234500")
    path.write_text(NEW.replace("Ny linje.", "Ändrad."), encoding="utf-8")
    touch_later(path)
    assert say(live, "+46101234500") == ["Ändrad."]


def test_invalid_edit_keeps_the_last_good_version(live, menus, caplog):
    """A broken edit is logged with its errors while the last good version keeps serving."""
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    say(live, "+46101234500")
    path.write_text(NEW.replace("1: bye", "1: nowhere"), encoding="utf-8")
    touch_later(path)
    assert say(live, "+46101234500") == ["Ny linje."]
    assert "unknown node 'nowhere'" in caplog.text
    assert "serving its last good version" in caplog.text


def test_deleted_file_keeps_its_line_until_it_retires(live, menus, clock):
    """A deleted file's line answers from its last good version for a day (RETIRE_AFTER),
    /health says so and until when; then its number is no longer answered by it."""
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    assert say(live, "+46101234500") == ["Ny linje."]
    path.unlink()
    assert say(live, "+46101234500") == ["Ny linje."]
    report = live.get("/health").json["files"]["new-line.yaml"]
    assert report["status"] == "gone" and report["since"] == clock.now.isoformat()
    assert report["retires"] == (clock.now + timedelta(hours=24)).isoformat()
    assert report["serving"].startswith("last good version ")
    clock.now += timedelta(hours=24, minutes=-1)
    assert say(live, "+46101234500") == ["Ny linje."]
    clock.now += timedelta(minutes=1)
    assert say(live, "+46101234500")[0].startswith("Tyvärr kan samtalet")
    assert "new-line.yaml" not in live.get("/health").json["files"]


def test_calls_in_progress_survive_a_reload(live, menus):
    """A call's next step after a reload still lands in the same node."""
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    say(live, "+46101234500")
    path.write_text(NEW.replace("Ny linje.", "Ändrad."), encoding="utf-8")
    touch_later(path)
    refresh_now(live)
    response = live.post("/gather?line=new-line&node=main", data={"Digits": "1"})
    assert [s.text for s in ET.fromstring(response.data).iter("Say")] == ["Hej då."]


def test_missing_folder_is_a_clear_error(tmp_path):
    """A menus folder that does not exist is refused with its path named."""
    with pytest.raises(MenusFolderError, match="no such menus folder"):
        Registry(tmp_path / "nope").load()


def test_a_missing_folder_says_how_many_lines_are_kept(tmp_path):
    """A server whose menus folder is gone, but whose state keeps lines, is not started
    (most often a wrong --menus), and the admin is told the kept lines are there."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    Registry(menus, state=tmp_path / "state").load()
    shutil.rmtree(menus)
    with pytest.raises(MenusFolderError, match=r"no such menus folder; pass --menus DIR or "
                       r"set IVR_MENUS \(4 line\(s\) have a last good version in "):
        Registry(menus, state=tmp_path / "state").load()


def test_number_claimed_twice_keeps_the_first(menus, caplog):
    """Two files claiming one number: the first (by file name) answers, and it is logged."""
    (menus / "zz-copy.yaml").write_text(
        (menus / "orebro-carelock.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    registry = Registry(menus)
    registry.load()
    assert registry.by_number("+46701740610").id == "orebro-carelock"
    assert "claimed by both" in caplog.text


def test_server_keeps_answering_while_files_change(menus, clock):
    """Callers get TwiML on every request while a file is rewritten good, bad and deleted."""
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    failures, stop = [], threading.Event()

    def caller():
        client = app.test_client()
        while not stop.is_set():
            for number in ("+46101234500", "+4619212000"):
                response = client.post("/voice", data={"To": number})
                if response.status_code != 200 or not response.data.startswith(b"<?xml"):
                    failures.append(response.status_code)

    threads = [threading.Thread(target=caller) for _ in range(3)]
    for thread in threads:
        thread.start()
    for round_ in range(30):
        text = NEW.replace("1: bye", "1: nowhere") if round_ % 3 == 1 else NEW
        path.write_text(text.replace("Ny linje.", f"Version {round_}."), encoding="utf-8")
        touch_later(path)
        if round_ % 10 == 9:
            path.unlink()
    stop.set()
    for thread in threads:
        thread.join()
    assert failures == []


def test_line_retired_mid_call_apologises(live, menus, clock):
    """A caller whose line retired mid-call hears an apology, not an error."""
    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    assert say(live, "+46101234500") == ["Ny linje."]
    path.unlink()
    refresh_now(live)
    clock.now += timedelta(days=1)
    refresh_now(live)
    response = live.post("/gather?line=new-line&node=main",
                         data={"To": "+46101234500", "Digits": "1"})
    assert response.status_code == 200
    assert ET.fromstring(response.data)[-1].tag == "Hangup"


def directories_in_place_of_files(menus):
    """A directory named like a menu file, and one where intraphone's switch file goes."""
    (menus / "x.yaml").mkdir()
    (menus / "switches" / "intraphone.yaml").mkdir(parents=True)


def test_worker_boots_with_directories_in_place_of_files(menus, clock):
    """A worker booting beside a directory x.yaml and switches/<line>.yaml serves every line."""
    create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    directories_in_place_of_files(menus)
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    client = app.test_client()
    assert not say(client, "+46701740620")[0].startswith("Tyvärr kan samtalet")  # intraphone
    files = client.get("/health").json["files"]
    assert "is not a regular file" in files["x.yaml"]["error"]
    assert {files[name]["status"] for name in files if name != "x.yaml"} == {"ok"}


def test_broken_file_is_logged_once_per_change(live, menus, caplog):
    """A broken file is logged when it changes, not again at every round of the check."""
    directories_in_place_of_files(menus)
    path = menus / "new-line.yaml"
    path.write_text(NEW.replace("1: bye", "1: nowhere"), encoding="utf-8")
    for _ in range(3):
        refresh_now(live)
    assert caplog.text.count("new-line.yaml has errors") == 1
    assert caplog.text.count("x.yaml has errors") == 1
    path.write_text(NEW.replace("1: bye", "1: elsewhere"), encoding="utf-8")
    touch_later(path)
    for _ in range(3):
        refresh_now(live)
    assert caplog.text.count("new-line.yaml has errors") == 2


def test_a_surprise_in_one_file_leaves_the_others_checked(live, menus, caplog, monkeypatch):
    """An unexpected failure while checking one file keeps what it served, logged once."""
    import ivr.server.registry as registry

    attach = registry.switchfile.attach

    def surprise(line, folder):
        if line.id == "new-line":
            raise RuntimeError("surprise")
        return attach(line, folder)

    path = menus / "new-line.yaml"
    path.write_text(NEW, encoding="utf-8")
    assert say(live, "+46101234500") == ["Ny linje."]
    monkeypatch.setattr(registry.switchfile, "attach", surprise)
    path.write_text(NEW.replace("Ny linje.", "Ändrad."), encoding="utf-8")
    touch_later(path)
    (menus / "other.yaml").write_text(NEW.replace("+46101234500", "+46101234511"),
                                      encoding="utf-8")
    for _ in range(3):
        assert say(live, "+46101234500") == ["Ny linje."]
    assert say(live, "+46101234511") == ["Ny linje."]
    assert caplog.text.count("new-line.yaml could not be checked") == 1
    report = live.get("/health").json["files"]["new-line.yaml"]
    assert report["status"] == "broken" and "RuntimeError: surprise" in report["error"]


def test_a_switch_alone_is_attached_again_without_parsing_the_menu(menus, clock, monkeypatch):
    """A switch set or ended re-attaches it to the line as loaded: the menu file, however
    large, is not parsed anew, so a console's switch costs its worker no time."""
    from conftest import utc

    from ivr.core.model import Switch
    from ivr.menufile import switchfile
    from ivr.server import lastgood

    clock.now = utc("2026-11-24T09:00Z")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    parsed = []
    real = lastgood.parse_line
    monkeypatch.setattr(lastgood, "parse_line", lambda *a: parsed.append(a[1]) or real(*a))
    path = switchfile.path_for(menus, "orebro-carelock")
    switchfile.write(path, Switch("closed", clock.now + timedelta(hours=2), "Stängt."),
                     clock.now)
    refresh(app)
    assert app.extensions[REGISTRY].line("orebro-carelock").switch.say == "Stängt."
    switchfile.remove(path)
    refresh(app)
    assert app.extensions[REGISTRY].line("orebro-carelock").switch is None
    assert parsed == []


def test_a_refresh_that_must_not_wait_does_not(menus, clock):
    """With another refresh holding the lock, refresh(wait=False) returns at once."""
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    registry = app.extensions[REGISTRY]
    assert registry._lock.acquire()
    try:
        done = threading.Event()
        threading.Thread(target=lambda: (refresh(app, wait=False), done.set()),
                         daemon=True).start()
        assert done.wait(2)
    finally:
        registry._lock.release()
