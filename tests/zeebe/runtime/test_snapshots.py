"""State snapshots bound restart time; the log stays the source of truth (DESIGN 3)."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path
from typing import Any

import pytest

from zeebe.engine.api import Command
from zeebe.records import ValueType
from zeebe.runtime import snapshots
from zeebe.runtime.broker import Broker
from zeebe.runtime.clock import ManualClock
from zeebe.runtime.exporters import InMemoryExporter
from zeebe.runtime.log_store import SqliteLogStore
from zeebe.runtime.snapshots import Snapshotter, snapshot_files
from zeebe.testing.fake_engine import FakeEngine

pytestmark = pytest.mark.unit

BPMN = (
    b'<process id="order"><serviceTask id="a"><extensionElements>'
    b'<zeebe:taskDefinition type="pay"/></extensionElements></serviceTask></process>'
)
ACTIVATE = {"type": "pay", "worker": "w", "timeout": 60_000, "maxJobsToActivate": 100}


def deploy() -> Command:
    value = {"resources": [{"resourceName": "order.bpmn", "resource": BPMN}]}
    return Command(ValueType.DEPLOYMENT, "CREATE", value)


def create() -> Command:
    value = {"bpmnProcessId": "order", "version": -1, "variables": {}}
    return Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value)


def broker(data: Path, every: int | None) -> tuple[Broker, InMemoryExporter]:
    clock = ManualClock(1_000_000)
    exporter = InMemoryExporter()
    snapshots = Snapshotter(data / "snapshots", every_records=every) if every else None
    return (
        Broker(
            engine=FakeEngine(clock),
            log_store=SqliteLogStore(data / "log.sqlite"),
            clock=clock,
            exporters=[exporter],
            snapshots=snapshots,
        ),
        exporter,
    )


async def run_instances(b: Broker, count: int) -> None:
    for _ in range(count):
        await b.execute(create())


def test_snapshot_is_written_after_enough_records_and_on_shutdown(tmp_path: Path) -> None:
    """A snapshot every N records (after its batch committed) and one at clean shutdown."""

    async def scenario() -> tuple[int, int]:
        b, _ = broker(tmp_path, every=20)
        await b.start()
        await b.execute(deploy())
        await run_instances(b, 10)
        await asyncio.sleep(0.1)  # the periodic snapshot is written off the loop
        during = len(snapshot_files(tmp_path / "snapshots"))
        await b.stop()
        return during, len(snapshot_files(tmp_path / "snapshots"))

    during, after = asyncio.run(scenario())
    assert during >= 1
    assert after == 2  # newest two are kept


def test_restart_from_snapshot_replays_only_the_tail_and_keeps_state(tmp_path: Path) -> None:
    """Restored state + replayed tail equals the state before the restart: jobs resume."""

    async def first() -> None:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        await b.execute(deploy())
        await run_instances(b, 5)
        await b.stop()  # shutdown snapshot at the last position

    async def crash_after_more() -> None:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        await run_instances(b, 3)
        b._committer._writer.shutdown(wait=True)  # simulate a crash: no shutdown snapshot

    async def restart() -> tuple[int, list[dict[str, Any]], int]:
        b, exporter = broker(tmp_path, every=10_000)
        replayed = await b.start()
        jobs = await b.activate_jobs(ACTIVATE, None)
        await b.stop()
        return replayed, jobs, len(exporter.records())

    asyncio.run(first())
    asyncio.run(crash_after_more())
    replayed, jobs, exported = asyncio.run(restart())
    assert 0 < replayed < 40  # only the tail after the snapshot
    assert len(jobs) == 8  # 5 from before the snapshot, 3 from the tail
    assert exported >= replayed


def test_unloadable_snapshot_falls_back_to_full_replay(tmp_path: Path) -> None:
    """A snapshot that cannot be read is ignored: the log alone rebuilds the state."""

    async def first() -> None:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        await b.execute(deploy())
        await run_instances(b, 4)
        await b.stop()

    async def restart() -> list[dict[str, Any]]:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        jobs = await b.activate_jobs(ACTIVATE, None)
        await b.stop()
        return jobs

    asyncio.run(first())
    for path in snapshot_files(tmp_path / "snapshots"):
        path.write_bytes(b"not a pickle")
    assert len(asyncio.run(restart())) == 4


def test_restart_from_snapshot_exports_the_whole_log_once(tmp_path: Path) -> None:
    """The engine needs only the tail after the snapshot, but the in-memory views (read model,
    harness) start empty: they get every record of the log, in order, exactly once."""

    async def first() -> int:
        b, exporter = broker(tmp_path, every=10_000)
        await b.start()
        await b.execute(deploy())
        await run_instances(b, 5)
        await b.stop()  # shutdown snapshot at the last position
        return len(exporter.records())

    async def more_then_restart() -> tuple[int, list[int]]:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        await run_instances(b, 2)
        b._committer._writer.shutdown(wait=True)  # crash: the snapshot stays at run one's end
        b2, exporter = broker(tmp_path, every=10_000)
        replayed = await b2.start()
        await b2.stop()
        return replayed, [r.position for r in exporter.records()]

    before = asyncio.run(first())
    replayed, positions = asyncio.run(more_then_restart())
    assert 0 < replayed < len(positions)  # the engine replayed the tail only
    assert len(positions) > before
    assert positions == sorted(set(positions))  # in order, none twice
    assert positions[0] == 1


def test_snapshot_from_other_engine_code_is_not_unpickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot carries a fingerprint of the engine source; after an upgrade the old pickled
    state (which may lack attributes the new code expects) is ignored and the log is replayed."""

    async def first() -> None:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        await b.execute(deploy())
        await run_instances(b, 3)
        await b.stop()

    async def restart() -> list[dict[str, Any]]:
        b, _ = broker(tmp_path, every=10_000)
        await b.start()
        jobs = await b.activate_jobs(ACTIVATE, None)
        await b.stop()
        return jobs

    asyncio.run(first())
    assert snapshot_files(tmp_path / "snapshots")
    unpickled: list[str] = []

    def refuse(self: object, module: str, name: str) -> Any:
        unpickled.append(f"{module}.{name}")
        raise pickle.UnpicklingError("stale snapshot")

    monkeypatch.setattr(snapshots, "code_fingerprint", lambda: "other engine code")
    monkeypatch.setattr(snapshots._Unpickler, "find_class", refuse)
    assert len(asyncio.run(restart())) == 3
    assert unpickled == []
