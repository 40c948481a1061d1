"""Health and backlog of an outbox relay, served over a small optional HTTP port.

Relays have no web app of their own; with `RELAY_PORT` set, `python -m services.common.relay`
and `python -m services.order.relay` serve `GET /health` (200 while the loop completed a round
within `stale_after_s`, else 503 problem+json) and `GET /metrics` (`outbox_backlog{service}`:
unsent rows, refreshed after every successful round) on `RELAY_HOST` (127.0.0.1). Unset: no port.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from werkzeug.serving import BaseWSGIServer, make_server

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class RelayMonitor:
    """What the relay loop reports: when it last completed a round, and the backlog."""

    service: str
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    stale_after_s: float = 30.0
    clock: Callable[[], float] = time.monotonic
    last_ok: float | None = None

    def __post_init__(self) -> None:
        self.backlog = Gauge(
            "outbox_backlog",
            "Unsent outbox rows (order: documents with unsent events), per service",
            ["service"],
            registry=self.registry,
        )

    def succeeded(self, backlog: int) -> None:
        """A round completed (database and broker answered); `backlog` rows remain unsent."""
        self.last_ok = self.clock()
        self.backlog.labels(service=self.service).set(backlog)

    def healthy(self) -> bool:
        """True while the last completed round is recent enough."""
        return self.last_ok is not None and self.clock() - self.last_ok <= self.stale_after_s


def health_app(
    monitor: RelayMonitor,
) -> Callable[[Mapping[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI app with `/health` and `/metrics` for one relay."""

    def app(environ: Mapping[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
            return [generate_latest(monitor.registry)]
        if path != "/health":
            return _json(start_response, 404, _problem(404, "Not Found", "NOT_FOUND", path))
        if monitor.healthy():
            return _json(
                start_response, 200, {"status": "ok", "service": f"{monitor.service}-relay"}
            )
        detail = f"no completed relay round in the last {monitor.stale_after_s:g} s"
        return _json(start_response, 503, _problem(503, "Unavailable", "UNAVAILABLE", path, detail))

    return app


def _problem(status: int, title: str, code: str, path: str, detail: str = "") -> dict[str, Any]:
    # RFC 9457 body, as every service answers (services/CONTRACT.md §2).
    slug = title.lower().replace(" ", "-")
    body = {"type": f"https://checkout-saga.example/problems/{slug}", "title": title}
    return {**body, "status": status, "detail": detail, "instance": path, "code": code}


def _json(start_response: StartResponse, status: int, body: Mapping[str, Any]) -> list[bytes]:
    reasons = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}
    kind = "application/json" if status == 200 else "application/problem+json"
    start_response(f"{status} {reasons[status]}", [("Content-Type", kind)])
    return [json.dumps(body).encode()]


def serve_health(monitor: RelayMonitor, host: str, port: int) -> BaseWSGIServer:
    """Serve `health_app` in a daemon thread; the caller calls `shutdown()` on the result."""
    server = make_server(host, port, health_app(monitor), threaded=True)
    threading.Thread(target=server.serve_forever, name="relay-health", daemon=True).start()
    return server


def http_address(env: Mapping[str, str]) -> tuple[str, int] | None:
    """`(RELAY_HOST, RELAY_PORT)` when RELAY_PORT is set, else None (no HTTP port)."""
    port = env.get("RELAY_PORT", "").strip()
    if not port:
        return None
    return env.get("RELAY_HOST", "127.0.0.1"), int(port)
