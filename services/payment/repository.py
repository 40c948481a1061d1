"""SQL adapter of the payment service: payment rows, ledger entries, summary."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Executable, bindparam, case, func, select, update
from sqlalchemy.dialects.postgresql import insert

from services.common.statements import bound_values, built_once
from services.payment.domain import TOMBSTONE, Payment
from services.payment.tables import PaymentTables


@dataclass(frozen=True)
class PaymentStatements:
    """The payment repository's statements, built once per tables (common/statements.py)."""

    # Column lists vary per call: these bind whatever columns the parameter dict names.
    claim: Executable  # INSERT ... ON CONFLICT (key) DO NOTHING RETURNING key
    update: Executable  # SET <given columns>, updated_at = now() WHERE key = b_key
    read: Executable
    lock: Executable
    lock_by_payment_id: Executable
    add_ledger: Executable  # INSERT ... ON CONFLICT (payment_id, kind) DO NOTHING RETURNING id
    columns: frozenset[str]  # of payments, to refuse parameter dicts naming anything else


@built_once
def payment_statements(tables: PaymentTables) -> PaymentStatements:
    """Build the statements of one payment database's tables (memoised)."""
    payments, ledger = tables.payments, tables.ledger
    read = select(payments).where(payments.c.key == bindparam("b_key"))
    return PaymentStatements(
        claim=insert(payments)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(payments.c.key),
        update=update(payments)
        .where(payments.c.key == bindparam("b_key"))
        .values(updated_at=func.now()),
        read=read,
        lock=read.with_for_update(),
        lock_by_payment_id=select(payments)
        .where(payments.c.payment_id == bindparam("b_payment_id"))
        .with_for_update(),
        add_ledger=insert(ledger)
        .values(bound_values("payment_id", "kind", "amount"))
        .on_conflict_do_nothing(index_elements=["payment_id", "kind"])
        .returning(ledger.c.id),
        columns=frozenset(payments.c.keys()),
    )


class PaymentRepository:
    """Payment rows and ledger entries on one connection (the caller owns the transaction)."""

    def __init__(self, conn: Connection, tables: PaymentTables) -> None:
        self._conn = conn
        self._t = tables
        self._sql = payment_statements(tables)

    def claim(self, key: str, values: Mapping[str, Any]) -> Payment | None:
        """Insert a payment for `key` and return None, or lock and return the existing one."""
        row = {"key": key, "payment_id": f"pay_{uuid.uuid4().hex}", **values}
        if self._conn.execute(self._sql.claim, self._columns(row)).first() is not None:
            return None
        return self.lock(key)

    def claim_tombstone(self, key: str) -> Payment | None:
        """Record a tombstone for `key` and return None, or lock and return the existing row."""
        return self.claim(key, {"status": TOMBSTONE})

    def lock(self, key: str) -> Payment | None:
        """SELECT ... FOR UPDATE by idempotency key."""
        return self._one(self._sql.lock, {"b_key": key})

    def lock_by_payment_id(self, payment_id: str) -> Payment | None:
        """SELECT ... FOR UPDATE by our payment id (PSP callbacks name it in the URL)."""
        return self._one(self._sql.lock_by_payment_id, {"b_payment_id": payment_id})

    def get(self, key: str) -> Payment | None:
        """Plain read by key."""
        return self._one(self._sql.read, {"b_key": key})

    def update(self, key: str, **values: Any) -> None:
        """Change columns of one payment."""
        self._conn.execute(self._sql.update, {"b_key": key, **self._columns(values)})

    def add_ledger(self, payment_id: str, kind: str, amount: int) -> bool:
        """Insert a ledger entry once per (payment, kind); False if it already existed."""
        entry = {"payment_id": payment_id, "kind": kind, "amount": amount}
        return self._conn.execute(self._sql.add_ledger, entry).first() is not None

    def _one(self, query: Executable, params: Mapping[str, str]) -> Payment | None:
        row = self._conn.execute(query, params).first()
        return _to_payment(row._mapping) if row is not None else None

    def _columns(self, values: Mapping[str, Any]) -> Mapping[str, Any]:
        """`values` if every name is a payments column: a parameter dict naming anything else
        would be ignored silently by the statements above (`.values(**values)` used to raise)."""
        unknown = values.keys() - self._sql.columns
        if unknown:
            raise ValueError(f"not columns of payments: {sorted(unknown)}")
        return values

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
