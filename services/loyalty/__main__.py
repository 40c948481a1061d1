"""`python -m services.loyalty`: consume `order.events` and serve health/metrics/accounts."""

from __future__ import annotations

import threading

from services.common.serve import serve_wsgi
from services.kit.tracing import configure_tracing
from services.loyalty.app import SERVICE, LoyaltyConfig, create_app
from services.loyalty.consumer import ConsumerMetrics, LoyaltyConsumer, kafka_source


def main() -> None:
    """Run the consumer thread and the HTTP face until interrupted."""
    config = LoyaltyConfig.from_env()
    configure_tracing(SERVICE)  # before the consumer thread starts: its first spans count too
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
        serve_wsgi(app, config.host, config.port)
    finally:
        stop.set()
        thread.join(timeout=5)
        source.close()


if __name__ == "__main__":
    main()
