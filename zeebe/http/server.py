"""Serve the engine's Flask app (REST `/v2`, dashboard, metrics) with waitress in a daemon thread.

waitress, the production WSGI server the services already use (services/common/serve.py), keeps
HTTP/1.1 connections alive: werkzeug's development server answered every request with
`Connection: close`, so each REST read of a client (the checkout API makes four per status
read) paid a new TCP connection. Requests run on a fixed pool of `DEFAULT_THREADS` threads; a
REST long poll (`/v2/jobs/activation` with a request timeout, `awaitCompletion`) holds one for
its duration, hence a pool larger than the services'.

No access log by default (one line per request cost about 6% of the engine's busy time under the
checkout load, where every saga read is a REST search); `access_log=True`, or the
`zeebe.http.access` logger's own level at DEBUG, logs `METHOD path -> status` per request.
Malformed requests are answered 400 by waitress itself; exceptions in the app are logged by
Flask and answered as problems (zeebe/http/rest/problems.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from flask import Flask
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

ACCESS_LOG = logging.getLogger("zeebe.http.access")
DEFAULT_THREADS = 64
# How long `stop()` waits for request threads; they are daemons, and one may be waiting for a
# broker that is stopping too.
STOP_WAIT_S = 1
# Requests in flight at stop get this long to be answered before their connections are cut.
DRAIN_LIMIT_S = 30.0
DRAIN_POLL_S = 0.05
QUICK_STOP_S = 0.5

StartResponse = Callable[..., Any]


def _access_logged(app: Flask, always: bool) -> Callable[[dict[str, Any], StartResponse], Any]:
    """The app, logging one line per request when asked (checked per request, so a logger
    level set at run time takes effect)."""

    def logged(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not (always or logging.NOTSET < ACCESS_LOG.level <= logging.DEBUG):
            return app(environ, start_response)

        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            path = environ.get("PATH_INFO", "")
            ACCESS_LOG.info("%s %s -> %s", environ.get("REQUEST_METHOD"), path, status[:3])
            return start_response(status, headers, *exc_info)

        return app(environ, start)

    return logged


class _Drain:
    """Stops a waitress server without cutting requests in flight.

    Every step runs on waitress's I/O thread (through its trigger), the only thread that may touch
    its sockets: first the listener closes (no new connections) and idle kept-alive connections
    close; connections still serving a request are left to answer (a REST long poll is answered
    when the broker stops, after this server) and closed once idle; with none left the trigger
    leaves the socket map and the I/O loop ends. After `DRAIN_LIMIT_S` whatever is left is closed.

    The trigger's pipe is closed last, once the loop and the request threads are done: anyone
    may write to it until then (waitress pulls it when a response finishes; a step's own pull
    can land after its sweep already ran), and a write to a closed, reused descriptor would go
    to another file.
    """

    def __init__(self, server: BaseWSGIServer) -> None:
        self._internals = cast(Any, server)  # socket map, trigger, listener: not in the stubs
        self._swept = threading.Event()
        self.finished = threading.Event()

    def _sweep(self, force: bool = False) -> None:
        internals = self._internals
        if internals.socket is not None:
            wasyncore.dispatcher.close(internals)  # the listener only (its close() ends all)
        channels = [d for d in list(internals._map.values()) if isinstance(d, HTTPChannel)]
        for channel in channels:
            if force or not (channel.requests or channel.total_outbufs_len):
                channel.close()
        if not any(isinstance(d, HTTPChannel) for d in internals._map.values()):
            internals.trigger.del_channel()  # the map is empty now: waitress's loop returns
            self.finished.set()
        self._swept.set()

    def step(self, force: bool = False, wait_s: float = 5.0) -> bool:
        """One sweep on the I/O thread (never pulled after the trigger closed); True when done."""
        if self.finished.is_set():
            return True
        self._swept.clear()
        self._internals.trigger.pull_trigger(lambda: self._sweep(force))
        self._swept.wait(wait_s)
        return self.finished.is_set()

    def close(self, thread: threading.Thread) -> None:
        """After the last sweep: join the I/O thread and the request threads, then close the
        trigger's pipe (left open if a request thread is still alive: it may still pull)."""
        thread.join(5)
        if self._internals.task_dispatcher.shutdown(timeout=STOP_WAIT_S) and not thread.is_alive():
            self._internals.trigger.close()

    def finish(self, thread: threading.Thread) -> None:
        """Sweep until every connection is gone (or the limit passed), then end the pool."""
        deadline = time.monotonic() + DRAIN_LIMIT_S
        while not self.step() and time.monotonic() < deadline:
            time.sleep(DRAIN_POLL_S)
        self.step(force=True)
        self.close(thread)


@dataclass
class HttpServer:
    """A running HTTP server."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The bound port (useful when started on port 0)."""
        # waitress's stubs lack the bound port; TcpWSGIServer has it at run time
        return int(cast(Any, self.server).effective_port)

    def stop(self) -> None:
        """Stop accepting at once (blocking: keep it off an event loop); requests in flight still
        get their answers, on a drain thread when they outlive this call."""
        drain = _Drain(self.server)
        quick = time.monotonic() + QUICK_STOP_S  # answers being written finish in this time
        while not drain.step() and time.monotonic() < quick:
            time.sleep(DRAIN_POLL_S)
        if drain.finished.is_set():
            drain.close(self.thread)
            return
        threading.Thread(
            target=drain.finish, args=(self.thread,), name="zeebe-http-drain", daemon=True
        ).start()


def start_http_server(
    app: Flask, host: str, port: int, *, access_log: bool = False, threads: int = DEFAULT_THREADS
) -> HttpServer:
    """Bind (OSError if taken) and serve in the background; `access_log` logs every request."""
    server = create_server(
        _access_logged(app, access_log),
        host=host,
        port=port,
        threads=threads,
        ident="zeebe-embedded",
        asyncore_use_poll=True,  # no select() limit on open connections
    )
    assert isinstance(server, BaseWSGIServer)  # one host:port, not a multi-socket server
    thread = threading.Thread(target=server.run, name="zeebe-http", daemon=True)
    thread.start()
    return HttpServer(server=server, thread=thread)
