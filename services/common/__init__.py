"""Shared library of the SQL saga services (contract: services/CONTRACT.md)."""

from __future__ import annotations

from services.common.idempotency import OperationResult, compensate, fingerprint, forward
from services.common.operations import OperationStore, StoredOperation
from services.common.outbox import Outbox, OutboxEvent
from services.common.problems import BusinessError, Problem, ProblemError
from services.common.tables import CommonTables, add_common_tables
from services.common.uow import SqlUnitOfWork, UnitOfWork

__all__ = [
    "BusinessError",
    "CommonTables",
    "OperationResult",
    "OperationStore",
    "Outbox",
    "OutboxEvent",
    "Problem",
    "ProblemError",
    "SqlUnitOfWork",
    "StoredOperation",
    "UnitOfWork",
    "add_common_tables",
    "compensate",
    "fingerprint",
    "forward",
]
