"""Service layer of the order service: create (forward) and cancel (compensation)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from services.common.idempotency import OperationResult, fingerprint
from services.common.problems import (
    ProblemError,
    compensated_problem,
    key_reused_problem,
    not_found_problem,
)
from services.order import domain as d
from services.order.store import OrderStore

log = structlog.get_logger("services.order")
# A create and a tombstone for one key can race; each retry re-reads the winner.
MAX_RACE_RETRIES = 3


def utc_now() -> str:
    """ISO 8601 UTC timestamp (documents and events carry strings: portable across stores)."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class OrderService:
    """Use cases over an OrderStore; every write is one atomic document operation."""

    store: OrderStore
    now: Callable[[], str] = utc_now

    def create(self, key: str, body: Any, headers: Mapping[str, str]) -> OperationResult:
        """Forward: create the order once per key; 409 after cancel or tombstone."""
        request = d.OrderRequest.parse(body)
        request_fingerprint = fingerprint(body)
        document = d.order_document(
            key, request_fingerprint, request, now=self.now(), headers=headers
        )
        for _ in range(MAX_RACE_RETRIES):
            if self.store.insert(document):
                log.info("order.created", key=key, order_id=document["_id"])
                return OperationResult(200, document["response"])
            existing = self.store.get(key)
            if existing is not None:
                return _replay(existing, request_fingerprint)
        raise RuntimeError(f"order {key!r} neither inserted nor found")

    def cancel(self, key: str, headers: Mapping[str, str]) -> OperationResult:
        """Compensation: cancel the order once, or record a tombstone."""
        for _ in range(MAX_RACE_RETRIES):
            outcome, checkout_id = self._try_cancel(key, headers)
            if outcome is not None:
                log.info(
                    "compensation",
                    service=d.SERVICE,
                    operation=d.OPERATION,
                    key=key,
                    outcome=outcome,
                    checkout_id=checkout_id,
                    traceparent=headers.get("traceparent"),
                )
                return OperationResult(200, {"status": outcome, "key": key})
        raise RuntimeError(f"order {key!r}: cancel kept racing")

    def _try_cancel(self, key: str, headers: Mapping[str, str]) -> tuple[str | None, str | None]:
        """One attempt -> (outcome, checkout id); outcome None when a concurrent write won."""
        existing = self.store.get(key)
        if existing is None:
            tombstone = d.tombstone_document(key, now=self.now(), headers=headers)
            return ("tombstoned" if self.store.insert(tombstone) else None), None
        checkout_id = (existing.get("response") or {}).get("checkout_id")
        if existing["status"] == d.TOMBSTONE:
            return "tombstoned", checkout_id
        if existing["status"] == d.CANCELLED:
            return "compensated", checkout_id
        event = d.cancelled_event(existing, now=self.now(), headers=headers)
        changes = {"status": d.CANCELLED, "cancelled_at": event["occurred_at"]}
        changed = self.store.transition(
            str(existing["_id"]), expected_status=d.CREATED, changes=changes, event=event
        )
        return ("compensated" if changed else None), checkout_id

    def operation(self, key: str) -> dict[str, Any]:
        """`GET /v1/orders/<key>`: the operation record, or 404."""
        existing = self.store.get(key)
        if existing is None:
            raise ProblemError(not_found_problem(f"no {d.OPERATION} operation with key {key!r}"))
        return d.operation_record(existing)


def _replay(existing: Mapping[str, Any], request_fingerprint: str) -> OperationResult:
    if existing["status"] in d.COMPENSATED_STATES:
        raise ProblemError(compensated_problem(str(existing["idempotency_key"])))
    if existing.get("fingerprint") != request_fingerprint:
        raise ProblemError(key_reused_problem(str(existing["idempotency_key"])))
    return OperationResult(200, existing["response"])
