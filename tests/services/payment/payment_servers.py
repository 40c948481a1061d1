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


def free_port() -> int:
    """A free loopback port chosen by the OS."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Process:
    """A `python -m <module>` child process, stopped by its pid."""

    popen: Any

    def stop(self) -> None:
        import os
        import signal

        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
        self.popen.wait(timeout=15)


def start_module(module: str, env: dict[str, str], health_url: str | None) -> Process:
    """Start `python -m module` with `env` added; wait for `health_url` to answer 200."""
    import os
    import subprocess
    import sys
    import time

    import requests

    popen = subprocess.Popen(
        [sys.executable, "-m", module],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    process = Process(popen)
    deadline = time.monotonic() + 90  # slow imports on a loaded 2-core box
    while health_url is not None:
        try:
            if requests.get(health_url, timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline or popen.poll() is not None:
            process.stop()
            raise AssertionError(f"{module} did not become healthy")
        time.sleep(0.1)
    return process
