"""Serve the Flask app with werkzeug's threaded server in a daemon thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


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
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def start_http_server(app: Flask, host: str, port: int) -> HttpServer:
    """Bind (OSError if taken) and serve in the background."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="zeebe-http", daemon=True)
    thread.start()
    return HttpServer(server=server, thread=thread)
