"""Stack settings read from environment variables, and the endpoints clients connect to.

Pure: no processes, no sockets. Every setting has a documented variable (see README.md):

| variable                      | default            | meaning                                  |
|-------------------------------|--------------------|------------------------------------------|
| STACK_DIR                     | <repo>/.local/stack | data, pid files and logs                 |
| STACK_HOST                    | 127.0.0.1          | loopback address every server listens on |
| STACK_PG_PORT                 | 55432              | PostgreSQL                               |
| STACK_KAFKA_PORT              | 19092              | Kafka broker (PLAINTEXT)                 |
| STACK_KAFKA_CONTROLLER_PORT   | 19093              | Kafka KRaft controller                   |
| STACK_MONGO_PORT              | 27018              | FerretDB (MongoDB wire protocol)         |
| STACK_FERRETDB_DEBUG_PORT     | 0 (a free port)    | FerretDB debug/metrics HTTP endpoint     |
| STACK_DURABLE                 | 1                  | 0 turns PostgreSQL fsync off (tests)     |
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stack.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class StackConfig:
    """Where the stack keeps its files and which loopback ports each server uses."""

    root: Path = REPO_ROOT / ".local" / "stack"
    host: str = LOOPBACK
    pg_port: int = 55432
    kafka_port: int = 19092
    kafka_controller_port: int = 19093
    mongo_port: int = 27018
    ferretdb_debug_port: int = 0
    durable: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StackConfig:
        """Build a config from STACK_* variables; unknown values keep their defaults."""
        values: dict[str, Any] = {}
        for name, (field, parse) in ENV_SETTINGS.items():
            raw = env.get(name)
            if raw is not None and raw.strip() != "":
                values[field] = parse(name, raw.strip())
        return cls(**values)

    def with_ports(self, **ports: int) -> StackConfig:
        """A copy with some ports replaced (used by tests and `port 0` resolution)."""
        changes: dict[str, Any] = dict(ports)
        return dataclasses.replace(self, **changes)

    def service_dir(self, service: str) -> Path:
        """The data/log directory of one service."""
        return self.root / service

    def pidfile(self, service: str) -> Path:
        """Pid file of a service's process group leader."""
        return self.service_dir(service) / f"{service}.pid"

    def logfile(self, service: str) -> Path:
        """Combined stdout/stderr of a service."""
        return self.service_dir(service) / f"{service}.log"


def parse_port(name: str, raw: str) -> int:
    """A TCP port number 0-65535 (0 = pick a free port at start)."""
    try:
        port = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer port, got {raw!r}") from None
    if not 0 <= port <= 65535:
        raise ConfigError(f"{name} must be between 0 and 65535, got {port}")
    return port


def parse_bool(name: str, raw: str) -> bool:
    """1/0, true/false, yes/no, on/off."""
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def parse_host(name: str, raw: str) -> str:
    """Only loopback addresses: the stack must never listen on a public interface."""
    if raw not in {"127.0.0.1", "localhost", "::1"}:
        raise ConfigError(f"{name} must be a loopback address (127.0.0.1), got {raw!r}")
    return raw


def parse_path(_name: str, raw: str) -> Path:
    """An absolute path (relative ones are taken from the current directory)."""
    return Path(raw).expanduser().resolve()


ENV_SETTINGS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "STACK_DIR": ("root", parse_path),
    "STACK_HOST": ("host", parse_host),
    "STACK_PG_PORT": ("pg_port", parse_port),
    "STACK_KAFKA_PORT": ("kafka_port", parse_port),
    "STACK_KAFKA_CONTROLLER_PORT": ("kafka_controller_port", parse_port),
    "STACK_MONGO_PORT": ("mongo_port", parse_port),
    "STACK_FERRETDB_DEBUG_PORT": ("ferretdb_debug_port", parse_port),
    "STACK_DURABLE": ("durable", parse_bool),
}

# The variable that overrides each port, quoted in "port already in use" messages.
PORT_ENV = {field: name for name, (field, parse) in ENV_SETTINGS.items() if parse is parse_port}


@dataclass(frozen=True)
class PostgresServer:
    """A running PostgreSQL server (trust auth on loopback, superuser `postgres`)."""

    host: str
    port: int
    user: str = "postgres"

    @property
    def dsn(self) -> str:
        """libpq/SQLAlchemy-style URL of the `postgres` database."""
        return self.dsn_for("postgres")

    def dsn_for(self, database: str) -> str:
        """URL of another database on the same server."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"


@dataclass(frozen=True)
class KafkaServer:
    """A running single-node Kafka broker (KRaft, PLAINTEXT)."""

    host: str
    port: int
    controller_port: int

    @property
    def bootstrap(self) -> str:
        """The `bootstrap_servers` value for clients."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class MongoServer:
    """A running FerretDB server speaking the MongoDB wire protocol."""

    host: str
    port: int

    @property
    def uri(self) -> str:
        """A `mongodb://` URI for pymongo."""
        return f"mongodb://{self.host}:{self.port}/"
