"""Loyalty: a choreographed consumer of `order.events` awarding points, idempotently."""

from __future__ import annotations

from services.loyalty.app import LoyaltyConfig, create_app
from services.loyalty.consumer import LoyaltyConsumer

__all__ = ["LoyaltyConfig", "LoyaltyConsumer", "create_app"]
