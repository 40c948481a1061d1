"""`python -m services.common.relay --service cart`: run one service's outbox relay.

With RELAY_PORT set, `/health` and `/metrics` (`outbox_backlog`) are served on RELAY_HOST
(127.0.0.1) and RELAY_PORT (`services.common.relay_health`). Each published event is a PRODUCER
span exported as the `OTEL_*` variables say (`services.kit.tracing`).
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import FrameType

from sqlalchemy import MetaData

from services.common.db import default_database_url, make_engine
from services.common.outbox_relay import KafkaPublisher, OutboxRelay
from services.common.relay_health import RelayMonitor, http_address, serve_health
from services.common.tables import outbox_table
from services.kit import configure_logging
from services.kit.tracing import configure_tracing


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command line: --service, --database-url, --bootstrap-servers, --batch-size, --interval."""
    parser = argparse.ArgumentParser(description="Relay a service's outbox to Kafka")
    parser.add_argument("--service", required=True, help="service name, e.g. cart")
    parser.add_argument("--database-url", help="default: $<SERVICE>_DATABASE_URL")
    parser.add_argument("--bootstrap-servers", help="default: $KAFKA_BOOTSTRAP_SERVERS")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5, help="poll interval (s)")
    parser.add_argument(
        "--retention-hours",
        type=float,
        default=168.0,
        help="delete rows sent longer ago than this (default one week; 0 keeps everything)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    """Run until SIGTERM/SIGINT."""
    args = parse_args(argv)
    prefix = args.service.upper()
    url = (
        args.database_url or env.get(f"{prefix}_DATABASE_URL") or default_database_url(args.service)
    )
    bootstrap = args.bootstrap_servers or env.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    configure_logging(f"{args.service}-relay")
    configure_tracing(f"{args.service}-relay", env)
    engine = make_engine(url)
    publisher = KafkaPublisher(bootstrap)
    relay = OutboxRelay(
        engine, outbox_table(MetaData()), publisher, args.service, batch_size=args.batch_size
    )
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    monitor = RelayMonitor(args.service)
    address = http_address(env)
    server = serve_health(monitor, *address) if address is not None else None
    try:
        retention = timedelta(hours=args.retention_hours) if args.retention_hours > 0 else None
        relay.run(stop, poll_interval_s=args.interval, retention=retention, monitor=monitor)
    finally:
        if server is not None:
            server.shutdown()
        publisher.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
