"""`python -m services.checkout`: the checkout API plus its status-projection consumer.

Environment: CHECKOUT_HOST (127.0.0.1), CHECKOUT_PORT (8000), CHECKOUT_DATABASE_URL,
ZEEBE_ADDRESS (127.0.0.1:26500), ZEEBE_REST_URL (http://127.0.0.1:8080; empty: events only),
KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:19092),
CHECKOUT_FRAUD_CHECK_PERCENT (0), CHECKOUT_CONFIRMATION_TIMEOUT (unset: the BPMN default PT30S),
CHECKOUT_BPMN_DIR (the repository's bpmn/).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask
from prometheus_client import Gauge

from services.checkout.app import create_app
from services.checkout.consumer import StatusConsumer, kafka_source
from services.checkout.domain import parse_percent
from services.checkout.saga_metrics import SagaDurationObserver
from services.common.consumer_loop import LagReporter, kafka_lag
from services.common.serve import serve_config, serve_wsgi


def _status_consumer(app: Flask, source: Any) -> StatusConsumer:
    """The projection consumer with the saga duration histogram and its lag gauge."""
    store = app.extensions["checkout_store"]
    registry = app.extensions["prometheus_metrics"].registry
    return StatusConsumer(
        store,
        source,
        on_stored=SagaDurationObserver(store, app.extensions["saga_duration"]),
        lag=LagReporter(
            Gauge(
                "checkout_status_consumer_lag",
                "Records behind on the service topics (status projection consumer)",
                registry=registry,
            ),
            lambda: kafka_lag(source),
        ),
    )


def main(env: Mapping[str, str] = os.environ) -> None:
    """Serve until interrupted; the consumer thread stops with the server."""
    served = serve_config("checkout", 8000, env)
    try:
        percent = parse_percent(env.get("CHECKOUT_FRAUD_CHECK_PERCENT"))
    except ValueError as error:
        raise SystemExit(str(error)) from None
    app = create_app(
        {
            "DATABASE_URL": served.database_url,
            "ZEEBE_ADDRESS": env.get("ZEEBE_ADDRESS", "127.0.0.1:26500"),
            "ZEEBE_REST_URL": env.get("ZEEBE_REST_URL", "http://127.0.0.1:8080"),
            "BPMN_DIR": env.get("CHECKOUT_BPMN_DIR"),
            "FRAUD_CHECK_PERCENT": percent,
            "CONFIRMATION_TIMEOUT": env.get("CHECKOUT_CONFIRMATION_TIMEOUT") or None,
        }
    )
    bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    stop = threading.Event()
    consumer = _status_consumer(app, kafka_source(bootstrap))
    thread = threading.Thread(target=consumer.run, args=(stop,), name="checkout-status")
    thread.start()
    try:
        serve_wsgi(app, served.host, served.port)
    finally:
        stop.set()
        thread.join(timeout=5)


if __name__ == "__main__":
    main()
