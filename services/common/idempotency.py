"""Service layer of the uniform idempotent operation contract (see services/CONTRACT.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog

from services.common.operations import COMPENSATED, DONE, TOMBSTONE, StoredOperation
from services.common.problems import ProblemError, compensated_problem, key_reused_problem
from services.common.uow import UnitOfWork

U = TypeVar("U", bound=UnitOfWork)
Effect = Callable[[U], Mapping[str, Any]]
Undo = Callable[[U, StoredOperation], None]

log = structlog.get_logger("services.common.idempotency")


@dataclass(frozen=True)
class OperationResult:
    """HTTP status and JSON body to return (and to replay)."""

    status: int
    body: Mapping[str, Any]
    replayed: bool = False


def fingerprint(body: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON body: sorted keys, no whitespace."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def forward(
    uow: U, *, operation: str, key: str, body: Mapping[str, Any], effect: Effect[U]
) -> OperationResult:
    """Run `effect` once per key; replay its response; refuse after compensation.

    A BusinessError raised by `effect` leaves the transaction (and the pending claim) rolled back.
    """
    request_fingerprint = fingerprint(body)
    with uow:
        existing = uow.operations.claim(operation, key, request_fingerprint)
        if existing is not None:
            return _replay(existing, request_fingerprint)
        response = dict(effect(uow))
        uow.operations.complete(operation, key, response)
        uow.commit()
    return OperationResult(200, response)


def _replay(existing: StoredOperation, request_fingerprint: str) -> OperationResult:
    if existing.status in (COMPENSATED, TOMBSTONE):
        raise ProblemError(compensated_problem(existing.key))
    if existing.fingerprint != request_fingerprint:
        raise ProblemError(key_reused_problem(existing.key))
    return OperationResult(200, dict(existing.response or {}), replayed=True)


def compensate(
    uow: U,
    *,
    service: str,
    operation: str,
    key: str,
    undo: Undo[U],
    trace: Mapping[str, str] | None = None,
    reason: str | None = None,
) -> OperationResult:
    """Undo a done operation once, or tombstone a key whose forward call never happened."""
    with uow:
        existing = uow.operations.claim_for_compensation(operation, key)
        if existing is None:
            uow.outbox.add("operation", key, f"{service}.{operation}.tombstoned", {"key": key})
            status = "tombstoned"
        elif existing.status == DONE:
            undo(uow, existing)
            uow.operations.mark_compensated(operation, key)
            status = "compensated"
        else:
            status = "compensated" if existing.status == COMPENSATED else "tombstoned"
        uow.commit()
    # Audit trail: every compensation with its correlation ids.
    log.info(
        "compensation",
        service=service,
        operation=operation,
        key=key,
        outcome=status,
        reason=reason,
        traceparent=(trace or {}).get("traceparent"),
    )
    return OperationResult(200, {"status": status, "key": key})


def read_operation(uow: UnitOfWork, *, operation: str, key: str) -> StoredOperation | None:
    """The stored record of one key, if any."""
    with uow:
        return uow.operations.get(operation, key)
