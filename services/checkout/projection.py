"""Saga status as a fold over the services' domain events (pure).

The services' outbox events carry operation keys of the form `<checkoutId>:<element id>` (the
workers' idempotency keys, bpmn/README.md), so each event names the checkout it belongs to without
any change to the services. Checkout ids are unique for good, unlike process instance keys, which
a reset engine hands out again. The checkout API stores the events per checkout and folds them
into a status when asked: the order of arrival does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.checkout.domain import COMPLETED, FAILED, PENDING

# The checkout API's own ids (`domain.new_checkout_id`): only its checkouts have a status to fold,
# and keys of the former `<processInstanceKey>:<element id>` form are not attributed at all.
KEY_PATTERN = re.compile(r"^(?P<checkout>co_[0-9a-f]{24}):(?P<element>[a-z][a-z-]*)$")
KEY_FIELDS = ("key", "reservation_key", "quote_key", "allocation_key")
TOPICS = ("cart.events", "pricing.events", "payment.events", "inventory.events", "order.events")


@dataclass(frozen=True)
class SagaEvent:
    """One service event attributed to a checkout's saga."""

    event_id: str
    event_type: str
    checkout_id: str
    element_id: str
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Outcome:
    """What one event says about its saga: a terminal status, a reason, a compensation."""

    status: str | None = None
    reason: str | None = None
    compensation: str | None = None
    failed_step: str | None = None


@dataclass(frozen=True)
class SagaStatus:
    """The folded view returned by `GET /checkouts/<id>`."""

    status: str
    reason: str | None
    failed_step: str | None
    compensations: tuple[str, ...]


def attribute(value: Mapping[str, Any]) -> SagaEvent | None:
    """Attach a Kafka event value (services/CONTRACT.md §6) to its checkout, if it has one."""
    payload = value.get("payload")
    if not isinstance(payload, Mapping):
        return None
    candidates = [payload.get(name) for name in KEY_FIELDS] + [value.get("aggregate_id")]
    for candidate in candidates:
        match = KEY_PATTERN.match(candidate) if isinstance(candidate, str) else None
        if match is not None:
            return SagaEvent(
                event_id=str(value.get("event_id")),
                event_type=str(value.get("event_type")),
                checkout_id=match["checkout"],
                element_id=match["element"],
                payload=payload,
            )
    return None


def _compensated(handler: str) -> Callable[[SagaEvent], Outcome]:
    return lambda event: Outcome(status=FAILED, compensation=handler)


def _confirmed(event: SagaEvent) -> Outcome:
    if event.payload.get("status") == "declined":
        return Outcome(status=FAILED, reason="PAYMENT_DECLINED")
    return Outcome()


# Event type -> what it means for the saga. Compensation events name the BPMN handler that ran.
RULES: dict[str, Callable[[SagaEvent], Outcome]] = {
    "cart.consumed": lambda event: Outcome(status=COMPLETED),
    "payment.declined": lambda event: Outcome(status=FAILED, reason="PAYMENT_DECLINED"),
    "payment.confirmed": _confirmed,
    "cart.reservation_released": _compensated("cart.release"),
    "pricing.quote_reverted": _compensated("pricing.revert"),
    "payment.refunded": _compensated("payment.refund"),
    "payment.voided": _compensated("payment.refund"),
    "payment.late_capture_refunded": _compensated("payment.refund"),
    "inventory.released": _compensated("inventory.release"),
    "order.cancelled": _compensated("order.cancel"),
}


def outcome_of(event: SagaEvent) -> Outcome:
    """The meaning of one event; a tombstone marks the step that failed (undone by key)."""
    if event.event_type.endswith(".tombstoned"):
        return Outcome(
            status=FAILED,
            compensation=f"{event.element_id} (tombstoned)",
            failed_step=event.element_id,
        )
    rule = RULES.get(event.event_type)
    return rule(event) if rule is not None else Outcome()


def fold(events: Iterable[SagaEvent]) -> SagaStatus:
    """Fold a saga's events: any failure or compensation wins over completion."""
    outcomes = [outcome_of(event) for event in sorted(events, key=lambda e: e.event_id)]
    statuses = {outcome.status for outcome in outcomes}
    status = FAILED if FAILED in statuses else COMPLETED if COMPLETED in statuses else PENDING
    reason = next((o.reason for o in outcomes if o.reason), None)
    failed_step = next((o.failed_step for o in outcomes if o.failed_step), None)
    if status == FAILED and reason is None and failed_step is not None:
        reason = f"{failed_step} failed"
    compensations = tuple(sorted({o.compensation for o in outcomes if o.compensation}))
    return SagaStatus(status, reason, failed_step, compensations)
