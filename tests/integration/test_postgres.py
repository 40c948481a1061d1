"""PostgreSQL from the stack fixture is real and usable from psycopg2."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg2  # type: ignore[import-untyped]  # no stubs pinned
import pytest

from stack.config import PostgresServer

pytestmark = pytest.mark.integration


@pytest.fixture
def database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh database on the session server, dropped afterwards."""
    name = f"it_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(postgres_server.dsn)
    admin.autocommit = True  # CREATE DATABASE cannot run inside a transaction block
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{name}"')
        yield postgres_server.dsn_for(name)
        with admin.cursor() as cursor:
            cursor.execute(f'drop database "{name}" with (force)')
    finally:
        admin.close()


def test_a_created_database_accepts_connections(database: str) -> None:
    """`CREATE DATABASE` works and the new database is reachable with its own DSN."""
    with psycopg2.connect(database) as conn, conn.cursor() as cursor:
        cursor.execute("select current_database()")
        (current,) = cursor.fetchone()
    assert database.endswith(f"/{current}")


def test_insert_on_conflict_upserts_one_row(database: str) -> None:
    """`INSERT ... ON CONFLICT (key) DO UPDATE` keeps one row per key with the latest value.

    PostgreSQL 15 docs, INSERT, "ON CONFLICT Clause": DO UPDATE updates the existing row that
    conflicts with the row proposed for insertion.
    """
    upsert = (
        "insert into reservations (idempotency_key, quantity) values (%s, %s) "
        "on conflict (idempotency_key) do update set quantity = excluded.quantity"
    )
    conn = psycopg2.connect(database)
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute(
                "create table reservations (idempotency_key text primary key, quantity int)"
            )
            cursor.execute(upsert, ("checkout-1:reserve", 2))
            cursor.execute(upsert, ("checkout-1:reserve", 5))
            cursor.execute("select idempotency_key, quantity from reservations")
            rows = cursor.fetchall()
    finally:
        conn.close()
    assert rows == [("checkout-1:reserve", 5)]


def test_server_listens_on_loopback_only(postgres_server: PostgresServer) -> None:
    """The stack binds PostgreSQL to 127.0.0.1 (`listen_addresses`), never a public interface."""
    with psycopg2.connect(postgres_server.dsn) as conn, conn.cursor() as cursor:
        cursor.execute("show listen_addresses")
        (listen,) = cursor.fetchone()
    assert listen == "127.0.0.1"
