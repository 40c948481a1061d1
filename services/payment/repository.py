"""SQL adapter of the payment service: payment rows, ledger entries, summary."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, case, func, select, update
from sqlalchemy.dialects.postgresql import insert

from services.payment.domain import TOMBSTONE, Payment
from services.payment.tables import PaymentTables


class PaymentRepository:
    """Payment rows and ledger entries on one connection (the caller owns the transaction)."""

    def __init__(self, conn: Connection, tables: PaymentTables) -> None:
        self._conn = conn
        self._t = tables

    def claim(self, key: str, values: Mapping[str, Any]) -> Payment | None:
        """Insert a payment for `key` and return None, or lock and return the existing one."""
        payments = self._t.payments
        statement = (
            insert(payments)
            .values(key=key, payment_id=f"pay_{uuid.uuid4().hex}", **values)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(payments.c.key)
        )
        if self._conn.execute(statement).first() is not None:
            return None
        return self.lock(key)

    def claim_tombstone(self, key: str) -> Payment | None:
        """Record a tombstone for `key` and return None, or lock and return the existing row."""
        return self.claim(key, {"status": TOMBSTONE})

    def lock(self, key: str) -> Payment | None:
        """SELECT ... FOR UPDATE by idempotency key."""
        payments = self._t.payments
        row = self._conn.execute(
            select(payments).where(payments.c.key == key).with_for_update()
        ).first()
        return _to_payment(row._mapping) if row is not None else None

    def lock_by_payment_id(self, payment_id: str) -> Payment | None:
        """SELECT ... FOR UPDATE by our payment id (PSP callbacks name it in the URL)."""
        payments = self._t.payments
        row = self._conn.execute(
            select(payments).where(payments.c.payment_id == payment_id).with_for_update()
        ).first()
        return _to_payment(row._mapping) if row is not None else None

    def get(self, key: str) -> Payment | None:
        """Plain read by key."""
        payments = self._t.payments
        row = self._conn.execute(select(payments).where(payments.c.key == key)).first()
        return _to_payment(row._mapping) if row is not None else None

    def update(self, key: str, **values: Any) -> None:
        """Change columns of one payment."""
        payments = self._t.payments
        self._conn.execute(
            update(payments).where(payments.c.key == key).values(updated_at=func.now(), **values)
        )

    def add_ledger(self, payment_id: str, kind: str, amount: int) -> bool:
        """Insert a ledger entry once per (payment, kind); False if it already existed."""
        ledger = self._t.ledger
        statement = (
            insert(ledger)
            .values(payment_id=payment_id, kind=kind, amount=amount)
            .on_conflict_do_nothing(index_elements=["payment_id", "kind"])
            .returning(ledger.c.id)
        )
        return self._conn.execute(statement).first() is not None

    def summary(self) -> dict[str, int]:
        """Totals for invariant checks: captured, refunded, and payments with a negative net."""
        ledger = self._t.ledger
        signed = case((ledger.c.kind == "capture", ledger.c.amount), else_=-ledger.c.amount)
        per_payment = (
            select(ledger.c.payment_id, func.sum(signed).label("net"))
            .group_by(ledger.c.payment_id)
            .subquery()
        )
        totals = self._conn.execute(
            select(
                func.coalesce(func.sum(case((ledger.c.kind == "capture", ledger.c.amount))), 0),
                func.coalesce(func.sum(case((ledger.c.kind == "refund", ledger.c.amount))), 0),
            )
        ).one()
        negative = self._conn.execute(
            select(func.count()).select_from(per_payment).where(per_payment.c.net < 0)
        ).scalar_one()
        return {
            "captured": int(totals[0]),
            "refunded": int(totals[1]),
            "net": int(totals[0]) - int(totals[1]),
            "negative_balances": int(negative),
        }


def _to_payment(row: Mapping[Any, Any]) -> Payment:
    return Payment(
        key=row["key"],
        payment_id=row["payment_id"],
        status=row["status"],
        fingerprint=row["fingerprint"],
        amount=int(row["amount"]),
        currency=row["currency"],
        checkout_id=row["checkout_id"],
        psp_payment_id=row["psp_payment_id"],
        response=row["response"],
    )
