"""In-memory CheckoutStore for unit tests (same contract as `SqlCheckoutStore`)."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from services.checkout.projection import SagaEvent
from services.checkout.store import Checkout, Saga, StartSaga, first_by_id, with_keys


class FakeCheckoutStore:
    """In-memory CheckoutStore for unit tests; one lock plays the unique index."""

    def __init__(self) -> None:
        self.checkouts: dict[str, Checkout] = {}
        self.saga_events: dict[str, SagaEvent] = {}
        self._lock = threading.Lock()

    def create(self, checkout: Checkout, start: StartSaga) -> tuple[Checkout, bool]:
        """Same contract as the SQL store."""
        with self._lock:
            for existing in self.checkouts.values():
                if (
                    checkout.idempotency_key
                    and existing.idempotency_key == checkout.idempotency_key
                ):
                    return existing, False
            stored = replace(with_keys(checkout, start(checkout)), created_at=datetime.now(UTC))
            self.checkouts[stored.id] = stored
            return stored, True

    def get(self, checkout_id: str) -> Checkout | None:
        """Plain read."""
        return self.checkouts.get(checkout_id)

    def get_with_events(self, checkout_id: str) -> tuple[Checkout, list[SagaEvent]] | None:
        """Same contract as the SQL store."""
        checkout = self.get(checkout_id)
        if checkout is None:
            return None
        return checkout, self.events(checkout.id)

    def sagas(self, checkout_ids: Collection[str]) -> dict[str, Saga]:
        """Same contract as the SQL store."""
        return {
            checkout_id: Saga(self.checkouts.get(checkout_id), tuple(self.events(checkout_id)))
            for checkout_id in sorted(set(checkout_ids))
        }

    def add_event(self, event: SagaEvent) -> bool:
        """Dedupe by event id."""
        return bool(self.add_events([event]))

    def add_events(self, events: Sequence[SagaEvent]) -> list[SagaEvent]:
        """Same contract as the SQL store: all or nothing, the new ones in input order."""
        with self._lock:
            new = [e for e in first_by_id(events) if e.event_id not in self.saga_events]
            self.saga_events.update((event.event_id, event) for event in new)
            return new

    def events(self, checkout_id: str) -> list[SagaEvent]:
        """Events of one checkout."""
        return [e for e in self.saga_events.values() if e.checkout_id == checkout_id]
