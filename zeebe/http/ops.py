"""Operational endpoints: /metrics (Prometheus), /health (process up), /ready (loop answers)."""

from __future__ import annotations

import asyncio
import concurrent.futures

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from zeebe.runtime.broker import Broker

READY_TIMEOUT_S = 2.0


def _broker() -> Broker:
    broker: Broker = current_app.extensions["zeebe_broker"]
    return broker


def _loop_answers(broker: Broker) -> bool:
    """Round-trip through the broker loop: ready means commands would be processed now."""
    if not broker.running or broker.loop is None:
        return False
    future = asyncio.run_coroutine_threadsafe(broker.tick_now(), broker.loop)
    try:
        future.result(READY_TIMEOUT_S)
    except (concurrent.futures.TimeoutError, RuntimeError):
        future.cancel()
        return False
    return True


def ops_blueprint() -> Blueprint:
    """Blueprint with /metrics, /health and /ready."""
    blueprint = Blueprint("ops", __name__)

    @blueprint.get("/metrics")
    def metrics() -> Response:
        body = generate_latest(_broker().metrics.registry)
        return Response(body, content_type=CONTENT_TYPE_LATEST)

    @blueprint.get("/health")
    def health() -> tuple[Response, int]:
        up = _broker().running
        return jsonify({"status": "UP" if up else "DOWN"}), 200 if up else 503

    @blueprint.get("/ready")
    def ready() -> tuple[Response, int]:
        ok = _loop_answers(_broker())
        return jsonify({"status": "UP" if ok else "DOWN"}), 200 if ok else 503

    return blueprint
