"""Serve the Flask app with werkzeug's threaded server in a daemon thread.

No access log by default: werkzeug formats and logs one line per request (address, date, request
line), about 6% of the engine's busy time under the checkout load, where every saga read is a
REST search. Errors (bad requests, broken connections) are still logged; the access log comes
back with `access_log=True` or with the `werkzeug` logger's own level set to DEBUG (its own
level, not the root's: werkzeug pins an unset level to INFO the first time it logs).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

_werkzeug_log = logging.getLogger("werkzeug")
# How often serve_forever looks for a shutdown request: `stop()` waits up to this long
# (werkzeug's default of 0.5 s made every engine stop, and every REST test, 0.5 s slower).
POLL_INTERVAL_S = 0.05


class ErrorsOnlyRequestHandler(WSGIRequestHandler):
    """werkzeug's handler without the per-request access line (errors are still logged)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access line unless the werkzeug logger's own level is DEBUG (or lower)."""
        if logging.NOTSET < _werkzeug_log.level <= logging.DEBUG:
            super().log_request(code, size)


@dataclass
class HttpServer:
    """A running HTTP server."""

    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The bound port (useful when started on port 0)."""
        return int(self.server.server_port)

    def stop(self) -> None:
        """Stop serving and wait for the thread (blocking: keep it off an event loop).

        Request threads are daemons and not joined: one may still be waiting for the engine.
        """
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def start_http_server(app: Flask, host: str, port: int, *, access_log: bool = False) -> HttpServer:
    """Bind (OSError if taken) and serve in the background; `access_log` logs every request."""
    handler = WSGIRequestHandler if access_log else ErrorsOnlyRequestHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": POLL_INTERVAL_S},
        name="zeebe-http",
        daemon=True,
    )
    thread.start()
    return HttpServer(server=server, thread=thread)
