"""The engine's HTTP server: no access line per request by default, errors still logged.

werkzeug's request handler logs every request to the `werkzeug` logger (its `log_request`) and
protocol errors through `log_error`; the engine keeps the errors and drops the access lines
unless asked (`access_log=True`) or the `werkzeug` logger's own level is DEBUG.
"""

from __future__ import annotations

import logging
import socket
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
    return [r.getMessage() for r in caplog.records if "GET /ping" in r.getMessage()]


def test_requests_are_not_logged_by_default(
    quiet_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """The default server writes no access line (werkzeug logs it before the response)."""
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        ping(quiet_port)
    assert access_lines(caplog) == []


def test_the_access_log_is_a_flag(logged_port: int, caplog: pytest.LogCaptureFixture) -> None:
    """`access_log=True` keeps werkzeug's line per request."""
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        ping(logged_port)
    assert len(access_lines(caplog)) == 1


def test_the_access_log_shows_at_debug(quiet_port: int, caplog: pytest.LogCaptureFixture) -> None:
    """With the werkzeug logger's own level at DEBUG the default server logs requests."""
    with caplog.at_level(logging.DEBUG, logger="werkzeug"):
        ping(quiet_port)
    assert len(access_lines(caplog)) == 1


def test_protocol_errors_are_still_logged(
    quiet_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A malformed request line is answered 400 and logged as an error (`log_error`)."""
    address = ("127.0.0.1", quiet_port)
    with (
        caplog.at_level(logging.INFO, logger="werkzeug"),
        socket.create_connection(address, timeout=10) as connection,
    ):
        connection.sendall(b"NONSENSE\r\n\r\n")
        answer = connection.recv(1024)
    assert b" 400 " in answer.split(b"\r\n", 1)[0]
    errors = [r for r in caplog.records if r.name == "werkzeug" and r.levelno == logging.ERROR]
    assert any("400" in record.getMessage() for record in errors)
