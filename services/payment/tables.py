"""PostgreSQL schema of the payment service: payments, the ledger and the shared tables."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
)

from services.common.tables import CommonTables, add_common_tables


@dataclass(frozen=True)
class PaymentTables:
    """Every table of the payment database."""

    metadata: MetaData
    payments: Table
    ledger: Table
    common: CommonTables


def payment_tables() -> PaymentTables:
    """Build a fresh metadata with the payment tables."""
    metadata = MetaData()
    payments = Table(
        "payments",
        metadata,
        # The saga's idempotency key is the primary key: one payment per key, tombstones included.
        Column("key", String(200), primary_key=True),
        Column("payment_id", String(64), nullable=False, unique=True),
        Column("status", String(32), nullable=False),
        Column("fingerprint", String(64), nullable=True),
        Column("amount", BigInteger, nullable=False, server_default="0"),
        Column("currency", String(3), nullable=False, server_default="EUR"),
        Column("checkout_id", String(200), nullable=True),
        Column("psp_payment_id", String(100), nullable=True),
        Column("response", JSON, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
    ledger = Table(
        "ledger",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("payment_id", String(64), nullable=False, index=True),
        Column("kind", String(16), nullable=False),
        Column("amount", BigInteger, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        # At most one capture and one refund per payment: "refund exactly once" in the schema.
        UniqueConstraint("payment_id", "kind"),
        CheckConstraint("kind IN ('capture', 'refund')", name="ledger_kind"),
        CheckConstraint("amount >= 0", name="ledger_amount_not_negative"),
    )
    return PaymentTables(metadata, payments, ledger, add_common_tables(metadata))
