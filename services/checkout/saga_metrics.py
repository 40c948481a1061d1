"""Saga duration histogram (DESIGN.md §5, alert "saga p99 > 5 s").

Observed by the status consumer when a newly stored event turns a saga from pending into
completed or failed (the same fold `GET /checkouts/<id>` uses): the duration runs from the
checkout row's insert (the accepted POST) to the moment the consumer stored that event, so it
includes the relay and Kafka delay a client polling the status would also see. A failed saga is
observed at its first failure or compensation event, not at the end of its compensations.

The consumer stores a polled batch at once and then hands over its new events together, so "was
the saga still pending before?" is asked without the whole batch (a failure and its first
compensation in one batch still observe the saga once), with one store read per batch for all
the sagas it may end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import structlog
from prometheus_client import CollectorRegistry, Histogram

from services.checkout.domain import PENDING
from services.checkout.projection import SagaEvent, fold, outcome_of
from services.checkout.store import CheckoutStore, Saga

log = structlog.get_logger("services.checkout.saga_metrics")
# Around the 5 s alert threshold, up to the default 30 s payment confirmation timeout and beyond.
BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 7.5, 10.0, 20.0, 30.0, 60.0, 120.0)


def saga_duration_histogram(registry: CollectorRegistry) -> Histogram:
    """`checkout_saga_duration_seconds{outcome, version}` on `registry`."""
    return Histogram(
        "checkout_saga_duration_seconds",
        "Accepted checkout until its saga completed or failed (status projection)",
        ["outcome", "version"],
        buckets=BUCKETS,
        registry=registry,
    )


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SagaDurationObserver:
    """Observes a saga's duration once, when its folded status first becomes terminal."""

    store: CheckoutStore
    histogram: Histogram
    clock: Callable[[], datetime] = field(default=_now)

    def __call__(self, events: Sequence[SagaEvent]) -> None:
        """Called after `events` (one batch) were stored for the first time."""
        # Only events that can end a saga are worth the read.
        ending = {e.checkout_id for e in events if outcome_of(e).status is not None}
        if not ending:
            return
        new_ids = {event.event_id for event in events}
        for _, saga in sorted(self.store.sagas(ending).items()):
            self._observe(saga, new_ids)

    def _observe(self, saga: Saga, new_ids: set[str]) -> None:
        checkout = saga.checkout
        if checkout is None or checkout.created_at is None:
            return  # a checkout not (yet) stored, or an old row: nothing to measure from
        if fold(e for e in saga.events if e.event_id not in new_ids).status != PENDING:
            return  # already ended by an earlier batch, and observed then
        outcome = fold(saga.events).status
        if outcome == PENDING:
            return
        seconds = (self.clock() - checkout.created_at).total_seconds()
        self.histogram.labels(outcome=outcome, version=checkout.version).observe(max(seconds, 0.0))
        log.info("checkout.saga_ended", checkout_id=checkout.id, outcome=outcome, seconds=seconds)
