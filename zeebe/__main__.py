"""`python -m zeebe`: run the embedded Zeebe-compatible engine (gRPC gateway + HTTP).

Flags win over environment variables (ZEEBE_GRPC_ADDRESS, ZEEBE_HTTP_PORT, ZEEBE_DATA_DIR,
ZEEBE_IN_MEMORY, ZEEBE_LOG_SYNC). Prints one line "zeebe engine ready grpc=... http=..." when
serving; SIGTERM/SIGINT stop it cleanly (finish the batch in flight, close the log).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import structlog

from zeebe.gateway.server import AddressInUseError
from zeebe.runtime.node import DEFAULT_ENGINE, EngineNode, NodeConfig, engine_factory

_TRUE = {"1", "true", "yes", "on"}
GC_THRESHOLD_GEN0 = 50_000


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command line, with defaults taken from the environment."""
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m zeebe", description=__doc__)
    parser.add_argument("--grpc-address", default=env.get("ZEEBE_GRPC_ADDRESS", "127.0.0.1:26500"))
    parser.add_argument("--http-port", type=int, default=int(env.get("ZEEBE_HTTP_PORT", "8080")))
    parser.add_argument("--data-dir", default=env.get("ZEEBE_DATA_DIR", ".local/zeebe"))
    parser.add_argument(
        "--in-memory",
        action="store_true",
        default=env.get("ZEEBE_IN_MEMORY", "").lower() in _TRUE,
        help="keep the log in memory (nothing survives a restart)",
    )
    parser.add_argument(
        "--log-sync",
        choices=["FULL", "NORMAL"],
        default=env.get("ZEEBE_LOG_SYNC", "FULL"),
        help="SQLite synchronous mode: FULL survives power loss, NORMAL a process crash",
    )
    parser.add_argument(
        "--snapshot-every",
        type=int,
        default=int(env.get("ZEEBE_SNAPSHOT_EVERY", "100000")),
        help="write a state snapshot every N log records (0: never); bounds restart time",
    )
    parser.add_argument(
        "--engine",
        default=env.get("ZEEBE_ENGINE", DEFAULT_ENGINE),
        help="engine class as module:Class (default: the real engine)",
    )
    parser.add_argument("--log-level", default=env.get("ZEEBE_LOG_LEVEL", "info"))
    return parser.parse_args(argv)


def configure_logging(level: str) -> None:
    """structlog JSON lines on stderr at `level`."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    logging.basicConfig(level=numeric, stream=sys.stderr, format="%(message)s")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


async def serve(config: NodeConfig, engine: str = DEFAULT_ENGINE) -> None:
    """Run until SIGTERM/SIGINT."""
    node = EngineNode(config, engine_factory=engine_factory(engine))
    await node.start()
    # Engine state lives long: keep what replay built out of the cyclic GC's full scans, and
    # collect young objects less often, so collection pauses do not become latency spikes.
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD_GEN0, 50, 1000)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    http = f"{config.http_host}:{node.http_port}" if node.http_port is not None else "off"
    print(f"zeebe engine ready grpc={node.grpc_address} http={http}", flush=True)
    await stopped.wait()
    structlog.get_logger("zeebe").info("shutting down")
    await node.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (`zeebe-engine`)."""
    args = parse_args(argv)
    configure_logging(args.log_level)
    config = NodeConfig(
        grpc_address=args.grpc_address,
        http_port=args.http_port if args.http_port >= 0 else None,
        data_dir=Path(args.data_dir),
        in_memory=args.in_memory,
        synchronous=args.log_sync,
        snapshot_every=args.snapshot_every or None,
    )
    try:
        asyncio.run(serve(config, args.engine))
    except (AddressInUseError, OSError) as error:
        print(f"zeebe engine failed to start: {error}", file=sys.stderr, flush=True)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
