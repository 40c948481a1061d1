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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyzeebe import ZeebeTaskRouter, ZeebeWorker, create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

NS = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"'
)
TASK_TYPES = [f"bench.t{i}" for i in range(1, 6)]
UNDO_TYPES = [f"bench.undo{i}" for i in range(1, 5)]


def tasks_process(process_id: str, task_count: int) -> bytes:
    """start -> t1 -> ... -> tN -> end."""
    nodes = ["start", *[f"t{i}" for i in range(1, task_count + 1)], "end"]
    parts = ['<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>']
    for i in range(1, task_count + 1):
        parts.append(
            f'<bpmn:serviceTask id="t{i}"><bpmn:extensionElements><zeebe:taskDefinition '
            f'type="bench.t{i}"/></bpmn:extensionElements><bpmn:incoming>f{i - 1}</bpmn:incoming>'
            f"<bpmn:outgoing>f{i}</bpmn:outgoing></bpmn:serviceTask>"
        )
    parts.append(
        f'<bpmn:endEvent id="end"><bpmn:incoming>f{task_count}</bpmn:incoming></bpmn:endEvent>'
    )
    for i in range(len(nodes) - 1):
        parts.append(
            f'<bpmn:sequenceFlow id="f{i}" sourceRef="{nodes[i]}" targetRef="{nodes[i + 1]}"/>'
        )
    body = "".join(parts)
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} id="d" targetNamespace="http://bench">'
        f'<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
        "</bpmn:definitions>"
    ).encode()


DI_NS = (
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
)


def _shape(element: str, x: int, y: int, width: int, height: int) -> str:
    return (
        f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}">'
        f'<dc:Bounds x="{x}" y="{y}" width="{width}" height="{height}"/></bpmndi:BPMNShape>'
    )


def _edge(element: str, points: list[tuple[int, int]]) -> str:
    waypoints = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
    return (
        f'<bpmndi:BPMNEdge id="{element}_di" bpmnElement="{element}">{waypoints}</bpmndi:BPMNEdge>'
    )


def _compensable_task(i: int) -> tuple[str, str]:
    """Task t{i} with a compensation boundary event c{i} associated to handler u{i}: (xml, DI)."""
    x = 240 + (i - 1) * 160
    xml = (
        f'<bpmn:serviceTask id="t{i}" name="Task {i}"><bpmn:extensionElements>'
        f'<zeebe:taskDefinition type="bench.t{i}"/></bpmn:extensionElements>'
        f"<bpmn:incoming>f{i - 1}</bpmn:incoming><bpmn:outgoing>f{i}</bpmn:outgoing>"
        "</bpmn:serviceTask>"
        f'<bpmn:boundaryEvent id="c{i}" name="Task {i} done" attachedToRef="t{i}">'
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>"
        f'<bpmn:serviceTask id="u{i}" name="Undo task {i}" isForCompensation="true">'
        f'<bpmn:extensionElements><zeebe:taskDefinition type="bench.undo{i}"/>'
        "</bpmn:extensionElements></bpmn:serviceTask>"
        f'<bpmn:association id="a{i}" associationDirection="One" sourceRef="c{i}" '
        f'targetRef="u{i}"/>'
    )
    di = (
        _shape(f"t{i}", x, 60, 100, 80)
        + _shape(f"c{i}", x + 32, 122, 36, 36)
        + _shape(f"u{i}", x, 220, 100, 80)
        + _edge(f"a{i}", [(x + 50, 158), (x + 50, 220)])
        + _edge(f"f{i - 1}", [(x - 60 if i > 1 else 188, 100), (x, 100)])
    )
    return xml, di


def compensation_process(process_id: str) -> bytes:
    """start -> t1..t4 (each compensable) -> compensation throw (whole scope) -> end."""
    tasks = [_compensable_task(i) for i in range(1, 5)]
    nodes = ["start", "t1", "t2", "t3", "t4", "undo", "end"]
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{nodes[i]}" targetRef="{nodes[i + 1]}"/>'
        for i in range(len(nodes) - 1)
    )
    body = (
        '<bpmn:startEvent id="start" name="Started"><bpmn:outgoing>f0</bpmn:outgoing>'
        "</bpmn:startEvent>"
        + "".join(xml for xml, _ in tasks)
        + '<bpmn:intermediateThrowEvent id="undo" name="Undo all"><bpmn:incoming>f4</bpmn:incoming>'
        "<bpmn:outgoing>f5</bpmn:outgoing><bpmn:compensateEventDefinition/>"
        "</bpmn:intermediateThrowEvent>"
        '<bpmn:endEvent id="end" name="Compensated"><bpmn:incoming>f5</bpmn:incoming>'
        "</bpmn:endEvent>" + flows
    )
    di = (
        _shape("start", 152, 82, 36, 36)
        + "".join(shapes for _, shapes in tasks)
        + _shape("undo", 880, 82, 36, 36)
        + _shape("end", 972, 82, 36, 36)
        + _edge("f4", [(840, 100), (880, 100)])
        + _edge("f5", [(916, 100), (972, 100)])
    )
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} {DI_NS} id="d" '
        f'targetNamespace="http://bench"><bpmn:process id="{process_id}" isExecutable="true">'
        f'{body}</bpmn:process><bpmndi:BPMNDiagram id="diagram"><bpmndi:BPMNPlane id="plane" '
        f'bpmnElement="{process_id}">{di}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>'
        "</bpmn:definitions>"
    ).encode()


def message_process() -> bytes:
    """start -> wait for message 'go' (correlation key =id) -> end."""
    return (
        f'<?xml version="1.0"?><bpmn:definitions {NS} id="d" targetNamespace="http://bench">'
        '<bpmn:message id="m" name="go"><bpmn:extensionElements>'
        '<zeebe:subscription correlationKey="=id"/></bpmn:extensionElements></bpmn:message>'
        '<bpmn:process id="bench-wait" isExecutable="true">'
        '<bpmn:startEvent id="start"><bpmn:outgoing>f0</bpmn:outgoing></bpmn:startEvent>'
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:incoming>f0</bpmn:incoming>'
        '<bpmn:outgoing>f1</bpmn:outgoing><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="end"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="wait"/>'
        '<bpmn:sequenceFlow id="f1" sourceRef="wait" targetRef="end"/>'
        "</bpmn:process></bpmn:definitions>"
    ).encode()


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


async def drive(address: str, args: argparse.Namespace, engine_pid: int) -> None:
    channel = create_insecure_channel(grpc_address=address)
    stub = GatewayStub(channel)
    resources = [
        pb.Resource(name="one.bpmn", content=tasks_process("bench-one", 1)),
        pb.Resource(name="five.bpmn", content=tasks_process("bench-five", 5)),
        pb.Resource(name="wait.bpmn", content=message_process()),
        pb.Resource(name="compensate.bpmn", content=compensation_process("bench-compensate")),
    ]
    await stub.DeployResource(pb.DeployResourceRequest(resources=resources))
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


def _write_log(path: Path, record_count: int) -> Any:
    """One-task instances run to completion until the log holds `record_count` records."""
    from zeebe.engine.api import Command
    from zeebe.records import ValueType
    from zeebe.runtime.log_store import SqliteLogStore
    from zeebe.runtime.node import default_engine_factory

    log = SqliteLogStore(path, synchronous="NORMAL")
    engine = default_engine_factory(lambda: time.time_ns() // 1_000_000)
    deploy = {"resources": [{"resourceName": "one.bpmn", "resource": tasks_process("r", 1)}]}
    log.append(engine.process(Command(ValueType.DEPLOYMENT, "CREATE", deploy)).records)
    create = {"bpmnProcessId": "r", "version": -1, "variables": {"n": 1}}
    activate = {"type": "bench.t1", "worker": "w", "timeout": 60_000, "maxJobsToActivate": 64}
    while log.last_position() < record_count:
        records = []
        for _ in range(64):
            command = Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", dict(create))
            records += engine.process(command).records
        result = engine.process(Command(ValueType.JOB_BATCH, "ACTIVATE", dict(activate)))
        records += result.records
        for job in (result.response or {}).get("jobs", []):
            command = Command(ValueType.JOB, "COMPLETE", {"variables": {}}, key=job["key"])
            records += engine.process(command).records
        log.append(records)
    log.close()
    return engine


def measure_restart(record_count: int) -> None:
    """Time what a restart does before serving: read the whole log and replay it."""
    from zeebe.runtime.log_store import SqliteLogStore
    from zeebe.runtime.node import default_engine_factory
    from zeebe.runtime.snapshots import Snapshotter

    with tempfile.TemporaryDirectory(prefix="zeebe-restart-") as data_dir:
        path = Path(data_dir) / "log.sqlite"
        engine = _write_log(path, record_count)
        started = time.perf_counter()
        reopened = SqliteLogStore(path)
        replayed = list(reopened.read_all())
        read_s = time.perf_counter() - started
        default_engine_factory(lambda: time.time_ns() // 1_000_000).replay(replayed)
        total_s = time.perf_counter() - started
        reopened.close()
        print(
            f"restart with {len(replayed)} records, full replay: {total_s:.2f} s "
            f"(read {read_s:.2f} s, replay {total_s - read_s:.2f} s)",
            flush=True,
        )
        snapshotter = Snapshotter(Path(data_dir) / "snapshots")
        snapshotter.capture_now(engine, engine.clock, len(replayed))
        started = time.perf_counter()
        snapshotter.restore(engine, engine.clock)
        print(
            f"restart from a snapshot at the last position: {time.perf_counter() - started:.2f} s",
            flush=True,
        )


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


def main() -> None:
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
    args = parser.parse_args()
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
