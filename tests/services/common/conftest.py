"""Fixtures for the shared service library tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, MetaData

from services.common.db import init_db, make_engine
from services.common.tables import CommonTables, add_common_tables
from services.common.testing import (
    create_test_database,
    drop_test_database,
    kafka_bootstrap,
    postgres_base_url,
)


@pytest.fixture(scope="session")
def pg_base_url(request: pytest.FixtureRequest) -> str:
    """The session's PostgreSQL server (stack fixture or $TEST_POSTGRES_URL)."""
    url = postgres_base_url(request)
    if url is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    return url


@pytest.fixture(scope="session")
def kafka_servers(request: pytest.FixtureRequest) -> str:
    """The session's Kafka broker (stack fixture or $TEST_KAFKA_BOOTSTRAP)."""
    bootstrap = kafka_bootstrap(request)
    if bootstrap is None:
        pytest.skip("no Kafka: load the stack plugin or set TEST_KAFKA_BOOTSTRAP")
    return bootstrap


@pytest.fixture
def common_tables() -> CommonTables:
    """The shared tables on fresh metadata."""
    return add_common_tables(MetaData())


@pytest.fixture
def sql_engine(pg_base_url: str, common_tables: CommonTables) -> Iterator[Engine]:
    """An engine on a fresh database holding the common tables."""
    url = create_test_database(pg_base_url, "common")
    engine = make_engine(url)
    init_db(engine, common_tables.outbox.metadata)
    yield engine
    engine.dispose()
    drop_test_database(url)
