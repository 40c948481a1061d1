"""Order service: orders on MongoDB (FerretDB) with the outbox inside each order document."""

from __future__ import annotations

from services.order.app import OrderConfig, create_app

__all__ = ["OrderConfig", "create_app"]
