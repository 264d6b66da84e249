"""The benchmark measures what it says: every URL it loads answers with a menu."""

import importlib
import shutil
from urllib.parse import urlsplit

import pytest
from conftest import MENUS, ROOT

from ivr.menufile.format import load_line
from ivr.server.app import create_app


@pytest.fixture
def bench(monkeypatch):
    """``bench/bench.py`` and its floor app, imported as the benchmark runs them."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    return importlib.import_module("bench"), importlib.import_module("floor")


def test_generated_line_has_5000_nodes(bench, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(bench[0].big_line(), encoding="utf-8")
    assert len(load_line(path).nodes) == 5000


def test_every_run_posts_a_twilio_call_and_gets_its_menu(bench, tmp_path):
    """Each (step, server) pair posts Twilio's parameters and gets the menu it means to time."""
    module, floor = bench
    shutil.copy(MENUS / "orebro-kommunsupport.yaml", tmp_path)
    (tmp_path / "big.yaml").write_text(module.big_line(), encoding="utf-8")
    clients = {"ivr": create_app({"MENUS": str(tmp_path), "TEST_CLOCK": True}).test_client(),
               "floor": floor.create_floor().test_client()}

    def answer(url: str, body: dict) -> str:
        parts = urlsplit(url)
        response = clients[parts.hostname].post(f"{parts.path}?{parts.query}", data=body,
                                                headers=module.CLOCK)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    runs = module.load_runs("http://floor", "http://ivr")
    assert len(runs) == 6
    for (step, server), (url, body, node) in runs.items():
        assert {"CallSid", "From", "To", "FromCountry"} <= set(body)
        assert module.is_menu(answer(url, body), node), (step, server)
    stale = answer("http://ivr/gather?line=big&node=n4001", {"To": module.BIG_NUMBER})
    assert not module.is_menu(stale, "n4002")
    assert not module.is_menu(answer("http://ivr/voice", {"To": "+4600"}), "")


def test_the_soaks_count_a_step_cut_by_a_killed_worker_as_cut(monkeypatch):
    """A step whose connection is cut (nothing listening, or a worker killed mid-answer)
    is a cut step answered 599, not a failed call: the soaks tell the two apart."""
    import socket

    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    soak = importlib.import_module("soak")
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stats = soak.Stats()
    timed = soak.Timed(f"http://127.0.0.1:{port}", stats=stats)
    status, body = timed.post(f"http://127.0.0.1:{port}/voice", {"To": "+4619212000"})
    assert status == 599 and body.startswith("network error: no server answers")
    assert (stats.cut_steps, stats.non_twiml) == (1, 0)
    assert timed.cut_at is not None
