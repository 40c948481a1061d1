"""The workers' HTTP port: Prometheus `/metrics` plus a `/health` for Kubernetes probes.

`/health` answers 200 `{"status": "ok", "service": "workers"}` while the worker polls, and 503
(problem+json, `UNAVAILABLE`) once a stop was requested, so a draining pod leaves the Service
while its running jobs finish.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, make_wsgi_app
from werkzeug.serving import BaseWSGIServer, make_server

StartResponse = Callable[..., Any]
Wsgi = Callable[[Mapping[str, Any], StartResponse], Iterable[bytes]]

_UNAVAILABLE = {
    "type": "https://checkout-saga.example/problems/unavailable",
    "title": "Unavailable",
    "status": 503,
    "detail": "the worker is stopping",
    "instance": "/health",
    "code": "UNAVAILABLE",
}


def health_and_metrics_app(registry: CollectorRegistry, running: threading.Event) -> Wsgi:
    """`/health` from `running`; every other path is the Prometheus exposition of `registry`."""
    metrics = make_wsgi_app(registry)

    def app(environ: Mapping[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/health":
            return metrics(dict(environ), start_response)  # type: ignore[no-any-return]
        if running.is_set():
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps({"status": "ok", "service": "workers"}).encode()]
        start_response("503 Service Unavailable", [("Content-Type", "application/problem+json")])
        return [json.dumps(_UNAVAILABLE).encode()]

    return app


def start_http(app: Wsgi, host: str, port: int) -> tuple[BaseWSGIServer, threading.Thread]:
    """Serve `app` from a daemon thread; stop it with `server.shutdown()`."""
    server = make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="worker-http", daemon=True)
    thread.start()
    return server, thread
