"""Benchmark of the whole checkout saga: POST /checkouts -> final state, on the local system.

    .venv/bin/python benchmarks/bench_checkout.py [--attach] [--max-n 300] [--rate 20]
        [--duration 20] [--threads 16] [--warm-up 100]

Without `--attach` it starts PostgreSQL, Kafka and FerretDB (free ports, throwaway data) and
every process of `demo.topology.plan` (engine, services, relays, bridge, loyalty, workers,
checkout API), and stops them by pid at the end. With `--attach` it drives a running
`make run` (`python -m stack up` + `python -m demo.supervisor`, STACK_* variables as there).

After `--warm-up` checkouts (unmeasured: Kafka's JIT compiler and the caches of every process
warm up; a cold Kafka spends seconds of CPU compiling during its first loads), two scenarios,
happy path (approving card, plentiful stock):
  (a) max rate: `--max-n` checkouts submitted by `--threads` closed-loop clients; completed
      checkouts/s = n / (first POST -> last instance end);
  (b) fixed rate, 5 s after (a): `--rate` checkouts/s for `--duration` s (open loop); p50/p99
      latency.
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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests" / "e2e")]  # the workload lives beside the e2e tests

import requests  # noqa: E402
from bench_cpu import cpu_report, cpu_ticks, idle_cpu  # noqa: E402
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
from demo.topology import DEFAULT_PORTS, Endpoints, ProcessSpec, plan, worker_spec  # noqa: E402
from stack.ports import free_port  # noqa: E402

WINDOW = 20
SETTLE_S = 5.0
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
def started_system(worker_processes: int = 1) -> Iterator[tuple[Endpoints, Supervisor]]:
    """The stack and every process on free ports; stopped by pid afterwards."""
    from stack.config import StackConfig
    from stack.manager import Stack

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
        for index in range(1, worker_processes):
            supervisor.start(extra_worker(e, index))
        yield e, supervisor
    finally:
        supervisor.stop_all()
        stack.down()
        shutil.rmtree(root, ignore_errors=True)


def extra_worker(e: Endpoints, index: int) -> ProcessSpec:
    """Another `python -m workers` (job activation is competitive: DESIGN §7 scaling)."""
    spec = worker_spec(e)
    port = free_port("127.0.0.1")
    env = {**spec.env, "WORKERS_METRICS_PORT": str(port), "WORKERS_NAME": f"workers-{index}"}
    return replace(
        spec, name=f"workers-{index}", env=env, health_url=f"http://127.0.0.1:{port}/metrics"
    )


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
    """Poll the engine until every instance ended (or timeout); pik -> end epoch seconds.

    Only the oldest WINDOW still-running instances are asked per pass: the end time comes from
    the engine, so slow polling costs no accuracy and keeps the probe's load on the engine low.
    """
    ends: dict[str, float] = {}
    deadline = time.monotonic() + timeout_s
    pending = [t.submitted.pik for t in timed]
    while pending and time.monotonic() < deadline:
        window = pending[:WINDOW]
        found = {pik: instance_end(e, pik) for pik in window}
        ends.update({pik: end for pik, end in found.items() if end is not None})
        pending = [pik for pik in pending if pik not in ends]
        if pending and pending[:WINDOW] == window:
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


def max_rate(
    e: Endpoints, plans: list[Planned], threads: int, on_ended: Callable[[], None] = lambda: None
) -> Result:
    """Scenario (a): closed loop, `threads` clients submitting as fast as they can; `on_ended`
    runs once every instance ended, before the final statuses are read."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        timed = list(pool.map(lambda p: timed_submit(e, p), plans))
    ends = await_ends(e, timed, timeout_s=300)
    on_ended()
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


def task_durations(e: Endpoints) -> str:
    """Mean worker step duration per task type (`checkout_worker_task_duration_seconds`)."""
    text = HTTP.call("GET", f"http://127.0.0.1:{e.ports['workers_metrics']}/metrics").text
    sums: dict[str, float] = {}
    counts: dict[str, float] = {}
    for line in text.splitlines():
        for suffix, into in (("_sum{", sums), ("_count{", counts)):
            if line.startswith(f"checkout_worker_task_duration_seconds{suffix}"):
                task = line.split('task_type="', 1)[1].split('"', 1)[0]
                into[task] = float(line.rsplit(" ", 1)[1])
    return "\n".join(
        f"    {task:<22} {1000 * sums[task] / counts[task]:7.1f} ms mean over {counts[task]:.0f}"
        for task in sorted(counts, key=lambda t: -sums[t] / max(counts[t], 1))
        if counts[task]
    )


def run(e: Endpoints, args: argparse.Namespace) -> None:
    """Seed, warm up, run both scenarios, print."""
    rng = random.Random(args.seed)
    catalog = seed_catalog(e, HAPPY, tag=f"b{rng.getrandbits(32):08x}")
    requests.put(f"{e.url('psp')}/knobs", json={"latency_ms": 0, "async_rate": 0}, timeout=10)
    fixed_n = int(args.rate * args.duration)
    warm_n = args.warm_up
    plans = plan_checkouts(rng, catalog, HAPPY, warm_n + args.max_n + fixed_n)
    if warm_n:
        print(f"  warm-up: {max_rate(e, plans[:warm_n], args.threads).line()}")
    before, started = cpu_ticks(), time.monotonic()
    ran: list[str] = []

    def ended() -> None:  # the CPU of the run itself, not of the status reads after it
        wall = time.monotonic() - started
        ran.append(f"  CPU from the first POST to the last instance end ({wall:.1f} s wall):")
        ran.append(cpu_report(before, wall, per=args.max_n))

    top = max_rate(e, plans[warm_n : warm_n + args.max_n], args.threads, ended)
    print(top.line(), flush=True)
    print("\n".join(ran))
    print("  worker step duration (service call incl. retries), since start:")
    print(task_durations(e), flush=True)
    # The burst's asynchronous tail (relays publishing its outbox rows, the consumers storing its
    # events) would otherwise run during the first seconds of the fixed-rate scenario.
    time.sleep(SETTLE_S)
    print(fixed_rate(e, plans[warm_n + args.max_n :], args.rate).line(), flush=True)
    idle_cpu("with no load afterwards (pollers only)")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start or attach to the system, run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attach", action="store_true", help="use a running `make run`")
    parser.add_argument("--max-n", type=int, default=300)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warm-up", type=int, default=100, help="unmeasured checkouts first")
    parser.add_argument(
        "--worker-processes", type=int, default=1, help="workers processes (not with --attach)"
    )
    args = parser.parse_args(argv)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"date: {datetime.now().astimezone().isoformat(timespec='seconds')}, cpus: {os.cpu_count()}"
    )
    if args.attach:
        run(endpoints_from_env(os.environ), args)
        return 0
    with started_system(args.worker_processes) as (e, supervisor):
        run(e, args)
        # Which poller keeps FerretDB busy: the same idle window without the order relay.
        supervisor.stop("order-relay")
        idle_cpu("with no load and the order relay stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
