"""Loyalty configuration defaults."""

from __future__ import annotations

import pytest

from services.loyalty.app import LoyaltyConfig

pytestmark = pytest.mark.unit


def test_default_port_is_8008_not_the_fraud_port() -> None:
    """DESIGN.md §2 / helm chart: fraud listens on 8007, loyalty on 8008 (they used to clash)."""
    from demo.topology import DEFAULT_PORTS

    assert LoyaltyConfig().port == 8008
    assert LoyaltyConfig.from_env({}).port == DEFAULT_PORTS["loyalty"]
    assert LoyaltyConfig().port != DEFAULT_PORTS["fraud"]


def test_port_comes_from_the_environment() -> None:
    """LOYALTY_PORT overrides the default."""
    assert LoyaltyConfig.from_env({"LOYALTY_PORT": "9100"}).port == 9100
