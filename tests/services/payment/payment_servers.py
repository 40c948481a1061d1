"""Serve WSGI apps on free loopback ports in daemon threads (payment tests need real HTTP:
the PSP simulator calls the payment service back)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server


class LateBoundApp:
    """WSGI app set after the server is bound, so the app can know its own port."""

    def __init__(self) -> None:
        self.app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


@dataclass
class Served:
    """A WSGI app served on 127.0.0.1 at a free port in a daemon thread."""

    server: BaseWSGIServer
    thread: threading.Thread
    app: Any

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(build: Callable[[str], Any]) -> Served:
    """Bind a free port, then build the app with its base URL and serve it."""
    holder = LateBoundApp()
    server = make_server("127.0.0.1", 0, holder, threaded=True)
    holder.app = build(f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return Served(server, thread, holder.app)
