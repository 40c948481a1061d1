"""The client side of the engine benchmark (`bench_engine.py`): closed and open loops of
CreateProcessInstanceWithResult calls, the compensation check and the RSS probe with
instances waiting at a message catch event."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench_engine_models import UNDO_TYPES, compensation_process, message_process, tasks_process
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub


@dataclass
class Result:
    name: str
    tasks: int
    completed: int
    seconds: float
    latencies_ms: list[float]

    def line(self) -> str:
        rate = self.completed / self.seconds
        lat = sorted(self.latencies_ms) or [0.0]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return (
            f"{self.name}: {rate:.0f} instances/s, {rate * self.tasks:.0f} jobs/s, "
            f"p50 {statistics.median(lat):.1f} ms, p99 {p99:.1f} ms "
            f"({self.completed} instances in {self.seconds:.1f} s)"
        )


Check = Callable[[str], None]


async def run_one(
    stub: GatewayStub, process_id: str, latencies: list[float], check: Check | None = None
) -> None:
    request = pb.CreateProcessInstanceWithResultRequest(
        request=pb.CreateProcessInstanceRequest(bpmnProcessId=process_id, version=-1),
        requestTimeout=60_000,
    )
    started = time.perf_counter()
    response = await stub.CreateProcessInstanceWithResult(request)
    latencies.append((time.perf_counter() - started) * 1000)
    if check is not None:
        check(response.variables)


async def closed_loop(
    stub: GatewayStub,
    process_id: str,
    concurrency: int,
    seconds: float,
    check: Check | None = None,
) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            await run_one(stub, process_id, latencies, check)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return len(latencies), time.perf_counter() - started, latencies


async def open_loop(
    stub: GatewayStub, process_id: str, rate: float, seconds: float
) -> tuple[int, float, list[float]]:
    latencies: list[float] = []
    started = time.perf_counter()
    pending = []
    for i in range(int(rate * seconds)):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.ensure_future(run_one(stub, process_id, latencies)))
    await asyncio.gather(*pending)
    return len(latencies), time.perf_counter() - started, latencies


@dataclass
class HandlerCheck:
    """Counts, from each instance's result variables, the compensation handlers that ran."""

    handlers: int = 0
    complete: int = 0

    def __call__(self, variables: str) -> None:
        ran = sum(json.loads(variables).get(job_type) is True for job_type in UNDO_TYPES)
        self.handlers += ran
        self.complete += ran == len(UNDO_TYPES)


async def compensation_scenario(stub: GatewayStub, args: argparse.Namespace) -> None:
    """(e): 4 forward jobs + 4 compensation handler jobs per instance; checks the handlers ran."""
    check = HandlerCheck()
    run = await closed_loop(stub, "bench-compensate", args.concurrency, args.duration, check)
    print(Result("(e) four tasks compensated, max rate", 8, *run).line(), flush=True)
    verdict = "OK" if check.handlers == len(UNDO_TYPES) * run[0] == 4 * check.complete else "FAIL"
    print(
        f"(e) check {verdict}: {check.handlers} handler jobs completed for {run[0]} instances "
        f"(expected {len(UNDO_TYPES) * run[0]}); {check.complete} instances with all "
        f"{len(UNDO_TYPES)} handlers in their result",
        flush=True,
    )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def waiting_instances(stub: GatewayStub, count: int) -> None:
    semaphore = asyncio.Semaphore(256)

    async def create(i: int) -> None:
        async with semaphore:
            request = pb.CreateProcessInstanceRequest(
                bpmnProcessId="bench-wait", version=-1, variables=f'{{"id": "w-{i}"}}'
            )
            await stub.CreateProcessInstance(request)

    await asyncio.gather(*(create(i) for i in range(count)))


async def deploy_processes(stub: GatewayStub) -> None:
    """Deploy the benchmark's four processes."""
    resources = [
        pb.Resource(name="one.bpmn", content=tasks_process("bench-one", 1)),
        pb.Resource(name="five.bpmn", content=tasks_process("bench-five", 5)),
        pb.Resource(name="wait.bpmn", content=message_process()),
        pb.Resource(name="compensate.bpmn", content=compensation_process("bench-compensate")),
    ]
    await stub.DeployResource(pb.DeployResourceRequest(resources=resources))


async def drive(address: str, args: argparse.Namespace, engine_pid: int) -> None:
    channel = create_insecure_channel(grpc_address=address)
    stub = GatewayStub(channel)
    await deploy_processes(stub)
    await closed_loop(stub, "bench-one", 8, 2)  # warm-up
    scenarios = {
        "a": (
            "(a) one task, max rate",
            1,
            closed_loop(stub, "bench-one", args.concurrency, args.duration),
        ),
        "b": ("(b) one task, 100/s", 1, open_loop(stub, "bench-one", 100, args.duration)),
        "c": (
            "(c) five tasks, max rate",
            5,
            closed_loop(stub, "bench-five", args.concurrency, args.duration),
        ),
    }
    for key, (name, tasks, run) in scenarios.items():
        if key in args.only:
            print(Result(name, tasks, *await run).line(), flush=True)
        else:
            run.close()
    if "e" in args.only:
        await compensation_scenario(stub, args)
    if "d" in args.only:
        before = rss_mb(engine_pid)
        started = time.perf_counter()
        await waiting_instances(stub, args.waiting)
        print(
            f"(d) {args.waiting} instances waiting at a message catch: "
            f"engine RSS {rss_mb(engine_pid):.0f} MB (before {before:.0f} MB; "
            f"created in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    await channel.close()
