"""Fixtures for loyalty tests: a fresh PostgreSQL database, and FerretDB/Kafka for the
end-to-end path (stack fixtures when loaded, else $TEST_* variables)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pymongo import MongoClient
from sqlalchemy import Engine

from services.common.testing import fresh_database, kafka_bootstrap, postgres_base_url
from services.loyalty.store import LoyaltyTables, loyalty_tables


@pytest.fixture(scope="session")
def pg_base_url(request: pytest.FixtureRequest) -> str:
    """The session's PostgreSQL server (stack fixture or $TEST_POSTGRES_URL)."""
    url = postgres_base_url(request)
    if url is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    return url


@pytest.fixture
def loyalty_db(pg_base_url: str) -> Iterator[tuple[Engine, LoyaltyTables]]:
    """A fresh loyalty database with its tables."""
    tables = loyalty_tables()
    with fresh_database(pg_base_url, "loyalty", tables.metadata) as engine:
        yield engine, tables


@pytest.fixture(scope="session")
def kafka_servers(request: pytest.FixtureRequest) -> str:
    """Bootstrap servers of the session's Kafka broker."""
    servers = kafka_bootstrap(request)
    if servers is None:
        pytest.skip("no Kafka: load the stack plugin or set TEST_KAFKA_BOOTSTRAP")
    return servers


@pytest.fixture(scope="session")
def mongo_client(request: pytest.FixtureRequest) -> Iterator[MongoClient[dict[str, Any]]]:
    """A client of the session's FerretDB server (stack `mongo_server` or $TEST_MONGO_URL)."""
    try:
        server = request.getfixturevalue("mongo_server")
        url: str | None = server if isinstance(server, str) else getattr(server, "url", None)
        url = url or f"mongodb://{server.host}:{server.port}/"
    except pytest.FixtureLookupError:
        url = os.environ.get("TEST_MONGO_URL")
    if url is None:
        pytest.skip("no MongoDB-compatible server: load the stack plugin or set TEST_MONGO_URL")
    client: MongoClient[dict[str, Any]] = MongoClient(url, serverSelectionTimeoutMS=5000)
    yield client
    client.close()


@pytest.fixture
def mongo_database(mongo_client: MongoClient[dict[str, Any]]) -> Iterator[str]:
    """A fresh database name, dropped afterwards."""
    name = f"order_{uuid.uuid4().hex[:10]}"
    yield name
    mongo_client.drop_database(name)
