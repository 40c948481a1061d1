"""The engine's HTTP server stops cleanly even when waitress wakes its I/O thread meanwhile."""

from __future__ import annotations

import os
import time

import pytest
from flask import Flask

from zeebe.http import start_http_server

pytestmark = pytest.mark.integration


def ping_app() -> Flask:
    """A one-route app: the server, not the app, is under test."""
    app = Flask("ping")
    app.add_url_rule("/ping", view_func=lambda: "pong")
    return app


def test_a_sweep_run_early_by_a_waitress_wake_up_does_not_fail_the_stop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`pull_trigger` queues the stop's sweep, then writes to the trigger's pipe. waitress pulls
    the same trigger when a response finishes, so its I/O thread can run the sweep in between;
    the sweep closes the trigger once no connection is left, and the write then failed with
    EBADF: 'OSError: [Errno 9] Bad file descriptor' at the teardown of REST tests, about 2 in
    1,600 under load. Here the wake-up is made to happen exactly there."""
    server = start_http_server(ping_app(), "127.0.0.1", 0)
    trigger = server.server.trigger  # type: ignore[attr-defined]  # not in waitress's stubs
    write_to_pipe = trigger._physical_pull

    def write_after_a_waitress_wake_up() -> None:
        os.write(trigger.trigger, b"x")  # what a finishing response does
        deadline = time.monotonic() + 5
        while trigger.thunks and time.monotonic() < deadline:  # the I/O thread runs the sweep
            time.sleep(0.001)
        write_to_pipe()

    monkeypatch.setattr(trigger, "_physical_pull", write_after_a_waitress_wake_up)
    server.stop()
    assert trigger._closed
    server.thread.join(5)
    assert not server.thread.is_alive()
