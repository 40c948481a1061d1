"""The workers' HTTP port: `/metrics` for Prometheus, `/health` for Kubernetes probes."""

from __future__ import annotations

import json
import threading

import pytest
import requests
from prometheus_client import CollectorRegistry, Counter
from werkzeug.test import Client

from workers.http import health_and_metrics_app, start_http

pytestmark = pytest.mark.unit


def app_with(running: bool) -> Client:
    registry = CollectorRegistry()
    Counter("demo_jobs", "demo", registry=registry).inc()
    flag = threading.Event()
    if running:
        flag.set()
    return Client(health_and_metrics_app(registry, flag))


def test_health_is_ok_while_the_worker_polls() -> None:
    """Brief H18: a /health endpoint on the workers' metrics port (helm probes it)."""
    response = app_with(running=True).get("/health")
    assert response.status_code == 200
    assert json.loads(response.data) == {"status": "ok", "service": "workers"}


def test_health_is_503_once_a_stop_was_requested() -> None:
    """A draining worker leaves the Service (readiness) while its running jobs finish."""
    response = app_with(running=False).get("/health")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert json.loads(response.data)["code"] == "UNAVAILABLE"


def test_metrics_are_still_served_from_the_worker_registry() -> None:
    """DESIGN §5: the same port keeps serving the Prometheus exposition."""
    body = app_with(running=True).get("/metrics").data.decode()
    assert "demo_jobs_total 1.0" in body


def test_start_http_serves_on_127_0_0_1_until_shut_down() -> None:
    """Real HTTP on a port chosen by the OS; the test stops what it started."""
    running = threading.Event()
    running.set()
    server, thread = start_http(
        health_and_metrics_app(CollectorRegistry(), running), "127.0.0.1", 0
    )
    try:
        reply = requests.get(f"http://127.0.0.1:{server.server_port}/health", timeout=5)
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert reply.status_code == 200
    assert not thread.is_alive()
