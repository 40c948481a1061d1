"""Ports of the payment service layer: the payment store inside one transaction, and the SQL
implementation of "open a transaction"."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine

from services.common.outbox import Outbox, SqlOutbox
from services.payment.domain import Payment
from services.payment.repository import PaymentRepository
from services.payment.tables import PaymentTables


class PaymentStore(Protocol):
    """Payments and ledger entries, used inside one transaction."""

    def claim(self, key: str, values: Mapping[str, Any]) -> Payment | None:
        """Insert and return None, or lock and return the existing payment."""
        ...

    def claim_tombstone(self, key: str) -> Payment | None:
        """Insert a tombstone and return None, or lock and return the existing payment."""
        ...

    def lock(self, key: str) -> Payment | None:
        """Read and lock by idempotency key."""
        ...

    def lock_by_payment_id(self, payment_id: str) -> Payment | None:
        """Read and lock by payment id."""
        ...

    def get(self, key: str) -> Payment | None:
        """Plain read."""
        ...

    def update(self, key: str, **values: Any) -> None:
        """Change columns of one payment."""
        ...

    def add_ledger(self, payment_id: str, kind: str, amount: int) -> bool:
        """One entry per (payment, kind); False if it existed."""
        ...

    def summary(self) -> dict[str, int]:
        """Ledger totals."""
        ...


@dataclass(frozen=True)
class Tx:
    """One open transaction's adapters."""

    payments: PaymentStore
    outbox: Outbox


# Opens a transaction carrying the request's trace headers; commits when the block succeeds.
TxFactory = Callable[[Mapping[str, str]], AbstractContextManager[Tx]]


def sql_transactions(engine: Engine, tables: PaymentTables) -> TxFactory:
    """TxFactory over PostgreSQL: one connection and transaction per block."""

    @contextmanager
    def transaction(headers: Mapping[str, str]) -> Iterator[Tx]:
        with engine.begin() as conn:
            yield Tx(
                PaymentRepository(conn, tables),
                SqlOutbox(conn, tables.common.outbox, headers),
            )

    return transaction
