"""Fixtures for cart tests: fake-backed and PostgreSQL-backed apps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from services.cart.app import create_app
from services.cart.fakes import FakeCartUnitOfWork
from services.common import testing
from services.common.fakes import FakeDatabase
from services.common.testing import create_test_database, drop_test_database

# Shared session fixtures, bound by assignment: an unused-looking import would trip ruff.
pg_base_url = testing.pg_base_url


@pytest.fixture
def fake_db() -> FakeDatabase:
    """Fresh in-memory state."""
    return FakeDatabase()


@pytest.fixture
def fake_app(fake_db: FakeDatabase) -> Flask:
    """Cart app on fakes."""
    return create_app({"UOW_FACTORY": lambda headers: FakeCartUnitOfWork(fake_db, headers)})


@pytest.fixture
def sql_url(pg_base_url: str) -> Iterator[str]:
    """A fresh cart database, dropped afterwards."""
    url = create_test_database(pg_base_url, "cart")
    yield url
    drop_test_database(url)


@pytest.fixture
def sql_app(sql_url: str) -> Iterator[Flask]:
    """Cart app on its own PostgreSQL database."""
    app = create_app({"DATABASE_URL": sql_url})
    yield app
    engine: Any = app.extensions["sql_engine"]
    engine.dispose()
