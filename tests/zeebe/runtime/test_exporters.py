"""The in-memory exporter (harness assertions, dashboard)."""

from __future__ import annotations

import pytest

from zeebe.records import Record, RecordType, ValueType
from zeebe.runtime.exporters import InMemoryExporter, export_history

pytestmark = pytest.mark.unit


def _record(position: int) -> Record:
    return Record(
        position=position,
        key=position,
        record_type=RecordType.EVENT,
        value_type=ValueType.JOB,
        intent="CREATED",
        timestamp=0,
        value={},
    )


def test_bounded_in_memory_exporter_keeps_the_newest_records() -> None:
    """A long-running engine must not keep every record in memory; the log has them all."""
    exporter = InMemoryExporter(max_records=100)
    for start in range(1, 1001, 10):
        exporter.export([_record(p) for p in range(start, start + 10)])
    kept = [r.position for r in exporter.records()]
    assert 100 <= len(kept) <= 125
    assert kept == list(range(1001 - len(kept), 1001))


def test_unbounded_exporter_keeps_everything_and_wakes_waiters() -> None:
    """The harness keeps every record; wait_for returns as soon as the predicate holds."""
    exporter = InMemoryExporter()
    exporter.export([_record(p) for p in range(1, 501)])
    assert len(exporter.records()) == 500
    assert exporter.wait_for(lambda rs: len(rs) == 500, timeout_s=0.01)
    assert not exporter.wait_for(lambda rs: len(rs) > 500, timeout_s=0.01)


def test_history_export_stops_at_the_snapshot_position_in_chunks() -> None:
    """On start the log before the snapshot is exported in bounded chunks, in order, and
    nothing after `up_to` (that tail is exported with the replay, not twice)."""
    batches: list[list[int]] = []
    records = (_record(p) for p in range(1, 3001))
    count = export_history(records, 2500, lambda rs: batches.append([r.position for r in rs]))
    assert count == 2500
    assert [len(b) for b in batches] == [1000, 1000, 500]
    assert [p for b in batches for p in b] == list(range(1, 2501))
