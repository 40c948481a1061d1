"""Local stack manager: PostgreSQL, Kafka (KRaft) and FerretDB on loopback, for make run/tests.

`python -m stack up|down|status|logs|run`; pytest fixtures live in `stack.pytest_plugin`.
"""

from __future__ import annotations

from stack.config import KafkaServer, MongoServer, PostgresServer, StackConfig
from stack.errors import (
    ConfigError,
    MissingBinaryError,
    PortInUseError,
    ServerExitedError,
    StackError,
    StartTimeoutError,
)
from stack.manager import Stack

__all__ = [
    "ConfigError",
    "KafkaServer",
    "MissingBinaryError",
    "MongoServer",
    "PortInUseError",
    "PostgresServer",
    "ServerExitedError",
    "Stack",
    "StackConfig",
    "StackError",
    "StartTimeoutError",
]
