"""Benchmark of the embedded engine: engine and pyzeebe workers in separate processes.

    .venv/bin/python benchmarks/bench_engine.py [--duration 15] [--workers 2] [--log-sync FULL]

Prints, per scenario, completed process instances/s, jobs/s and p50/p99 start-to-end latency
(CreateProcessInstanceWithResult round trip, as a client sees it):
  (a) one-task process, closed loop at max sustainable rate;
  (b) the same at a fixed 100 instances/s (open loop);
  (c) five-task sequential process, closed loop;
  (e) compensation-heavy: four tasks, then a compensation throw event that invokes the four
      handlers of the completed tasks (8 jobs per instance), closed loop;
and the engine's RSS with 10,000 instances waiting at a message catch event.
Durable commits (SQLite WAL, synchronous=FULL) unless --log-sync NORMAL.

This script starts the processes and dispatches the roles; the processes it deploys are in
`bench_engine_models`, the client loops in `bench_engine_load`, the restart measurement in
`bench_engine_restart`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pyzeebe import ZeebeTaskRouter, ZeebeWorker, create_insecure_channel

# The parts sit beside this script; run as `python -m benchmarks.bench_engine` too, so the
# script's folder goes on the path (as bench_checkout.py does for its workload).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine_load import drive
from bench_engine_models import TASK_TYPES, UNDO_TYPES
from bench_engine_restart import measure_restart


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _undo_handler(job_type: str) -> Any:
    """Completes a compensation handler job with `{job_type: true}`, so the result shows it ran."""

    async def undo() -> dict[str, object]:
        return {job_type: True}

    return undo


def run_worker(address: str) -> None:
    """Worker process: one pyzeebe worker serving all bench task types, completing at once."""
    router = ZeebeTaskRouter()
    for job_type in TASK_TYPES:

        async def work() -> dict[str, object]:
            return {}

        router.task(job_type, max_jobs_to_activate=64, max_running_jobs=128)(work)
    for job_type in UNDO_TYPES:
        router.task(job_type, max_jobs_to_activate=64, max_running_jobs=128)(
            _undo_handler(job_type)
        )

    async def main() -> None:
        worker = ZeebeWorker(create_insecure_channel(grpc_address=address), poll_retry_delay=0)
        worker.include_router(router)
        await worker.work()

    asyncio.run(main())


def start_engine(address: str, data_dir: str, log_sync: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "zeebe", "--grpc-address", address, "--http-port", "-1",
        "--data-dir", data_dir, "--log-sync", log_sync, "--log-level", "warning",
    ]  # fmt: skip
    engine = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert engine.stdout is not None
    line = engine.stdout.readline()
    if not line.startswith("zeebe engine ready"):
        raise SystemExit(f"engine did not start: {line!r}")
    return engine


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "role", nargs="?", default="driver", choices=["driver", "worker", "restart"]
    )
    parser.add_argument("--address", default="")
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--waiting", type=int, default=10_000)
    parser.add_argument("--only", default="abcde", help="scenarios to run, e.g. 'ce'")
    parser.add_argument("--records", type=int, default=100_000, help="for 'restart'")
    parser.add_argument("--log-sync", default="FULL", choices=["FULL", "NORMAL"])
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if args.role == "worker":
        run_worker(args.address)
        return
    if args.role == "restart":
        measure_restart(args.records)
        return
    address = f"127.0.0.1:{free_port()}"
    with tempfile.TemporaryDirectory(prefix="zeebe-bench-") as data_dir:
        engine = start_engine(address, data_dir, args.log_sync)
        workers = [
            subprocess.Popen([sys.executable, __file__, "worker", "--address", address])
            for _ in range(args.workers)
        ]
        try:
            print(
                f"machine: {os.cpu_count()} cores; log sync {args.log_sync}; "
                f"workers {args.workers}; concurrency {args.concurrency}",
                flush=True,
            )
            asyncio.run(drive(address, args, engine.pid))
        finally:
            for process in [*workers, engine]:
                process.terminate()
            for process in [*workers, engine]:
                process.wait(30)


if __name__ == "__main__":
    main()
