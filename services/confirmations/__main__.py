"""`python -m services.confirmations`: run the bridge with a health/metrics face.

Environment: CONFIRMATIONS_HOST (127.0.0.1), CONFIRMATIONS_PORT (8009), CONFIRMATIONS_DATABASE_URL,
KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:19092), ZEEBE_ADDRESS (127.0.0.1:26500),
CONFIRMATIONS_MESSAGE_TTL_MS (60000). `/health` answers 200 once the database answers and the
consumer owns its partitions (the supervisor waits for that). `/metrics` includes
`confirmations_consumer_lag`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping

from prometheus_client import Gauge

from services.common.consumer_loop import LagReporter, kafka_lag
from services.common.db import ensure_database, init_db, make_engine, ping
from services.common.serve import env_int, serve_config, serve_wsgi
from services.common.web import build_app
from services.confirmations.bridge import ConfirmationBridge, bridge_tables, kafka_source
from services.confirmations.publisher import ZeebePublisher


def main(env: Mapping[str, str] = os.environ) -> None:
    """Consume and publish until interrupted."""
    served = serve_config("confirmations", 8009, env)
    ensure_database(served.database_url)
    engine = make_engine(served.database_url)
    metadata, processed = bridge_tables()
    init_db(engine, metadata)
    publisher = ZeebePublisher(env.get("ZEEBE_ADDRESS", "127.0.0.1:26500"))
    source = kafka_source(env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"))
    bridge = ConfirmationBridge(
        engine,
        processed,
        source,
        publisher,
        ttl_ms=env_int(env, "CONFIRMATIONS_MESSAGE_TTL_MS", 60_000),
    )

    def health() -> None:
        ping(engine)
        if not bridge.ready:
            raise RuntimeError("payment.events partitions not assigned yet")

    app = build_app("confirmations", health_check=health, blueprints=[], config={})
    registry = app.extensions["prometheus_metrics"].registry
    bridge.lag = LagReporter(
        Gauge("confirmations_consumer_lag", "Records behind on payment.events", registry=registry),
        lambda: kafka_lag(source),
    )
    stop = threading.Event()
    thread = threading.Thread(target=bridge.run, args=(stop,), name="confirmations")
    thread.start()
    try:
        serve_wsgi(app, served.host, served.port)
    finally:
        stop.set()
        thread.join(timeout=5)
        publisher.close()


if __name__ == "__main__":
    main()
