"""The console's session: a random key kept in the state folder, expiry, and sign-out."""

import hashlib
import stat

import pytest
from conftest import Clock, utc
from flask.sessions import SecureCookieSessionInterface
from test_console import PASSWORD, sign_in, token_of
from werkzeug.security import generate_password_hash

from ivr.console import auth, create_app, signins


@pytest.fixture
def make_app(menus, tmp_path, monkeypatch):
    """Apps (one per worker) sharing a state folder, with a users file and a fixed clock."""
    monkeypatch.delenv("IVR_CONSOLE_SECRET", raising=False)
    users = tmp_path / "users"
    users.write_text(f"admin:{generate_password_hash(PASSWORD, 'pbkdf2:sha256:1000')}\n")

    def make(**config):
        clock = Clock()
        clock.now = utc("2026-11-25T09:00Z")
        return create_app({"MENUS": str(menus), "CLOCK": clock, "CONSOLE_USERS": str(users),
                           "STATE_DIR": str(tmp_path / "state"), "RELOAD_INTERVAL": 0,
                           **config})

    return make


def signed_cookie(app, data: dict) -> str:
    """A session cookie for ``data`` signed with the app's key, as a forger would make it."""
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def test_session_key_is_not_derived_from_the_password(make_app, tmp_path):
    """The key is random, kept 0600 in the state folder, and no hash of the password."""
    app = make_app(CONSOLE_PASSWORD=PASSWORD)
    kept = tmp_path / "state" / "console.key"
    assert app.config["SECRET_KEY"] == kept.read_bytes().strip()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    derived = hashlib.sha256(f"ivr-console-session\n{PASSWORD}".encode()).digest()
    assert app.config["SECRET_KEY"] != derived and len(app.config["SECRET_KEY"]) == 64


def test_workers_share_one_key_and_sessions(make_app):
    """A second worker reads the same key: a sign-in on one is good on the other."""
    first, second = make_app(), make_app()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    client = first.test_client()
    assert sign_in(client).status_code == 302
    cookie = client.get_cookie(first.config["SESSION_COOKIE_NAME"]).value
    other = second.test_client()
    other.set_cookie(second.config["SESSION_COOKIE_NAME"], cookie)
    assert other.get("/console/").status_code == 200


def test_console_secret_setting_wins(make_app, monkeypatch, tmp_path):
    """IVR_CONSOLE_SECRET is the key when set, and no key file is written."""
    monkeypatch.setenv("IVR_CONSOLE_SECRET", "chosen-by-the-admin")
    assert make_app().config["SECRET_KEY"] == b"chosen-by-the-admin"
    assert not (tmp_path / "state" / "console.key").exists()


def test_a_cookie_copied_before_sign_out_is_refused_after(make_app):
    """Signing out in one worker ends every copy of that session, in every worker."""
    first, second = make_app(), make_app()
    client = first.test_client()
    sign_in(client)
    name = first.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(name).value
    csrf = token_of(client.get("/console/phone").get_data(as_text=True))
    assert client.post("/console/sign-out", data={"csrf": csrf}).status_code == 302
    thief = second.test_client()
    thief.set_cookie(name, copied)
    assert thief.get("/console/").status_code == 302


def test_sessions_expire_after_twelve_hours(make_app, monkeypatch):
    """A sign-in is good a minute before twelve hours and refused at twelve hours and a second."""
    app = make_app()
    client = app.test_client()
    signed_in = 1_800_000_000.0
    monkeypatch.setattr(auth.time, "time", lambda: signed_in)
    sign_in(client)
    monkeypatch.setattr(auth.time, "time", lambda: signed_in + 12 * 3600 - 60)
    assert client.get("/console/").status_code == 200
    monkeypatch.setattr(auth.time, "time", lambda: signed_in + 12 * 3600 + 1)
    assert client.get("/console/").status_code == 302


def test_a_forged_cookie_without_the_key_is_refused(make_app):
    """A cookie saying user=admin signed with the password-derived key opens nothing."""
    app = make_app(CONSOLE_PASSWORD=PASSWORD)
    forged_app = make_app()
    forged_app.config["SECRET_KEY"] = hashlib.sha256(
        f"ivr-console-session\n{PASSWORD}".encode()).digest()
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"],
                      signed_cookie(forged_app, {"user": "admin"}))
    assert client.get("/console/").status_code == 302


def test_a_session_without_sign_in_time_is_refused(make_app):
    """A validly signed cookie from before expiry existed (no sign-in time) must sign in again."""
    app = make_app()
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], signed_cookie(app, {"user": "admin"}))
    assert client.get("/console/").status_code == 302
    with app.app_context():
        assert signins.mark(auth._store(), "admin") == ""


@pytest.mark.parametrize("public,secure", [(None, False), ("https://ivr.example.org", True),
                                           ("http://localhost:8080", False)])
def test_session_cookie_is_named_lax_httponly_and_secure_over_https(make_app, public, secure):
    """The cookie is ivr_console, SameSite=Lax, HttpOnly, and Secure when served over https."""
    app = make_app(PUBLIC_URL=public)
    response = app.test_client().get("/console/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("ivr_console=") and "SameSite=Lax" in cookie
    assert "HttpOnly" in cookie and ("Secure" in cookie) is secure
