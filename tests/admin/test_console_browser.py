"""A real browser drives the console: Playwright with Debian's Chromium against `ivr serve`.

The server runs as admins run it (gunicorn, a Twilio token, so every phone step is signed)
on a free loopback port, over a copy of the shipped menus. Screenshots of each page are
kept in test-artefacts/console/.
"""

import shutil
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import MENUS, ROOT
from werkzeug.security import generate_password_hash

from ivr.sim.caller import Caller, scripted
from ivr.sim.transport import OverHttp

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
ARTEFACTS = ROOT / "test-artefacts" / "console"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "browser-test"
TOKEN = "browser-test-token"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

if not CHROMIUM.exists():
    pytest.skip("the browser tests need Chromium: apt-get install chromium",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser tests need Playwright: pip install playwright")
expect = sync_api.expect


def bench_serving():
    """bench/serving.py, the one way the project starts a server on a free loopback port."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import serving
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return serving


@dataclass(frozen=True)
class Served:
    base: str
    state: Path
    """The state directory, where `ivr serve` keeps its journal."""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`ivr serve` with a Twilio token and the console on; yields its base URL."""
    folder = tmp_path_factory.mktemp("browser")
    menus = folder / "menus"
    shutil.copytree(MENUS, menus)
    users = folder / "users"
    users.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")
    with pytest.MonkeyPatch.context() as patch:  # the server inherits both
        patch.setenv("IVR_CONSOLE_USERS", str(users))
        patch.chdir(folder)  # so the console shows menus/… as an admin would type it
        process, base = bench_serving().start(
            [sys.executable, "-m", "ivr", "serve", "--menus", "menus", "--state", "state",
             "--workers", "1"], TOKEN)
    yield Served(base, folder / "state")
    process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server):
    """A signed-in Chromium page."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        page.goto(f"{server.base}/console/")
        page.get_by_label("Name").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Lines")).to_be_visible()
        yield page
        browser.close()


def shot(page, name: str) -> None:
    page.screenshot(path=ARTEFACTS / f"{name}.png", full_page=True)


def test_overview_lists_every_shipped_line(page, server):
    """After signing in, the overview has a row for every menu file shipped."""
    page.goto(f"{server.base}/console/")
    rows = page.locator("table.lines tbody tr")
    expect(rows).to_have_count(len(list(MENUS.glob("*.yaml"))))
    for path in MENUS.glob("*.yaml"):
        expect(page.get_by_text(path.stem, exact=True)).to_be_visible()
    shot(page, "overview")


def test_line_page_draws_the_flow(page, server):
    """The line's page turns the Mermaid text into a drawn SVG, beside the week's hours."""
    page.goto(f"{server.base}/console/line/orebro-kommunsupport?week=2026-W52")
    expect(page.locator("#flow svg")).to_be_visible()
    expect(page.get_by_role("cell", name="holiday: Juldagen")).to_be_visible()
    shot(page, "line")


def call(page, server, at: str | None):
    page.goto(f"{server.base}/console/phone?line=orebro-kommunsupport")
    if at:
        page.get_by_label("Time of call").fill(at)
    page.get_by_role("button", name="Call").click()
    return page.get_by_role("log")


def test_phone_calls_kommunsupport_presses_3_then_1(page, server):
    """Wednesday 10:00: keys 3 (keypad) and 1 (keyboard) reach the TES desk; busy, the line
    offers the lock line and waits; the tester hangs up."""
    log = call(page, server, "2026-11-25T10:00")
    three = page.get_by_role("button", name="3", exact=True)
    expect(three).to_be_enabled()
    three.click()
    expect(page.get_by_role("button", name="1", exact=True)).to_be_enabled()
    page.keyboard.press("1")
    expect(log).to_contain_text("TES")
    expect(page.get_by_text("Dialling +46701740605")).to_be_visible()
    shot(page, "phone")
    page.get_by_role("button", name="busy").click()
    expect(log).to_contain_text("+46701740605 → busy")
    expect(log).to_contain_text("Gäller det ett fel på Carelock eller Carelock gate, tryck 1.")
    expect(page.get_by_role("status")).to_have_text("Waiting for a key (6 s).")
    page.get_by_role("button", name="Hang up").click()
    expect(page.get_by_role("status")).to_have_text("You hung up.")
    expect(page.get_by_role("button", name="Call")).to_be_enabled()


def test_switching_a_line_closed_is_heard_on_the_next_call(page, server):
    """A closed switch set on the line's page is the first thing the next caller hears."""
    page.goto(f"{server.base}/console/line/orebro-kommunsupport")
    until = (datetime.now(UTC) + timedelta(hours=2)).astimezone(STOCKHOLM)
    page.get_by_label("State").select_option("closed")
    page.get_by_label("Until").fill(f"{until:%Y-%m-%dT%H:%M}")
    page.get_by_label("Message").fill("Vi har driftstörningar just nu.")
    page.get_by_role("button", name="Set switch").click()
    expect(page.get_by_role("status")).to_contain_text("Switched closed until")
    shot(page, "switch")
    log = call(page, server, None)
    expect(log).to_contain_text("Vi har driftstörningar just nu.")


def test_statistics_draw_charts_of_real_calls(page, server):
    """Calls placed as Twilio places them (signed) are drawn as charts and a heat map."""
    for keys, dial in ((["3", "1"], ["completed"]), (["4"], ["busy"]), (["9", "9", "9"], [])):
        Caller(OverHttp(server.base, TOKEN), to="+4619212000", keypad=scripted(keys),
               dial_statuses=dial).run()
    journal = sqlite3.connect(server.state / "journal.sqlite3")
    for _ in range(120):  # the journal is written off the request path, in batches
        if journal.execute("SELECT count(*) FROM calls WHERE NOT test").fetchone()[0] == 3:
            break
        time.sleep(0.25)
    journal.close()
    page.goto(f"{server.base}/console/line/orebro-kommunsupport/stats")
    expect(page.get_by_text("3 calls from")).to_be_visible()  # after a reload, if counting
    expect(page.locator("body[data-charts='4']")).to_be_attached()
    expect(page.locator("canvas")).to_have_count(4)
    shot(page, "statistics")
