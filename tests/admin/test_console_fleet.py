"""Sign-in shared across the fleet: two in-process apps on one store stand for two servers.

Sign-outs and sign-in limits live in the shared database (or the state folder's), so every
worker and server enforces the same; guessing is slowed per name, never locking out a
browser that signed in before; ``next=`` with a line break falls back to the overview.
"""

import pytest
from conftest import Clock, utc
from test_console import PASSWORD, sign_in, token_of
from werkzeug.security import generate_password_hash

from ivr.console import auth, create_app, device, signins
from ivr.journal.schema import throttle

COOKIE = "ivr_console"


@pytest.fixture
def servers(menus, tmp_path, monkeypatch):
    """servers(url) → two apps with their own state folders, one secret and one database."""
    monkeypatch.setenv("IVR_CONSOLE_SECRET", "shared-by-the-fleet")
    users = tmp_path / "users"
    users.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")

    def make(url=None):
        url = url or f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        apps = []
        for name in ("a", "b"):
            clock = Clock()
            clock.now = utc("2026-11-25T09:00Z")
            apps.append(create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0,
                                    "CONSOLE_USERS": str(users), "DATABASE_URL": url,
                                    "STATE_DIR": str(tmp_path / f"state-{name}")}))
        return apps

    return make


def at(client, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_out(client):
    csrf = token_of(client.get("/console/phone").get_data(as_text=True))
    assert client.post("/console/sign-out", data={"csrf": csrf}).status_code == 302


def carried_to(app, client):
    """A client of ``app`` carrying ``client``'s session cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return other


@pytest.fixture
def clock(monkeypatch):
    """The sign-in's clock (epoch seconds), set by the test."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(auth.time, "time", lambda: now["t"])
    return now


def test_signing_out_on_one_server_ends_the_session_on_another(servers):
    """A cookie copied before sign-out on server A opens nothing on server B."""
    first, second = servers()
    client = first.test_client()
    assert sign_in(client).status_code == 302
    copied = carried_to(second, client)
    assert copied.get("/console/").status_code == 200
    sign_out(client)
    assert copied.get("/console/").status_code == 302


def test_a_session_works_on_every_server_after_a_sign_out(servers):
    """After a sign-out and a new sign-in on A, the new session is good on B too."""
    first, second = servers()
    client = first.test_client()
    sign_in(client)
    sign_out(client)
    sign_in(client)
    assert carried_to(second, client).get("/console/").status_code == 200


def test_sign_outs_are_shared_through_postgresql(servers, postgres_url):
    """The same, with the two servers on one PostgreSQL (the 0005 migration's tables)."""
    first, second = servers(postgres_url)
    client = first.test_client()
    sign_in(client)
    copied = carried_to(second, client)
    assert copied.get("/console/").status_code == 200
    sign_out(client)
    assert copied.get("/console/").status_code == 302
    guesser = second.test_client()
    for number in range(signins.ATTEMPTS):
        assert sign_in(at(guesser, f"198.51.100.{number}"), password="x").status_code == 401
    assert sign_in(at(first.test_client(), "198.51.100.99"), password="x").status_code == 429


def test_guesses_from_rotating_addresses_are_slowed_on_every_server(servers, clock):
    """Guesses at one name from ever new addresses, on two servers, are slowed by name."""
    apps = servers()
    for number in range(signins.ATTEMPTS):
        client = at(apps[number % 2].test_client(), f"203.0.113.{number}")
        assert sign_in(client, password="guess").status_code == 401
    response = sign_in(at(apps[1].test_client(), "203.0.113.200"), password="guess")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert ("Too many failed attempts for this name; try again in 1 second."
            in response.get_data(as_text=True))


def test_delays_grow_and_then_let_a_try_through(servers, clock):
    """Each failure past the free ones doubles the wait; once waited, one more try is let in."""
    first, _ = servers()
    client = first.test_client()
    for _ in range(signins.ATTEMPTS):
        sign_in(client, password="guess")
    waits = []
    for _ in range(4):
        response = sign_in(client, password="guess")
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        clock["t"] += waits[-1]
        assert sign_in(client, password="guess").status_code == 401
    assert waits == [1, 2, 4, 8]
    clock["t"] += signins.FORGET + 1
    assert sign_in(client).status_code == 302


def test_a_refused_guess_checks_no_password_hash(servers, monkeypatch):
    """A throttled try costs one query: the password hash is not computed."""
    first, _ = servers()
    for number in range(signins.ATTEMPTS):
        sign_in(at(first.test_client(), f"203.0.113.{number}"), password="guess")
    checked = []
    monkeypatch.setattr(auth, "check_password_hash", lambda *args: checked.append(args))
    assert sign_in(at(first.test_client(), "203.0.113.77"), password="x").status_code == 429
    assert checked == []


def test_an_unknown_name_checks_a_hash_like_a_known_one(servers, monkeypatch):
    """An unknown name costs one hash of the users' method, so timing tells no names."""
    first, _ = servers()
    checked = []
    real = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash",
                        lambda digest, password: checked.append(digest) or real(digest, password))
    assert sign_in(first.test_client(), name="nobody", password="x").status_code == 401
    assert len(checked) == 1 and checked[0].startswith("pbkdf2:sha256:1000$")


def test_junk_names_cannot_flush_a_real_names_limit(servers, monkeypatch):
    """Unknown names each have a bucket, as known ones do: admin's stays slowed whatever
    junk comes after, and no name is stored as typed."""
    first, _ = servers()
    client = first.test_client()
    for _ in range(signins.ATTEMPTS):
        sign_in(client, password="guess")
    for number in range(20):
        sign_in(at(first.test_client(), f"192.0.2.{number}"), name=f"junk{number}", password="x")
    assert sign_in(client).status_code == 429
    with first.app_context(), auth._store().connect() as connection:
        buckets = {row.bucket for row in connection.execute(throttle.select())}
    assert len(buckets) == 21 and not any("junk" in b or "admin" in b for b in buckets)


def test_a_wait_tells_no_one_which_names_exist(servers):
    """Junk names tried first slow no other name; a name tried too often waits alike
    whether a user has it or not, so the answers (401, then 429) tell no names."""
    first, _ = servers()
    for number in range(signins.ATTEMPTS):
        sign_in(at(first.test_client(), f"192.0.2.{number}"), name=f"junk{number}", password="x")
    answers = {}
    for name in ("admin", "bob"):
        answers[name] = [sign_in(at(first.test_client(), f"198.51.100.{n}"), name=name,
                                 password="x").status_code
                         for n in range(signins.ATTEMPTS + 1)]
    assert answers["admin"] == answers["bob"] == [401] * signins.ATTEMPTS + [429]


def test_buckets_quiet_for_an_hour_are_pruned(servers, clock, monkeypatch):
    """A new bucket clears those quiet past FORGET (here at every new bucket): the table
    holds about an hour of names, however many junk names come."""
    monkeypatch.setattr(signins, "PRUNE_ONE_IN", 1)
    first, _ = servers()
    for number in range(5):
        sign_in(at(first.test_client(), f"192.0.2.{number}"), name=f"junk{number}", password="x")
    clock["t"] += signins.FORGET + 1
    sign_in(first.test_client(), name="later", password="x")
    with first.app_context(), auth._store().connect() as connection:
        assert len(list(connection.execute(throttle.select()))) == 1


def test_the_admin_with_a_device_cookie_signs_in_while_50_addresses_guess(servers):
    """Her browser signed in before: 50 guessers, one of them on her own tunnel address,
    slow only each other."""
    first, second = servers()
    admin = first.test_client()
    assert sign_in(admin).status_code == 302
    assert admin.get_cookie(device.COOKIE) is not None
    sign_out(admin)
    for number in range(50):
        guesser = at(second.test_client(), f"10.0.{number}.1")
        assert sign_in(guesser, password=f"guess{number}").status_code in (401, 429)
    tunnel = first.test_client()  # every visitor's address behind a tunnel: 127.0.0.1
    assert sign_in(tunnel, password="guess").status_code == 429
    assert sign_in(tunnel).status_code == 429  # the right password without her browser
    assert sign_in(admin).status_code == 302


def test_a_device_cookie_for_another_name_helps_nobody(servers):
    """A device cookie counts only for the name it names, and only when validly signed."""
    first, _ = servers()
    client = first.test_client()
    client.set_cookie(device.COOKIE, "admin.forged.signature")
    for _ in range(signins.ATTEMPTS):
        sign_in(client, password="guess")
    assert sign_in(client).status_code == 429


@pytest.mark.parametrize("target", ["\n", "/console/\n", "/console/\r\nSet-Cookie: x=1",
                                    "/console/\\evil.example"],
                         ids=["newline", "path-newline", "crlf-header", "backslash"])
def test_next_with_a_line_break_falls_back_to_the_overview(servers, target):
    """``next`` that is not one plain console path signs in to the overview, never a 500."""
    first, _ = servers()
    client = first.test_client()
    quoted = target.replace("\n", "%0a").replace("\r", "%0d").replace(" ", "%20")
    page = client.get(f"/console/sign-in?next={quoted}")
    assert page.status_code == 200
    form = {"csrf": token_of(page.get_data(as_text=True)), "name": "admin",
            "password": PASSWORD, "next": target}
    response = client.post("/console/sign-in", data=form)
    assert response.status_code == 302 and response.location == "/console/"
