"""Real protocol checks: a server is healthy only when our own clients can use it."""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable, Iterator

from stack.config import StackConfig

HealthCheck = Callable[[StackConfig], None]


def postgres_ready(cfg: StackConfig) -> None:
    """psycopg2 connects and runs `select 1`."""
    import psycopg2  # type: ignore[import-untyped]  # no stubs pinned; two calls used

    conn = psycopg2.connect(
        host=cfg.host, port=cfg.pg_port, user="postgres", dbname="postgres", connect_timeout=2
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("select 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError("select 1 returned something else")
    finally:
        conn.close()


def ensure_pg_database(cfg: StackConfig, name: str) -> None:
    """Create database `name` in the stack's PostgreSQL unless it exists (FerretDB's backend)."""
    import psycopg2

    conn = psycopg2.connect(
        host=cfg.host, port=cfg.pg_port, user="postgres", dbname="postgres", connect_timeout=5
    )
    conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library logger during a check, then restore it (other code may rely on it).

    kafka-python logs every refused connection at ERROR while the broker boots: noise here.
    """
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def kafka_ready(cfg: StackConfig) -> None:
    """kafka-python's admin client reads cluster metadata and sees our broker unfenced."""
    from kafka import KafkaAdminClient

    # A refused connection answers at once; the admin client would wait out its bootstrap timeout.
    socket.create_connection((cfg.host, cfg.kafka_port), timeout=1).close()

    with _quiet("kafka"):
        admin = KafkaAdminClient(
            bootstrap_servers=f"{cfg.host}:{cfg.kafka_port}",
            request_timeout_ms=3000,
            bootstrap_timeout_ms=3000,
            client_id="stack-health",
        )
        try:
            cluster = admin.describe_cluster()
            brokers = cluster.get("brokers", [])
            if not any(not broker.get("is_fenced", False) for broker in brokers):
                raise RuntimeError(f"no unfenced broker yet: {brokers}")
            admin.list_topics()
        finally:
            admin.close()


def ferretdb_ready(cfg: StackConfig) -> None:
    """`ping`, then `listDatabases`, which reaches FerretDB's PostgreSQL backend."""
    import pymongo

    client: pymongo.MongoClient[dict[str, object]] = pymongo.MongoClient(
        host=cfg.host, port=cfg.mongo_port, serverSelectionTimeoutMS=2000, connectTimeoutMS=2000
    )
    try:
        reply = client.admin.command("ping")
        if reply.get("ok") != 1:
            raise RuntimeError(f"ping answered {reply}")
        client.list_database_names()
    finally:
        client.close()
