"""The console's routes through Flask's test client: sign-in, CSRF, pages, switch, phone."""

import logging
import re
import time
import xml.etree.ElementTree as ET

import pytest
from conftest import MENUS, MINIMAL, Clock, utc
from flask import request, request_started
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.security import generate_password_hash

from ivr.console import create_app, signins
from ivr.core.errors import IvrError
from ivr.journal import switchboard
from ivr.menufile.switchfile import path_for, read
from ivr.server.app import refresh

PASSWORD = "correct horse"
TOKEN = "console-test-token"
ROUTES = [("GET", "/console/"), ("GET", "/console/line/orebro-kommunsupport"),
          ("GET", "/console/phone"), ("POST", "/console/phone/call"),
          ("POST", "/console/line/orebro-kommunsupport/switch"), ("POST", "/console/sign-out")]


@pytest.fixture(scope="session")
def users_file(tmp_path_factory):
    """An admin with a quick hash: the default scrypt costs 0.2 s a check, too slow per test."""
    path = tmp_path_factory.mktemp("console") / "users"
    path.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")
    return path


@pytest.fixture
def app(menus, users_file):
    clock = Clock()
    clock.now = utc("2026-11-25T09:00Z")  # Wednesday 10:00 in Stockholm
    return create_app({"MENUS": str(menus), "CLOCK": clock, "CONSOLE_USERS": str(users_file),
                       "TWILIO_AUTH_TOKEN": TOKEN, "RELOAD_INTERVAL": 0})


def token_of(page: str) -> str:
    return re.search(r'(?:name="csrf" value|data-csrf)="([^"]+)"', page).group(1)


def sign_in(client, name="admin", password=PASSWORD):
    form = {"csrf": token_of(client.get("/console/sign-in").get_data(as_text=True)),
            "name": name, "password": password}
    return client.post("/console/sign-in", data=form)


@pytest.fixture
def client(app):
    client = app.test_client()
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture
def csrf(client):
    return token_of(client.get("/console/phone").get_data(as_text=True))


def text(response) -> str:
    return response.get_data(as_text=True)


def test_console_is_off_without_a_password(menus):
    """With neither a password nor a users file, /console does not exist."""
    assert create_app({"MENUS": str(menus)}).test_client().get("/console/").status_code == 404


def test_the_webhooks_app_alone_has_no_console(shipped_app):
    """The webhooks' own factory adds no console: only `ivr serve` (console.create_app) does."""
    assert "console" not in shipped_app.blueprints


@pytest.mark.parametrize("method,path", ROUTES)
def test_no_page_without_sign_in(app, method, path):
    """Every console route sends a stranger to the sign-in page (GET) or refuses (POST)."""
    response = app.test_client().open(path, method=method)
    if method == "GET":
        assert response.status_code == 302
        assert response.location.startswith("/console/sign-in")
    else:
        assert response.status_code == 401


def test_wrong_password_says_so_and_signs_nobody_in(app):
    """A wrong password gets a message on the form, and the pages stay closed."""
    client = app.test_client()
    response = sign_in(client, password="wrong")
    assert response.status_code == 401
    assert "Wrong name or password." in text(response)
    assert client.get("/console/").status_code == 302


def test_failed_sign_ins_are_limited(app):
    """After five failures the right password too must wait: guessing is slowed."""
    client = app.test_client()
    for _ in range(signins.ATTEMPTS):
        assert sign_in(client, password="guess").status_code == 401
    response = sign_in(client)
    assert response.status_code == 429
    assert "Too many failed attempts" in text(response)


def test_sign_in_needs_the_forms_csrf_token(app):
    """A sign-in posted from another site (no token) is refused with a message."""
    response = app.test_client().post("/console/sign-in",
                                      data={"name": "admin", "password": PASSWORD})
    assert response.status_code == 400
    assert "stale" in text(response)


def test_sign_in_returns_only_to_console_pages(app):
    """The 'next' address cannot send a signed-in admin to another site."""
    client = app.test_client()
    form = {"csrf": token_of(text(client.get("/console/sign-in"))), "name": "admin",
            "password": PASSWORD, "next": "https://evil.example/console/"}
    assert client.post("/console/sign-in", data=form).location == "/console/"


def test_password_setting_signs_admin_in(menus):
    """IVR_CONSOLE_PASSWORD alone turns the console on, for the name 'admin'."""
    app = create_app({"MENUS": str(menus), "CONSOLE_PASSWORD": PASSWORD})
    assert sign_in(app.test_client()).status_code == 302


def test_users_file_of_hashes_signs_its_users_in(menus, tmp_path):
    """A users file of werkzeug hashes lets each named user in, with their own password."""
    users = tmp_path / "users"
    users.write_text("# console users\n"
                     f"karin:{generate_password_hash('s3cret', 'pbkdf2:sha256:1000')}\n")
    app = create_app({"MENUS": str(menus), "CONSOLE_USERS": str(users)})
    assert sign_in(app.test_client(), "karin", "s3cret").status_code == 302
    assert sign_in(app.test_client(), "admin", "s3cret").status_code == 401


def test_malformed_users_file_names_file_and_line(menus, tmp_path):
    """A users file line without a hash is refused at start-up, naming where."""
    users = tmp_path / "users"
    users.write_text("karin:\n")
    with pytest.raises(IvrError, match=r"users:1: write NAME:HASH"):
        create_app({"MENUS": str(menus), "CONSOLE_USERS": str(users)})


@pytest.mark.parametrize("path", ["/console/phone/call",
                                  "/console/line/orebro-kommunsupport/switch",
                                  "/console/sign-out"])
def test_posts_without_csrf_token_are_refused(client, path, menus):
    """Every action needs the session's CSRF token; without it nothing changes."""
    response = client.post(path, data={"state": "closed", "until": "2026-11-25T15:00"})
    assert response.status_code == 400
    assert "CSRF" in text(response)
    assert not path_for(menus, "orebro-kommunsupport").exists()
    assert client.get("/console/").status_code == 200


def test_overview_lists_every_line_with_state_and_placeholders(client):
    """The overview names each shipped line, its numbers, what is open and what comes next."""
    page = text(client.get("/console/"))
    for line in ("Kommunsupport, Örebro kommun", "Brukarstøtte", "Driftstopp i IntraPhone",
                 "Felanmälan Carelock, Örebro kommun"):
        assert line in page
    assert "+4619212000" in page
    assert "tes-desk open" in page and "until Wed 12:00" in page
    assert "+46701740605" in page  # a placeholder still in use
    assert "answers at every hour" in page  # IntraPhone has no schedules


def test_overview_says_whom_callers_reach_now(app, client, menus, monkeypatch):
    """In plain words: the desks a call rings now and the keys to them, or that no key
    rings anyone (a line of messages only)."""
    page = text(client.get("/console/"))
    assert "Callers reach: it-desk <span class=\"muted\">(4)</span>, tes-desk" in page
    assert "weekday <span class=\"muted\">(at once)</span>" in page  # Carelock by day
    monkeypatch.setattr("ivr.console.pages.now", lambda: utc("2026-11-25T11:30Z"))
    lunch = text(client.get("/console/line/orebro-kommunsupport"))  # 12:30, lunch
    assert "Callers reach: lock-day-call <span class=\"muted\">(3 1 1 1)</span>" in lunch
    (menus / "messages.yaml").write_text(MINIMAL, encoding="utf-8")
    refresh(app)
    only = text(client.get("/console/line/messages"))
    assert "No key rings anyone now: callers hear messages only." in only


def test_overview_shows_each_files_state(app, client, menus):
    """A broken edit shows its error and the last good version still served; a new broken
    file that never worked is listed as not served."""
    path = menus / "brukarstotte.yaml"
    path.write_text(path.read_text().replace("start: priority", "start: priorty"))
    (menus / "nytt.yaml").write_text("name: [\n")
    refresh(app)
    page = text(client.get("/console/"))
    assert page.count('<span class="ok">ok</span>') == 3
    assert "priorty" in page and "serving the last good version" in page
    assert "nytt.yaml" in page and "not served: no good version kept" in page


def test_overview_says_a_gone_file_is_still_served_and_until_when(app, client, menus):
    """A deleted file: the overview says so, what still answers and when the line retires."""
    (menus / "brukarstotte.yaml").unlink()
    refresh(app)
    page = text(client.get("/console/"))
    assert "file gone" in page and "serving the last good version" in page
    assert "then the line retires: put the file back to keep it" in page


def test_line_page_warns_of_a_number_another_file_answers(app, client, menus):
    """A copy claiming Kommunsupport's number: the copy's page says who answers it, so the
    owner does not set a switch its callers would never get; the original's page does not."""
    copy = (menus / "orebro-kommunsupport.yaml").read_text(encoding="utf-8")
    (menus / "zz-copy.yaml").write_text(copy.replace("name: ", "name: Kopia, ", 1),
                                        encoding="utf-8")
    refresh(app)
    page = text(client.get("/console/line/zz-copy"))
    assert ("+4619212000 is answered by Kommunsupport, Örebro kommun, not by this line: its\n"
            "    callers get neither this line nor its switch.") in page
    assert "is answered by" not in text(client.get("/console/line/orebro-kommunsupport"))


def test_line_page_has_flow_hours_and_named_holidays(client):
    """A line's page carries the Mermaid flow and any week's hours with holidays named."""
    page = text(client.get("/console/line/orebro-kommunsupport?week=2026-W52"))
    assert '<pre class="mermaid" id="flow">flowchart TD' in page
    assert "2026-12-25" in page and "Juldagen" in page
    assert "Hours, week 2026-W52" in page


@pytest.mark.parametrize("path,status,message", [
    ("/console/line/no-such-line", 404, "No line &#39;no-such-line&#39;"),
    ("/console/line/orebro-kommunsupport?week=52", 400, "is not an ISO week"),
    ("/console/phone?line=nope", 404, "No line"),
    ("/console/line/orebro-kommunsupport?week=9999-W52", 400, "outside 1970-2200"),
    ("/console/line/orebro-kommunsupport?week=0001-W01", 400, "outside 1970-2200"),
])
def test_bad_addresses_get_a_message_not_a_500(client, path, status, message):
    """An unknown line or a garbled week is answered with a page saying what is wrong."""
    response = client.get(path)
    assert response.status_code == status
    assert message in text(response)


def switch(client, csrf, **form):
    return client.post("/console/line/orebro-kommunsupport/switch",
                       data={"csrf": csrf, "say": "", **form})


def test_switch_closes_the_line_and_is_audited(client, csrf, menus, caplog):
    """A closed switch is written as `ivr override` writes it, shown, and logged with who."""
    caplog.set_level(logging.INFO, logger="ivr.console.audit")
    response = switch(client, csrf, state="closed", until="2026-11-25T15:00",
                      say="Vi har driftstörningar.")
    assert response.status_code == 302
    written = read(path_for(menus, "orebro-kommunsupport"))
    assert (written.state, written.until, written.say) == (
        "closed", utc("2026-11-25T14:00Z"), "Vi har driftstörningar.")
    page = text(client.get("/console/"))
    assert "Vi har driftstörningar." in page and "tes-desk closed" in page
    week = text(client.get("/console/line/orebro-kommunsupport"))
    assert "switched closed 10:00-15:00" in week  # the week's hours, as `ivr hours` shows
    assert any("user=admin action=switch line='orebro-kommunsupport'" in record.message
               for record in caplog.records)
    assert switch(client, csrf, state="off").status_code == 302
    assert not path_for(menus, "orebro-kommunsupport").exists()


@pytest.mark.parametrize("form,message", [
    ({"state": "closed", "until": ""}, "needs an end time"),
    ({"state": "shut", "until": "2026-11-25T15:00"}, "Choose closed, open or off."),
    ({"state": "closed", "until": "2026-11-25T09:59"}, "The end time is in the past"),
    ({"state": "open", "until": "2026-12-09T10:00"}, "more than 7 days ahead"),
    ({"state": "closed", "until": "2027-03-28T02:30"}, "the clocks skip that hour"),
    ({"state": "closed", "until": "tomorrow"}, "is not a time"),
    ({"state": "closed", "until": "0001-01-01T00:00"}, "outside 1970-2200"),
    ({"state": "closed", "until": "2026-11-25T15:00", "say": "x" * 501}, "The message must be"),
    ({"state": "closed", "until": "2026-11-25T15:00", "say": "två\nrader"}, "one line"),
    ({"state": "closed", "until": "2026-11-25T15:00", "say": "Öppnar {opens:line-open}"},
     "The message is said as written"),
])
def test_bad_switch_input_is_explained_on_the_page(client, csrf, menus, form, message):
    """A refused switch keeps what was typed, says why, and writes nothing."""
    response = switch(client, csrf, **form)
    assert response.status_code == 400
    assert message in text(response)
    assert not path_for(menus, "orebro-kommunsupport").exists()


def call(client, csrf, **body):
    return client.post("/console/phone/call", json={"line": "orebro-kommunsupport",
                                                    "at": "2026-11-25T10:00", **body},
                       headers={"X-CSRF-Token": csrf})


def test_phone_runs_the_call_to_the_dial_then_to_its_end(client, csrf):
    """Keys 3, 1 on a Wednesday at 10:00 reach the TES desk; 'busy' gives the address and
    offers the lock line; a silence there ends the call politely."""
    first = call(client, csrf, keys=["3", "1"]).get_json()
    assert first["waiting"] == "dial" and first["numbers"] == ["+46701740605"]
    assert [kind for kind, _ in first["events"]] == ["say", "say", "keys", "say", "keys",
                                                     "say"]
    assert "TES" in first["events"][3][1]
    done = call(client, csrf, keys=["3", "1"], dials=["busy"], sid=first["sid"]).get_json()
    assert done["events"][:6] == first["events"]
    assert done["events"][6] == ["dial", "+46701740605 → busy"]
    assert "Carelock" in done["events"][-1][1] and done["waiting"] == "keys"
    ended = call(client, csrf, keys=["3", "1", "-"], dials=["busy"], sid=first["sid"]).get_json()
    assert ended["ended"] == "hangup" and ended["waiting"] is None


def test_each_phone_call_is_audited_once(client, csrf, caplog):
    """A call from the phone is one audit line with who, which line and when, however long."""
    caplog.set_level(logging.INFO, logger="ivr.console.audit")
    sid = call(client, csrf).get_json()["sid"]
    call(client, csrf, keys=["3"], sid=sid)
    lines = [r.message for r in caplog.records if "action=phone-call" in r.message]
    assert len(lines) == 1
    assert "user=admin" in lines[0] and "line='orebro-kommunsupport'" in lines[0]
    assert "at='2026-11-25T09:00:00+00:00'" in lines[0]


def test_phone_waits_for_a_key_with_the_menus_timeout(client, csrf):
    """A call with no keys yet stops at the first menu and tells the browser how long to wait."""
    answer = call(client, csrf).get_json()
    assert answer["waiting"] == "keys" and answer["timeout"] > 0
    assert answer["language"] == "sv-SE"


def test_phone_uses_the_chosen_time_not_the_servers(client, csrf):
    """At 19:30 the line is closed, whatever the server's clock says."""
    answer = call(client, csrf, at="2026-11-25T19:30").get_json()
    assert "stängt" in " ".join(text for _, text in answer["events"]).lower()


@pytest.mark.parametrize("body,message", [
    ({"line": "nope"}, "Pick a line"),
    ({"at": "2027-03-28T02:30"}, "the clocks skip that hour"),
    ({"at": ""}, "Time of call"),
    ({"at": "0001-01-01T00:00"}, "outside 1970-2200"),
    ({"keys": ["12"]}, "Keys are 0-9"),
    ({"dials": ["answered"]}, "dial outcomes are"),
    ({"keys": "3"}, "Keys are 0-9"),
])
def test_phone_refuses_bad_input_with_a_message(client, csrf, body, message):
    """Bad call input is a 400 whose message the page shows, never a 500."""
    response = call(client, csrf, **body)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_phone_calls_are_signed_and_marked_as_rehearsals(app, client, csrf):
    """Each webhook request of the phone carries a valid signature and the rehearsal mark."""
    seen = []

    def record(sender, **extra):
        if request.blueprint == "voice":
            seen.append((request.url, request.form.to_dict(), request.environ.copy()))

    with request_started.connected_to(record, app):
        call(client, csrf, keys=["3"])
    assert len(seen) == 2
    for url, form, environ in seen:
        signature = environ["HTTP_X_TWILIO_SIGNATURE"]
        assert RequestValidator(TOKEN).validate(url, form, signature)
        assert environ["ivr.rehearsal"] is True
        assert environ["ivr.rehearsal.clock"] == utc("2026-11-25T09:00Z")


def test_webhooks_still_need_a_signature_with_the_console_on(client):
    """Signing in to the console opens no door to the webhooks: unsigned posts get 403."""
    response = client.post("/voice", data={"To": "+4619212000", "CallSid": "CA" + "0" * 32})
    assert response.status_code == 403
    signature = RequestValidator(TOKEN).compute_signature(
        "http://localhost/voice", {"To": "+4619212000"})
    signed = client.post("/voice", data={"To": "+4619212000"},
                         headers={"X-Twilio-Signature": signature})
    assert ET.fromstring(signed.data).tag == "Response"


def test_pages_forbid_scripts_from_elsewhere(client):
    """Every page's Content-Security-Policy allows scripts from the console itself only."""
    policy = client.get("/console/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy


def test_vendored_scripts_are_served_with_their_licences(client):
    """Mermaid and Chart.js come from the console's own static folder, licences beside."""
    for name in ("mermaid-12.3.0.min.js", "chart.js-4.6.1.umd.min.js",
                 "mermaid-LICENSE.txt", "chart.js-LICENSE.md"):
        assert client.get(f"/console/static/vendor/{name}").status_code == 200


def test_sign_out_ends_the_session(client, csrf):
    """After signing out, the pages need a sign-in again."""
    assert client.post("/console/sign-out", data={"csrf": csrf}).status_code == 302
    assert client.get("/console/").status_code == 302


def test_clock_is_the_servers_outside_rehearsals(app, client):
    """The console pages read the server clock: Wednesday 10:00 is shown on the overview."""
    assert "Wed 2026-11-25 10:00 Europe/Stockholm" in text(client.get("/console/"))
    assert MENUS.is_dir()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_text_in_any_field_is_answered_without_a_500(client, csrf, text):
    """Whatever is typed into a week, a span, a time of call or a switch, no page fails."""
    line = "/console/line/orebro-kommunsupport"
    assert client.get(line, query_string={"week": text}).status_code in (200, 400)
    assert client.get(f"{line}/stats", query_string={"from": text}).status_code in (200, 400)
    assert call(client, csrf, at=text).status_code in (200, 400)
    assert switch(client, csrf, state="closed", until=text, say=text).status_code in (302, 400)


def test_phone_offers_the_next_minute_so_a_fresh_switch_is_heard(client):
    """The time of call starts at the next whole minute in the line's zone, after any switch
    set in the current one (a switch is not in force before the moment it was set)."""
    page = text(client.get("/console/phone?line=orebro-kommunsupport"))
    assert 'id="at" value="2026-11-25T10:01"' in page


def test_serve_refuses_a_malformed_users_file_before_starting(tmp_path):
    """`ivr serve` names the users file and its line, exit 1, before any worker starts."""
    from click.testing import CliRunner

    from ivr.admin.commands import main

    users = tmp_path / "users"
    users.write_text("# console users\nkarin:not-a-hash\n")
    result = CliRunner().invoke(main, ["serve", "--insecure", "--menus", str(MENUS)], env={
        "TWILIO_AUTH_TOKEN": "", "IVR_CONSOLE_USERS": str(users)})
    assert result.exit_code == 1
    assert f"{users}:2: write NAME:HASH" in result.output


def test_with_a_shared_database_the_switch_is_stored_there(menus, users_file, tmp_path,
                                                            monkeypatch):
    """With IVR_DATABASE_URL, the form stores the switch as `ivr override` does: in the shared
    database every server reads, not in a file; the overview shows it once read back."""
    url = f"sqlite:///{tmp_path}/shared.sqlite3"
    monkeypatch.setenv("IVR_DATABASE_URL", url)
    clock = Clock()
    clock.now = utc("2026-11-25T09:00Z")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "CONSOLE_USERS": str(users_file)})
    client = app.test_client()
    sign_in(client)
    csrf = token_of(text(client.get("/console/phone")))
    assert switch(client, csrf, state="closed", until="2026-11-25T15:00",
                  say="Stängt i alla servrar.").status_code == 302
    assert switchboard.current(url, "orebro-kommunsupport").state == "closed"
    assert not path_for(menus, "orebro-kommunsupport").exists()
    deadline = time.monotonic() + 30  # each worker reads the table every second
    while "Stängt i alla servrar." not in text(client.get("/console/")):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert switch(client, csrf, state="off").status_code == 302
    assert switchboard.current(url, "orebro-kommunsupport") is None


def test_a_switch_file_that_cannot_be_written_is_a_message(client, csrf, menus):
    """A directory where the switch file belongs is said on the page, not a 500."""
    path_for(menus, "orebro-kommunsupport").mkdir(parents=True)
    response = switch(client, csrf, state="closed", until="2026-11-25T15:00")
    assert response.status_code == 400
    assert "cannot be written" in text(response)
    response = switch(client, csrf, state="off")
    assert response.status_code == 400
    assert "cannot be removed" in text(response)


def test_phone_signs_for_the_public_url_when_one_is_set(menus, users_file):
    """With --public-url, signatures are checked against it; the phone signs that address."""
    app = create_app({"MENUS": str(menus), "CONSOLE_USERS": str(users_file),
                      "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_URL": "https://ivr.example.org"})
    client = app.test_client()
    sign_in(client)
    csrf = token_of(text(client.get("/console/phone")))
    answer = call(client, csrf).get_json()
    assert answer["waiting"] == "keys" and answer["events"][0][0] == "say"


@pytest.mark.parametrize("sid", ["CA" + "0123456789abcdef" * 2, "RH" + "0" * 48, 12, ["x"],
                                 "not a sid"])
def test_phone_never_touches_a_call_it_did_not_start(app, client, csrf, sid):
    """A SID the session did not get from the phone (a real call's, a forged one) is a 400
    that reaches no webhook."""
    seen = []

    def record(sender, **extra):
        if request.blueprint == "voice":
            seen.append(request.form.get("CallSid"))

    with request_started.connected_to(record, app):
        response = call(client, csrf, keys=["3"], sid=sid)
    assert response.status_code == 400 and "not started from this sign-in" in text(response)
    assert seen == []


def test_a_rehearsal_sid_is_bound_to_its_session(app, client, csrf):
    """Rehearsal SIDs begin RH, never CA; another signed-in session cannot continue one."""
    sid = call(client, csrf).get_json()["sid"]
    assert sid.startswith("RH") and not sid.startswith("CA")
    assert call(client, csrf, keys=["3"], sid=sid).status_code == 200
    other = app.test_client()
    sign_in(other)
    other_csrf = token_of(text(other.get("/console/phone")))
    assert call(other, other_csrf, keys=["3"], sid=sid).status_code == 400


def test_every_phone_step_is_audited_with_its_sid(client, csrf, caplog):
    """Each continuation of a call is one audit line naming the call's SID."""
    caplog.set_level(logging.INFO, logger="ivr.console.audit")
    sid = call(client, csrf).get_json()["sid"]
    call(client, csrf, keys=["3"], sid=sid)
    steps = [r.message for r in caplog.records if "action=phone-step" in r.message]
    assert len(steps) == 1 and f"sid='{sid}'" in steps[0]


def test_an_unreachable_shared_database_is_a_message(menus, users_file, tmp_path, monkeypatch):
    """With the shared database down, the page says the switch was NOT set: no bare 500."""
    clock = Clock()
    clock.now = utc("2026-11-25T09:00Z")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "CONSOLE_USERS": str(users_file),
                      "STATE_DIR": str(tmp_path / "state")})
    client = app.test_client()
    sign_in(client)  # before the database goes down: signing in needs it too
    csrf = token_of(text(client.get("/console/phone")))
    monkeypatch.setenv("IVR_DATABASE_URL", "postgresql://ivr:secret@127.0.0.1:9/ivr")  # closed
    for form in ({"state": "closed", "until": "2026-11-25T15:00"}, {"state": "off"}):
        response = switch(client, csrf, **form)
        assert response.status_code == 400, text(response)
        assert "the switch was NOT set" in text(response)


@pytest.mark.parametrize("at,status", [("2200-06-01T10:00", 200), ("2201-01-01T10:00", 400),
                                       ("1970-01-02T10:00", 200), ("1969-12-31T10:00", 400)])
def test_phone_takes_the_years_a_test_clock_takes(client, csrf, at, status):
    """The phone's time of call spans 1970-2200, as `ivr serve --test-clock` does."""
    response = call(client, csrf, at=at)
    assert response.status_code == status, text(response)


@pytest.mark.parametrize("dials,how", [(["busy"], "The line hung up."),
                                       (["completed"], "Connected to +46701740606; the call")])
def test_phone_says_how_the_call_ended(client, csrf, dials, how):
    """The end of a call is said in words: connected to whom, or that the line hung up."""
    sid = call(client, csrf).get_json()["sid"]
    done = call(client, csrf, keys=["4"], dials=dials, sid=sid).get_json()
    assert done["waiting"] is None and done["how"].startswith(how)
