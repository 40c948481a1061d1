"""Fixtures for pricing tests: fake-backed and PostgreSQL-backed apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from services.common import testing
from services.common.fakes import FakeDatabase
from services.common.testing import create_test_database, drop_test_database
from services.pricing.app import create_app
from services.pricing.fakes import FakePricingUnitOfWork

# Shared session fixtures, bound by assignment: an unused-looking import would trip ruff.
pg_base_url = testing.pg_base_url


@pytest.fixture
def fake_db() -> FakeDatabase:
    """Fresh in-memory state."""
    return FakeDatabase()


@pytest.fixture
def fake_app(fake_db: FakeDatabase) -> Flask:
    """Pricing app on fakes."""
    return create_app(
        {
            "TAX_RATE_BPS": 1000,
            "UOW_FACTORY": lambda headers: FakePricingUnitOfWork(fake_db, headers),
        }
    )


@pytest.fixture
def sql_url(pg_base_url: str) -> Iterator[str]:
    """A fresh pricing database, dropped afterwards."""
    url = create_test_database(pg_base_url, "pricing")
    yield url
    drop_test_database(url)


@pytest.fixture
def sql_app(sql_url: str) -> Iterator[Flask]:
    """Pricing app on its own PostgreSQL database."""
    app = create_app({"DATABASE_URL": sql_url, "TAX_RATE_BPS": 1000})
    yield app
    engine: Any = app.extensions["sql_engine"]
    engine.dispose()
