"""Payment service: captures through the PSP, refunds as compensation, PostgreSQL ledger."""

from __future__ import annotations

from services.payment.app import PaymentConfig, create_app

__all__ = ["PaymentConfig", "create_app"]
