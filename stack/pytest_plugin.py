"""Pytest fixtures for real servers, started lazily by the same manager as `python -m stack`.

Register with `pytest_plugins = ["stack.pytest_plugin"]`. Each server starts the first time a test
asks for it, on free ports picked at runtime, with its data in a fresh temporary directory (one
per test session), PostgreSQL with fsync off; everything is stopped at the end of the session.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stack.config import KafkaServer, MongoServer, PostgresServer, StackConfig
from stack.manager import Stack

TEST_PORTS = ("pg_port", "kafka_port", "kafka_controller_port", "mongo_port", "ferretdb_debug_port")


@pytest.fixture(scope="session")
def stack_session() -> Iterator[Stack]:
    """A stack manager for this test session: free ports, throwaway data directory."""
    # Not under pytest's tmp dir: that is 0700 root-owned and PostgreSQL runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="checkout-saga-stack-"))
    root.chmod(0o755)
    cfg = StackConfig(root=root, durable=False).with_ports(**dict.fromkeys(TEST_PORTS, 0))
    stack = Stack(cfg, env=os.environ)
    try:
        yield stack
    finally:
        stack.down()
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def _serving(stack: Stack, name: str) -> Iterator[None]:
    stack.up([name])
    try:
        yield
    finally:
        stack.down([name])


@pytest.fixture(scope="session")
def postgres_server(stack_session: Stack) -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server for the session (superuser `postgres`, trust auth)."""
    with _serving(stack_session, "postgres"):
        cfg = stack_session.cfg  # ports are picked when the server starts
        yield PostgresServer(host=cfg.host, port=cfg.pg_port)


@pytest.fixture(scope="session")
def kafka_server(stack_session: Stack) -> Iterator[KafkaServer]:
    """A single-node Kafka 4.x broker (KRaft) for the session."""
    with _serving(stack_session, "kafka"):
        cfg = stack_session.cfg  # ports are picked when the server starts
        yield KafkaServer(
            host=cfg.host, port=cfg.kafka_port, controller_port=cfg.kafka_controller_port
        )


@pytest.fixture(scope="session")
def mongo_server(stack_session: Stack, postgres_server: PostgresServer) -> Iterator[MongoServer]:
    """A FerretDB server (MongoDB wire protocol, PostgreSQL backend) for the session."""
    with _serving(stack_session, "ferretdb"):
        cfg = stack_session.cfg  # ports are picked when the server starts
        yield MongoServer(host=cfg.host, port=cfg.mongo_port)
