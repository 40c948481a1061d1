"""CheckoutStore on PostgreSQL.

`checkouts` has a unique `idempotency_key`; the saga is started inside the transaction that
inserted the row, so a concurrent request with the same key waits on the unique index and then
finds the committed row with its process instance key: one key, one saga.

`checkout_events` holds the saga events by checkout id (the workers' idempotency keys start with
it). It replaced `saga_events`, which was keyed by process instance key: those keys repeat after
an engine reset, so an old database keeps that table, unread (`init_db` only creates tables).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Executable,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from services.checkout.projection import SagaEvent
from services.checkout.store import Checkout, Saga, StartSaga, first_by_id, with_keys
from services.common.statements import bound_insert, bound_values


def checkout_tables(metadata: MetaData) -> tuple[Table, Table]:
    """`checkouts` and `checkout_events`."""
    checkouts = Table(
        "checkouts",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("idempotency_key", String(200), nullable=True, unique=True),
        Column("fingerprint", String(64), nullable=False),
        Column("request", JSON, nullable=False),
        Column("version", String(64), nullable=False),
        Column("traceparent", String(55), nullable=False),
        Column("process_definition_key", BigInteger, nullable=False),
        Column("process_instance_key", BigInteger, nullable=False, index=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    events = Table(
        "checkout_events",
        metadata,
        Column("event_id", String(200), primary_key=True),
        Column("checkout_id", String(64), nullable=False, index=True),
        Column("event_type", String(128), nullable=False),
        Column("element_id", String(64), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    return checkouts, events


_CHECKOUT_COLUMNS = (
    "id",
    "idempotency_key",
    "fingerprint",
    "request",
    "version",
    "traceparent",
    "process_definition_key",
    "process_instance_key",
)
_EVENT_COLUMNS = ("event_id", "checkout_id", "event_type", "element_id", "payload")


@dataclass(frozen=True)
class CheckoutStatements:
    """The store's statements, built once per store (services/common/statements.py)."""

    insert_checkout: Executable
    claim_key: Executable  # INSERT ... ON CONFLICT DO NOTHING RETURNING id
    read_by_key: Executable
    set_process_keys: Executable
    read_checkout: Executable
    read_checkouts: Executable  # WHERE id IN (expanding b_ids)
    add_events: Executable  # executemany: ON CONFLICT (event_id) DO NOTHING RETURNING event_id
    read_events: Executable
    read_events_of: Executable  # WHERE checkout_id IN (expanding b_ids)


def checkout_statements(checkouts: Table, events: Table) -> CheckoutStatements:
    """Build the statements of the two tables."""
    add_events = insert(events).values(bound_values(*_EVENT_COLUMNS))
    return CheckoutStatements(
        insert_checkout=bound_insert(checkouts, *_CHECKOUT_COLUMNS),
        claim_key=insert(checkouts)
        .values(bound_values(*_CHECKOUT_COLUMNS))
        .on_conflict_do_nothing()
        .returning(checkouts.c.id),
        read_by_key=select(checkouts).where(
            checkouts.c.idempotency_key == bindparam("b_idempotency_key")
        ),
        set_process_keys=update(checkouts)
        .where(checkouts.c.id == bindparam("b_id"))
        .values(
            process_definition_key=bindparam("process_definition_key"),
            process_instance_key=bindparam("process_instance_key"),
        ),
        read_checkout=select(checkouts).where(checkouts.c.id == bindparam("b_id")),
        read_checkouts=select(checkouts).where(
            checkouts.c.id.in_(bindparam("b_ids", expanding=True))
        ),
        add_events=add_events.on_conflict_do_nothing(index_elements=[events.c.event_id]).returning(
            events.c.event_id
        ),
        read_events=select(events).where(events.c.checkout_id == bindparam("b_checkout_id")),
        read_events_of=select(events).where(
            events.c.checkout_id.in_(bindparam("b_ids", expanding=True))
        ),
    )


class SqlCheckoutStore:
    """CheckoutStore on PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.metadata = MetaData()
        self.engine = engine
        self.checkouts, self.saga_events = checkout_tables(self.metadata)
        self._sql = checkout_statements(self.checkouts, self.saga_events)

    def create(self, checkout: Checkout, start: StartSaga) -> tuple[Checkout, bool]:
        """INSERT ... ON CONFLICT (idempotency_key) DO NOTHING, start, then record the keys."""
        if checkout.idempotency_key is None:
            return self._create_unkeyed(checkout, start), True
        with self.engine.begin() as conn:
            if conn.execute(self._sql.claim_key, _checkout_row(checkout)).first() is None:
                by_key = {"b_idempotency_key": checkout.idempotency_key}
                found = conn.execute(self._sql.read_by_key, by_key).one()
                return _to_checkout(found._mapping), False
            # A failed start raises and rolls the row back: nothing half-created is kept.
            started = start(checkout)
            keys = {
                "b_id": checkout.id,
                "process_definition_key": started.process_definition_key,
                "process_instance_key": started.process_instance_key,
            }
            conn.execute(self._sql.set_process_keys, keys)
        return with_keys(checkout, started), True

    def _create_unkeyed(self, checkout: Checkout, start: StartSaga) -> Checkout:
        """Without a key there is no duplicate to serialise on: start, then insert the whole row.

        One statement fewer than insert-then-update. The connection is checked out (and
        pre-pinged) before the start, so an unreachable database still fails before any saga
        exists; a failed start inserts nothing.
        """
        with self.engine.begin() as conn:
            stored = with_keys(checkout, start(checkout))
            conn.execute(self._sql.insert_checkout, _checkout_row(stored))
        return stored

    def get(self, checkout_id: str) -> Checkout | None:
        """Plain read."""
        with self.engine.connect() as conn:
            row = conn.execute(self._sql.read_checkout, {"b_id": checkout_id}).first()
        return _to_checkout(row._mapping) if row is not None else None

    def get_with_events(self, checkout_id: str) -> tuple[Checkout, list[SagaEvent]] | None:
        """Both reads on one pooled connection: one pre-ping and one transaction, not two."""
        with self.engine.connect() as conn:
            row = conn.execute(self._sql.read_checkout, {"b_id": checkout_id}).first()
            if row is None:
                return None
            checkout = _to_checkout(row._mapping)
            return checkout, self._events(conn, checkout.id)

    def sagas(self, checkout_ids: Collection[str]) -> dict[str, Saga]:
        """Two indexed `IN` reads on one pooled connection, whatever the number of checkouts."""
        ids = sorted(set(checkout_ids))
        if not ids:
            return {}
        with self.engine.connect() as conn:
            found = conn.execute(self._sql.read_checkouts, {"b_ids": ids}).all()
            rows = conn.execute(self._sql.read_events_of, {"b_ids": ids}).all()
        by_id = {row.id: _to_checkout(row._mapping) for row in found}
        grouped: dict[str, list[SagaEvent]] = {checkout_id: [] for checkout_id in ids}
        for row in rows:
            grouped[row.checkout_id].append(_to_event(row))
        return {
            checkout_id: Saga(by_id.get(checkout_id), tuple(grouped[checkout_id]))
            for checkout_id in ids
        }

    def add_event(self, event: SagaEvent) -> bool:
        """Dedupe by event id (redelivered Kafka records are no-ops)."""
        return bool(self.add_events([event]))

    def add_events(self, events: Sequence[SagaEvent]) -> list[SagaEvent]:
        """One INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING for all rows, one commit.

        Executed as executemany, which SQLAlchemy batches into multi-row INSERTs
        ("insertmanyvalues") from one cached statement; `.values([...])` would compile each time.
        """
        unique = first_by_id(events)
        if not unique:
            return []
        # Rows in event id order: concurrent batches (a group rebalance) lock ids in the same
        # order, so they wait for each other instead of deadlocking.
        rows = [_event_row(event) for event in sorted(unique, key=lambda e: e.event_id)]
        with self.engine.begin() as conn:
            new = set(conn.execute(self._sql.add_events, rows).scalars())
        return [event for event in unique if event.event_id in new]

    def events(self, checkout_id: str) -> list[SagaEvent]:
        """Events of one checkout."""
        with self.engine.connect() as conn:
            return self._events(conn, checkout_id)

    def _events(self, conn: Connection, checkout_id: str) -> list[SagaEvent]:
        rows = conn.execute(self._sql.read_events, {"b_checkout_id": checkout_id}).all()
        return [_to_event(row) for row in rows]


def _event_row(event: SagaEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "checkout_id": event.checkout_id,
        "event_type": event.event_type,
        "element_id": event.element_id,
        "payload": dict(event.payload),
    }


def _checkout_row(checkout: Checkout) -> dict[str, Any]:
    return {
        "id": checkout.id,
        "idempotency_key": checkout.idempotency_key,
        "fingerprint": checkout.fingerprint,
        "request": dict(checkout.request),
        "version": checkout.version,
        "traceparent": checkout.traceparent,
        "process_definition_key": checkout.process_definition_key,
        "process_instance_key": checkout.process_instance_key,
    }


def _to_checkout(row: Mapping[Any, Any]) -> Checkout:
    return Checkout(
        id=row["id"],
        idempotency_key=row["idempotency_key"],
        fingerprint=row["fingerprint"],
        request=row["request"],
        version=row["version"],
        traceparent=row["traceparent"],
        process_definition_key=row["process_definition_key"],
        process_instance_key=row["process_instance_key"],
        created_at=row.get("created_at"),
    )


def _to_event(row: Any) -> SagaEvent:
    return SagaEvent(
        event_id=row.event_id,
        event_type=row.event_type,
        checkout_id=row.checkout_id,
        element_id=row.element_id,
        payload=row.payload,
    )
