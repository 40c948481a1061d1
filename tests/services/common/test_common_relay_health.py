"""Relay health and backlog: `/health` follows completed loop rounds, `/metrics` the backlog."""

from __future__ import annotations

import json

import pytest
import requests
from werkzeug.test import Client

from services.common.relay_health import RelayMonitor, health_app, http_address, serve_health

pytestmark = pytest.mark.unit


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def monitor(clock: Clock) -> RelayMonitor:
    return RelayMonitor("cart", stale_after_s=30.0, clock=clock)


def test_a_relay_is_unhealthy_until_its_first_completed_round() -> None:
    """A relay that never reached its database and broker is not ready."""
    assert not monitor(Clock()).healthy()


def test_a_relay_is_healthy_while_its_last_round_is_recent_then_stale() -> None:
    """Health = a round completed within `stale_after_s` (a loop stuck failing goes 503)."""
    clock = Clock()
    relay = monitor(clock)
    relay.succeeded(backlog=3)
    clock.now += 30.0
    assert relay.healthy()
    clock.now += 0.5
    assert not relay.healthy()


def test_health_endpoint_answers_200_then_503_problem_when_stale() -> None:
    """CONTRACT 2/5 shape: 200 {"status": "ok"}; 503 problem+json with code UNAVAILABLE."""
    clock = Clock()
    relay = monitor(clock)
    client = Client(health_app(relay))
    relay.succeeded(backlog=0)

    ok = client.get("/health")
    clock.now += 60
    stale = client.get("/health")

    assert (ok.status_code, json.loads(ok.data)) == (200, {"status": "ok", "service": "cart-relay"})
    assert stale.status_code == 503
    assert stale.headers["Content-Type"] == "application/problem+json"
    assert json.loads(stale.data)["code"] == "UNAVAILABLE"


def test_metrics_endpoint_exposes_the_backlog_per_service() -> None:
    """DESIGN §5 outbox backlog: `outbox_backlog{service}` = unsent rows after the last round."""
    relay = monitor(Clock())
    relay.succeeded(backlog=7)

    body = Client(health_app(relay)).get("/metrics").data.decode()

    assert 'outbox_backlog{service="cart"} 7.0' in body


def test_unknown_paths_are_404_problems() -> None:
    """Bad input never yields 500 (CONTRACT 2)."""
    response = Client(health_app(monitor(Clock()))).get("/nope")
    assert response.status_code == 404
    assert json.loads(response.data)["code"] == "NOT_FOUND"


def test_the_http_port_is_off_unless_relay_port_is_set() -> None:
    """Brief H18: port from the environment, default off."""
    assert http_address({}) is None
    assert http_address({"RELAY_PORT": ""}) is None
    assert http_address({"RELAY_PORT": "9470"}) == ("127.0.0.1", 9470)
    assert http_address({"RELAY_PORT": "9470", "RELAY_HOST": "0.0.0.0"}) == ("0.0.0.0", 9470)


def test_serve_health_listens_on_the_given_address_until_shut_down() -> None:
    """The threaded server answers real HTTP on 127.0.0.1 (port chosen by the OS)."""
    relay = monitor(Clock())
    relay.succeeded(backlog=0)
    server = serve_health(relay, "127.0.0.1", 0)
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/health", timeout=5)
    finally:
        server.shutdown()
    assert response.status_code == 200
