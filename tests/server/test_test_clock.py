"""The tester's clock (X-Ivr-Clock, --test-clock): honoured in range, ignored beyond it."""

import logging
import xml.etree.ElementTree as ET

import pytest
from conftest import MENUS

from ivr.server.app import create_app

CALL = {"To": "+4619212000", "CallSid": "CA1"}


@pytest.fixture
def client(clock):
    return create_app({"MENUS": str(MENUS), "CLOCK": clock, "TEST_CLOCK": True,
                       "RELOAD_INTERVAL": 0}).test_client()


@pytest.mark.parametrize("sent", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00",
                                  "2201-01-01T00:00:00+00:00", "1969-12-31T23:59:59+00:00"])
def test_a_clock_beyond_1970_to_2200_is_ignored_quietly(client, caplog, sent):
    """An extreme X-Ivr-Clock is ignored (not echoed), the call answered, nothing logged."""
    caplog.set_level(logging.ERROR)
    response = client.post("/voice", data=CALL, headers={"X-Ivr-Clock": sent})
    assert ET.fromstring(response.data).find("Gather") is not None
    assert "X-Ivr-Clock" not in response.headers
    assert caplog.records == []


@pytest.mark.parametrize("sent", ["1970-01-01T00:00:00+00:00", "2200-12-31T12:00:00+00:00"])
def test_a_clock_at_the_edges_is_honoured(client, sent):
    """The first and last years accepted are used and echoed."""
    response = client.post("/voice", data=CALL, headers={"X-Ivr-Clock": sent})
    assert response.headers["X-Ivr-Clock"] == sent
