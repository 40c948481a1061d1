"""Fixtures for the shared service library tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, MetaData

from services.common import testing
from services.common.tables import CommonTables, add_common_tables

# Shared session fixtures, bound by assignment: an unused-looking import would trip ruff.
kafka_servers = testing.kafka_servers
pg_base_url = testing.pg_base_url


@pytest.fixture
def common_tables() -> CommonTables:
    """The shared tables on fresh metadata."""
    return add_common_tables(MetaData())


@pytest.fixture
def sql_engine(pg_base_url: str, common_tables: CommonTables) -> Iterator[Engine]:
    """An engine on a fresh database holding the common tables."""
    with testing.fresh_database(pg_base_url, "common", common_tables.outbox.metadata) as engine:
        yield engine
