"""Benchmark of the whole checkout saga: POST /checkouts -> final state, on the local system.

    .venv/bin/python benchmarks/bench_checkout.py [--attach] [--max-n 300] [--rate 20]
        [--duration 20] [--threads 16]

Without `--attach` it starts PostgreSQL, Kafka and FerretDB (free ports, throwaway data) and
every process of `demo.topology.plan` (engine, services, relays, bridge, loyalty, workers,
checkout API), and stops them by pid at the end. With `--attach` it drives a running
`make run` (`python -m stack up` + `python -m demo.supervisor`, STACK_* variables as there).

Two scenarios, happy path (approving card, plentiful stock):
  (a) max rate: `--max-n` checkouts submitted by `--threads` closed-loop clients; completed
      checkouts/s = n / (first POST -> last instance end);
  (b) fixed rate: `--rate` checkouts/s for `--duration` s (open loop); p50/p99 latency.
Latency = from just before the POST to the process instance's `endDate` in the engine's REST
read model (same machine clock), so polling cost does not inflate it; the checkout API is then
asked once per checkout for its final status (`completed` counted).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "e2e")]  # the workload lives beside the e2e tests

import requests  # noqa: E402
from saga_load import (  # noqa: E402
    HTTP,
    Planned,
    Submitted,
    WorkloadMix,
    plan_checkouts,
    seed_catalog,
    status_of,
    submit,
)

from demo.supervisor import Supervisor, endpoints_from_env  # noqa: E402
from demo.topology import DEFAULT_PORTS, Endpoints, plan  # noqa: E402

HAPPY = WorkloadMix(invalid_coupon=0.0, coupon=0.5, scarce_sku=0.0, card_tokens=("tok_approve",))


@dataclass(frozen=True)
class Result:
    """One scenario's measurements."""

    name: str
    n: int
    completed: int
    wall_s: float
    latencies_s: list[float]

    def line(self) -> str:
        """A printable summary in Camunda's units (completed instances/s, latency)."""
        lat = sorted(self.latencies_s)
        p50 = statistics.median(lat) if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else float("nan")
        rate = len(lat) / self.wall_s if self.wall_s else 0.0
        return (
            f"{self.name:<28} n={self.n:<4} completed={self.completed:<4} "
            f"ended/s={rate:6.1f}  p50={p50 * 1000:7.0f} ms  p99={p99 * 1000:7.0f} ms  "
            f"max={lat[-1] * 1000 if lat else float('nan'):7.0f} ms"
        )


@contextmanager
def started_system() -> Iterator[Endpoints]:
    """The stack and every process on free ports; stopped by pid afterwards."""
    from stack.config import StackConfig
    from stack.manager import Stack
    from stack.ports import free_port

    root = Path(tempfile.mkdtemp(prefix="bench-checkout-"))
    root.chmod(0o755)  # PostgreSQL runs as `postgres`
    ports = ("pg_port", "kafka_port", "kafka_controller_port", "mongo_port", "ferretdb_debug_port")
    cfg = StackConfig(root=root, durable=False).with_ports(**dict.fromkeys(ports, 0))
    stack = Stack(cfg, env=os.environ)
    supervisor = Supervisor(root / "system")
    try:
        stack.up(["postgres", "kafka", "ferretdb"])
        c = stack.cfg
        e = Endpoints(
            pg_host_port=f"{c.host}:{c.pg_port}",
            kafka_bootstrap=f"{c.host}:{c.kafka_port}",
            mongo_url=f"mongodb://{c.host}:{c.mongo_port}/",
            ports={name: free_port("127.0.0.1") for name in DEFAULT_PORTS},
            data_dir=root / "system",
        )
        supervisor.start_all(plan(e))
        yield e
    finally:
        supervisor.stop_all()
        stack.down()
        shutil.rmtree(root, ignore_errors=True)


def instance_end(e: Endpoints, pik: str) -> float | None:
    """The instance's end (epoch seconds) from the engine's read model, None while running."""
    url = f"{e.url('zeebe_http')}/v2/process-instances/{pik}"
    row = HTTP.call("GET", url).json()
    end = row.get("endDate")
    if end is None:
        return None
    if isinstance(end, str):
        return datetime.fromisoformat(end.replace("Z", "+00:00")).timestamp()
    return float(end) / 1000.0


@dataclass(frozen=True)
class Timed:
    """A submitted checkout with the wall-clock time of its POST."""

    submitted: Submitted
    posted_at: float  # time.time() just before the POST


def timed_submit(e: Endpoints, planned: Planned) -> Timed:
    """Submit one checkout, remembering the wall-clock time before the POST."""
    before = time.time()
    return Timed(submit(e, planned), before)


def await_ends(e: Endpoints, timed: list[Timed], timeout_s: float) -> dict[str, float]:
    """Poll the engine until every instance ended (or timeout); pik -> end epoch seconds."""
    ends: dict[str, float] = {}
    deadline = time.monotonic() + timeout_s
    pending = [t.submitted.pik for t in timed]
    with ThreadPoolExecutor(max_workers=4) as pool:
        while pending and time.monotonic() < deadline:
            found = dict(
                zip(pending, pool.map(lambda pik: instance_end(e, pik), pending), strict=True)
            )
            ends.update({pik: end for pik, end in found.items() if end is not None})
            pending = [pik for pik in pending if pik not in ends]
            if pending:
                time.sleep(0.5)
    return ends


def summarize(e: Endpoints, name: str, timed: list[Timed], ends: dict[str, float]) -> Result:
    """Latencies from the engine, final statuses from the checkout API."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda t: status_of(e, t.submitted.checkout_id), timed))
    completed = sum(1 for s in statuses if s["status"] == "completed")
    latencies = [ends[t.submitted.pik] - t.posted_at for t in timed if t.submitted.pik in ends]
    first = min(t.posted_at for t in timed)
    wall = max(ends.values(), default=first) - first
    return Result(name, len(timed), completed, wall, latencies)


def max_rate(e: Endpoints, plans: list[Planned], threads: int) -> Result:
    """Scenario (a): closed loop, `threads` clients submitting as fast as they can."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        timed = list(pool.map(lambda p: timed_submit(e, p), plans))
    ends = await_ends(e, timed, timeout_s=300)
    return summarize(e, f"max rate ({threads} clients)", timed, ends)


def fixed_rate(e: Endpoints, plans: list[Planned], rate: float) -> Result:
    """Scenario (b): open loop, one POST every 1/rate s (each on its own pool thread)."""
    timed: list[Timed] = []
    lock = threading.Lock()

    def fire(planned: Planned) -> None:
        one = timed_submit(e, planned)
        with lock:
            timed.append(one)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i, planned in enumerate(plans):
            time.sleep(max(0.0, start + i / rate - time.monotonic()))
            pool.submit(fire, planned)
    lateness = time.monotonic() - (start + (len(plans) - 1) / rate)
    print(f"  fixed-rate schedule: last POST sent {lateness * 1000:.0f} ms behind plan")
    ends = await_ends(e, timed, timeout_s=300)
    return summarize(e, f"fixed {rate:g}/s", timed, ends)


def run(e: Endpoints, args: argparse.Namespace) -> None:
    """Seed, warm up, run both scenarios, print."""
    rng = random.Random(args.seed)
    catalog = seed_catalog(e, HAPPY, tag=f"b{rng.getrandbits(32):08x}")
    requests.put(f"{e.url('psp')}/knobs", json={"latency_ms": 0, "async_rate": 0}, timeout=10)
    fixed_n = int(args.rate * args.duration)
    plans = plan_checkouts(rng, catalog, HAPPY, 20 + args.max_n + fixed_n)
    warm = max_rate(e, plans[:20], 4)
    print(f"  warm-up: {warm.line()}")
    results = [
        max_rate(e, plans[20 : 20 + args.max_n], args.threads),
        fixed_rate(e, plans[20 + args.max_n :], args.rate),
    ]
    for result in results:
        print(result.line(), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start or attach to the system, run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attach", action="store_true", help="use a running `make run`")
    parser.add_argument("--max-n", type=int, default=300)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"date: {datetime.now().astimezone().isoformat(timespec='seconds')}, cpus: {os.cpu_count()}"
    )
    if args.attach:
        run(endpoints_from_env(os.environ), args)
        return 0
    with started_system() as e:
        run(e, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
