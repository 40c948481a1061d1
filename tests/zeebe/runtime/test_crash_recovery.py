"""kill -9 at any moment loses no acknowledged command (DESIGN 3 'Durable, single writer').

Starts `python -m zeebe` on a data dir, creates instances and completes jobs under load, SIGKILLs
the engine mid-run, restarts it on the same data dir and finishes the work. Then, from the log:
every instance whose creation was acknowledged completed, every acknowledged job completion is
in the log, and no job was completed twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import RecordType, ValueType
from zeebe.runtime.log_store import SqliteLogStore

pytestmark = pytest.mark.chaos

INSTANCES = 200
KILL_AFTER_COMPLETIONS = 60
JOB_TIMEOUT_MS = 2000
IDLE_EXIT_S = 2.5
BPMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://x">
  <bpmn:process id="crash" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task"/>
    <bpmn:serviceTask id="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="crash-work"/></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end"/>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""
ENGINES = {
    "real": "zeebe.engine.engine:Engine",
    "fake": "zeebe.testing.fake_engine:FakeEngine",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class EngineProcess:
    data_dir: Path
    engine: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "zeebe", "--data-dir", str(self.data_dir),
            "--grpc-address", self.address, "--http-port", "-1", "--engine", self.engine,
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("zeebe engine ready"), line

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(20)


@dataclass
class Ledger:
    """What clients saw acknowledged."""

    instances: set[int] = field(default_factory=set)
    completions: set[int] = field(default_factory=set)


async def create_instances(stub: GatewayStub, ledger: Ledger, count: int) -> None:
    for _ in range(count):
        request = pb.CreateProcessInstanceRequest(bpmnProcessId="crash", version=-1)
        try:
            response = await stub.CreateProcessInstance(request)
        except grpc.aio.AioRpcError:
            return  # the engine died: not acknowledged, nothing to check
        ledger.instances.add(int(response.processInstanceKey))


async def complete_jobs(stub: GatewayStub, ledger: Ledger, stop_after: int | None) -> None:
    request = pb.ActivateJobsRequest(
        type="crash-work",
        worker="w",
        timeout=JOB_TIMEOUT_MS,
        maxJobsToActivate=16,
        requestTimeout=300,
    )
    idle_since = time.monotonic()
    while stop_after is None or len(ledger.completions) < stop_after:
        try:
            jobs = [j async for r in stub.ActivateJobs(request) for j in r.jobs]
            for job in jobs:
                await stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key))
                ledger.completions.add(int(job.key))
        except grpc.aio.AioRpcError:
            return
        if jobs:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since > IDLE_EXIT_S:
            return  # longer than the job timeout: jobs activated before the crash are back


async def run_phase(address: str, ledger: Ledger, *, deploy: bool, stop_after: int | None) -> None:
    channel = create_insecure_channel(grpc_address=address)
    stub = GatewayStub(channel)
    if deploy:
        resource = pb.Resource(name="crash.bpmn", content=BPMN)
        await stub.DeployResource(pb.DeployResourceRequest(resources=[resource]))
    creators = [create_instances(stub, ledger, INSTANCES // 4) for _ in range(4)]
    workers = [complete_jobs(stub, ledger, stop_after) for _ in range(2)]
    await asyncio.gather(*creators, *workers)
    await channel.close()


@pytest.fixture(params=sorted(ENGINES))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EngineProcess]:
    process = EngineProcess(tmp_path / "data", ENGINES[request.param])
    yield process
    process.kill()


def test_sigkill_mid_run_loses_no_acknowledged_command(engine: EngineProcess) -> None:
    """DESIGN 3: acknowledged creations complete after restart; no job completes twice."""
    ledger = Ledger()
    engine.start()

    async def first_phase() -> None:
        phase = asyncio.ensure_future(
            run_phase(engine.address, ledger, deploy=True, stop_after=None)
        )
        while len(ledger.completions) < KILL_AFTER_COMPLETIONS and not phase.done():
            await asyncio.sleep(0.005)
        engine.kill()  # mid-run, requests in flight
        await asyncio.wait_for(phase, 30)

    asyncio.run(first_phase())
    killed_with = (len(ledger.instances), len(ledger.completions))
    started = time.monotonic()
    engine.start()
    restart_s = time.monotonic() - started
    asyncio.run(run_phase(engine.address, ledger, deploy=False, stop_after=None))
    engine.terminate()

    log = SqliteLogStore(engine.data_dir / "log.sqlite")
    records = list(log.read_all())
    log.close()
    completed_jobs = Counter(
        r.key
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is ValueType.JOB
        and r.intent == "COMPLETED"
    )
    completed_instances = {
        r.key
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is ValueType.PROCESS_INSTANCE
        and r.intent == "ELEMENT_COMPLETED"
    }
    assert killed_with[1] >= KILL_AFTER_COMPLETIONS, killed_with
    assert len(ledger.instances) >= INSTANCES + killed_with[0]  # phase two created all of its own
    assert restart_s < 10
    assert ledger.instances <= completed_instances
    assert ledger.completions <= set(completed_jobs)
    assert max(completed_jobs.values()) == 1
