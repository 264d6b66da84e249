"""/health: the status for anyone, the details only for an admin on this machine."""

import pytest
from conftest import MINIMAL

from ivr.server.app import create_app


@pytest.mark.parametrize("address", ["203.0.113.9", "", "not-an-address"])
def test_a_remote_caller_gets_the_status_only(menus, clock, address):
    """A caller from another address learns nothing but the status: no paths, errors, pids."""
    (menus / "broken.yaml").write_text("nodes: [", encoding="utf-8")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    remote = app.test_client().get("/health", environ_base={"REMOTE_ADDR": address})
    assert remote.status_code == 200 and remote.json == {"status": "ok"}
    local = app.test_client().get("/health", environ_base={"REMOTE_ADDR": "::1"})
    assert local.json["files"]["broken.yaml"]["status"] == "broken"


def test_errors_name_files_as_in_the_menus_folder(tmp_path, clock):
    """An error in /health names the file relative to the menus folder, not by its path."""
    menus = tmp_path / "deep" / "menus"
    menus.mkdir(parents=True)
    (menus / "line.yaml").write_text(MINIMAL, encoding="utf-8")
    (menus / "broken.yaml").write_text("nodes: [", encoding="utf-8")
    app = create_app({"MENUS": str(menus), "CLOCK": clock, "RELOAD_INTERVAL": 0})
    error = app.test_client().get("/health").json["files"]["broken.yaml"]["error"]
    assert error.startswith("broken.yaml:") and str(tmp_path) not in error
