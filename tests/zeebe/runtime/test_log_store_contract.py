"""Contract of `LogStore`: one suite, run against the in-memory and the SQLite log (DESIGN 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zeebe.records import Record, RecordType, ValueType
from zeebe.runtime.log_store import InMemoryLogStore, LogClosedError, LogStore, SqliteLogStore

pytestmark = pytest.mark.unit


def _record(position: int, **value: object) -> Record:
    return Record(
        position=position,
        key=position * 10,
        record_type=RecordType.EVENT,
        value_type=ValueType.JOB,
        intent="CREATED",
        timestamp=1_700_000_000_000 + position,
        value=dict(value),
    )


@pytest.fixture(params=["memory", "sqlite"])
def log_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LogStore]:
    store: LogStore = (
        InMemoryLogStore() if request.param == "memory" else SqliteLogStore(tmp_path / "log.db")
    )
    yield store
    store.close()


def test_empty_log_has_no_records_and_position_zero(log_store: LogStore) -> None:
    """A fresh log replays nothing."""
    assert list(log_store.read_all()) == []
    assert log_store.last_position() == 0


def test_appended_batches_read_back_in_position_order(log_store: LogStore) -> None:
    """Replay must see records exactly as processed, in order (DESIGN 3: replay rebuilds state)."""
    log_store.append([_record(1, type="a"), _record(2, type="b")])
    log_store.append([_record(3, type="c")])
    assert [r.position for r in log_store.read_all()] == [1, 2, 3]
    assert list(log_store.read_all())[1] == _record(2, type="b")
    assert log_store.last_position() == 3


def test_read_from_starts_at_the_given_position(log_store: LogStore) -> None:
    """Exporters resume from a position."""
    log_store.append([_record(p) for p in range(1, 6)])
    assert [r.position for r in log_store.read_from(4)] == [4, 5]


def test_values_with_bytes_and_nesting_round_trip(log_store: LogStore) -> None:
    """Deployment resources are raw bytes and must survive the log unchanged."""
    record = _record(1, resources=[{"resourceName": "a.bpmn", "resource": b"<xml>\x00\xff"}])
    log_store.append([record])
    assert next(log_store.read_all()) == record


def test_append_after_close_is_an_error(log_store: LogStore) -> None:
    """A closed log must not silently drop writes."""
    log_store.close()
    with pytest.raises(LogClosedError):
        log_store.append([_record(1)])


def test_sqlite_log_survives_reopening(tmp_path: Path) -> None:
    """Durability: what was committed is there after the process reopens the file."""
    store = SqliteLogStore(tmp_path / "log.db")
    store.append([_record(1), _record(2)])
    store.close()
    reopened = SqliteLogStore(tmp_path / "log.db", synchronous="NORMAL")
    assert [r.position for r in reopened.read_all()] == [1, 2]
    reopened.close()


def test_sqlite_batch_is_atomic(tmp_path: Path) -> None:
    """A batch that fails half-way (duplicate position) leaves nothing of itself behind."""
    store = SqliteLogStore(tmp_path / "log.db")
    store.append([_record(1)])
    with pytest.raises(Exception, match="UNIQUE"):
        store.append([_record(2), _record(1)])
    assert [r.position for r in store.read_all()] == [1]
    store.close()


def test_sqlite_reads_large_logs_in_chunks(tmp_path: Path) -> None:
    """Replay streams past the internal chunk size without gaps."""
    store = SqliteLogStore(tmp_path / "log.db")
    store.append([_record(p) for p in range(1, 2502)])
    assert [r.position for r in store.read_all()] == list(range(1, 2502))
    store.close()


def test_sqlite_rejects_unknown_synchronous_mode(tmp_path: Path) -> None:
    """Only FULL and NORMAL are meaningful durability settings here."""
    with pytest.raises(ValueError, match="synchronous"):
        SqliteLogStore(tmp_path / "log.db", synchronous="OFF")  # type: ignore[arg-type]
