"""Transactional outbox: the port, the event value and the SQL adapter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Executable, Table

from services.common.statements import bound_insert, built_once
from services.kit.tracing import TRACE_HEADERS, inject


@dataclass(frozen=True)
class OutboxEvent:
    """One domain event, written in the same transaction as the change it describes."""

    aggregate_type: str
    aggregate_id: str
    event_type: str
    payload: Mapping[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)


class Outbox(Protocol):
    """Port: append events inside the current unit of work."""

    def add(
        self, aggregate_type: str, aggregate_id: str, event_type: str, payload: Mapping[str, Any]
    ) -> None:
        """Queue one event with the unit of work's trace headers."""
        ...


def trace_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The W3C trace context stored with outbox rows: the current span's (the request's server
    span, so the relay's producer span is its child), else the request's own headers."""
    current = inject()
    source = current if current.get("traceparent") else headers
    lowered = {name.lower(): value for name, value in source.items()}
    return {name: lowered[name] for name in TRACE_HEADERS if lowered.get(name)}


_OUTBOX_COLUMNS = ("aggregate_type", "aggregate_id", "event_type", "payload", "headers")


@built_once
def outbox_insert(table: Table) -> Executable:
    """INSERT of one outbox row, bound by column name (memoised per table)."""
    return bound_insert(table, *_OUTBOX_COLUMNS)


class SqlOutbox:
    """Outbox rows inserted on the caller's connection, hence in its transaction."""

    def __init__(self, conn: Connection, table: Table, headers: Mapping[str, str]) -> None:
        self._conn = conn
        self._insert = outbox_insert(table)
        self._headers = dict(headers)

    def add(
        self, aggregate_type: str, aggregate_id: str, event_type: str, payload: Mapping[str, Any]
    ) -> None:
        """INSERT the event row; it commits or rolls back with the business rows."""
        self._conn.execute(
            self._insert,
            {
                "aggregate_type": aggregate_type,
                "aggregate_id": aggregate_id,
                "event_type": event_type,
                "payload": dict(payload),
                "headers": self._headers,
            },
        )
