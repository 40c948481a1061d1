"""``python -m workers``: run every checkout job worker until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import os
import signal
import threading

import structlog

from services.kit.tracing import configure_tracing
from workers.app import create_worker, install_job_executor
from workers.config import WorkerConfig
from workers.http import health_and_metrics_app, start_http
from workers.observability import configure_logging


async def serve(config: WorkerConfig) -> None:
    """Work until a stop signal; ``worker.stop()`` lets running jobs finish first."""
    app = create_worker(config)
    loop = asyncio.get_running_loop()
    install_job_executor(loop, config.max_threads)
    running = threading.Event()
    running.set()
    http = health_and_metrics_app(app.metrics.registry, running)
    server, thread = start_http(http, config.metrics_host, config.metrics_port)
    log = structlog.get_logger("workers")
    stopping: list[asyncio.Task[None]] = []

    def request_stop(signum: int) -> None:
        log.info("worker_stopping", signal=signal.Signals(signum).name)
        running.clear()  # /health turns 503: the pod leaves the Service while jobs finish
        if not stopping:
            stopping.append(loop.create_task(app.worker.stop()))

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, request_stop, signum)
    log.info("worker_started", zeebe_address=config.zeebe_address, metrics_port=config.metrics_port)
    try:
        await app.worker.work()
    finally:
        server.shutdown()
        thread.join(timeout=5)
        log.info("worker_stopped")


def main() -> int:
    """Entry point: configuration from the environment, JSON logs to stdout, spans to the
    ``OTEL_*`` exporter (``services.kit.tracing``)."""
    configure_logging()
    configure_tracing("workers", os.environ)
    asyncio.run(serve(WorkerConfig.from_env(os.environ)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
