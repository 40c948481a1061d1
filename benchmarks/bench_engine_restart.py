"""The restart measurement of the engine benchmark (`bench_engine.py restart`): replay of a
SQLite log of completed one-task instances, and restore from a snapshot."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench_engine_models import tasks_process


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
