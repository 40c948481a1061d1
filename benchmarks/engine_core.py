"""Benchmark of the pure engine (no gRPC, no SQLite): one-task process instances end to end.

Each instance is created, its job activated (batches of up to 32, like pyzeebe) and completed,
all through `Engine.process`. Prints completed instances/s, tasks/s and records/s.

    .venv/bin/python benchmarks/engine_core.py [--instances 20000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

from zeebe.engine.api import Command
from zeebe.engine.engine import Engine
from zeebe.records import ValueType

ONE_TASK = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="http://bench">
  <bpmn:process id="bench" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:serviceTask id="task"><bpmn:extensionElements>
      <zeebe:taskDefinition type="bench-work"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task"/>
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>"""
BATCH = 32


def run(instances: int) -> tuple[float, int]:
    """Run `instances` one-task instances; returns (seconds, records written)."""
    now = [1_700_000_000_000]
    engine = Engine(lambda: now[0])
    deploy = {"resources": [{"resourceName": "bench.bpmn", "resource": ONE_TASK}]}
    engine.process(Command(ValueType.DEPLOYMENT, "CREATE", deploy))
    create = {"bpmnProcessId": "bench", "version": -1, "variables": {"orderId": "o-1", "n": 1}}
    activate = {
        "type": "bench-work",
        "worker": "bench",
        "timeout": 60_000,
        "maxJobsToActivate": BATCH,
        "variables": [],
    }
    records = 0
    started = time.perf_counter()
    for offset in range(0, instances, BATCH):
        for _ in range(min(BATCH, instances - offset)):
            records += len(
                engine.process(
                    Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", create)
                ).records
            )
        result = engine.process(Command(ValueType.JOB_BATCH, "ACTIVATE", activate))
        records += len(result.records)
        assert result.response is not None
        for job in result.response["jobs"]:
            done = engine.process(
                Command(ValueType.JOB, "COMPLETE", {"variables": {"ok": True}}, key=job["key"])
            )
            records += len(done.records)
    elapsed = time.perf_counter() - started
    assert not engine.state.instances, "every instance should have completed"
    return elapsed, records


def main() -> None:
    """Parse arguments, run, print the numbers (optionally a profile of the hot spots)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    run(1_000)  # warm-up: imports, caches
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    elapsed, records = run(args.instances)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"instances: {args.instances}  seconds: {elapsed:.3f}")
    print(f"completed one-task instances/s: {args.instances / elapsed:,.0f}")
    print(f"tasks (jobs completed)/s:       {args.instances / elapsed:,.0f}")
    per_instance = records / args.instances
    print(f"records/s:                      {records / elapsed:,.0f}  ({per_instance:.1f} each)")


if __name__ == "__main__":
    main()
