"""Test support for SQL services: per-test databases on the session's PostgreSQL server.

Conftests import the `pg_base_url` and `kafka_servers` fixtures from here. The servers come from the
stack's `postgres_server` / `kafka_server` fixtures when that plugin is loaded, else from
$TEST_POSTGRES_URL / $TEST_KAFKA_BOOTSTRAP (servers you started yourself).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, create_engine, make_url, text

from services.common.db import ensure_database, init_db, make_engine


def postgres_base_url(request: Any) -> str | None:
    """SQLAlchemy URL of the test server's `postgres` database, or None if there is none."""
    try:
        server = request.getfixturevalue("postgres_server")
    except pytest.FixtureLookupError:
        return os.environ.get("TEST_POSTGRES_URL")
    return as_sqlalchemy_url(server)


def as_sqlalchemy_url(server: Any) -> str:
    """Accept a DSN string or an object with `dsn` or `host`/`port`."""
    dsn = server if isinstance(server, str) else getattr(server, "dsn", None)
    if dsn:
        url = make_url(str(dsn))
        return url.set(drivername="postgresql+psycopg2", database="postgres").render_as_string(
            hide_password=False
        )
    user = getattr(server, "user", "postgres")
    return f"postgresql+psycopg2://{user}@{server.host}:{server.port}/postgres"


def create_test_database(base_url: str, prefix: str) -> str:
    """A new, empty database named `<prefix>_<random>`; returns its URL."""
    url = make_url(base_url).set(database=f"{prefix}_{uuid.uuid4().hex[:10]}")
    rendered = url.render_as_string(hide_password=False)
    ensure_database(rendered)
    return rendered


def drop_test_database(url: str) -> None:
    """Drop a database created by create_test_database (forcing out leftover sessions)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            quoted = conn.dialect.identifier_preparer.quote(str(target.database))
            conn.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
    finally:
        admin.dispose()


@contextmanager
def initialised_engine(url: str, metadata: MetaData) -> Iterator[Engine]:
    """An engine on `url` with `metadata`'s tables created; disposed on exit."""
    engine = make_engine(url)
    init_db(engine, metadata)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def fresh_database(base_url: str, prefix: str, metadata: MetaData) -> Iterator[Engine]:
    """`initialised_engine` on a new database (create_test_database), dropped on exit."""
    url = create_test_database(base_url, prefix)
    try:
        with initialised_engine(url, metadata) as engine:
            yield engine
    finally:
        drop_test_database(url)


def kafka_bootstrap(request: Any) -> str | None:
    """Bootstrap servers of the stack's `kafka_server` fixture, else $TEST_KAFKA_BOOTSTRAP."""
    try:
        server = request.getfixturevalue("kafka_server")
    except pytest.FixtureLookupError:
        return os.environ.get("TEST_KAFKA_BOOTSTRAP")
    for name in ("bootstrap", "bootstrap_servers"):
        value = getattr(server, name, None)
        if value:
            return str(value)
    return f"{server.host}:{server.port}"


@pytest.fixture(scope="session")
def pg_base_url(request: pytest.FixtureRequest) -> str:
    """Fixture: the session's PostgreSQL server (stack fixture or $TEST_POSTGRES_URL)."""
    url = postgres_base_url(request)
    if url is None:
        pytest.skip("no PostgreSQL: load the stack plugin or set TEST_POSTGRES_URL")
    return url


@pytest.fixture(scope="session")
def kafka_servers(request: pytest.FixtureRequest) -> str:
    """Fixture: the session's Kafka broker (stack fixture or $TEST_KAFKA_BOOTSTRAP)."""
    bootstrap = kafka_bootstrap(request)
    if bootstrap is None:
        pytest.skip("no Kafka: load the stack plugin or set TEST_KAFKA_BOOTSTRAP")
    return bootstrap
