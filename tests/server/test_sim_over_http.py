"""``ivr-sim --url`` as a tester uses it: the URL as Twilio is given it, servers that are
not there, and a local menu file that is broken while the server keeps its good version."""

import json
import shutil

import pytest
from conftest import MENUS
from test_serve import TOKEN, free_port, signed_server, sim

server = signed_server
"""The module-scoped ``ivr serve`` (gunicorn, signed) of test_serve, started here too."""


def test_the_voice_url_from_the_twilio_table_works_too(server):
    """--url given as https://…/voice (what Twilio is given) calls /voice, not /voice/voice."""
    result = sim(f"{server}/voice", "--press", "4", "--json", env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["steps"][0]["url"] == f"{server}/voice"


def test_nothing_listening_is_one_line_and_exit_3():
    """A port where nothing listens: one line naming the URL (said once, on stderr), exit 3,
    no traceback."""
    url = f"http://127.0.0.1:{free_port()}"
    result = sim(url, "--press", "4", env={})
    assert result.returncode == 3
    assert f"error: no server answers at {url}/voice" in result.stderr
    assert result.stderr.count("no server answers") == 1 and "[error]" not in result.stdout
    assert "Traceback" not in result.stderr


def test_a_url_without_scheme_is_a_wrong_argument():
    """--url 127.0.0.1:5000 is refused as a wrong argument (exit 2) saying how to write it."""
    result = sim("127.0.0.1:5000", "--press", "4", env={})
    assert result.returncode == 2
    assert "'127.0.0.1:5000' is not an http(s) address; write it like http://127.0.0.1:5000" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_local_copy_still_calls_the_server(server, tmp_path):
    """With --url, a broken local file only gives the number: a warning, and the call runs."""
    menus = tmp_path / "menus"
    shutil.copytree(MENUS, menus)
    path = menus / "orebro-kommunsupport.yaml"
    path.write_text(path.read_text().replace("start: welcome", "start: nowhere"))
    result = sim(server, "--menus", str(menus), "--press", "4", "--json",
                 env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert "has errors; calling +4619212000, which it lists, on the server anyway" in (
        result.stderr)
    assert "unknown node 'nowhere'" in result.stderr
    assert json.loads(result.stdout)["steps"][0]["params"]["To"] == "+4619212000"


def test_to_alone_calls_the_server_without_a_local_line(server, tmp_path):
    """--url with --to needs no local menus (the server alone knows its lines); --at is then
    read as UTC, which a warning says."""
    nowhere = ["--menus", str(tmp_path / "nowhere"), "--to", "+4619212000"]
    result = sim(server, *nowhere, "--press", "4", "--json", env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["steps"][0]["params"]["To"] == "+4619212000"
    timed = sim(server, *nowhere, "--at", "2026-11-25 09:00", "--press", "4",
                env={"TWILIO_AUTH_TOKEN": TOKEN})
    assert "no local line answers +4619212000, so --at is read as UTC" in timed.stderr
    assert "Calling +4619212000 at 2026-11-25 09:00+00:00 UTC" in timed.stdout


@pytest.mark.parametrize("text", [
    pytest.param("name: x\nnumbers: [\n", id="unreadable"),
    pytest.param("name: x\nnumbers: oops\nstart: [\n", id="junk"),
])
def test_a_file_without_a_usable_number_asks_for_to(tmp_path, text):
    """When no number can be read, or 'numbers: oops' is no number, the message says to
    give --to (exit 1) and nothing is called."""
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    result = sim("http://127.0.0.1:9", "--menu", str(path), "--press", "4", env={})
    assert result.returncode == 1
    assert "give the number to call with --to NUMBER" in result.stderr
    assert "oops" not in result.stdout


def test_an_answer_without_twiml_exits_4():
    """A server answering 200 with something other than TwiML fails the call: exit 4."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class NotTwilio(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the name http.server calls)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>hello</html>")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), NotTwilio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = sim(f"http://127.0.0.1:{server.server_port}", "--press", "4", "--json", env={})
    finally:
        server.shutdown()
    assert result.returncode == 4
    assert "answered 200 without TwiML; see the server's log" in result.stderr
    assert json.loads(result.stdout)["ended"] == "error"


def test_https_to_a_plain_http_server_suggests_http(server):
    """https:// against a server speaking plain HTTP says to use http://, exit 3."""
    result = sim(server.replace("http://", "https://"), "--press", "4", env={})
    assert result.returncode == 3
    assert f"(the server speaks plain HTTP: use {server}/voice)" in result.stderr
