"""The engine's HTTP server (waitress): kept-alive connections, no access line per request by
default (`access_log=True` or the `zeebe.http.access` logger's own level at DEBUG turn it on),
malformed requests answered 400, a stop that closes idle kept-alive connections too."""

from __future__ import annotations

import http.client
import logging
import socket
import time
from collections.abc import Iterator

import pytest
import requests
from flask import Flask

from zeebe.http import start_http_server

pytestmark = pytest.mark.integration


def ping_app() -> Flask:
    """A one-route app: the server, not the app, is under test."""
    app = Flask("ping")
    app.add_url_rule("/ping", view_func=lambda: "pong")
    return app


def served(access_log: bool) -> Iterator[int]:
    """Serve `ping_app` on a free loopback port for the test, then stop it."""
    server = start_http_server(ping_app(), "127.0.0.1", 0, access_log=access_log)
    try:
        yield server.port
    finally:
        server.stop()


@pytest.fixture
def quiet_port() -> Iterator[int]:
    """The server as the engine starts it (default options)."""
    yield from served(access_log=False)


@pytest.fixture
def logged_port() -> Iterator[int]:
    """The server with its access log on."""
    yield from served(access_log=True)


def ping(port: int) -> None:
    response = requests.get(f"http://127.0.0.1:{port}/ping", timeout=10)
    assert response.text == "pong"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage() == "GET /ping -> 200"]


def test_requests_are_not_logged_by_default(
    quiet_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """The default server writes no access line."""
    with caplog.at_level(logging.INFO, logger="zeebe.http.access"):
        ping(quiet_port)
    assert access_lines(caplog) == []


def test_the_access_log_is_a_flag(logged_port: int, caplog: pytest.LogCaptureFixture) -> None:
    """`access_log=True` logs `METHOD path -> status` per request."""
    with caplog.at_level(logging.INFO, logger="zeebe.http.access"):
        ping(logged_port)
    assert len(access_lines(caplog)) == 1


def test_the_access_log_shows_at_debug(quiet_port: int, caplog: pytest.LogCaptureFixture) -> None:
    """With the access logger's own level at DEBUG the default server logs requests."""
    with caplog.at_level(logging.DEBUG, logger="zeebe.http.access"):
        ping(quiet_port)
    assert len(access_lines(caplog)) == 1


def test_a_malformed_request_is_answered_400(quiet_port: int) -> None:
    """A malformed request line gets a 400, and the server goes on serving."""
    address = ("127.0.0.1", quiet_port)
    with socket.create_connection(address, timeout=10) as connection:
        connection.sendall(b"NONSENSE\r\n\r\n")
        answer = connection.recv(1024)
    assert b" 400 " in answer.split(b"\r\n", 1)[0]
    ping(quiet_port)


def test_connections_are_kept_alive(quiet_port: int) -> None:
    """HTTP/1.1 keep-alive: three requests on one connection (werkzeug's development server
    closed every connection, so each REST read paid a TCP handshake)."""
    connection = http.client.HTTPConnection("127.0.0.1", quiet_port, timeout=10)
    try:
        for _ in range(3):
            connection.request("GET", "/ping")
            response = connection.getresponse()
            assert response.read() == b"pong"
            assert response.getheader("Connection") != "close"
        first_socket = connection.sock
        connection.request("GET", "/ping")
        connection.getresponse().read()
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_stop_closes_idle_kept_alive_connections_and_frees_the_port() -> None:
    """A client holding an idle connection does not keep the server alive; nothing listens on
    the port afterwards."""
    server = start_http_server(ping_app(), "127.0.0.1", 0)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/ping")
    assert connection.getresponse().read() == b"pong"
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    assert not server.thread.is_alive()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{server.port}/ping", timeout=2)
    connection.close()
