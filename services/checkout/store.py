"""Checkout persistence port: the stored data and `CheckoutStore`.

Adapters: `sql_store.py` (PostgreSQL) and `fake_store.py` (in memory, unit tests); both keep the
same contract.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from services.checkout.projection import SagaEvent


@dataclass(frozen=True)
class Started:
    """What the engine answered to CreateProcessInstance."""

    process_definition_key: int
    process_instance_key: int


@dataclass(frozen=True)
class Checkout:
    """One stored checkout."""

    id: str
    idempotency_key: str | None
    fingerprint: str
    request: Mapping[str, Any]
    version: str
    traceparent: str
    process_definition_key: int = 0
    process_instance_key: int = 0
    created_at: datetime | None = None  # set by the store (row insert time)


StartSaga = Callable[[Checkout], Started]


@dataclass(frozen=True)
class Saga:
    """One checkout's saga as stored here: the checkout (None if not stored yet) and its events."""

    checkout: Checkout | None
    events: tuple[SagaEvent, ...]


class CheckoutStore(Protocol):
    """Port: checkouts and the saga events attributed to them (by checkout id)."""

    def create(self, checkout: Checkout, start: StartSaga) -> tuple[Checkout, bool]:
        """Store `checkout` and start its saga, or return the one stored under its key."""
        ...

    def get(self, checkout_id: str) -> Checkout | None:
        """One checkout by id."""
        ...

    def get_with_events(self, checkout_id: str) -> tuple[Checkout, list[SagaEvent]] | None:
        """One checkout and the events of its saga (`GET /checkouts/<id>`), in one read."""
        ...

    def sagas(self, checkout_ids: Collection[str]) -> dict[str, Saga]:
        """Checkout and events of each given checkout id (one read for a consumer batch)."""
        ...

    def add_event(self, event: SagaEvent) -> bool:
        """Record a saga event once (by event id); True if it was new."""
        ...

    def add_events(self, events: Sequence[SagaEvent]) -> list[SagaEvent]:
        """Record a batch in one transaction; return the newly stored ones, in input order.

        An event id already stored, or repeated inside the batch, is stored once (first wins).
        """
        ...

    def events(self, checkout_id: str) -> list[SagaEvent]:
        """The events of one checkout's saga."""
        ...


def first_by_id(events: Sequence[SagaEvent]) -> list[SagaEvent]:
    """`events` without repeated event ids (the first occurrence wins), in order."""
    unique: dict[str, SagaEvent] = {}
    for event in events:
        unique.setdefault(event.event_id, event)
    return list(unique.values())


def with_keys(checkout: Checkout, started: Started) -> Checkout:
    """`checkout` with the keys of its started saga."""
    return replace(
        checkout,
        process_definition_key=started.process_definition_key,
        process_instance_key=started.process_instance_key,
    )
