"""`python -m services.loyalty`: consume `order.events` and serve health/metrics/accounts."""

from __future__ import annotations

import threading

from werkzeug.serving import run_simple

from services.loyalty.app import SERVICE, LoyaltyConfig, create_app
from services.loyalty.consumer import ConsumerMetrics, LoyaltyConsumer, kafka_source


def main() -> None:
    """Run the consumer thread and the HTTP face until interrupted."""
    config = LoyaltyConfig.from_env()
    app = create_app(config)
    engine, tables = app.extensions[SERVICE]
    stop = threading.Event()
    source = kafka_source(config.kafka_bootstrap_servers)
    metrics = ConsumerMetrics.on(app.extensions["prometheus_metrics"].registry)
    consumer = LoyaltyConsumer(engine, tables, source, metrics)
    thread = threading.Thread(
        target=consumer.run, args=(stop,), name="loyalty-consumer", daemon=True
    )
    thread.start()
    try:
        run_simple(config.host, config.port, app, threaded=True)
    finally:
        stop.set()
        thread.join(timeout=5)
        source.close()


if __name__ == "__main__":
    main()
